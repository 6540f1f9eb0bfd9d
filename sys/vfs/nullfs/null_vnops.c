/*
 * nullfs: a stacking layer.  kern_mount("nullfs", "/lower/dir", "/upper",
 * opts) shows the lower directory, and everything below it, at /upper.
 *
 * What it guarantees.  Each upper vnode wraps one lower vnode, one to
 * one: a hash in the nullfs mount maps a lower vnode to its upper vnode,
 * so the same lower file always has the same upper vnode for as long as
 * that upper vnode is referenced (two opens through the layer share it).
 * An upper vnode holds a reference on its lower vnode.  Every operation
 * is passed down with the synchronous vop_* API (sys/sys/mount.h), each
 * vnode argument (vm_vp, fvp, tdvp, tvp, nname.vp) mapped to its lower
 * vnode, and each vnode that comes back (*vpp) wrapped.  getattr reports
 * the upper mount's id as va_fsid; the rest of the attributes, and the
 * data, are the lower file's.
 *
 * Read-only layers ("ro").  A layer can add a capability the lower
 * filesystem lacks: with "ro", WRITE, SETATTR, NCREATE, NREMOVE, NRMDIR,
 * NLINK, NRENAME and OPEN with FWRITE fail with EROFS before anything
 * reaches the lower layer; reads, lookups, getattr, readdir, readlink and
 * read-only opens go through.
 *
 * Where operations run.  nullfs does no work of its own beyond mapping
 * vnodes: every operation ends in a message to the lower mount.  Running
 * it in a nullfs service thread would add two switches per operation and
 * serialize the whole layer behind one thread: a blocking lower
 * operation (a console read through a layer over /dev) would stall every
 * other user of the layer.  So the fast path (null_fast) passes every
 * operation through in the caller's context, and the layer has exactly
 * the concurrency and blocking behaviour of the filesystem below.  With
 * the mount option "nofast" it returns EASYNC instead and the mount's
 * service threads (one, or "threads=N") do the same work; that mode
 * exists to test the handlers in a service thread and to show that it
 * cannot deadlock: a nullfs service thread only waits for replies from
 * the lower mount, which is always another mount (a layer's lower
 * vnodes all come from the mount of its lower directory; nresolve of a
 * lower directory never crosses into a mount on top of it), so waits
 * form a chain downwards and never a cycle.  A VOP nullfs sends to its
 * own mount (VOP_INACTIVE from a vrele of its own vnode) runs inline.
 *
 * Names.  The namecache revalidates an entry when its directory's
 * namespace generation moved since the entry was resolved
 * (sys/kern/vfs_cache.c, "Staleness").  An upper vnode counts with its
 * lower vnode's counter (v_nsgenp is set to the lower's when the upper
 * vnode is made, and stays valid because the upper holds the lower), so
 * a change made below the layer (through the lower path, or a devfs
 * device coming and going) makes the layer's entries of that directory
 * stale too, and a change made through the layer bumps the same counter
 * (twice: once for the upper VOP, once for the lower one it becomes, so
 * the new entry is revalidated once).  Stacked layers share the bottom
 * counter.
 *
 * Vnode life (rule (2) of sys/sys/vnode.h: counts never go 0 -> 1).  The
 * hash holds no reference.  A lookup that finds an upper vnode whose
 * count is already 0 must not revive it: its VOP_INACTIVE is on the way.
 * It unhashes it and makes a new upper vnode for the same lower vnode.
 * VOP_INACTIVE unhashes the node if it is still hashed, vreles the lower
 * vnode and frees the node and the upper vnode.
 *
 * Rules:
 *  (1) nm_token (per mount) protects the hash chains and nn_hashed.  It
 *	is never held across anything that blocks (no vrele, no VOP under
 *	it): taking a reference is an atomic increment-if-not-zero.
 *  (2) nn_vp and nn_lowervp are fixed for the node's life; the upper
 *	vnode's reference on its lower vnode is dropped only by
 *	VOP_INACTIVE.
 *  (3) The upper vnode's cached v_mode, v_uid, v_gid are copied from the
 *	lower vnode whenever nullfs handles that vnode (lookup, getattr,
 *	setattr), so permission checks during lookup see the lower file's
 *	attributes as of the last time the layer touched it.
 *
 * Costs: an operation through the layer is the lower operation plus a
 * function call, the mapping, and for lookups one hash probe under the
 * mount's token.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <vfs/nullfs/null.h>

MALLOC_DEFINE(M_NULLFS, "nullfs", "nullfs nodes and mounts");

static volatile int nullfs_nnodes;	/* [a] over every mount */

