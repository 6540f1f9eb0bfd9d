/*
 * devfs: the device filesystem, mounted on /dev at boot.
 *
 * What it is.  A flat directory with one character-device node (VCHR)
 * per device that drivers made with make_dev() (sys/sys/device.h).  The
 * device list is global and outlives mounts: a device made before devfs
 * is mounted appears when it is, one made later appears at once in every
 * mounted devfs, and destroy_dev() removes the name from all of them.
 * Each mount has its own node per device, with its own attributes
 * (mode, owner, times, initialised from make_dev's arguments), so chmod
 * and chown of /dev/X work and stay local to that mount.
 *
 * Names are the drivers' business, so namespace changes fail:
 *	create (open O_CREAT of a new name, mkdir, symlink)	EPERM
 *	    (EEXIST if the name exists, as with any filesystem)
 *	remove, rmdir, link, rename				EPERM
 *	any N* operation on a device node (not a directory)	ENOTDIR
 *	readlink						EINVAL
 *	read or write of the directory				EISDIR
 *	truncate of a device					0 (nothing
 *	    to do, so that open O_TRUNC of /dev/null works)
 * A node whose device was destroyed while it was open answers ENXIO to
 * open, read and write; its close succeeds without reaching the driver.
 *
 * Where operations run.  Device reads and writes may block for as long
 * as the device likes (a console read waits for a key), so they must not
 * run in a service thread of the mount: one blocked read would stall
 * every other operation on /dev.  devfs's vop_fast therefore completes
 * every operation in the caller's context and never returns EASYNC; the
 * mount's service thread stays idle.  Drivers are responsible for their
 * own sleeping and MP safety (many callers may be inside one device at
 * once), and devfs calls them with none of its own locks or tokens held.
 *
 * Vnodes.  Rule (2) of sys/sys/vnode.h: devfs holds one reference on
 * each node's vnode for as long as the node is findable (linked in its
 * mount's list), so nresolve can always vref it.  The reference is
 * dropped when the node is unlinked (destroy_dev, unmount); the
 * VOP_INACTIVE that follows the last release (the namecache may hold the
 * vnode a little longer, until it revalidates the name) frees node and
 * vnode.  Because make_dev and destroy_dev change the directory without
 * a VOP, they bump the root vnode's namespace generation themselves
 * (*v_nsgenp), as vfs_vop.c does for namespace VOPs, so no stale name
 * survives in the namecache (of /dev, or of a nullfs layer over it).
 *
 * Rules:
 *  (1) devfs_token (one global LWKT token) protects the device list, the
 *	mount list, every mount's node list and every node's attributes.
 *	It is never held while a driver is called, while a vnode is
 *	released (vrele may block), or across anything that blocks.
 *  (2) A node's device pointer, inode number and vnode are fixed for
 *	its life; a node holds a reference on its struct cdev, which is
 *	freed with the last one (the device list holds one as well).
 *  (3) Calls into a driver are counted in si_busy around the call after
 *	checking si_gone; destroy_dev sets si_gone first and then waits for
 *	si_busy to drain (both sequentially consistent), so no call starts
 *	after destroy_dev returns.
 *
 * Numbers: a device's si_rdev is its creation sequence number (from 1);
 * its inode number in every devfs is si_rdev + 2; the root is inode 2.
 * Directory cookies: 0 ".", 1 "..", and from 2 on "the first node whose
 * inode is at least the cookie" (nodes are kept sorted by inode), so a
 * readdir resumes correctly across make_dev and destroy_dev.
 *
 * Costs: lookups and readdir scan the mount's node list (a handful of
 * devices); reads and writes add two atomic operations to the driver's.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/time.h>
#include <sys/device.h>

MALLOC_DEFINE(M_DEVFS, "devfs", "devfs nodes, mounts and devices");

#define DEVFS_ROOTINO	2

struct devfs_mount;

struct devfs_node {
	struct devfs_node *dn_next;	/* [devfs_token] mount's list */
	struct devfs_mount *dn_dm;	/* [I] */
	struct cdev	*dn_dev;	/* [I] referenced; NULL: the root */
	struct vnode	*dn_vp;		/* [I] */
	uint64_t	dn_ino;		/* [I] */
	bool		dn_linked;	/* [devfs_token] findable; devfs
					   holds a reference on dn_vp */
	uint32_t	dn_mode;	/* [devfs_token] */
	uint32_t	dn_uid;		/* [devfs_token] */
	uint32_t	dn_gid;		/* [devfs_token] */
	struct timespec	dn_atime;	/* [devfs_token] */
	struct timespec	dn_mtime;	/* [devfs_token] */
	struct timespec	dn_ctime;	/* [devfs_token] */
};

