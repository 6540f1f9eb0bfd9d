/*
 * Physical page allocator: a binary buddy system over struct vm_page.
 *
 * Every physical frame the platform knows about has one struct vm_page in
 * an array that the boot code hands to vm_phys_init().  Frames that are
 * RAM are then given to us with vm_phys_add_free(); each range is cut
 * into maximal naturally aligned blocks of 2^k pages (k < VM_NFREEORDER)
 * and freed into the buddy lists, so adjacent ranges coalesce exactly as
 * pages freed later do.
 *
 * What it guarantees:
 *   - A free block of order k starts at a physical frame number that is a
 *     multiple of 2^k.  Its first page (the head) carries PG_FREE and
 *     pg_order = k and sits on vm_freelist[k].  No page is ever on two
 *     lists or in two blocks.
 *   - pg_order tells the state of every RAM page, not only of heads:
 *     0 .. VM_NFREEORDER-1 for the head of a free block, VM_ORDER_TAIL
 *     for the other pages of a free block, VM_ORDER_ALLOC for a page
 *     that is allocated.  That makes the double-free check one load per
 *     page.  It costs one store per page allocated or freed (we touch
 *     those vm_pages anyway) and one per merge.
 *   - Coalescing is eager: on every free, a block merges with its buddy
 *     while the buddy is a free block of the same order.  The free lists
 *     are therefore always in the canonical state for the set of free
 *     pages: a block is free at order k exactly when all its pages are
 *     free and (k is the top order or its parent block is not all free).
 *   - vm_free_pages is exactly the number of pages on the free lists.
 *   - The allocator keeps its metadata only in the vm_page array.  It
 *     never reads or writes the free memory itself, so it works before
 *     any mapping of that memory exists; the one exception is
 *     VM_ALLOC_ZERO, which zeroes the pages it returns through the
 *     direct map, outside the lock.
 *   - Failure to allocate returns NULL.  Misuse (freeing a page twice,
 *     freeing a frame that is not RAM, freeing something that is not in
 *     the array) panics with a message naming the mistake.
 *
 * What it costs: allocating or freeing n pages is O(VM_NFREEORDER) list
 * operations plus O(n) stores to their vm_pages (the state above, and
 * the owner fields); nothing is proportional to the amount of free
 * memory.
 *
 * Locking rules:
 *   (1) vm_phys_lock (a spin lock, so the holder is in a critical
 *       section) protects the free lists, the counts, and pg_next,
 *       pg_prev, pg_order and pg_flags of every page.
 *   (2) It is a leaf lock: nothing here calls out while holding it
 *       (panic excepted), and the allocator never calls kmalloc.
 *   (3) pg_phys and PG_RAM never change once set, so PHYS_TO_VM_PAGE()
 *       reads them without the lock.
 *   (4) pg_npages and pg_slab belong to whoever allocated the page; we
 *       clear them when a page is handed out and when it comes back.
 *
 * Calling context: any thread, including interrupt threads; not FAST
 * interrupt handlers (the lock is not interrupt-disabling).  Nothing here
 * blocks.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/spinlock.h>
#include <vm/vm_page.h>

#define VM_MAXORDER		(VM_NFREEORDER - 1)
#define VM_MAXBLOCK		((size_t)1 << VM_MAXORDER)

/* pg_order of pages that are not the head of a free block. */
#define VM_ORDER_TAIL		0xfe	/* inside a free block */
#define VM_ORDER_ALLOC		0xff	/* allocated (or not RAM) */

CTASSERT(VM_NFREEORDER < VM_ORDER_TAIL);
CTASSERT(sizeof(((struct vm_page *)0)->pg_order) == 1);

static struct spinlock	vm_phys_lock = SPINLOCK_INITIALIZER;
static struct vm_page	*vm_page_array;		/* [I] after vm_phys_init */
static uint64_t		vm_page_basepfn;	/* [I] frame of array[0] */
static size_t		vm_page_npages;		/* [I] entries in the array */
static struct vm_page	*vm_freelist[VM_NFREEORDER]; /* [P] block heads */
static size_t		vm_free_pages;		/* [P] pages on the lists */
static size_t		vm_total_pages;		/* [P] pages ever added */

