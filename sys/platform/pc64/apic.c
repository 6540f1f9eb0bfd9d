/*
 * Local APIC and I/O APIC.
 *
 * The local APIC runs in x2APIC mode (MSR access) when the CPU offers it
 * and in xAPIC mode (MMIO through the uncached part of the direct map)
 * otherwise; lapic_read()/lapic_write() hide the difference.  Every CPU
 * runs a periodic LAPIC timer at hz, calibrated once by the BSP against
 * the TSC; its handler is FAST (trap context) and only counts ticks.
 *
 * IPIs: lapic_ipi() sends with interrupts disabled, because in xAPIC mode
 * the ICR is written in two halves and an interrupt handler sending its
 * own IPI in between would corrupt the first.
 *
 * I/O APIC pins are routed with ioapic_route() to vector 0x30 + GSI,
 * physical destination, one CPU.  The legacy 8259 PICs are masked.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/md.h>
#include <sys/kernel.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/specialreg.h>
#include <machine/intr.h>
#include <machine/md_var.h>

#define LAPIC_ID	0x020
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ESR	0x280
#define LAPIC_ICRLO	0x300
#define LAPIC_ICRHI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0

#define SVR_ENABLE	0x100
#define LVT_MASKED	0x10000
#define LVT_PERIODIC	0x20000
#define LVT_DM_NMI	0x400
#define ICR_PENDING	0x1000

int		hz = 100;
static uint64_t	lapic_timer_freq;	/* [I] timer counts per second */
static volatile uint32_t *lapic_mmio;	/* [I] xAPIC only */

static inline uint32_t
lapic_read(uint32_t reg)
{
	if (cpu_has_x2apic)
		return ((uint32_t)rdmsr(0x800 + (reg >> 4)));
	return (lapic_mmio[reg >> 2]);
}

static inline void
lapic_write(uint32_t reg, uint32_t v)
{
	if (cpu_has_x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		lapic_mmio[reg >> 2] = v;
}

uint32_t
lapic_id(void)
{
	if (cpu_has_x2apic)
		return ((uint32_t)rdmsr(0x802));
	return (lapic_read(LAPIC_ID) >> 24);
}

void
lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void
lapic_error_intr(void *arg)
{
	lapic_write(LAPIC_ESR, 0);
	kprintf("cpu%d: APIC error %#x\n", mycpuid, lapic_read(LAPIC_ESR));
}

static void
lapic_timer_intr(void *arg)
{
	hardclock();
}

/*
 * Enable this CPU's local APIC.  Each CPU, interrupts off.  The BSP's
 * call also registers the shared timer and error vectors.
 */
void
lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APICBASE);

	if (cpu_has_x2apic) {
		wrmsr(MSR_APICBASE, base | APICBASE_EN | APICBASE_EXTD);
	} else {
		wrmsr(MSR_APICBASE, base | APICBASE_EN);
		if (lapic_mmio == NULL)
			lapic_mmio = (volatile uint32_t *)PHYS_TO_DMAP(
			    base & 0xfffff000UL);
	}
	if (mycpuid == 0) {
		intr_establish_vector(IDT_TIMER, lapic_timer_intr, NULL);
		intr_establish_vector(IDT_APIC_ERROR, lapic_error_intr, NULL);
	}
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IDT_TIMER);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_DM_NMI);
	lapic_write(LAPIC_LVT_ERROR, IDT_APIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IDT_SPURIOUS);
	lapic_eoi();
}

/*
 * Measure the timer's rate against the TSC (already calibrated): divide
 * by 16, count down from the top for 10 ms.  BSP, once.
 */
void
lapic_calibrate(void)
{
	uint32_t start = 0xffffffffU, left;

	lapic_write(LAPIC_TIMER_DCR, 0x3);		/* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IDT_TIMER);
	lapic_write(LAPIC_TIMER_ICR, start);
	delay_us(10000);
	left = lapic_read(LAPIC_TIMER_CCR);
	lapic_write(LAPIC_TIMER_ICR, 0);
	lapic_timer_freq = (uint64_t)(start - left) * 100;
	if (lapic_timer_freq < (uint64_t)hz)
		panic("lapic: timer calibration failed (%lu counts/s)",
		    lapic_timer_freq);
}

/* Start this CPU's periodic timer.  Each CPU, after lapic_calibrate(). */
void
lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DCR, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | IDT_TIMER);
	lapic_write(LAPIC_TIMER_ICR, (uint32_t)(lapic_timer_freq / hz));
}

