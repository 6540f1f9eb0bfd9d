/*
 * Host (Linux, unit test) version of <machine/globaldata.h>.
 *
 * A host "CPU" is a pthread: host_cpu_attach() (tests/host/shim/
 * host_shim.c) points the calling thread's host_mycpu at one of the
 * shim's struct globaldata, so mycpu, mycpuid and curthread (and with
 * them critical sections and per-CPU caches) behave per thread.  Two
 * threads must never be attached to the same CPU at the same time.
 */
#ifndef _MACHINE_GLOBALDATA_H_
#define _MACHINE_GLOBALDATA_H_

#include <sys/types.h>

struct globaldata;

struct md_globaldata {
	int		md_unused;
};

extern __thread struct globaldata *host_mycpu;

static __always_inline inline struct globaldata *
md_mycpu(void)
{
	return (host_mycpu);
}

#endif /* !_MACHINE_GLOBALDATA_H_ */
