/*
 * Kernel-environment shim for the host unit tests.
 *
 * Compiled like the kernel's own sources (-nostdinc, our headers, -DKHOST)
 * and linked into each test program, it supplies what the platform would:
 * the per-CPU globaldata (one per host thread acting as a CPU), ncpus,
 * the "direct map" base, and a few accessors that let the test programs
 * (which cannot include kernel headers) look inside kernel structures.
 * panic(), kprintf() and the string functions come from the test side
 * (host_support.c and libc).
 *
 * Rules: a thread calls host_cpu_attach() before touching the kernel
 * code; at most one thread is attached to a given CPU at a time.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <vm/vm_page.h>
#include "host_api.h"

CTASSERT(HOST_PAGE_SIZE == PAGE_SIZE);
CTASSERT(HOST_MAXCPU == MAXCPU);
CTASSERT(HOST_VM_NFREEORDER == VM_NFREEORDER);
CTASSERT(HOST_VM_ALLOC_ZERO == VM_ALLOC_ZERO);
CTASSERT(HOST_M_ZERO == M_ZERO && HOST_M_NOWAIT == M_NOWAIT);

/* Declared by hand: libc's headers are not on this include path. */
int	sched_yield(void);

vm_offset_t		host_ram_base;		/* set by the test */
__thread struct globaldata *host_mycpu;		/* this thread's CPU */
int			ncpus = 1;
cpumask_t		smp_active_mask = 1;

static struct globaldata host_gd[MAXCPU];
static __thread u_int	host_spins;

MALLOC_DEFINE(M_HOST0, "host0", "host test type 0");
MALLOC_DEFINE(M_HOST1, "host1", "host test type 1");
MALLOC_DEFINE(M_HOST2, "host2", "host test type 2");
MALLOC_DEFINE(M_HOST3, "host3", "host test type 3");

void
host_cpu_attach(int cpu)
{
	struct globaldata *gd;

	KASSERT(cpu >= 0 && cpu < MAXCPU, ("host_cpu_attach: cpu %d", cpu));
	gd = &host_gd[cpu];
	KASSERT(gd->gd_idlethread.td_critcount == 0,
	    ("host_cpu_attach: cpu %d is inside a critical section", cpu));
	gd->gd_self = gd;
	gd->gd_cpuid = cpu;
	gd->gd_curthread = &gd->gd_idlethread;
	gd->gd_idlethread.td_gd = gd;
	host_mycpu = gd;
}

/*
 * crit_exit() to depth zero runs the work that interrupts deferred while
 * the section was held (LWKT).  A host "CPU" takes no interrupts and has
 * no scheduler, so there is never any.
 */
void
lwkt_crit_exit_slow(struct thread *td)
{
}

void
host_set_ncpus(int n)
{
	KASSERT(n > 0 && n <= MAXCPU, ("host_set_ncpus: %d", n));
	ncpus = n;
	smp_active_mask = n == 64 ? ~(cpumask_t)0 : CPUMASK(n) - 1;
}

struct globaldata *
globaldata_find(int cpu)
{
	return (&host_gd[cpu]);
}

int
host_crit_count(void)
{
	return (curthread->td_critcount);
}

/* Spin-wait hint: pause, and give the core away every 64 spins. */
void
host_cpu_relax(void)
{
	__builtin_ia32_pause();
	if ((++host_spins & 63) == 0)
		sched_yield();
}

size_t
host_vm_page_sizeof(void)
{
	return (sizeof(struct vm_page));
}

struct vm_page *
host_vm_page_at(struct vm_page *array, size_t i)
{
	return (&array[i]);
}

uint64_t
host_vm_page_phys(const struct vm_page *m)
{
	return (m->pg_phys);
}

struct malloc_type *
host_mtype(int i)
{
	switch (i) {
	case 0:
		return (M_HOST0);
	case 1:
		return (M_HOST1);
	case 2:
		return (M_HOST2);
	case 3:
		return (M_HOST3);
	default:
		return (M_TEMP);
	}
}
