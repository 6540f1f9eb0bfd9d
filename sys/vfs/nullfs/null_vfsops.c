/*
 * nullfs mount and unmount (the layer itself: null_vnops.c).
 *
 * Mount: kern_mount("nullfs", "/lower/dir", "/upper", opts).  The source
 * is looked up with nlookup_vp from the mounting thread (following a
 * final symlink) and must be a directory.  The layer keeps a reference
 * on the lower directory's vnode (its upper root wraps it) and on its
 * namecache entry: while the layer exists, the lower namespace is in use
 * and the lower filesystem cannot be unmounted (EBUSY).
 *
 * Options (comma-separated; anything else is EINVAL):
 *	ro	read-only layer: every change fails with EROFS
 *	rw	the default
 *	nofast	run operations in the mount's service threads instead of
 *		the caller's context (see null_vnops.c)
 *	threads=N, threads=percpu   the VFS's own (service threads)
 *
 * Unmount: the VFS has checked that nothing uses the layer's namespace;
 * what is left is the root's reference (mnt_rootvp).  Releasing it frees
 * the last upper vnode; one still referenced after that is a leak
 * elsewhere in the kernel (its release would reach a freed mount), and
 * is caught by an assertion.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <vfs/nullfs/null.h>

MALLOC_DECLARE(M_NULLFS);

/*
 * Check the options (see the top); set *rdonly and *queued.  EINVAL for
 * an unknown or malformed one.
 */
static int
null_parseopts(const char *opts, bool *rdonly, bool *queued)
{
	const char *p = opts, *end;
	size_t len;

	*rdonly = *queued = false;
	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 2 && strncmp(p, "ro", 2) == 0)
			*rdonly = true;
		else if (len == 2 && strncmp(p, "rw", 2) == 0)
			*rdonly = false;
		else if (len == 6 && strncmp(p, "nofast", 6) == 0)
			*queued = true;
		else if (len < 8 || strncmp(p, "threads=", 8) != 0)
			return (EINVAL);
		p = end != NULL ? end + 1 : NULL;
	}
	return (0);
}

static int
null_vfs_mount(struct mount *mp, const char *from, const char *opts)
{
	struct null_mount *nm;
	struct namecache *lncp;
	struct vnode *lvp, *vp;
	bool rdonly, queued;
	int error;

	if (from == NULL || from[0] == '\0')
		return (EINVAL);
	if ((error = null_parseopts(opts, &rdonly, &queued)) != 0)
		return (error);
	error = nlookup_vp(from, false, &lvp, &lncp);
	if (error != 0)
		return (error);
	if (lvp->v_type != VDIR) {
		vrele(lvp);
		cache_drop(lncp);
		return (ENOTDIR);
	}
	nm = kmalloc(sizeof(*nm), M_NULLFS, M_ZERO);
	if (nm == NULL) {
		vrele(lvp);
		cache_drop(lncp);
		return (ENOMEM);
	}
	lwkt_token_init(&nm->nm_token, "nullfs");
	nm->nm_lowerroot = lvp;
	nm->nm_lowerncp = lncp;
	nm->nm_rdonly = rdonly || (mp->mnt_flag & MNT_RDONLY) != 0;
	nm->nm_queued = queued;
	mp->mnt_data = nm;

	/* The upper root wraps the lower directory (its own reference). */
	vref(lvp);
	error = null_nodeget(mp, lvp, &vp);
	if (error != 0) {
		mp->mnt_data = NULL;
		vrele(lvp);
		cache_drop(lncp);
		kfree(nm, M_NULLFS);
		return (error);
	}
	mp->mnt_rootvp = vp;
	return (0);
}

static int
null_vfs_unmount(struct mount *mp)
{
	struct null_mount *nm = mp->mnt_data;
	int left;

	/*
	 * Nothing but the root may exist, referenced only by mnt_rootvp: an
	 * upper vnode held outside the namespace, or one whose VOP_INACTIVE
	 * is still on its way, would later reach a freed mount.
	 */
	left = __atomic_load_n(&nm->nm_nvnodes, __ATOMIC_ACQUIRE);
	if (left != (mp->mnt_rootvp != NULL ? 1 : 0) ||
	    (mp->mnt_rootvp != NULL && mp->mnt_rootvp->v_refcnt != 1))
		return (EBUSY);
	if (mp->mnt_rootvp != NULL) {
		vrele(mp->mnt_rootvp);
		mp->mnt_rootvp = NULL;
	}
	/*
	 * An upper vnode still referenced now is a reference leak outside
	 * the namespace; its later release would reach a freed mount.
	 */
	left = __atomic_load_n(&nm->nm_nvnodes, __ATOMIC_ACQUIRE);
	KASSERT(left == 0, ("nullfs: unmount of %s with %d vnodes still "
	    "referenced", mp->mnt_path, left));
	vrele(nm->nm_lowerroot);
	cache_drop(nm->nm_lowerncp);
	mp->mnt_data = NULL;
	kfree(nm, M_NULLFS);
	return (0);
}

static int
null_vfs_statfs(struct mount *mp, struct statfs *sbp)
{
	struct null_mount *nm = mp->mnt_data;
	struct mount *lmp = nm->nm_lowerroot->v_mount;
	int error;

	error = lmp->mnt_op->vfs_statfs(lmp, sbp);
	if (error == 0)
		strlcpy(sbp->f_fstypename, "nullfs",
		    sizeof(sbp->f_fstypename));
	return (error);
}

static const struct vfsops null_vfsops = {
	.vfs_name = "nullfs",
	.vfs_mount = null_vfs_mount,
	.vfs_unmount = null_vfs_unmount,
	.vfs_statfs = null_vfs_statfs,
	.vfs_vops = &null_vops,
};
VFS_SET(null_vfsops);
