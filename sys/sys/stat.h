/*
 * File status as the kernel reports it (kern_stat).  Mode bits follow the
 * traditional octal values so that the userland layer passes them through.
 */
#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <sys/types.h>
#include <sys/time.h>

#define S_IFMT		0170000
#define S_IFIFO		0010000
#define S_IFCHR		0020000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_IRWXU		0000700
#define S_IRUSR		0000400
#define S_IWUSR		0000200
#define S_IXUSR		0000100
#define S_IRWXG		0000070
#define S_IRWXO		0000007
#define ALLPERMS	07777

#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)

struct stat {
	uint64_t	st_dev;		/* mount id */
	uint64_t	st_ino;
	uint32_t	st_mode;	/* S_IF* | permissions */
	uint32_t	st_nlink;
	uint32_t	st_uid;
	uint32_t	st_gid;
	uint64_t	st_rdev;
	int64_t		st_size;
	int64_t		st_blocks;	/* 512-byte blocks allocated */
	int64_t		st_blksize;
	struct timespec	st_atim;
	struct timespec	st_mtim;
	struct timespec	st_ctim;
};

#endif /* !_SYS_STAT_H_ */
