/*
 * tmpfs VOP handlers (the contracts are in sys/sys/mount.h).
 *
 * Every operation is one function tmpfs_op_*() that runs with the mount's
 * token held from start to end and never blocks, so it is atomic: nobody
 * sees a rename half done, a write half done, or a directory whose link
 * count disagrees with its entries.  Two entry points call them:
 *
 *   tmpfs_vop()   the handler the VFS runs in a service thread (or in the
 *		   caller, see mount.h).  It takes the token, blocking while
 *		   someone else has it, runs the operation, releases the token
 *		   and only then drops the reference of a vnode whose last
 *		   name the operation removed (vrele may block: tmpfs.h rule 2).
 *   tmpfs_fast()  vop_fast, in the caller's context.  It tries the token
 *		   (lwkt_trytoken, never waits) and runs the operation if it
 *		   gets it: every operation with "fast=all" (the default),
 *		   only NRESOLVE, GETATTR, READ, READLINK, READDIR and a WRITE
 *		   that needs no new page and does not extend the file with
 *		   "fast=read", none with "fast=none".  Anything else, or a
 *		   busy token, returns EASYNC and the VFS queues the message
 *		   to a service thread.  OPEN and CLOSE do nothing in tmpfs
 *		   and complete here without the token.
 *
 * Names reaching the N* operations have been checked by the VFS (not "."
 * or "..", no '/'); they are checked again (EINVAL, ENAMETOOLONG) because
 * a mistake there would corrupt a directory.  Likewise the VFS's view of
 * which vnode a name names is checked against the directory (ENOENT on a
 * mismatch) before anything changes.
 *
 * Read-only mounts (MNT_RDONLY) refuse every change with EROFS.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/thread.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <vfs/tmpfs/tmpfs.h>

/* An operation, run with the token held.  *dropp: vnode to vrele after. */
typedef int tmpfs_op_t(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp);

static bool
tmpfs_rdonly(struct tmpfs_mount *tm)
{
	return ((tm->tm_mp->mnt_flag & MNT_RDONLY) != 0);
}

static bool
tmpfs_isdots(const char *name, size_t nlen)
{
	return (nlen > 0 && nlen <= 2 && name[0] == '.' &&
	    (nlen == 1 || name[1] == '.'));
}

/*
 * A name that may be stored in a directory: 0, EINVAL (empty, "." or
 * "..", a '/' or a NUL) or ENAMETOOLONG.
 */
static int
tmpfs_checkname(const char *name, size_t nlen)
{
	size_t i;

	if (nlen == 0 || tmpfs_isdots(name, nlen))
		return (EINVAL);
	if (nlen > NAME_MAX)
		return (ENAMETOOLONG);
	for (i = 0; i < nlen; i++) {
		if (name[i] == '/' || name[i] == '\0')
			return (EINVAL);
	}
	return (0);
}

/* The node of directory vnode dvp, or NULL if it is not a directory. */
static struct tmpfs_node *
tmpfs_dirnode(struct vnode *dvp)
{
	struct tmpfs_node *dir = VP_TO_TMPFS_NODE(dvp);

	return (dir->tn_type == VDIR ? dir : NULL);
}

static int
tmpfs_op_nresolve(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	const char *name = msg->vm_u.nresolve.name;
	size_t nlen = msg->vm_u.nresolve.nlen;
	struct tmpfs_node *dir, *node;
	struct tmpfs_dirent *de;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	if (nlen == 0 || nlen > NAME_MAX)
		return (nlen == 0 ? ENOENT : ENAMETOOLONG);
	if (nlen == 1 && name[0] == '.') {
		node = dir;
	} else if (nlen == 2 && name[0] == '.' && name[1] == '.') {
		node = dir->tn_parent;
		if (node == NULL)
			return (ENOENT);
	} else {
		de = tmpfs_dir_lookup(dir, name, nlen);
		if (de == NULL)
			return (ENOENT);
		node = de->td_node;
	}
	vref(node->tn_vnode);
	*msg->vm_u.nresolve.vpp = node->tn_vnode;
	return (0);
}

static int
tmpfs_op_getattr(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	tmpfs_node_getattr(tm, VP_TO_TMPFS_NODE(msg->vm_vp),
	    msg->vm_u.attr.vap);
	return (0);
}