static inline uint64_t
vm_page_pfn(struct vm_page *m)
{
	return (m->pg_phys >> PAGE_SHIFT);
}

/*
 * The vm_page of frame pfn, or NULL when the array does not cover it.
 * The comparison is written so that a pfn below the base cannot wrap.
 */
static inline struct vm_page *
vm_page_bypfn(uint64_t pfn)
{
	if (pfn < vm_page_basepfn || pfn - vm_page_basepfn >= vm_page_npages)
		return (NULL);
	return (&vm_page_array[pfn - vm_page_basepfn]);
}

/*
 * pg_flags is written under the lock but PG_RAM is read without it by
 * PHYS_TO_VM_PAGE(), so every store is a (plain, relaxed) atomic one.
 */
static inline void
vm_page_setflags(struct vm_page *m, int flags)
{
	__atomic_store_n(&m->pg_flags, (uint8_t)flags, __ATOMIC_RELAXED);
}

/*
 * Put the block whose head is m on the list of its order.  The caller
 * holds vm_phys_lock and has checked that the block is free RAM.
 */
static void
vm_freelist_insert(struct vm_page *m, int order)
{
	m->pg_order = order;
	vm_page_setflags(m, m->pg_flags | PG_FREE);
	m->pg_prev = NULL;
	m->pg_next = vm_freelist[order];
	if (m->pg_next != NULL)
		m->pg_next->pg_prev = m;
	vm_freelist[order] = m;
	vm_free_pages += (size_t)1 << order;
}

/* Take the free block whose head is m off its list.  Holds vm_phys_lock. */
static void
vm_freelist_remove(struct vm_page *m)
{
	int order = m->pg_order;

	KKASSERT((m->pg_flags & PG_FREE) != 0);
	if (m->pg_prev != NULL)
		m->pg_prev->pg_next = m->pg_next;
	else
		vm_freelist[order] = m->pg_next;
	if (m->pg_next != NULL)
		m->pg_next->pg_prev = m->pg_prev;
	m->pg_next = NULL;
	m->pg_prev = NULL;
	vm_page_setflags(m, m->pg_flags & ~PG_FREE);
	vm_free_pages -= (size_t)1 << order;
}

/*
 * Free the aligned block of 2^order allocated pages headed by m, merging
 * with its buddy for as long as the buddy is a whole free block of the
 * same order; the head that loses becomes a tail page.  Holds
 * vm_phys_lock; the caller has validated the pages.
 */
static void
vm_buddy_free(struct vm_page *m, int order)
{
	struct vm_page *b;
	size_t i;

	for (i = 1; i < ((size_t)1 << order); i++)
		m[i].pg_order = VM_ORDER_TAIL;
	while (order < VM_MAXORDER) {
		b = vm_page_bypfn(vm_page_pfn(m) ^ ((uint64_t)1 << order));
		if (b == NULL || (b->pg_flags & PG_FREE) == 0 ||
		    b->pg_order != order)
			break;
		vm_freelist_remove(b);
		if (b < m) {
			m->pg_order = VM_ORDER_TAIL;
			m = b;
		} else {
			b->pg_order = VM_ORDER_TAIL;
		}
		order++;
	}
	vm_freelist_insert(m, order);
}

/*
 * Free the frames [spfn, epfn) as maximal aligned blocks.  Holds
 * vm_phys_lock; every frame is allocated RAM covered by the array.
 */
static void
vm_buddy_free_range(uint64_t spfn, uint64_t epfn)
{
	int order;

	while (spfn < epfn) {
		order = 0;
		while (order < VM_MAXORDER &&
		    (spfn & (((uint64_t)2 << order) - 1)) == 0 &&
		    spfn + ((uint64_t)2 << order) <= epfn)
			order++;
		vm_buddy_free(vm_page_bypfn(spfn), order);
		spfn += (uint64_t)1 << order;
	}
}

/*
 * Take a block of exactly 2^order pages, splitting a larger one if
 * needed (the upper halves go back on the lists), and mark its pages
 * allocated.  Holds vm_phys_lock.  Returns the head or NULL.
 */
