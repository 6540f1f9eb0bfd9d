/*
 * tmpfs mount, unmount and statfs.
 *
 * Options (comma-separated; anything else is EINVAL):
 *   size=BYTES   limit on file pages, rounded up to whole pages; an
 *		  optional k, m or g suffix multiplies by 2^10, 2^20, 2^30;
 *		  from 1 byte to 2^62.
 *		  Default: 1/TMPFS_DEFAULT_DIV (half) of the RAM given to the
 *		  page allocator (vm_phys_total_count()), leaving the rest to
 *		  the kernel.  Only file data counts against it; metadata
 *		  (nodes, entries, tree nodes, symlink targets) comes from
 *		  kmalloc and is bounded by the node limit.
 *   nodes=N	  limit on files, directories and symlinks (the root
 *		  included).  Default: the page limit, at least 1024.
 *   ro, rw	  read-only refuses every change (EROFS); the VFS sets
 *		  MNT_RDONLY from "ro".
 *   fast=all|read|none  which operations may complete in the caller's
 *		  context when the token is free (tmpfs_vnops.c, tmpfs_fast);
 *		  default all.
 *   threads=...  the VFS's (accepted and ignored here).
 * Even within the limits, a write gets ENOSPC when vm_page_alloc or
 * kmalloc fails (tmpfs_file.c).
 *
 * The root directory is mode 0755, owner 0:0; its ".." is itself.
 * mnt_rootvp holds a reference of the VFS's own, besides tmpfs's (rule 3
 * in tmpfs.h).
 *
 Unmount drops mnt_rootvp's reference and frees every node, page and
 * entry.  The VFS calls it once nothing but tmpfs and mnt_rootvp
 * references a vnode of the mount, so every node left has either a name
 * (its vnode's only reference is tmpfs's, plus mnt_rootvp's for the
 * root) or none (count 0: freed here, although its VOP_INACTIVE never
 * came); any other count means the VFS still holds the vnode, and
 * unmount fails with EBUSY before changing anything.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <vm/vm_page.h>
#include <vfs/tmpfs/tmpfs.h>

#define TMPFS_MIN_NODES		1024
#define TMPFS_OPT_MAX		64	/* longest single option */

struct tmpfs_args {
	uint64_t	ta_pages;	/* 0: default */
	uint64_t	ta_nodes;	/* 0: default */
	int		ta_fast;	/* TMPFS_FAST_* (0: all) */
};

/*
 * Parse a decimal number with an optional k/m/g suffix into *vp.  EINVAL
 * for anything else or on overflow.
 */
static int
tmpfs_parse_num(const char *s, bool suffix, uint64_t *vp)
{
	uint64_t v = 0, mult = 1;

	if (*s < '0' || *s > '9')
		return (EINVAL);
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return (EINVAL);
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (suffix && *s != '\0') {
		switch (*s++) {
		case 'k': case 'K':
			mult = (uint64_t)1 << 10;
			break;
		case 'm': case 'M':
			mult = (uint64_t)1 << 20;
			break;
		case 'g': case 'G':
			mult = (uint64_t)1 << 30;
			break;
		default:
			return (EINVAL);
		}
	}
	if (*s != '\0' || v > UINT64_MAX / mult)
		return (EINVAL);
	*vp = v * mult;
	return (0);
}

/* One option ("key" or "key=value"). */
static int
tmpfs_parse_opt(const char *opt, struct tmpfs_args *ta)
{
	uint64_t v;
	int error;

	if (strcmp(opt, "ro") == 0 || strcmp(opt, "rw") == 0 ||
	    strncmp(opt, "threads=", 8) == 0)
		return (0);
	if (strncmp(opt, "size=", 5) == 0) {
		if ((error = tmpfs_parse_num(opt + 5, true, &v)) != 0)
			return (error);
		if (v == 0 || v > TMPFS_MAXFILESIZE)
			return (EINVAL);
		ta->ta_pages = howmany(v, PAGE_SIZE);
		return (0);
	}
	if (strcmp(opt, "fast=all") == 0) {
		ta->ta_fast = TMPFS_FAST_ALL;
		return (0);
	}
	if (strcmp(opt, "fast=read") == 0) {
		ta->ta_fast = TMPFS_FAST_READ;
		return (0);
	}
	if (strcmp(opt, "fast=none") == 0) {
		ta->ta_fast = TMPFS_FAST_NONE;
		return (0);
	}
	if (strncmp(opt, "nodes=", 6) == 0) {
		if ((error = tmpfs_parse_num(opt + 6, false, &v)) != 0)
			return (error);
		if (v == 0)
			return (EINVAL);
		ta->ta_nodes = v;
		return (0);
	}
	return (EINVAL);
}

