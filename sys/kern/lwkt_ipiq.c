/*
 * IPI messages: function calls sent to another CPU.
 *
 * Every ordered pair of CPUs (source, target) has its own FIFO, a ring of
 * MAXCPUFIFO (function, arg1, arg2) entries in the source's globaldata
 * (gd_ipiq[target]).  Only the source writes ip_windex and the entries;
 * only the target writes ip_rindex: single producer, single consumer, no
 * lock.  Messages of one pair run in the order sent, each exactly once.
 *
 * Interrupts are batched: a sender raises the target's gd_npoll and sends
 * a hardware IPI only if gd_npoll was clear.  The target clears gd_npoll
 * before it drains its FIFOs (both with sequentially consistent atomics),
 * so a message queued after the drain began always finds gd_npoll clear
 * and interrupts again: none is stranded.  A passive send queues without
 * touching gd_npoll; the target finds the message at its next timer tick,
 * IPI or idle poll.
 *
 * A full FIFO: the sender spins, and while it spins it drains its own
 * incoming FIFOs.  It never switches threads, so sending is a non-blocking
 * operation from the caller's point of view, and two CPUs that fill each
 * other's FIFOs keep emptying each other's: no deadlock.
 *
 * Where messages run: on the target, in its IPI interrupt context, or at
 * its next crit_exit() if the interrupt arrived inside a critical section
 * (RQF_IPIQ).  IPI functions must not block, take tokens or allocate.
 * The read index is advanced before a function runs, so a function that
 * itself drains the queues (a full FIFO, cpusync) never runs a message
 * twice.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/md.h>
#include <sys/kernel.h>
#include <machine/cpufunc.h>

#define MAXCPUFIFO	256		/* entries per FIFO, power of 2 */

struct lwkt_ipiq {
	volatile uint32_t ip_windex __aligned(64);	/* [source] */
	volatile uint32_t ip_rindex __aligned(64);	/* [target] */
	struct {
		ipifunc_t	func;
		void		*arg1;
		uint64_t	arg2;
	} ip_info[MAXCPUFIFO] __aligned(64);			/* [source] */
};

MALLOC_DEFINE(M_IPIQ, "ipiq", "LWKT IPI FIFOs");

static uint32_t ipiq_fifo_limit = MAXCPUFIFO;	/* tests may shrink it */

/*
 * Allocate every CPU's outgoing FIFOs.  BSP, once, after all CPUs are up
 * and before anything sends an IPI message.
 */
void
lwkt_ipiq_init(void)
{
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct globaldata *gd = globaldata_find(cpu);

		struct lwkt_ipiq *ip;

		ip = kmalloc(sizeof(struct lwkt_ipiq) * ncpus, M_IPIQ, M_ZERO);
		if (ip == NULL)
			panic("lwkt_ipiq_init: no memory for %d FIFOs", ncpus);
		__atomic_store_n(&gd->gd_ipiq, ip, __ATOMIC_RELEASE);
	}
}

/*
 * Limit how many entries of each FIFO are used (MAXCPUFIFO when n is 0),
 * so that tests can force FIFO-full conditions.  Tests only.
 */
void
lwkt_ipiq_set_limit(uint32_t n)
{
	ipiq_fifo_limit = (n == 0 || n > MAXCPUFIFO) ? MAXCPUFIFO : n;
}

static uint32_t
ipiq_send(struct globaldata *target, ipifunc_t func, void *arg1,
    uint64_t arg2, bool interrupt)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;
	struct lwkt_ipiq *ip;
	uint32_t w;

	crit_enter_td(td);
	if (target == gd) {
		func(arg1, arg2);
		crit_exit_td(td);
		return (0);
	}
	KASSERT(gd->gd_ipiq != NULL, ("IPI message before lwkt_ipiq_init"));
	ip = &gd->gd_ipiq[target->gd_cpuid];
	w = ip->ip_windex;
	if (w - __atomic_load_n(&ip->ip_rindex, __ATOMIC_ACQUIRE) >=
	    ipiq_fifo_limit) {
		gd->gd_cnt.ipi_fifofull++;
		if (__atomic_exchange_n(&target->gd_npoll, 1,
		    __ATOMIC_SEQ_CST) == 0) {
			md_send_ipiq(target->gd_cpuid);
			gd->gd_cnt.ipi_sent++;
		}
		while (w - __atomic_load_n(&ip->ip_rindex, __ATOMIC_ACQUIRE) >=
		    ipiq_fifo_limit) {
			lwkt_process_ipiq();
			cpu_pause();
		}
	}
	ip->ip_info[w & (MAXCPUFIFO - 1)].func = func;
	ip->ip_info[w & (MAXCPUFIFO - 1)].arg1 = arg1;
	ip->ip_info[w & (MAXCPUFIFO - 1)].arg2 = arg2;
	__atomic_store_n(&ip->ip_windex, w + 1, __ATOMIC_SEQ_CST);
	if (interrupt) {
		if (__atomic_exchange_n(&target->gd_npoll, 1,
		    __ATOMIC_SEQ_CST) == 0) {
			md_send_ipiq(target->gd_cpuid);
			gd->gd_cnt.ipi_sent++;
		} else {
			gd->gd_cnt.ipi_batched++;
		}
	}
	crit_exit_td(td);
	return (w + 1);
}

