/*
 * tmpfs sparse radix tree: a map from 64-bit keys to non-NULL pointers.
 *
 * tmpfs uses it twice: a regular file's data (page index -> vm_page), and
 * a directory's readdir order (cookie -> directory entry).  Both need
 * exact lookup, insertion, removal and "the first key at or after k" (the
 * next page to free on truncate, the entry to resume a readdir at), and
 * both must stay cheap when the keys are few and far apart: a file may
 * have a page at offset 0 and another at 2^61.
 *
 * Shape.  A tree node (struct tmpfs_rnode) has 16 slots and a level L.
 * It covers the keys that share its rn_base in every bit above its lowest
 * 4(L+1) bits; slot i holds the keys whose bits [4L, 4L+4) equal i.  At
 * level 0 the slots hold the items; above, they hold child nodes of any
 * lower level (path compression): a chain of nodes with one child each
 * is never built, the child is hung directly where the paths part.  So
 *   - a key far from all others costs at most two new nodes (a leaf and a
 *     branch node where its path leaves the tree), whatever the height;
 *   - dense keys cost one leaf per 16 keys plus interior nodes;
 *   - a lookup visits at most 16 nodes (64 bits / 4), and about
 *     log16(number of keys) for keys that are not pathological.
 *
 * Invariants:
 *   (a) every node covers the keys of everything below it;
 *   (b) rn_count is the number of non-NULL slots, and is never 0 in a
 *       node that is linked in the tree;
 *   (c) every interior node (level > 0) has at least two children: a
 *       removal that leaves one child replaces the node by that child.
 * (b) and (c) make an empty tree use no memory at all, which the tests
 * check through the M_TMPFS_RADIX counters.  tmpfs_radix_verify() checks
 * all three (the tests call it).
 *
 * Memory: nodes come from kmalloc (M_TMPFS_RADIX); one is 144 bytes (the
 * 192-byte size class), about 13 bytes per page of a dense file.
 * Insertion allocates at most two nodes, both before it changes
 * anything, so a failed insertion (ENOMEM) leaves the tree as it was.
 * Removal never allocates.
 *
 * Concurrency: none here.  The caller serializes every call on a tree
 * (tmpfs: the mount's token).  Nothing blocks.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <vfs/tmpfs/tmpfs.h>

#define RN_BITS		4
#define RN_SLOTS	(1 << RN_BITS)
#define RN_MAXLEVEL	(64 / RN_BITS - 1)

MALLOC_DEFINE(M_TMPFS_RADIX, "tmpfs_radix", "tmpfs radix tree nodes");

struct tmpfs_rnode {
	uint64_t	rn_base;	/* key bits above the node's span */
	uint8_t		rn_level;	/* 0: slots are items */
	uint8_t		rn_count;	/* non-NULL slots */
	void		*rn_slot[RN_SLOTS];
};

CTASSERT(RN_SLOTS <= 255);
CTASSERT((RN_MAXLEVEL + 1) * RN_BITS == 64);

/* The key bits a node of this level spans (below its base). */
static inline uint64_t
rn_spanmask(int level)
{
	if (level >= RN_MAXLEVEL)
		return (~(uint64_t)0);
	return (((uint64_t)1 << ((level + 1) * RN_BITS)) - 1);
}

static inline bool
rn_covers(const struct tmpfs_rnode *n, uint64_t key)
{
	return ((key & ~rn_spanmask(n->rn_level)) == n->rn_base);
}

static inline int
rn_slotof(const struct tmpfs_rnode *n, uint64_t key)
{
	return ((int)(key >> (n->rn_level * RN_BITS)) & (RN_SLOTS - 1));
}

static struct tmpfs_rnode *
rn_alloc(int level, uint64_t key)
{
	struct tmpfs_rnode *n;

	n = kmalloc(sizeof(*n), M_TMPFS_RADIX, M_ZERO);
	if (n == NULL)
		return (NULL);
	n->rn_level = (uint8_t)level;
	n->rn_base = key & ~rn_spanmask(level);
	return (n);
}

