/*
 * Starting the application processors, and smp_call_all().
 *
 * mp_start_aps() starts the CPUs the MADT lists, one at a time: it gives
 * each its globaldata, idle stack and IST stacks, patches the trampoline
 * (mpboot.S) and sends INIT, SIPI, SIPI.  The AP announces itself
 * (ap_started), the two CPUs compare TSCs (clock.c), and the BSP lets the
 * AP finish (ap_go) before starting the next one, so at most one AP is in
 * the trampoline at any time and the trampoline's data words are never
 * shared.  Logical CPU numbers are dense, in MADT order, BSP = 0.
 *
 * smp_call_all() runs a function on every CPU at once in LWKT threads
 * (one created per CPU) and sleeps until they are all done.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/smp.h>
#include <sys/md.h>
#include <sys/kernel.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/specialreg.h>
#include <machine/intr.h>
#include <machine/md_var.h>

#define TRAMP_BASE	0x8000
#define IST_PAGES	2

extern char tramp_start[], tramp_end[];
extern uint32_t tramp_cr3, tramp_efer;
extern uint64_t tramp_gd, tramp_stack, tramp_entry;
extern char boot_pml4[], ap_start64[];

static volatile int ap_started;		/* [a] cpuid of the AP that is up */
static volatile int ap_go;		/* [a] cpuid the BSP released */

static void ipiq_vector(void *arg);

MALLOC_DEFINE(M_SMP, "smp", "per-CPU data of application processors");

/* Write a trampoline data word in the copy at TRAMP_BASE. */
#define TRAMP_SET(sym, val) do {					\
	__typeof__(sym) *__p = (void *)PHYS_TO_DMAP(TRAMP_BASE +	\
	    ((char *)&(sym) - tramp_start));				\
	*__p = (val);							\
} while (0)

static vm_offset_t
stack_alloc(size_t npages)
{
	struct vm_page *m = vm_page_alloc_contig(npages, VM_ALLOC_ZERO);

	if (m == NULL)
		return (0);
	return (PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

/* Start one AP; returns false (with a message) if it did not come up. */
static bool
mp_start_one(int cpu, uint32_t apicid)
{
	struct globaldata *gd;
	vm_offset_t stack, df, nmi;
	uint64_t deadline;
	int64_t offset;

	gd = kmalloc(sizeof(*gd), M_SMP, M_ZERO);
	stack = stack_alloc(KSTACK_PAGES);
	df = stack_alloc(IST_PAGES);
	nmi = stack_alloc(IST_PAGES);
	if (gd == NULL || stack == 0 || df == 0 || nmi == 0) {
		kprintf("smp: out of memory starting cpu%d\n", cpu);
		return (false);
	}
	gd->gd_cpuid = cpu;
	gd->gd_idlestack = stack;
	gd->gd_md.md_dfstack = df + IST_PAGES * PAGE_SIZE;
	gd->gd_md.md_nmistack = nmi + IST_PAGES * PAGE_SIZE;

	TRAMP_SET(tramp_gd, (uint64_t)gd);
	TRAMP_SET(tramp_stack, stack + KSTACK_PAGES * PAGE_SIZE);
	ap_started = -1;
	ap_go = -1;

	lapic_ipi(apicid, 0x4500);			/* INIT, assert */
	delay_us(10000);
	lapic_ipi(apicid, 0x4600 | (TRAMP_BASE >> 12));	/* SIPI */
	delay_us(200);
	if (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) != cpu)
		lapic_ipi(apicid, 0x4600 | (TRAMP_BASE >> 12));
	deadline = nanouptime() + 2000000000UL;
	while (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) != cpu) {
		if (nanouptime() > deadline) {
			kprintf("smp: cpu%d (APIC id %u) did not start\n", cpu,
			    apicid);
			return (false);
		}
		cpu_pause();
	}
	offset = clock_bsp_sync();
	gd->gd_md.md_tsc_adj = -offset;
	if (offset != 0)
		kprintf("smp: cpu%d TSC offset %ld ticks, corrected\n", cpu,
		    offset);
	__atomic_store_n(&ap_go, cpu, __ATOMIC_RELEASE);
	while ((__atomic_load_n(&smp_active_mask, __ATOMIC_ACQUIRE) &
	    CPUMASK(cpu)) == 0)
		cpu_pause();
	return (true);
}

