/*
 * User address spaces (interface and locking: <sys/vm_map.h>).
 *
 * Design.  A region list per process plus the pmap is the whole VM of
 * a process: there are no VM objects yet, because all user memory is
 * anonymous (ELF segments are copied in at exec).  The physical page
 * itself is the unit of sharing: pg_urefs counts the PTEs that map it.
 *
 *  - First touch of a page in a region: a zeroed page, mapped with the
 *    region's protection.
 *  - fork: the child gets the parent's PTEs; in private regions both
 *    sides lose write access and each page's count goes up.  A write
 *    fault on a present, read-only page of a writable region is then
 *    copy-on-write: with a count of 1 the page is simply made writable,
 *    otherwise it is copied and the old page's count dropped.  So there
 *    is no COW bit: the count is the truth.
 *  - mprotect lowers PTEs at once and raises them lazily (by the fault
 *    path), which keeps COW correct for free.
 *  - MAP_SHARED regions are faulted in whole before a fork copies them,
 *    so parent and child map the same pages, writable.
 *
 * Counts.  pg_urefs changes with atomic operations: two processes that
 * share a page hold different tokens.  A count of 1 seen by the holder
 * cannot go up under it (only a fork of a holder raises it, and that
 * holder is us, under our token), so "1 means mine alone" is safe.
 *
 * Commit accounting: see the header.  vm_committed_total is global and
 * atomic; each vmspace knows its own share and returns it when freed.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <vm/vm_page.h>
#include <machine/vmparam.h>

MALLOC_DEFINE(M_VMSPACE, "vmspace", "user address spaces");

size_t		vm_commit_limit;		/* [I after first use] */
volatile size_t	vm_committed_total;		/* [a] */
static volatile size_t vm_upages;		/* [a] user pages allocated */

#define NPAGES(len)	(((len) + PAGE_MASK) >> PAGE_SHIFT)

/* --- page counts --- */

void
vm_page_uhold(vm_paddr_t pa)
{
	struct vm_page *m = PHYS_TO_VM_PAGE(pa);

	__atomic_add_fetch(&m->pg_urefs, 1, __ATOMIC_RELAXED);
}

void
vm_page_udrop(vm_paddr_t pa)
{
	struct vm_page *m = PHYS_TO_VM_PAGE(pa);

	if (__atomic_sub_fetch(&m->pg_urefs, 1, __ATOMIC_ACQ_REL) == 0) {
		vm_page_free(m);
		__atomic_sub_fetch(&vm_upages, 1, __ATOMIC_RELAXED);
	}
}

size_t
vm_upages_count(void)
{
	return (__atomic_load_n(&vm_upages, __ATOMIC_RELAXED));
}

/* A new user page, zeroed, count 1; 0 if memory is short. */
static vm_paddr_t
upage_alloc(void)
{
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);

	if (m == NULL)
		return (0);
	m->pg_urefs = 1;
	__atomic_add_fetch(&vm_upages, 1, __ATOMIC_RELAXED);
	return (VM_PAGE_TO_PHYS(m));
}

/* pmap_remove callback: one mapping of pa went away. */
static void
drop_cb(vm_paddr_t pa, void *arg)
{
	struct vmspace *vm = arg;

	vm->vm_resident--;
	vm_page_udrop(pa);
}

static void
hold_cb(vm_paddr_t pa, void *arg)
{
	struct vmspace *vm = arg;

	vm->vm_resident++;
	vm_page_uhold(pa);
}

/* --- commit accounting --- */

static void
commit_init(void)
{
	size_t total, reserve;

	if (__atomic_load_n(&vm_commit_limit, __ATOMIC_ACQUIRE) != 0)
		return;
	/* Keep an eighth of memory (at least 8 MiB) for the kernel. */
	total = vm_phys_total_count();
	reserve = total / 8;
	if (reserve < 2048)
		reserve = 2048;
	__atomic_store_n(&vm_commit_limit, total > 2 * reserve ?
	    total - reserve : total / 2, __ATOMIC_RELEASE);
}

static int
commit(struct vmspace *vm, size_t npages)
{
	size_t now;

	commit_init();
	now = __atomic_add_fetch(&vm_committed_total, npages,
	    __ATOMIC_RELAXED);
	if (now > vm_commit_limit) {
		__atomic_sub_fetch(&vm_committed_total, npages,
		    __ATOMIC_RELAXED);
		return (ENOMEM);
	}
	vm->vm_committed += npages;
	return (0);
}