static struct vm_page *
vm_buddy_alloc(int order)
{
	struct vm_page *m;
	size_t i;
	int o;

	for (o = order; o < VM_NFREEORDER; o++) {
		if (vm_freelist[o] != NULL)
			break;
	}
	if (o == VM_NFREEORDER)
		return (NULL);
	m = vm_freelist[o];
	vm_freelist_remove(m);
	while (o > order) {
		o--;
		vm_freelist_insert(vm_page_bypfn(vm_page_pfn(m) +
		    ((uint64_t)1 << o)), o);
	}
	for (i = 0; i < ((size_t)1 << order); i++)
		m[i].pg_order = VM_ORDER_ALLOC;
	return (m);
}

/*
 * Make npages freshly allocated pages ready for their new owner: clear
 * the owner's fields and zero the memory if asked.  Called without the
 * lock: the pages are ours now.
 */
static void
vm_page_prep(struct vm_page *m, size_t npages, int flags)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		m[i].pg_npages = 0;
		m[i].pg_slab = NULL;
	}
	if ((flags & VM_ALLOC_ZERO) != 0)
		memset((void *)PHYS_TO_DMAP(m->pg_phys), 0, npages * PAGE_SIZE);
}

/*
 * Bootstrap.  array has one entry per frame of [base, base + npages
 * pages); every entry starts as "not RAM".  Called once, on the BSP,
 * before anything else here.
 */
void
vm_phys_init(struct vm_page *array, vm_paddr_t base, size_t npages)
{
	size_t i;

	KASSERT(vm_page_array == NULL, ("vm_phys_init: called twice"));
	KASSERT(array != NULL && npages > 0,
	    ("vm_phys_init: empty page array"));
	KASSERT((base & PAGE_MASK) == 0,
	    ("vm_phys_init: base %#lx is not page aligned", base));
	for (i = 0; i < npages; i++) {
		array[i].pg_next = NULL;
		array[i].pg_prev = NULL;
		array[i].pg_phys = base + i * PAGE_SIZE;
		array[i].pg_order = VM_ORDER_ALLOC;
		array[i].pg_flags = 0;
		array[i].pg_pad = 0;
		array[i].pg_npages = 0;
		array[i].pg_slab = NULL;
	}
	vm_page_basepfn = base >> PAGE_SHIFT;
	vm_page_npages = npages;
	vm_page_array = array;
}

/*
 * Hand the RAM range [start, end) to the allocator.  Both ends must be
 * page aligned and the range must lie inside the array; adding a frame
 * twice panics.  Adjacent ranges added separately coalesce.  Boot-time,
 * but safe at any time.
 */
void
vm_phys_add_free(vm_paddr_t start, vm_paddr_t end)
{
	uint64_t spfn, epfn, pfn;
	struct vm_page *m;

	KASSERT(vm_page_array != NULL, ("vm_phys_add_free: no page array"));
	KASSERT((start & PAGE_MASK) == 0 && (end & PAGE_MASK) == 0 &&
	    start <= end, ("vm_phys_add_free: bad range [%#lx, %#lx)",
	    start, end));
	spfn = start >> PAGE_SHIFT;
	epfn = end >> PAGE_SHIFT;
	if (spfn == epfn)
		return;
	KASSERT(vm_page_bypfn(spfn) != NULL && vm_page_bypfn(epfn - 1) != NULL,
	    ("vm_phys_add_free: range [%#lx, %#lx) is outside the page array",
	    start, end));

	spin_lock(&vm_phys_lock);
	/*
	 * One pass (boot cost matters under emulation): a frame added twice
	 * panics before the range reaches the free lists.
	 */
	for (pfn = spfn; pfn < epfn; pfn++) {
		m = vm_page_bypfn(pfn);
		KASSERT((m->pg_flags & PG_RAM) == 0,
		    ("vm_phys_add_free: frame %#lx added twice", m->pg_phys));
		vm_page_setflags(m, m->pg_flags | PG_RAM);
	}
	vm_total_pages += epfn - spfn;
	vm_buddy_free_range(spfn, epfn);
	spin_unlock(&vm_phys_lock);
}

/*
 * Allocate one page; NULL when none is free.  flags: VM_ALLOC_ZERO.
 * The page's pg_npages and pg_slab are zero.
 */
