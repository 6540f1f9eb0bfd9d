/*
 * User page tables (the interface and its rules: <sys/pmap_user.h>).
 *
 * A pmap owns a PML4 page whose upper half (slots 256..511) is a copy of
 * the kernel's: those entries point at the kernel's own PDPT pages, which
 * never change after boot, so every address space sees the same kernel.
 * The lower half is built on demand, four levels of 4 KiB pages; user
 * pages are always 4 KiB.  A user PTE is PG_V | PG_U, plus PG_RW for a
 * writable page and PG_NX for a page that is not executable.  PROT_NONE
 * is PG_PROTNONE (a software bit) with the frame kept and PG_V clear:
 * nothing, not even the kernel's copyin, can reach the page, yet the
 * pmap still knows it (lookup, remove, fork copy).  Interior entries are
 * PG_V | PG_U | PG_RW: the leaf decides.
 *
 * Shootdown: after a translation is removed or lowered, every CPU in
 * pm_active drops it (invlpg, or a full flush beyond PMAP_INVLPG_MAX
 * pages), through lwkt_cpusync; when pm_active is only this CPU, locally
 * and without a cpusync.  pm_active is set by pmap_switch with an atomic
 * OR before %cr3 is loaded, and the caller's PTE stores precede its read
 * of pm_active (a sequentially consistent fence and load), so a CPU that
 * loads the pmap after we read the mask already sees the new PTEs.
 *
 * Cost: one page for the PML4 plus one page per 512 GiB / 1 GiB / 2 MiB
 * of user address space touched.  Page-table pages are freed only when
 * the pmap is destroyed.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/pmap_user.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/specialreg.h>
#include <machine/md_var.h>
#include <machine/pmap.h>

MALLOC_DEFINE(M_PMAP, "pmap", "user pmaps");

struct pmap {
	uint64_t	*pm_pml4;	/* [I] through the direct map */
	vm_paddr_t	pm_cr3;		/* [I] */
	volatile cpumask_t pm_active;	/* [a] CPUs with it in %cr3 */
};

#define PTE_USER_DIR	(PG_V | PG_U | PG_RW)
#define PG_PROTNONE	0x200		/* software: mapped, no access */
#define PTE_PRESENT(pte) (((pte) & (PG_V | PG_PROTNONE)) != 0)
#define NPTE		512

static uint64_t *
pt_va(uint64_t e)
{
	return ((uint64_t *)PHYS_TO_DMAP(e & PG_FRAME));
}

struct pmap *
pmap_create(void)
{
	struct pmap *pm;
	struct vm_page *m;
	uint64_t *kpml4 = (uint64_t *)PHYS_TO_DMAP(kernel_cr3);

	pm = kmalloc(sizeof(*pm), M_PMAP, M_ZERO);
	if (pm == NULL)
		return (NULL);
	m = vm_page_alloc(VM_ALLOC_ZERO);
	if (m == NULL) {
		kfree(pm, M_PMAP);
		return (NULL);
	}
	pm->pm_cr3 = VM_PAGE_TO_PHYS(m);
	pm->pm_pml4 = (uint64_t *)PHYS_TO_DMAP(pm->pm_cr3);
	for (int i = NPTE / 2; i < NPTE; i++)
		pm->pm_pml4[i] = kpml4[i];
	return (pm);
}

void
pmap_unload_self(void)
{
	struct globaldata *gd = mycpu;
	struct pmap *pm = gd->gd_md.md_curpmap;

	if (pm == NULL)
		return;
	load_cr3(kernel_cr3);
	gd->gd_md.md_curpmap = NULL;
	__atomic_and_fetch(&pm->pm_active, ~CPUMASK(gd->gd_cpuid),
	    __ATOMIC_SEQ_CST);
}

/* cpusync function: stop using pmap arg on this CPU. */
static void
pmap_unload_if(void *arg)
{
	if (mycpu->gd_md.md_curpmap == arg)
		pmap_unload_self();
}

static void
pt_free_level(uint64_t *t, int level)
{
	for (int i = 0; i < NPTE; i++) {
		if ((t[i] & PG_V) == 0)
			continue;
		if (level > 1)
			pt_free_level(pt_va(t[i]), level - 1);
		vm_page_free(PHYS_TO_VM_PAGE(t[i] & PG_FRAME));
		t[i] = 0;
	}
}

void
pmap_destroy(struct pmap *pm)
{
	cpumask_t act;

	crit_enter();
	if (mycpu->gd_md.md_curpmap == pm)
		pmap_unload_self();
	crit_exit();
	act = __atomic_load_n(&pm->pm_active, __ATOMIC_SEQ_CST);
	if (act != 0)
		lwkt_cpusync_simple(act, pmap_unload_if, pm);
	KASSERT(pm->pm_active == 0, ("pmap_destroy: still active"));
	/* Below the PML4's user half: PDPT, PD (level 2), PT (level 1). */
	for (int i = 0; i < NPTE / 2; i++) {
		if ((pm->pm_pml4[i] & PG_V) == 0)
			continue;
		pt_free_level(pt_va(pm->pm_pml4[i]), 2);
		vm_page_free(PHYS_TO_VM_PAGE(pm->pm_pml4[i] & PG_FRAME));
	}
	vm_page_free(PHYS_TO_VM_PAGE(pm->pm_cr3));
	kfree(pm, M_PMAP);
}

