/*
 * Kernel virtual memory layout for pc64.
 *
 *   0xffff800000000000  direct map of physical memory (DMAP), 2 MiB pages
 *   0xffffffff80000000  kernel image (KERNBASE), linked at KERNBASE + 1 MiB
 *
 * The low half is left unmapped in the kernel page table: a NULL or small
 * pointer dereference faults.
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#include <sys/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define KERNBASE	0xffffffff80000000UL
#define DMAP_BASE	0xffff800000000000UL
#define DMAP_MAXSIZE	(1UL << 39)	/* one PML4 slot: 512 GiB */

#define PHYS_TO_DMAP(pa)	((vm_offset_t)(pa) + DMAP_BASE)
#define DMAP_TO_PHYS(va)	((vm_paddr_t)((vm_offset_t)(va) - DMAP_BASE))

#define KSTACK_PAGES	4	/* kernel thread stack */

#endif /* !_MACHINE_VMPARAM_H_ */
