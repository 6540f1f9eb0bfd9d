/*
 * In-kernel tests of cpusync (sys/kern/lwkt_cpusync.c) and of the kernel
 * TLB shootdown built on it (pmap_invalidate_kernel_range).
 *
 *   cpusync_concurrent	a thread on every CPU masters rounds over
 *			overlapping masks (all, evens, {self, next}, all
 *			but self) at the same time; every target runs each
 *			function exactly once, after the release; while a
 *			master is between start and finish, no target runs
 *			its thread and none runs its own critical phase;
 *			with IPI FIFOs cut to 2 entries, some masters send
 *			messages from their critical phase, so they poll
 *			(and may be held) there; every other round, the
 *			masters wait for a clock grid in a critical section
 *			and start together, so the requests of the others
 *			are first seen inside start: masters that target
 *			each other meet there
 *   cpusync_tlb_remap	a window page flips between two physical pages;
 *			every CPU reads it before (caching the translation)
 *			and after each remap + shootdown and must see the
 *			new page; ranges of 1, 5 and 48 pages (invlpg and
 *			full-flush paths)
 *   cpusync_tlb_readers	threads on the other CPUs read the page in a
 *			loop while the master remaps it; once a shootdown
 *			has returned, no reader sees an older page
 *
 * Every test works with 1 CPU too (it then checks the local paths).
 * Each is bounded both by a number of rounds and by a time budget,
 * because QEMU here can be very slow (see DESIGN.md, "These machines");
 * the time only bounds the work, no result depends on it.  The test
 * body runs on the BSP's boot thread; helper threads are created pinned
 * on their CPU and the body sleeps until they are all gone.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/pmap_kernel.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>

#define CT_BUDGET_NS	3000000000UL	/* per test phase */
#define CT_JOIN_NS	60000000000UL	/* give up waiting for threads */
#define CT_SLEEP_NS	10000000UL

static int
ct_popcount(cpumask_t m)
{
	int n = 0;

	for (; m != 0; m &= m - 1)
		n++;
	return (n);
}

static cpumask_t
ct_active(void)
{
	return (__atomic_load_n(&smp_active_mask, __ATOMIC_ACQUIRE));
}

static uint64_t
ct_cpusyncs_total(void)
{
	uint64_t n = 0;

	for (int cpu = 0; cpu < ncpus; cpu++)
		n += __atomic_load_n(&globaldata_find(cpu)->gd_cnt.cpusyncs,
		    __ATOMIC_RELAXED);
	return (n);
}

/* Threads that have not exited yet; the boot thread waits on it. */
static volatile int ct_running;

static void
ct_thread_done(void)
{
	if (__atomic_sub_fetch(&ct_running, 1, __ATOMIC_ACQ_REL) == 0)
		wakeup(&ct_running);
}

static bool
ct_spawn(void (*fn)(void *), int cpu, const char *name)
{
	__atomic_add_fetch(&ct_running, 1, __ATOMIC_ACQ_REL);
	if (lwkt_create(fn, (void *)(uintptr_t)cpu, cpu, TDPRI_KERN, 0, 0,
	    name) == NULL) {
		__atomic_sub_fetch(&ct_running, 1, __ATOMIC_ACQ_REL);
		ktest_fail(__FILE__, __LINE__, "lwkt_create on cpu%d", cpu);
		return (false);
	}
	return (true);
}

/* Sleep until every helper thread is gone; false after CT_JOIN_NS. */
static bool
ct_join(void)
{
	uint64_t deadline = nanouptime() + CT_JOIN_NS;

	while (__atomic_load_n(&ct_running, __ATOMIC_ACQUIRE) != 0) {
		if (nanouptime() > deadline)
			return (false);
		tsleep(&ct_running, 0, "ctjoin", CT_SLEEP_NS);
	}
	return (true);
}

/* --- cpusync_concurrent --- */

#define CC_MAXROUNDS	4000
#define CC_WATCH_NS	20000	/* how long a master watches its targets */
#define CC_ALIGN_NS	200000	/* stampede rounds start on this grid */
#define CC_FIFO		2	/* IPI FIFO entries during the test */
#define CC_BURST	3	/* messages per target from a critical phase */