static int
tmpfs_op_setattr(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	if (tmpfs_rdonly(tm))
		return (EROFS);
	return (tmpfs_node_setattr(tm, VP_TO_TMPFS_NODE(msg->vm_vp),
	    msg->vm_u.attr.vap));
}

static int
tmpfs_op_read(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(msg->vm_vp);

	if (node->tn_type == VDIR)
		return (EISDIR);
	if (node->tn_type != VREG)
		return (EINVAL);
	return (tmpfs_file_read(node, msg->vm_u.rw.uio));
}

static int
tmpfs_op_write(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(msg->vm_vp);

	if (node->tn_type == VDIR)
		return (EISDIR);
	if (node->tn_type != VREG)
		return (EINVAL);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	return (tmpfs_file_write(tm, node, msg->vm_u.rw.uio,
	    msg->vm_u.rw.ioflag));
}

/*
 * Create a file, directory or symlink.  The node (with its vnode) is
 * made first, then its name; if the name cannot be stored the node is
 * undone, so a failure leaves nothing behind.
 */
static int
tmpfs_op_ncreate(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	const char *name = msg->vm_u.ncreate.name;
	size_t nlen = msg->vm_u.ncreate.nlen;
	struct vattr *vap = msg->vm_u.ncreate.vap;
	struct tmpfs_node *dir, *node;
	int error;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	if (tmpfs_isdots(name, nlen))
		return (EEXIST);
	if ((error = tmpfs_checkname(name, nlen)) != 0)
		return (error);
	if (dir->tn_nlink == 0)
		return (ENOENT);	/* the directory was removed */
	if (tmpfs_dir_lookup(dir, name, nlen) != NULL)
		return (EEXIST);
	if (vap->va_type == VDIR && dir->tn_nlink >= TMPFS_LINK_MAX)
		return (EMLINK);
	error = tmpfs_node_alloc(tm, vap->va_type, vap->va_mode, vap->va_uid,
	    vap->va_gid, msg->vm_u.ncreate.target, &node);
	if (error != 0)
		return (error);
	if (node->tn_type == VDIR)
		node->tn_parent = dir;
	error = tmpfs_dir_attach(dir, name, nlen, node);
	if (error != 0) {
		tmpfs_node_abort(tm, node);
		return (error);
	}
	if (node->tn_type == VDIR)
		dir->tn_nlink++;
	tmpfs_node_touch(dir, TMPFS_MTIME | TMPFS_CTIME);
	vref(node->tn_vnode);
	*msg->vm_u.ncreate.vpp = node->tn_vnode;
	return (0);
}

/*
 * The entry for (name, nlen) in dir, which must name vp: ENOENT if the
 * name is gone or names something else now.
 */
static int
tmpfs_lookup_expect(struct tmpfs_node *dir, const char *name, size_t nlen,
    struct vnode *vp, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;
	int error;

	if ((error = tmpfs_checkname(name, nlen)) != 0)
		return (error);
	de = tmpfs_dir_lookup(dir, name, nlen);
	if (de == NULL || (vp != NULL && de->td_node->tn_vnode != vp))
		return (ENOENT);
	*dep = de;
	return (0);
}

static int
tmpfs_op_nremove(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *dir, *node;
	struct tmpfs_dirent *de;
	int error;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	error = tmpfs_lookup_expect(dir, msg->vm_u.nname.name,
	    msg->vm_u.nname.nlen, msg->vm_u.nname.vp, &de);
	if (error != 0)
		return (error);
	node = de->td_node;
	if (node->tn_type == VDIR)
		return (EISDIR);

	tmpfs_dir_detach(dir, de);
	KKASSERT(node->tn_nlink > 0);
	if (--node->tn_nlink == 0)
		*dropp = node->tn_vnode;
	tmpfs_node_touch(node, TMPFS_CTIME);
	tmpfs_node_touch(dir, TMPFS_MTIME | TMPFS_CTIME);
	return (0);
}

