/*
 * File status.  Mode bits are the kernel's (sys/sys/stat.h).  The kernel
 * does not hand out this structure: stat(), lstat() and fstat() ask for
 * a tagged element list (ST_* in <sys/sysmsg.h>) and fill it in, so its
 * layout is libc's own.  Fields the kernel does not report are 0.
 */
#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <sys/types.h>

#define S_IFMT		0170000
#define S_IFIFO		0010000
#define S_IFCHR		0020000
#define S_IFDIR		0040000
#define S_IFBLK		0060000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define S_IFSOCK	0140000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_IRWXU		0000700
#define S_IRUSR		0000400
#define S_IWUSR		0000200
#define S_IXUSR		0000100
#define S_IRWXG		0000070
#define S_IRGRP		0000040
#define S_IWGRP		0000020
#define S_IXGRP		0000010
#define S_IRWXO		0000007
#define S_IROTH		0000004
#define S_IWOTH		0000002
#define S_IXOTH		0000001
#define ALLPERMS	07777
#define ACCESSPERMS	0777
#define DEFFILEMODE	0666

#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

struct stat {
	dev_t		st_dev;		/* mount id */
	ino_t		st_ino;
	mode_t		st_mode;	/* S_IF* | permissions */
	nlink_t		st_nlink;
	uid_t		st_uid;
	gid_t		st_gid;
	dev_t		st_rdev;
	off_t		st_size;
	blkcnt_t	st_blocks;	/* 512-byte blocks allocated */
	blksize_t	st_blksize;
	struct timespec	st_atim;
	struct timespec	st_mtim;
	struct timespec	st_ctim;
};
#define st_atime	st_atim.tv_sec
#define st_mtime	st_mtim.tv_sec
#define st_ctime	st_ctim.tv_sec

int	stat(const char *, struct stat *);
int	lstat(const char *, struct stat *);
int	fstat(int, struct stat *);
int	mkdir(const char *, mode_t);
int	chmod(const char *, mode_t);
mode_t	umask(mode_t);

#endif /* !_SYS_STAT_H_ */
