/*
 * The namecache: every name the kernel resolves lives here first.
 *
 * A path walk (vfs_nlookup.c) never hands a string to a filesystem.  It
 * looks each component up here; a component not seen before gets a new
 * entry in the UNRESOLVED state, and only then is the filesystem asked,
 * for that one entry, through VOP_NRESOLVE on the parent directory's
 * vnode.  The answer makes the entry positive (it references the vnode)
 * or negative (the name is known not to exist).  Namespace operations
 * (create, remove, rename, link) work on entries, locked, and update them
 * when the filesystem has done its part.
 *
 * Entries form one tree per mount: a mount's root entry has no parent;
 * the directory it covers (mnt_ncovered) points to the mount through
 * nc_mountedhere.  Walks step down through nc_mountedhere and ".." steps
 * up from a mount root to the covered entry's parent.
 *
 * Staleness.  Two namespaces can show one directory (nullfs shows a
 * lower directory under another path), so a change made through one
 * must not leave a wrong entry in the other.  Every directory vnode
 * counts the namespace operations done in it (v_nsgen, bumped by the
 * vop_n* calls in vfs_vop.c); an entry records the count its parent had
 * when it was resolved (nc_gen) and is revalidated, under its lock, when
 * the count moved on.  In one namespace this costs one comparison per
 * component; a directory being changed pays an extra VOP_NRESOLVE for
 * each of its entries used after the change.
 *
 * Rules:
 *  (1) An entry must be referenced before it is locked, and stays
 *	referenced while locked.
 *  (2) A walk holds at most one entry lock at a time; it locks an entry
 *	only to resolve it or because it is the walk's result.  An
 *	operation that needs two entries locked (rename) first takes its
 *	mount's mnt_renlock and then locks them in address order.  A
 *	filesystem handler never takes an entry lock.  So there is no lock
 *	order between entries to get wrong.
 *  (3) nc_spin, one spin lock, protects the hash table, the tree links,
 *	the unused list and the 0 <-> 1 transitions of reference counts.
 *	The state of an entry (nc_vp, nc_error, nc_flag, nc_gen) is written
 *	with both its lock and nc_spin held, so it may be read under either
 *	(a reader that needs the vnode takes a reference under nc_spin:
 *	cache_vref).  No blocking, allocation or vnode release under nc_spin.
 *  (4) Who may invalidate what: the holder of an entry's lock may change
 *	its state (resolve it, make it negative, unresolved or positive on
 *	another vnode).  Anyone may destroy an entry (unhook it from its
 *	parent and the hash), holding nc_spin: a destroyed entry is never
 *	found again, but references (current directories, open files,
 *	threads mid-walk) keep it, and it is freed at its last drop.
 *  (5) A child references its parent, so an entry with no references
 *	has no children: such entries sit on the unused list (oldest first)
 *	and are freed when the cache grows past nc_maxunused or by
 *	cache_prune.  Counts never go 0 -> 1 except under nc_spin.
 *  (6) An entry covered by a mount is pinned: it is never revalidated
 *	and never destroyed with its siblings, so the mount stays
 *	reachable (and unmountable) by its path even if the directory
 *	under it changes through another namespace (nullfs).  Removing or
 *	renaming it in its own namespace is EBUSY.
 *
 * Costs: a hit is a hash probe and an atomic increment under nc_spin.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/spinlock.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/namecache.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/dirent.h>
#include <sys/proc.h>

MALLOC_DEFINE(M_NAMECACHE, "namecache", "namecache entries");

#define NC_HASHSIZE	8192		/* buckets, a power of two */

static struct spinlock nc_spin;
static struct namecache *nc_hashtbl[NC_HASHSIZE];	/* [nc_spin] */
static struct namecache *nc_unused_head;	/* [nc_spin] oldest */
static struct namecache *nc_unused_tail;	/* [nc_spin] */
static int nc_numunused;			/* [nc_spin] */
static int nc_maxunused = 65536;		/* [I] */
static volatile int nc_total;			/* [a] entries allocated */

struct namecache *rootncp;

/* Per-CPU statistics, written only by their CPU. */
static struct nc_stats nc_pcpu_stats[MAXCPU];

#define NCSTAT(field)	(nc_pcpu_stats[mycpuid].field++)

void
cache_init(void)
{
	spin_init(&nc_spin);
}