struct devfs_mount {
	struct devfs_mount *dm_next;	/* [devfs_token] devfs_mounts */
	struct mount	*dm_mp;		/* [I] */
	struct devfs_node *dm_root;	/* [I] */
	struct devfs_node *dm_nodes;	/* [devfs_token] sorted by dn_ino */
};

static struct lwkt_token devfs_token = LWKT_TOKEN_INITIALIZER("devfs");
static struct cdev *devfs_devs;		/* [devfs_token] sorted by rdev */
static struct devfs_mount *devfs_mounts; /* [devfs_token] */
static uint64_t devfs_nextrdev = 1;	/* [devfs_token] */
static bool devfs_devices_made;		/* [devfs_token] */
static volatile int devfs_nnodes;	/* [a] nodes in existence */

static const struct vop_ops devfs_vops;

#define VTODN(vp)	((struct devfs_node *)(vp)->v_data)

/* --- devices: references and calls into drivers --- */

static void
cdev_rele(struct cdev *dev)
{
	if (__atomic_sub_fetch(&dev->si_refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(dev, M_DEVFS);
}

/*
 * Rule (3): start a call into dev's driver, or ENXIO if it is being
 * destroyed.  Pair with cdev_exit.
 */
static int
cdev_enter(struct cdev *dev)
{
	__atomic_add_fetch(&dev->si_busy, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&dev->si_gone, __ATOMIC_SEQ_CST)) {
		if (__atomic_sub_fetch(&dev->si_busy, 1,
		    __ATOMIC_SEQ_CST) == 0)
			wakeup(&dev->si_busy);
		return (ENXIO);
	}
	return (0);
}

static void
cdev_exit(struct cdev *dev)
{
	if (__atomic_sub_fetch(&dev->si_busy, 1, __ATOMIC_SEQ_CST) == 0 &&
	    __atomic_load_n(&dev->si_gone, __ATOMIC_SEQ_CST))
		wakeup(&dev->si_busy);
}

static bool
devfs_name_ok(const char *name)
{
	size_t len;

	if (name == NULL)
		return (false);
	len = strnlen(name, SPECNAMELEN + 1);
	if (len == 0 || len > SPECNAMELEN || strchr(name, '/') != NULL)
		return (false);
	return (strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
}

/* --- nodes --- */

/*
 * A new node for dev (NULL: the root) in dm, with its vnode (one
 * reference: devfs's own), not linked yet.  NULL if memory is short.
 * Does not block.
 */
static struct devfs_node *
devfs_node_alloc(struct devfs_mount *dm, struct cdev *dev)
{
	struct devfs_node *dn;
	struct timespec now;

	dn = kmalloc(sizeof(*dn), M_DEVFS, M_ZERO);
	if (dn == NULL)
		return (NULL);
	dn->dn_vp = vnode_alloc(dm->dm_mp, dev != NULL ? VCHR : VDIR, dn);
	if (dn->dn_vp == NULL) {
		kfree(dn, M_DEVFS);
		return (NULL);
	}
	dn->dn_dm = dm;
	dn->dn_dev = dev;
	getnanotime(&now);
	dn->dn_atime = dn->dn_mtime = dn->dn_ctime = now;
	if (dev != NULL) {
		__atomic_add_fetch(&dev->si_refs, 1, __ATOMIC_RELAXED);
		dn->dn_ino = dev->si_rdev + DEVFS_ROOTINO;
		dn->dn_mode = dev->si_mode & ALLPERMS;
		dn->dn_uid = dev->si_uid;
		dn->dn_gid = dev->si_gid;
	} else {
		dn->dn_ino = DEVFS_ROOTINO;
		dn->dn_mode = 0755;
		dn->dn_vp->v_flag |= VF_ROOT;
	}
	dn->dn_vp->v_mode = dn->dn_mode;
	dn->dn_vp->v_uid = dn->dn_uid;
	dn->dn_vp->v_gid = dn->dn_gid;
	__atomic_add_fetch(&devfs_nnodes, 1, __ATOMIC_RELAXED);
	return (dn);
}

/*
 * Append dn to its mount's list (it has the largest inode number: nodes
 * are made in rdev order).  devfs_token held.
 */
static void
devfs_node_link(struct devfs_node *dn)
{
	struct devfs_node **pp;

	for (pp = &dn->dn_dm->dm_nodes; *pp != NULL; pp = &(*pp)->dn_next)
		KKASSERT((*pp)->dn_ino < dn->dn_ino);
	dn->dn_next = NULL;
	*pp = dn;
	dn->dn_linked = true;
}

/*
 * dm's directory changed without a VOP (make_dev, destroy_dev): bump the
 * namespace generation of its root vnode, so that the namecache
 * revalidates what it remembers of /dev (sys/kern/vfs_cache.c,
 * "Staleness").  devfs_token held, after the change.
 */
static void
devfs_nschanged(struct devfs_mount *dm)
{
	__atomic_add_fetch(dm->dm_root->dn_vp->v_nsgenp, 1, __ATOMIC_SEQ_CST);
}

/* Drop devfs's reference on each node of a chain (dn_next).  May block. */
static void
devfs_release_chain(struct devfs_node *dn)
{
	struct devfs_node *next;

	for (; dn != NULL; dn = next) {
		next = dn->dn_next;
		dn->dn_next = NULL;
		vrele(dn->dn_vp);
	}
}

/* --- make_dev, destroy_dev --- */

int
make_dev_p(const struct cdevsw *csw, const char *name, uint32_t mode,
    uint32_t uid, uint32_t gid, struct cdev **devp)
{
	struct devfs_node *made = NULL, *dn;
	struct devfs_mount *dm;
	struct cdev *dev, **pp;
	int error = 0;

	*devp = NULL;
	if (csw == NULL || !devfs_name_ok(name))
		return (EINVAL);
	dev = kmalloc(sizeof(*dev), M_DEVFS, M_ZERO);
	if (dev == NULL)
		return (ENOMEM);
	dev->si_devsw = csw;
	dev->si_mode = mode & ALLPERMS;
	dev->si_uid = uid;
	dev->si_gid = gid;
	dev->si_refs = 1;			/* the device list's */
	strlcpy(dev->si_name, name, sizeof(dev->si_name));

	/* Nothing below blocks: the token keeps it all atomic. */
	lwkt_gettoken(&devfs_token);
	for (pp = &devfs_devs; *pp != NULL; pp = &(*pp)->si_next) {
		if (strcmp((*pp)->si_name, name) == 0) {
			error = EEXIST;
			break;
		}
	}
	if (error == 0) {
		dev->si_rdev = devfs_nextrdev;
		/* A node per mounted devfs, all or none. */
		for (dm = devfs_mounts; dm != NULL; dm = dm->dm_next) {
			dn = devfs_node_alloc(dm, dev);
			if (dn == NULL) {
				error = ENOMEM;
				break;
			}
			dn->dn_next = made;
			made = dn;
		}
	}
	if (error == 0) {
		devfs_nextrdev++;
		while ((dn = made) != NULL) {
			made = dn->dn_next;
			devfs_node_link(dn);
			devfs_nschanged(dn->dn_dm);
		}
		*pp = dev;
		*devp = dev;
	}
	lwkt_reltoken(&devfs_token);
	if (error != 0) {
		/* Never linked: their VOP_INACTIVE frees them. */
		dev->si_gone = 1;
		devfs_release_chain(made);
		cdev_rele(dev);
	}
	return (error);
}

struct cdev *
make_dev(const struct cdevsw *csw, const char *name, uint32_t mode,
    uint32_t uid, uint32_t gid)
{
	struct cdev *dev;

	if (make_dev_p(csw, name, mode, uid, gid, &dev) != 0)
		return (NULL);
	return (dev);
}

void
destroy_dev(struct cdev *dev)
{
	struct devfs_node *gone = NULL, *dn, **dpp;
	struct devfs_mount *dm;
	struct cdev **pp;

	lwkt_gettoken(&devfs_token);
	KASSERT(!dev->si_gone, ("destroy_dev: %s destroyed twice",
	    dev->si_name));
	__atomic_store_n(&dev->si_gone, 1, __ATOMIC_SEQ_CST);
	for (pp = &devfs_devs; *pp != dev; pp = &(*pp)->si_next)
		KASSERT(*pp != NULL, ("destroy_dev: %p not a device", dev));
	*pp = dev->si_next;
	dev->si_next = NULL;
	for (dm = devfs_mounts; dm != NULL; dm = dm->dm_next) {
		for (dpp = &dm->dm_nodes; (dn = *dpp) != NULL;
		    dpp = &dn->dn_next) {
			if (dn->dn_dev == dev) {
				*dpp = dn->dn_next;
				dn->dn_linked = false;
				devfs_nschanged(dm);
				dn->dn_next = gone;
				gone = dn;
				break;
			}
		}
	}
	lwkt_reltoken(&devfs_token);

	/* Rule (3): wait for the calls already inside the driver. */
	while (__atomic_load_n(&dev->si_busy, __ATOMIC_SEQ_CST) != 0) {
		tsleep_interlock(&dev->si_busy);
		if (__atomic_load_n(&dev->si_busy, __ATOMIC_SEQ_CST) == 0)
			break;
		tsleep(&dev->si_busy, PINTERLOCKED, "devgone", 0);
	}
	devfs_release_chain(gone);
	cdev_rele(dev);
}

int
devfs_node_count(void)
{
	return (__atomic_load_n(&devfs_nnodes, __ATOMIC_RELAXED));
}

/* --- VOPs --- */

/* The linked node named name in dm, or NULL.  devfs_token held. */
static struct devfs_node *
devfs_lookup(struct devfs_mount *dm, const char *name, size_t nlen)
{
	struct devfs_node *dn;

	for (dn = dm->dm_nodes; dn != NULL; dn = dn->dn_next) {
		if (strnlen(dn->dn_dev->si_name, nlen + 1) == nlen &&
		    memcmp(dn->dn_dev->si_name, name, nlen) == 0)
			return (dn);
	}
	return (NULL);
}

static int
devfs_nresolve(struct vop_msg *vm)
{
	struct devfs_node *dn;
	int error = ENOENT;

	if (vm->vm_vp->v_type != VDIR)
		return (ENOTDIR);
	lwkt_gettoken_shared(&devfs_token);
	dn = devfs_lookup(VTODN(vm->vm_vp)->dn_dm, vm->vm_u.nresolve.name,
	    vm->vm_u.nresolve.nlen);
	if (dn != NULL) {
		vref(dn->dn_vp);		/* linked: devfs holds one */
		*vm->vm_u.nresolve.vpp = dn->dn_vp;
		error = 0;
	}
	lwkt_reltoken(&devfs_token);
	return (error);
}

static int
devfs_getattr(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	struct devfs_node *dn = VTODN(vp);
	struct vattr *va = vm->vm_u.attr.vap;

	memset(va, 0, sizeof(*va));
	lwkt_gettoken_shared(&devfs_token);
	va->va_type = vp->v_type;
	va->va_mask = VA_ALL;
	va->va_mode = dn->dn_mode;
	va->va_uid = dn->dn_uid;
	va->va_gid = dn->dn_gid;
	va->va_nlink = dn->dn_dev == NULL ? 2 : 1;
	va->va_fsid = vp->v_mount->mnt_id;
	va->va_ino = dn->dn_ino;
	va->va_rdev = dn->dn_dev != NULL ? dn->dn_dev->si_rdev : 0;
	va->va_atime = dn->dn_atime;
	va->va_mtime = dn->dn_mtime;
	va->va_ctime = dn->dn_ctime;
	lwkt_reltoken(&devfs_token);
	return (0);
}

static int
devfs_setattr(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	struct devfs_node *dn = VTODN(vp);
	struct vattr *va = vm->vm_u.attr.vap;

	/* Check first: nothing changes on error. */
	if ((va->va_mask & VA_SIZE) != 0 && vp->v_type == VDIR)
		return (EISDIR);
	lwkt_gettoken(&devfs_token);
	if (va->va_mask & VA_MODE)
		dn->dn_mode = va->va_mode & ALLPERMS;
	if (va->va_mask & VA_UID)
		dn->dn_uid = va->va_uid;
	if (va->va_mask & VA_GID)
		dn->dn_gid = va->va_gid;
	if (va->va_mask & VA_ATIME)
		dn->dn_atime = va->va_atime;
	if (va->va_mask & VA_MTIME)
		dn->dn_mtime = va->va_mtime;
	/* VA_SIZE on a device: nothing to truncate. */
	getnanotime(&dn->dn_ctime);
	vp->v_mode = dn->dn_mode;
	vp->v_uid = dn->dn_uid;
	vp->v_gid = dn->dn_gid;
	lwkt_reltoken(&devfs_token);
	return (0);
}

static int
devfs_read(struct vop_msg *vm)
{
	struct cdev *dev = VTODN(vm->vm_vp)->dn_dev;
	int error;

	if (dev == NULL)
		return (EISDIR);
	if ((error = cdev_enter(dev)) != 0)
		return (error);
	if (dev->si_devsw->d_read == NULL)
		error = ENODEV;
	else
		error = dev->si_devsw->d_read(dev, vm->vm_u.rw.uio,
		    vm->vm_u.rw.ioflag);
	cdev_exit(dev);
	return (error);
}

static int
devfs_write(struct vop_msg *vm)
{
	struct cdev *dev = VTODN(vm->vm_vp)->dn_dev;
	int error;

	if (dev == NULL)
		return (EISDIR);
	if ((error = cdev_enter(dev)) != 0)
		return (error);
	if (dev->si_devsw->d_write == NULL)
		error = ENODEV;
	else
		error = dev->si_devsw->d_write(dev, vm->vm_u.rw.uio,
		    vm->vm_u.rw.ioflag);
	cdev_exit(dev);
	return (error);
}

static int
devfs_open(struct vop_msg *vm)
{
	struct cdev *dev = VTODN(vm->vm_vp)->dn_dev;
	int error;

	if (dev == NULL)
		return (0);
	if ((error = cdev_enter(dev)) != 0)
		return (error);
	if (dev->si_devsw->d_open != NULL)
		error = dev->si_devsw->d_open(dev, vm->vm_u.oc.fflag);
	cdev_exit(dev);
	return (error);
}

static int
devfs_close(struct vop_msg *vm)
{
	struct cdev *dev = VTODN(vm->vm_vp)->dn_dev;
	int error = 0;

	if (dev == NULL || cdev_enter(dev) != 0)
		return (0);
	if (dev->si_devsw->d_close != NULL)
		error = dev->si_devsw->d_close(dev, vm->vm_u.oc.fflag);
	cdev_exit(dev);
	return (error);
}

/* Copy one record out; false if it does not fit. */
static bool
devfs_dirent(struct uio *uio, uint64_t ino, uint8_t type, const char *name,
    int64_t next)
{
	struct dirent d;
	size_t nlen = strlen(name);

	d.d_reclen = DIRENT_RECLEN(nlen);
	if (d.d_reclen > uio->uio_resid)
		return (false);
	d.d_ino = ino;
	d.d_off = next;
	d.d_type = type;
	d.d_namlen = (uint8_t)nlen;
	memcpy(d.d_name, name, nlen + 1);
	uiomove(&d, d.d_reclen, uio);
	uio->uio_offset = next;
	return (true);
}

static int
devfs_readdir(struct vop_msg *vm)
{
	struct devfs_node *dn, *root = VTODN(vm->vm_vp);
	struct uio *uio = vm->vm_u.rd.uio;
	size_t start = uio->uio_resid;
	int64_t cookie = uio->uio_offset;
	bool full = false;

	if (vm->vm_vp->v_type != VDIR)
		return (ENOTDIR);
	if (cookie < 0)
		return (EINVAL);
	lwkt_gettoken_shared(&devfs_token);
	if (cookie == 0)
		full = !devfs_dirent(uio, root->dn_ino, DT_DIR, ".", 1);
	if (!full && uio->uio_offset == 1)
		full = !devfs_dirent(uio, root->dn_ino, DT_DIR, "..", 2);
	for (dn = root->dn_dm->dm_nodes; dn != NULL && !full;
	    dn = dn->dn_next) {
		if ((int64_t)dn->dn_ino < uio->uio_offset)
			continue;
		full = !devfs_dirent(uio, dn->dn_ino, DT_CHR,
		    dn->dn_dev->si_name, (int64_t)dn->dn_ino + 1);
	}
	lwkt_reltoken(&devfs_token);
	if (full && uio->uio_resid == start)
		return (EINVAL);	/* not even one record fits */
	if (vm->vm_u.rd.eofp != NULL)
		*vm->vm_u.rd.eofp = full ? 0 : 1;
	return (0);
}

static int
devfs_readlink(struct vop_msg *vm)
{
	return (EINVAL);
}

static int
devfs_ncreate(struct vop_msg *vm)
{
	bool exists;

	if (vm->vm_vp->v_type != VDIR)
		return (ENOTDIR);
	lwkt_gettoken_shared(&devfs_token);
	exists = devfs_lookup(VTODN(vm->vm_vp)->dn_dm, vm->vm_u.ncreate.name,
	    vm->vm_u.ncreate.nlen) != NULL;
	lwkt_reltoken(&devfs_token);
	return (exists ? EEXIST : EPERM);
}

/* remove, rmdir, link, rename: names belong to the drivers. */
static int
devfs_nnamespace(struct vop_msg *vm)
{
	if (vm->vm_vp->v_type != VDIR)
		return (ENOTDIR);
	return (EPERM);
}

/*
 * The last reference is gone, which happens only once the node was
 * unlinked (rule (2)): free it.
 */
static int
devfs_inactive(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	struct devfs_node *dn = VTODN(vp);

	KASSERT(!dn->dn_linked, ("devfs_inactive: node %ju still linked",
	    (uintmax_t)dn->dn_ino));
	if (dn->dn_dev != NULL)
		cdev_rele(dn->dn_dev);
	vnode_free(vp);
	kfree(dn, M_DEVFS);
	__atomic_sub_fetch(&devfs_nnodes, 1, __ATOMIC_RELAXED);
	return (0);
}

/* Every operation, in the caller's context (see the top). */
static int
devfs_fast(struct vop_msg *vm)
{
	int op = vm->vm_msg.ms_cmd;

	if (op <= 0 || op >= VOP_NOPS || devfs_vops.vop_op[op] == NULL)
		return (EINVAL);
	return (devfs_vops.vop_op[op](vm));
}

static const struct vop_ops devfs_vops = {
	.vop_fast = devfs_fast,
	.vop_op = {
		[VOP_NRESOLVE] = devfs_nresolve,
		[VOP_GETATTR] = devfs_getattr,
		[VOP_SETATTR] = devfs_setattr,
		[VOP_READ] = devfs_read,
		[VOP_WRITE] = devfs_write,
		[VOP_NCREATE] = devfs_ncreate,
		[VOP_NREMOVE] = devfs_nnamespace,
		[VOP_NRMDIR] = devfs_nnamespace,
		[VOP_NLINK] = devfs_nnamespace,
		[VOP_NRENAME] = devfs_nnamespace,
		[VOP_READLINK] = devfs_readlink,
		[VOP_READDIR] = devfs_readdir,
		[VOP_OPEN] = devfs_open,
		[VOP_CLOSE] = devfs_close,
		[VOP_INACTIVE] = devfs_inactive,
	},
};

/* --- mount, unmount, statfs --- */

static int
devfs_vfs_mount(struct mount *mp, const char *from, const char *opts)
{
	struct devfs_node *made = NULL, *dn;
	struct devfs_mount *dm;
	struct cdev *dev;
	bool first;

	lwkt_gettoken(&devfs_token);
	first = !devfs_devices_made;
	devfs_devices_made = true;
	lwkt_reltoken(&devfs_token);
	if (first)
		devfs_devices_init();

	dm = kmalloc(sizeof(*dm), M_DEVFS, M_ZERO);
	if (dm == NULL)
		return (ENOMEM);
	dm->dm_mp = mp;
	dm->dm_root = devfs_node_alloc(dm, NULL);
	if (dm->dm_root == NULL) {
		kfree(dm, M_DEVFS);
		return (ENOMEM);
	}
	/* Nodes for the devices that exist, all or none, then publish. */
	lwkt_gettoken(&devfs_token);
	for (dev = devfs_devs; dev != NULL; dev = dev->si_next) {
		if ((dn = devfs_node_alloc(dm, dev)) == NULL)
			break;
		dn->dn_next = made;
		made = dn;
	}
	if (dev == NULL) {
		/*
		 * made runs from the largest inode down: pushing each to
		 * the front leaves dm_nodes sorted.
		 */
		while ((dn = made) != NULL) {
			made = dn->dn_next;
			dn->dn_next = dm->dm_nodes;
			dm->dm_nodes = dn;
			dn->dn_linked = true;
		}
		dm->dm_root->dn_linked = true;
		dm->dm_next = devfs_mounts;
		devfs_mounts = dm;
	}
	lwkt_reltoken(&devfs_token);
	if (dev != NULL) {
		devfs_release_chain(made);
		devfs_release_chain(dm->dm_root);
		kfree(dm, M_DEVFS);
		return (ENOMEM);
	}
	vref(dm->dm_root->dn_vp);		/* mnt_rootvp's reference */
	mp->mnt_rootvp = dm->dm_root->dn_vp;
	mp->mnt_data = dm;
	return (0);
}

static int
devfs_vfs_unmount(struct mount *mp)
{
	struct devfs_mount *dm = mp->mnt_data, **pp;
	struct devfs_node *gone, *dn;

	lwkt_gettoken(&devfs_token);
	for (pp = &devfs_mounts; *pp != dm; pp = &(*pp)->dm_next)
		KKASSERT(*pp != NULL);
	*pp = dm->dm_next;
	gone = dm->dm_nodes;
	dm->dm_nodes = NULL;
	for (dn = gone; dn != NULL; dn = dn->dn_next)
		dn->dn_linked = false;
	dm->dm_root->dn_linked = false;
	lwkt_reltoken(&devfs_token);

	devfs_release_chain(gone);
	vrele(mp->mnt_rootvp);
	mp->mnt_rootvp = NULL;
	devfs_release_chain(dm->dm_root);
	mp->mnt_data = NULL;
	kfree(dm, M_DEVFS);
	return (0);
}

static int
devfs_vfs_statfs(struct mount *mp, struct statfs *sbp)
{
	struct devfs_mount *dm = mp->mnt_data;
	struct devfs_node *dn;
	uint64_t n = 1;

	lwkt_gettoken_shared(&devfs_token);
	for (dn = dm->dm_nodes; dn != NULL; dn = dn->dn_next)
		n++;
	lwkt_reltoken(&devfs_token);
	memset(sbp, 0, sizeof(*sbp));
	sbp->f_bsize = 512;
	sbp->f_files = n;
	strlcpy(sbp->f_fstypename, "devfs", sizeof(sbp->f_fstypename));
	return (0);
}

static const struct vfsops devfs_vfsops = {
	.vfs_name = "devfs",
	.vfs_mount = devfs_vfs_mount,
	.vfs_unmount = devfs_vfs_unmount,
	.vfs_statfs = devfs_vfs_statfs,
	.vfs_vops = &devfs_vops,
};
VFS_SET(devfs_vfsops);
