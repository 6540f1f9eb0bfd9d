/*
 * tmpfs nodes: creation, destruction, attributes and times.
 *
 * A node and its vnode are made together (tmpfs_node_alloc) and die
 * together (tmpfs_node_free), so a node never lacks its vnode and the
 * vnode's v_data is always its node.  The vnode starts with the one
 * reference that vnode_alloc gives it; tmpfs keeps that reference as its
 * own for as long as the node has a name (tmpfs.h, rule 3).  A creation
 * that fails after the node was built (no memory for the directory
 * entry) undoes it with tmpfs_node_abort: nobody else has seen the vnode,
 * so its single reference is simply taken back.
 *
 * Every node is on its mount's list (tm_nodes) so that unmount can free
 * what no directory reaches any more: the nodes whose names are gone but
 * whose vnodes were still referenced a moment ago.
 *
 * Everything here runs with the mount's token held (rule 1) and never
 * blocks: kmalloc and vnode_alloc do not, getnanotime does not.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/time.h>
#include <vm/vm_page.h>
#include <vfs/tmpfs/tmpfs.h>

MALLOC_DEFINE(M_TMPFS, "tmpfs", "tmpfs mounts, nodes, symlinks, name hashes");

/*
 * Make a node of type type (VREG, VDIR or VLNK) with its vnode, on tm's
 * list, times set to now.  Its link count is already that of a node with
 * one name (1, or 2 for a directory: its name and "."); the caller gives
 * it that name (tmpfs_dir_attach) or calls tmpfs_node_abort.  target is
 * the symlink's NUL-terminated target for VLNK, else unused.
 * Errors, with nothing allocated: ENOSPC (node limit, or no memory),
 * EINVAL (type), ENOENT (empty target), ENAMETOOLONG (target of PATH_MAX
 * bytes or more).  tm_token held.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, uint32_t mode,
    uint32_t uid, uint32_t gid, const char *target, struct tmpfs_node **np)
{
	struct tmpfs_node *node;
	struct vnode *vp;
	size_t tlen = 0;
	char *tcopy = NULL;

	KKASSERT(lwkt_token_is_held(&tm->tm_token, true));
	if (type != VREG && type != VDIR && type != VLNK)
		return (EINVAL);
	if (type == VLNK) {
		if (target == NULL)
			return (EINVAL);
		tlen = strnlen(target, PATH_MAX);
		if (tlen == 0)
			return (ENOENT);
		if (tlen >= PATH_MAX)
			return (ENAMETOOLONG);
	}
	if (tm->tm_nodes_used >= tm->tm_nodes_max)
		return (ENOSPC);

	node = kmalloc(sizeof(*node), M_TMPFS, M_ZERO);
	if (node == NULL)
		return (ENOSPC);
	if (type == VLNK) {
		tcopy = kmalloc(tlen + 1, M_TMPFS, 0);
		if (tcopy == NULL) {
			kfree(node, M_TMPFS);
			return (ENOSPC);
		}
		memcpy(tcopy, target, tlen);
		tcopy[tlen] = '\0';
	}
	vp = vnode_alloc(tm->tm_mp, type, node);
	if (vp == NULL) {
		kfree(tcopy, M_TMPFS);
		kfree(node, M_TMPFS);
		return (ENOSPC);
	}

	/* Commit: nothing below can fail. */
	node->tn_vnode = vp;
	node->tn_type = type;
	node->tn_ino = tm->tm_nextino++;
	node->tn_mode = mode & ALLPERMS;
	node->tn_uid = uid;
	node->tn_gid = gid;
	node->tn_nlink = (type == VDIR) ? 2 : 1;
	switch (type) {
	case VDIR:
		node->tn_u.dir.nextcookie = TMPFS_COOKIE_FIRST;
		break;
	case VLNK:
		node->tn_target = tcopy;
		node->tn_tlen = tlen;
		break;
	default:
		break;
	}
	tmpfs_node_touch(node, TMPFS_ATIME | TMPFS_MTIME | TMPFS_CTIME);
	tmpfs_node_setvattr(node);

	node->tn_prev = NULL;
	node->tn_next = tm->tm_nodes;
	if (tm->tm_nodes != NULL)
		tm->tm_nodes->tn_prev = node;
	tm->tm_nodes = node;
	tm->tm_nodes_used++;
	*np = node;
	return (0);
}

/*
 * Free node, everything it holds and its vnode, whose count must be 0.
 * A directory must have no entries left unless the whole mount is going
 * away (unmount frees the entries here and the named nodes separately).
 * tm_token held.
 */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	KKASSERT(lwkt_token_is_held(&tm->tm_token, true));
	switch (node->tn_type) {
	case VREG:
		tmpfs_file_destroy(tm, node);
		break;
	case VDIR:
		tmpfs_dir_destroy(node);
		break;
	case VLNK:
		kfree(node->tn_target, M_TMPFS);
		break;
	default:
		panic("tmpfs_node_free: node %p has type %d", node,
		    node->tn_type);
	}
	if (node->tn_prev != NULL)
		node->tn_prev->tn_next = node->tn_next;
	else
		tm->tm_nodes = node->tn_next;
	if (node->tn_next != NULL)
		node->tn_next->tn_prev = node->tn_prev;
	KKASSERT(tm->tm_nodes_used > 0);
	tm->tm_nodes_used--;
	vnode_free(node->tn_vnode);
	node->tn_vnode = NULL;
	kfree(node, M_TMPFS);
}