static uint32_t
nc_hashname(const struct namecache *par, const char *name, size_t nlen)
{
	uint32_t h = 2166136261u;
	uintptr_t p = (uintptr_t)par;
	size_t i;

	for (i = 0; i < nlen; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	h ^= (uint32_t)(p >> 4) ^ (uint32_t)(p >> 20);
	return (h * 2654435761u);
}

/* --- references --- */

static void
nc_unused_remove(struct namecache *ncp)
{
	if (ncp->nc_uprev != NULL)
		ncp->nc_uprev->nc_unext = ncp->nc_unext;
	else
		nc_unused_head = ncp->nc_unext;
	if (ncp->nc_unext != NULL)
		ncp->nc_unext->nc_uprev = ncp->nc_uprev;
	else
		nc_unused_tail = ncp->nc_uprev;
	ncp->nc_unext = ncp->nc_uprev = NULL;
	ncp->nc_flag &= ~NCF_ONUNUSED;
	nc_numunused--;
}

static void
nc_unused_insert(struct namecache *ncp)
{
	ncp->nc_unext = NULL;
	ncp->nc_uprev = nc_unused_tail;
	if (nc_unused_tail != NULL)
		nc_unused_tail->nc_unext = ncp;
	else
		nc_unused_head = ncp;
	nc_unused_tail = ncp;
	ncp->nc_flag |= NCF_ONUNUSED;
	nc_numunused++;
}

/* Reference ncp, which may have none.  nc_spin held. */
static void
nc_ref_locked(struct namecache *ncp)
{
	if (__atomic_fetch_add(&ncp->nc_refs, 1, __ATOMIC_RELAXED) == 0 &&
	    (ncp->nc_flag & NCF_ONUNUSED) != 0)
		nc_unused_remove(ncp);
}

struct namecache *
cache_hold(struct namecache *ncp)
{
	int old;

	old = __atomic_fetch_add(&ncp->nc_refs, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, ("cache_hold: entry %p (%s) had no reference", ncp,
	    ncp->nc_name));
	return (ncp);
}

static void nc_free(struct namecache *ncp);
static int nc_prune_some(int n, struct mount *mp);

/*
 * Drop a reference.  The last one puts a live entry on the unused list
 * and frees a destroyed one (which drops its parent in turn).  May block
 * (vrele of the entry's vnode).  Not with nc_spin held.
 */
static void nc_drop(struct namecache *ncp, bool mayprune);

void
cache_drop(struct namecache *ncp)
{
	nc_drop(ncp, true);
}

/*
 * cache_drop's body.  mayprune is false when called from the pruning
 * and reaping paths themselves: they must not start another prune (that
 * recursion grew the stack by one level per few entries freed).
 */
static void
nc_drop(struct namecache *ncp, bool mayprune)
{
	struct namecache *par;
	bool prune = false;
	int r;

	for (;;) {
		r = __atomic_load_n(&ncp->nc_refs, __ATOMIC_RELAXED);
		KASSERT(r > 0, ("cache_drop: entry %p (%s) has no reference",
		    ncp, ncp->nc_name));
		if (r == 1)
			break;
		if (__atomic_compare_exchange_n(&ncp->nc_refs, &r, r - 1,
		    false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return;
	}
	while (ncp != NULL) {
		spin_lock(&nc_spin);
		if (__atomic_sub_fetch(&ncp->nc_refs, 1, __ATOMIC_ACQ_REL) != 0) {
			spin_unlock(&nc_spin);
			break;
		}
		if ((ncp->nc_flag & NCF_DESTROYED) == 0) {
			KASSERT(ncp->nc_child == NULL, ("cache_drop: %p (%s) "
			    "unreferenced with children", ncp, ncp->nc_name));
			nc_unused_insert(ncp);
			prune = nc_numunused > nc_maxunused;
			spin_unlock(&nc_spin);
			break;
		}
		spin_unlock(&nc_spin);
		/* Destroyed and unreferenced: free it, then its parent ref. */
		par = ncp->nc_parent;
		nc_free(ncp);
		if (par == NULL)
			break;
		/* Same as a recursive cache_drop(par), without recursion. */
		ncp = par;
		r = __atomic_load_n(&ncp->nc_refs, __ATOMIC_RELAXED);
		while (r > 1 && !__atomic_compare_exchange_n(&ncp->nc_refs, &r,
		    r - 1, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			;
		if (r > 1)
			break;
	}
	if (prune && mayprune)
		nc_prune_some(8, NULL);
}

/* Referenced vnode of a positive entry, or NULL.  Does not block. */
struct vnode *
cache_vref(struct namecache *ncp)
{
	struct vnode *vp;

	spin_lock(&nc_spin);
	vp = ncp->nc_vp;
	if (vp != NULL)
		vref(vp);
	spin_unlock(&nc_spin);
	return (vp);
}

void
cache_lock(struct namecache *ncp)
{
	KASSERT(ncp->nc_refs > 0, ("cache_lock: entry %p (%s) not referenced",
	    ncp, ncp->nc_name));
	klock_acquire(&ncp->nc_lock);
}

void
cache_unlock(struct namecache *ncp)
{
	klock_release(&ncp->nc_lock);
}

/* --- allocation, destruction --- */

/* A new entry (not linked anywhere) with one reference.  NULL if short. */
static struct namecache *
nc_alloc(const char *name, size_t nlen)
{
	struct namecache *ncp;

	ncp = kmalloc(sizeof(*ncp), M_NAMECACHE, M_ZERO);
	if (ncp == NULL)
		return (NULL);
	ncp->nc_name = kmalloc(nlen + 1, M_NAMECACHE, 0);
	if (ncp->nc_name == NULL) {
		kfree(ncp, M_NAMECACHE);
		return (NULL);
	}
	memcpy(ncp->nc_name, name, nlen);
	ncp->nc_name[nlen] = '\0';
	ncp->nc_nlen = nlen;
	ncp->nc_refs = 1;
	ncp->nc_flag = NCF_UNRESOLVED;
	klock_init(&ncp->nc_lock, "ncplk");
	__atomic_add_fetch(&nc_total, 1, __ATOMIC_RELAXED);
	return (ncp);
}

/* Free an unreferenced, unlinked entry.  May block (vrele). */
static void
nc_free(struct namecache *ncp)
{
	KASSERT(ncp->nc_refs == 0 && ncp->nc_child == NULL,
	    ("nc_free: entry %p (%s) busy", ncp, ncp->nc_name));
	if (ncp->nc_vp != NULL)
		vrele(ncp->nc_vp);
	if (ncp->nc_mount != NULL)
		__atomic_sub_fetch(&ncp->nc_mount->mnt_ncount, 1,
		    __ATOMIC_RELAXED);
	kfree(ncp->nc_name, M_NAMECACHE);
	kfree(ncp, M_NAMECACHE);
	__atomic_sub_fetch(&nc_total, 1, __ATOMIC_RELAXED);
}

static void
nc_hash_insert(struct namecache *ncp)
{
	struct namecache **hp = &nc_hashtbl[ncp->nc_hash & (NC_HASHSIZE - 1)];

	ncp->nc_hnext = *hp;
	*hp = ncp;
}

static void
nc_hash_remove(struct namecache *ncp)
{
	struct namecache **hp = &nc_hashtbl[ncp->nc_hash & (NC_HASHSIZE - 1)];

	while (*hp != ncp) {
		KASSERT(*hp != NULL, ("nc_hash_remove: %p (%s) not hashed",
		    ncp, ncp->nc_name));
		hp = &(*hp)->nc_hnext;
	}
	*hp = ncp->nc_hnext;
	ncp->nc_hnext = NULL;
}

static void
nc_child_insert(struct namecache *par, struct namecache *ncp)
{
	ncp->nc_parent = par;
	ncp->nc_sibprev = NULL;
	ncp->nc_sibnext = par->nc_child;
	if (par->nc_child != NULL)
		par->nc_child->nc_sibprev = ncp;
	par->nc_child = ncp;
}

static void
nc_child_remove(struct namecache *ncp)
{
	struct namecache *par = ncp->nc_parent;

	if (ncp->nc_sibprev != NULL)
		ncp->nc_sibprev->nc_sibnext = ncp->nc_sibnext;
	else
		par->nc_child = ncp->nc_sibnext;
	if (ncp->nc_sibnext != NULL)
		ncp->nc_sibnext->nc_sibprev = ncp->nc_sibprev;
	ncp->nc_sibnext = ncp->nc_sibprev = NULL;
}

/*
 * Destroy ncp: unhash it and unhook it from its parent's children (it
 * keeps its reference on the parent until it is freed).  nc_spin held.
 * Returns true if ncp has no reference left, in which case the caller
 * must nc_free it and drop its parent after releasing nc_spin.
 */
static bool
nc_destroy_locked(struct namecache *ncp)
{
	if ((ncp->nc_flag & NCF_DESTROYED) != 0)
		return (false);
	ncp->nc_flag |= NCF_DESTROYED;
	if ((ncp->nc_flag & NCF_MOUNTROOT) == 0 && ncp->nc_parent != NULL) {
		nc_hash_remove(ncp);
		nc_child_remove(ncp);
	}
	if ((ncp->nc_flag & NCF_ONUNUSED) != 0) {
		nc_unused_remove(ncp);
		return (true);
	}
	return (false);
}

/* Finish freeing entries nc_destroy_locked returned true for. */
static void
nc_reap(struct namecache **list, int n)
{
	struct namecache *par;
	int i;

	for (i = 0; i < n; i++) {
		par = list[i]->nc_parent;
		nc_free(list[i]);
		if (par != NULL)
			nc_drop(par, false);
	}
}

/* --- lookups --- */

static struct namecache *
nc_find_locked(struct namecache *par, const char *name, size_t nlen,
    uint32_t h)
{
	struct namecache *ncp;

	for (ncp = nc_hashtbl[h & (NC_HASHSIZE - 1)]; ncp != NULL;
	    ncp = ncp->nc_hnext) {
		if (ncp->nc_hash == h && ncp->nc_parent == par &&
		    ncp->nc_nlen == nlen && memcmp(ncp->nc_name, name,
		    nlen) == 0)
			return (ncp);
	}
	return (NULL);
}

/*
 * Must ncp be resolved (unresolved) or revalidated (its parent
 * directory changed since it was resolved)?  nc_spin held.
 */
static bool
nc_stale_locked(struct namecache *ncp)
{
	struct vnode *dvp;

	if ((ncp->nc_flag & NCF_UNRESOLVED) != 0)
		return (true);
	if ((ncp->nc_flag & (NCF_MOUNTROOT | NCF_DESTROYED)) != 0)
		return (false);
	/* Rule (6): a covered entry is pinned, never revalidated. */
	if (ncp->nc_mountedhere != NULL)
		return (false);
	dvp = ncp->nc_parent != NULL ? ncp->nc_parent->nc_vp : NULL;
	return (dvp == NULL || ncp->nc_gen != *dvp->v_nsgenp);
}

/*
 * Find or create (unresolved) the entry for name in par (referenced by
 * the caller); *validp (if not NULL) tells whether the entry was
 * resolved and current when found, so that the caller can use it without
 * locking it.  Returns it referenced, or NULL if memory is short.
 */
struct namecache *
cache_nlookup(struct namecache *par, const char *name, size_t nlen,
    bool *validp)
{
	struct namecache *ncp, *new;
	uint32_t h = nc_hashname(par, name, nlen);

	if (validp != NULL)
		*validp = false;
	spin_lock(&nc_spin);
	ncp = nc_find_locked(par, name, nlen, h);
	if (ncp != NULL) {
		nc_ref_locked(ncp);
		if (validp != NULL)
			*validp = !nc_stale_locked(ncp);
		spin_unlock(&nc_spin);
		NCSTAT(ns_hits);
		if (ncp->nc_error == ENOENT)
			NCSTAT(ns_neghits);
		return (ncp);
	}
	spin_unlock(&nc_spin);

	new = nc_alloc(name, nlen);
	if (new == NULL)
		return (NULL);
	new->nc_hash = h;
	new->nc_mount = par->nc_mount;
	__atomic_add_fetch(&par->nc_mount->mnt_ncount, 1, __ATOMIC_RELAXED);
	spin_lock(&nc_spin);
	ncp = nc_find_locked(par, name, nlen, h);
	if (ncp != NULL) {
		/* Another walk created it meanwhile. */
		nc_ref_locked(ncp);
		spin_unlock(&nc_spin);
		new->nc_refs = 0;
		nc_free(new);
		NCSTAT(ns_hits);
		return (ncp);
	}
	nc_ref_locked(par);
	if ((par->nc_flag & NCF_DESTROYED) != 0) {
		/* A child of a destroyed entry is born destroyed. */
		new->nc_parent = par;
		new->nc_flag |= NCF_DESTROYED;
	} else {
		nc_child_insert(par, new);
		nc_hash_insert(new);
	}
	spin_unlock(&nc_spin);
	NCSTAT(ns_misses);
	return (new);
}

/*
 * The walk's fast path: from cur (referenced), step through as many
 * components of *pathp as are cached, valid (resolved, not destroyed,
 * parent generation current), plain directories (no symlink, no mount
 * on them) and searchable by cred, all under one nc_spin hold and
 * without touching reference counts on the way.  Never consumes the
 * last component, ".", ".." or an over-long name: those are left to
 * the slow path, as is any component that needs work.  Returns the
 * entry reached, referenced (cur's reference is dropped if it moved),
 * and advances *pathp past what it consumed (and the slashes after).
 */
struct namecache *
cache_walk_cached(struct namecache *cur, const char **pathp,
    const struct ucred *cred)
{
	struct namecache *n = cur, *c;
	const char *p = *pathp, *q, *next;
	struct vnode *dvp;
	size_t nlen;

	spin_lock(&nc_spin);
	for (;;) {
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		nlen = q - p;
		for (next = q; *next == '/'; next++)
			;
		if (*next == '\0' || nlen > NAME_MAX ||
		    (p[0] == '.' && (nlen == 1 || (nlen == 2 && p[1] == '.'))))
			break;
		dvp = n->nc_vp;
		if ((n->nc_flag & NCF_ISDIR) == 0 || dvp == NULL)
			break;
		if (cred != NULL && cred->cr_uid != 0 &&
		    vaccess(dvp, VEXEC, cred) != 0)
			break;
		c = nc_find_locked(n, p, nlen, nc_hashname(n, p, nlen));
		if (c == NULL || (c->nc_flag & (NCF_UNRESOLVED | NCF_DESTROYED |
		    NCF_ISDIR | NCF_ISLNK)) != NCF_ISDIR ||
		    c->nc_mountedhere != NULL || c->nc_gen != *dvp->v_nsgenp)
			break;
		NCSTAT(ns_hits);
		n = c;
		p = next;
	}
	if (n != cur)
		nc_ref_locked(n);
	spin_unlock(&nc_spin);
	if (n != cur)
		cache_drop(cur);
	*pathp = p;
	return (n);
}

/* --- state changes (entry locked) --- */

/*
 * The generation to record for an entry of directory dvp being set now:
 * the one vfs_vop.c left in the thread after a namespace operation in
 * dvp, if that operation saw no concurrent change, else 0 (stale: the
 * entry will be revalidated on its next use).
 */
static uint32_t
nc_take_gen(struct vnode *dvp)
{
	thread_t td = curthread;
	uint32_t gen = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (td->td_nsdir[i] == dvp && dvp != NULL) {
			gen = td->td_nsgen[i];
			td->td_nsdir[i] = NULL;
			break;
		}
	}
	return (gen);
}

/*
 * Set ncp's state: positive on vp (whose reference moves into the entry)
 * or negative (vp NULL).  If the entry was positive on another vnode its
 * children are destroyed: they described another directory.  Caller
 * holds ncp's lock.  May block (vrele of the old vnode).
 */
static void
nc_setvp_gen(struct namecache *ncp, struct vnode *vp, uint32_t gen)
{
	struct vnode *ovp;
	uint32_t flag;

	KASSERT(klock_held(&ncp->nc_lock), ("cache_setvp: entry %p (%s) not "
	    "locked", ncp, ncp->nc_name));
	flag = 0;
	if (vp != NULL && vp->v_type == VDIR)
		flag = NCF_ISDIR;
	else if (vp != NULL && vp->v_type == VLNK)
		flag = NCF_ISLNK;
	spin_lock(&nc_spin);
	ovp = ncp->nc_vp;
	ncp->nc_vp = vp;
	ncp->nc_error = vp != NULL ? 0 : ENOENT;
	ncp->nc_gen = gen;
	ncp->nc_flag = (ncp->nc_flag & ~(NCF_UNRESOLVED | NCF_ISDIR |
	    NCF_ISLNK)) | flag;
	spin_unlock(&nc_spin);
	if (ovp != NULL && ovp != vp) {
		/* Children described the old directory. */
		cache_purge_children(ncp);
	}
	if (ovp != NULL)
		vrele(ovp);
}

void
cache_setvp(struct namecache *ncp, struct vnode *vp)
{
	struct vnode *dvp = NULL;

	if (ncp->nc_parent != NULL && (ncp->nc_flag & NCF_MOUNTROOT) == 0)
		dvp = ncp->nc_parent->nc_vp;
	nc_setvp_gen(ncp, vp, nc_take_gen(dvp));
}

/*
 * Forget ncp's resolution (it will be asked of the filesystem again) and
 * its children.  Caller holds ncp's lock.  May block.
 */
void
cache_setunresolved(struct namecache *ncp)
{
	struct vnode *ovp;

	cache_purge_children(ncp);
	spin_lock(&nc_spin);
	ovp = ncp->nc_vp;
	ncp->nc_vp = NULL;
	ncp->nc_error = 0;
	ncp->nc_gen = 0;
	ncp->nc_flag = (ncp->nc_flag & ~(NCF_ISDIR | NCF_ISLNK)) |
	    NCF_UNRESOLVED;
	spin_unlock(&nc_spin);
	if (ovp != NULL)
		vrele(ovp);
}

/*
 * Destroy every child of ncp (referenced) except those covered by a
 * mount (rule (6)).  May block.
 */
void
cache_purge_children(struct namecache *ncp)
{
	struct namecache *reap[16];
	struct namecache *child, *next;
	int n;

	do {
		n = 0;
		spin_lock(&nc_spin);
		for (child = ncp->nc_child; child != NULL && n < 16;
		    child = next) {
			next = child->nc_sibnext;
			/* Rule (6): covered entries stay. */
			if (child->nc_mountedhere == NULL &&
			    nc_destroy_locked(child))
				reap[n++] = child;
		}
		spin_unlock(&nc_spin);
		nc_reap(reap, n);
	} while (n == 16);
}

/*
 * Resolve ncp (referenced, locked): ask the filesystem if the entry is
 * unresolved or its directory changed since it was resolved.  Returns
 * the entry's state: 0 positive, ENOENT negative, or another error (the
 * entry is left unresolved).  May block (VOP_NRESOLVE).
 */
int
cache_resolve(struct namecache *ncp)
{
	struct namecache *par;
	struct vnode *dvp, *vp;
	uint32_t gen;
	int error;

	KASSERT(klock_held(&ncp->nc_lock), ("cache_resolve: entry %p (%s) "
	    "not locked", ncp, ncp->nc_name));
	if ((ncp->nc_flag & NCF_MOUNTROOT) != 0)
		return (0);
	if ((ncp->nc_flag & NCF_DESTROYED) != 0 &&
	    (ncp->nc_flag & NCF_UNRESOLVED) == 0)
		return (ncp->nc_error);
	/* The parent's vnode and generation, together. */
	spin_lock(&nc_spin);
	if (!nc_stale_locked(ncp)) {
		spin_unlock(&nc_spin);
		return (ncp->nc_error);
	}
	par = ncp->nc_parent;
	dvp = par->nc_vp;
	if (dvp != NULL) {
		vref(dvp);
		gen = *dvp->v_nsgenp;
	}
	spin_unlock(&nc_spin);
	if (dvp == NULL) {
		/* The directory itself is gone (negative or unresolved). */
		nc_setvp_gen(ncp, NULL, 0);
		return (ENOENT);
	}
	if (dvp->v_type != VDIR) {
		vrele(dvp);
		return (ENOTDIR);
	}
	NCSTAT(ns_resolves);
	error = vop_nresolve(dvp, ncp->nc_name, ncp->nc_nlen, &vp);
	vrele(dvp);
	if (error == 0) {
		if (vp == ncp->nc_vp) {
			/* Revalidated: same vnode. */
			spin_lock(&nc_spin);
			ncp->nc_gen = gen;
			spin_unlock(&nc_spin);
			vrele(vp);
		} else {
			nc_setvp_gen(ncp, vp, gen);
		}
	} else if (error == ENOENT) {
		nc_setvp_gen(ncp, NULL, gen);
	} else if ((ncp->nc_flag & NCF_UNRESOLVED) == 0) {
		cache_setunresolved(ncp);
	}
	return (error);
}

/* --- mounts, "..", rename --- */

struct namecache *
cache_crossmount(struct namecache *ncp)
{
	struct namecache *root;

	/* Unlocked hint: a mount racing with this walk may go either way. */
	if (__atomic_load_n(&ncp->nc_mountedhere, __ATOMIC_ACQUIRE) == NULL)
		return (ncp);
	for (;;) {
		spin_lock(&nc_spin);
		if (ncp->nc_mountedhere == NULL) {
			spin_unlock(&nc_spin);
			return (ncp);
		}
		root = ncp->nc_mountedhere->mnt_ncroot;
		nc_ref_locked(root);
		spin_unlock(&nc_spin);
		cache_drop(ncp);
		ncp = root;
	}
}

/* Is ncp one of the roots a ".." must not leave? */
static inline bool
nc_isroot(struct namecache *ncp, struct namecache *root)
{
	return (ncp == root || ncp == rootncp);
}

struct namecache *
cache_dotdot(struct namecache *ncp, struct namecache *root)
{
	struct namecache *n = ncp;

	spin_lock(&nc_spin);
	while (!nc_isroot(n, root) && (n->nc_flag & NCF_MOUNTROOT) != 0 &&
	    n->nc_mount->mnt_ncovered != NULL)
		n = n->nc_mount->mnt_ncovered;
	if (!nc_isroot(n, root) && (n->nc_flag & NCF_MOUNTROOT) == 0 &&
	    n->nc_parent != NULL)
		n = n->nc_parent;
	nc_ref_locked(n);
	spin_unlock(&nc_spin);
	return (cache_crossmount(n));
}

void
cache_setmountpt(struct namecache *ncp, struct mount *mp)
{
	spin_lock(&nc_spin);
	ncp->nc_mountedhere = mp;
	spin_unlock(&nc_spin);
}

/*
 * fncp (renamed by the filesystem) takes tncp's place: tncp is destroyed
 * and fncp is rehashed under tncp's parent with tncp's name.  Both are
 * locked by the caller, who holds the mount's rename lock, so no other
 * rename moves their parents meanwhile.  May block.
 */
void
cache_rename(struct namecache *fncp, struct namecache *tncp)
{
	struct namecache *opar, *npar;
	struct namecache *reap[1];
	char *name, *oname;
	size_t nlen = tncp->nc_nlen;
	uint32_t gen;
	int n = 0;

	KASSERT(klock_held(&fncp->nc_lock) && klock_held(&tncp->nc_lock),
	    ("cache_rename: entries not locked"));
	npar = tncp->nc_parent;
	gen = nc_take_gen(npar != NULL ? npar->nc_vp : NULL);
	name = kmalloc(nlen + 1, M_NAMECACHE, 0);
	spin_lock(&nc_spin);
	if (nc_destroy_locked(tncp))
		reap[n++] = tncp;
	opar = fncp->nc_parent;
	if ((fncp->nc_flag & NCF_DESTROYED) == 0) {
		nc_hash_remove(fncp);
		nc_child_remove(fncp);
	}
	oname = NULL;
	if (name != NULL && (npar->nc_flag & NCF_DESTROYED) != 0) {
		/* The target's directory was destroyed meanwhile: so is fncp. */
		kfree(name, M_NAMECACHE);
		name = NULL;
	}
	if (name != NULL) {
		memcpy(name, tncp->nc_name, nlen + 1);
		oname = fncp->nc_name;
		fncp->nc_name = name;
		fncp->nc_nlen = nlen;
		nc_ref_locked(npar);
		fncp->nc_hash = nc_hashname(npar, name, nlen);
		fncp->nc_gen = gen;
		nc_child_insert(npar, fncp);
		nc_hash_insert(fncp);
		fncp->nc_flag &= ~NCF_DESTROYED;
	} else {
		/* No memory for the name: forget fncp (safe, just slower). */
		fncp->nc_flag |= NCF_DESTROYED;
		opar = NULL;
	}
	spin_unlock(&nc_spin);
	nc_reap(reap, n);
	if (oname != NULL)
		kfree(oname, M_NAMECACHE);
	if (opar != NULL)
		cache_drop(opar);
}

bool
cache_is_ancestor(struct namecache *anc, struct namecache *ncp)
{
	bool found = false;

	spin_lock(&nc_spin);
	while (ncp != NULL) {
		if (ncp == anc) {
			found = true;
			break;
		}
		if ((ncp->nc_flag & NCF_MOUNTROOT) != 0)
			ncp = ncp->nc_mount->mnt_ncovered;
		else
			ncp = ncp->nc_parent;
	}
	spin_unlock(&nc_spin);
	return (found);
}

int
cache_fullpath(struct namecache *ncp, char *buf, size_t len)
{
	size_t pos;
	int error = 0;

	if (len < 2)
		return (ENAMETOOLONG);
	pos = len - 1;
	buf[pos] = '\0';
	spin_lock(&nc_spin);
	while (ncp != NULL && ncp != rootncp) {
		if ((ncp->nc_flag & NCF_MOUNTROOT) != 0) {
			ncp = ncp->nc_mount->mnt_ncovered;
			continue;
		}
		if ((ncp->nc_flag & NCF_DESTROYED) != 0) {
			error = ENOENT;
			break;
		}
		if (pos < ncp->nc_nlen + 1u) {
			error = ENAMETOOLONG;
			break;
		}
		pos -= ncp->nc_nlen;
		memcpy(buf + pos, ncp->nc_name, ncp->nc_nlen);
		buf[--pos] = '/';
		ncp = ncp->nc_parent;
	}
	spin_unlock(&nc_spin);
	if (error != 0)
		return (error);
	if (pos == len - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, len - pos);
	return (0);
}

/* --- roots, unmount, pruning --- */

struct namecache *
cache_allocroot(struct mount *mp, struct vnode *rootvp)
{
	struct namecache *ncp;

	ncp = nc_alloc("", 0);
	if (ncp == NULL)
		return (NULL);
	vref(rootvp);
	ncp->nc_vp = rootvp;
	ncp->nc_mount = mp;
	ncp->nc_flag = NCF_MOUNTROOT | NCF_ISDIR;
	klock_init(&ncp->nc_lock, "ncplk");
	__atomic_add_fetch(&mp->mnt_ncount, 1, __ATOMIC_RELAXED);
	return (ncp);
}

/*
 * Free up to n unreferenced entries, oldest first (of mount mp only, if
 * not NULL).  Returns how many.  May block.
 */
static int
nc_prune_some(int n, struct mount *mp)
{
	struct namecache *reap[16];
	struct namecache *ncp, *next;
	int done = 0, k;

	while (n < 0 || done < n) {
		k = 0;
		spin_lock(&nc_spin);
		for (ncp = nc_unused_head; ncp != NULL && k < 16 &&
		    (n < 0 || done + k < n); ncp = next) {
			next = ncp->nc_unext;
			if (mp != NULL && ncp->nc_mount != mp)
				continue;
			if (nc_destroy_locked(ncp))
				reap[k++] = ncp;
		}
		spin_unlock(&nc_spin);
		if (k == 0)
			break;
		nc_reap(reap, k);
		done += k;
	}
	return (done);
}

int
cache_set_maxunused(int n)
{
	int old = nc_maxunused;

	nc_maxunused = n;
	return (old);
}

int
cache_prune(int n)
{
	return (nc_prune_some(n, NULL));
}

/*
 * Destroy mp's namespace for unmount: free every unused entry of it and
 * succeed only if nothing is left but its root, referenced only by the
 * mount.  Then the covered entry is uncovered, all in one nc_spin hold so
 * that no walk can step in between.  EBUSY otherwise.  May block.
 */
int
cache_unmount(struct mount *mp)
{
	struct namecache *root = mp->mnt_ncroot;
	struct namecache *cov = mp->mnt_ncovered;

	while (nc_prune_some(-1, mp) > 0)
		;
	spin_lock(&nc_spin);
	if (mp->mnt_ncount != 1 || root->nc_refs != 1 ||
	    root->nc_child != NULL) {
		spin_unlock(&nc_spin);
		return (EBUSY);
	}
	if (cov != NULL)
		cov->nc_mountedhere = NULL;
	root->nc_flag |= NCF_DESTROYED;
	spin_unlock(&nc_spin);
	cache_drop(root);
	return (0);
}

int
cache_count(void)
{
	return (__atomic_load_n(&nc_total, __ATOMIC_RELAXED));
}

void
cache_stats(struct nc_stats *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < ncpus; i++) {
		st->ns_hits += nc_pcpu_stats[i].ns_hits;
		st->ns_misses += nc_pcpu_stats[i].ns_misses;
		st->ns_resolves += nc_pcpu_stats[i].ns_resolves;
		st->ns_neghits += nc_pcpu_stats[i].ns_neghits;
	}
}
