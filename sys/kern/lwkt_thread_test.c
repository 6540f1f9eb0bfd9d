/*
 * In-kernel tests of LWKT threads: creation and exit without leaks,
 * sleeping and waking across CPUs, timeouts, round-robin and priorities,
 * migration, and preemption by an interrupt thread.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/smp.h>
#include <sys/md.h>
#include <vm/vm_page.h>

MALLOC_DECLARE(M_THREAD);

/* --- lifecycle --- */

static volatile int lc_left;
static volatile int lc_ran;

static void
lc_child(void *arg)
{
	__atomic_add_fetch(&lc_ran, 1, __ATOMIC_RELAXED);
	countdown_done(&lc_left);
}

static volatile int lc_created;

/*
 * Create n children, or stop after a 3 s budget once 100 exist (under the
 * emulating KVM of our build machines 2000 take minutes); the children
 * not created are accounted for so the waiter still wakes.
 */
static void
lc_creator(void *arg)
{
	int n = (int)(uintptr_t)arg, cpu = mycpuid;
	uint64_t end = nanouptime() + 3000000000UL;

	for (int i = 0; i < n; i++) {
		if (i >= 100 && nanouptime() > end) {
			for (; i < n; i++)
				countdown_done(&lc_left);
			break;
		}
		__atomic_add_fetch(&lc_created, 1, __ATOMIC_RELAXED);
		/* Alternate local and remote creation. */
		int target = (i & 1) ? (cpu + 1) % ncpus : cpu;

		if (lwkt_create(lc_child, NULL, target, TDPRI_KERN, 0, 0,
		    "lc_child") == NULL) {
			ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
			countdown_done(&lc_left);
		}
		if ((i & 31) == 31)
			lwkt_yield();
	}
}

KTEST_SMP(lwkt_lifecycle, "1,4",
    "create and exit thousands of threads on all CPUs; memory back to baseline")
{
	int64_t in0, mem0, in1, mem1;
	size_t free0, free1;
	int per_cpu = 2000 / ncpus, nthreads0 = lwkt_thread_count();
	uint64_t deadline;

	kmalloc_type_stats(M_THREAD, &in0, &mem0);
	free0 = vm_phys_free_count();
	lc_left = per_cpu * ncpus;
	lc_ran = 0;
	lc_created = 0;
	smp_call_all(lc_creator, (void *)(uintptr_t)per_cpu);
	countdown_wait(&lc_left, "waitz");
	KT_ASSERT_EQ(lc_ran, lc_created);
	KT_ASSERT(lc_created >= 100 * ncpus);
	/* The last children may still be switching out: give them a moment. */
	deadline = nanouptime() + 2000000000UL;
	do {
		tsleep(&lc_left, 0, "lcdrain", 10000000UL);
		kmalloc_type_stats(M_THREAD, &in1, &mem1);
	} while ((in1 != in0 || lwkt_thread_count() != nthreads0) &&
	    nanouptime() < deadline);
	free1 = vm_phys_free_count();
	ktest_log("%d threads created and reaped; thread objects %ld -> %ld, "
	    "free pages %zu -> %zu (kmalloc caches)", lc_created, in0, in1,
	    free0, free1);
	KT_ASSERT_EQ(in1, in0);
	KT_ASSERT_EQ(mem1, mem0);
	KT_ASSERT_EQ(lwkt_thread_count(), nthreads0);	/* stacks freed */
}

/* --- sleep, wakeup, timeouts --- */

static volatile int pp_turn;		/* whose turn: 0 or 1 */
static volatile int pp_left;
#define PP_ROUNDS	500

static void
pp_player(void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (int i = 0; i < PP_ROUNDS; i++) {
		while (__atomic_load_n(&pp_turn, __ATOMIC_ACQUIRE) != me) {
			tsleep_interlock(&pp_turn);
			if (__atomic_load_n(&pp_turn, __ATOMIC_ACQUIRE) == me)
				break;
			tsleep(&pp_turn, PINTERLOCKED, "pingpong", 0);
		}
		__atomic_store_n(&pp_turn, 1 - me, __ATOMIC_RELEASE);
		wakeup(&pp_turn);
	}
	countdown_done(&pp_left);
}

