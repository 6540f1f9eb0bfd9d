/*
 * In-kernel tests of IPI messages: a storm from every CPU to every other
 * with per-pair sequence checks (exactly once, in order), the same with
 * the FIFOs forced nearly empty so that senders constantly find them
 * full while their targets are sending back, and passive delivery.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/smp.h>
#include <sys/md.h>

/* Per (source, target) pair: next expected sequence; target writes it. */
static volatile uint64_t storm_expect[MAXCPU][MAXCPU];
static volatile uint64_t storm_sent[MAXCPU][MAXCPU];
static volatile int storm_bad;
static uint64_t storm_budget_ns;
static uint64_t storm_max;

/* IPI function: runs on the target.  arg1 = source CPU, arg2 = seq. */
static void
storm_recv(void *arg1, uint64_t seq)
{
	int src = (int)(uintptr_t)arg1, me = mycpuid;

	if (storm_expect[src][me] != seq) {
		if (__atomic_add_fetch(&storm_bad, 1, __ATOMIC_RELAXED) <= 3)
			kprintf("# FAIL ipiq: cpu%d got seq %lu from cpu%d, "
			    "expected %lu\n", me, seq, src,
			    storm_expect[src][me]);
	}
	storm_expect[src][me] = seq + 1;
}

/*
 * Every CPU sends to every other CPU, round robin over targets, until
 * the time budget or the message cap is reached.  Now and then a sender
 * sits in a critical section for a while so that messages to it pile up
 * and its own sends batch.
 */
static void
storm_sender(void *arg)
{
	int me = mycpuid;
	uint32_t last[MAXCPU] = { 0 };
	uint64_t end = nanouptime() + storm_budget_ns, n = 0;

	if (ncpus == 1)
		return;
	while (n < storm_max && (n < 1000 || nanouptime() < end)) {
		for (int cpu = 0; cpu < ncpus; cpu++) {
			if (cpu == me)
				continue;
			last[cpu] = lwkt_send_ipiq(globaldata_find(cpu),
			    storm_recv, (void *)(uintptr_t)me,
			    storm_sent[me][cpu]++);
			n++;
		}
		if ((n & 4095) == 0) {
			crit_enter();
			for (volatile int i = 0; i < 2000; i++)
				;
			crit_exit();
		}
	}
	for (int cpu = 0; cpu < ncpus; cpu++)
		if (cpu != me)
			lwkt_wait_ipiq(globaldata_find(cpu), last[cpu]);
}

static void
storm_run(uint32_t fifo_limit, uint64_t budget_ms, uint64_t max)
{
	uint64_t total = 0, full0 = 0, full1 = 0, batched = 0, sent = 0;

	memset((void *)storm_expect, 0, sizeof(storm_expect));
	memset((void *)storm_sent, 0, sizeof(storm_sent));
	storm_bad = 0;
	storm_budget_ns = budget_ms * 1000000UL;
	storm_max = max;
	for (int cpu = 0; cpu < ncpus; cpu++)
		full0 += globaldata_find(cpu)->gd_cnt.ipi_fifofull;
	lwkt_ipiq_set_limit(fifo_limit);
	smp_call_all(storm_sender, NULL);
	lwkt_ipiq_set_limit(0);
	for (int src = 0; src < ncpus; src++) {
		for (int dst = 0; dst < ncpus; dst++) {
			if (storm_expect[src][dst] != storm_sent[src][dst])
				ktest_fail(__FILE__, __LINE__,
				    "cpu%d->cpu%d: sent %lu, delivered %lu", src,
				    dst, storm_sent[src][dst],
				    storm_expect[src][dst]);
			total += storm_sent[src][dst];
		}
		full1 += globaldata_find(src)->gd_cnt.ipi_fifofull;
		batched += globaldata_find(src)->gd_cnt.ipi_batched;
		sent += globaldata_find(src)->gd_cnt.ipi_sent;
	}
	ktest_log("fifo limit %u: %lu messages, %lu FIFO-full waits, "
	    "%lu hardware IPIs and %lu batched sends so far", fifo_limit,
	    total, full1 - full0, sent, batched);
	KT_CHECK(storm_bad == 0);
	if (ncpus > 1) {
		KT_CHECK(total >= 1000UL * ncpus);
		if (fifo_limit != 0 && fifo_limit <= 4)
			KT_CHECK(full1 > full0);
	}
}

KTEST_SMP(ipiq_storm, "1,4",
    "every CPU sends every other CPU IPI messages: each delivered once, in order")
{
	storm_run(0, 2000, 400000);
}

KTEST_SMP(ipiq_storm_full, "1,4",
    "IPI storm with 2-entry FIFOs: senders wait on full FIFOs without deadlock")
{
	storm_run(2, 1000, 100000);
}

/* Passive: queued without an interrupt, picked up at the target's tick. */
static volatile int passive_ran;

static void
passive_recv(void *arg1, uint64_t arg2)
{
	__atomic_store_n(&passive_ran, (int)arg2, __ATOMIC_RELEASE);
}

KTEST_SMP(ipiq_passive, "2",
    "a passive IPI message is delivered without interrupting the target")
{
	struct globaldata *target = globaldata_find(1);
	uint64_t deadline = nanouptime() + 2000000000UL;
	uint64_t sent0 = mycpu->gd_cnt.ipi_sent;

	passive_ran = 0;
	lwkt_send_ipiq_passive(target, passive_recv, NULL, 42);
	KT_ASSERT_EQ(mycpu->gd_cnt.ipi_sent, sent0);
	while (__atomic_load_n(&passive_ran, __ATOMIC_ACQUIRE) == 0 &&
	    nanouptime() < deadline)
		tsleep(&passive_ran, 0, "passive", 5000000UL);
	KT_ASSERT_EQ(passive_ran, 42);
}
