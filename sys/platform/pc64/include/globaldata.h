/*
 * Machine-dependent part of the per-CPU data.  struct globaldata (see
 * <sys/globaldata.h>) embeds struct md_globaldata; the CPU reaches its
 * own globaldata through the GS base, whose first word points back at it.
 */
#ifndef _MACHINE_GLOBALDATA_H_
#define _MACHINE_GLOBALDATA_H_

#include <sys/types.h>

struct globaldata;
struct trapcatch;

/* 64-bit TSS (Intel SDM vol. 3, 8.7). */
struct md_tss {
	uint32_t	tss_rsvd0;
	uint64_t	tss_rsp[3];
	uint64_t	tss_rsvd1;
	uint64_t	tss_ist[7];
	uint64_t	tss_rsvd2;
	uint16_t	tss_rsvd3;
	uint16_t	tss_iobase;
} __packed;
CTASSERT(sizeof(struct md_tss) == 104);

#define NGDT		7	/* null, kcode, kdata, ucode32, udata, ucode, tss(2) */

struct pmap;

struct md_globaldata {
	/*
	 * Used by syscall_entry (exception.S) through %gs; their offsets
	 * in struct globaldata are checked in user_machdep.c.
	 */
	uint64_t	md_uscratch;	/* [L] user %rsp while entering */
	uint64_t	md_kstack_top;	/* [L] current user thread's stack top */
	struct pmap	*md_curpmap;	/* [L] user pmap in %cr3, or NULL */
	uint64_t	md_gdt[NGDT + 1] __aligned(16);	/* [I] after init */
	struct md_tss	md_tss __aligned(16);		/* [I] after init */
	vm_offset_t	md_dfstack;	/* [I] double fault / NMI IST stack top */
	vm_offset_t	md_nmistack;	/* [I] */
	int64_t		md_tsc_adj;	/* [I] added to this CPU's TSC */
	struct trapcatch *md_trapcatch;	/* [L] armed trap catcher or NULL */
};

/*
 * volatile: the compiler must not reuse a value read before a call,
 * because the thread may have moved to another CPU (lwkt_migrate) in it.
 */
static __always_inline inline struct globaldata *
md_mycpu(void)
{
	struct globaldata *gd;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(gd));
	return (gd);
}

#endif /* !_MACHINE_GLOBALDATA_H_ */
