/*
 * tmpfs: a filesystem kept entirely in memory (sys/vfs/tmpfs/).
 *
 * Files:
 *	tmpfs_vfsops.c	mount (options, root), unmount, statfs
 *	tmpfs_vnops.c	the VOP handlers and the fast path
 *	tmpfs_subr.c	nodes: allocation, freeing, attributes, times
 *	tmpfs_dir.c	directory entries: name hash, readdir cookies
 *	tmpfs_file.c	file data: sparse page index, read, write, truncate
 *	tmpfs_radix.c	the sparse radix tree behind pages and cookies
 *	tmpfs_test.c		in-kernel tests: semantics
 *	tmpfs_space_test.c	large files, ENOSPC, memory
 *	tmpfs_smp_test.c	concurrency
 *	tmpfs_radix_test.c	the radix tree alone
 *	tmpfs_testutil.c, tmpfs_test.h   helpers of the tests
 *
 * The design (docs/vfs.md, "tmpfs") in one paragraph: every file,
 * directory and symlink is a struct tmpfs_node with exactly one vnode,
 * created together.  A regular file's data is a radix tree from page
 * index to vm_page, so holes cost nothing; a directory is a hash table of
 * names plus a radix tree from readdir cookie to entry.  One serializing
 * token per mount protects everything, and nothing blocks while holding
 * it, so every handler is atomic.
 *
 * Locking rules:
 *  (1) tm_token, held exclusively, protects every [T] field below: the
 *	mount's counters, every node, entry and radix tree of the mount,
 *	and the contents of the file pages.  Each handler holds it from
 *	its first look at tmpfs data to its last.
 *  (2) Nothing blocks while tm_token is held: kmalloc, vm_page_alloc,
 *	vnode_alloc, vnode_free and vref never block.  vrele may (the last
 *	release sends VOP_INACTIVE), so handlers call it only after
 *	releasing the token.
 *  (3) tmpfs holds one reference on a node's vnode while the node has a
 *	name (tn_nlink > 0) or is the root.  Dropping the last name drops
 *	that reference (after the token is released, rule 2).  A node is
 *	freed, with its vnode, only when that vnode's count reaches zero
 *	(VOP_INACTIVE) or at unmount.  So v_data is valid while the caller
 *	holds a reference, and a node found through a directory entry is
 *	alive while the token is held.
 *  (4) v_mode, v_uid and v_gid of a node's vnode are rewritten (under the
 *	token) whenever the node's attributes change.
 */
#ifndef _VFS_TMPFS_TMPFS_H_
#define _VFS_TMPFS_TMPFS_H_

#include <sys/types.h>
#include <sys/thread.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include <sys/malloc.h>
#include <sys/mount.h>

struct mount;
struct uio;
struct vm_page;

/*
 * Largest file size (and largest byte offset plus one): 2^62 bytes, a
 * page index below 2^50.  Writes that would go beyond it fail with EFBIG,
 * truncates beyond it too.  It keeps off_t arithmetic far from overflow.
 */
#define TMPFS_MAXFILESIZE	((uint64_t)1 << 62)

/* Most names a node may have (EMLINK); directories count subdirectories. */
#define TMPFS_LINK_MAX		32767

/*
 * Default page limit: this fraction of the RAM handed to the page
 * allocator (1/2), the rest left to the kernel.  Default node limit: one
 * node per page of the page limit.
 */
#define TMPFS_DEFAULT_DIV	2

/* Readdir cookies: 0 is ".", 1 is "..", entries count up from 2. */
#define TMPFS_COOKIE_DOT	0
#define TMPFS_COOKIE_DOTDOT	1
#define TMPFS_COOKIE_FIRST	2

MALLOC_DECLARE(M_TMPFS);	/* mounts, nodes, symlink targets, hash tables */
MALLOC_DECLARE(M_TMPFS_DIRENT);	/* directory entries */
MALLOC_DECLARE(M_TMPFS_RADIX);	/* radix tree nodes */