/*
 * Start every CPU the MADT lists.  BSP, once, interrupts enabled, after
 * the clock and the BSP's local APIC are up.
 */
void
mp_start_aps(void)
{
	uint32_t bsp = globaldata_find(0)->gd_apicid;
	size_t len = tramp_end - tramp_start;

	intr_establish_vector(IDT_IPIQ, ipiq_vector, NULL);
	memcpy((void *)PHYS_TO_DMAP(TRAMP_BASE), tramp_start, len);
	TRAMP_SET(tramp_cr3, (uint32_t)(uint64_t)boot_pml4);
	TRAMP_SET(tramp_efer, pg_nx != 0 ? EFER_NXE : 0);
	TRAMP_SET(tramp_entry, (uint64_t)ap_start64);

	for (int i = 0; i < madt.ncpu; i++) {
		if (madt.cpu_apicid[i] == bsp)
			continue;
		if (ncpus == MAXCPU)
			break;
		if (mp_start_one(ncpus, madt.cpu_apicid[i]))
			ncpus++;
	}
}

/* C entry of an AP, from ap_start64 on its own stack, interrupts off. */
void
ap_entry(struct globaldata *gd)
{
	int cpu = gd->gd_cpuid;

	gd_setup(gd, cpu);
	cpu_init_tables(gd);
	idt_load();
	lapic_init();
	gd->gd_apicid = lapic_id();
	__atomic_store_n(&ap_started, cpu, __ATOMIC_RELEASE);
	clock_ap_sync();
	while (__atomic_load_n(&ap_go, __ATOMIC_ACQUIRE) != cpu)
		cpu_pause();
	lapic_timer_start();
	gd->gd_idlethread.td_kstack = gd->gd_idlestack;
	gd->gd_idlethread.td_kstack_size = KSTACK_PAGES * PAGE_SIZE;
	lwkt_init_cpu(gd);
	__atomic_or_fetch(&smp_active_mask, CPUMASK(cpu), __ATOMIC_RELEASE);
	cpu_enable_intr();
	lwkt_idle_loop();
}

struct callall {
	void		(*fn)(void *);
	void		*arg;
	volatile int	remaining;	/* [a] threads still running fn */
};

static void
callall_thread(void *arg)
{
	struct callall *ca = arg;

	ca->fn(ca->arg);
	countdown_done(&ca->remaining);
}

/*
 * One thread per active CPU runs fn; the caller sleeps until all are
 * done.  A CPU for which no thread can be created (memory) runs fn in
 * the caller instead, so fn still runs once per CPU.
 */
void
smp_call_all(void (*fn)(void *), void *arg)
{
	cpumask_t mask = __atomic_load_n(&smp_active_mask, __ATOMIC_ACQUIRE);
	struct callall ca = { fn, arg, __builtin_popcountll(mask) };

	for (int cpu = 0; cpu < ncpus; cpu++) {
		if ((mask & CPUMASK(cpu)) == 0)
			continue;
		if (lwkt_create(callall_thread, &ca, cpu, TDPRI_KERN, 0, 0,
		    "callall") == NULL) {
			kprintf("smp_call_all: no thread for cpu%d, running "
			    "it here\n", cpu);
			callall_thread(&ca);
		}
	}
	countdown_wait(&ca.remaining, "callall");
}

/* md_send_ipiq: the hardware side of an IPI message. */
void
md_send_ipiq(int cpu)
{
	lapic_ipi_vector(globaldata_find(cpu)->gd_apicid, IDT_IPIQ);
}

static void
ipiq_vector(void *arg)
{
	lwkt_ipiq_intr();
}