/*
 * One CPU's test state.  cc_progress and cc_critgen are written only by
 * the CPU's own test thread and read by masters on other CPUs.
 * cc_critgen is odd while the thread runs a stretch of its critical
 * phase that cannot poll the IPI queue (so cannot be held); it moves by
 * sequentially consistent increments and is read the same way, so of
 * two masters that target each other and are both in such a stretch,
 * at least one sees the other's odd value.
 */
struct cc_cpu {
	volatile uint64_t cc_progress;	/* bumped whenever its thread runs */
	volatile uint64_t cc_critgen;	/* [a] odd: in a non-polling stretch */
	uint64_t	cc_rounds;	/* rounds mastered */
	uint64_t	cc_targets;	/* sum of targets over those rounds */
	uint64_t	cc_expect[MAXCPU]; /* rounds of this master naming cpu */
} __aligned(64);

/* What a master's function sees: written by the master before release. */
struct cc_round {
	int		cr_master;
	cpumask_t	cr_mask;
	volatile int	cr_released;
};

static struct cc_cpu cc_cpu[MAXCPU];
/* [a] cc_ran[m][c]: functions of master m run on CPU c. */
static volatile uint64_t cc_ran[MAXCPU][MAXCPU];
static uint64_t cc_deadline;
static volatile uint64_t cc_msgs_sent;	/* [a] */
static volatile uint64_t cc_msgs_run;	/* [a] */

static void
cc_msg(void *arg1, uint64_t arg2)
{
	__atomic_add_fetch(&cc_msgs_run, 1, __ATOMIC_RELAXED);
}

static void
cc_func(void *arg)
{
	struct cc_round *r = arg;
	int me = mycpuid;

	if ((r->cr_mask & CPUMASK(me)) == 0)
		ktest_fail(__FILE__, __LINE__,
		    "function of cpu%d ran on cpu%d outside mask %#lx",
		    r->cr_master, me, r->cr_mask);
	if (__atomic_load_n(&r->cr_released, __ATOMIC_ACQUIRE) == 0)
		ktest_fail(__FILE__, __LINE__,
		    "function of cpu%d ran on cpu%d before the release",
		    r->cr_master, me);
	__atomic_add_fetch(&cc_ran[r->cr_master][me], 1, __ATOMIC_RELAXED);
}

static cpumask_t
cc_mask(int me, uint64_t round)
{
	cpumask_t all = ct_active(), evens = 0;

	for (int cpu = 0; cpu < ncpus; cpu += 2)
		evens |= CPUMASK(cpu);
	switch (round % 4) {
	case 0:
		return (all);
	case 1:
		return (all & evens);
	case 2:
		return (all & (CPUMASK(me) | CPUMASK((me + 1) % ncpus)));
	default:
		return (all & ~CPUMASK(me));
	}
}

/*
 * The master's checks between start and finish: every target
 * acknowledged, none is running a critical phase of its own (unless
 * that phase polls, and it is held there), and none moves its thread's
 * progress counter while we watch.
 */
static void
cc_check_held(struct lwkt_cpusync *cs, int me, cpumask_t targets)
{
	uint64_t progress[MAXCPU], gen[MAXCPU], until;

	if (cs->cs_held != ct_popcount(targets))
		ktest_fail(__FILE__, __LINE__, "cpu%d: %d held, %d targets",
		    me, cs->cs_held, ct_popcount(targets));
	__atomic_add_fetch(&cc_cpu[me].cc_critgen, 1, __ATOMIC_SEQ_CST);
	for (cpumask_t m = targets; m != 0; m &= m - 1) {
		int t = __builtin_ctzll(m);

		progress[t] = cc_cpu[t].cc_progress;
		gen[t] = __atomic_load_n(&cc_cpu[t].cc_critgen,
		    __ATOMIC_SEQ_CST);
	}
	until = nanouptime() + CC_WATCH_NS;
	while (nanouptime() < until)
		cpu_pause();
	for (cpumask_t m = targets; m != 0; m &= m - 1) {
		int t = __builtin_ctzll(m);
		uint64_t g = __atomic_load_n(&cc_cpu[t].cc_critgen,
		    __ATOMIC_SEQ_CST);

		if ((gen[t] & 1) != 0 || g != gen[t])
			ktest_fail(__FILE__, __LINE__,
			    "cpu%d ran its own critical phase while cpu%d held it",
			    t, me);
		if (cc_cpu[t].cc_progress != progress[t])
			ktest_fail(__FILE__, __LINE__,
			    "cpu%d ran its thread while cpu%d held it", t, me);
	}
	__atomic_add_fetch(&cc_cpu[me].cc_critgen, 1, __ATOMIC_SEQ_CST);
}

