/*
 * Kernel page tables.
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
 * Later, the temporary-mapping window (end of this file) adds one page
 * table of its own in PML4 slot 511, above the kernel image.
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
#include <machine/pmap.h>
#include <sys/globaldata.h>
#include <sys/spinlock.h>
#include <sys/thread.h>

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
static vm_paddr_t boot_alloc_raw(size_t npages, vm_paddr_t below, bool zero);

vm_paddr_t
boot_alloc_pages(size_t npages, vm_paddr_t below)
{
	return (boot_alloc_raw(npages, below, true));
}

static vm_paddr_t
boot_alloc_raw(size_t npages, vm_paddr_t below, bool zero)
{
	size_t len = npages * PAGE_SIZE;

	KKASSERT(!boot_alloc_done);
	for (int i = 0; i < navail; i++) {
		struct memseg *m = &avail[i];

		if (m->ms_end - m->ms_start >= len &&
		    m->ms_start + len <= below) {
			vm_paddr_t pa = m->ms_start;

			m->ms_start += len;
			if (zero)
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

	/* Not zeroed: vm_phys_init writes every field of every entry. */
	pa = boot_alloc_raw(howmany(bytes, PAGE_SIZE), phys_max, false);
	boot_alloc_done = true;
	vm_phys_init((struct vm_page *)PHYS_TO_DMAP(pa), 0, npages);
	for (int i = 0; i < navail; i++)
		if (avail[i].ms_end > avail[i].ms_start)
			vm_phys_add_free(avail[i].ms_start, avail[i].ms_end);
}

/*
 * The temporary-mapping window and kernel TLB shootdown.
 *
 * KVA_WINDOW_BASE..KVA_WINDOW_END (<machine/pmap.h>) is mapped by one
 * page table, kva_window_pt, which sits in .bss (so its physical address
 * is KVA_TO_PHYS of it) and is hooked into the kernel's page directory
 * the first time a range of the window is handed out.  Every CPU runs on
 * kernel_cr3, so the hook and every entry of the table are seen by all
 * CPUs at once; only their TLBs may lag, which is what
 * pmap_invalidate_kernel_range() is for.
 *
 * Entries are written with single 8-byte stores (never a locked
 * read-modify-write: nothing else writes them, and the CPU's own A/M
 * updates have nothing to do since PG_A and PG_M are preset).  Leaves
 * are global (PG_G), so a flush of CR3 alone would not drop them: the
 * full flush toggles CR4.PGE (pmap_invalidate_all_local()).
 *
 * Protection: kva_window_map and kva_window_ready [kva_window_lock];
 * kva_window_pt entries [owner of the range from pmap_kva_alloc()].
 */

static uint64_t	kva_window_pt[PAGE_SIZE / sizeof(uint64_t)]
		    __aligned(PAGE_SIZE);
static uint64_t	kva_window_map[KVA_WINDOW_PAGES / 64];	/* 1: allocated */
static bool	kva_window_ready;
static struct spinlock kva_window_lock = SPINLOCK_INITIALIZER;

CTASSERT(nitems(kva_window_pt) == KVA_WINDOW_PAGES);
CTASSERT(((KVA_WINDOW_BASE >> 39) & 511) == 511);
CTASSERT(((KVA_WINDOW_BASE >> 30) & 511) == ((KERNBASE >> 30) & 511));
CTASSERT((KVA_WINDOW_BASE & ((1UL << 21) - 1)) == 0);
CTASSERT(KVA_WINDOW_SIZE == (1UL << 21));

#define KVA_WINDOW_PTE_BITS	(PG_V | PG_RW | PG_A | PG_M | PG_G)

/*
 * Hook kva_window_pt into the kernel page directory that maps the kernel
 * image.  Under kva_window_lock, once.  The directory entry goes from
 * not present to present, so no CPU can have cached it.
 */
static void
kva_window_init(void)
{
	uint64_t *pml4, *pdpt, *pd, pde;
	int pdei = (KVA_WINDOW_BASE >> 21) & 511;

	KASSERT((vm_offset_t)__kernel_end <= KVA_WINDOW_BASE,
	    ("kva_window_init: kernel image overlaps the window"));
	pml4 = (uint64_t *)PHYS_TO_DMAP(kernel_cr3);
	KASSERT((pml4[511] & PG_V) != 0, ("kva_window_init: no PML4 511"));
	pdpt = (uint64_t *)PHYS_TO_DMAP(pml4[511] & PG_FRAME);
	pde = pdpt[(KVA_WINDOW_BASE >> 30) & 511];
	KASSERT((pde & PG_V) != 0 && (pde & PG_PS) == 0,
	    ("kva_window_init: kernel PDPT entry %#lx", pde));
	pd = (uint64_t *)PHYS_TO_DMAP(pde & PG_FRAME);
	KASSERT((pd[pdei] & PG_V) == 0,
	    ("kva_window_init: window slot in use (%#lx)", pd[pdei]));
	__atomic_store_n(&pd[pdei], KVA_TO_PHYS(kva_window_pt) | PG_V | PG_RW,
	    __ATOMIC_RELEASE);
	kva_window_ready = true;
}

