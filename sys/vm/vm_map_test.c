/*
 * In-kernel tests of user address spaces (sys/vm/vm_map.c) without a
 * user process: regions, faults, copy-on-write fork, mprotect, munmap
 * splitting, commit accounting, and that every page returns.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <vm/vm_page.h>
#include <machine/vmparam.h>

#define BASE	0x0000000040000000UL

static uint8_t
peek(struct vmspace *vm, vm_offset_t va)
{
	vm_paddr_t pa;
	int prot;

	if (!pmap_lookup(vm->vm_pmap, va, &pa, &prot))
		return (0xee);
	return (*(uint8_t *)(PHYS_TO_DMAP(pa) + (va & PAGE_MASK)));
}

KTEST(vm_cow_fork, "vmspace: first touch zero-fills, fork shares pages "
    "read-only, a write copies only the writer's page, all pages return")
{
	size_t upages = vm_upages_count(), free0 = vm_phys_free_count();
	struct vmspace *a, *b;
	vm_offset_t va = BASE;
	vm_paddr_t pa1, pa2;
	int prot1, prot2, error;
	char c = 'A';

	a = vmspace_alloc();
	KT_ASSERT(a != NULL);
	KT_ASSERT_EQ(vm_map_anon(a, &va, 4 * PAGE_SIZE, VMP_READ | VMP_WRITE,
	    0, true), 0);
	KT_ASSERT_EQ(va, BASE);
	KT_ASSERT_EQ(vm_fault(a, BASE + 10, VMP_READ), 0);
	KT_ASSERT_EQ(peek(a, BASE + 10), 0);
	KT_ASSERT_EQ(vm_copyout_any(a, BASE + PAGE_SIZE, &c, 1), 0);
	KT_ASSERT_EQ(peek(a, BASE + PAGE_SIZE), 'A');
	KT_ASSERT_EQ(vm_fault(a, BASE + 8 * PAGE_SIZE, VMP_READ), EFAULT);
	b = vmspace_fork(a, &error);
	KT_ASSERT(b != NULL);
	KT_ASSERT(pmap_lookup(a->vm_pmap, BASE + PAGE_SIZE, &pa1, &prot1));
	KT_ASSERT(pmap_lookup(b->vm_pmap, BASE + PAGE_SIZE, &pa2, &prot2));
	KT_ASSERT_EQ(pa1, pa2);
	KT_ASSERT_EQ(prot1 & VMP_WRITE, 0);
	KT_ASSERT_EQ(prot2 & VMP_WRITE, 0);
	/* The parent writes: it gets a copy, the child keeps the original. */
	KT_ASSERT_EQ(vm_fault(a, BASE + PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT(pmap_lookup(a->vm_pmap, BASE + PAGE_SIZE, &pa1, &prot1));
	KT_ASSERT(pa1 != pa2);
	KT_ASSERT(prot1 & VMP_WRITE);
	c = 'B';
	KT_ASSERT_EQ(vm_copyout_any(a, BASE + PAGE_SIZE, &c, 1), 0);
	KT_ASSERT_EQ(peek(a, BASE + PAGE_SIZE), 'B');
	KT_ASSERT_EQ(peek(b, BASE + PAGE_SIZE), 'A');
	/* The child, now the only holder, upgrades in place: no copy. */
	KT_ASSERT_EQ(vm_fault(b, BASE + PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT(pmap_lookup(b->vm_pmap, BASE + PAGE_SIZE, &pa1, &prot1));
	KT_ASSERT_EQ(pa1, pa2);
	vmspace_free(a);
	vmspace_free(b);
	KT_ASSERT_EQ(vm_upages_count(), upages);
	KT_ASSERT_EQ(vm_phys_free_count(), free0);
}

KTEST(vm_protect_unmap, "vmspace: mprotect lowers at once and raises "
    "lazily, munmap splits regions, bad ranges are EINVAL/ENOMEM")
{
	size_t upages = vm_upages_count();
	struct vmspace *vm = vmspace_alloc();
	vm_offset_t va = BASE, brk;
	vm_paddr_t pa;
	int prot;

	KT_ASSERT(vm != NULL);
	KT_ASSERT_EQ(vm_map_anon(vm, &va, 8 * PAGE_SIZE, VMP_READ | VMP_WRITE,
	    0, true), 0);
	for (int i = 0; i < 8; i++)
		KT_ASSERT_EQ(vm_fault(vm, BASE + i * PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT_EQ(vm_protect(vm, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
	    VMP_READ), 0);
	KT_ASSERT(pmap_lookup(vm->vm_pmap, BASE + 2 * PAGE_SIZE, &pa, &prot));
	KT_ASSERT_EQ(prot & VMP_WRITE, 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 2 * PAGE_SIZE, VMP_WRITE), EFAULT);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 4 * PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT_EQ(vm_protect(vm, BASE + 2 * PAGE_SIZE, PAGE_SIZE,
	    VMP_READ | VMP_WRITE), 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 2 * PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 3 * PAGE_SIZE, VMP_WRITE), EFAULT);
	/* PROT_NONE: present but unusable, and usable again after. */
	KT_ASSERT_EQ(vm_protect(vm, BASE, PAGE_SIZE, 0), 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE, VMP_READ), EFAULT);
	KT_ASSERT_EQ(vm_protect(vm, BASE, PAGE_SIZE, VMP_READ), 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE, VMP_READ), 0);
	/* A hole in the middle. */
	KT_ASSERT_EQ(vm_unmap(vm, BASE + 5 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_ASSERT(!pmap_lookup(vm->vm_pmap, BASE + 5 * PAGE_SIZE, &pa, &prot));
	KT_ASSERT_EQ(vm_fault(vm, BASE + 5 * PAGE_SIZE, VMP_READ), EFAULT);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 6 * PAGE_SIZE, VMP_READ), 0);
	KT_ASSERT_EQ(vm_protect(vm, BASE + 4 * PAGE_SIZE, 3 * PAGE_SIZE,
	    VMP_READ), ENOMEM);
	KT_ASSERT_EQ(vm_unmap(vm, BASE + 1, PAGE_SIZE), EINVAL);
	KT_ASSERT_EQ(vm_unmap(vm, VM_MAX_USER - PAGE_SIZE, 4 * PAGE_SIZE),
	    EINVAL);
	va = VM_MAX_USER;
	KT_ASSERT_EQ(vm_map_anon(vm, &va, PAGE_SIZE, VMP_READ, 0, true),
	    EINVAL);
	/* brk grows and shrinks. */
	vm->vm_brk_base = vm->vm_brk = BASE + 64 * PAGE_SIZE;
	KT_ASSERT_EQ(vm_brk(vm, BASE + 66 * PAGE_SIZE + 5, &brk), 0);
	KT_ASSERT_EQ(brk, BASE + 66 * PAGE_SIZE + 5);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 66 * PAGE_SIZE, VMP_WRITE), 0);
	KT_ASSERT_EQ(vm_brk(vm, BASE + 64 * PAGE_SIZE, &brk), 0);
	KT_ASSERT_EQ(vm_fault(vm, BASE + 64 * PAGE_SIZE, VMP_READ), EFAULT);
	KT_ASSERT_EQ(vm_brk(vm, BASE, &brk), ENOMEM);
	vmspace_free(vm);
	KT_ASSERT_EQ(vm_upages_count(), upages);
}

