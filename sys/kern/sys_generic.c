/*
 * File and namespace commands: unpack the message, copy in, call the
 * file API of the VFS issue (kern_*), copy out.  The VFS never sees a
 * user address: paths are copied into kernel buffers first, and data
 * moves through a kernel bounce buffer.
 *
 * Losing nothing: a read's user buffer is checked before the file is
 * read: inside the user range, and cut to the part that lies in
 * writable regions (a short read); a buffer with no such part fails
 * with EFAULT before any data is consumed.  Only another thread
 * unmapping the buffer during the read can still lose bytes.
 *
 * Partial transfers: a read stops at the first short read; a write at
 * the first short write; an error after some bytes moved returns the
 * count.  A write that fails with EPIPE also sends SIGPIPE.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/kern_syscall.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>

MALLOC_DEFINE(M_IOBUF, "iobuf", "system-call bounce buffers");

#define IO_CHUNK	(64 * 1024)	/* bounce buffer for large transfers */
#define IO_SMALL	512		/* on the stack below this */
#define SSIZE_MAX_	0x7fffffffffffffffUL

/*
 * A descriptor argument: a 64-bit value that is not an int (2^32 + 1
 * must not alias descriptor 1) becomes -1, which every kern_* call
 * refuses with EBADF.
 */
static inline int
ufd(uint64_t v)
{
	return ((int64_t)v == (int)v ? (int)v : -1);
}

/* Copy in a path argument (PATH_MAX bytes of buffer). */
static int
upath(uint64_t u, char *buf)
{
	return (copyinstr((const void *)u, buf, PATH_MAX, NULL));
}

/* --- data --- */

/*
 * The body of read and pread: off < 0 for read (the file offset).
 */
static int
do_read(int fd, uint64_t ubuf, size_t len, off_t off, int64_t *resp)
{
	char small[IO_SMALL], *buf = small;
	size_t total = 0, chunk, done;
	int error = 0;

	if (len > SSIZE_MAX_)
		return (EINVAL);
	if (len != 0 && !user_range_ok(ubuf, len))
		return (EFAULT);
	/* Nothing is consumed that could not be delivered. */
	if (len != 0 && curproc->p_vmspace != NULL) {
		len = vm_range_extent(curproc->p_vmspace, ubuf, len,
		    VMP_WRITE);
		if (len == 0)
			return (EFAULT);
	}
	chunk = len < IO_CHUNK ? len : IO_CHUNK;
	if (chunk > IO_SMALL) {
		buf = kmalloc(chunk, M_IOBUF, 0);
		if (buf == NULL)
			return (ENOMEM);
	}
	do {
		size_t n = len - total < chunk ? len - total : chunk;

		if (off < 0)
			error = kern_read(fd, buf, n, &done);
		else
			error = kern_pread(fd, buf, n, off + total, &done);
		if (error != 0)
			break;
		error = copyout(buf, (void *)(ubuf + total), done);
		if (error != 0)
			break;
		total += done;
		if (done < n)
			break;
	} while (total < len);
	if (buf != small)
		kfree(buf, M_IOBUF);
	*resp = (int64_t)total;
	return (total > 0 ? 0 : error);
}

static int
do_write(int fd, uint64_t ubuf, size_t len, off_t off, int64_t *resp)
{
	char small[IO_SMALL], *buf = small;
	size_t total = 0, chunk, done;
	int error = 0;

	if (len > SSIZE_MAX_)
		return (EINVAL);
	if (len != 0 && !user_range_ok(ubuf, len))
		return (EFAULT);
	chunk = len < IO_CHUNK ? len : IO_CHUNK;
	if (chunk > IO_SMALL) {
		buf = kmalloc(chunk, M_IOBUF, 0);
		if (buf == NULL)
			return (ENOMEM);
	}
	do {
		size_t n = len - total < chunk ? len - total : chunk;

		error = copyin((void *)(ubuf + total), buf, n);
		if (error != 0)
			break;
		if (off < 0)
			error = kern_write(fd, buf, n, &done);
		else
			error = kern_pwrite(fd, buf, n, off + total, &done);
		total += done;
		if (error != 0 || done < n)
			break;
	} while (total < len);
	if (buf != small)
		kfree(buf, M_IOBUF);
	if (error == EPIPE)
		psignal(curproc, SIGPIPE);
	*resp = (int64_t)total;
	return (total > 0 ? 0 : error);
}

int
sys_read(struct sysmsg *m, int64_t *resp)
{
	return (do_read(ufd(m->sm_arg[0]), m->sm_arg[1], m->sm_arg[2], -1,
	    resp));
}

int
sys_write(struct sysmsg *m, int64_t *resp)
{
	return (do_write(ufd(m->sm_arg[0]), m->sm_arg[1], m->sm_arg[2], -1,
	    resp));
}

int
sys_pread(struct sysmsg *m, int64_t *resp)
{
	if ((int64_t)m->sm_arg[3] < 0)
		return (EINVAL);
	return (do_read(ufd(m->sm_arg[0]), m->sm_arg[1], m->sm_arg[2],
	    (off_t)m->sm_arg[3], resp));
}