/*
 * A sparse map from 64-bit keys to non-NULL pointers (tmpfs_radix.c).
 * Path-compressed: a key costs at most two new tree nodes, however far it
 * is from the others.  The caller serializes all calls on one tree.
 */
struct tmpfs_rnode;
struct tmpfs_radix {
	struct tmpfs_rnode *tr_root;	/* [T] NULL when empty */
};

void	*tmpfs_radix_lookup(const struct tmpfs_radix *tr, uint64_t key);
/* 0, ENOMEM (nothing changed), or EEXIST (key present: nothing changed). */
int	tmpfs_radix_insert(struct tmpfs_radix *tr, uint64_t key, void *item);
/* Remove key; returns its item or NULL.  Never allocates. */
void	*tmpfs_radix_remove(struct tmpfs_radix *tr, uint64_t key);
/* The item with the smallest key >= key (its key in *keyp), or NULL. */
void	*tmpfs_radix_lookup_ge(const struct tmpfs_radix *tr, uint64_t key,
	    uint64_t *keyp);
/* Check the tree's invariants (tests): its node count, or -1 if broken. */
long	tmpfs_radix_verify(const struct tmpfs_radix *tr);
static inline bool
tmpfs_radix_empty(const struct tmpfs_radix *tr)
{
	return (tr->tr_root == NULL);
}

/* A name in a directory.  One allocation: the name follows. */
struct tmpfs_dirent {
	struct tmpfs_dirent *td_hnext;	/* [T] name hash chain */
	struct tmpfs_node *td_node;	/* [T] what the name names */
	uint64_t	td_cookie;	/* [I] readdir position */
	uint32_t	td_hash;	/* [I] hash of the name */
	uint16_t	td_nlen;	/* [I] bytes, no NUL */
	char		td_name[];	/* [I] NUL-terminated */
};

/*
 * A file, directory or symlink.  Lives from its creation until its vnode's
 * count reaches zero with no name left (rule 3), or until unmount.
 */
struct tmpfs_node {
	struct tmpfs_node *tn_next;	/* [T] the mount's list of nodes */
	struct tmpfs_node *tn_prev;	/* [T] */
	struct vnode	*tn_vnode;	/* [I] our one vnode */
	enum vtype	tn_type;	/* [I] VREG, VDIR, VLNK */
	uint64_t	tn_ino;		/* [I] unique in the mount */
	uint32_t	tn_mode;	/* [T] permission bits (ALLPERMS) */
	uint32_t	tn_uid;		/* [T] */
	uint32_t	tn_gid;		/* [T] */
	uint32_t	tn_nlink;	/* [T] names (dirs: 2 + subdirs) */
	struct timespec	tn_atime;	/* [T] */
	struct timespec	tn_mtime;	/* [T] */
	struct timespec	tn_ctime;	/* [T] */
	union {
		struct {		/* VREG */
			uint64_t	size;	/* [T] bytes */
			uint64_t	npages;	/* [T] pages in the tree */
			struct tmpfs_radix pages; /* [T] index -> vm_page */
		} reg;
		struct {		/* VDIR */
			/* [T] ".." (self for the root, NULL once removed) */
			struct tmpfs_node *parent;
			struct tmpfs_dirent **htab; /* [T] NULL when empty */
			uint32_t	hmask;	/* [T] buckets - 1 */
			uint64_t	nentries; /* [T] without "." and ".." */
			uint64_t	nextcookie; /* [T] for the next entry */
			struct tmpfs_radix cookies; /* [T] cookie -> entry */
		} dir;
		struct {		/* VLNK */
			char		*target; /* [I] NUL-terminated */
			size_t		len;	/* [I] strlen(target) */
		} lnk;
	} tn_u;
};