void *
tmpfs_radix_lookup(const struct tmpfs_radix *tr, uint64_t key)
{
	const struct tmpfs_rnode *n = tr->tr_root;

	while (n != NULL) {
		if (!rn_covers(n, key))
			return (NULL);
		if (n->rn_level == 0)
			return (n->rn_slot[key & (RN_SLOTS - 1)]);
		n = n->rn_slot[rn_slotof(n, key)];
	}
	return (NULL);
}

/*
 * Insert key -> item (item not NULL).  Walks down from the root; the
 * three ways the walk can end each allocate first and then link:
 *   - an empty slot (or empty tree): hang a new leaf there;
 *   - a node that does not cover key: the paths part above it, so a new
 *     branch node at the level of the highest differing bit takes the
 *     old node and a new leaf;
 *   - the leaf for key: fill the slot.
 * Returns 0, EEXIST (key already present) or ENOMEM, the last two with
 * the tree unchanged.
 */
int
tmpfs_radix_insert(struct tmpfs_radix *tr, uint64_t key, void *item)
{
	struct tmpfs_rnode **slotp = &tr->tr_root;
	struct tmpfs_rnode *parent = NULL, *n, *leaf, *branch;
	int level;

	KASSERT(item != NULL, ("tmpfs_radix_insert: NULL item"));
	for (;;) {
		n = *slotp;
		if (n == NULL) {
			leaf = rn_alloc(0, key);
			if (leaf == NULL)
				return (ENOMEM);
			leaf->rn_slot[key & (RN_SLOTS - 1)] = item;
			leaf->rn_count = 1;
			*slotp = leaf;
			if (parent != NULL)
				parent->rn_count++;
			return (0);
		}
		if (!rn_covers(n, key)) {
			level = (63 - __builtin_clzll(key ^ n->rn_base)) /
			    RN_BITS;
			KKASSERT(level > n->rn_level);
			branch = rn_alloc(level, key);
			leaf = rn_alloc(0, key);
			if (branch == NULL || leaf == NULL) {
				kfree(branch, M_TMPFS_RADIX);
				kfree(leaf, M_TMPFS_RADIX);
				return (ENOMEM);
			}
			leaf->rn_slot[key & (RN_SLOTS - 1)] = item;
			leaf->rn_count = 1;
			branch->rn_slot[rn_slotof(branch, n->rn_base)] = n;
			branch->rn_slot[rn_slotof(branch, key)] = leaf;
			branch->rn_count = 2;
			*slotp = branch;
			return (0);
		}
		if (n->rn_level == 0) {
			if (n->rn_slot[key & (RN_SLOTS - 1)] != NULL)
				return (EEXIST);
			n->rn_slot[key & (RN_SLOTS - 1)] = item;
			n->rn_count++;
			return (0);
		}
		parent = n;
		slotp = (struct tmpfs_rnode **)&n->rn_slot[rn_slotof(n, key)];
	}
}

/*
 * Remove key; returns its item, or NULL if it was not there.  Frees the
 * nodes that become empty and replaces an interior node left with one
 * child by that child (invariants (b) and (c)).  Never allocates.
 */