static void
uncommit(struct vmspace *vm, size_t npages)
{
	KASSERT(vm->vm_committed >= npages, ("uncommit: %zu > %zu", npages,
	    vm->vm_committed));
	vm->vm_committed -= npages;
	__atomic_sub_fetch(&vm_committed_total, npages, __ATOMIC_RELAXED);
}

/* --- regions --- */

struct vmspace *
vmspace_alloc(void)
{
	struct vmspace *vm;

	vm = kmalloc(sizeof(*vm), M_VMSPACE, M_ZERO);
	if (vm == NULL)
		return (NULL);
	vm->vm_pmap = pmap_create();
	if (vm->vm_pmap == NULL) {
		kfree(vm, M_VMSPACE);
		return (NULL);
	}
	lwkt_token_init(&vm->vm_token, "vmspace");
	vm->vm_mmap_hint = UMMAP_BASE;
	return (vm);
}

/* The entry containing va, or NULL.  vm_token held. */
static struct vm_map_entry *
entry_find(struct vmspace *vm, vm_offset_t va)
{
	for (struct vm_map_entry *e = vm->vm_entries; e != NULL;
	    e = e->me_next) {
		if (va < e->me_start)
			return (NULL);
		if (va < e->me_end)
			return (e);
	}
	return (NULL);
}

static void
entry_insert(struct vmspace *vm, struct vm_map_entry *ne)
{
	struct vm_map_entry **pp = &vm->vm_entries;

	while (*pp != NULL && (*pp)->me_start < ne->me_start)
		pp = &(*pp)->me_next;
	ne->me_next = *pp;
	*pp = ne;
}

/*
 * Remove [sva, eva) from the region list and the pmap, splitting
 * regions that straddle an end.  ENOMEM only if a split needs an entry
 * and none can be had (nothing changed then).  vm_token held.
 */
static int
range_remove(struct vmspace *vm, vm_offset_t sva, vm_offset_t eva)
{
	struct vm_map_entry **pp, *e, *spare;

	spare = kmalloc(sizeof(*spare), M_VMSPACE, M_ZERO);
	if (spare == NULL)
		return (ENOMEM);
	pp = &vm->vm_entries;
	while ((e = *pp) != NULL) {
		vm_offset_t s, t;

		if (e->me_end <= sva) {
			pp = &e->me_next;
			continue;
		}
		if (e->me_start >= eva)
			break;
		if (e->me_start < sva && e->me_end > eva) {
			/* Punch a hole: the spare takes the upper part. */
			*spare = *e;
			spare->me_start = eva;
			e->me_end = sva;
			spare->me_next = e->me_next;
			e->me_next = spare;
			spare = NULL;
			pmap_remove(vm->vm_pmap, sva, eva, drop_cb, vm);
			uncommit(vm, NPAGES(eva - sva));
			break;
		}
		s = e->me_start > sva ? e->me_start : sva;
		t = e->me_end < eva ? e->me_end : eva;
		pmap_remove(vm->vm_pmap, s, t, drop_cb, vm);
		uncommit(vm, NPAGES(t - s));
		if (s == e->me_start && t == e->me_end) {
			*pp = e->me_next;
			kfree(e, M_VMSPACE);
			continue;
		}
		if (s == e->me_start)
			e->me_start = t;
		else
			e->me_end = s;
		pp = &e->me_next;
	}
	if (spare != NULL)
		kfree(spare, M_VMSPACE);
	return (0);
}

void
vmspace_free(struct vmspace *vm)
{
	lwkt_gettoken(&vm->vm_token);
	while (vm->vm_entries != NULL) {
		struct vm_map_entry *e = vm->vm_entries;

		vm->vm_entries = e->me_next;
		pmap_remove(vm->vm_pmap, e->me_start, e->me_end, drop_cb, vm);
		uncommit(vm, NPAGES(e->me_end - e->me_start));
		kfree(e, M_VMSPACE);
	}
	KASSERT(vm->vm_resident == 0, ("vmspace_free: %zu pages left",
	    vm->vm_resident));
	if (vm->vm_committed != 0)
		uncommit(vm, vm->vm_committed);
	lwkt_reltoken(&vm->vm_token);
	pmap_destroy(vm->vm_pmap);
	kfree(vm, M_VMSPACE);
}

