/*
 * The in-kernel file API, by descriptor: read, write, pread, pwrite,
 * lseek, fstat, readdir, ftruncate.  (Calls by name are in
 * vfs_syscalls.c; descriptor tables in kern_descrip.c.)
 *
 * Each call takes its own reference on the file (fget) for its whole
 * duration, so a close from another thread of the process only removes
 * the descriptor: the operation finishes on the file, and the file is
 * released by whichever of the two drops the last reference.
 *
 * The position.  f_offset is read and written only under f_offlock, a
 * sleep lock held across the whole VOP, so that two reads (or writes)
 * through descriptors sharing one file never use the same offset: each
 * one's bytes follow the other's, as POSIX wants for regular files.
 * pread and pwrite take an explicit offset and neither read nor move
 * f_offset, so they do not take the lock.  Offsets are 64-bit; an
 * operation whose end would pass the largest off_t fails with EINVAL
 * before anything moves (as Linux does).
 *
 * A write that moved some bytes before failing (ENOSPC, EFBIG) reports
 * the bytes and success; the next write reports the error.
 *
 * All functions may block; thread context only.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/kern_syscall.h>

#define OFF_MAX		INT64_MAX
#define IOSIZE_MAX	((size_t)INT64_MAX)	/* largest transfer (ssize_t) */

/*
 * Move len bytes between buf and fp in direction rw, at the file
 * position (off < 0) or at off.  *donep gets the bytes moved.
 */
static bool fio_positioned(struct file *fp);

static int
fio_rw(struct file *fp, void *buf, size_t len, off_t off, enum uio_rw rw,
    size_t *donep)
{
	bool atpos = off < 0 && fio_positioned(fp);
	struct uio uio;
	int error;

	*donep = 0;
	if (len > IOSIZE_MAX)
		return (EINVAL);
	uio.uio_buf = buf;
	uio.uio_resid = len;
	uio.uio_rw = rw;
	if (atpos) {
		klock_acquire(&fp->f_offlock);
		off = fp->f_offset;
	} else if (off < 0) {
		off = 0;		/* no position: a pipe or a device */
	}
	uio.uio_offset = off;
	if (off > OFF_MAX - (off_t)len) {
		error = EINVAL;
	} else if (rw == UIO_READ) {
		error = fp->f_ops->fo_read(fp, &uio);
	} else {
		error = fp->f_ops->fo_write(fp, &uio);
	}
	*donep = len - uio.uio_resid;
	if (atpos) {
		if (*donep != 0)
			fp->f_offset = uio.uio_offset;
		klock_release(&fp->f_offlock);
	}
	if (error != 0 && *donep != 0 && rw == UIO_WRITE)
		error = 0;
	return (error);
}

/* fget for reading (FREAD) or writing (FWRITE): EBADF otherwise. */
static int
fio_get(int fd, int need, struct file **fpp)
{
	int error;

	error = fget(curproc, fd, fpp);
	if (error != 0)
		return (error);
	if (((*fpp)->f_flag & need) != need) {
		fdrop(*fpp);
		*fpp = NULL;
		return (EBADF);
	}
	return (0);
}

/* Non-seekable objects (FIFOs) have no position: ESPIPE. */
static bool
fio_seekable(struct file *fp)
{
	return (fp->f_type == DTYPE_VNODE && fp->f_vp->v_type != VFIFO);
}

/*
 * Whether read/write at the file position takes f_offlock: only for
 * files whose position means something.  Pipes and character devices
 * (the console) block for as long as they like, and a thread waiting on
 * f_offlock behind them could not be interrupted.
 */
static bool
fio_positioned(struct file *fp)
{
	return (fio_seekable(fp) && fp->f_vp->v_type != VCHR);
}

int
kern_read(int fd, void *buf, size_t len, size_t *donep)
{
	struct file *fp;
	int error;

	*donep = 0;
	error = fio_get(fd, FREAD, &fp);
	if (error != 0)
		return (error);
	error = fio_rw(fp, buf, len, -1, UIO_READ, donep);
	fdrop(fp);
	return (error);
}

int
kern_write(int fd, const void *buf, size_t len, size_t *donep)
{
	struct file *fp;
	int error;

	*donep = 0;
	error = fio_get(fd, FWRITE, &fp);
	if (error != 0)
		return (error);
	error = fio_rw(fp, (void *)(uintptr_t)buf, len, -1, UIO_WRITE, donep);
	fdrop(fp);
	return (error);
}

/*
 * pread and pwrite: fio_rw at off on a file open for need (FREAD or
 * FWRITE).  EINVAL for a negative offset, ESPIPE where there is no
 * position.
 */
