/*
 * pc64 start of day and per-CPU descriptor tables.
 *
 * kmain() is entered from locore.S on the boot stack, in long mode, with
 * the static boot page tables (first 1 GiB mapped at 0, DMAP_BASE and
 * KERNBASE) and interrupts off.  It brings the machine up in this order,
 * each step depending only on the ones before it:
 *
 *   1. per-CPU data of the BSP (GS base) and the console (polled COM1);
 *   2. the PVH start info: command line, memory map, modules, RSDP;
 *   3. CPU features, GDT/TSS and IDT;
 *   4. the kernel page tables (pmap_bootstrap) and the page allocator;
 *   5. kmalloc; ACPI MADT; local APIC, I/O APIC, clock calibration,
 *      the wall clock from the RTC;
 *   6. the application processors;
 *   7. the in-kernel tests (ktest=GLOB) or the console monitor.
 *
 * Every CPU owns a GDT and a TSS inside its globaldata (struct
 * md_globaldata): no descriptor table is shared, so loading the TSS
 * (which marks its descriptor busy) never races another CPU.  The IDT is
 * shared and immutable after idt_init().
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <sys/md.h>
#include <sys/malloc.h>
#include <sys/kernel.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/md_var.h>
#include <machine/pvh.h>
#include <machine/specialreg.h>

static struct globaldata gd0;
static struct globaldata *cpu_gd[MAXCPU];	/* [I] after the CPU starts */
int		ncpus = 1;
cpumask_t	smp_active_mask;

struct memseg	phys_ram[MAXMEMSEG];
int		phys_ram_count;
vm_paddr_t	phys_max;
vm_paddr_t	acpi_rsdp_pa;
vm_paddr_t	initrd_pa;
size_t		initrd_size;
char		boot_cmdline[512];

bool		cpu_has_x2apic;
bool		cpu_has_invtsc;
static bool	cpu_has_nx;
static bool	cpu_has_pge;

extern char boot_stack[], boot_stack_top[];
extern char idt_stubs[];

struct globaldata *
globaldata_find(int cpu)
{
	KKASSERT(cpu >= 0 && cpu < MAXCPU);
	return (cpu_gd[cpu]);
}

/*
 * Make gd the running CPU's per-CPU data: GS base and its boot thread.
 * Called once per CPU, interrupts off, before anything uses mycpu.
 */
void
gd_setup(struct globaldata *gd, int cpuid)
{
	gd->gd_self = gd;
	gd->gd_cpuid = cpuid;
	gd->gd_idlethread.td_gd = gd;
	ksnprintf(gd->gd_idlethread.td_name,
	    sizeof(gd->gd_idlethread.td_name), "idle%d", cpuid);
	gd->gd_curthread = &gd->gd_idlethread;
	wrmsr(MSR_GSBASE, (uint64_t)gd);
	wrmsr(MSR_KGSBASE, 0);
	cpu_gd[cpuid] = gd;
}

void
md_intr_disable(void)
{
	cpu_disable_intr();
}

void
md_intr_enable(void)
{
	cpu_enable_intr();
}

void
md_idle_wait(void)
{
	cpu_sti_halt();
}

void
md_halt(void)
{
	for (;;) {
		cpu_disable_intr();
		cpu_halt();
	}
}

void
md_exit(int code)
{
	outb(0xf4, (uint8_t)code);
	/* No isa-debug-exit device: nothing else to do but stop. */
	md_halt();
}

/*
 * Copy what we need out of the PVH start info.  Everything it points to
 * must lie in the first 1 GiB, the only memory the boot page tables map;
 * a loader that puts it elsewhere gets a clear panic rather than a fault.
 */
