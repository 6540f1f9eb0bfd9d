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
