/*
 * cpusync: put a set of CPUs into a known state, let the caller work,
 * then release them with a function to run.
 *
 * A master calls lwkt_cpusync_start(cs, mask, func, arg).  It sends one
 * IPI message to every other active CPU of mask.  Each target
 * acknowledges (cs_held++) and then stays in cpusync code, polling its
 * IPI queue, until the master calls lwkt_cpusync_finish(cs), which sets
 * cs_release; each target then runs func(arg) and counts itself in
 * cs_done.  The master runs func(arg) too if its own CPU is in mask.
 * Between start returning and finish being called, no target CPU runs
 * any code but cpusync's own loops and the IPI messages they process:
 * that is the known state (the use is MMU shootdown: no CPU can use or
 * write back a page table entry the master is changing).  The master is
 * in a critical section from start to the end of finish.
 *
 * What it costs: one IPI message per target and two shared cache lines
 * (the counters in cs); every target spins for the whole of the
 * master's critical phase.
 *
 * Held targets and several masters.
 *
 * Every CPU keeps a small private record (struct cpusync_pcpu): the
 * round it is itself mastering, if any; the rounds it has acknowledged
 * and not yet finished (cp_held, indexed by master CPU, since a CPU
 * masters at most one round at a time); the requests it has received but
 * not yet acknowledged (cp_deferred); and whether one of cpusync's wait
 * loops is running on it.  Only that CPU touches its record, always in a
 * critical section.
 *
 * There is one kind of wait loop, whichever role it serves (master
 * waiting for acknowledgements, master waiting for completions, target
 * waiting for release).  Each turn it runs lwkt_process_ipiq(), then
 * finishes every held round whose master has released it (func, then
 * cs_done++).  A request that arrives while a loop is already running on
 * the CPU is only recorded; the running loop serves it.  So a CPU never
 * stacks one hold on top of another: it holds a set of rounds at once,
 * and finishes each as soon as its master releases it, in any order.
 * Only when a request arrives outside any loop (in an IPI interrupt, at
 * crit_exit, or through lwkt_send_ipiq polling because a FIFO was full)
 * does the request handler run a loop itself, until its held set is
 * empty.  No loop returns while its CPU holds an unreleased round.
 *
 * A master's own CPU can be asked to hold too, and here is the one
 * ordering rule.  Rounds are ranked by their master's CPU number, lower
 * first.  From the moment a CPU starts its own round until it releases
 * it, it acknowledges only requests of higher rank than its own; the
 * others are deferred and acknowledged in lwkt_cpusync_finish() right
 * after the release.  (A master cannot be held by a round while it runs
 * its own critical phase: it would not be a known state.  And two
 * masters that target each other cannot both hold for the other while
 * waiting for it; one of them must wait first, and rank says which.)
 *
 * Why this cannot deadlock.  Assume: (A1) every CPU runs its IPI
 * messages within a bounded time, unless it is a master between start
 * and finish, whose critical phase is bounded and waits for other CPUs
 * only through calls that poll the IPI queue (lwkt_send_ipiq with a full
 * FIFO); (A2) lwkt_process_ipiq() may be called from inside an IPI
 * function and runs each message once; (A3) cs_func never blocks and
 * never waits for another CPU.  Then, for a round C with master X:
 *
 *  (1) Release of C waits only for acknowledgements, for X's own held
 *      set to empty during start, and for the bounded critical phase.
 *  (2) A target Y acknowledges C when it next polls (A1), unless Y is
 *      itself mastering a round D it has not yet released, with D of
 *      higher rank than C; then Y acknowledges right after releasing D.
 *  (3) During start (and in a loop nested in the critical phase) X's
 *      held set only ever contains rounds of higher rank than C, which
 *      X finishes when they are released.
 *  (4) Once C is released, every target finishes it within a turn of
 *      its running loop: a CPU that holds C is always inside a loop,
 *      and loops never wait for anything but polling.
 * By (1)-(3) the release of a round depends only on the releases of
 * rounds of strictly higher rank, so the "waits for" relation between
 * releases has no cycle; with finitely many rounds in progress (at most
 * one per CPU) every round is released, and by (4) every round
 * completes.  Nothing waits for a loop to return except the code it
 * interrupted.
 *
 * Rules for callers:
 *  (1) Thread context, no spin lock held (a CPU spinning for that lock
 *      in a critical section would never acknowledge).
 *  (2) Do not block between start and finish; do not start a second
 *      round from the critical phase, from cs_func or from an IPI
 *      function (asserted).
 *  (3) Code that spins in a critical section waiting for another CPU
 *      must call lwkt_process_ipiq() while it spins (A1).
 *  (4) cs lives until finish returns (the caller's stack is fine); a
 *      target touches it for the last time when it increments cs_done.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <machine/cpufunc.h>

/*
 * A CPU's view of the rounds it takes part in.  [L] means: only this CPU
 * reads or writes it, in a critical section (the request handler runs
 * from the IPI queue, which a critical section defers).
 */
