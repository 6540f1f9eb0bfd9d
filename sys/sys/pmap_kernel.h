/*
 * Kernel temporary mappings and kernel TLB shootdown, machine-independent
 * interface.  The platform's pmap implements it (sys/platform/pc64/pmap.c,
 * <machine/pmap.h>).
 *
 * A small window of kernel virtual addresses is set aside for mappings
 * that come and go: pmap_kva_alloc() hands out page-aligned ranges of it,
 * pmap_kenter()/pmap_kremove() change its page table entries, and
 * pmap_invalidate_kernel_range() makes every CPU forget the old
 * translations (through lwkt_cpusync, sys/kern/lwkt_cpusync.c).
 *
 * Rule: after replacing or removing a valid mapping, call
 * pmap_invalidate_kernel_range() before relying on the change on any
 * CPU, the caller's included.  Entering a mapping where there was none
 * needs no invalidation (a CPU never caches a not-present entry).
 */
#ifndef _SYS_PMAP_KERNEL_H_
#define _SYS_PMAP_KERNEL_H_

#include <sys/types.h>

/*
 * Reserve npages contiguous pages of the window; 0 if there is no room.
 * The pages start unmapped.  Any context but FAST interrupts (takes a
 * spin lock).
 */
vm_offset_t pmap_kva_alloc(size_t npages);
/* Give back a range from pmap_kva_alloc(); its pages must be unmapped. */
void	pmap_kva_free(vm_offset_t va, size_t npages);

/*
 * Map the window page va to the physical page pa (kernel, read-write,
 * global, not executable), or unmap it.  One plain store each; no TLB
 * invalidation (see the rule above).  Any context.
 */
void	pmap_kenter(vm_offset_t va, vm_paddr_t pa);
void	pmap_kremove(vm_offset_t va);
/* Physical address va maps to in the window, or (vm_paddr_t)-1. */
vm_paddr_t pmap_kextract(vm_offset_t va);

/*
 * Invalidate the kernel translations of [va, va + len) on every active
 * CPU and return when all have done so.  Page by page up to a threshold,
 * a full flush (global entries included) beyond it.  Thread context, no
 * spin lock held, not inside a cpusync (it masters one).
 */
void	pmap_invalidate_kernel_range(vm_offset_t va, vm_size_t len);

#endif /* !_SYS_PMAP_KERNEL_H_ */
