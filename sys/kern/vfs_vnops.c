/*
 * Vnode files: the fileops (vnops) of a struct file opened on a vnode.
 *
 * A vnode file holds a referenced vnode (f_vp) and, when it was opened
 * by name, a referenced namecache entry (f_nch: what fchdir and a later
 * getcwd need).  Its operations are thin: read and write go to
 * VOP_READ/VOP_WRITE at the uio's offset, stat turns VOP_GETATTR's
 * struct vattr into a struct stat, and the last close sends VOP_CLOSE
 * and releases the vnode and the entry.  The position is not handled
 * here: the callers of fo_read/fo_write (sys/kern/vfs_syscalls_io.c)
 * load uio_offset from f_offset and store it back under f_offlock, or
 * pass an explicit offset for pread/pwrite.
 *
 * Append: a file opened with O_APPEND writes with IO_APPEND, and the
 * filesystem places the data at the end of the file atomically (no
 * other write lands between finding the end and writing there).  This
 * holds for pwrite too, as on Linux and the BSDs: O_APPEND wins over
 * the explicit offset.
 *
 * Every function may block (VOP messages); thread context only.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/file.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namecache.h>

#define VN_BLKSIZE	4096	/* st_blksize: the preferred I/O size */

static int
vn_read(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_vp;

	KKASSERT(uio->uio_rw == UIO_READ);
	if (vp->v_type == VDIR)
		return (EISDIR);
	return (vop_read(vp, uio, 0));
}

static int
vn_write(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_vp;
	int ioflag = 0;

	KKASSERT(uio->uio_rw == UIO_WRITE);
	if (vp->v_type == VDIR)
		return (EISDIR);
	if ((fp->f_flag & FAPPEND) != 0)
		ioflag |= IO_APPEND;
	return (vop_write(vp, uio, ioflag));
}

static uint32_t
vn_typebits(enum vtype type)
{
	switch (type) {
	case VREG:
		return (S_IFREG);
	case VDIR:
		return (S_IFDIR);
	case VLNK:
		return (S_IFLNK);
	case VCHR:
		return (S_IFCHR);
	case VFIFO:
		return (S_IFIFO);
	default:
		return (0);
	}
}

/*
 * Fill *st from vp's attributes.  st_dev is the id of the vnode's mount,
 * so that (st_dev, st_ino) names a file uniquely; st_blocks counts
 * 512-byte units of storage actually used.  May block.
 */
int
vn_stat(struct vnode *vp, struct stat *st)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	error = vop_getattr(vp, &va);
	if (error != 0)
		return (error);
	memset(st, 0, sizeof(*st));
	st->st_dev = vp->v_mount != NULL ? vp->v_mount->mnt_id : va.va_fsid;
	st->st_ino = va.va_ino;
	st->st_mode = vn_typebits(vp->v_type) | (va.va_mode & ALLPERMS);
	st->st_nlink = va.va_nlink;
	st->st_uid = va.va_uid;
	st->st_gid = va.va_gid;
	st->st_rdev = va.va_rdev;
	st->st_size = (int64_t)va.va_size;
	st->st_blocks = (int64_t)howmany(va.va_bytes, 512);
	st->st_blksize = VN_BLKSIZE;
	st->st_atim = va.va_atime;
	st->st_mtim = va.va_mtime;
	st->st_ctim = va.va_ctime;
	return (0);
}

static int
vn_statfile(struct file *fp, struct stat *st)
{
	return (vn_stat(fp->f_vp, st));
}

/*
 * The last reference to the file is gone: tell the filesystem
 * (VOP_CLOSE with the open's mode), then release the vnode (possibly its
 * last reference: an unlinked file's storage is freed here) and the
 * namecache entry.  Returns VOP_CLOSE's result, which fdrop ignores: the
 * file is gone either way.
 */
static int
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_vp;
	struct namecache *ncp = fp->f_nch;
	int error;

	fp->f_vp = NULL;
	fp->f_nch = NULL;
	error = vop_close(vp, fp->f_flag & (FREAD | FWRITE | FAPPEND));
	vrele(vp);
	if (ncp != NULL)
		cache_drop(ncp);
	return (error);
}

const struct fileops vnops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_stat = vn_statfile,
	.fo_close = vn_close,
};
