/*
 * The namecache (sys/kern/vfs_cache.c): every path the kernel works on is
 * entered here before any filesystem sees it.  See the rules at the top
 * of vfs_cache.c.
 *
 * An entry (struct namecache, "ncp") is one name in one directory of one
 * mount's namespace.  States:
 *   unresolved  NCF_UNRESOLVED: created by a walk, not yet asked of the
 *		 filesystem.  nc_vp NULL.
 *   positive	 nc_error 0, nc_vp referenced.
 *   negative	 nc_error ENOENT, nc_vp NULL: the name is known not to
 *		 exist.  Other errors are not cached (the entry stays
 *		 unresolved).
 *   destroyed	 NCF_DESTROYED: unhooked from its parent and the hash
 *		 (renamed over, purged, unmounted); only references keep it.
 * A mount root entry (NCF_MOUNTROOT) has no parent; ".." from it goes to
 * the parent of mnt_ncovered.  An entry with nc_mountedhere set is
 * covered: walks step into that mount's root.
 */
#ifndef _SYS_NAMECACHE_H_
#define _SYS_NAMECACHE_H_

#include <sys/types.h>
#include <sys/lock.h>

struct vnode;
struct mount;

struct namecache {
	struct namecache *nc_parent;	/* [nc_spin] referenced parent */
	struct namecache *nc_child;	/* [nc_spin] first child */
	struct namecache *nc_sibnext;	/* [nc_spin] siblings */
	struct namecache *nc_sibprev;	/* [nc_spin] */
	struct namecache *nc_hnext;	/* [nc_spin] hash chain */
	struct namecache *nc_unext;	/* [nc_spin] unused list (refs 0) */
	struct namecache *nc_uprev;	/* [nc_spin] */
	struct mount	*nc_mount;	/* [I] whose namespace */
	struct mount	*nc_mountedhere; /* [nc_spin + lock] covering mount */
	struct vnode	*nc_vp;		/* [nc_spin + lock to write] */
	int		nc_error;	/* [nc_spin + lock to write] */
	volatile uint32_t nc_flag;	/* [nc_spin + lock to write] NCF_* */
	volatile int	nc_refs;	/* [a; 0 <-> 1 under nc_spin] */
	struct klock	nc_lock;	/* resolution, namespace operations */
	uint32_t	nc_gen;		/* [nc_spin + lock to write] parent
					   directory's v_nsgen when resolved
					   (0: stale, revalidate on use) */
	uint32_t	nc_hash;	/* [nc_spin] hash of (parent, name) */
	uint16_t	nc_nlen;	/* [nc_spin] */
	char		*nc_name;	/* [nc_spin] NUL-terminated */
};

#define NCF_UNRESOLVED	0x0001
#define NCF_DESTROYED	0x0002
#define NCF_MOUNTROOT	0x0004
#define NCF_ONUNUSED	0x0008	/* on the unused list */
#define NCF_ISDIR	0x0010	/* positive, nc_vp is a directory */
#define NCF_ISLNK	0x0020	/* positive, nc_vp is a symlink */

/* References: cache_hold needs an existing reference. */
struct namecache *cache_hold(struct namecache *ncp);
void	cache_drop(struct namecache *ncp);	/* may block (vrele) */
void	cache_lock(struct namecache *ncp);	/* referenced; may block */
void	cache_unlock(struct namecache *ncp);
/* Referenced vnode of a positive entry, or NULL. */
struct vnode *cache_vref(struct namecache *ncp);

/*
 * Resolve ncp (referenced and locked): ask the filesystem if it is
 * unresolved.  Returns 0 (positive), ENOENT (negative) or another error
 * (the entry stays unresolved).
 */
int	cache_resolve(struct namecache *ncp);

/* State changes; ncp referenced and locked by the caller. */
void	cache_setvp(struct namecache *ncp, struct vnode *vp);	/* NULL: neg */
void	cache_setunresolved(struct namecache *ncp);
/* Drop the cached children of a directory entry (after rmdir). */
void	cache_purge_children(struct namecache *ncp);
/*
 * After a successful rename of fncp to tncp (both locked): tncp is
 * destroyed and fncp takes its name and parent; its children and every
 * reference to it (open cwds) follow it.
 */
void	cache_rename(struct namecache *fncp, struct namecache *tncp);
/* True if ncp is anc or below it (walking parents and mount roots). */
bool	cache_is_ancestor(struct namecache *anc, struct namecache *ncp);

/*
 * Find or create (unresolved) the entry for name in par (referenced by
 * the caller).  Returns it referenced, or NULL if memory is short; if
 * validp is not NULL, *validp tells whether it was resolved and current
 * when found (usable without cache_resolve).  Does not block.
 */
struct namecache *cache_nlookup(struct namecache *par, const char *name,
	    size_t nlen, bool *validp);
/*
 * The walk's fast path: step from cur through the cached, valid, plain
 * directory components of *pathp under one nc_spin hold (never the last
 * component); see vfs_cache.c.
 */
struct ucred;
struct namecache *cache_walk_cached(struct namecache *cur, const char **pathp,
	    const struct ucred *cred);
/*
 * ".." of ncp without going above root: the parent, crossing mount roots
 * upwards to the covered entry's parent.  Returns it referenced.
 */
struct namecache *cache_dotdot(struct namecache *ncp, struct namecache *root);
/* If a mount covers ncp, the mounted root (referenced; ncp dropped). */
struct namecache *cache_crossmount(struct namecache *ncp);
/* Cover ncp (locked, positive directory) with mp, or uncover (NULL). */
void	cache_setmountpt(struct namecache *ncp, struct mount *mp);

/* A new root entry for mp, positive on rootvp (which it references). */
struct namecache *cache_allocroot(struct mount *mp, struct vnode *rootvp);
/* Destroy every entry of mp's namespace (unmount).  EBUSY if in use. */
int	cache_unmount(struct mount *mp);

/*
 * Path of ncp from the global root into buf ("/a/b"); ENAMETOOLONG or
 * ENOENT (a destroyed entry on the way).
 */
int	cache_fullpath(struct namecache *ncp, char *buf, size_t len);

/* Free up to n unreferenced entries (all when n < 0); returns freed. */
int	cache_prune(int n);
/* Set how many unreferenced entries are kept (tests); returns the old. */
int	cache_set_maxunused(int n);
/* Entries in existence (all states), for tests and statistics. */
int	cache_count(void);

struct nc_stats {
	uint64_t	ns_hits;	/* component found in the cache */
	uint64_t	ns_misses;	/* entry created unresolved */
	uint64_t	ns_resolves;	/* VOP_NRESOLVE sent */
	uint64_t	ns_neghits;	/* negative entry found */
};
void	cache_stats(struct nc_stats *st);

extern struct namecache *rootncp;	/* [I after boot] global root */

void	cache_init(void);

#endif /* !_SYS_NAMECACHE_H_ */
