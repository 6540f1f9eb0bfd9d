/*
 * User address spaces: regions, faults, mmap (sys/vm/vm_map.c).
 *
 * A vmspace is a pmap plus a sorted list of regions (vm_map_entry),
 * each anonymous memory with a protection: ELF segments, the stack, the
 * heap (brk) and mmap'd ranges.  Pages appear on first touch (zeroed),
 * are shared copy-on-write after fork (reference counts in the
 * vm_page), and go back to the allocator when the last mapping goes.
 * MAP_SHARED regions stay shared with the children of a fork.
 *
 * Memory is committed when a region is created: every page a region
 * could ever need counts against vm_commit_limit, so mmap, brk, exec
 * and fork fail with ENOMEM up front instead of a process dying later
 * for want of a page.  (Page-table pages are not counted; if one cannot
 * be had at fault time the faulting process gets SIGSEGV.)
 *
 * Locking: vm_token (a per-vmspace token) protects the region list,
 * the break and every change to the pmap; faults take it too, so the
 * threads of one process fault and map in order.
 */
#ifndef _SYS_VM_MAP_H_
#define _SYS_VM_MAP_H_

#include <sys/types.h>
#include <sys/thread.h>

struct pmap;

struct vm_map_entry {
	struct vm_map_entry *me_next;	/* [vm_token] sorted by address */
	vm_offset_t	me_start;	/* [vm_token] page aligned */
	vm_offset_t	me_end;		/* [vm_token] */
	int		me_prot;	/* [vm_token] VMP_* */
	int		me_flags;	/* [vm_token] ME_* */
};

#define ME_SHARED	0x1	/* MAP_SHARED: not copy-on-write at fork */
#define ME_STACK	0x2
#define ME_HEAP		0x4

struct vmspace {
	struct lwkt_token vm_token;
	struct pmap	*vm_pmap;	/* [I] */
	struct vm_map_entry *vm_entries; /* [vm_token] */
	vm_offset_t	vm_brk_base;	/* [vm_token] start of the heap */
	vm_offset_t	vm_brk;		/* [vm_token] current break */
	vm_offset_t	vm_mmap_hint;	/* [vm_token] next mmap search start */
	size_t		vm_committed;	/* [vm_token] pages committed */
	size_t		vm_resident;	/* [vm_token] pages mapped */
};

#define USTACK_TOP	0x00007fffffffe000UL	/* below VM_MAX_USER */
#define USTACK_SIZE	(1UL << 20)		/* 1 MiB, committed */
#define UMMAP_BASE	0x0000100000000000UL	/* mmap search start */
#define UHEAP_MAX	(1UL << 36)		/* brk may grow this far */

extern size_t	vm_commit_limit;	/* [I after first use] pages */
extern volatile size_t vm_committed_total; /* [a] */

/* An empty address space, or NULL.  Thread context. */
struct vmspace *vmspace_alloc(void);
/* Unmap everything and free it (exit, exec).  Thread context. */
void	vmspace_free(struct vmspace *vm);
/* A copy-on-write copy for fork: NULL with *errp = ENOMEM. */
struct vmspace *vmspace_fork(struct vmspace *src, int *errp);

/*
 * Resolve a fault at va for access ftype (VMP_READ/WRITE/EXEC): 0 if
 * the access may now proceed, EFAULT if va is outside every region, the
 * region forbids it, or no page could be had.  Thread context, may
 * block (token).
 */
int	vm_fault(struct vmspace *vm, vm_offset_t va, int ftype);

/*
 * Create a region.  With fixed, exactly at *addrp (replacing what was
 * there); otherwise the first free range at or after a hint.  ENOMEM
 * (no room, or the commit limit), EINVAL (bad range).
 */
int	vm_map_anon(struct vmspace *vm, vm_offset_t *addrp, size_t len,
	    int prot, int flags, bool fixed);
int	vm_unmap(struct vmspace *vm, vm_offset_t addr, size_t len);
int	vm_protect(struct vmspace *vm, vm_offset_t addr, size_t len, int prot);
/* Bytes from addr (at most len) in contiguous regions allowing prot. */
size_t	vm_range_extent(struct vmspace *vm, vm_offset_t addr, size_t len,
	    int prot);
/* Set the break (0: query); the current break in *resp. */
int	vm_brk(struct vmspace *vm, vm_offset_t newbrk, vm_offset_t *resp);
/*
 * Copy len bytes from the kernel into vm at va, faulting pages in and
 * ignoring their protection (exec loading segments and the stack).
 * The range must lie in regions.  Thread context.
 */
int	vm_copyout_any(struct vmspace *vm, vm_offset_t va, const void *src,
	    size_t len);

/* Page reference counts (user pages only). */
void	vm_page_uhold(vm_paddr_t pa);
void	vm_page_udrop(vm_paddr_t pa);
/* User pages in existence (tests). */
size_t	vm_upages_count(void);

#endif /* !_SYS_VM_MAP_H_ */
