/*
 * In-kernel tests of the tmpfs radix tree (tmpfs_radix.c), without any
 * filesystem around it.
 *
 *   tmpfs_radix_model	random insertions and removals of keys drawn from
 *			several shapes (dense, clustered, spread over all 64
 *			bits, the extremes 0 and ~0), growing the tree to 511
 *			keys (128 under KVM) and shrinking it to 16 again and
 *			again, checked after every step
 *			against a sorted-array model: lookup, lookup_ge from
 *			random points, EEXIST on duplicates, removal of absent
 *			keys, and every 16 steps the tree's own invariants
 *			(tmpfs_radix_verify); at the end the tree is empty and
 *			every tree node has been freed (M_TMPFS_RADIX)
 *			8000 steps under TCG; capped by time under KVM.
 *   tmpfs_radix_sparse	keys far apart cost at most two tree nodes each
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <vfs/tmpfs/tmpfs.h>

#include <vfs/tmpfs/tmpfs_test.h>

#define RT_MAXKEYS	512
#define RT_STEPS	8000		/* under TCG: about 1 s */
#define RT_MINSTEPS	1000
#define RT_BUDGET_NS	4000000000UL	/* caps the run under KVM */

/* A key of one of several shapes. */
static uint64_t
rt_key(uint64_t *s)
{
	uint64_t r = tt_rand(s);

	switch (r % 6) {
	case 0:
		return (tt_rand(s) % 64);			/* dense */
	case 1:
		return (0x123456789a000ULL + tt_rand(s) % 300);	/* cluster */
	case 2:
		return (tt_rand(s));				/* anywhere */
	case 3:
		return ((tt_rand(s) % 2) ? 0 : ~(uint64_t)0);	/* extremes */
	case 4:
		return (tt_rand(s) << (tt_rand(s) % 60));	/* high bits */
	default:
		return ((uint64_t)1 << (tt_rand(s) % 64));	/* one bit */
	}
}

/* Model: a sorted array of keys; item of key k is (void *)(k ^ MAGIC). */
#define RT_ITEM(k)	((void *)(uintptr_t)(((k) ^ 0x5a5a5a5a5a5a5a5aULL) | 1))

struct rt_model {
	uint64_t	keys[RT_MAXKEYS];
	int		n;
};

/* Open a gap at i / close the gap at i (word loops, no byte memmove). */
static void
rt_open(struct rt_model *m, int i)
{
	for (int j = m->n; j > i; j--)
		m->keys[j] = m->keys[j - 1];
	m->n++;
}

static void
rt_close(struct rt_model *m, int i)
{
	for (int j = i; j < m->n - 1; j++)
		m->keys[j] = m->keys[j + 1];
	m->n--;
}

static int
rt_find(const struct rt_model *m, uint64_t key)
{
	int lo = 0, hi = m->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (m->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);		/* first index with keys[i] >= key */
}

/* Compare the tree with the model at a few points; false on mismatch. */
static bool
rt_agree(const struct tmpfs_radix *tr, const struct rt_model *m,
    uint64_t *s)
{
	uint64_t q, k;
	void *item;
	int i, j;

	for (i = 0; i < m->n; i += 1 + m->n / 16) {
		if (tmpfs_radix_lookup(tr, m->keys[i]) != RT_ITEM(m->keys[i])) {
			ktest_log("lookup %#lx wrong", m->keys[i]);
			return (false);
		}
	}
	for (i = 0; i < 8; i++) {
		q = (i == 0) ? 0 : (i & 1) ? rt_key(s) : m->n > 0 ?
		    m->keys[tt_rand(s) % m->n] + (tt_rand(s) % 3) - 1 : 7;
		j = rt_find(m, q);
		item = tmpfs_radix_lookup_ge(tr, q, &k);
		if (j == m->n) {
			if (item != NULL) {
				ktest_log("ge %#lx: got %#lx, want none", q, k);
				return (false);
			}
		} else if (item != RT_ITEM(m->keys[j]) || k != m->keys[j]) {
			ktest_log("ge %#lx: got %p key %#lx, want %#lx", q,
			    item, item != NULL ? k : 0, m->keys[j]);
			return (false);
		}
		if (j == m->n || m->keys[j] != q) {
			if (tmpfs_radix_lookup(tr, q) != NULL) {
				ktest_log("lookup of absent %#lx found", q);
				return (false);
			}
		}
	}
	return (true);
}

