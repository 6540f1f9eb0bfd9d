/*
 * File system name calls: stat and friends, mkdir, chmod, unlink, rmdir,
 * rename (declared in <stdio.h>), link, symlink, readlink, chdir, fchdir,
 * getcwd, access.
 *
 * stat() does not receive a structure from the kernel.  It sends a list
 * of tagged elements (struct sysel, ST_* tags) and the kernel fills in
 * el_val for every tag it knows, setting el_len to the value's size, or
 * el_len = 0 for a tag it does not know.  Unknown fields are left 0, so
 * the kernel may add or drop attributes without breaking old programs.
 *
 * access() has no message: it is emulated from stat() and the mode bits
 * (see its comment), so it is advisory, like the real one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emul.h"

extern mode_t __libc_umask;

static const unsigned int st_tags[] = {
	ST_DEV, ST_INO, ST_MODE, ST_NLINK, ST_UID, ST_GID, ST_RDEV,
	ST_SIZE, ST_BLOCKS, ST_BLKSIZE, ST_ATIME_NS, ST_MTIME_NS, ST_CTIME_NS
};
#define NSTTAGS	(sizeof(st_tags) / sizeof(st_tags[0]))

static void
st_prepare(struct sysel *els)
{
	unsigned int i;

	for (i = 0; i < NSTTAGS; i++) {
		els[i].el_tag = st_tags[i];
		els[i].el_len = 0;
		els[i].el_val = 0;
	}
}

/* Nanoseconds since the Epoch (may be negative) to a timespec. */
static void
ns_to_timespec(int64_t ns, struct timespec *ts)
{
	int64_t sec, rem;

	sec = ns / 1000000000;
	rem = ns % 1000000000;
	if (rem < 0) {
		rem += 1000000000;
		sec--;
	}
	ts->tv_sec = sec;
	ts->tv_nsec = rem;
}

/* Copy the answered element list into *st; unanswered fields are 0. */
static void
st_fill(const struct sysel *els, struct stat *st)
{
	unsigned int i;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < NSTTAGS; i++) {
		if (els[i].el_len == 0)
			continue;
		v = els[i].el_val;
		switch (els[i].el_tag) {
		case ST_DEV:	  st->st_dev = v; break;
		case ST_INO:	  st->st_ino = v; break;
		case ST_MODE:	  st->st_mode = (mode_t)v; break;
		case ST_NLINK:	  st->st_nlink = (nlink_t)v; break;
		case ST_UID:	  st->st_uid = (uid_t)v; break;
		case ST_GID:	  st->st_gid = (gid_t)v; break;
		case ST_RDEV:	  st->st_rdev = v; break;
		case ST_SIZE:	  st->st_size = (off_t)v; break;
		case ST_BLOCKS:	  st->st_blocks = (blkcnt_t)v; break;
		case ST_BLKSIZE:  st->st_blksize = (blksize_t)v; break;
		case ST_ATIME_NS:
			ns_to_timespec((int64_t)v, &st->st_atim);
			break;
		case ST_MTIME_NS:
			ns_to_timespec((int64_t)v, &st->st_mtim);
			break;
		case ST_CTIME_NS:
			ns_to_timespec((int64_t)v, &st->st_ctim);
			break;
		}
	}
}

static int
stat_common(const char *path, struct stat *st, int flags)
{
	struct sysel els[NSTTAGS];

	st_prepare(els);
	if (__sm_call(SYS_STAT, __SMP(path), __SMP(els), NSTTAGS, flags,
	    0) == -1)
		return (-1);
	st_fill(els, st);
	return (0);
}

int
stat(const char *path, struct stat *st)
{
	return (stat_common(path, st, 0));
}

int
lstat(const char *path, struct stat *st)
{
	return (stat_common(path, st, AT_SYMLINK_NOFOLLOW));
}

