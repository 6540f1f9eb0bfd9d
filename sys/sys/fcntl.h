/*
 * Open flags.  O_ACCMODE values are the traditional ones; FREAD/FWRITE
 * are the kernel's view of them in struct file (f_flag).
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#define O_RDONLY	0x0000
#define O_WRONLY	0x0001
#define O_RDWR		0x0002
#define O_ACCMODE	0x0003
#define O_NONBLOCK	0x0004
#define O_APPEND	0x0008
#define O_NOFOLLOW	0x0100
#define O_CREAT		0x0200
#define O_TRUNC		0x0400
#define O_EXCL		0x0800
#define O_DIRECTORY	0x00020000
#define O_CLOEXEC	0x00100000

/* Kernel-internal: f_flag bits. */
#define FREAD		0x0001
#define FWRITE		0x0002
#define FAPPEND		O_APPEND
#define FNONBLOCK	O_NONBLOCK

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#endif /* !_SYS_FCNTL_H_ */