/*
 * The PTE slot for va, creating the intermediate tables if create; NULL
 * if absent (or memory short when creating).
 */
static uint64_t *
pmap_pte(struct pmap *pm, vm_offset_t va, bool create)
{
	uint64_t *t = pm->pm_pml4;

	KASSERT(va < VM_MAX_USER, ("pmap_pte: %#lx not user", va));
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];

		if ((*e & PG_V) == 0) {
			struct vm_page *m;

			if (!create)
				return (NULL);
			m = vm_page_alloc(VM_ALLOC_ZERO);
			if (m == NULL)
				return (NULL);
			*e = VM_PAGE_TO_PHYS(m) | PTE_USER_DIR;
		}
		t = pt_va(*e);
	}
	return (&t[(va >> 12) & 511]);
}

static uint64_t
prot_bits(int prot)
{
	uint64_t b = PG_V | PG_U;

	if ((prot & (VMP_READ | VMP_WRITE | VMP_EXEC)) == 0)
		return (PG_PROTNONE);
	if (prot & VMP_WRITE)
		b |= PG_RW;
	if ((prot & VMP_EXEC) == 0)
		b |= pg_nx;
	return (b);
}

static int
pte_prot(uint64_t pte)
{
	int prot = VMP_READ;

	if ((pte & PG_V) == 0)
		return (0);		/* PROT_NONE */
	if (pte & PG_RW)
		prot |= VMP_WRITE;
	if (pg_nx == 0 || (pte & PG_NX) == 0)
		prot |= VMP_EXEC;
	return (prot);
}

struct pmap_uinvl {
	vm_offset_t	pu_va;
	size_t		pu_npages;
};

static void
pmap_uinvl_local(void *arg)
{
	const struct pmap_uinvl *pu = arg;

	if (pu->pu_npages > PMAP_INVLPG_MAX) {
		load_cr3(rcr3());	/* user entries are never global */
		return;
	}
	for (size_t i = 0; i < pu->pu_npages; i++)
		invlpg(pu->pu_va + i * PAGE_SIZE);
}

/* Rule 2: make every CPU with pm loaded forget [va, va + npages). */
static void
pmap_shootdown(struct pmap *pm, vm_offset_t va, size_t npages)
{
	struct pmap_uinvl pu = { va, npages };
	cpumask_t act;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	act = __atomic_load_n(&pm->pm_active, __ATOMIC_SEQ_CST);
	if (act == 0)
		return;
	crit_enter();
	if (act == CPUMASK(mycpuid)) {
		pmap_uinvl_local(&pu);
		crit_exit();
		return;
	}
	crit_exit();
	mycpu->gd_cnt.shootdowns++;
	lwkt_cpusync_simple(act, pmap_uinvl_local, &pu);
}

int
pmap_enter(struct pmap *pm, vm_offset_t va, vm_paddr_t pa, int prot,
    vm_paddr_t *oldpa)
{
	uint64_t *pte = pmap_pte(pm, va, true), old;

	*oldpa = (vm_paddr_t)-1;
	if (pte == NULL)
		return (ENOMEM);
	old = *pte;
	*pte = (pa & PG_FRAME) | prot_bits(prot);
	if (old & PG_V)			/* only valid entries are cached */
		pmap_shootdown(pm, va, 1);
	if (PTE_PRESENT(old) && (old & PG_FRAME) != (pa & PG_FRAME))
		*oldpa = old & PG_FRAME;
	return (0);
}

bool
pmap_lookup(struct pmap *pm, vm_offset_t va, vm_paddr_t *pap, int *protp)
{
	uint64_t *pte = pmap_pte(pm, va, false);

	if (pte == NULL || !PTE_PRESENT(*pte))
		return (false);
	*pap = *pte & PG_FRAME;
	*protp = pte_prot(*pte);
	return (true);
}

/*
 * Visit every present PTE of [sva, eva), skipping absent tables whole.
 * fn returns the new PTE value.
 */