KTEST(vm_commit_limit, "vmspace: mappings beyond the commit limit fail "
    "with ENOMEM up front, and the commitment returns when freed")
{
	size_t before = vm_committed_total;
	struct vmspace *vm = vmspace_alloc();
	vm_offset_t va = 0;
	size_t huge;

	KT_ASSERT(vm != NULL);
	KT_ASSERT_EQ(vm_map_anon(vm, &va, PAGE_SIZE, VMP_READ, 0, false), 0);
	KT_ASSERT(vm_commit_limit > 0);
	huge = (vm_commit_limit + 1) * PAGE_SIZE;
	va = 0;
	KT_ASSERT_EQ(vm_map_anon(vm, &va, huge, VMP_READ | VMP_WRITE, 0,
	    false), ENOMEM);
	/* Half of what is left works, twice fails. */
	huge = (vm_commit_limit - vm_committed_total) / 2 * PAGE_SIZE;
	va = 0;
	KT_ASSERT_EQ(vm_map_anon(vm, &va, huge, VMP_READ | VMP_WRITE, 0,
	    false), 0);
	va = 0;
	KT_ASSERT_EQ(vm_map_anon(vm, &va, huge + 2 * PAGE_SIZE,
	    VMP_READ | VMP_WRITE, 0, false), ENOMEM);
	vmspace_free(vm);
	KT_ASSERT_EQ(vm_committed_total, before);
}
