/*
 * Physical pages.  See sys/vm/vm_page.c for the design note.
 */
#ifndef _VM_VM_PAGE_H_
#define _VM_VM_PAGE_H_

#include <sys/types.h>
#include <machine/vmparam.h>

struct kmslab;

/*
 * One per physical page frame in [vm_page_base, vm_page_base + npages).
 * Protection: [P] the page allocator's lock; [O] the page's owner (the
 * party that allocated it) while the page is allocated.
 */
struct vm_page {
	struct vm_page	*pg_next;	/* [P] free list link (head pages) */
	struct vm_page	*pg_prev;	/* [P] */
	vm_paddr_t	pg_phys;	/* [I] physical address */
	uint8_t		pg_order;	/* [P] buddy order of a free block head */
	uint8_t		pg_flags;	/* [P] PG_* */
	uint16_t	pg_pad;
	union {
		uint32_t pg_npages;	/* [O] kmalloc: pages in a large run */
		volatile uint32_t pg_urefs; /* [a] user page: mappings */
	};
	struct kmslab	*pg_slab;	/* [O] kmalloc: slab this page backs */
};

#define PG_RAM		0x01	/* frame exists and was handed to vm_phys */
#define PG_FREE		0x02	/* head of a free buddy block */

#define VM_NFREEORDER	11	/* blocks of 1 .. 1024 pages */

/* Allocation flags. */
#define VM_ALLOC_ZERO	0x01	/* zero the page(s) through the direct map */

/*
 * Bootstrap: array has one entry for each frame of [base, base + npages
 * pages); all start as "not RAM".  Called once, before any allocation.
 */
void	vm_phys_init(struct vm_page *array, vm_paddr_t base, size_t npages);
/* Hand the page-aligned RAM range [start, end) to the allocator. */
void	vm_phys_add_free(vm_paddr_t start, vm_paddr_t end);

/* Single pages and contiguous runs; NULL when memory is exhausted. */
struct vm_page *vm_page_alloc(int flags);
void	vm_page_free(struct vm_page *m);
struct vm_page *vm_page_alloc_contig(size_t npages, int flags);
void	vm_page_free_contig(struct vm_page *m, size_t npages);

struct vm_page *PHYS_TO_VM_PAGE(vm_paddr_t pa);	/* NULL if not managed */
#define VM_PAGE_TO_PHYS(m)	((m)->pg_phys)

size_t	vm_phys_free_count(void);	/* free pages now */
size_t	vm_phys_total_count(void);	/* pages ever handed to vm_phys */

#endif /* !_VM_VM_PAGE_H_ */