void *
tmpfs_radix_remove(struct tmpfs_radix *tr, uint64_t key)
{
	struct tmpfs_rnode **slotp[RN_MAXLEVEL + 1];
	struct tmpfs_rnode *path[RN_MAXLEVEL + 1];
	struct tmpfs_rnode **sp = &tr->tr_root;
	struct tmpfs_rnode *n, *child;
	void *item;
	int depth = 0, i, s;

	for (;;) {
		n = *sp;
		if (n == NULL || !rn_covers(n, key))
			return (NULL);
		KKASSERT(depth <= RN_MAXLEVEL);
		slotp[depth] = sp;
		path[depth++] = n;
		if (n->rn_level == 0)
			break;
		sp = (struct tmpfs_rnode **)&n->rn_slot[rn_slotof(n, key)];
	}
	s = key & (RN_SLOTS - 1);
	item = n->rn_slot[s];
	if (item == NULL)
		return (NULL);
	n->rn_slot[s] = NULL;
	n->rn_count--;

	/* Unlink and free the nodes that became empty, bottom up. */
	for (i = depth - 1; i >= 0 && path[i]->rn_count == 0; i--) {
		*slotp[i] = NULL;
		kfree(path[i], M_TMPFS_RADIX);
		if (i > 0)
			path[i - 1]->rn_count--;
	}
	/* An interior node left with one child gives way to it. */
	if (i >= 0 && path[i]->rn_level > 0 && path[i]->rn_count == 1) {
		n = path[i];
		child = NULL;
		for (s = 0; s < RN_SLOTS && child == NULL; s++)
			child = n->rn_slot[s];
		KKASSERT(child != NULL);
		*slotp[i] = child;
		kfree(n, M_TMPFS_RADIX);
	}
	return (item);
}

/* Smallest key >= key under n (recursion depth <= 16). */
static void *
rn_lookup_ge(const struct tmpfs_rnode *n, uint64_t key, uint64_t *keyp)
{
	uint64_t lo = n->rn_base;
	uint64_t hi = lo | rn_spanmask(n->rn_level);
	int shift = n->rn_level * RN_BITS;
	uint64_t slotlo;
	void *item;
	int s;

	if (hi < key)
		return (NULL);
	if (lo > key)
		key = lo;
	for (s = rn_slotof(n, key); s < RN_SLOTS; s++) {
		if (n->rn_slot[s] == NULL)
			continue;
		slotlo = lo | ((uint64_t)s << shift);
		if (n->rn_level == 0) {
			*keyp = slotlo;
			return (n->rn_slot[s]);
		}
		item = rn_lookup_ge(n->rn_slot[s], MAX(key, slotlo), keyp);
		if (item != NULL)
			return (item);
	}
	return (NULL);
}

void *
tmpfs_radix_lookup_ge(const struct tmpfs_radix *tr, uint64_t key,
    uint64_t *keyp)
{
	if (tr->tr_root == NULL)
		return (NULL);
	return (rn_lookup_ge(tr->tr_root, key, keyp));
}

/* Nodes under n satisfying (a)-(c) within [lo, hi], or -1. */
static long
rn_verify(const struct tmpfs_rnode *n, uint64_t lo, uint64_t hi, int below)
{
	uint64_t slo, mask = rn_spanmask(n->rn_level);
	long total = 1, sub;
	int s, count = 0;

	if (n->rn_level >= below || (n->rn_base & mask) != 0 ||
	    n->rn_base < lo || (n->rn_base | mask) > hi)
		return (-1);
	for (s = 0; s < RN_SLOTS; s++) {
		if (n->rn_slot[s] == NULL)
			continue;
		count++;
		if (n->rn_level == 0)
			continue;
		slo = n->rn_base | ((uint64_t)s << (n->rn_level * RN_BITS));
		sub = rn_verify(n->rn_slot[s], slo, slo |
		    rn_spanmask(n->rn_level - 1), n->rn_level);
		if (sub < 0)
			return (-1);
		total += sub;
	}
	if (count != n->rn_count || count == 0 ||
	    (n->rn_level > 0 && count < 2))
		return (-1);
	return (total);
}

/*
 * Check invariants (a)-(c) of the whole tree (tests).  Returns the number
 * of tree nodes, or -1 if an invariant is broken.
 */
long
tmpfs_radix_verify(const struct tmpfs_radix *tr)
{
	if (tr->tr_root == NULL)
		return (0);
	return (rn_verify(tr->tr_root, 0, ~(uint64_t)0, RN_MAXLEVEL + 1));
}
