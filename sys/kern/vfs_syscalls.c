/*
 * The in-kernel file API, by name: open, stat, the namespace operations
 * (mkdir, unlink, rmdir, rename, link, symlink), readlink, truncate,
 * chdir/fchdir/getcwd, chmod/chown.  Operations on descriptors (read,
 * write, lseek, fstat, readdir, ftruncate) are in vfs_syscalls_io.c.
 *
 * Every call acts for curproc (proc0 for kernel threads): its current
 * and root directory start the lookup (nlookup), its credentials decide
 * permissions (vaccess), its table receives new descriptors.  Paths and
 * buffers are kernel memory; the system-call layer has copied them in.
 *
 * Shape of a namespace operation:
 *   1. nlookup the name: the entry comes back referenced and locked,
 *	with the parent directory's vnode referenced (nl_dvp) for
 *	NLC_CREATE / NLC_DELETE / NLC_RENAME.  Holding the entry's lock
 *	serializes every namespace operation on that name: no other
 *	create, remove or resolve of it can interleave.
 *   2. Check everything (type, permission on the directory, sticky bit,
 *	mount points) before changing anything.
 *   3. Send the VOP (the filesystem does the change atomically or not at
 *	all), then bring the entry up to date: cache_setvp(ncp, vp) after a
 *	create or link (the reference on vp moves into the entry),
 *	cache_setvp(ncp, NULL) after a remove (the name is known not to
 *	exist: a negative entry), cache_rename after a rename.
 *   4. nlookup_done releases the entry and the directory.
 *
 * Rename needs two entries locked at once; the rules of vfs_cache.c
 * (rule 2) say how: look both up, unlock them (keeping references), take
 * the mount's mnt_renlock, lock them in address order, and revalidate
 * (the world may have changed while nothing was locked).  See
 * kern_rename.
 *
 * Errors follow POSIX, and Linux where POSIX leaves a choice (unlink of a
 * directory is EISDIR, a trailing slash on a name that does not exist is
 * ENOENT for link and symlink, EISDIR for open with O_CREAT).
 *
 * All functions may block; thread context only, no spin lock held.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>

#define IOSIZE_MAX	((size_t)INT64_MAX)	/* largest transfer (ssize_t) */

/* --- helpers --- */

static inline const struct ucred *
vfs_cred(void)
{
	return (&curproc->p_cred);
}

/* nlookup_init + nlookup; the caller always calls nlookup_done. */
static int
vfs_lookup(struct nlookupdata *nd, const char *path, int flags)
{
	int error;

	error = nlookup_init(nd, path, flags);
	if (error == 0)
		error = nlookup(nd);
	return (error);
}

/*
 * The referenced vnode path names (following a final symlink unless
 * nofollow).  A trailing slash requires a directory (ENOTDIR).
 */
static int
vfs_lookup_vp(const char *path, bool nofollow, struct vnode **vpp)
{
	struct nlookupdata nd;
	struct vnode *vp = NULL;
	int error;

	error = vfs_lookup(&nd, path, nofollow ? 0 : NLC_FOLLOW);
	if (error == 0) {
		vp = cache_vref(nd.nl_nch);
		if (vp == NULL)
			error = ENOENT;
		else if ((nd.nl_flags & NLC_TRAILSLASH) != 0 &&
		    vp->v_type != VDIR)
			error = ENOTDIR;
	}
	nlookup_done(&nd);
	if (error != 0 && vp != NULL) {
		vrele(vp);
		vp = NULL;
	}
	*vpp = vp;
	return (error);
}

/* May cred add or remove names in directory dvp?  EACCES if not. */
static int
vfs_dirwrite(struct vnode *dvp, const struct ucred *cred)
{
	if (dvp == NULL)
		return (ENOENT);
	if (dvp->v_type != VDIR)
		return (ENOTDIR);
	return (vaccess(dvp, VWRITE | VEXEC, cred));
}

/*
 * Sticky directories: in a directory with S_ISVTX, only the owner of the
 * file, the owner of the directory or uid 0 may remove or rename a name.
 * EPERM otherwise.
 */
static int
vfs_sticky(struct vnode *dvp, struct vnode *vp, const struct ucred *cred)
{
	if ((dvp->v_mode & S_ISVTX) == 0 || cred->cr_uid == 0 ||
	    cred->cr_uid == dvp->v_uid || cred->cr_uid == vp->v_uid)
		return (0);
	return (EPERM);
}