/*
 * Drop tmpfs's own reference to node's vnode without VOP_INACTIVE, and
 * free the node.  Only for a vnode nobody else holds: a node whose
 * creation is being undone, or every named node at unmount (the VFS
 * holds no vnode of the mount by then).  tm_token held.
 */
void
tmpfs_node_abort(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	int left;

	left = __atomic_sub_fetch(&node->tn_vnode->v_refcnt, 1,
	    __ATOMIC_ACQ_REL);
	KASSERT(left == 0, ("tmpfs_node_abort: vnode %p still has %d "
	    "references", node->tn_vnode, left));
	tmpfs_node_free(tm, node);
}

/* Set the times named in what (TMPFS_ATIME | ...) to now. */
void
tmpfs_node_touch(struct tmpfs_node *node, int what)
{
	struct timespec now;

	getnanotime(&now);
	if ((what & TMPFS_ATIME) != 0)
		node->tn_atime = now;
	if ((what & TMPFS_MTIME) != 0)
		node->tn_mtime = now;
	if ((what & TMPFS_CTIME) != 0)
		node->tn_ctime = now;
}

/* Refresh the vnode's cached attributes (vnode.h rule 4). */
void
tmpfs_node_setvattr(struct tmpfs_node *node)
{
	struct vnode *vp = node->tn_vnode;

	vp->v_mode = node->tn_mode;
	vp->v_uid = node->tn_uid;
	vp->v_gid = node->tn_gid;
}

/*
 * Fill *vap.  A directory's size is 32 bytes per entry, "." and ".."
 * included (a figure, not storage); va_bytes counts file pages only.
 */
void
tmpfs_node_getattr(struct tmpfs_mount *tm, struct tmpfs_node *node,
    struct vattr *vap)
{
	memset(vap, 0, sizeof(*vap));
	vap->va_type = node->tn_type;
	vap->va_mask = VA_ALL;
	vap->va_mode = node->tn_mode;
	vap->va_uid = node->tn_uid;
	vap->va_gid = node->tn_gid;
	vap->va_nlink = node->tn_nlink;
	vap->va_fsid = tm->tm_mp->mnt_id;
	vap->va_ino = node->tn_ino;
	switch (node->tn_type) {
	case VREG:
		vap->va_size = node->tn_size;
		vap->va_bytes = node->tn_npages * PAGE_SIZE;
		break;
	case VDIR:
		vap->va_size = 32 * (node->tn_nentries + 2);
		break;
	case VLNK:
		vap->va_size = node->tn_tlen;
		break;
	default:
		break;
	}
	vap->va_atime = node->tn_atime;
	vap->va_mtime = node->tn_mtime;
	vap->va_ctime = node->tn_ctime;
}

static bool
tmpfs_timespec_valid(const struct timespec *ts)
{
	return (ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000);
}

/*
 * Apply the VA_* fields of va_mask.  Everything is checked before
 * anything changes: EISDIR (VA_SIZE on a directory), EINVAL (VA_SIZE on
 * a symlink, a time with tv_nsec out of range), EFBIG (size beyond
 * TMPFS_MAXFILESIZE).  VA_SIZE truncates and refreshes mtime; explicit
 * VA_MTIME/VA_ATIME win over that; ctime always becomes now.
 * tm_token held.
 */
int
tmpfs_node_setattr(struct tmpfs_mount *tm, struct tmpfs_node *node,
    struct vattr *vap)
{
	uint32_t mask = vap->va_mask;
	int error;

	if ((mask & ~VA_ALL) != 0)
		return (EINVAL);
	if ((mask & VA_SIZE) != 0) {
		if (node->tn_type == VDIR)
			return (EISDIR);
		if (node->tn_type != VREG)
			return (EINVAL);
		if (vap->va_size > TMPFS_MAXFILESIZE)
			return (EFBIG);
	}
	if ((mask & VA_ATIME) != 0 && !tmpfs_timespec_valid(&vap->va_atime))
		return (EINVAL);
	if ((mask & VA_MTIME) != 0 && !tmpfs_timespec_valid(&vap->va_mtime))
		return (EINVAL);

	if ((mask & VA_SIZE) != 0) {
		error = tmpfs_file_truncate(tm, node, vap->va_size);
		KKASSERT(error == 0);	/* checked above: cannot fail */
		tmpfs_node_touch(node, TMPFS_MTIME);
	}
	if ((mask & VA_MODE) != 0)
		node->tn_mode = vap->va_mode & ALLPERMS;
	if ((mask & VA_UID) != 0)
		node->tn_uid = vap->va_uid;
	if ((mask & VA_GID) != 0)
		node->tn_gid = vap->va_gid;
	if ((mask & VA_ATIME) != 0)
		node->tn_atime = vap->va_atime;
	if ((mask & VA_MTIME) != 0)
		node->tn_mtime = vap->va_mtime;
	tmpfs_node_touch(node, TMPFS_CTIME);
	tmpfs_node_setvattr(node);
	return (0);
}

/*
 * True if directory dir is anc or lies below it.  Walks ".." up to the
 * root (whose parent is itself) or a removed directory (NULL).
 * tm_token held.
 */
bool
tmpfs_dir_is_inside(struct tmpfs_node *dir, struct tmpfs_node *anc)
{
	struct tmpfs_node *n = dir;

	while (n != NULL) {
		if (n == anc)
			return (true);
		if (n->tn_parent == n)
			return (false);
		n = n->tn_parent;
	}
	return (false);
}
