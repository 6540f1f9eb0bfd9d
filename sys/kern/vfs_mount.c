/*
 * Mounts: filesystem types, mounting and unmounting, and the boot-time
 * root.
 *
 * A filesystem type registers its struct vfsops with VFS_SET (a linker
 * set).  kern_mount looks the type up, lets the filesystem set the mount
 * up (vfs_mount: root vnode, private data), starts its port and service
 * threads (vfs_vop.c), makes a namecache root entry for its namespace
 * and finally covers the directory it is mounted on, under that entry's
 * lock: from then on walks step into the new namespace.
 *
 * Rules:
 *  (1) The covered directory is looked up and unlocked before the
 *	filesystem's vfs_mount runs (nullfs looks its source up, which may
 *	pass through the same directory), then locked again and checked
 *	(still a directory, still not covered) before it is covered.
 *  (2) Unmount succeeds only when nothing references the namespace
 *	(cache_unmount: EBUSY otherwise); the covered entry is uncovered in
 *	the same nc_spin hold that checks it, so no walk slips in.
 *  (3) mountlist is protected by mountlist_spin.
 *  (4) vfs_mountlock, a sleep lock, serializes kern_mount and
 *	kern_unmount with each other (two unmounts of one mount, or a mount
 *	on a directory of a mount being unmounted).  It is taken before any
 *	entry lock and never while holding one.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/spinlock.h>
#include <sys/thread.h>
#include <sys/mount.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/vnode.h>
#include <sys/proc.h>
#include <sys/kern_syscall.h>
#include <sys/initrd.h>

MALLOC_DEFINE(M_MOUNT, "mount", "mount structures");

extern const struct vfsops *__start_set_vfsops[];
extern const struct vfsops *__stop_set_vfsops[];

struct mount *rootmount;
static struct mount *mountlist;		/* [mountlist_spin] */
static struct spinlock mountlist_spin;
static uint64_t mount_nextid = 1;	/* [mountlist_spin] */
static struct klock vfs_mountlock = { NULL, 0, "mountlk" };

static const struct vfsops *
vfs_byname(const char *name)
{
	const struct vfsops **opp;

	for (opp = __start_set_vfsops; opp < __stop_set_vfsops; opp++) {
		if (strcmp((*opp)->vfs_name, name) == 0)
			return (*opp);
	}
	return (NULL);
}

/*
 * Find key in the comma-separated opts: "key" or "key=value".  If val is
 * not NULL, copy the value (empty for a bare key) into it.  False if the
 * key is absent or its value does not fit.
 */
bool
vfs_getopt(const char *opts, const char *key, char *val, size_t vlen)
{
	size_t klen = strlen(key);
	const char *p = opts, *end, *v;

	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) >= klen && strncmp(p, key, klen) == 0 &&
		    (p[klen] == '=' || p + klen == end)) {
			if (val == NULL)
				return (true);
			v = p[klen] == '=' ? p + klen + 1 : p + klen;
			if ((size_t)(end - v) >= vlen)
				return (false);
			memcpy(val, v, end - v);
			val[end - v] = '\0';
			return (true);
		}
		p = *end == ',' ? end + 1 : end;
	}
	return (false);
}

/*
 * Parse the VFS's own options: "threads=N" (0..64), "threads=percpu",
 * "ro".  EINVAL for a bad thread count.
 */
static int
vfs_parse_common(struct mount *mp, const char *opts)
{
	char val[16];
	char *end;
	unsigned long n;

	mp->mnt_nthreads = 1;
	if (vfs_getopt(opts, "threads", val, sizeof(val))) {
		if (strcmp(val, "percpu") == 0) {
			mp->mnt_percpu = true;
		} else {
			n = strtoul(val, &end, 10);
			if (val[0] == '\0' || *end != '\0' || n > 64)
				return (EINVAL);
			mp->mnt_nthreads = (int)n;
		}
	} else if (vfs_getopt(opts, "threads", NULL, 0)) {
		return (EINVAL);
	}
	if (vfs_getopt(opts, "ro", NULL, 0))
		mp->mnt_flag |= MNT_RDONLY;
	return (0);
}

static void
vfs_free_mount(struct mount *mp)
{
	kfree(mp, M_MOUNT);
}

static int kern_mount_locked(const struct vfsops *ops, const char *fstype,
    const char *from, const char *path, const char *opts);