KTEST_SMP(lwkt_sleep_wakeup, "1,4",
    "two threads on different CPUs alternate 500 times with tsleep/wakeup")
{
	pp_turn = 0;
	pp_left = 2;
	KT_ASSERT(lwkt_create(pp_player, (void *)0, 0, TDPRI_KERN, 0, 0,
	    "ping") != NULL);
	KT_ASSERT(lwkt_create(pp_player, (void *)1, ncpus - 1, TDPRI_KERN, 0,
	    0, "pong") != NULL);
	countdown_wait(&pp_left, "waitz");
	KT_ASSERT_EQ(pp_turn, 0);
}

KTEST(lwkt_sleep_timeout, "tsleep times out, never early, and wakeup beats it")
{
	static int chan;
	uint64_t t0, t1;

	t0 = nanouptime();
	KT_ASSERT_EQ(tsleep(&chan, 0, "tmo", 30000000UL), ETIMEDOUT);
	t1 = nanouptime();
	ktest_log("30 ms timeout took %lu us", (t1 - t0) / 1000);
	KT_ASSERT(t1 - t0 >= 30000000UL);

	/* An interlocked wakeup before the sleep is not lost. */
	tsleep_interlock(&chan);
	wakeup(&chan);
	KT_ASSERT_EQ(tsleep(&chan, PINTERLOCKED, "tmo", 5000000000UL), 0);
	KT_ASSERT((curthread->td_flags & TDF_SLEEPING) == 0);
}

/* --- round robin and priorities --- */

static char rr_log[64];
static volatile int rr_pos;
static volatile int rr_left;

static void
rr_thread(void *arg)
{
	char tag = (char)(uintptr_t)arg;

	for (int i = 0; i < 4; i++) {
		int p = __atomic_fetch_add(&rr_pos, 1, __ATOMIC_RELAXED);

		if (p < (int)sizeof(rr_log) - 1)
			rr_log[p] = tag;
		lwkt_yield();
	}
	countdown_done(&rr_left);
}

KTEST(lwkt_roundrobin, "equal priorities alternate on yield; higher runs first")
{
	thread_t a, b, c;

	memset(rr_log, 0, sizeof(rr_log));
	rr_pos = 0;
	rr_left = 3;
	crit_enter();		/* create all three before any runs */
	a = lwkt_create(rr_thread, (void *)'a', 0, TDPRI_KERN_DAEMON, 0, 0,
	    "rr_a");
	b = lwkt_create(rr_thread, (void *)'b', 0, TDPRI_KERN_DAEMON, 0, 0,
	    "rr_b");
	c = lwkt_create(rr_thread, (void *)'H', 0, TDPRI_SOFT, 0, 0, "rr_h");
	crit_exit();
	KT_ASSERT(a != NULL && b != NULL && c != NULL);
	countdown_wait(&rr_left, "waitz");
	ktest_log("order: %s", rr_log);
	/* The higher-priority thread runs to completion first. */
	KT_ASSERT(strncmp(rr_log, "HHHH", 4) == 0);
	KT_ASSERT(strcmp(rr_log + 4, "abababab") == 0);
}

/* --- migration --- */

static volatile int mig_left;
static volatile int mig_bad;

static void
mig_thread(void *arg)
{
	for (int round = 0; round < 3; round++) {
		for (int cpu = 0; cpu < ncpus; cpu++) {
			lwkt_migrate(cpu);
			if (mycpuid != cpu || curthread->td_gd != mycpu)
				__atomic_add_fetch(&mig_bad, 1, __ATOMIC_RELAXED);
		}
	}
	countdown_done(&mig_left);
}

KTEST_SMP(lwkt_migrate, "1,4", "a thread moves itself to every CPU in turn")
{
	mig_left = 2;
	mig_bad = 0;
	KT_ASSERT(lwkt_create(mig_thread, NULL, 0, TDPRI_KERN, 0, 0, "mig0") !=
	    NULL);
	KT_ASSERT(lwkt_create(mig_thread, NULL, ncpus - 1, TDPRI_KERN, 0, 0,
	    "mig1") != NULL);
	countdown_wait(&mig_left, "waitz");
	KT_ASSERT_EQ(mig_bad, 0);
}