struct vm_page *
vm_page_alloc(int flags)
{
	struct vm_page *m;

	spin_lock(&vm_phys_lock);
	m = vm_buddy_alloc(0);
	spin_unlock(&vm_phys_lock);
	if (m != NULL)
		vm_page_prep(m, 1, flags);
	return (m);
}

/*
 * Allocate npages physically contiguous pages; returns the first (the
 * others follow it in the array) or NULL when no free run is large
 * enough, npages is 0, or npages exceeds the largest block (1024 pages).
 * The run comes from the smallest block that holds it, and the unused
 * tail of that block goes straight back to the free lists, so exactly
 * npages pages are taken.  The first frame of the run is aligned to
 * npages rounded up to a power of two.
 */
struct vm_page *
vm_page_alloc_contig(size_t npages, int flags)
{
	struct vm_page *m;
	int order;

	if (npages == 0 || npages > VM_MAXBLOCK)
		return (NULL);
	order = 0;
	while (((size_t)1 << order) < npages)
		order++;

	spin_lock(&vm_phys_lock);
	m = vm_buddy_alloc(order);
	if (m != NULL && npages < ((size_t)1 << order))
		vm_buddy_free_range(vm_page_pfn(m) + npages,
		    vm_page_pfn(m) + ((uint64_t)1 << order));
	spin_unlock(&vm_phys_lock);
	if (m != NULL)
		vm_page_prep(m, npages, flags);
	return (m);
}

/*
 * Free the npages pages starting at m.  They need not have been
 * allocated together, but each must be allocated RAM.  Every page is
 * checked before any is freed, so a panic leaves the lists intact.
 */
void
vm_page_free_contig(struct vm_page *m, size_t npages)
{
	uintptr_t off;
	size_t i, idx;

	off = (uintptr_t)m - (uintptr_t)vm_page_array;
	KASSERT(vm_page_array != NULL && (uintptr_t)m >=
	    (uintptr_t)vm_page_array && off % sizeof(*m) == 0 &&
	    off / sizeof(*m) < vm_page_npages,
	    ("vm_page_free: %p is not a vm_page", m));
	idx = off / sizeof(*m);
	KASSERT(npages > 0 && npages <= vm_page_npages - idx,
	    ("vm_page_free: run of %lu pages at %p runs off the page array",
	    (u_long)npages, m));

	spin_lock(&vm_phys_lock);
	for (i = 0; i < npages; i++) {
		KASSERT((m[i].pg_flags & PG_RAM) != 0,
		    ("vm_page_free: frame %#lx (page %p) is not RAM",
		    m[i].pg_phys, &m[i]));
		KASSERT(m[i].pg_order == VM_ORDER_ALLOC,
		    ("vm_page_free: double free of frame %#lx (page %p)",
		    m[i].pg_phys, &m[i]));
	}
	for (i = 0; i < npages; i++) {
		m[i].pg_npages = 0;
		m[i].pg_slab = NULL;
	}
	vm_buddy_free_range(vm_page_pfn(m), vm_page_pfn(m) + npages);
	spin_unlock(&vm_phys_lock);
}

void
vm_page_free(struct vm_page *m)
{
	vm_page_free_contig(m, 1);
}

/*
 * The vm_page of physical address pa, or NULL if the frame is not RAM
 * handed to vm_phys_add_free() (outside the array, or a hole).  Lock
 * free: see rule (3).
 */
struct vm_page *
PHYS_TO_VM_PAGE(vm_paddr_t pa)
{
	struct vm_page *m;

	if (vm_page_array == NULL)
		return (NULL);
	m = vm_page_bypfn(pa >> PAGE_SHIFT);
	if (m == NULL ||
	    (__atomic_load_n(&m->pg_flags, __ATOMIC_RELAXED) & PG_RAM) == 0)
		return (NULL);
	return (m);
}

/* Pages on the free lists now (exact at the moment of the call). */
size_t
vm_phys_free_count(void)
{
	size_t n;

	spin_lock(&vm_phys_lock);
	n = vm_free_pages;
	spin_unlock(&vm_phys_lock);
	return (n);
}

/* Pages ever handed to vm_phys_add_free(). */
size_t
vm_phys_total_count(void)
{
	size_t n;

	spin_lock(&vm_phys_lock);
	n = vm_total_pages;
	spin_unlock(&vm_phys_lock);
	return (n);
}