int
kern_mount(const char *fstype, const char *from, const char *path,
    const char *opts)
{
	const struct vfsops *ops;
	int error;

	if (fstype == NULL || from == NULL || opts == NULL)
		return (EINVAL);
	ops = vfs_byname(fstype);
	if (ops == NULL)
		return (ENODEV);
	klock_acquire(&vfs_mountlock);
	error = kern_mount_locked(ops, fstype, from, path, opts);
	klock_release(&vfs_mountlock);
	return (error);
}

/* kern_mount's work, with vfs_mountlock held. */
static int
kern_mount_locked(const struct vfsops *ops, const char *fstype,
    const char *from, const char *path, const char *opts)
{
	struct nlookupdata nd;
	struct namecache *cov = NULL;
	struct mount *mp;
	int error;

	if (path == NULL) {
		if (rootmount != NULL)
			return (EBUSY);
	} else {
		/* Rule (1): find the directory, then let go of its lock. */
		error = nlookup_init(&nd, path, NLC_FOLLOW);
		if (error == 0)
			error = nlookup(&nd);
		if (error == 0 && (nd.nl_nch->nc_flag & NCF_ISDIR) == 0)
			error = ENOTDIR;
		if (error == 0)
			cov = cache_hold(nd.nl_nch);
		nlookup_done(&nd);
		if (error != 0)
			return (error);
	}
	mp = kmalloc(sizeof(*mp), M_MOUNT, M_ZERO);
	if (mp == NULL) {
		error = ENOMEM;
		goto out;
	}
	mp->mnt_op = ops;
	mp->mnt_vops = ops->vfs_vops;
	klock_init(&mp->mnt_renlock, "renlk");
	strlcpy(mp->mnt_fstype, fstype, sizeof(mp->mnt_fstype));
	strlcpy(mp->mnt_from, from, sizeof(mp->mnt_from));
	strlcpy(mp->mnt_path, path != NULL ? path : "/", sizeof(mp->mnt_path));
	error = vfs_parse_common(mp, opts);
	if (error == 0)
		error = ops->vfs_mount(mp, from, opts);
	if (error != 0) {
		vfs_free_mount(mp);
		goto out;
	}
	KASSERT(mp->mnt_rootvp != NULL && mp->mnt_rootvp->v_type == VDIR,
	    ("kern_mount: %s gave no root directory", fstype));
	mp->mnt_rootvp->v_flag |= VF_ROOT;
	error = vop_port_start(mp);
	if (error == 0) {
		mp->mnt_ncroot = cache_allocroot(mp, mp->mnt_rootvp);
		if (mp->mnt_ncroot == NULL)
			error = ENOMEM;
	}
	if (error == 0 && cov != NULL) {
		/* Rule (1): still a directory, still uncovered? */
		cache_lock(cov);
		if ((cov->nc_flag & NCF_DESTROYED) != 0 ||
		    (cov->nc_flag & NCF_ISDIR) == 0)
			error = ENOENT;
		else if (cov->nc_mountedhere != NULL)
			error = EBUSY;
		if (error == 0) {
			mp->mnt_ncovered = cov;
			cov = NULL;		/* the mount keeps the reference */
			cache_setmountpt(mp->mnt_ncovered, mp);
		}
		cache_unlock(mp->mnt_ncovered != NULL ? mp->mnt_ncovered :
		    cov);
	}
	if (error != 0) {
		if (mp->mnt_ncroot != NULL)
			(void)cache_unmount(mp);
		if (mp->mnt_threads != NULL || mp->mnt_nthreads != 0)
			vop_port_stop(mp);
		ops->vfs_unmount(mp);
		vfs_free_mount(mp);
		goto out;
	}
	spin_lock(&mountlist_spin);
	mp->mnt_id = mount_nextid++;
	mp->mnt_next = mountlist;
	mountlist = mp;
	if (path == NULL) {
		rootmount = mp;
		rootncp = mp->mnt_ncroot;
	}
	spin_unlock(&mountlist_spin);
out:
	if (cov != NULL)
		cache_drop(cov);
	return (error);
}

/*
 * Unmount the filesystem whose root path names.  EINVAL if path is not a
 * mount's root, EBUSY for the root filesystem or while anything uses the
 * namespace.  May block.
 */