/* After finish: exactly the CPUs of mask ran our function, once. */
static void
cc_check_ran(int me, cpumask_t mask)
{
	struct cc_cpu *c = &cc_cpu[me];

	for (int cpu = 0; cpu < ncpus; cpu++) {
		uint64_t ran;

		if (mask & CPUMASK(cpu))
			c->cc_expect[cpu]++;
		ran = __atomic_load_n(&cc_ran[me][cpu], __ATOMIC_RELAXED);
		if (ran != c->cc_expect[cpu])
			ktest_fail(__FILE__, __LINE__,
			    "cpu%d ran %lu functions of cpu%d, expected %lu",
			    cpu, ran, me, c->cc_expect[cpu]);
	}
}

static void
cc_thread(void *arg)
{
	int me = (int)(uintptr_t)arg;
	struct cc_cpu *c = &cc_cpu[me];
	struct lwkt_cpusync cs;
	struct cc_round r;

	KT_CHECK(mycpuid == me);
	for (uint64_t i = 0; i < CC_MAXROUNDS; i++) {
		cpumask_t mask, targets;
		bool stampede;

		if (nanouptime() > cc_deadline || ktest_failed())
			break;
		mask = cc_mask(me, i + me);
		targets = mask & ~CPUMASK(me);
		r.cr_master = me;
		r.cr_mask = mask;
		r.cr_released = 0;

		stampede = (i & 1) == 0;
		if (stampede) {
			/*
			 * Wait for the grid in a critical section (a bounded
			 * wait for time, not for another CPU): requests sent
			 * to us meanwhile stay queued until start polls.
			 */
			uint64_t at = roundup(nanouptime() + 1, CC_ALIGN_NS);

			crit_enter();
			while (nanouptime() < at)
				cpu_pause();
		}
		lwkt_cpusync_start(&cs, mask, cc_func, &r);
		if ((i & 3) != 3 || targets == 0) {
			cc_check_held(&cs, me, targets);
		} else {
			/*
			 * Send from the critical phase: the FIFOs are tiny,
			 * so we poll here and higher-ranked masters may
			 * hold us in the middle of it.
			 */
			cc_check_held(&cs, me, targets);
			for (int k = 0; k < CC_BURST; k++) {
				for (cpumask_t m = targets; m != 0;
				    m &= m - 1) {
					c->cc_progress++;
					lwkt_send_ipiq(globaldata_find(
					    __builtin_ctzll(m)), cc_msg, NULL,
					    0);
					__atomic_add_fetch(&cc_msgs_sent, 1,
					    __ATOMIC_RELAXED);
				}
			}
			cc_check_held(&cs, me, targets);
		}
		__atomic_store_n(&r.cr_released, 1, __ATOMIC_RELEASE);
		lwkt_cpusync_finish(&cs);
		if (stampede)
			crit_exit();

		cc_check_ran(me, mask);
		c->cc_rounds++;
		c->cc_targets += ct_popcount(targets);
		/* Thread code that a held CPU must not be running. */
		for (int k = 0; k < 8; k++) {
			c->cc_progress++;
			cpu_pause();
		}
		if ((i & 15) == 15)
			lwkt_yield();
	}
	ct_thread_done();
}

