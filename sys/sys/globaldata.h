/*
 * Per-CPU data.
 *
 * Every CPU owns one struct globaldata, reached through mycpu (the GS base
 * on pc64).  Fields are written only by their own CPU unless their comment
 * says otherwise; other CPUs read them only where noted.  Protection:
 *   [I]	immutable once the CPU is up
 *   [L]	owning CPU only, in a critical section where interrupts
 *		on that CPU also touch it
 *   [a]	atomic, any CPU
 */
#ifndef _SYS_GLOBALDATA_H_
#define _SYS_GLOBALDATA_H_

#include <sys/types.h>
#include <sys/thread.h>
#include <machine/globaldata.h>

struct lwkt_ipiq;

#define SLPQ_HASH	64	/* sleep queue buckets (power of 2) */

struct globaldata {
	struct globaldata *gd_self;	/* [I] must be first: %gs:0 */
	struct thread	*gd_curthread;	/* [L] running thread (offset 8) */
	int		gd_cpuid;	/* [I] logical CPU number, 0 = BSP */
	uint32_t	gd_apicid;	/* [I] local APIC id */
	volatile uint32_t gd_reqflags;	/* [a] deferred work, RQF_* */
	volatile uint32_t gd_npoll;	/* [a] 1 while an IPI is pending */
	volatile uint64_t gd_ticks;	/* [L] timer ticks; others read */
	int		gd_intr_nesting; /* [L] trap/IPI handler depth */
	uint32_t	gd_runqmask;	/* [L] bit p: gd_runq[p] non-empty */
	struct thread	*gd_runq[NQS];	/* [L] run queues (circular lists) */
	struct thread	gd_idlethread;	/* [L] this CPU's idle thread */
	struct thread	*gd_deadtd;	/* [L] exited thread awaiting reaping */
	struct thread	*gd_migrating;	/* [L] thread leaving this CPU */
	struct lwkt_ipiq *gd_ipiq;	/* [I] outgoing FIFOs, by target CPU */
	struct thread	*gd_slpq[SLPQ_HASH];	/* [L] sleepers by channel */
	struct systimer	*gd_systimers;	/* [L] armed timers, by deadline */
	struct lwkt_stats gd_cnt;	/* [L] counters; others may read */
	vm_offset_t	gd_idlestack;	/* [I] base of the idle thread's stack */
	struct md_globaldata gd_md;	/* machine-dependent part */
	uint64_t	gd_uslice;	/* [L] tick of the last user time slice */
};
CTASSERT(offsetof(struct globaldata, gd_curthread) == 8);

#define mycpu		(md_mycpu())
#define mycpuid		(mycpu->gd_cpuid)
#define curthread	(mycpu->gd_curthread)

extern int		ncpus;			/* [I] CPUs started */
extern cpumask_t	smp_active_mask;	/* [a] CPUs up and running */

struct globaldata *globaldata_find(int cpu);

/*
 * Critical sections (thread.h rule 1).  The exit path calls out only when
 * the count reaches zero with deferred work pending.
 */
static __always_inline inline void
crit_enter_td(struct thread *td)
{
	++td->td_critcount;
	cpu_ccfence();
}

static __always_inline inline void
crit_exit_td(struct thread *td)
{
	cpu_ccfence();
	if (--td->td_critcount == 0 &&
	    __predict_false(td->td_gd->gd_reqflags != 0))
		lwkt_crit_exit_slow(td);
}

#define crit_enter()	crit_enter_td(curthread)
#define crit_exit()	crit_exit_td(curthread)

#endif /* !_SYS_GLOBALDATA_H_ */
