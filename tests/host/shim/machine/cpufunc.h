/*
 * Host (Linux, unit test) version of <machine/cpufunc.h>.
 *
 * Only what machine-independent code uses is here.  cpu_pause() is the
 * spin-wait hint of the ticket spin locks; on the host the "CPUs" are
 * pthreads that may outnumber the real cores, so it also yields the core
 * now and then (host_cpu_relax() in tests/host/shim/host_shim.c) rather
 * than spin out a whole time slice behind a preempted lock holder.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

void	host_cpu_relax(void);

static __always_inline inline void
cpu_pause(void)
{
	host_cpu_relax();
}

static __always_inline inline uint64_t
rdtsc(void)
{
	return (__builtin_ia32_rdtsc());
}

#endif /* !_MACHINE_CPUFUNC_H_ */