KTEST_SMP(cpusync_concurrent, "1,4",
    "concurrent cpusync masters on overlapping masks: each target runs each function once, targets held until finish, no deadlock")
{
	uint64_t before, after, rounds = 0, expect = 0;

	memset(cc_cpu, 0, sizeof(cc_cpu));
	memset((void *)cc_ran, 0, sizeof(cc_ran));
	cc_msgs_sent = 0;
	cc_msgs_run = 0;
	before = ct_cpusyncs_total();
	lwkt_ipiq_set_limit(CC_FIFO);
	cc_deadline = nanouptime() + CT_BUDGET_NS;
	for (int cpu = 0; cpu < ncpus; cpu++)
		if (!ct_spawn(cc_thread, cpu, "cctest"))
			break;
	if (!ct_join()) {
		ktest_fail(__FILE__, __LINE__, "threads still running: %d",
		    ct_running);
		return;
	}
	lwkt_ipiq_set_limit(0);
	after = ct_cpusyncs_total();
	for (int cpu = 0; cpu < ncpus; cpu++) {
		ktest_log("cpu%d: %lu rounds, %lu targets held", cpu,
		    cc_cpu[cpu].cc_rounds, cc_cpu[cpu].cc_targets);
		KT_CHECK(cc_cpu[cpu].cc_rounds > 0);
		rounds += cc_cpu[cpu].cc_rounds;
		expect += cc_cpu[cpu].cc_rounds + cc_cpu[cpu].cc_targets;
	}
	ktest_log("%lu rounds; gd_cnt.cpusyncs grew by %lu (expected %lu)",
	    rounds, after - before, expect);
	KT_CHECK(after - before >= expect);
	ktest_log("%lu messages sent from critical phases, %lu run",
	    cc_msgs_sent, cc_msgs_run);
	KT_CHECK(cc_msgs_sent == cc_msgs_run);
}

/* --- TLB tests: shared pieces --- */

#define TLB_NPHYS	4	/* physical pages the window page rotates over */
#define TLB_NVA		48	/* window pages (more than PMAP_INVLPG_MAX) */

static vm_paddr_t tlb_phys[TLB_NPHYS];
static vm_offset_t tlb_va;

static uint64_t
tlb_pattern(int page)
{
	return (0x5a5a000000000000UL | ((uint64_t)page << 32) | 0xc0ffee);
}

/* Fill page i with its pattern (every word). */
static bool
tlb_setup(void)
{
	for (int i = 0; i < TLB_NPHYS; i++) {
		struct vm_page *m = vm_page_alloc(0);
		uint64_t *p;

		if (m == NULL) {
			ktest_fail(__FILE__, __LINE__, "no memory");
			return (false);
		}
		tlb_phys[i] = VM_PAGE_TO_PHYS(m);
		p = (uint64_t *)PHYS_TO_DMAP(tlb_phys[i]);
		for (size_t w = 0; w < PAGE_SIZE / sizeof(*p); w++)
			p[w] = tlb_pattern(i);
	}
	tlb_va = pmap_kva_alloc(TLB_NVA);
	if (tlb_va == 0) {
		ktest_fail(__FILE__, __LINE__, "no window space");
		return (false);
	}
	return (true);
}

static void
tlb_teardown(void)
{
	for (int i = 0; i < TLB_NVA; i++)
		pmap_kremove(tlb_va + i * PAGE_SIZE);
	pmap_invalidate_kernel_range(tlb_va, TLB_NVA * PAGE_SIZE);
	pmap_kva_free(tlb_va, TLB_NVA);
	for (int i = 0; i < TLB_NPHYS; i++)
		vm_page_free(PHYS_TO_VM_PAGE(tlb_phys[i]));
}

static uint64_t
tlb_read(vm_offset_t va)
{
	/* A word that depends on the CPU, so CPUs touch different lines. */
	return (*(volatile uint64_t *)(va + 8 * (mycpuid % 8)));
}

/* --- cpusync_tlb_remap --- */

#define TR_MAXROUNDS	300

/* Which physical page window page i maps in round r. */
static int
tr_page(uint64_t round, int i)
{
	return ((int)((round + i) % 2));
}

struct tr_read {
	uint64_t	rr_round;	/* [I] */
	int		rr_npages;	/* [I] window pages to read */
	volatile int	rr_stale;	/* [a] wrong words seen */
	volatile int	rr_stale_cpus;	/* [a] CPUs that saw one */
};

/* cpusync function: read every page of the range and check it. */
static void
tr_read_func(void *arg)
{
	struct tr_read *rr = arg;
	int bad = 0;

	for (int i = 0; i < rr->rr_npages; i++) {
		uint64_t v = tlb_read(tlb_va + i * PAGE_SIZE);

		if (v != tlb_pattern(tr_page(rr->rr_round, i)))
			bad++;
	}
	if (bad > 0) {
		__atomic_add_fetch(&rr->rr_stale, bad, __ATOMIC_RELAXED);
		__atomic_add_fetch(&rr->rr_stale_cpus, 1, __ATOMIC_RELAXED);
	}
}