struct cpusync_pcpu {
	struct lwkt_cpusync *cp_own;	/* [L] round mastered here, or NULL */
	bool		cp_own_released; /* [L] cp_own released: stop deferring */
	int		cp_loops;	/* [L] wait loops running here (0/1) */
	int		cp_nheld;	/* [L] non-NULL entries of cp_held */
	int		cp_ndeferred;	/* [L] non-NULL entries of cp_deferred */
	struct lwkt_cpusync *cp_held[MAXCPU];	/* [L] acknowledged, by master */
	struct lwkt_cpusync *cp_deferred[MAXCPU]; /* [L] not yet acknowledged */
} __aligned(64);

static struct cpusync_pcpu cpusync_pcpu[MAXCPU];

static int
cpusync_popcount(cpumask_t m)
{
	int n = 0;

	while (m != 0) {
		m &= m - 1;
		n++;
	}
	return (n);
}

/* Acknowledge the request of master's round cs: this CPU now holds. */
static void
cpusync_ack(struct cpusync_pcpu *cp, struct lwkt_cpusync *cs, int master)
{
	KKASSERT(cp->cp_held[master] == NULL);
	cp->cp_held[master] = cs;
	cp->cp_nheld++;
	__atomic_add_fetch(&cs->cs_held, 1, __ATOMIC_RELEASE);
}

/*
 * Finish every held round whose master has released it: run its
 * function, then count ourselves done.  The round must be forgotten
 * before cs_done moves, since the master may then reuse cs at once (and
 * its next request may reach us in any later poll).  In a loop, in a
 * critical section.
 */
static void
cpusync_service(struct cpusync_pcpu *cp)
{
	struct globaldata *gd = mycpu;

	for (int m = 0; m < ncpus && cp->cp_nheld > 0; m++) {
		struct lwkt_cpusync *cs = cp->cp_held[m];
		cpusync_func_t func;
		void *arg;

		if (cs == NULL ||
		    __atomic_load_n(&cs->cs_release, __ATOMIC_ACQUIRE) == 0)
			continue;
		func = cs->cs_func;
		arg = cs->cs_arg;
		cp->cp_held[m] = NULL;
		cp->cp_nheld--;
		gd->gd_cnt.cpusyncs++;
		if (func != NULL)
			func(arg);
		__atomic_add_fetch(&cs->cs_done, 1, __ATOMIC_RELEASE);
	}
}

/* One turn of a wait loop. */
static void
cpusync_poll(struct cpusync_pcpu *cp)
{
	lwkt_process_ipiq();
	if (cp->cp_nheld > 0)
		cpusync_service(cp);
	cpu_pause();
}

/*
 * True if a request from master must wait: this CPU is mastering a round
 * it has not released yet, and that round ranks higher (lower CPU
 * number) than the requester's.
 */
static bool
cpusync_must_defer(struct cpusync_pcpu *cp, int me, int master)
{
	return (cp->cp_own != NULL && !cp->cp_own_released && master > me);
}

/*
 * IPI function: master (arg2) asks this CPU to hold for round arg1.
 * Runs from lwkt_process_ipiq(), in a critical section.  Inside a
 * running wait loop it only records the request; otherwise, if it
 * acknowledges, it becomes the wait loop and returns when this CPU holds
 * nothing any more.
 */
static void
cpusync_request(void *arg1, uint64_t arg2)
{
	struct lwkt_cpusync *cs = arg1;
	int me = mycpuid, master = (int)arg2;
	struct cpusync_pcpu *cp = &cpusync_pcpu[me];

	KASSERT(curthread->td_critcount > 0,
	    ("cpusync_request: not in a critical section"));
	KASSERT(master >= 0 && master < ncpus && master != me,
	    ("cpusync_request: bad master %d on cpu%d", master, me));
	KASSERT(cp->cp_held[master] == NULL &&
	    cp->cp_deferred[master] == NULL,
	    ("cpusync_request: cpu%d has two rounds from cpu%d", me, master));

	if (cpusync_must_defer(cp, me, master)) {
		cp->cp_deferred[master] = cs;
		cp->cp_ndeferred++;
		return;
	}
	cpusync_ack(cp, cs, master);
	if (cp->cp_loops > 0)
		return;
	cp->cp_loops++;
	while (cp->cp_nheld > 0)
		cpusync_poll(cp);
	cp->cp_loops--;
}