/* A free range of len bytes at or after hint; 0 if none.  vm_token held. */
static vm_offset_t
find_space(struct vmspace *vm, vm_offset_t hint, size_t len)
{
	vm_offset_t a = hint;

	for (struct vm_map_entry *e = vm->vm_entries; e != NULL;
	    e = e->me_next) {
		if (e->me_end <= a)
			continue;
		if (e->me_start >= a + len)
			break;
		a = e->me_end;
	}
	if (a + len < a || a + len > USTACK_TOP - USTACK_SIZE)
		return (0);
	return (a);
}

int
vm_map_anon(struct vmspace *vm, vm_offset_t *addrp, size_t len, int prot,
    int flags, bool fixed)
{
	struct vm_map_entry *ne;
	vm_offset_t addr = *addrp;
	int error;

	if (len == 0 || len > VM_MAX_USER)
		return (EINVAL);
	len = roundup2(len, PAGE_SIZE);
	if (fixed && ((addr & PAGE_MASK) != 0 || addr < VM_MIN_USER ||
	    addr >= VM_MAX_USER || len > VM_MAX_USER - addr))
		return (EINVAL);
	ne = kmalloc(sizeof(*ne), M_VMSPACE, M_ZERO);
	if (ne == NULL)
		return (ENOMEM);
	lwkt_gettoken(&vm->vm_token);
	/*
	 * Commit first: a failure must leave what MAP_FIXED would replace
	 * untouched.  (range_remove below returns the overlap's share.)
	 */
	error = commit(vm, len >> PAGE_SHIFT);
	if (error != 0)
		goto fail;
	if (fixed) {
		error = range_remove(vm, addr, addr + len);
		if (error != 0) {
			uncommit(vm, len >> PAGE_SHIFT);
			goto fail;
		}
	} else {
		addr = find_space(vm, vm->vm_mmap_hint, len);
		if (addr == 0)
			addr = find_space(vm, UMMAP_BASE, len);
		if (addr == 0) {
			uncommit(vm, len >> PAGE_SHIFT);
			error = ENOMEM;
			goto fail;
		}
	}
	ne->me_start = addr;
	ne->me_end = addr + len;
	ne->me_prot = prot & (VMP_READ | VMP_WRITE | VMP_EXEC);
	ne->me_flags = flags;
	entry_insert(vm, ne);
	if (!fixed)
		vm->vm_mmap_hint = addr + len;
	lwkt_reltoken(&vm->vm_token);
	*addrp = addr;
	return (0);
fail:
	lwkt_reltoken(&vm->vm_token);
	kfree(ne, M_VMSPACE);
	return (error);
}

int
vm_unmap(struct vmspace *vm, vm_offset_t addr, size_t len)
{
	int error;

	if ((addr & PAGE_MASK) != 0 || len == 0 || addr >= VM_MAX_USER ||
	    len > VM_MAX_USER - addr)
		return (EINVAL);
	len = roundup2(len, PAGE_SIZE);
	lwkt_gettoken(&vm->vm_token);
	error = range_remove(vm, addr, addr + len);
	if (error == 0 && addr < vm->vm_mmap_hint && addr >= UMMAP_BASE)
		vm->vm_mmap_hint = addr;
	lwkt_reltoken(&vm->vm_token);
	return (error);
}

/*
 * Split e at va (inside it) so that e ends at va; the new entry follows.
 * ENOMEM.  vm_token held.
 */
static int
entry_split(struct vm_map_entry *e, vm_offset_t va)
{
	struct vm_map_entry *ne;

	ne = kmalloc(sizeof(*ne), M_VMSPACE, 0);
	if (ne == NULL)
		return (ENOMEM);
	*ne = *e;
	ne->me_start = va;
	e->me_end = va;
	e->me_next = ne;
	return (0);
}