static int
tmpfs_op_nrmdir(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *dir, *node;
	struct tmpfs_dirent *de;
	int error;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	error = tmpfs_lookup_expect(dir, msg->vm_u.nname.name,
	    msg->vm_u.nname.nlen, msg->vm_u.nname.vp, &de);
	if (error != 0)
		return (error);
	node = de->td_node;
	if (node->tn_type != VDIR)
		return (ENOTDIR);
	if (node->tn_nentries != 0)
		return (ENOTEMPTY);

	tmpfs_dir_detach(dir, de);
	KKASSERT(dir->tn_nlink > 2 && node->tn_nlink == 2);
	dir->tn_nlink--;
	node->tn_nlink = 0;
	node->tn_parent = NULL;
	*dropp = node->tn_vnode;
	tmpfs_node_touch(node, TMPFS_CTIME);
	tmpfs_node_touch(dir, TMPFS_MTIME | TMPFS_CTIME);
	return (0);
}

static int
tmpfs_op_nlink(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	const char *name = msg->vm_u.nname.name;
	size_t nlen = msg->vm_u.nname.nlen;
	struct vnode *vp = msg->vm_u.nname.vp;
	struct tmpfs_node *dir, *node;
	int error;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	if (vp->v_mount != msg->vm_vp->v_mount)
		return (EXDEV);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	if (tmpfs_isdots(name, nlen))
		return (EEXIST);
	if ((error = tmpfs_checkname(name, nlen)) != 0)
		return (error);
	node = VP_TO_TMPFS_NODE(vp);
	if (node->tn_type == VDIR)
		return (EPERM);
	if (node->tn_nlink == 0 || dir->tn_nlink == 0)
		return (ENOENT);	/* no resurrection (vnode.h rule 2) */
	if (node->tn_nlink >= TMPFS_LINK_MAX)
		return (EMLINK);
	if (tmpfs_dir_lookup(dir, name, nlen) != NULL)
		return (EEXIST);
	error = tmpfs_dir_attach(dir, name, nlen, node);
	if (error != 0)
		return (error);
	node->tn_nlink++;
	tmpfs_node_touch(node, TMPFS_CTIME);
	tmpfs_node_touch(dir, TMPFS_MTIME | TMPFS_CTIME);
	return (0);
}

/*
 * Rename fdir/fname (fvp) to tdir/tname, replacing what tname names (tvp)
 * if anything.  All checks come first; the only allocation (a new entry
 * when tname does not exist) comes next; after it nothing can fail.
 * Replacing keeps the target's entry (and cookie) and points it at the
 * moved node, so the target name never disappears, even for an instant
 * nobody could observe anyway under the token.
 *
 * Link counts: a directory moving between parents takes a link from the
 * old parent and gives one to the new (its ".." changes); a replaced
 * directory takes one from the target parent and drops to 0; a replaced
 * file loses one name.  A victim left with no name has its tmpfs
 * reference dropped (*dropp).
 */
