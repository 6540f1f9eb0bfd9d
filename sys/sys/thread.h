/*
 * Kernel threads.  (Foundation stage: every CPU runs one boot/idle thread;
 * the LWKT scheduler builds on this structure.)
 *
 * Critical sections: crit_enter()/crit_exit() nest through td_critcount.
 * They are per-thread, cost no locked instruction, and are the only
 * protection per-CPU data needs against code on the same CPU.
 */
#ifndef _SYS_THREAD_H_
#define _SYS_THREAD_H_

#include <sys/types.h>

struct globaldata;

struct thread {
	struct globaldata *td_gd;	/* [I] CPU the thread belongs to */
	int		td_critcount;	/* [L] critical section nesting */
	int		td_flags;	/* [L] TDF_* */
	char		td_name[24];	/* [I] */
};

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
	--td->td_critcount;
}

#define crit_enter()	crit_enter_td(curthread)
#define crit_exit()	crit_exit_td(curthread)

#endif /* !_SYS_THREAD_H_ */