static void
tr_map_round(uint64_t round, int npages)
{
	for (int i = 0; i < npages; i++)
		pmap_kenter(tlb_va + i * PAGE_SIZE,
		    tlb_phys[tr_page(round, i)]);
}

/* Every CPU reads the range of round; returns the stale count. */
static int
tr_read_all(uint64_t round, int npages, int *cpus)
{
	struct tr_read rr = { round, npages, 0, 0 };

	lwkt_cpusync_simple(ct_active(), tr_read_func, &rr);
	if (cpus != NULL)
		*cpus = rr.rr_stale_cpus;
	return (rr.rr_stale);
}

/*
 * Without a shootdown, do other CPUs keep reading the old page?  Only
 * logged: it shows whether this machine's TLB model can catch a missing
 * invalidation at all.  Leaves the range consistent for round.
 */
static void
tr_sensitivity(uint64_t round)
{
	int cpus = 0, stale;

	tr_map_round(round, 1);
	pmap_invalidate_kernel_range(tlb_va, PAGE_SIZE);
	(void)tr_read_all(round, 1, NULL);
	tr_map_round(round + 1, 1);
	invlpg(tlb_va);			/* this CPU only */
	(void)tr_read_all(round + 1, 1, &cpus);
	ktest_log("without shootdown, %d of %d other CPUs read the old page",
	    cpus, ncpus - 1);
	pmap_invalidate_kernel_range(tlb_va, PAGE_SIZE);
	stale = tr_read_all(round + 1, 1, NULL);
	KT_CHECK(stale == 0);
}

KTEST_SMP(cpusync_tlb_remap, "1,4",
    "remap a window page on one CPU, shoot it down, every CPU then reads the new page (invlpg and full-flush ranges)")
{
	static const int sizes[] = { 1, 5, TLB_NVA };
	uint64_t deadline, round;
	int stale = 0, stale_cpus = 0;

	if (!tlb_setup())
		return;
	tr_map_round(0, TLB_NVA);
	pmap_invalidate_kernel_range(tlb_va, TLB_NVA * PAGE_SIZE);
	KT_CHECK(pmap_kextract(tlb_va) == tlb_phys[tr_page(0, 0)]);
	KT_CHECK(pmap_kextract(tlb_va + PAGE_SIZE + 12) ==
	    (tlb_phys[tr_page(0, 1)] | 12));

	deadline = nanouptime() + CT_BUDGET_NS;
	for (round = 0; round < TR_MAXROUNDS; round++) {
		int npages = sizes[round % nitems(sizes)], cpus;

		if (round > 0 && nanouptime() > deadline)
			break;
		/* Every CPU caches the current translations. */
		stale += tr_read_all(round, TLB_NVA, &cpus);
		stale_cpus += cpus;
		/* Flip the first npages pages, then shoot them down. */
		tr_map_round(round + 1, npages);
		pmap_invalidate_kernel_range(tlb_va, npages * PAGE_SIZE);
		if (npages < TLB_NVA) {
			/* The rest stays as it was: bring it in line. */
			for (int i = npages; i < TLB_NVA; i++)
				pmap_kenter(tlb_va + i * PAGE_SIZE,
				    tlb_phys[tr_page(round + 1, i)]);
			pmap_invalidate_kernel_range(tlb_va + npages *
			    PAGE_SIZE, (TLB_NVA - npages) * PAGE_SIZE);
		}
		stale += tr_read_all(round + 1, TLB_NVA, &cpus);
		stale_cpus += cpus;
		if (ktest_failed())
			break;
	}
	ktest_log("%lu rounds on %d CPUs: %d stale words (%d CPU reads)",
	    round, ncpus, stale, stale_cpus);
	KT_CHECK(round > 0);
	KT_CHECK(stale == 0);
	if (ncpus > 1)
		tr_sensitivity(round + 1);
	tlb_teardown();
}

/*
 * --- cpusync_tlb_readers ---
 *
 * The master (the test body) rotates window page tlb_va over
 * TLB_NPHYS physical pages: epoch e maps page e % TLB_NPHYS.  For each
 * epoch it enters the new mapping, shoots it down and only then
 * publishes tl_epoch = e.  A reader loads tl_epoch (d1), reads the page,
 * loads tl_epoch again (d2).  If d1 == d2 == d, the shootdown of epoch d
 * had completed on the reader's CPU before its read, and at most the
 * next entry (epoch d + 1, not yet published) can have been made since:
 * the page must be that of d or d + 1.  Anything else (d - 1, d - 2) is
 * a stale translation.  If d1 != d2 the read is not judged.
 */