int
kern_unmount(const char *path)
{
	struct namecache *ncp;
	struct vnode *vp;
	struct mount *mp, **mpp;
	int error;

	/* Rule (4): one mount or unmount at a time. */
	klock_acquire(&vfs_mountlock);
	error = nlookup_vp(path, false, &vp, &ncp);
	if (error != 0)
		goto out;
	vrele(vp);
	mp = ncp->nc_mount;
	if ((ncp->nc_flag & NCF_MOUNTROOT) == 0 || ncp != mp->mnt_ncroot)
		error = EINVAL;
	else if (mp == rootmount)
		error = EBUSY;
	cache_drop(ncp);
	if (error != 0)
		goto out;
	/*
	 * The covered entry stays locked until the mount is gone or put
	 * back, so that nothing removes or renames the directory in the
	 * window where it is uncovered (a restore must find it as it was).
	 */
	cache_lock(mp->mnt_ncovered);
	error = cache_unmount(mp);
	if (error != 0) {
		cache_unlock(mp->mnt_ncovered);
		goto out;
	}
	spin_lock(&mountlist_spin);
	for (mpp = &mountlist; *mpp != mp; mpp = &(*mpp)->mnt_next)
		;
	*mpp = mp->mnt_next;
	spin_unlock(&mountlist_spin);
	error = mp->mnt_op->vfs_unmount(mp);
	if (error != 0) {
		/*
		 * The filesystem still has a vnode in use that the namecache
		 * did not know of (someone holds a vnode without an entry).
		 * Give the mount its namespace back, unchanged.
		 */
		mp->mnt_ncroot = cache_allocroot(mp, mp->mnt_rootvp);
		if (mp->mnt_ncroot == NULL) {
			kprintf("vfs: unmount of %s refused (%d) and no memory "
			    "to restore it: it stays mounted but unreachable\n",
			    mp->mnt_path, error);
			cache_unlock(mp->mnt_ncovered);
			goto out;
		}
		cache_setmountpt(mp->mnt_ncovered, mp);
		cache_unlock(mp->mnt_ncovered);
		spin_lock(&mountlist_spin);
		mp->mnt_next = mountlist;
		mountlist = mp;
		spin_unlock(&mountlist_spin);
		goto out;
	}
	vop_port_stop(mp);
	cache_unlock(mp->mnt_ncovered);
	cache_drop(mp->mnt_ncovered);
	vfs_free_mount(mp);
out:
	klock_release(&vfs_mountlock);
	return (error);
}

/*
 * Print the mount list (console monitor): type, source, path, service
 * threads and how many operations completed in the caller or were
 * queued.  The list may change meanwhile; mounts are never freed while
 * mountlist_spin is held, but printing under a spin lock is fine only
 * because kprintf does not block.
 */
void
vfs_print_mounts(void)
{
	struct mount *mp;

	spin_lock(&mountlist_spin);
	for (mp = mountlist; mp != NULL; mp = mp->mnt_next)
		kprintf("  %-8s %-10s on %-12s threads %d%s  fast %llu queued "
		    "%llu\n", mp->mnt_fstype, mp->mnt_from, mp->mnt_path,
		    mp->mnt_nthreads, mp->mnt_percpu ? " (per CPU)" : "",
		    (unsigned long long)mp->mnt_nfast,
		    (unsigned long long)mp->mnt_nqueued);
	spin_unlock(&mountlist_spin);
}

/*
 * Boot: the root is a tmpfs holding the initrd; /dev is a devfs.  Every
 * step that fails is reported and the boot goes on (an empty root, no
 * /dev) except the root mount itself.  Thread context (kernel_main).
 */
void
vfs_init(void)
{
	int error;

	cache_init();
	error = kern_mount("tmpfs", "root", NULL, "");
	if (error != 0)
		panic("vfs_init: cannot mount the tmpfs root: %d", error);
	proc0_init();
	initrd_boot();
	error = kern_mkdir("/dev", 0755);
	if (error != 0 && error != EEXIST)
		kprintf("vfs: cannot create /dev: %d\n", error);
	/* devfs completes everything in the caller (devfs.c): no thread. */
	else if ((error = kern_mount("devfs", "devfs", "/dev", "threads=0")) != 0)
		kprintf("vfs: cannot mount devfs on /dev: %d\n", error);
}