int
vm_protect(struct vmspace *vm, vm_offset_t addr, size_t len, int prot)
{
	vm_offset_t eva;
	int error = 0;

	if ((addr & PAGE_MASK) != 0 || addr >= VM_MAX_USER ||
	    len > VM_MAX_USER - addr)
		return (EINVAL);
	eva = addr + roundup2(len, PAGE_SIZE);
	lwkt_gettoken(&vm->vm_token);
	/* Every page of the range must be mapped (ENOMEM otherwise). */
	for (vm_offset_t va = addr; va < eva;) {
		struct vm_map_entry *e = entry_find(vm, va);

		if (e == NULL) {
			error = ENOMEM;
			goto out;
		}
		va = e->me_end;
	}
	for (struct vm_map_entry *e = vm->vm_entries; e != NULL && error == 0;
	    e = e->me_next) {
		if (e->me_end <= addr || e->me_start >= eva)
			continue;
		if (e->me_start < addr) {
			error = entry_split(e, addr);
			continue;	/* the next entry starts at addr */
		}
		if (e->me_end > eva) {
			error = entry_split(e, eva);
			if (error != 0)
				break;
		}
		e->me_prot = prot & (VMP_READ | VMP_WRITE | VMP_EXEC);
		pmap_protect(vm->vm_pmap, e->me_start, e->me_end, e->me_prot);
	}
out:
	lwkt_reltoken(&vm->vm_token);
	return (error);
}

int
vm_brk(struct vmspace *vm, vm_offset_t newbrk, vm_offset_t *resp)
{
	vm_offset_t oldend, newend;
	int error = 0;

	lwkt_gettoken(&vm->vm_token);
	if (newbrk == 0 || newbrk == vm->vm_brk)
		goto out;
	if (newbrk < vm->vm_brk_base ||
	    newbrk - vm->vm_brk_base > UHEAP_MAX) {
		error = ENOMEM;
		goto out;
	}
	oldend = roundup2(vm->vm_brk, PAGE_SIZE);
	newend = roundup2(newbrk, PAGE_SIZE);
	if (newend > oldend) {
		struct vm_map_entry *ne;

		if (find_space(vm, oldend, newend - oldend) != oldend) {
			error = ENOMEM;
			goto out;
		}
		ne = kmalloc(sizeof(*ne), M_VMSPACE, M_ZERO);
		if (ne == NULL) {
			error = ENOMEM;
			goto out;
		}
		error = commit(vm, (newend - oldend) >> PAGE_SHIFT);
		if (error != 0) {
			kfree(ne, M_VMSPACE);
			goto out;
		}
		ne->me_start = oldend;
		ne->me_end = newend;
		ne->me_prot = VMP_READ | VMP_WRITE;
		ne->me_flags = ME_HEAP;
		entry_insert(vm, ne);
	} else if (newend < oldend) {
		error = range_remove(vm, newend, oldend);
		if (error != 0)
			goto out;
	}
	vm->vm_brk = newbrk;
out:
	*resp = vm->vm_brk;
	lwkt_reltoken(&vm->vm_token);
	return (error);
}

/*
 * How many bytes from addr (at most len) lie in contiguous regions that
 * allow prot.  The system-call layer asks before it consumes data it
 * could not deliver: a read is cut to this length (a short read), and
 * refused with EFAULT when it is 0 (a PROT_NONE or unmapped buffer).
 */
size_t
vm_range_extent(struct vmspace *vm, vm_offset_t addr, size_t len, int prot)
{
	vm_offset_t a = addr, end;

	if (addr >= VM_MAX_USER)
		return (0);
	end = len > VM_MAX_USER - addr ? VM_MAX_USER : addr + len;
	lwkt_gettoken(&vm->vm_token);
	while (a < end) {
		struct vm_map_entry *e = entry_find(vm, a);

		if (e == NULL || (e->me_prot & prot) != prot)
			break;
		a = e->me_end;
	}
	lwkt_reltoken(&vm->vm_token);
	return ((a < end ? a : end) - addr);
}

/* --- faults --- */

/*
 * Make the page at va present, and private and writable if write:
 * allocate, upgrade or copy.  With force the region's protection is
 * ignored for the check (exec loading).  *pap gets the page.  vm_token
 * held.
 */
