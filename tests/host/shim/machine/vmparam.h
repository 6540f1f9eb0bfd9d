/*
 * Host (Linux, unit test) version of <machine/vmparam.h>.
 *
 * The kernel's machine-independent VM code is compiled for the host by
 * tests/host/host.mk with this directory ahead of sys/ on the include
 * path.  Page geometry is the real one.  The "direct map" is a block of
 * host memory the test allocates: physical address pa lives at
 * host_ram_base + pa, where the test sets host_ram_base to its buffer
 * minus the first physical address it backs.  Only the physical range
 * the test gave to vm_phys_init() is backed.
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#include <sys/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define KSTACK_PAGES	4

/* Set by the test before vm_phys_init(); see tests/host/shim/host_api.h. */
extern vm_offset_t	host_ram_base;

#define PHYS_TO_DMAP(pa)	((vm_offset_t)(pa) + host_ram_base)
#define DMAP_TO_PHYS(va)	((vm_paddr_t)((vm_offset_t)(va) - host_ram_base))

#endif /* !_MACHINE_VMPARAM_H_ */