int
sys_pwrite(struct sysmsg *m, int64_t *resp)
{
	if ((int64_t)m->sm_arg[3] < 0)
		return (EINVAL);
	return (do_write(ufd(m->sm_arg[0]), m->sm_arg[1], m->sm_arg[2],
	    (off_t)m->sm_arg[3], resp));
}

int
sys_lseek(struct sysmsg *m, int64_t *resp)
{
	off_t res = 0;
	int error;

	error = kern_lseek(ufd(m->sm_arg[0]), (off_t)m->sm_arg[1],
	    (int)m->sm_arg[2], &res);
	*resp = res;
	return (error);
}

/* --- descriptors --- */

int
sys_open(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	int fd = -1, error;

	error = upath(m->sm_arg[0], path);
	if (error == 0)
		error = kern_open(path, (int)m->sm_arg[1], (int)m->sm_arg[2],
		    &fd);
	*resp = fd;
	return (error);
}

int
sys_close(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	return (kern_close(ufd(m->sm_arg[0])));
}

int
sys_dup(struct sysmsg *m, int64_t *resp)
{
	int fd = -1, error;

	error = kern_dup(ufd(m->sm_arg[0]), &fd);
	*resp = fd;
	return (error);
}

int
sys_dup2(struct sysmsg *m, int64_t *resp)
{
	int fd = -1, error;

	error = kern_dup2(ufd(m->sm_arg[0]), ufd(m->sm_arg[1]), &fd);
	*resp = fd;
	return (error);
}

int
sys_fcntl(struct sysmsg *m, int64_t *resp)
{
	long res = 0;
	int error;

	error = kern_fcntl(ufd(m->sm_arg[0]), (int)m->sm_arg[1],
	    (long)m->sm_arg[2], &res);
	*resp = res;
	return (error);
}

int
sys_pipe(struct sysmsg *m, int64_t *resp)
{
	int fds[2], error;

	error = kern_pipe(fds, (int)m->sm_arg[0]);
	if (error == 0)
		*resp = (int64_t)((uint64_t)fds[0] | ((uint64_t)fds[1] << 32));
	return (error);
}

/* --- attributes: element lists --- */

/* Fill a user element list (n entries at uel) from st. */
static int
stat_elems(const struct stat *st, uint64_t uel, uint64_t n)
{
	struct sysel el[SYSEL_MAX];
	int error;

	if (n > SYSEL_MAX)
		return (EINVAL);
	error = copyin((void *)uel, el, n * sizeof(el[0]));
	if (error != 0)
		return (error);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v;

		switch (el[i].el_tag) {
		case ST_DEV:	v = st->st_dev; break;
		case ST_INO:	v = st->st_ino; break;
		case ST_MODE:	v = st->st_mode; break;
		case ST_NLINK:	v = st->st_nlink; break;
		case ST_UID:	v = st->st_uid; break;
		case ST_GID:	v = st->st_gid; break;
		case ST_RDEV:	v = st->st_rdev; break;
		case ST_SIZE:	v = (uint64_t)st->st_size; break;
		case ST_BLOCKS:	v = (uint64_t)st->st_blocks; break;
		case ST_BLKSIZE: v = (uint64_t)st->st_blksize; break;
		case ST_ATIME_NS:
			v = (uint64_t)(st->st_atim.tv_sec * 1000000000LL +
			    st->st_atim.tv_nsec);
			break;
		case ST_MTIME_NS:
			v = (uint64_t)(st->st_mtim.tv_sec * 1000000000LL +
			    st->st_mtim.tv_nsec);
			break;
		case ST_CTIME_NS:
			v = (uint64_t)(st->st_ctim.tv_sec * 1000000000LL +
			    st->st_ctim.tv_nsec);
			break;
		default:
			el[i].el_len = 0;	/* unknown: not an error */
			continue;
		}
		el[i].el_val = v;
		el[i].el_len = 8;
	}
	return (copyout(el, (void *)uel, n * sizeof(el[0])));
}