static int
fault_locked(struct vmspace *vm, vm_offset_t va, int ftype, bool force,
    vm_paddr_t *pap)
{
	struct vm_map_entry *e = entry_find(vm, va);
	vm_paddr_t pa, newpa, old;
	int prot, eprot, want;
	bool priv;

	if (e == NULL)
		return (EFAULT);
	eprot = e->me_prot;
	if (!force && ((ftype & eprot) != ftype || eprot == 0))
		return (EFAULT);
	va = rounddown2(va, PAGE_SIZE);
	if (!pmap_lookup(vm->vm_pmap, va, &pa, &prot)) {
		newpa = upage_alloc();
		if (newpa == 0)
			return (ENOMEM);
		if (pmap_enter(vm->vm_pmap, va, newpa, eprot, &old) != 0) {
			vm_page_udrop(newpa);
			return (ENOMEM);
		}
		vm->vm_resident++;
		*pap = newpa;
		return (0);
	}
	*pap = pa;
	priv = (e->me_flags & ME_SHARED) != 0 || __atomic_load_n(
	    &PHYS_TO_VM_PAGE(pa)->pg_urefs, __ATOMIC_ACQUIRE) == 1;
	if ((ftype & VMP_WRITE) == 0 || priv) {
		/*
		 * Raise the PTE to what the region allows (lazy mprotect,
		 * the last holder of a COW page), or nothing: a fault that
		 * another thread already resolved.
		 */
		want = priv ? eprot : eprot & ~VMP_WRITE;
		if (want != prot)
			(void)pmap_enter(vm->vm_pmap, va, pa, want, &old);
		return (0);
	}
	/* A write to a page still shared copy-on-write: copy it. */
	newpa = upage_alloc();
	if (newpa == 0)
		return (ENOMEM);
	memcpy((void *)PHYS_TO_DMAP(newpa), (void *)PHYS_TO_DMAP(pa),
	    PAGE_SIZE);
	/* The table slot exists, so pmap_enter cannot fail. */
	(void)pmap_enter(vm->vm_pmap, va, newpa, eprot, &old);
	vm_page_udrop(pa);
	*pap = newpa;
	return (0);
}

int
vm_fault(struct vmspace *vm, vm_offset_t va, int ftype)
{
	vm_paddr_t pa;
	int error;

	if (va >= VM_MAX_USER)
		return (EFAULT);
	lwkt_gettoken(&vm->vm_token);
	error = fault_locked(vm, va, ftype, false, &pa);
	lwkt_reltoken(&vm->vm_token);
	return (error == ENOMEM ? EFAULT : error);
}

int
vm_copyout_any(struct vmspace *vm, vm_offset_t va, const void *src,
    size_t len)
{
	const char *s = src;
	int error = 0;

	lwkt_gettoken(&vm->vm_token);
	while (len > 0) {
		size_t off = va & PAGE_MASK, n = PAGE_SIZE - off;
		vm_paddr_t pa;

		if (n > len)
			n = len;
		error = fault_locked(vm, va, VMP_WRITE, true, &pa);
		if (error != 0)
			break;
		memcpy((char *)PHYS_TO_DMAP(pa) + off, s, n);
		s += n;
		va += n;
		len -= n;
	}
	lwkt_reltoken(&vm->vm_token);
	return (error);
}

/* --- fork --- */

struct vmspace *
vmspace_fork(struct vmspace *src, int *errp)
{
	struct vmspace *dst;
	struct vm_map_entry **tail;
	int error;

	dst = vmspace_alloc();
	if (dst == NULL) {
		*errp = ENOMEM;
		return (NULL);
	}
	lwkt_gettoken(&src->vm_token);
	dst->vm_brk_base = src->vm_brk_base;
	dst->vm_brk = src->vm_brk;
	dst->vm_mmap_hint = src->vm_mmap_hint;
	error = commit(dst, src->vm_committed);
	tail = &dst->vm_entries;
	for (struct vm_map_entry *e = src->vm_entries; e != NULL &&
	    error == 0; e = e->me_next) {
		struct vm_map_entry *ne;
		bool shared = (e->me_flags & ME_SHARED) != 0;

		ne = kmalloc(sizeof(*ne), M_VMSPACE, 0);
		if (ne == NULL) {
			error = ENOMEM;
			break;
		}
		*ne = *e;
		ne->me_next = NULL;
		*tail = ne;
		tail = &ne->me_next;
		if (shared) {
			/* Every page present first, so both map the same. */
			for (vm_offset_t va = e->me_start; va < e->me_end &&
			    error == 0; va += PAGE_SIZE) {
				vm_paddr_t pa;

				error = fault_locked(src, va, 0, true, &pa);
			}
			if (error != 0)
				break;
		}
		error = pmap_copy(dst->vm_pmap, src->vm_pmap, e->me_start,
		    e->me_end, shared, hold_cb, dst);
	}
	lwkt_reltoken(&src->vm_token);
	if (error != 0) {
		vmspace_free(dst);
		*errp = error;
		return (NULL);
	}
	return (dst);
}