static int
fio_prw(int fd, int need, void *buf, size_t len, off_t off, enum uio_rw rw,
    size_t *donep)
{
	struct file *fp;
	int error;

	*donep = 0;
	error = fio_get(fd, need, &fp);
	if (error != 0)
		return (error);
	if (!fio_seekable(fp))
		error = ESPIPE;
	else if (off < 0)
		error = EINVAL;
	else
		error = fio_rw(fp, buf, len, off, rw, donep);
	fdrop(fp);
	return (error);
}

/* EINVAL for a negative offset, ESPIPE where there is no position. */
int
kern_pread(int fd, void *buf, size_t len, off_t off, size_t *donep)
{
	return (fio_prw(fd, FREAD, buf, len, off, UIO_READ, donep));
}

/*
 * As kern_pread.  On a file opened with O_APPEND the data still goes to
 * the end (Linux and BSD behaviour; see vfs_vnops.c).
 */
int
kern_pwrite(int fd, const void *buf, size_t len, off_t off, size_t *donep)
{
	return (fio_prw(fd, FWRITE, (void *)(uintptr_t)buf, len, off,
	    UIO_WRITE, donep));
}

/*
 * Move the position: SEEK_SET, SEEK_CUR, SEEK_END (from the size, read
 * under f_offlock).  EINVAL for another whence or a result that is
 * negative or does not fit in off_t; the position is then unchanged.
 * Seeking past the end is allowed (a later write leaves a hole).
 */
int
kern_lseek(int fd, off_t off, int whence, off_t *resp)
{
	struct file *fp;
	struct vattr va;
	off_t base, pos;
	int error;

	*resp = -1;
	error = fget(curproc, fd, &fp);
	if (error != 0)
		return (error);
	if (!fio_seekable(fp)) {
		fdrop(fp);
		return (ESPIPE);
	}
	klock_acquire(&fp->f_offlock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
		memset(&va, 0, sizeof(va));
		error = vop_getattr(fp->f_vp, &va);
		base = va.va_size > (uint64_t)OFF_MAX ? OFF_MAX :
		    (off_t)va.va_size;
		break;
	default:
		error = EINVAL;
		break;
	}
	if (error == 0 && (__builtin_add_overflow(base, off, &pos) || pos < 0))
		error = EINVAL;
	if (error == 0) {
		fp->f_offset = pos;
		*resp = pos;
	}
	klock_release(&fp->f_offlock);
	fdrop(fp);
	return (error);
}

int
kern_fstat(int fd, struct stat *st)
{
	struct file *fp;
	int error;

	error = fget(curproc, fd, &fp);
	if (error != 0)
		return (error);
	error = fp->f_ops->fo_stat(fp, st);
	fdrop(fp);
	return (error);
}

/*
 * struct dirent records from the directory's position, which is the
 * filesystem's cookie (whole records only: EINVAL if the buffer cannot
 * hold the next one).  0 bytes at the end.  ENOTDIR, EBADF.
 */
int
kern_readdir(int fd, void *buf, size_t len, size_t *donep)
{
	struct file *fp;
	struct uio uio;
	int error, eof = 0;

	*donep = 0;
	error = fio_get(fd, FREAD, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE || fp->f_vp->v_type != VDIR) {
		fdrop(fp);
		return (ENOTDIR);
	}
	if (len > IOSIZE_MAX) {
		fdrop(fp);
		return (EINVAL);
	}
	uio.uio_buf = buf;
	uio.uio_resid = len;
	uio.uio_rw = UIO_READ;
	klock_acquire(&fp->f_offlock);
	uio.uio_offset = fp->f_offset;
	error = vop_readdir(fp->f_vp, &uio, &eof);
	*donep = len - uio.uio_resid;
	if (error == 0)
		fp->f_offset = uio.uio_offset;
	klock_release(&fp->f_offlock);
	fdrop(fp);
	return (error);
}

/*
 * Set the size of the regular file open on fd.  EINVAL for a negative
 * length, a descriptor not open for writing or a file that is not
 * regular (POSIX allows EBADF or EINVAL; Linux says EINVAL).
 */
int
kern_ftruncate(int fd, off_t len)
{
	struct file *fp;
	struct vattr va;
	int error;

	if (len < 0)
		return (EINVAL);
	error = fget(curproc, fd, &fp);
	if (error != 0)
		return (error);
	if ((fp->f_flag & FWRITE) == 0 || fp->f_type != DTYPE_VNODE ||
	    fp->f_vp->v_type != VREG) {
		error = EINVAL;
	} else {
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_SIZE;
		va.va_size = (uint64_t)len;
		error = vop_setattr(fp->f_vp, &va);
	}
	fdrop(fp);
	return (error);
}