uint32_t
lwkt_send_ipiq(struct globaldata *target, ipifunc_t func, void *arg1,
    uint64_t arg2)
{
	return (ipiq_send(target, func, arg1, arg2, true));
}

uint32_t
lwkt_send_ipiq_passive(struct globaldata *target, ipifunc_t func,
    void *arg1, uint64_t arg2)
{
	return (ipiq_send(target, func, arg1, arg2, false));
}

void
lwkt_send_ipiq_mask(cpumask_t mask, ipifunc_t func, void *arg1,
    uint64_t arg2)
{
	mask &= __atomic_load_n(&smp_active_mask, __ATOMIC_ACQUIRE);
	while (mask != 0) {
		int cpu = __builtin_ctzll(mask);

		mask &= mask - 1;
		lwkt_send_ipiq(globaldata_find(cpu), func, arg1, arg2);
	}
}

/*
 * Spin until target has started message seq from this CPU (a value
 * returned by a send), draining our own FIFOs meanwhile.  Thread context.
 */
void
lwkt_wait_ipiq(struct globaldata *target, uint32_t seq)
{
	struct globaldata *gd = mycpu;
	struct lwkt_ipiq *ip;

	if (target == gd || seq == 0)
		return;
	crit_enter_td(gd->gd_curthread);
	ip = &gd->gd_ipiq[target->gd_cpuid];
	while ((int32_t)(__atomic_load_n(&ip->ip_rindex, __ATOMIC_ACQUIRE) -
	    seq) < 0) {
		lwkt_process_ipiq();
		cpu_pause();
	}
	crit_exit_td(gd->gd_curthread);
}

/*
 * Run every message queued to this CPU.  Called in a critical section or
 * with interrupts disabled (trap context), on the target CPU only.
 */
void
lwkt_process_ipiq(void)
{
	struct globaldata *gd = mycpu;
	int me = gd->gd_cpuid;
	bool again;

	__atomic_exchange_n(&gd->gd_npoll, 0, __ATOMIC_SEQ_CST);
	do {
		again = false;
		for (int cpu = 0; cpu < ncpus; cpu++) {
			struct globaldata *sgd = globaldata_find(cpu);
			struct lwkt_ipiq *ip;
			uint32_t r;

			if (sgd == gd)
				continue;
			ip = __atomic_load_n(&sgd->gd_ipiq, __ATOMIC_ACQUIRE);
			if (ip == NULL)
				continue;
			ip = &ip[me];
			r = ip->ip_rindex;
			while (r != __atomic_load_n(&ip->ip_windex,
			    __ATOMIC_ACQUIRE)) {
				ipifunc_t func = ip->ip_info[r &
				    (MAXCPUFIFO - 1)].func;
				void *arg1 = ip->ip_info[r &
				    (MAXCPUFIFO - 1)].arg1;
				uint64_t arg2 = ip->ip_info[r &
				    (MAXCPUFIFO - 1)].arg2;

				__atomic_store_n(&ip->ip_rindex, ++r,
				    __ATOMIC_RELEASE);
				gd->gd_cnt.ipi_msgs++;
				func(arg1, arg2);
				/* func may have drained more: reload. */
				r = ip->ip_rindex;
				again = true;
			}
		}
	} while (again);
}

/*
 * The IPI interrupt: drain now, or at crit_exit if the interrupted thread
 * is in a critical section (gd_npoll stays set meanwhile, so senders do
 * not interrupt us again for nothing).  Trap context.
 */
void
lwkt_ipiq_intr(void)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;

	gd->gd_cnt.ipi_received++;
	if (td->td_critcount != 0) {
		__atomic_or_fetch(&gd->gd_reqflags, RQF_IPIQ, __ATOMIC_RELAXED);
		return;
	}
	crit_enter_td(td);
	lwkt_process_ipiq();
	crit_exit_td(td);
}
