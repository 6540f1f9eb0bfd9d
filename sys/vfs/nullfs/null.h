/*
 * nullfs (sys/vfs/nullfs): a stacking layer that shows a lower directory
 * under another path.  See the design note in null_vnops.c.
 */
#ifndef _VFS_NULLFS_NULL_H_
#define _VFS_NULLFS_NULL_H_

#include <sys/types.h>
#include <sys/thread.h>

struct mount;
struct vnode;
struct namecache;

#define NULL_HASHSIZE	256	/* buckets per mount, a power of two */

struct null_node;

struct null_mount {
	struct lwkt_token nm_token;	/* protects the hash (and nn_hnext,
					   nn_hashed of its nodes) */
	struct vnode	*nm_lowerroot;	/* [I] referenced lower directory */
	struct namecache *nm_lowerncp;	/* [I] referenced entry of it: the
					   lower mount stays busy */
	bool		nm_rdonly;	/* [I] "ro": refuse every change */
	bool		nm_queued;	/* [I] "nofast": use service threads */
	volatile int	nm_nvnodes;	/* [a] upper vnodes in existence */
	struct null_node *nm_hash[NULL_HASHSIZE]; /* [nm_token] by lower vp */
};

/* An upper vnode's private data: one per upper vnode, one to one. */
struct null_node {
	struct null_node *nn_hnext;	/* [nm_token] hash chain */
	struct vnode	*nn_vp;		/* [I] the upper vnode */
	struct vnode	*nn_lowervp;	/* [I] referenced lower vnode */
	bool		nn_hashed;	/* [nm_token] findable in nm_hash */
};

#define VTONULLMOUNT(vp)	((struct null_mount *)(vp)->v_mount->mnt_data)
#define VTONULL(vp)		((struct null_node *)(vp)->v_data)
#define NULLVPTOLOWERVP(vp)	(VTONULL(vp)->nn_lowervp)

/*
 * The upper vnode of lvp in mp (referenced): the one in the hash if it
 * is still referenced, else a new one.  lvp is referenced by the caller
 * and the reference is consumed either way.  0 or ENOMEM.  Any thread
 * context; may block (vrele of lvp).
 */
int	null_nodeget(struct mount *mp, struct vnode *lvp, struct vnode **vpp);

extern const struct vop_ops null_vops;

/* Upper vnodes in existence over every nullfs mount (tests: leaks). */
int	nullfs_node_count(void);

#endif /* !_VFS_NULLFS_NULL_H_ */