/* Split opts at commas (empty items are skipped). */
static int
tmpfs_parse_opts(const char *opts, struct tmpfs_args *ta)
{
	char buf[TMPFS_OPT_MAX];
	const char *p = opts, *end;
	size_t len;
	int error;

	memset(ta, 0, sizeof(*ta));
	if (opts == NULL)
		return (0);
	while (*p != '\0') {
		end = strchr(p, ',');
		len = (end != NULL) ? (size_t)(end - p) : strlen(p);
		if (len >= sizeof(buf))
			return (EINVAL);
		if (len > 0) {
			memcpy(buf, p, len);
			buf[len] = '\0';
			if ((error = tmpfs_parse_opt(buf, ta)) != 0)
				return (error);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return (0);
}

/*
 * Mount: parse the options, make the root directory.  Thread context.
 * EINVAL (bad options), ENOMEM.
 */
static int
tmpfs_mount(struct mount *mp, const char *from, const char *opts)
{
	struct tmpfs_args ta;
	struct tmpfs_mount *tm;
	struct tmpfs_node *root;
	int error;

	if ((error = tmpfs_parse_opts(opts, &ta)) != 0)
		return (error);
	if (ta.ta_pages == 0)
		ta.ta_pages = MAX(vm_phys_total_count() / TMPFS_DEFAULT_DIV,
		    1);
	if (ta.ta_nodes == 0)
		ta.ta_nodes = MAX(ta.ta_pages, TMPFS_MIN_NODES);

	tm = kmalloc(sizeof(*tm), M_TMPFS, M_ZERO);
	if (tm == NULL)
		return (ENOMEM);
	lwkt_token_init(&tm->tm_token, "tmpfs");
	tm->tm_mp = mp;
	tm->tm_pages_max = ta.ta_pages;
	tm->tm_nodes_max = ta.ta_nodes;
	tm->tm_fast = ta.ta_fast;
	tm->tm_nextino = 2;

	/* Nobody else can see tm yet; the token keeps the rules uniform. */
	lwkt_gettoken(&tm->tm_token);
	error = tmpfs_node_alloc(tm, VDIR, 0755, 0, 0, NULL, &root);
	if (error == 0) {
		root->tn_parent = root;
		root->tn_vnode->v_flag |= VF_ROOT;
		tm->tm_root = root;
		vref(root->tn_vnode);		/* the VFS's mnt_rootvp */
	}
	lwkt_reltoken(&tm->tm_token);
	if (error != 0) {
		kfree(tm, M_TMPFS);
		return (ENOMEM);
	}
	mp->mnt_data = tm;
	mp->mnt_rootvp = root->tn_vnode;
	return (0);
}

/*
 * Does node's vnode have exactly the references tmpfs expects at
 * unmount?  Its own while the node has a name, plus mnt_rootvp's for the
 * root; a node without a name must be gone already.
 */
static bool
tmpfs_unmount_idle(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	int refs = node->tn_vnode->v_refcnt;

	if (node == tm->tm_root)
		return (refs == 2);
	if (node->tn_nlink > 0)
		return (refs == 1);
	/*
	 * A node without a name is freed by its VOP_INACTIVE; still here
	 * means someone holds it or that message is still on its way
	 * (count already 0): busy either way.
	 */
	return (false);
}

/*
 * Unmount: drop mnt_rootvp's reference and free everything (see the top
 * of the file).  EBUSY, with nothing changed, if the VFS still holds a
 * vnode of the mount.  Thread context.
 */
static int
tmpfs_unmount(struct mount *mp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *node;

	lwkt_gettoken(&tm->tm_token);
	for (node = tm->tm_nodes; node != NULL; node = node->tn_next) {
		if (!tmpfs_unmount_idle(tm, node)) {
			lwkt_reltoken(&tm->tm_token);
			return (EBUSY);
		}
	}
	lwkt_reltoken(&tm->tm_token);

	/* 2 -> 1: tmpfs's reference stays, so no VOP_INACTIVE. */
	vrele(mp->mnt_rootvp);
	mp->mnt_rootvp = NULL;

	lwkt_gettoken(&tm->tm_token);
	while ((node = tm->tm_nodes) != NULL) {
		if (node->tn_vnode->v_refcnt != 0)
			tmpfs_node_abort(tm, node);	/* tmpfs's own ref */
		else
			tmpfs_node_free(tm, node);
	}
	KASSERT(tm->tm_pages_used == 0 && tm->tm_nodes_used == 0,
	    ("tmpfs_unmount: %lu pages, %lu nodes left", tm->tm_pages_used,
	    tm->tm_nodes_used));
	lwkt_reltoken(&tm->tm_token);
	mp->mnt_data = NULL;
	kfree(tm, M_TMPFS);
	return (0);
}

/*
 * f_blocks is the page limit; f_bfree what is left of it, but no more
 * than the pages the allocator has free right now.
 */
static int
tmpfs_statfs(struct mount *mp, struct statfs *sbp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	uint64_t left;

	memset(sbp, 0, sizeof(*sbp));
	lwkt_gettoken(&tm->tm_token);
	left = tm->tm_pages_max - tm->tm_pages_used;
	sbp->f_files = tm->tm_nodes_used;
	sbp->f_blocks = tm->tm_pages_max;
	lwkt_reltoken(&tm->tm_token);
	sbp->f_bsize = PAGE_SIZE;
	sbp->f_bfree = MIN(left, (uint64_t)vm_phys_free_count());
	strlcpy(sbp->f_fstypename, "tmpfs", sizeof(sbp->f_fstypename));
	return (0);
}

static const struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_statfs = tmpfs_statfs,
	.vfs_vops = &tmpfs_vops,
};
VFS_SET(tmpfs_vfsops);