#define tn_size		tn_u.reg.size
#define tn_npages	tn_u.reg.npages
#define tn_pages	tn_u.reg.pages
#define tn_parent	tn_u.dir.parent
#define tn_nentries	tn_u.dir.nentries
#define tn_target	tn_u.lnk.target
#define tn_tlen		tn_u.lnk.len

/* Per mount.  mnt_data points here. */
struct tmpfs_mount {
	struct lwkt_token tm_token;	/* rule (1) */
	struct mount	*tm_mp;		/* [I] */
	struct tmpfs_node *tm_root;	/* [I] */
	struct tmpfs_node *tm_nodes;	/* [T] every node of the mount */
	uint64_t	tm_pages_max;	/* [I] "size=" in pages */
	uint64_t	tm_pages_used;	/* [T] file pages held */
	uint64_t	tm_nodes_max;	/* [I] "nodes=" */
	uint64_t	tm_nodes_used;	/* [T] nodes in existence */
	uint64_t	tm_nextino;	/* [T] */
	int		tm_fast;	/* [I] TMPFS_FAST_*: "fast=" */
};

#define TMPFS_FAST_ALL	0	/* every operation may run in the caller */
#define TMPFS_FAST_READ	1	/* only those that neither allocate nor
				   drop a name */
#define TMPFS_FAST_NONE	2	/* everything goes to the service threads */

#define VFS_TO_TMPFS(mp)	((struct tmpfs_mount *)(mp)->mnt_data)
#define VP_TO_TMPFS_NODE(vp)	((struct tmpfs_node *)(vp)->v_data)

/* Times to refresh (tmpfs_node_touch). */
#define TMPFS_ATIME	0x1
#define TMPFS_MTIME	0x2
#define TMPFS_CTIME	0x4

/*
 * Nodes (tmpfs_subr.c).  All of these are called with tm_token held and
 * never block.
 */
int	tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type,
	    uint32_t mode, uint32_t uid, uint32_t gid, const char *target,
	    struct tmpfs_node **np);
void	tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node);
void	tmpfs_node_abort(struct tmpfs_mount *tm, struct tmpfs_node *node);
void	tmpfs_node_touch(struct tmpfs_node *node, int what);
void	tmpfs_node_setvattr(struct tmpfs_node *node);
void	tmpfs_node_getattr(struct tmpfs_mount *tm, struct tmpfs_node *node,
	    struct vattr *vap);
int	tmpfs_node_setattr(struct tmpfs_mount *tm, struct tmpfs_node *node,
	    struct vattr *vap);
bool	tmpfs_dir_is_inside(struct tmpfs_node *dir, struct tmpfs_node *anc);

/* Directory entries (tmpfs_dir.c); tm_token held. */
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *dir,
	    const char *name, size_t nlen);
int	tmpfs_dir_attach(struct tmpfs_node *dir, const char *name,
	    size_t nlen, struct tmpfs_node *node);
void	tmpfs_dir_detach(struct tmpfs_node *dir, struct tmpfs_dirent *de);
void	tmpfs_dir_destroy(struct tmpfs_node *dir);
int	tmpfs_dir_readdir(struct tmpfs_node *dir, struct uio *uio,
	    int *eofp);

/* File data (tmpfs_file.c); tm_token held. */
int	tmpfs_file_read(struct tmpfs_node *node, struct uio *uio);
int	tmpfs_file_write(struct tmpfs_mount *tm, struct tmpfs_node *node,
	    struct uio *uio, int ioflag);
bool	tmpfs_file_write_resident(struct tmpfs_node *node,
	    const struct uio *uio, int ioflag);
int	tmpfs_file_truncate(struct tmpfs_mount *tm, struct tmpfs_node *node,
	    uint64_t size);
void	tmpfs_file_destroy(struct tmpfs_mount *tm, struct tmpfs_node *node);

extern const struct vop_ops tmpfs_vops;

#endif /* !_VFS_TMPFS_TMPFS_H_ */