int
fstat(int fd, struct stat *st)
{
	struct sysel els[NSTTAGS];

	st_prepare(els);
	if (__sm_call(SYS_FSTAT, fd, __SMP(els), NSTTAGS, 0, 0) == -1)
		return (-1);
	st_fill(els, st);
	return (0);
}

int
mkdir(const char *path, mode_t mode)
{
	return ((int)__sm_call(SYS_MKDIR, __SMP(path), mode & ~__libc_umask,
	    0, 0, 0));
}

int
chmod(const char *path, mode_t mode)
{
	return ((int)__sm_call(SYS_CHMOD, __SMP(path), mode, 0, 0, 0));
}

int
unlink(const char *path)
{
	return ((int)__sm_call(SYS_UNLINK, __SMP(path), 0, 0, 0, 0));
}

int
rmdir(const char *path)
{
	return ((int)__sm_call(SYS_RMDIR, __SMP(path), 0, 0, 0, 0));
}

int
rename(const char *from, const char *to)
{
	return ((int)__sm_call(SYS_RENAME, __SMP(from), __SMP(to), 0, 0, 0));
}

int
link(const char *from, const char *to)
{
	return ((int)__sm_call(SYS_LINK, __SMP(from), __SMP(to), 0, 0, 0));
}

int
symlink(const char *target, const char *path)
{
	return ((int)__sm_call(SYS_SYMLINK, __SMP(target), __SMP(path), 0,
	    0, 0));
}

/* Returns the bytes placed in buf (not NUL-terminated), or -1. */
ssize_t
readlink(const char *path, char *buf, size_t len)
{
	return (__sm_call(SYS_READLINK, __SMP(path), __SMP(buf), len, 0, 0));
}

int
chdir(const char *path)
{
	return ((int)__sm_call(SYS_CHDIR, __SMP(path), 0, 0, 0, 0));
}

int
fchdir(int fd)
{
	return ((int)__sm_call(SYS_FCHDIR, fd, 0, 0, 0, 0));
}

/*
 * getcwd(buf, size).  With buf NULL the buffer is malloc'ed: size bytes,
 * or PATH_MAX if size is 0; the caller frees it.  ERANGE if the path
 * does not fit (the kernel's error), EINVAL for size 0 with a buffer.
 */
char *
getcwd(char *buf, size_t size)
{
	char *p;

	if (buf != NULL && size == 0) {
		errno = EINVAL;
		return (NULL);
	}
	p = buf;
	if (p == NULL) {
		if (size == 0)
			size = PATH_MAX;
		if ((p = malloc(size)) == NULL) {
			errno = ENOMEM;
			return (NULL);
		}
	}
	if (__sm_call(SYS_GETCWD, __SMP(p), size, 0, 0, 0) == -1) {
		if (buf == NULL)
			free(p);
		return (NULL);
	}
	return (p);
}

/*
 * access(path, amode), emulated: stat the file, then check the mode bits
 * of the class the real uid falls in (owner if it owns the file, group
 * if the file's group is ours (always 0: we have no group ids), else
 * other).  uid 0 may read and write anything, and execute anything that
 * has at least one x bit or is a directory.  Returns 0 or -1 with
 * EACCES (or stat's error).
 */
int
access(const char *path, int amode)
{
	struct stat st;
	uid_t uid;
	mode_t bits;

	if ((amode & ~(R_OK | W_OK | X_OK)) != 0) {
		errno = EINVAL;
		return (-1);
	}
	if (stat(path, &st) == -1)
		return (-1);
	if (amode == F_OK)
		return (0);
	uid = getuid();
	if (uid == 0) {
		if ((amode & X_OK) == 0 || S_ISDIR(st.st_mode) ||
		    (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0)
			return (0);
		errno = EACCES;
		return (-1);
	}
	if (st.st_uid == uid)
		bits = (st.st_mode >> 6) & 7;
	else if (st.st_gid == getgid())
		bits = (st.st_mode >> 3) & 7;
	else
		bits = st.st_mode & 7;
	if ((amode & bits) != amode) {
		errno = EACCES;
		return (-1);
	}
	return (0);
}
