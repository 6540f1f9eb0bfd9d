/*
 * Kernel error numbers.  Values follow the traditional BSD numbering so
 * that the userland emulation layer can pass them through unchanged.
 * EASYNC is ours: it only means "the message was queued and completes
 * later"; it is never an error seen by a caller of a synchronous API.
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EDEADLK		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define EAGAIN		35
#define EWOULDBLOCK	EAGAIN
#define EINPROGRESS	36
#define EALREADY	37
#define ELOOP		62
#define ENAMETOOLONG	63
#define ENOTEMPTY	66
#define ETIMEDOUT	60
#define ENOSYS		78
#define EASYNC		99	/* queued; the reply comes later */
#define EJUSTRETURN	(-2)	/* kernel only: the frame is already set */

#endif /* !_SYS_ERRNO_H_ */