static void
pvh_parse(vm_paddr_t sipa)
{
	const struct hvm_start_info *si;
	const struct hvm_memmap_entry *mm;
	const vm_paddr_t bootmap = 1UL << 30;

	if (sipa == 0 || sipa + sizeof(*si) > bootmap)
		panic("pvh: start info at %#lx is outside the boot map", sipa);
	si = (const void *)PHYS_TO_DMAP(sipa);
	if (si->magic != HVM_START_MAGIC)
		panic("pvh: bad start info magic %#x", si->magic);
	if (si->cmdline_paddr != 0) {
		if (si->cmdline_paddr + sizeof(boot_cmdline) > bootmap)
			panic("pvh: command line outside the boot map");
		strlcpy(boot_cmdline,
		    (const char *)PHYS_TO_DMAP(si->cmdline_paddr),
		    sizeof(boot_cmdline));
	}
	acpi_rsdp_pa = si->rsdp_paddr;
	if (si->nr_modules > 0 && si->modlist_paddr != 0 &&
	    si->modlist_paddr + sizeof(struct hvm_modlist_entry) <= bootmap) {
		const struct hvm_modlist_entry *mod =
		    (const void *)PHYS_TO_DMAP(si->modlist_paddr);

		initrd_pa = mod->paddr;
		initrd_size = mod->size;
	}
	if (si->version < 1 || si->memmap_paddr == 0 ||
	    si->memmap_entries == 0)
		panic("pvh: no memory map (start info version %u)",
		    si->version);
	if (si->memmap_paddr + si->memmap_entries * sizeof(*mm) > bootmap)
		panic("pvh: memory map outside the boot map");
	mm = (const void *)PHYS_TO_DMAP(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		vm_paddr_t s = roundup2(mm[i].addr, PAGE_SIZE);
		vm_paddr_t e = rounddown2(mm[i].addr + mm[i].size, PAGE_SIZE);

		if (mm[i].type != HVM_MEMMAP_RAM || e <= s)
			continue;
		if (e > DMAP_MAXSIZE)
			e = DMAP_MAXSIZE;	/* beyond what we map */
		if (phys_ram_count == MAXMEMSEG) {
			kprintf("pvh: too many RAM ranges, ignoring %#lx-%#lx\n",
			    s, e);
			continue;
		}
		phys_ram[phys_ram_count].ms_start = s;
		phys_ram[phys_ram_count].ms_end = e;
		phys_ram_count++;
		if (e > phys_max)
			phys_max = e;
	}
	if (phys_ram_count == 0)
		panic("pvh: memory map has no RAM");
}

/*
 * Read the CPU features the kernel depends on.  BSP, once.
 */
void
cpu_features_init(void)
{
	uint32_t r[4];

	cpuid_count(1, 0, r);
	cpu_has_x2apic = (r[2] & CPUID2_X2APIC) != 0;
	cpu_has_pge = (r[3] & CPUID_PGE) != 0;
	cpuid_count(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid_count(0x80000001, 0, r);
		cpu_has_nx = (r[3] & AMDID_NX) != 0;
	}
	cpuid_count(0x80000000, 0, r);
	if (r[0] >= 0x80000007) {
		cpuid_count(0x80000007, 0, r);
		cpu_has_invtsc = (r[3] & AMDPM_INVTSC) != 0;
	}
	pg_nx = cpu_has_nx ? PG_NX : 0;
}

/* Control registers every CPU runs with.  Called on each CPU. */
static void
cpu_setup_regs(void)
{
	if (cpu_has_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	__asm__ __volatile__("movq %0, %%cr0" :: "r"(rcr0() | CR0_WP));
	if (cpu_has_pge)
		load_cr4(rcr4() | CR4_PGE);
	cpu_user_init();
}

static void
gdt_set_tss(uint64_t *gdt, int slot, struct md_tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[slot + 1] = base >> 32;
}

/*
 * Build and load this CPU's GDT and TSS.  The TSS carries the IST stacks
 * for double faults and NMIs so that those run on a known-good stack even
 * after a kernel stack overflow.  Called on each CPU, interrupts off.
 */
void
cpu_init_tables(struct globaldata *gd)
{
	struct md_globaldata *md = &gd->gd_md;
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdtr;

	md->md_gdt[0] = 0;
	md->md_gdt[GSEL_KCODE >> 3] = 0x00af9a000000ffffUL;	/* 64-bit */
	md->md_gdt[GSEL_KDATA >> 3] = 0x00cf92000000ffffUL;
	md->md_gdt[GSEL_UCODE32 >> 3] = 0x00cffa000000ffffUL;
	md->md_gdt[GSEL_UDATA >> 3] = 0x00cff2000000ffffUL;
	md->md_gdt[GSEL_UCODE >> 3] = 0x00affa000000ffffUL;
	md->md_tss.tss_ist[0] = md->md_dfstack;		/* IST1 */
	md->md_tss.tss_ist[1] = md->md_nmistack;	/* IST2 */
	md->md_tss.tss_iobase = sizeof(struct md_tss);	/* no I/O bitmap */
	gdt_set_tss(md->md_gdt, GSEL_TSS >> 3, &md->md_tss);

	gdtr.limit = sizeof(md->md_gdt) - 1;
	gdtr.base = (uint64_t)md->md_gdt;
	__asm__ __volatile__(
	    "lgdt %0\n\t"
	    "pushq %1\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movl %2, %%eax\n\t"
	    "movl %%eax, %%ds\n\t"
	    "movl %%eax, %%es\n\t"
	    "movl %%eax, %%ss\n\t"
	    "ltr %w3"
	    :: "m"(gdtr), "i"((uint64_t)GSEL_KCODE), "i"(GSEL_KDATA),
	    "r"(GSEL_TSS) : "rax", "memory");
	cpu_setup_regs();
}

static uint64_t idt[256 * 2] __aligned(16);

/* Fill the shared IDT: every vector points at its alltraps stub. */
void
idt_init(void)
{
	for (int vec = 0; vec < 256; vec++) {
		uint64_t off = (uint64_t)idt_stubs + 16 * vec;
		uint64_t ist = vec == 8 ? 1 : vec == 2 ? 2 : 0;
		/* int3 may be raised from user mode (SIGTRAP). */
		uint64_t type = vec == 3 ? 0xeeUL : 0x8eUL;

		idt[vec * 2] = (off & 0xffff) | ((uint64_t)GSEL_KCODE << 16) |
		    (ist << 32) | (type << 40) |
		    (((off >> 16) & 0xffff) << 48);
		idt[vec * 2 + 1] = off >> 32;
	}
}

void
idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" :: "m"(idtr));
}