/* Is a mount on ncp, or is ncp the root of a mount? */
static bool
vfs_ismountpt(struct namecache *ncp)
{
	return ((ncp->nc_flag & NCF_MOUNTROOT) != 0 ||
	    ncp->nc_mountedhere != NULL);
}

/* Does the last component of path (trailing slashes aside) read . or ..? */
static bool
vfs_lastisdot(const char *path)
{
	size_t end = strnlen(path, PATH_MAX), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end - start == 1)
		return (path[start] == '.');
	if (end - start == 2)
		return (path[start] == '.' && path[start + 1] == '.');
	return (false);
}

/*
 * Create the name nd's lookup left negative: a file of type type in
 * nl_dvp, owned by the caller, permissions mode (symlinks: target).  On
 * success the entry is positive and *vpp is a second reference for the
 * caller.  Needs write and search permission on the directory.
 */
static int
vfs_ncreate(struct nlookupdata *nd, enum vtype type, int mode,
    const char *target, struct vnode **vpp)
{
	const struct ucred *cred = vfs_cred();
	struct namecache *ncp = nd->nl_nch;
	struct vnode *vp;
	struct vattr va;
	int error;

	*vpp = NULL;
	error = vfs_dirwrite(nd->nl_dvp, cred);
	if (error != 0)
		return (error);
	memset(&va, 0, sizeof(va));
	va.va_type = type;
	va.va_mode = (uint32_t)mode & ~S_IFMT & ALLPERMS;
	va.va_uid = cred->cr_uid;
	va.va_gid = cred->cr_gid;
	va.va_mask = VA_MODE | VA_UID | VA_GID;
	error = vop_ncreate(nd->nl_dvp, ncp->nc_name, ncp->nc_nlen, &va,
	    target, &vp);
	if (error != 0)
		return (error);
	vref(vp);
	cache_setvp(ncp, vp);
	*vpp = vp;
	return (0);
}

/* --- open --- */

/* f_flag for open flags. */
static int
vfs_openflags(int flags)
{
	int fflags = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		fflags = FREAD;
		break;
	case O_WRONLY:
		fflags = FWRITE;
		break;
	case O_RDWR:
		fflags = FREAD | FWRITE;
		break;
	}
	return (fflags | (flags & (FAPPEND | FNONBLOCK)));
}

/*
 * May an existing vnode be opened with these flags?  Symlinks reach here
 * only when they were not to be followed (ELOOP); directories only for
 * reading (EISDIR, as is O_CREAT or O_TRUNC on one); then the
 * permission check for the access mode.
 */
static int
vfs_opencheck(struct vnode *vp, int flags, int fflags, bool trailslash)
{
	int acc = 0;

	if (vp->v_type == VLNK)
		return (ELOOP);
	if (vp->v_type != VDIR && ((flags & O_DIRECTORY) != 0 || trailslash))
		return (ENOTDIR);
	if (vp->v_type == VDIR && ((fflags & FWRITE) != 0 ||
	    (flags & (O_CREAT | O_TRUNC)) != 0))
		return (EISDIR);
	if ((fflags & FREAD) != 0)
		acc |= VREAD;
	if ((fflags & FWRITE) != 0)
		acc |= VWRITE;
	return (vaccess(vp, acc, vfs_cred()));
}

/*
 * O_CREAT on a negative entry: create a regular file (*createdp true).
 * If the name was created meanwhile through another namespace showing
 * this directory (nullfs), the entry is resolved again and, without
 * O_EXCL, that file is opened instead (*createdp false).
 */
static int
vfs_opencreate(struct nlookupdata *nd, int flags, int mode,
    struct vnode **vpp, bool *createdp)
{
	struct namecache *ncp = nd->nl_nch;
	int error;

	*createdp = false;
	if ((flags & O_CREAT) == 0)
		return (ENOENT);	/* only NLC_CREATE returns negatives */
	if ((nd->nl_flags & NLC_TRAILSLASH) != 0)
		return (EISDIR);
	error = vfs_ncreate(nd, VREG, mode, NULL, vpp);
	if (error == 0) {
		*createdp = true;
		return (0);
	}
	if (error != EEXIST || (flags & O_EXCL) != 0)
		return (error);
	cache_setunresolved(ncp);
	error = cache_resolve(ncp);
	if (error != 0)
		return (error);
	*vpp = cache_vref(ncp);
	return (*vpp != NULL ? 0 : ENOENT);
}

