/*
 * Per-CPU data.
 *
 * Every CPU owns one struct globaldata, reached through mycpu (the GS base
 * on pc64).  Fields are written only by their own CPU unless their comment
 * says otherwise; other CPUs read them only where noted.  Protection:
 *   [I]	immutable once the CPU is up
 *   [L]	written only by the owning CPU
 *   [a]	atomic, any CPU
 */
#ifndef _SYS_GLOBALDATA_H_
#define _SYS_GLOBALDATA_H_

#include <sys/types.h>
#include <sys/thread.h>
#include <machine/globaldata.h>

struct globaldata {
	struct globaldata *gd_self;	/* [I] must be first: %gs:0 */
	struct thread	*gd_curthread;	/* [L] running thread */
	int		gd_cpuid;	/* [I] logical CPU number, 0 = BSP */
	uint32_t	gd_apicid;	/* [I] local APIC id */
	volatile uint64_t gd_ticks;	/* [L] timer interrupts taken; others read */
	volatile uint32_t gd_reqflags;	/* [a] pending requests (RQF_*) */
	struct thread	gd_idlethread;	/* [L] boot/idle thread of this CPU */
	vm_offset_t	gd_idlestack;	/* [I] base of the idle thread's stack */
	struct md_globaldata gd_md;	/* machine-dependent part */
};

#define mycpu		(md_mycpu())
#define mycpuid		(mycpu->gd_cpuid)
#define curthread	(mycpu->gd_curthread)

extern int		ncpus;			/* [I] CPUs started */
extern cpumask_t	smp_active_mask;	/* [a] CPUs up and running */

struct globaldata *globaldata_find(int cpu);

#endif /* !_SYS_GLOBALDATA_H_ */