static int
tmpfs_op_nrename(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *fdir, *tdir, *fnode, *victim;
	struct tmpfs_dirent *fde, *tde;
	struct vnode *tdvp = msg->vm_u.nrename.tdvp;
	struct vnode *tvp = msg->vm_u.nrename.tvp;
	const char *tname = msg->vm_u.nrename.tname;
	size_t tnlen = msg->vm_u.nrename.tnlen;
	bool isdir;
	int error;

	/* Check. */
	if (tdvp->v_mount != msg->vm_vp->v_mount)
		return (EXDEV);
	fdir = tmpfs_dirnode(msg->vm_vp);
	tdir = tmpfs_dirnode(tdvp);
	if (fdir == NULL || tdir == NULL)
		return (ENOTDIR);
	if (tmpfs_rdonly(tm))
		return (EROFS);
	error = tmpfs_lookup_expect(fdir, msg->vm_u.nrename.fname,
	    msg->vm_u.nrename.fnlen, msg->vm_u.nrename.fvp, &fde);
	if (error != 0)
		return (error);
	if ((error = tmpfs_checkname(tname, tnlen)) != 0)
		return (error);
	if (tdir->tn_nlink == 0)
		return (ENOENT);
	fnode = fde->td_node;
	isdir = (fnode->tn_type == VDIR);
	tde = tmpfs_dir_lookup(tdir, tname, tnlen);
	victim = (tde != NULL) ? tde->td_node : NULL;
	if (tvp != NULL && (victim == NULL || victim->tn_vnode != tvp))
		return (ENOENT);
	if (tvp == NULL && victim != NULL)
		return (EEXIST);
	if (victim == fnode)
		return (0);		/* two names of one file: no-op */
	if (victim != NULL) {
		if (isdir && victim->tn_type != VDIR)
			return (ENOTDIR);
		if (!isdir && victim->tn_type == VDIR)
			return (EISDIR);
		if (isdir && victim->tn_nentries != 0)
			return (ENOTEMPTY);
	}
	if (isdir && fdir != tdir) {
		if (tmpfs_dir_is_inside(tdir, fnode))
			return (EINVAL);
		if (victim == NULL && tdir->tn_nlink >= TMPFS_LINK_MAX)
			return (EMLINK);
	}

	/* Allocate (the one step that may fail). */
	if (victim == NULL) {
		error = tmpfs_dir_attach(tdir, tname, tnlen, fnode);
		if (error != 0)
			return (error);
	}

	/* Commit. */
	if (victim != NULL)
		tde->td_node = fnode;
	tmpfs_dir_detach(fdir, fde);
	if (isdir && fdir != tdir) {
		fdir->tn_nlink--;
		tdir->tn_nlink++;
		fnode->tn_parent = tdir;
	}
	if (victim != NULL) {
		if (victim->tn_type == VDIR) {
			tdir->tn_nlink--;
			victim->tn_nlink = 0;
			victim->tn_parent = NULL;
		} else {
			victim->tn_nlink--;
		}
		tmpfs_node_touch(victim, TMPFS_CTIME);
		if (victim->tn_nlink == 0)
			*dropp = victim->tn_vnode;
	}
	tmpfs_node_touch(fnode, TMPFS_CTIME);
	tmpfs_node_touch(fdir, TMPFS_MTIME | TMPFS_CTIME);
	if (tdir != fdir)
		tmpfs_node_touch(tdir, TMPFS_MTIME | TMPFS_CTIME);
	return (0);
}

static int
tmpfs_op_readlink(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(msg->vm_vp);

	if (node->tn_type != VLNK)
		return (EINVAL);
	uiomove(node->tn_target, node->tn_tlen, msg->vm_u.rd.uio);
	tmpfs_node_touch(node, TMPFS_ATIME);
	return (0);
}

static int
tmpfs_op_readdir(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct tmpfs_node *dir;

	if ((dir = tmpfs_dirnode(msg->vm_vp)) == NULL)
		return (ENOTDIR);
	return (tmpfs_dir_readdir(dir, msg->vm_u.rd.uio, msg->vm_u.rd.eofp));
}

static int
tmpfs_op_openclose(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	return (0);
}

/*
 * The vnode's count reached 0.  tmpfs holds a reference while a node has
 * a name, so the node has none left: free it, its data and its vnode.
 */
static int
tmpfs_op_inactive(struct tmpfs_mount *tm, struct vop_msg *msg,
    struct vnode **dropp)
{
	struct vnode *vp = msg->vm_vp;
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	KASSERT(vp->v_refcnt == 0, ("tmpfs_inactive: vnode %p has %d "
	    "references", vp, vp->v_refcnt));
	KASSERT(node->tn_nlink == 0 && node != tm->tm_root,
	    ("tmpfs_inactive: node %p (ino %lu) still has %u names", node,
	    node->tn_ino, node->tn_nlink));
	tmpfs_node_free(tm, node);
	return (0);
}

static tmpfs_op_t *const tmpfs_ops[VOP_NOPS] = {
	[VOP_NRESOLVE] = tmpfs_op_nresolve,
	[VOP_GETATTR] = tmpfs_op_getattr,
	[VOP_SETATTR] = tmpfs_op_setattr,
	[VOP_READ] = tmpfs_op_read,
	[VOP_WRITE] = tmpfs_op_write,
	[VOP_NCREATE] = tmpfs_op_ncreate,
	[VOP_NREMOVE] = tmpfs_op_nremove,
	[VOP_NRMDIR] = tmpfs_op_nrmdir,
	[VOP_NLINK] = tmpfs_op_nlink,
	[VOP_NRENAME] = tmpfs_op_nrename,
	[VOP_READLINK] = tmpfs_op_readlink,
	[VOP_READDIR] = tmpfs_op_readdir,
	[VOP_OPEN] = tmpfs_op_openclose,
	[VOP_CLOSE] = tmpfs_op_openclose,
	[VOP_INACTIVE] = tmpfs_op_inactive,
};

