/*
 * Kernel page tables (foundation stage).
 *
 * pmap_bootstrap() replaces the static boot page tables with the kernel's
 * own:
 *   - PML4 slot 256: the direct map (DMAP) of [0, max(RAM end, 4 GiB))
 *     in 2 MiB pages, global, never executable; the 3-4 GiB window,
 *     where the local and I/O APICs live, is mapped uncached;
 *   - PML4 slot 511: the kernel image in 4 KiB pages with per-section
 *     permissions (text read-only and executable, rodata read-only, data
 *     and bss read-write, neither executable);
 *   - nothing in the low half, so NULL dereferences fault.
 * Page-table pages and the vm_page array are carved out of the memory
 * map by boot_alloc_pages() before the page allocator exists.  Ranges
 * that are never handed to the allocator: the first 1 MiB (BIOS data,
 * the AP trampoline at 0x8000), the kernel image, the initrd.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/specialreg.h>
#include <machine/md_var.h>

uint64_t	kernel_cr3;
uint64_t	pg_nx;

static struct memseg avail[MAXMEMSEG * 2];	/* [I] boot only */
static int	navail;
static bool	boot_alloc_done;

extern char __kernel_text[], __kernel_etext[];
extern char __kernel_rodata[], __kernel_erodata[];
extern char __kernel_data[], __kernel_end[];

#define KVA_TO_PHYS(va)	((vm_paddr_t)(va) - KERNBASE)

/* Remove [s, e) from the available ranges (splitting one if needed). */
static void
avail_exclude(vm_paddr_t s, vm_paddr_t e)
{
	s = rounddown2(s, PAGE_SIZE);
	e = roundup2(e, PAGE_SIZE);
	for (int i = 0; i < navail; i++) {
		struct memseg *m = &avail[i];

		if (e <= m->ms_start || s >= m->ms_end)
			continue;
		if (s > m->ms_start && e < m->ms_end) {
			KKASSERT(navail < (int)nitems(avail));
			avail[navail].ms_start = e;
			avail[navail].ms_end = m->ms_end;
			navail++;
			m->ms_end = s;
		} else if (s > m->ms_start) {
			m->ms_end = s;
		} else if (e < m->ms_end) {
			m->ms_start = e;
		} else {
			m->ms_start = m->ms_end = 0;
		}
	}
}

/*
 * Take npages zeroed, contiguous pages that end at or below `below'.
 * Boot only (before vm_phys exists); panics when memory is too small to
 * boot at all, which is the one case where there is nobody to return an
 * error to.
 */
vm_paddr_t
boot_alloc_pages(size_t npages, vm_paddr_t below)
{
	size_t len = npages * PAGE_SIZE;

	KKASSERT(!boot_alloc_done);
	for (int i = 0; i < navail; i++) {
		struct memseg *m = &avail[i];

		if (m->ms_end - m->ms_start >= len &&
		    m->ms_start + len <= below) {
			vm_paddr_t pa = m->ms_start;

			m->ms_start += len;
			memset((void *)PHYS_TO_DMAP(pa), 0, len);
			return (pa);
		}
	}
	panic("boot_alloc_pages: no room for %zu pages below %#lx", npages,
	    below);
}

static uint64_t *
pt_page(uint64_t *entry)
{
	if ((*entry & PG_V) == 0)
		*entry = boot_alloc_pages(1, 1UL << 30) | PG_V | PG_RW;
	return ((uint64_t *)PHYS_TO_DMAP(*entry & PG_FRAME));
}

static void
map_kernel_page(uint64_t *pml4, vm_offset_t va, uint64_t bits)
{
	uint64_t *pdpt = pt_page(&pml4[(va >> 39) & 511]);
	uint64_t *pd = pt_page(&pdpt[(va >> 30) & 511]);
	uint64_t *pt = pt_page(&pd[(va >> 21) & 511]);

	pt[(va >> 12) & 511] = KVA_TO_PHYS(va) | bits | PG_V | PG_G;
}

/*
 * Build the kernel page tables and switch to them.  BSP, once, interrupts
 * off, after pvh_parse() and cpu_features_init().
 */
void
pmap_bootstrap(void)
{
	vm_paddr_t dmap_end, pml4pa;
	uint64_t *pml4, *pdpt;

	for (int i = 0; i < phys_ram_count; i++)
		avail[navail++] = phys_ram[i];
	avail_exclude(0, 0x100000);
	avail_exclude(0x100000, KVA_TO_PHYS(__kernel_end));
	if (initrd_size > 0)
		avail_exclude(initrd_pa, initrd_pa + initrd_size);

	pml4pa = boot_alloc_pages(1, 1UL << 30);
	pml4 = (uint64_t *)PHYS_TO_DMAP(pml4pa);

	/* Direct map. */
	dmap_end = roundup2(MAX(phys_max, 1UL << 32), 1UL << 30);
	pdpt = pt_page(&pml4[(DMAP_BASE >> 39) & 511]);
	for (vm_paddr_t pa = 0; pa < dmap_end; pa += 1UL << 21) {
		uint64_t *pd = pt_page(&pdpt[(pa >> 30) & 511]);
		uint64_t bits = PG_V | PG_RW | PG_PS | PG_G | pg_nx;

		if (pa >= 0xc0000000UL && pa < 0x100000000UL)
			bits |= PG_PCD | PG_PWT;
		pd[(pa >> 21) & 511] = pa | bits;
	}

	/* Kernel image, page by page. */
	for (vm_offset_t va = (vm_offset_t)__kernel_text;
	    va < (vm_offset_t)__kernel_end; va += PAGE_SIZE) {
		uint64_t bits;

		if (va < (vm_offset_t)__kernel_etext)
			bits = 0;
		else if (va < (vm_offset_t)__kernel_erodata)
			bits = pg_nx;
		else
			bits = PG_RW | pg_nx;
		map_kernel_page(pml4, va, bits);
	}

	kernel_cr3 = pml4pa;
	load_cr3(kernel_cr3);
}

void
pmap_invalidate_all_local(void)
{
	uint64_t cr4 = rcr4();

	if (cr4 & CR4_PGE) {
		load_cr4(cr4 & ~CR4_PGE);	/* flushes global entries too */
		load_cr4(cr4);
	} else {
		load_cr3(rcr3());
	}
}

/*
 * Allocate the vm_page array for [0, phys_max) and hand every remaining
 * available range to the page allocator.  BSP, once, after
 * pmap_bootstrap() (the array may lie anywhere in the direct map).
 */
void
pmap_init_vm_pages(void)
{
	size_t npages = phys_max / PAGE_SIZE;
	size_t bytes = npages * sizeof(struct vm_page);
	vm_paddr_t pa;

	pa = boot_alloc_pages(howmany(bytes, PAGE_SIZE), phys_max);
	boot_alloc_done = true;
	vm_phys_init((struct vm_page *)PHYS_TO_DMAP(pa), 0, npages);
	for (int i = 0; i < navail; i++)
		if (avail[i].ms_end > avail[i].ms_start)
			vm_phys_add_free(avail[i].ms_start, avail[i].ms_end);
}
