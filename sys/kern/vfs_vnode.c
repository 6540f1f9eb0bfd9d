/*
 * Vnode references, permission checks and uiomove.
 *
 * A vnode is created by its filesystem (vnode_alloc) with one reference
 * and lives until the reference count drops to zero, when the VFS sends
 * VOP_INACTIVE and the filesystem decides to free it (vnode_free).  The
 * count never goes from zero back to one (sys/sys/vnode.h, rule 2): a
 * filesystem that can find a vnode again (from a directory entry) keeps
 * its own reference for as long as it can.  That makes the zero crossing
 * unique, so VOP_INACTIVE runs exactly once per vnode without any lock
 * around the count: vref and vrele are single atomic operations.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/uio.h>
#include <sys/stat.h>

MALLOC_DEFINE(M_VNODE, "vnode", "vnodes");

static volatile int vnode_total;	/* [a] vnodes in existence */

/*
 * A new vnode of type type on mp, one reference, v_data = data.  NULL if
 * memory is short.  Does not block.
 */
struct vnode *
vnode_alloc(struct mount *mp, enum vtype type, void *data)
{
	struct vnode *vp;

	vp = kmalloc(sizeof(*vp), M_VNODE, M_ZERO);
	if (vp == NULL)
		return (NULL);
	vp->v_refcnt = 1;
	vp->v_type = type;
	vp->v_mount = mp;
	vp->v_data = data;
	vp->v_nsgen = 1;
	vp->v_nsgenp = &vp->v_nsgen;
	__atomic_add_fetch(&vnode_total, 1, __ATOMIC_RELAXED);
	return (vp);
}

void
vnode_free(struct vnode *vp)
{
	KASSERT(vp->v_refcnt == 0, ("vnode_free: %p has %d references", vp,
	    vp->v_refcnt));
	vp->v_type = VBAD;
	__atomic_sub_fetch(&vnode_total, 1, __ATOMIC_RELAXED);
	kfree(vp, M_VNODE);
}

int
vnode_count(void)
{
	return (__atomic_load_n(&vnode_total, __ATOMIC_RELAXED));
}

void
vref(struct vnode *vp)
{
	int old;

	old = __atomic_fetch_add(&vp->v_refcnt, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, ("vref: vnode %p had %d references", vp, old));
}

/*
 * Drop a reference.  The release that reaches zero hands the vnode to its
 * filesystem through VOP_INACTIVE, which may block.  The release ordering
 * makes every earlier use of the vnode by this thread visible to the
 * filesystem before it frees it.
 */
void
vrele(struct vnode *vp)
{
	int old;

	old = __atomic_fetch_sub(&vp->v_refcnt, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, ("vrele: vnode %p had %d references", vp, old));
	if (old == 1)
		vop_inactive(vp);
}

/*
 * Check acc (VREAD | VWRITE | VEXEC) against the vnode's cached mode and
 * owner.  uid 0 passes, except that executing (VEXEC on a non-directory)
 * needs at least one exec bit.  The attributes are read without a lock:
 * a concurrent chmod may or may not be seen, as with any check-then-use.
 */
int
vaccess(struct vnode *vp, int acc, const struct ucred *cred)
{
	uint32_t mode = vp->v_mode;
	uint32_t bits;

	if (cred == NULL || cred->cr_uid == 0) {
		if ((acc & VEXEC) != 0 && vp->v_type != VDIR &&
		    (mode & 0111) == 0)
			return (EACCES);
		return (0);
	}
	if (cred->cr_uid == vp->v_uid)
		bits = (mode >> 6) & 7;
	else if (cred->cr_gid == vp->v_gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	/* VEXEC, VWRITE, VREAD are 1, 2, 4 like the mode's x, w, r bits. */
	return (((uint32_t)acc & ~bits) == 0 ? 0 : EACCES);
}

size_t
uiomove(void *cp, size_t n, struct uio *uio)
{
	if (n > uio->uio_resid)
		n = uio->uio_resid;
	if (uio->uio_rw == UIO_READ)
		memcpy(uio->uio_buf, cp, n);
	else
		memcpy(cp, uio->uio_buf, n);
	uio->uio_buf = (char *)uio->uio_buf + n;
	uio->uio_resid -= n;
	uio->uio_offset += n;
	return (n);
}