#define TL_MAXEPOCHS	400

static volatile uint64_t tl_epoch;	/* [a] last epoch shot down */
static volatile int tl_stop;		/* [a] readers: stop */
static volatile int tl_started;		/* [a] readers running */
static volatile uint64_t tl_reads;	/* [a] reads judged */
static volatile uint64_t tl_stale;	/* [a] stale reads */

static void
tl_reader(void *arg)
{
	uint64_t reads = 0, stale = 0, iter = 0;

	__atomic_add_fetch(&tl_started, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&tl_stop, __ATOMIC_ACQUIRE) == 0) {
		uint64_t d1, d2, v;

		d1 = __atomic_load_n(&tl_epoch, __ATOMIC_ACQUIRE);
		v = tlb_read(tlb_va);
		d2 = __atomic_load_n(&tl_epoch, __ATOMIC_ACQUIRE);
		if (d1 == d2) {
			reads++;
			if (v != tlb_pattern(d1 % TLB_NPHYS) &&
			    v != tlb_pattern((d1 + 1) % TLB_NPHYS)) {
				if (stale++ == 0)
					ktest_fail(__FILE__, __LINE__,
					    "cpu%d read %#lx in epoch %lu",
					    mycpuid, v, d1);
			}
		}
		if ((++iter & 1023) == 0)
			lwkt_yield();
	}
	__atomic_add_fetch(&tl_reads, reads, __ATOMIC_RELAXED);
	__atomic_add_fetch(&tl_stale, stale, __ATOMIC_RELAXED);
	ct_thread_done();
}

KTEST_SMP(cpusync_tlb_readers, "1,4",
    "readers on every other CPU loop over a window page while one CPU remaps it; after each shootdown nobody reads an older page")
{
	uint64_t deadline, e, mine = 0;
	int nreaders = 0;

	if (!tlb_setup())
		return;
	tl_epoch = 0;
	tl_stop = 0;
	tl_started = 0;
	tl_reads = 0;
	tl_stale = 0;
	pmap_kenter(tlb_va, tlb_phys[0]);
	pmap_invalidate_kernel_range(tlb_va, PAGE_SIZE);

	for (int cpu = 0; cpu < ncpus; cpu++) {
		if (cpu == mycpuid)
			continue;
		if (!ct_spawn(tl_reader, cpu, "tlreader"))
			break;
		nreaders++;
	}
	deadline = nanouptime() + CT_JOIN_NS;
	while (__atomic_load_n(&tl_started, __ATOMIC_ACQUIRE) < nreaders &&
	    nanouptime() < deadline)
		tsleep(&tl_started, 0, "tlstart", CT_SLEEP_NS);
	KT_CHECK(tl_started == nreaders);

	deadline = nanouptime() + CT_BUDGET_NS;
	for (e = 1; e <= TL_MAXEPOCHS; e++) {
		uint64_t v;

		if (nanouptime() > deadline || ktest_failed())
			break;
		pmap_kenter(tlb_va, tlb_phys[e % TLB_NPHYS]);
		pmap_invalidate_kernel_range(tlb_va, PAGE_SIZE);
		__atomic_store_n(&tl_epoch, e, __ATOMIC_RELEASE);
		v = tlb_read(tlb_va);
		mine++;
		if (v != tlb_pattern(e % TLB_NPHYS))
			ktest_fail(__FILE__, __LINE__,
			    "master read %#lx in epoch %lu", v, e);
	}
	__atomic_store_n(&tl_stop, 1, __ATOMIC_RELEASE);
	if (!ct_join()) {
		ktest_fail(__FILE__, __LINE__, "readers still running: %d",
		    ct_running);
		return;
	}
	ktest_log("%lu epochs, %d readers, %lu judged reads, %lu stale",
	    e - 1, nreaders, tl_reads, tl_stale);
	KT_CHECK(e > 1);
	KT_CHECK(tl_stale == 0);
	tlb_teardown();
}