/*
 * The handler for every operation, in a service thread or the caller's
 * context.  May block: waiting for the token, and in the final vrele.
 */
static int
tmpfs_vop(struct vop_msg *msg)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(msg->vm_vp->v_mount);
	int op = msg->vm_msg.ms_cmd;
	struct vnode *drop = NULL;
	int error;

	KKASSERT(op > 0 && op < VOP_NOPS && tmpfs_ops[op] != NULL);
	lwkt_gettoken(&tm->tm_token);
	error = tmpfs_ops[op](tm, msg, &drop);
	lwkt_reltoken(&tm->tm_token);
	if (drop != NULL)
		vrele(drop);
	return (error);
}

/*
 * vop_fast, in the caller's context.  tmpfs never blocks while it works
 * (rule (2) in tmpfs.h), so with "fast=all" (the default) every operation
 * is tried here: if the token is free (lwkt_trytoken never waits) it runs
 * at once; if another CPU holds it, EASYNC sends the message to a service
 * thread, which waits for the token instead of the caller spinning or
 * sleeping on it.  "fast=read" keeps only the operations that neither
 * allocate nor drop a name (NRESOLVE, GETATTR, READ, READLINK, READDIR, a
 * WRITE within resident pages that does not extend the file);
 * "fast=none" sends everything to the service threads.  The vnode an
 * operation drops (a name's last reference) is released after the
 * token, in the caller, which may block: that is the caller's context.
 */
static int
tmpfs_fast(struct vop_msg *msg)
{
	struct tmpfs_mount *tm;
	struct vnode *drop = NULL;
	int op = msg->vm_msg.ms_cmd;
	int error;

	tm = VFS_TO_TMPFS(msg->vm_vp->v_mount);
	if (tm->tm_fast == TMPFS_FAST_NONE)
		return (EASYNC);
	switch (op) {
	case VOP_OPEN:
	case VOP_CLOSE:
		return (0);
	case VOP_NRESOLVE:
	case VOP_GETATTR:
	case VOP_READ:
	case VOP_READLINK:
	case VOP_READDIR:
	case VOP_WRITE:
		break;
	default:
		if (tm->tm_fast != TMPFS_FAST_ALL)
			return (EASYNC);
		break;
	}
	if (!lwkt_trytoken(&tm->tm_token))
		return (EASYNC);
	if (op == VOP_WRITE && tm->tm_fast != TMPFS_FAST_ALL &&
	    (tmpfs_rdonly(tm) ||
	    VP_TO_TMPFS_NODE(msg->vm_vp)->tn_type != VREG ||
	    !tmpfs_file_write_resident(VP_TO_TMPFS_NODE(msg->vm_vp),
	    msg->vm_u.rw.uio, msg->vm_u.rw.ioflag)))
		error = EASYNC;
	else
		error = tmpfs_ops[op](tm, msg, &drop);
	lwkt_reltoken(&tm->tm_token);
	if (drop != NULL)
		vrele(drop);
	return (error);
}

const struct vop_ops tmpfs_vops = {
	.vop_fast = tmpfs_fast,
	.vop_op = {
		[VOP_NRESOLVE] = tmpfs_vop,
		[VOP_GETATTR] = tmpfs_vop,
		[VOP_SETATTR] = tmpfs_vop,
		[VOP_READ] = tmpfs_vop,
		[VOP_WRITE] = tmpfs_vop,
		[VOP_NCREATE] = tmpfs_vop,
		[VOP_NREMOVE] = tmpfs_vop,
		[VOP_NRMDIR] = tmpfs_vop,
		[VOP_NLINK] = tmpfs_vop,
		[VOP_NRENAME] = tmpfs_vop,
		[VOP_READLINK] = tmpfs_vop,
		[VOP_READDIR] = tmpfs_vop,
		[VOP_OPEN] = tmpfs_vop,
		[VOP_CLOSE] = tmpfs_vop,
		[VOP_INACTIVE] = tmpfs_vop,
	},
};