/* --- preemption --- */

static struct thread * volatile pre_ithread;
static struct thread * volatile pre_busy;
static struct thread * volatile pre_seen_preempted;
static volatile int pre_done;
static volatile uint64_t pre_spins_at_preempt;
static volatile uint64_t pre_spins;
static volatile int pre_left;

/* The interrupt thread: wait to be scheduled, note whom it preempted. */
static void
pre_ithread_main(void *arg)
{
	lwkt_deschedule_self();
	lwkt_switch();			/* until the timer schedules us */
	pre_seen_preempted = curthread->td_preempted;
	pre_spins_at_preempt = pre_spins;
	__atomic_store_n(&pre_done, 1, __ATOMIC_RELEASE);
	countdown_done(&pre_left);
}

/* Trap context (hardclock): make the interrupt thread runnable. */
static void
pre_fire(struct systimer *st, void *arg)
{
	lwkt_schedule(pre_ithread);
}

static void
pre_busy_main(void *arg)
{
	struct systimer st = { 0 };
	uint64_t give_up;

	pre_busy = curthread;
	systimer_arm(&st, nanouptime() + 20000000UL, pre_fire, NULL);
	give_up = nanouptime() + 5000000000UL;
	/* Spin without yielding: only preemption can run the other thread. */
	while (!__atomic_load_n(&pre_done, __ATOMIC_ACQUIRE)) {
		pre_spins++;
		if (nanouptime() > give_up)
			break;
	}
	systimer_disarm(&st);
	/* We are running again: we resumed after the interrupt thread. */
	pre_spins++;
	countdown_done(&pre_left);
}

KTEST_SMP(lwkt_preempt, "1,4",
    "an interrupt thread preempts a busy thread, which resumes afterwards")
{
	int cpu = ncpus - 1;

	pre_done = 0;
	pre_spins = 0;
	pre_left = 2;
	pre_seen_preempted = NULL;
	pre_ithread = lwkt_create(pre_ithread_main, NULL, cpu, TDPRI_INT,
	    TDF_INTTHREAD, 0, "pre_ithread");
	KT_ASSERT(pre_ithread != NULL);
	/* Let it reach its wait before the busy thread starts. */
	tsleep(&pre_left, 0, "prewait", 20000000UL);
	KT_ASSERT(lwkt_create(pre_busy_main, NULL, cpu, TDPRI_KERN, 0, 0,
	    "pre_busy") != NULL);
	countdown_wait(&pre_left, "waitz");
	KT_ASSERT_EQ(pre_done, 1);
	KT_ASSERT(pre_seen_preempted == pre_busy);
	KT_ASSERT(pre_spins > pre_spins_at_preempt);
	ktest_log("busy thread spun %lu times before, %lu in total",
	    pre_spins_at_preempt, pre_spins);
}

/* --- no preemption by ordinary threads --- */

static volatile int np_ran;

static void
np_thread(void *arg)
{
	__atomic_store_n(&np_ran, 1, __ATOMIC_RELEASE);
	wakeup(&np_ran);
}

KTEST(lwkt_nopreempt,
    "a runnable higher-priority ordinary thread waits until the current one blocks")
{
	uint64_t until;

	np_ran = 0;
	KT_ASSERT(lwkt_create(np_thread, NULL, mycpuid, TDPRI_SOFT, 0, 0,
	    "np_high") != NULL);
	/* Spin through several timer ticks without blocking. */
	until = nanouptime() + 50000000UL;
	while (nanouptime() < until)
		KT_ASSERT_EQ(__atomic_load_n(&np_ran, __ATOMIC_ACQUIRE), 0);
	KT_ASSERT_EQ(np_ran, 0);
	/* Blocking lets it run. */
	while (__atomic_load_n(&np_ran, __ATOMIC_ACQUIRE) == 0)
		tsleep(&np_ran, 0, "nopre", 10000000UL);
	KT_ASSERT_EQ(np_ran, 1);
}