/*
 * The initrd as the rest of the kernel sees it (sys/sys/md.h).  The PVH
 * module list is loader input: the module is only handed out if it lies
 * inside one RAM range of the memory map (so inside the direct map and
 * excluded from the page allocator by pmap_bootstrap()).
 */
bool
md_initrd(const void **bufp, size_t *lenp)
{
	if (initrd_size == 0)
		return (false);
	for (int i = 0; i < phys_ram_count; i++) {
		if (initrd_pa >= phys_ram[i].ms_start &&
		    initrd_pa < phys_ram[i].ms_end &&
		    initrd_size <= phys_ram[i].ms_end - initrd_pa) {
			*bufp = (const void *)PHYS_TO_DMAP(initrd_pa);
			*lenp = initrd_size;
			return (true);
		}
	}
	kprintf("initrd: module at %#lx (%lu bytes) is not in RAM, ignored\n",
	    initrd_pa, initrd_size);
	return (false);
}

/*
 * Allocate the IST stacks of a CPU.  Pages come from the page allocator
 * (or, for the BSP before it exists, from static storage).
 */
static char bsp_dfstack[PAGE_SIZE * 2] __aligned(PAGE_SIZE);
static char bsp_nmistack[PAGE_SIZE * 2] __aligned(PAGE_SIZE);

void
kmain(vm_paddr_t start_info_pa)
{
	cpu_disable_intr();
	gd_setup(&gd0, 0);
	gd0.gd_idlestack = (vm_offset_t)boot_stack;
	gd0.gd_md.md_dfstack = (vm_offset_t)bsp_dfstack + sizeof(bsp_dfstack);
	gd0.gd_md.md_nmistack = (vm_offset_t)bsp_nmistack +
	    sizeof(bsp_nmistack);
	cons_init();
	kprintf("\nDragonFly-style kernel for x86_64, PVH boot\n");

	pvh_parse(start_info_pa);
	kern_args_init(boot_cmdline);
	cpu_features_init();
	cpu_init_tables(&gd0);
	idt_init();
	idt_load();

	pmap_bootstrap();
	pmap_init_vm_pages();
	kmalloc_init();
	lwkt_init();

	if (acpi_madt_parse() != 0)
		kprintf("acpi: no usable MADT, running on the boot CPU only\n");
	lapic_init();
	gd0.gd_apicid = lapic_id();
	ioapic_init();
	tsc_calibrate();
	rtc_init();
	lapic_calibrate();
	lapic_timer_start();
	__atomic_or_fetch(&smp_active_mask, CPUMASK(0), __ATOMIC_RELEASE);
	cpu_enable_intr();
	cons_intr_init();

	mp_start_aps();
	lwkt_ipiq_init();

	kprintf("cpus: %d started (%s), memory: %lu MiB usable of %lu MiB "
	    "mapped\n", ncpus, cpu_has_x2apic ? "x2APIC" : "xAPIC",
	    vm_phys_total_count() * PAGE_SIZE >> 20, phys_max >> 20);
	kprintf("tsc: %lu kHz%s, timer: %d Hz on every CPU\n",
	    tsc_freq / 1000, cpu_has_invtsc ? " invariant" : "", hz);
	if (boot_cmdline[0] != '\0')
		kprintf("cmdline: %s\n", boot_cmdline);

	kernel_main();
}