int
nullfs_node_count(void)
{
	return (__atomic_load_n(&nullfs_nnodes, __ATOMIC_RELAXED));
}

static inline u_int
null_hash(struct vnode *lvp)
{
	uintptr_t p = (uintptr_t)lvp;

	return ((u_int)((p >> 6) ^ (p >> 14)) & (NULL_HASHSIZE - 1));
}

/* Take a reference on vp unless its count is already 0 (rule (2)). */
static bool
null_vref_live(struct vnode *vp)
{
	int c = __atomic_load_n(&vp->v_refcnt, __ATOMIC_RELAXED);

	while (c > 0) {
		if (__atomic_compare_exchange_n(&vp->v_refcnt, &c, c + 1,
		    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return (true);
	}
	return (false);
}

/* Rule (3).  No lock: the fields are a cache, written atomically. */
static void
null_syncattr(struct vnode *vp, struct vnode *lvp)
{
	vp->v_mode = lvp->v_mode;
	vp->v_uid = lvp->v_uid;
	vp->v_gid = lvp->v_gid;
}

/* Unlink nn from its chain.  nm_token held; nn hashed. */
static void
null_unhash(struct null_mount *nm, struct null_node *nn)
{
	struct null_node **pp;

	for (pp = &nm->nm_hash[null_hash(nn->nn_lowervp)]; *pp != nn;
	    pp = &(*pp)->nn_hnext)
		KASSERT(*pp != NULL, ("null_unhash: %p not hashed", nn));
	*pp = nn->nn_hnext;
	nn->nn_hnext = NULL;
	nn->nn_hashed = false;
}

int
null_nodeget(struct mount *mp, struct vnode *lvp, struct vnode **vpp)
{
	struct null_mount *nm = mp->mnt_data;
	struct null_node *nn, *dead = NULL;
	struct vnode *vp = NULL;
	u_int h = null_hash(lvp);

	*vpp = NULL;
	lwkt_gettoken(&nm->nm_token);
	for (nn = nm->nm_hash[h]; nn != NULL; nn = nn->nn_hnext) {
		if (nn->nn_lowervp != lvp)
			continue;
		if (null_vref_live(nn->nn_vp))
			vp = nn->nn_vp;
		else
			dead = nn;	/* its VOP_INACTIVE frees it */
		break;
	}
	if (dead != NULL)
		null_unhash(nm, dead);
	if (vp == NULL) {
		/* Nothing below blocks, so the token keeps this atomic. */
		nn = kmalloc(sizeof(*nn), M_NULLFS, M_ZERO);
		if (nn != NULL &&
		    (vp = vnode_alloc(mp, lvp->v_type, nn)) == NULL) {
			kfree(nn, M_NULLFS);
			nn = NULL;
		}
		if (nn != NULL) {
			nn->nn_vp = vp;
			nn->nn_lowervp = lvp;	/* our reference moves in */
			vp->v_nsgenp = lvp->v_nsgenp;	/* see "Names" */
			lvp = NULL;
			if (nn->nn_lowervp == nm->nm_lowerroot)
				vp->v_flag |= VF_ROOT;
			nn->nn_hnext = nm->nm_hash[h];
			nm->nm_hash[h] = nn;
			nn->nn_hashed = true;
			__atomic_add_fetch(&nm->nm_nvnodes, 1,
			    __ATOMIC_RELAXED);
			__atomic_add_fetch(&nullfs_nnodes, 1,
			    __ATOMIC_RELAXED);
		}
	}
	lwkt_reltoken(&nm->nm_token);
	if (vp == NULL) {
		vrele(lvp);
		return (ENOMEM);
	}
	null_syncattr(vp, NULLVPTOLOWERVP(vp));
	if (lvp != NULL)
		vrele(lvp);		/* the upper vnode holds its own */
	*vpp = vp;
	return (0);
}

/* --- the operations --- */

#define LOWER(vp)	NULLVPTOLOWERVP(vp)

static inline bool
null_rdonly(struct vop_msg *vm)
{
	return (VTONULLMOUNT(vm->vm_vp)->nm_rdonly);
}

static int
null_nresolve(struct vop_msg *vm)
{
	struct vnode *lvp;
	int error;

	error = vop_nresolve(LOWER(vm->vm_vp), vm->vm_u.nresolve.name,
	    vm->vm_u.nresolve.nlen, &lvp);
	if (error != 0)
		return (error);
	return (null_nodeget(vm->vm_vp->v_mount, lvp,
	    vm->vm_u.nresolve.vpp));
}

static int
null_getattr(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	int error;

	error = vop_getattr(LOWER(vp), vm->vm_u.attr.vap);
	if (error == 0) {
		vm->vm_u.attr.vap->va_fsid = vp->v_mount->mnt_id;
		null_syncattr(vp, LOWER(vp));
	}
	return (error);
}

static int
null_setattr(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	int error;

	if (null_rdonly(vm))
		return (EROFS);
	error = vop_setattr(LOWER(vp), vm->vm_u.attr.vap);
	null_syncattr(vp, LOWER(vp));
	return (error);
}

static int
null_read(struct vop_msg *vm)
{
	return (vop_read(LOWER(vm->vm_vp), vm->vm_u.rw.uio,
	    vm->vm_u.rw.ioflag));
}

static int
null_write(struct vop_msg *vm)
{
	if (null_rdonly(vm))
		return (EROFS);
	return (vop_write(LOWER(vm->vm_vp), vm->vm_u.rw.uio,
	    vm->vm_u.rw.ioflag));
}

static int
null_ncreate(struct vop_msg *vm)
{
	struct vnode *lvp;
	int error;

	if (null_rdonly(vm))
		return (EROFS);
	error = vop_ncreate(LOWER(vm->vm_vp), vm->vm_u.ncreate.name,
	    vm->vm_u.ncreate.nlen, vm->vm_u.ncreate.vap,
	    vm->vm_u.ncreate.target, &lvp);
	if (error != 0)
		return (error);
	return (null_nodeget(vm->vm_vp->v_mount, lvp, vm->vm_u.ncreate.vpp));
}

static int
null_nremove(struct vop_msg *vm)
{
	if (null_rdonly(vm))
		return (EROFS);
	return (vop_nremove(LOWER(vm->vm_vp), vm->vm_u.nname.name,
	    vm->vm_u.nname.nlen, LOWER(vm->vm_u.nname.vp)));
}

static int
null_nrmdir(struct vop_msg *vm)
{
	if (null_rdonly(vm))
		return (EROFS);
	return (vop_nrmdir(LOWER(vm->vm_vp), vm->vm_u.nname.name,
	    vm->vm_u.nname.nlen, LOWER(vm->vm_u.nname.vp)));
}

/*
 * The lower vnodes of one layer all belong to the mount of its lower
 * directory (see the top), so the lower filesystem sees what the VFS
 * checked for the upper one.  Checked anyway, cheaply: EXDEV.
 */
static int
null_nlink(struct vop_msg *vm)
{
	struct vnode *ldvp = LOWER(vm->vm_vp), *lvp = LOWER(vm->vm_u.nname.vp);

	if (null_rdonly(vm))
		return (EROFS);
	if (ldvp->v_mount != lvp->v_mount)
		return (EXDEV);
	return (vop_nlink(ldvp, vm->vm_u.nname.name, vm->vm_u.nname.nlen,
	    lvp));
}

static int
null_nrename(struct vop_msg *vm)
{
	struct vnode *lfdvp = LOWER(vm->vm_vp);
	struct vnode *lfvp = LOWER(vm->vm_u.nrename.fvp);
	struct vnode *ltdvp = LOWER(vm->vm_u.nrename.tdvp);
	struct vnode *ltvp = NULL;

	if (null_rdonly(vm))
		return (EROFS);
	if (vm->vm_u.nrename.tvp != NULL)
		ltvp = LOWER(vm->vm_u.nrename.tvp);
	if (lfvp->v_mount != lfdvp->v_mount ||
	    ltdvp->v_mount != lfdvp->v_mount ||
	    (ltvp != NULL && ltvp->v_mount != lfdvp->v_mount))
		return (EXDEV);
	return (vop_nrename(lfdvp, vm->vm_u.nrename.fname,
	    vm->vm_u.nrename.fnlen, lfvp, ltdvp, vm->vm_u.nrename.tname,
	    vm->vm_u.nrename.tnlen, ltvp));
}

static int
null_readlink(struct vop_msg *vm)
{
	return (vop_readlink(LOWER(vm->vm_vp), vm->vm_u.rd.uio));
}

static int
null_readdir(struct vop_msg *vm)
{
	return (vop_readdir(LOWER(vm->vm_vp), vm->vm_u.rd.uio,
	    vm->vm_u.rd.eofp));
}

static int
null_open(struct vop_msg *vm)
{
	if (null_rdonly(vm) && (vm->vm_u.oc.fflag & FWRITE) != 0)
		return (EROFS);
	return (vop_open(LOWER(vm->vm_vp), vm->vm_u.oc.fflag));
}

static int
null_close(struct vop_msg *vm)
{
	return (vop_close(LOWER(vm->vm_vp), vm->vm_u.oc.fflag));
}

/* The last reference is gone: free the upper vnode (see the top). */
static int
null_inactive(struct vop_msg *vm)
{
	struct vnode *vp = vm->vm_vp;
	struct null_mount *nm = VTONULLMOUNT(vp);
	struct null_node *nn = VTONULL(vp);
	struct vnode *lvp = nn->nn_lowervp;

	lwkt_gettoken(&nm->nm_token);
	if (nn->nn_hashed)
		null_unhash(nm, nn);
	lwkt_reltoken(&nm->nm_token);
	vnode_free(vp);
	kfree(nn, M_NULLFS);
	__atomic_sub_fetch(&nm->nm_nvnodes, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&nullfs_nnodes, 1, __ATOMIC_RELAXED);
	vrele(lvp);
	return (0);
}

/*
 * The fast path: every operation in the caller's context, unless the
 * mount asked for service threads ("nofast").  See the top.
 */
static int
null_fast(struct vop_msg *vm)
{
	int op = vm->vm_msg.ms_cmd;

	if (VTONULLMOUNT(vm->vm_vp)->nm_queued)
		return (EASYNC);
	if (op <= 0 || op >= VOP_NOPS || null_vops.vop_op[op] == NULL)
		return (EINVAL);
	return (null_vops.vop_op[op](vm));
}

const struct vop_ops null_vops = {
	.vop_fast = null_fast,
	.vop_op = {
		[VOP_NRESOLVE] = null_nresolve,
		[VOP_GETATTR] = null_getattr,
		[VOP_SETATTR] = null_setattr,
		[VOP_READ] = null_read,
		[VOP_WRITE] = null_write,
		[VOP_NCREATE] = null_ncreate,
		[VOP_NREMOVE] = null_nremove,
		[VOP_NRMDIR] = null_nrmdir,
		[VOP_NLINK] = null_nlink,
		[VOP_NRENAME] = null_nrename,
		[VOP_READLINK] = null_readlink,
		[VOP_READDIR] = null_readdir,
		[VOP_OPEN] = null_open,
		[VOP_CLOSE] = null_close,
		[VOP_INACTIVE] = null_inactive,
	},
};
