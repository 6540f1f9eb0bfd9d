/*
 * File control: open flags (values of sys/sys/fcntl.h), fcntl commands
 * and FD_CLOEXEC (values of <sys/sysmsg.h>).
 */
#ifndef _FCNTL_H_
#define _FCNTL_H_

#include <sys/types.h>
#include <sys/sysmsg.h>	/* F_*, FD_CLOEXEC, AT_SYMLINK_NOFOLLOW */

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

#ifndef SEEK_SET
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#endif

int	open(const char *, int, ...);
int	creat(const char *, mode_t);
int	fcntl(int, int, ...);

#endif /* !_FCNTL_H_ */
