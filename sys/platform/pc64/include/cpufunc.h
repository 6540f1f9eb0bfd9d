/*
 * Inline wrappers for x86_64 instructions the kernel needs.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

static __always_inline inline void
cpu_pause(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static __always_inline inline void
cpu_halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/* sti;hlt: the one-instruction interrupt shadow makes the pair atomic. */
static __always_inline inline void
cpu_sti_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static __always_inline inline void
cpu_disable_intr(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static __always_inline inline void
cpu_enable_intr(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static __always_inline inline uint64_t
read_rflags(void)
{
	uint64_t rf;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(rf) :: "memory");
	return (rf);
}

static __always_inline inline void
write_rflags(uint64_t rf)
{
	__asm__ __volatile__("pushq %0; popfq" :: "r"(rf) : "memory", "cc");
}

#define PSL_I	0x200	/* interrupt enable flag */

/* Save the interrupt state and disable; restore with intr_restore(). */
static __always_inline inline uint64_t
intr_disable(void)
{
	uint64_t rf = read_rflags();

	cpu_disable_intr();
	return (rf);
}

static __always_inline inline void
intr_restore(uint64_t rf)
{
	if (rf & PSL_I)
		cpu_enable_intr();
}

static __always_inline inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static __always_inline inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

static __always_inline inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port));
}

static __always_inline inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (((uint64_t)hi << 32) | lo);
}

/* rdtsc that is not executed before earlier loads complete. */
static __always_inline inline uint64_t
rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return (rdtsc());
}

static __always_inline inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (((uint64_t)hi << 32) | lo);
}

static __always_inline inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)v),
	    "d"((uint32_t)(v >> 32)) : "memory");
}

static __always_inline inline void
cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *r)
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
	    "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static __always_inline inline uint64_t
rcr0(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%cr0, %0" : "=r"(v));
	return (v);
}

static __always_inline inline uint64_t
rcr2(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%cr2, %0" : "=r"(v));
	return (v);
}

static __always_inline inline uint64_t
rcr3(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%cr3, %0" : "=r"(v));
	return (v);
}

static __always_inline inline void
load_cr3(uint64_t v)
{
	__asm__ __volatile__("movq %0, %%cr3" :: "r"(v) : "memory");
}

static __always_inline inline uint64_t
rcr4(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%cr4, %0" : "=r"(v));
	return (v);
}

static __always_inline inline void
load_cr4(uint64_t v)
{
	__asm__ __volatile__("movq %0, %%cr4" :: "r"(v) : "memory");
}

static __always_inline inline void
invlpg(vm_offset_t va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

static __always_inline inline uint64_t
read_rbp(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%rbp, %0" : "=r"(v));
	return (v);
}

#endif /* !_MACHINE_CPUFUNC_H_ */
