/*
 * Functions and data shared between the pc64 platform files only.
 */
#ifndef _MACHINE_MD_VAR_H_
#define _MACHINE_MD_VAR_H_

#include <sys/types.h>

struct globaldata;
struct trapframe;

/* PVH boot information, copied out of hvm_start_info by machdep.c. */
#define MAXMEMSEG	64
struct memseg {
	vm_paddr_t	ms_start;
	vm_paddr_t	ms_end;
};
extern struct memseg	phys_ram[MAXMEMSEG];	/* [I] RAM per the memory map */
extern int		phys_ram_count;
extern vm_paddr_t	phys_max;		/* [I] end of highest RAM */
extern vm_paddr_t	acpi_rsdp_pa;		/* [I] 0 if none */
extern vm_paddr_t	initrd_pa;		/* [I] first PVH module */
extern size_t		initrd_size;
extern char		boot_cmdline[512];	/* [I] */

/* pmap.c */
vm_paddr_t	boot_alloc_pages(size_t npages, vm_paddr_t below);
void		pmap_bootstrap(void);
void		pmap_init_vm_pages(void);
void		pmap_invalidate_all_local(void);
extern uint64_t	kernel_cr3;			/* [I] */
extern uint64_t	pg_nx;				/* [I] NX bit or 0 */

/* machdep.c: GDT, TSS, IDT, per-CPU setup. */
void		gd_setup(struct globaldata *gd, int cpuid);
void		cpu_init_tables(struct globaldata *gd);
void		idt_init(void);
void		idt_load(void);
void		cpu_features_init(void);
extern bool	cpu_has_x2apic;
extern bool	cpu_has_invtsc;

/* user_machdep.c: user mode support. */
void		cpu_user_init(void);		/* each CPU, interrupts off */
void		cpu_user_enter(struct trapframe *tf) __dead2;	/* exception.S */
int		copy_user(void *dst, const void *src, size_t len,
		    uint64_t *onfault);		/* exception.S */
void		user_trap(struct trapframe *tf);
void		user_frame_bad(struct trapframe *tf) __dead2;
/*
 * Last check before any return to user mode: iretq/sysretq to a
 * non-canonical or kernel %rip would fault in ring 0 on the user's %gs.
 * Every way a frame's %rip is set is validated, so this is a backstop:
 * the process dies of SIGSEGV instead.
 */
#define user_frame_check(tf) do {					\
	if (__predict_false((tf)->tf_rip >= 0x00007ffffffff000UL))	\
		user_frame_bad(tf);					\
} while (0)
bool		user_kernel_fault(struct trapframe *tf);
extern uint8_t	smap_enabled;

/* trap.c */
void		trap(struct trapframe *tf);
void		syscall_handler(struct trapframe *tf);
void		trap_dump(struct trapframe *tf);

/* apic.c */
void		lapic_init(void);		/* on each CPU */
void		lapic_timer_start(void);	/* on each CPU, after calibration */
void		lapic_calibrate(void);		/* BSP, once */
void		lapic_eoi(void);
uint32_t	lapic_id(void);
void		lapic_ipi(uint32_t apicid, uint32_t icrlo);
void		lapic_ipi_vector(uint32_t apicid, int vec);
void		lapic_ipi_nmi_others(void);
void		ioapic_init(void);
void		ioapic_route(int gsi, int vec, uint32_t apicid, bool level,
		    bool activelow);
extern int	hz;

/* acpi.c */
#define MAXIOAPIC	8
struct madt_info {
	int		ncpu;
	uint32_t	cpu_apicid[MAXCPU];
	int		nioapic;
	vm_paddr_t	ioapic_pa[MAXIOAPIC];
	uint32_t	ioapic_gsibase[MAXIOAPIC];
	vm_paddr_t	lapic_pa;
	/* ISA IRQ -> GSI with polarity/trigger from interrupt overrides */
	uint32_t	isa_gsi[16];
	bool		isa_activelow[16];
	bool		isa_level[16];
};
extern struct madt_info madt;
int		acpi_madt_parse(void);
int		acpi_madt_parse_from(vm_paddr_t rsdp_pa, bool scan,
		    vm_paddr_t limit, struct madt_info *mi);

/* mp_machdep.c */
void		mp_start_aps(void);
void		ap_entry(struct globaldata *gd) __dead2;

/* swtch.S, vm_machdep.c */
struct thread;
void		cpu_switch_to(struct thread *old, struct thread *new);
void		cpu_thread_setup(struct thread *td);

/* clock.c */
void		tsc_calibrate(void);
void		clock_ap_sync(void);
int64_t		clock_bsp_sync(void);
extern uint64_t	tsc_freq;

/* rtc.c: the CMOS clock, read once at boot into boottime_sec. */
struct clock_ymdhms;
struct rtc_regs {			/* raw register values */
	uint8_t		rr_sec;
	uint8_t		rr_min;
	uint8_t		rr_hour;
	uint8_t		rr_day;
	uint8_t		rr_mon;
	uint8_t		rr_year;
	uint8_t		rr_century;
	uint8_t		rr_statusb;	/* format: binary/BCD, 24/12 h */
};
void		rtc_init(void);			/* BSP, after tsc_calibrate */
int		rtc_decode(const struct rtc_regs *r, struct clock_ymdhms *ct);

#endif /* !_MACHINE_MD_VAR_H_ */
