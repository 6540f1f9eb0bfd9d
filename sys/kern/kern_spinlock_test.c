/*
 * Spin lock test: every CPU increments shared counters non-atomically
 * under one spin lock for a while; no increment may be lost, and the
 * lock's holder must be alone inside.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/spinlock.h>
#include <sys/ktest.h>
#include <sys/smp.h>
#include <sys/md.h>

static struct spinlock sl_test = SPINLOCK_INITIALIZER;
static volatile uint64_t sl_count;
static volatile int sl_inside;
static volatile int sl_overlap;
static volatile uint64_t sl_done[MAXCPU];

static void
sl_worker(void *arg)
{
	uint64_t end = nanouptime() + 300000000UL, n = 0;

	while (n < 2000 || (nanouptime() < end && n < 200000)) {
		spin_lock(&sl_test);
		if (__atomic_add_fetch(&sl_inside, 1, __ATOMIC_RELAXED) != 1)
			__atomic_add_fetch(&sl_overlap, 1, __ATOMIC_RELAXED);
		sl_count = sl_count + 1;	/* deliberately not atomic */
		__atomic_sub_fetch(&sl_inside, 1, __ATOMIC_RELAXED);
		spin_unlock(&sl_test);
		n++;
	}
	sl_done[mycpuid] = n;
}

KTEST_SMP(spinlock_exclusion, "1,4",
    "spin lock: no lost update and one holder at a time, all CPUs contending")
{
	uint64_t total = 0;

	sl_count = 0;
	sl_overlap = 0;
	smp_call_all(sl_worker, NULL);
	for (int cpu = 0; cpu < ncpus; cpu++)
		total += sl_done[cpu];
	ktest_log("%lu acquisitions on %d CPUs", total, ncpus);
	KT_ASSERT_EQ(sl_overlap, 0);
	KT_ASSERT_EQ(sl_count, total);
	KT_ASSERT(!spin_held(&sl_test));
	KT_ASSERT(spin_trylock(&sl_test));
	KT_ASSERT(spin_held(&sl_test));
	spin_unlock(&sl_test);
}