static bool
kva_window_bit(size_t i)
{
	return ((kva_window_map[i / 64] >> (i % 64)) & 1);
}

static void
kva_window_setbits(size_t first, size_t n, bool on)
{
	for (size_t i = first; i < first + n; i++) {
		if (on)
			kva_window_map[i / 64] |= 1UL << (i % 64);
		else
			kva_window_map[i / 64] &= ~(1UL << (i % 64));
	}
}

/* First fit over the window's bitmap. */
vm_offset_t
pmap_kva_alloc(size_t npages)
{
	vm_offset_t va = 0;
	size_t run = 0;

	if (npages == 0 || npages > KVA_WINDOW_PAGES)
		return (0);
	spin_lock(&kva_window_lock);
	if (!kva_window_ready)
		kva_window_init();
	for (size_t i = 0; i < KVA_WINDOW_PAGES; i++) {
		run = kva_window_bit(i) ? 0 : run + 1;
		if (run == npages) {
			kva_window_setbits(i + 1 - npages, npages, true);
			va = KVA_WINDOW_BASE + (i + 1 - npages) * PAGE_SIZE;
			break;
		}
	}
	spin_unlock(&kva_window_lock);
	return (va);
}

void
pmap_kva_free(vm_offset_t va, size_t npages)
{
	size_t first = (va - KVA_WINDOW_BASE) >> PAGE_SHIFT;

	KASSERT(va >= KVA_WINDOW_BASE && (va & PAGE_MASK) == 0 &&
	    npages <= KVA_WINDOW_PAGES - first,
	    ("pmap_kva_free: bad range %#lx+%zu", va, npages));
	spin_lock(&kva_window_lock);
	for (size_t i = first; i < first + npages; i++) {
		KASSERT(kva_window_bit(i),
		    ("pmap_kva_free: page %#lx not allocated",
		    KVA_WINDOW_BASE + i * PAGE_SIZE));
		KASSERT((kva_window_pt[i] & PG_V) == 0,
		    ("pmap_kva_free: page %#lx still mapped",
		    KVA_WINDOW_BASE + i * PAGE_SIZE));
	}
	kva_window_setbits(first, npages, false);
	spin_unlock(&kva_window_lock);
}

static volatile uint64_t *
kva_window_pte(vm_offset_t va)
{
	KASSERT(va >= KVA_WINDOW_BASE && va < KVA_WINDOW_END &&
	    (va & PAGE_MASK) == 0,
	    ("pmap: %#lx is not a page of the window", va));
	KASSERT(kva_window_ready, ("pmap: window used before pmap_kva_alloc"));
	return (&kva_window_pt[(va - KVA_WINDOW_BASE) >> PAGE_SHIFT]);
}

void
pmap_kenter(vm_offset_t va, vm_paddr_t pa)
{
	volatile uint64_t *pte = kva_window_pte(va);

	KASSERT((pa & ~PG_FRAME) == 0, ("pmap_kenter: bad pa %#lx", pa));
	__atomic_store_n(pte, pa | KVA_WINDOW_PTE_BITS | pg_nx,
	    __ATOMIC_RELEASE);
}

void
pmap_kremove(vm_offset_t va)
{
	volatile uint64_t *pte = kva_window_pte(va);

	__atomic_store_n(pte, 0, __ATOMIC_RELEASE);
}

vm_paddr_t
pmap_kextract(vm_offset_t va)
{
	uint64_t pte;

	if (va < KVA_WINDOW_BASE || va >= KVA_WINDOW_END || !kva_window_ready)
		return ((vm_paddr_t)-1);
	pte = __atomic_load_n(&kva_window_pt[(va - KVA_WINDOW_BASE) >>
	    PAGE_SHIFT], __ATOMIC_ACQUIRE);
	if ((pte & PG_V) == 0)
		return ((vm_paddr_t)-1);
	return ((pte & PG_FRAME) | (va & PAGE_MASK));
}

struct pmap_invl {
	vm_offset_t	pi_va;		/* [I] first page */
	size_t		pi_npages;	/* [I] */
};

/* cpusync function: drop the translations of one range on this CPU. */
static void
pmap_invl_local(void *arg)
{
	const struct pmap_invl *pi = arg;

	if (pi->pi_npages > PMAP_INVLPG_MAX) {
		pmap_invalidate_all_local();
		return;
	}
	for (size_t i = 0; i < pi->pi_npages; i++)
		invlpg(pi->pi_va + i * PAGE_SIZE);
}

/*
 * The page table changes the caller made are visible to every CPU
 * before any target runs pmap_invl_local: they precede the release of
 * the cpusync (a release store) that the targets wait for.
 */
void
pmap_invalidate_kernel_range(vm_offset_t va, vm_size_t len)
{
	struct pmap_invl pi;

	if (len == 0)
		return;
	pi.pi_va = rounddown2(va, PAGE_SIZE);
	pi.pi_npages = (roundup2(va + len, PAGE_SIZE) - pi.pi_va) >>
	    PAGE_SHIFT;
	lwkt_cpusync_simple(__atomic_load_n(&smp_active_mask,
	    __ATOMIC_ACQUIRE), pmap_invl_local, &pi);
}
