/*
 * x86_64 architectural constants: MSRs, control register bits, CPUID
 * feature bits, page table entry bits, segment selectors.
 * Source: Intel SDM vol. 3 and AMD APM vol. 2.
 */
#ifndef _MACHINE_SPECIALREG_H_
#define _MACHINE_SPECIALREG_H_

#define MSR_APICBASE	0x01b
#define APICBASE_EXTD	0x400		/* x2APIC mode */
#define APICBASE_EN	0x800
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define EFER_NXE	0x800
#define EFER_SCE	0x001
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_TS		0x00000008
#define CR0_NE		0x00000020
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400
#define CR4_SMEP	0x00100000
#define CR4_SMAP	0x00200000
#define CPUID7_SMEP	0x00000080	/* leaf 7, ebx */
#define CPUID7_SMAP	0x00100000	/* leaf 7, ebx */
#define PSL_C		0x00000001
#define PSL_PF		0x00000004
#define PSL_AF		0x00000010
#define PSL_Z		0x00000040
#define PSL_N		0x00000080
#define PSL_T		0x00000100
#define PSL_D		0x00000400
#define PSL_V		0x00000800
#define PSL_NT		0x00004000
#define PSL_AC		0x00040000
/* Flags user code may set through sigreturn. */
#define PSL_USERCHANGE	(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N | PSL_T | \
			 PSL_D | PSL_V | PSL_AC)
#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KGSBASE	0xc0000102

#define CR0_PE		0x00000001
#define CR0_WP		0x00010000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define CR4_PGE		0x00000080

#define CPUID_PGE	0x00002000	/* leaf 1, edx */
#define CPUID2_X2APIC	0x00200000	/* leaf 1, ecx */
#define CPUID2_TSCDLT	0x01000000	/* leaf 1, ecx: TSC deadline */
#define AMDID_NX	0x00100000	/* leaf 0x80000001, edx */
#define AMDID_PAGE1GB	0x04000000	/* leaf 0x80000001, edx */
#define AMDPM_INVTSC	0x00000100	/* leaf 0x80000007, edx */

#define PG_V		0x001
#define PG_RW		0x002
#define PG_U		0x004
#define PG_PWT		0x008
#define PG_PCD		0x010
#define PG_A		0x020
#define PG_M		0x040
#define PG_PS		0x080
#define PG_G		0x100
#define PG_NX		(1UL << 63)
#define PG_FRAME	0x000ffffffffff000UL

#define GSEL_KCODE	0x08
#define GSEL_KDATA	0x10
#define GSEL_UCODE32	0x18
#define GSEL_UDATA	0x20
#define GSEL_UCODE	0x28
#define GSEL_TSS	0x30

#endif /* !_MACHINE_SPECIALREG_H_ */