/*
 * The vnode part of an open: create or check, truncate, VOP_OPEN.  nd
 * holds the looked-up entry, locked.  On success *vpp is a referenced,
 * opened vnode.
 */
static int
vfs_openvp(struct nlookupdata *nd, int flags, int fflags, int mode,
    struct vnode **vpp)
{
	bool trailslash = (nd->nl_flags & NLC_TRAILSLASH) != 0;
	bool created = false;
	struct vnode *vp;
	struct vattr va;
	int error = 0;

	*vpp = NULL;
	vp = cache_vref(nd->nl_nch);
	if (vp == NULL) {
		error = vfs_opencreate(nd, flags, mode, &vp, &created);
		if (error != 0)
			return (error);
	} else if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		error = EEXIST;
	}
	if (error == 0 && !created)
		error = vfs_opencheck(vp, flags, fflags, trailslash);
	if (error == 0 && !created && (flags & O_TRUNC) != 0 &&
	    (fflags & FWRITE) != 0 && vp->v_type == VREG) {
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_SIZE;
		va.va_size = 0;
		error = vop_setattr(vp, &va);
	}
	if (error == 0)
		error = vop_open(vp, fflags);
	if (error != 0) {
		vrele(vp);
		return (error);
	}
	*vpp = vp;
	return (0);
}

/*
 * Open path; *fdp gets the lowest free descriptor.  The descriptor is
 * reserved and the file allocated first, so that EMFILE or ENOMEM leave
 * no created file behind.  O_CREAT|O_EXCL never follows a final symlink
 * (EEXIST if the name exists in any form); O_NOFOLLOW fails with ELOOP
 * on one.  A new file gets mode & ALLPERMS and the caller's uid and gid;
 * opening it may then be done in any access mode, whatever mode says.
 */