/*
 * Start a round: on return every active CPU of mask other than ours is
 * held (see the top of the file), and we are in a critical section that
 * lwkt_cpusync_finish() leaves.  CPUs of mask that are not in
 * smp_active_mask are left out.  Thread context, no spin lock held, not
 * already mastering a round on this CPU.
 */
void
lwkt_cpusync_start(struct lwkt_cpusync *cs, cpumask_t mask,
    cpusync_func_t func, void *arg)
{
	struct globaldata *gd;
	struct cpusync_pcpu *cp;
	cpumask_t others;
	int me, ntargets;

	crit_enter();
	gd = mycpu;
	me = gd->gd_cpuid;
	cp = &cpusync_pcpu[me];
	KASSERT(cp->cp_own == NULL,
	    ("lwkt_cpusync_start: cpu%d already masters a round", me));
	KASSERT(cp->cp_loops == 0 && cp->cp_nheld == 0,
	    ("lwkt_cpusync_start: cpu%d called from a cpusync loop", me));

	mask &= __atomic_load_n(&smp_active_mask, __ATOMIC_ACQUIRE);
	cs->cs_mask = mask;
	cs->cs_func = func;
	cs->cs_arg = arg;
	cs->cs_held = 0;
	cs->cs_done = 0;
	cs->cs_release = 0;
	others = mask & ~CPUMASK(me);
	ntargets = cpusync_popcount(others);

	cp->cp_own = cs;
	cp->cp_own_released = false;
	gd->gd_cnt.cpusyncs++;
	if (ntargets == 0)
		return;

	/* From here on, requests reaching us are recorded, not looped on. */
	cp->cp_loops++;
	for (cpumask_t m = others; m != 0; m &= m - 1) {
		int cpu = __builtin_ctzll(m);

		lwkt_send_ipiq(globaldata_find(cpu), cpusync_request, cs,
		    (uint64_t)me);
	}
	while (__atomic_load_n(&cs->cs_held, __ATOMIC_ACQUIRE) != ntargets ||
	    cp->cp_nheld > 0)
		cpusync_poll(cp);
	cp->cp_loops--;
}

/*
 * Release the round started by lwkt_cpusync_start(): every target runs
 * cs_func(cs_arg), and so do we if our CPU is in the mask.  Returns when
 * all of them have, and when this CPU holds no round of another master
 * any more; leaves the critical section start entered.  Same CPU and
 * thread as the start.
 */
void
lwkt_cpusync_finish(struct lwkt_cpusync *cs)
{
	struct cpusync_pcpu *cp;
	cpumask_t others;
	int me, ntargets;

	me = mycpuid;
	cp = &cpusync_pcpu[me];
	KASSERT(cp->cp_own == cs,
	    ("lwkt_cpusync_finish: cpu%d is not the master of %p", me, cs));
	others = cs->cs_mask & ~CPUMASK(me);
	ntargets = cpusync_popcount(others);

	cp->cp_loops++;
	__atomic_store_n(&cs->cs_release, 1, __ATOMIC_RELEASE);
	cp->cp_own_released = true;
	if ((cs->cs_mask & CPUMASK(me)) != 0 && cs->cs_func != NULL)
		cs->cs_func(cs->cs_arg);

	/* Acknowledge, all at once, what we held back while mastering. */
	for (int m = 0; m < ncpus && cp->cp_ndeferred > 0; m++) {
		struct lwkt_cpusync *dcs = cp->cp_deferred[m];

		if (dcs == NULL)
			continue;
		cp->cp_deferred[m] = NULL;
		cp->cp_ndeferred--;
		cpusync_ack(cp, dcs, m);
	}

	while (__atomic_load_n(&cs->cs_done, __ATOMIC_ACQUIRE) != ntargets ||
	    cp->cp_nheld > 0)
		cpusync_poll(cp);
	cp->cp_loops--;
	cp->cp_own = NULL;
	crit_exit();
}

/*
 * Run func(arg) on every active CPU of mask, the caller's included if it
 * is in mask, with all of them held until each can run it.  Same calling
 * context as lwkt_cpusync_start().
 */
void
lwkt_cpusync_simple(cpumask_t mask, cpusync_func_t func, void *arg)
{
	struct lwkt_cpusync cs;

	lwkt_cpusync_start(&cs, mask, func, arg);
	lwkt_cpusync_finish(&cs);
}