/*
 * Send an IPI with the low ICR word icrlo (vector, delivery mode, ...)
 * to the CPU with local APIC id apicid.  Any context.
 */
void
lapic_ipi(uint32_t apicid, uint32_t icrlo)
{
	uint64_t rf = intr_disable();

	if (cpu_has_x2apic) {
		wrmsr(0x830, ((uint64_t)apicid << 32) | icrlo);
	} else {
		while (lapic_read(LAPIC_ICRLO) & ICR_PENDING)
			cpu_pause();
		lapic_write(LAPIC_ICRHI, apicid << 24);
		lapic_write(LAPIC_ICRLO, icrlo);
		while (lapic_read(LAPIC_ICRLO) & ICR_PENDING)
			cpu_pause();
	}
	intr_restore(rf);
}

void
lapic_ipi_vector(uint32_t apicid, int vec)
{
	lapic_ipi(apicid, (uint32_t)vec | 0x4000);	/* fixed, assert */
}

/* NMI to all CPUs but this one (destination shorthand). */
void
lapic_ipi_nmi_others(void)
{
	lapic_ipi(0, 0x000c0000 | 0x4000 | LVT_DM_NMI);
}

void
md_stop_other_cpus(void)
{
	if (ncpus > 1)
		lapic_ipi_nmi_others();
}

/* --- I/O APIC --- */

#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL	0x10

static struct ioapic {
	volatile uint32_t *regs;	/* [I] */
	uint32_t	gsibase;	/* [I] */
	uint32_t	npins;		/* [I] */
} ioapics[MAXIOAPIC];
static int nioapics;

static uint32_t
ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->regs[0] = reg;
	return (io->regs[4]);
}

static void
ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[0] = reg;
	io->regs[4] = v;
}

/* Mask the 8259s and every I/O APIC pin.  BSP, once, interrupts off. */
void
ioapic_init(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	for (int i = 0; i < madt.nioapic && i < MAXIOAPIC; i++) {
		struct ioapic *io = &ioapics[nioapics++];

		io->regs = (volatile uint32_t *)PHYS_TO_DMAP(madt.ioapic_pa[i]);
		io->gsibase = madt.ioapic_gsibase[i];
		io->npins = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (uint32_t pin = 0; pin < io->npins; pin++) {
			ioapic_write(io, IOAPIC_REDTBL + 2 * pin, LVT_MASKED);
			ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, 0);
		}
	}
}

/* Route a GSI to vec on the CPU with apicid and unmask it.  Boot only. */
void
ioapic_route(int gsi, int vec, uint32_t apicid, bool level, bool activelow)
{
	for (int i = 0; i < nioapics; i++) {
		struct ioapic *io = &ioapics[i];
		uint32_t pin = (uint32_t)gsi - io->gsibase;

		if ((uint32_t)gsi < io->gsibase || pin >= io->npins)
			continue;
		ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, apicid << 24);
		ioapic_write(io, IOAPIC_REDTBL + 2 * pin, (uint32_t)vec |
		    (level ? 0x8000 : 0) | (activelow ? 0x2000 : 0));
		return;
	}
	kprintf("ioapic: no I/O APIC serves GSI %d\n", gsi);
}

void
intr_establish_isa(int irq, intr_handler_t *fn, void *arg)
{
	int gsi;

	KKASSERT(irq >= 0 && irq < 16);
	gsi = (int)madt.isa_gsi[irq];
	if (gsi >= IDT_IOAPIC_MAX) {
		kprintf("ioapic: IRQ %d maps to GSI %d, out of range\n", irq,
		    gsi);
		return;
	}
	intr_establish_vector(IDT_IOAPIC_BASE + gsi, fn, arg);
	ioapic_route(gsi, IDT_IOAPIC_BASE + gsi, globaldata_find(0)->gd_apicid,
	    madt.isa_level[irq], madt.isa_activelow[irq]);
}