static void
pmap_walk(struct pmap *pm, vm_offset_t sva, vm_offset_t eva,
    uint64_t (*fn)(uint64_t pte, vm_offset_t va, void *arg), void *arg)
{
	vm_offset_t va = sva;

	while (va < eva) {
		uint64_t *t = pm->pm_pml4, *e = NULL;
		int shift;

		for (shift = 39; shift >= 12; shift -= 9) {
			e = &t[(va >> shift) & 511];
			if (shift == 12 || (*e & PG_V) == 0)
				break;
			t = pt_va(*e);
		}
		if (shift == 12 ? !PTE_PRESENT(*e) : (*e & PG_V) == 0) {
			/* Skip the whole absent table at this level. */
			vm_offset_t next = rounddown2(va, 1UL << shift) +
			    (1UL << shift);

			if (next <= va)
				break;
			va = next;
			continue;
		}
		*e = fn(*e, va, arg);
		va += PAGE_SIZE;
	}
}

struct remove_arg {
	vm_paddr_t	*ra_pages;	/* batch of removed pages */
	size_t		ra_n;
	size_t		ra_max;
	bool		ra_overflow;
};

static uint64_t
remove_one(uint64_t pte, vm_offset_t va, void *arg)
{
	struct remove_arg *ra = arg;

	if (ra->ra_n == ra->ra_max) {
		ra->ra_overflow = true;
		return (pte);
	}
	ra->ra_pages[ra->ra_n++] = pte & PG_FRAME;
	return (0);
}

void
pmap_remove(struct pmap *pm, vm_offset_t sva, vm_offset_t eva,
    void (*drop)(vm_paddr_t pa, void *arg), void *arg)
{
	vm_paddr_t batch[64];
	struct remove_arg ra;

	/*
	 * In batches: the pages may be handed back (drop) only after every
	 * CPU forgot them, so collect, shoot down, then drop.
	 */
	do {
		ra.ra_pages = batch;
		ra.ra_n = 0;
		ra.ra_max = nitems(batch);
		ra.ra_overflow = false;
		pmap_walk(pm, sva, eva, remove_one, &ra);
		if (ra.ra_n == 0)
			break;
		pmap_shootdown(pm, sva, (eva - sva) >> PAGE_SHIFT);
		for (size_t i = 0; i < ra.ra_n; i++)
			drop(ra.ra_pages[i], arg);
	} while (ra.ra_overflow);
}

static uint64_t
protect_one(uint64_t pte, vm_offset_t va, void *arg)
{
	int prot = *(int *)arg;

	if ((prot & (VMP_READ | VMP_WRITE | VMP_EXEC)) == 0)
		return ((pte & PG_FRAME) | PG_PROTNONE);
	if ((pte & PG_V) == 0)
		return (pte);		/* PROT_NONE stays until a fault */
	if ((prot & VMP_WRITE) == 0)
		pte &= ~PG_RW;
	if ((prot & VMP_EXEC) == 0)
		pte |= pg_nx;
	return (pte);
}

void
pmap_protect(struct pmap *pm, vm_offset_t sva, vm_offset_t eva, int prot)
{
	pmap_walk(pm, sva, eva, protect_one, &prot);
	pmap_shootdown(pm, sva, (eva - sva) >> PAGE_SHIFT);
}

struct copy_arg {
	struct pmap	*ca_dst;
	bool		ca_shared;
	bool		ca_nomem;
	void		(*ca_hold)(vm_paddr_t, void *);
	void		*ca_arg;
};

static uint64_t
copy_one(uint64_t pte, vm_offset_t va, void *arg)
{
	struct copy_arg *ca = arg;
	uint64_t *dpte;

	if (ca->ca_nomem)
		return (pte);
	dpte = pmap_pte(ca->ca_dst, va, true);
	if (dpte == NULL) {
		ca->ca_nomem = true;
		return (pte);
	}
	if (!ca->ca_shared)
		pte &= ~PG_RW;
	*dpte = pte & ~(PG_A | PG_M);
	ca->ca_hold(pte & PG_FRAME, ca->ca_arg);
	return (pte);
}

int
pmap_copy(struct pmap *dst, struct pmap *src, vm_offset_t sva,
    vm_offset_t eva, bool shared, void (*hold)(vm_paddr_t, void *),
    void *arg)
{
	struct copy_arg ca = { dst, shared, false, hold, arg };

	pmap_walk(src, sva, eva, copy_one, &ca);
	if (!shared)
		pmap_shootdown(src, sva, (eva - sva) >> PAGE_SHIFT);
	return (ca.ca_nomem ? ENOMEM : 0);
}

void
pmap_switch(struct globaldata *gd, struct thread *ntd)
{
	struct pmap *pm = ntd->td_pmap, *old = gd->gd_md.md_curpmap;

	if (pm == NULL || pm == old)
		return;
	if (old != NULL)
		__atomic_and_fetch(&old->pm_active, ~CPUMASK(gd->gd_cpuid),
		    __ATOMIC_SEQ_CST);
	__atomic_or_fetch(&pm->pm_active, CPUMASK(gd->gd_cpuid),
	    __ATOMIC_SEQ_CST);
	gd->gd_md.md_curpmap = pm;
	load_cr3(pm->pm_cr3);
}