int
sys_stat(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	struct stat st;
	int error;

	if (m->sm_arg[3] & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
		return (EINVAL);
	if (m->sm_arg[2] > SYSEL_MAX)
		return (EINVAL);
	error = upath(m->sm_arg[0], path);
	if (error != 0)
		return (error);
	if (m->sm_arg[3] & AT_SYMLINK_NOFOLLOW)
		error = kern_lstat(path, &st);
	else
		error = kern_stat(path, &st);
	if (error == 0)
		error = stat_elems(&st, m->sm_arg[1], m->sm_arg[2]);
	*resp = 0;
	return (error);
}

int
sys_fstat(struct sysmsg *m, int64_t *resp)
{
	struct stat st;
	int error;

	if (m->sm_arg[2] > SYSEL_MAX)
		return (EINVAL);
	error = kern_fstat(ufd(m->sm_arg[0]), &st);
	if (error == 0)
		error = stat_elems(&st, m->sm_arg[1], m->sm_arg[2]);
	*resp = 0;
	return (error);
}

/* --- names --- */

/* A command taking one path: fn(path). */
static int
one_path(struct sysmsg *m, int (*fn)(const char *), int64_t *resp)
{
	char path[PATH_MAX];
	int error;

	*resp = 0;
	error = upath(m->sm_arg[0], path);
	return (error != 0 ? error : fn(path));
}

/* A command taking two paths: fn(a, b). */
static int
two_paths(struct sysmsg *m, int (*fn)(const char *, const char *),
    int64_t *resp)
{
	char *a;
	int error;

	*resp = 0;
	a = kmalloc(2 * PATH_MAX, M_IOBUF, 0);
	if (a == NULL)
		return (ENOMEM);
	error = upath(m->sm_arg[0], a);
	if (error == 0)
		error = upath(m->sm_arg[1], a + PATH_MAX);
	if (error == 0)
		error = fn(a, a + PATH_MAX);
	kfree(a, M_IOBUF);
	return (error);
}

int
sys_mkdir(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	int error;

	*resp = 0;
	error = upath(m->sm_arg[0], path);
	return (error != 0 ? error : kern_mkdir(path, (int)m->sm_arg[1]));
}

int
sys_chmod(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	int error;

	*resp = 0;
	error = upath(m->sm_arg[0], path);
	return (error != 0 ? error : kern_chmod(path, (int)m->sm_arg[1]));
}

int
sys_rmdir(struct sysmsg *m, int64_t *resp)
{
	return (one_path(m, kern_rmdir, resp));
}

int
sys_unlink(struct sysmsg *m, int64_t *resp)
{
	return (one_path(m, kern_unlink, resp));
}

int
sys_chdir(struct sysmsg *m, int64_t *resp)
{
	return (one_path(m, kern_chdir, resp));
}

int
sys_fchdir(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	return (kern_fchdir(ufd(m->sm_arg[0])));
}

int
sys_rename(struct sysmsg *m, int64_t *resp)
{
	return (two_paths(m, kern_rename, resp));
}

int
sys_link(struct sysmsg *m, int64_t *resp)
{
	return (two_paths(m, kern_link, resp));
}

int
sys_symlink(struct sysmsg *m, int64_t *resp)
{
	return (two_paths(m, kern_symlink, resp));
}

int
sys_truncate(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	int error;

	*resp = 0;
	if ((int64_t)m->sm_arg[1] < 0)
		return (EINVAL);
	error = upath(m->sm_arg[0], path);
	return (error != 0 ? error : kern_truncate(path, (off_t)m->sm_arg[1]));
}

int
sys_ftruncate(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	if ((int64_t)m->sm_arg[1] < 0)
		return (EINVAL);
	return (kern_ftruncate(ufd(m->sm_arg[0]), (off_t)m->sm_arg[1]));
}

/* Commands that fill a user buffer of len bytes from a kernel one. */
static int
bounce_out(uint64_t ubuf, uint64_t len, char **bufp, size_t *lenp)
{
	if (len > IO_CHUNK)
		len = IO_CHUNK;
	if (len == 0 || !user_range_ok(ubuf, len))
		return (len == 0 ? EINVAL : EFAULT);
	*bufp = kmalloc(len, M_IOBUF, 0);
	*lenp = len;
	return (*bufp == NULL ? ENOMEM : 0);
}

int
sys_readlink(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX], *buf;
	size_t len, done = 0;
	int error;

	error = upath(m->sm_arg[0], path);
	if (error == 0)
		error = bounce_out(m->sm_arg[1], m->sm_arg[2], &buf, &len);
	if (error != 0)
		return (error);
	error = kern_readlink(path, buf, len, &done);
	if (error == 0)
		error = copyout(buf, (void *)m->sm_arg[1], done);
	kfree(buf, M_IOBUF);
	*resp = (int64_t)done;
	return (error);
}

int
sys_getdents(struct sysmsg *m, int64_t *resp)
{
	char *buf;
	size_t len, done = 0;
	int error;

	error = bounce_out(m->sm_arg[1], m->sm_arg[2], &buf, &len);
	if (error != 0)
		return (error);
	error = kern_readdir(ufd(m->sm_arg[0]), buf, len, &done);
	if (error == 0)
		error = copyout(buf, (void *)m->sm_arg[1], done);
	kfree(buf, M_IOBUF);
	*resp = (int64_t)done;
	return (error);
}

int
sys_getcwd(struct sysmsg *m, int64_t *resp)
{
	char *buf;
	size_t len;
	int error;

	error = bounce_out(m->sm_arg[0], m->sm_arg[1], &buf, &len);
	if (error != 0)
		return (error);
	error = kern_getcwd(buf, len);
	if (error == 0) {
		len = strlen(buf) + 1;
		error = copyout(buf, (void *)m->sm_arg[0], len);
		*resp = (int64_t)len;
	}
	kfree(buf, M_IOBUF);
	return (error);
}
