/*
 * pc64 pmap: the kernel page tables (built by pmap_bootstrap) and the
 * temporary-mapping window.  The machine-independent part of the
 * interface is <sys/pmap_kernel.h>; this header adds the layout.
 *
 * The window is the last 2 MiB of the kernel's 1 GiB region, above the
 * kernel image: PML4 slot 511, PDPT slot 510, PD slot 511, one page
 * table of 512 4 KiB entries that lives in the kernel's .bss.
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/types.h>
#include <sys/pmap_kernel.h>
#include <machine/vmparam.h>

#define KVA_WINDOW_BASE		0xffffffffbfe00000UL
#define KVA_WINDOW_PAGES	512
#define KVA_WINDOW_SIZE		(KVA_WINDOW_PAGES * PAGE_SIZE)
#define KVA_WINDOW_END		(KVA_WINDOW_BASE + KVA_WINDOW_SIZE)

/*
 * pmap_invalidate_kernel_range() uses invlpg for ranges of up to this
 * many pages and flushes the whole TLB for larger ones.
 */
#define PMAP_INVLPG_MAX		32

#endif /* !_MACHINE_PMAP_H_ */