KTEST(tmpfs_radix_model, "tmpfs radix tree: random inserts/removes of all key shapes agree with a sorted model; empties to no nodes")
{
	struct tmpfs_radix tr = { NULL };
	struct rt_model *m;
	int64_t inuse0, mem0, inuse, mem;
	uint64_t s = 0x9e3779b97f4a7c15ULL, key, end;
	int step, i, error, cycles = 0;
	int top = tt_kvm() ? 128 : RT_MAXKEYS - 1;
	bool growing = true, add;

	m = kmalloc(sizeof(*m), M_TMPFSTEST, M_ZERO);
	KT_ASSERT(m != NULL);
	kmalloc_type_stats(M_TMPFS_RADIX, &inuse0, &mem0);
	end = nanouptime() + RT_BUDGET_NS;
	for (step = 0; step < RT_STEPS && !ktest_failed() &&
	    (step < RT_MINSTEPS || nanouptime() < end); step++) {
		/* Grow to the top, shrink to the bottom, and again. */
		if (growing && m->n >= top)
			growing = false;
		else if (!growing && m->n <= 16) {
			growing = true;
			cycles++;
		}
		add = (tt_rand(&s) % 100) < (growing ? 80 : 20);
		if (m->n >= top)
			add = false;

		if (add) {
			key = rt_key(&s);
			i = rt_find(m, key);
			error = tmpfs_radix_insert(&tr, key, RT_ITEM(key));
			if (i < m->n && m->keys[i] == key) {
				KT_CHECK(error == EEXIST);
			} else {
				KT_CHECK(error == 0);
				rt_open(m, i);
				m->keys[i] = key;
			}
		} else if (m->n > 0 && (tt_rand(&s) % 8) != 0) {
			i = (int)(tt_rand(&s) % m->n);
			key = m->keys[i];
			KT_CHECK(tmpfs_radix_remove(&tr, key) == RT_ITEM(key));
			rt_close(m, i);
			KT_CHECK(tmpfs_radix_lookup(&tr, key) == NULL);
		} else {
			/* Remove a key that is (most likely) absent. */
			key = rt_key(&s);
			i = rt_find(m, key);
			if (i == m->n || m->keys[i] != key)
				KT_CHECK(tmpfs_radix_remove(&tr, key) == NULL);
		}
		KT_CHECK(rt_agree(&tr, m, &s));
		if ((step & 15) == 0)
			KT_CHECK(tmpfs_radix_verify(&tr) >= 0);
		KT_CHECK(tmpfs_radix_empty(&tr) == (m->n == 0));
	}
	ktest_log("%d steps, %d grow/shrink cycles, %d keys left", step,
	    cycles, m->n);
	KT_CHECK(tmpfs_radix_verify(&tr) >= 0);
	/* Empty it in key order through lookup_ge. */
	while (m->n > 0 && !ktest_failed()) {
		void *item = tmpfs_radix_lookup_ge(&tr, 0, &key);

		KT_CHECK(item == RT_ITEM(m->keys[0]) && key == m->keys[0]);
		KT_CHECK(tmpfs_radix_remove(&tr, key) == item);
		rt_close(m, 0);
	}
	KT_CHECK(tmpfs_radix_empty(&tr));
	kmalloc_type_stats(M_TMPFS_RADIX, &inuse, &mem);
	KT_CHECK(inuse == inuse0 && mem == mem0);
	kfree(m, M_TMPFSTEST);
}

KTEST(tmpfs_radix_sparse, "tmpfs radix tree: keys far apart cost at most two nodes each; dense keys one leaf per 16")
{
	struct tmpfs_radix tr = { NULL };
	int64_t inuse0, mem0, inuse, mem;
	uint64_t s = 12345, key, k2;
	int i;

	kmalloc_type_stats(M_TMPFS_RADIX, &inuse0, &mem0);
	for (i = 0; i < 256; i++) {
		key = (tt_rand(&s) >> 14) | ((uint64_t)i << 50);
		KT_ASSERT_EQ(tmpfs_radix_insert(&tr, key, RT_ITEM(key)), 0);
	}
	kmalloc_type_stats(M_TMPFS_RADIX, &inuse, &mem);
	ktest_log("256 sparse keys: %ld nodes", inuse - inuse0);
	KT_CHECK(tmpfs_radix_verify(&tr) == inuse - inuse0);
	KT_CHECK(inuse - inuse0 <= 2 * 256);
	s = 12345;
	for (i = 0; i < 256; i++) {
		key = (tt_rand(&s) >> 14) | ((uint64_t)i << 50);
		KT_CHECK(tmpfs_radix_lookup_ge(&tr, key, &k2) == RT_ITEM(key) &&
		    k2 == key);
		KT_CHECK(tmpfs_radix_remove(&tr, key) == RT_ITEM(key));
	}
	KT_CHECK(tmpfs_radix_empty(&tr));
	for (key = 0; key < 4096; key++)
		KT_ASSERT_EQ(tmpfs_radix_insert(&tr, key, RT_ITEM(key)), 0);
	kmalloc_type_stats(M_TMPFS_RADIX, &inuse, &mem);
	ktest_log("4096 dense keys: %ld nodes", inuse - inuse0);
	KT_CHECK(tmpfs_radix_verify(&tr) == inuse - inuse0);
	KT_CHECK(inuse - inuse0 <= 4096 / 16 + 4096 / 16 / 15 + 2);
	for (key = 0; key < 4096; key++)
		KT_CHECK(tmpfs_radix_remove(&tr, key) == RT_ITEM(key));
	KT_CHECK(tmpfs_radix_empty(&tr));
	kmalloc_type_stats(M_TMPFS_RADIX, &inuse, &mem);
	KT_CHECK(inuse == inuse0 && mem == mem0);
}