int
kern_open(const char *path, int flags, int mode, int *fdp)
{
	struct proc *p = curproc;
	struct nlookupdata nd;
	struct vnode *vp = NULL;
	struct file *fp;
	int error, fd, fflags, lflags;

	*fdp = -1;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return (EINVAL);
	fflags = vfs_openflags(flags);
	fp = falloc();
	if (fp == NULL)
		return (ENOMEM);
	error = fdreserve(p, &fd);
	if (error != 0) {
		fdrop(fp);
		return (error);
	}
	lflags = 0;
	if ((flags & O_CREAT) != 0)
		lflags |= NLC_CREATE;
	if ((flags & O_NOFOLLOW) == 0 &&
	    (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		lflags |= NLC_FOLLOW;
	error = vfs_lookup(&nd, path, lflags);
	if (error == 0)
		error = vfs_openvp(&nd, flags, fflags, mode, &vp);
	if (error == 0) {
		fp->f_type = DTYPE_VNODE;
		fp->f_flag = fflags;
		fp->f_vp = vp;
		fp->f_nch = cache_hold(nd.nl_nch);
		fp->f_offset = 0;
		fp->f_ops = &vnops;
	}
	nlookup_done(&nd);
	if (error != 0) {
		fdunreserve(p, fd);
		fdrop(fp);
		return (error);
	}
	fdinstall(p, fd, fp, (flags & O_CLOEXEC) != 0 ? UF_EXCLOSE : 0);
	*fdp = fd;
	return (0);
}

/* --- attributes --- */

int
kern_stat(const char *path, struct stat *st)
{
	struct vnode *vp;
	int error;

	error = vfs_lookup_vp(path, false, &vp);
	if (error != 0)
		return (error);
	error = vn_stat(vp, st);
	vrele(vp);
	return (error);
}

int
kern_lstat(const char *path, struct stat *st)
{
	struct vnode *vp;
	int error;

	error = vfs_lookup_vp(path, true, &vp);
	if (error != 0)
		return (error);
	error = vn_stat(vp, st);
	vrele(vp);
	return (error);
}

/* Only the owner and uid 0 may change a file's attributes (EPERM). */
static int
vfs_owner(struct vnode *vp, const struct ucred *cred)
{
	if (cred->cr_uid == 0 || cred->cr_uid == vp->v_uid)
		return (0);
	return (EPERM);
}

/*
 * Set the permission bits (mode & ALLPERMS).  Owner or uid 0; a non-root
 * owner who is not in the file's group cannot set S_ISGID (it is
 * silently dropped, as POSIX allows).
 */
int
kern_chmod(const char *path, int mode)
{
	const struct ucred *cred = vfs_cred();
	struct vnode *vp;
	struct vattr va;
	int error;

	error = vfs_lookup_vp(path, false, &vp);
	if (error != 0)
		return (error);
	error = vfs_owner(vp, cred);
	if (error == 0) {
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_MODE;
		va.va_mode = (uint32_t)mode & ALLPERMS;
		if (cred->cr_uid != 0 && cred->cr_gid != vp->v_gid)
			va.va_mode &= ~S_ISGID;
		error = vop_setattr(vp, &va);
	}
	vrele(vp);
	return (error);
}

/*
 * Change owner and group; -1 leaves one unchanged.  uid 0 may do
 * anything; the owner may only change the group, to its own group.
 * A regular file loses S_ISUID (and S_ISGID when group-executable) when
 * its ownership changes.
 */
int
kern_chown(const char *path, int uid, int gid)
{
	const struct ucred *cred = vfs_cred();
	struct vnode *vp;
	struct vattr va;
	uint32_t mode;
	int error;

	error = vfs_lookup_vp(path, false, &vp);
	if (error != 0)
		return (error);
	memset(&va, 0, sizeof(va));
	if (uid != -1) {
		va.va_mask |= VA_UID;
		va.va_uid = (uint32_t)uid;
	}
	if (gid != -1) {
		va.va_mask |= VA_GID;
		va.va_gid = (uint32_t)gid;
	}
	error = vfs_owner(vp, cred);
	if (error == 0 && cred->cr_uid != 0 &&
	    (((va.va_mask & VA_UID) != 0 && va.va_uid != vp->v_uid) ||
	    ((va.va_mask & VA_GID) != 0 && va.va_gid != vp->v_gid &&
	    va.va_gid != cred->cr_gid)))
		error = EPERM;
	if (error == 0 && va.va_mask != 0) {
		mode = vp->v_mode;
		if (vp->v_type == VREG && (mode & (S_ISUID | S_ISGID)) != 0) {
			mode &= ~S_ISUID;
			if ((mode & 0010) != 0)
				mode &= ~S_ISGID;
			va.va_mask |= VA_MODE;
			va.va_mode = mode & ALLPERMS;
		}
		error = vop_setattr(vp, &va);
	}
	vrele(vp);
	return (error);
}

/*
 * Set a regular file's size (EISDIR for a directory, EINVAL for other
 * types or a negative length); needs write permission.
 */
int
kern_truncate(const char *path, off_t len)
{
	struct vnode *vp;
	struct vattr va;
	int error;

	if (len < 0)
		return (EINVAL);
	error = vfs_lookup_vp(path, false, &vp);
	if (error != 0)
		return (error);
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_type != VREG)
		error = EINVAL;
	else
		error = vaccess(vp, VWRITE, vfs_cred());
	if (error == 0) {
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_SIZE;
		va.va_size = (uint64_t)len;
		error = vop_setattr(vp, &va);
	}
	vrele(vp);
	return (error);
}

/*
 * Copy at most len bytes of the symlink's target (no NUL is added);
 * *donep says how many.  EINVAL if path is not a symlink or len is 0.
 */
int
kern_readlink(const char *path, char *buf, size_t len, size_t *donep)
{
	struct vnode *vp;
	struct uio uio;
	int error;

	*donep = 0;
	if (len == 0 || len > IOSIZE_MAX)
		return (EINVAL);
	error = vfs_lookup_vp(path, true, &vp);
	if (error != 0)
		return (error);
	if (vp->v_type != VLNK) {
		vrele(vp);
		return (EINVAL);
	}
	uio.uio_buf = buf;
	uio.uio_resid = len;
	uio.uio_offset = 0;
	uio.uio_rw = UIO_READ;
	error = vop_readlink(vp, &uio);
	*donep = len - uio.uio_resid;
	vrele(vp);
	return (error);
}

/* --- creating names --- */

/* A new directory; a trailing slash is fine; EEXIST in any other case. */
int
kern_mkdir(const char *path, int mode)
{
	struct nlookupdata nd;
	struct vnode *vp;
	int error;

	error = vfs_lookup(&nd, path, NLC_CREATE);
	if (error == 0) {
		if (nd.nl_nch->nc_vp != NULL)
			error = EEXIST;
		else
			error = vfs_ncreate(&nd, VDIR, mode, NULL, &vp);
		if (error == 0)
			vrele(vp);
	}
	nlookup_done(&nd);
	return (error);
}

/*
 * A symlink at path to target (stored as given, not resolved).
 * ENAMETOOLONG if target does not fit in PATH_MAX, ENOENT if it is
 * empty, EEXIST if path exists (even as a dangling symlink).
 */
int
kern_symlink(const char *target, const char *path)
{
	struct nlookupdata nd;
	struct vnode *vp;
	size_t tlen;
	int error;

	tlen = strnlen(target, PATH_MAX);
	if (tlen >= PATH_MAX)
		return (ENAMETOOLONG);
	if (tlen == 0)
		return (ENOENT);
	error = vfs_lookup(&nd, path, NLC_CREATE);
	if (error == 0) {
		if (nd.nl_nch->nc_vp != NULL)
			error = EEXIST;
		else if ((nd.nl_flags & NLC_TRAILSLASH) != 0)
			error = ENOENT;
		else
			error = vfs_ncreate(&nd, VLNK, ALLPERMS & 0777, target,
			    &vp);
		if (error == 0)
			vrele(vp);
	}
	nlookup_done(&nd);
	return (error);
}

/*
 * A new name to for the file from names (a final symlink in from is not
 * followed: the link names the symlink).  EPERM for a directory, EXDEV
 * across mounts, EEXIST if to exists.
 */
int
kern_link(const char *from, const char *to)
{
	struct nlookupdata nd;
	struct namecache *ncp;
	struct vnode *vp;
	int error;

	error = vfs_lookup_vp(from, true, &vp);
	if (error != 0)
		return (error);
	if (vp->v_type == VDIR) {
		vrele(vp);
		return (EPERM);
	}
	error = vfs_lookup(&nd, to, NLC_CREATE);
	if (error == 0) {
		ncp = nd.nl_nch;
		if (ncp->nc_vp != NULL)
			error = EEXIST;
		else if ((nd.nl_flags & NLC_TRAILSLASH) != 0)
			error = ENOENT;
		else
			error = vfs_dirwrite(nd.nl_dvp, vfs_cred());
		if (error == 0 && nd.nl_dvp->v_mount != vp->v_mount)
			error = EXDEV;
		if (error == 0)
			error = vop_nlink(nd.nl_dvp, ncp->nc_name,
			    ncp->nc_nlen, vp);
		if (error == 0) {
			vref(vp);
			cache_setvp(ncp, vp);
		}
	}
	nlookup_done(&nd);
	vrele(vp);
	return (error);
}

/* --- removing names --- */

/*
 * The common checks of unlink and rmdir on a locked, positive entry:
 * write permission on the directory and the sticky rule.
 */
static int
vfs_removecheck(struct nlookupdata *nd, struct vnode *vp)
{
	const struct ucred *cred = vfs_cred();
	int error;

	error = vfs_dirwrite(nd->nl_dvp, cred);
	if (error == 0)
		error = vfs_sticky(nd->nl_dvp, vp, cred);
	return (error);
}

/*
 * Remove a name that is not a directory (EISDIR for one).  An open file
 * stays usable through its descriptors; its storage goes with the last
 * reference.  The entry becomes negative.
 */
int
kern_unlink(const char *path)
{
	struct nlookupdata nd;
	struct namecache *ncp;
	struct vnode *vp = NULL;
	int error;

	error = vfs_lookup(&nd, path, NLC_DELETE);
	if (error == 0) {
		ncp = nd.nl_nch;
		vp = cache_vref(ncp);
		if (vp == NULL)
			error = ENOENT;
		else if (vp->v_type == VDIR)
			error = EISDIR;
		else
			error = vfs_removecheck(&nd, vp);
		if (error == 0)
			error = vop_nremove(nd.nl_dvp, ncp->nc_name,
			    ncp->nc_nlen, vp);
		if (error == 0)
			cache_setvp(ncp, NULL);
	}
	nlookup_done(&nd);
	if (vp != NULL)
		vrele(vp);
	return (error);
}

/*
 * Remove an empty directory: ENOTDIR, EBUSY if something is mounted on
 * it or it is the root of a mount, ENOTEMPTY (the filesystem's check).
 * Its cached children are dropped and its entry becomes negative.
 */
int
kern_rmdir(const char *path)
{
	struct nlookupdata nd;
	struct namecache *ncp;
	struct vnode *vp = NULL;
	int error;

	error = vfs_lookup(&nd, path, NLC_DELETE);
	if (error == 0) {
		ncp = nd.nl_nch;
		vp = cache_vref(ncp);
		if (vp == NULL)
			error = ENOENT;
		else if (vp->v_type != VDIR)
			error = ENOTDIR;
		else if (vfs_ismountpt(ncp) || (vp->v_flag & VF_ROOT) != 0)
			error = EBUSY;
		else
			error = vfs_removecheck(&nd, vp);
		if (error == 0)
			error = vop_nrmdir(nd.nl_dvp, ncp->nc_name,
			    ncp->nc_nlen, vp);
		if (error == 0) {
			cache_purge_children(ncp);
			cache_setvp(ncp, NULL);
		}
	}
	nlookup_done(&nd);
	if (vp != NULL)
		vrele(vp);
	return (error);
}

/* --- rename --- */

/*
 * One side of a rename: the entry path names, referenced but unlocked,
 * and whether the path ended in '/'.
 */
static int
vfs_rename_lookup(const char *path, int flags, struct namecache **ncpp,
    bool *trailp)
{
	struct nlookupdata nd;
	int error;

	*ncpp = NULL;
	error = vfs_lookup(&nd, path, flags);
	if (error == 0) {
		*ncpp = cache_hold(nd.nl_nch);
		*trailp = (nd.nl_flags & NLC_TRAILSLASH) != 0;
	}
	nlookup_done(&nd);
	return (error);
}

/*
 * Internal results of the locked part of a rename (never returned by
 * kern_rename): nothing to do, or look both names up again.
 */
#define VFS_RENAME_NOOP		(-1)
#define VFS_RENAME_RETRY	(-2)
#define VFS_RENAME_TRIES	8	/* lookups before giving up (ENOENT) */

/* The vnodes a rename works on, referenced (NULL where absent). */
struct vfs_renamevp {
	struct vnode	*fdvp, *fvp, *tdvp, *tvp;
};

static void
vfs_rename_release(struct vfs_renamevp *rv)
{
	if (rv->tvp != NULL)
		vrele(rv->tvp);
	if (rv->tdvp != NULL)
		vrele(rv->tdvp);
	if (rv->fvp != NULL)
		vrele(rv->fvp);
	if (rv->fdvp != NULL)
		vrele(rv->fdvp);
}

/*
 * Bring both entries up to date and take references on the four vnodes.
 * The source must still be positive (ENOENT); the target is resolved
 * again if it went unresolved while nothing was locked.  An entry that
 * was destroyed meanwhile (another rename replaced that name) asks for
 * a new lookup (VFS_RENAME_RETRY).  Both entries locked, rename lock
 * held.
 */
static int
vfs_rename_revalidate(struct namecache *fncp, struct namecache *tncp,
    struct vfs_renamevp *rv)
{
	int error;

	if ((fncp->nc_flag & NCF_DESTROYED) != 0 ||
	    (tncp->nc_flag & NCF_DESTROYED) != 0)
		return (VFS_RENAME_RETRY);
	error = cache_resolve(fncp);
	if (error != 0)
		return (error);
	error = cache_resolve(tncp);
	if (error != 0 && error != ENOENT)
		return (error);
	if (vfs_ismountpt(fncp) || vfs_ismountpt(tncp))
		return (EBUSY);
	rv->fvp = cache_vref(fncp);
	rv->tvp = cache_vref(tncp);
	rv->fdvp = cache_vref(fncp->nc_parent);
	rv->tdvp = cache_vref(tncp->nc_parent);
	if (rv->fvp == NULL || rv->fdvp == NULL || rv->tdvp == NULL)
		return (ENOENT);
	return (0);
}

/*
 * The checks of rename on revalidated entries.  Returns VFS_RENAME_NOOP
 * when there is nothing to do (both names are the same file), else 0 or
 * an errno.
 */
static int
vfs_rename_check(struct namecache *fncp, struct namecache *tncp,
    struct vfs_renamevp *rv, bool trailing)
{
	const struct ucred *cred = vfs_cred();
	struct vnode *fvp = rv->fvp, *tvp = rv->tvp;
	int error;

	if (fvp == tvp)
		return (VFS_RENAME_NOOP);
	if (fvp->v_type == VDIR) {
		if (tvp != NULL && tvp->v_type != VDIR)
			return (ENOTDIR);
		if (cache_is_ancestor(fncp, tncp->nc_parent))
			return (EINVAL);
	} else {
		if (trailing)
			return (ENOTDIR);
		if (tvp != NULL && tvp->v_type == VDIR)
			return (EISDIR);
	}
	error = vfs_dirwrite(rv->fdvp, cred);
	if (error == 0)
		error = vfs_dirwrite(rv->tdvp, cred);
	if (error == 0)
		error = vfs_sticky(rv->fdvp, fvp, cred);
	if (error == 0 && tvp != NULL)
		error = vfs_sticky(rv->tdvp, tvp, cred);
	/* A directory that changes parents has its ".." rewritten. */
	if (error == 0 && fvp->v_type == VDIR && rv->fdvp != rv->tdvp)
		error = vaccess(fvp, VWRITE, cred);
	return (error);
}

/*
 * The locked part of a rename: revalidate, check, rename in the
 * filesystem, then in the namecache.  0, an errno or VFS_RENAME_RETRY.
 */
static int
vfs_rename_locked(struct namecache *fncp, struct namecache *tncp,
    bool trailing)
{
	struct vfs_renamevp rv = { NULL, NULL, NULL, NULL };
	int error;

	error = vfs_rename_revalidate(fncp, tncp, &rv);
	if (error == 0)
		error = vfs_rename_check(fncp, tncp, &rv, trailing);
	if (error == 0) {
		error = vop_nrename(rv.fdvp, fncp->nc_name, fncp->nc_nlen,
		    rv.fvp, rv.tdvp, tncp->nc_name, tncp->nc_nlen, rv.tvp);
		if (error == 0)
			cache_rename(fncp, tncp);
	}
	vfs_rename_release(&rv);
	return (error == VFS_RENAME_NOOP ? 0 : error);
}

/*
 * One attempt: look up, lock, rename.  0, an errno or VFS_RENAME_RETRY.
 * If held is not NULL the caller holds held's rename lock already (a
 * retry), and names found on another mount ask for one more retry.  On
 * VFS_RENAME_RETRY, *pinp is a reference on the root entry of the mount
 * the names were on, which keeps that mount (and its rename lock) from
 * going away until the caller drops it.
 */
static int
vfs_rename_once(const char *from, const char *to, struct mount *held,
    struct namecache **pinp)
{
	struct namecache *fncp = NULL, *tncp = NULL, *first, *second;
	struct mount *mp = NULL;
	bool ftrail = false, ttrail = false;
	int error;

	*pinp = NULL;
	error = vfs_rename_lookup(from, NLC_RENAME, &fncp, &ftrail);
	if (error == 0)
		error = vfs_rename_lookup(to, NLC_CREATE, &tncp, &ttrail);
	if (error == 0 && vfs_lastisdot(to))
		error = EINVAL;
	if (error == 0 && (vfs_ismountpt(fncp) || vfs_ismountpt(tncp)))
		error = EBUSY;
	if (error == 0 && fncp->nc_mount != tncp->nc_mount)
		error = EXDEV;
	if (error == 0) {
		mp = fncp->nc_mount;
		if (held != NULL && held != mp)
			error = VFS_RENAME_RETRY;
	}
	if (error == 0) {
		first = fncp < tncp ? fncp : tncp;
		second = fncp < tncp ? tncp : fncp;
		if (held == NULL)
			klock_acquire(&mp->mnt_renlock);
		cache_lock(first);
		if (second != first)
			cache_lock(second);
		error = vfs_rename_locked(fncp, tncp, ftrail || ttrail);
		if (second != first)
			cache_unlock(second);
		cache_unlock(first);
		if (held == NULL)
			klock_release(&mp->mnt_renlock);
	}
	if (error == VFS_RENAME_RETRY)
		*pinp = cache_hold(mp->mnt_ncroot);	/* fncp pins mp */
	if (tncp != NULL)
		cache_drop(tncp);
	if (fncp != NULL)
		cache_drop(fncp);
	return (error);
}

/*
 * Rename from to to, atomically: to, if it exists, is replaced.  Errors
 * (POSIX): EINVAL if either ends in "." or "..", or to is inside from;
 * EXDEV across mounts; ENOTDIR directory over non-directory, EISDIR the
 * reverse; EBUSY for a mount point; ENOTEMPTY (the filesystem) for a
 * non-empty target directory; nothing happens when both name the same
 * file.
 *
 * Both names are looked up and unlocked, the mount's rename lock taken
 * and then both entries locked in address order (vfs_cache.c rule 2).
 * Between the lookups and the locks the names may have changed: the
 * source must still be positive, and the target is resolved again.  If
 * either entry was destroyed meanwhile (a concurrent rename replaced
 * that name), the rename starts again, this time with the mount's rename
 * lock held across the lookups, so that no other rename can get in
 * between (the walks lock one entry at a time and nobody waits for a
 * rename lock while holding an entry lock: no deadlock).  The first try
 * does without, to keep lookups outside the lock in the common case.
 * (If the source entry itself was moved meanwhile, this rename moves it
 * from where it is now, as if it ran after that other rename.)
 */
int
kern_rename(const char *from, const char *to)
{
	struct namecache *pin, *npin;
	struct mount *mp;
	int error, tries;

	error = vfs_rename_once(from, to, NULL, &pin);
	for (tries = 1; error == VFS_RENAME_RETRY; tries++) {
		if (tries == VFS_RENAME_TRIES) {
			error = ENOENT;
			break;
		}
		mp = pin->nc_mount;
		klock_acquire(&mp->mnt_renlock);
		error = vfs_rename_once(from, to, mp, &npin);
		klock_release(&mp->mnt_renlock);
		cache_drop(pin);
		pin = npin;
	}
	if (pin != NULL)
		cache_drop(pin);
	return (error);
}

/* --- current directory --- */

/* Make ncp (referenced by the caller, who keeps it) the cwd. */
static int
vfs_setcwd(struct namecache *ncp, struct vnode *vp)
{
	int error;

	if (vp->v_type != VDIR)
		return (ENOTDIR);
	error = vaccess(vp, VEXEC, vfs_cred());
	if (error != 0)
		return (error);
	fd_setcdir(curproc, cache_hold(ncp));
	return (0);
}

/* ENOTDIR, or EACCES without search permission on the directory. */
int
kern_chdir(const char *path)
{
	struct nlookupdata nd;
	struct namecache *ncp = NULL;
	struct vnode *vp = NULL;
	int error;

	error = vfs_lookup(&nd, path, NLC_FOLLOW);
	if (error == 0) {
		ncp = cache_hold(nd.nl_nch);
		vp = cache_vref(ncp);
		if (vp == NULL)
			error = ENOENT;
	}
	/* Unlocked before the old cwd is dropped (which may free it). */
	nlookup_done(&nd);
	if (error == 0)
		error = vfs_setcwd(ncp, vp);
	if (vp != NULL)
		vrele(vp);
	if (ncp != NULL)
		cache_drop(ncp);
	return (error);
}

/* The directory open on fd becomes the cwd (ENOTDIR, EACCES, EBADF). */
int
kern_fchdir(int fd)
{
	struct file *fp;
	int error;

	error = fget(curproc, fd, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE || fp->f_nch == NULL)
		error = ENOTDIR;
	else
		error = vfs_setcwd(fp->f_nch, fp->f_vp);
	fdrop(fp);
	return (error);
}

/*
 * The absolute path of the cwd, NUL-terminated, in buf.  ERANGE if it
 * does not fit in len bytes, EINVAL for len 0, ENOENT if the cwd was
 * removed.
 */
int
kern_getcwd(char *buf, size_t len)
{
	struct namecache *ncp;
	struct vnode *vp;
	int error;

	if (len == 0)
		return (EINVAL);
	ncp = fd_getcdir(curproc);
	if (ncp == NULL)
		return (ENOENT);
	/* A removed directory's entry is negative: it has no path. */
	vp = cache_vref(ncp);
	if (vp == NULL) {
		cache_drop(ncp);
		return (ENOENT);
	}
	vrele(vp);
	error = cache_fullpath(ncp, buf, len);
	cache_drop(ncp);
	if (error == ENAMETOOLONG)
		error = ERANGE;
	return (error);
}
