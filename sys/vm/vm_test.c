/*
 * In-kernel tests of the physical page allocator and kmalloc.
 *
 * These run on the real machine state, after boot, so unlike the host
 * unit tests (tests/host) they see the real memory map, the real direct
 * map and real CPUs.  They deliberately exhaust memory: nothing else may
 * be allocating while they run (the harness runs one test per boot, and
 * the other CPUs are idle or running our own code).
 *
 *   vm_page_exhaust	every free page handed out exactly once, then
 *			all returned with the free count exact
 *   kmalloc_allcpu	every CPU allocates, checks and frees at once,
 *			trading objects so that frees cross CPUs
 *   kmalloc_exhaust	kmalloc fails cleanly when memory runs out and
 *			works again once memory is freed
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/smp.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <vm/vm_page.h>

MALLOC_DEFINE(M_VMTEST, "vmtest", "vm_test.c objects");

#define VT_NOPA		((vm_paddr_t)-1)
#define VT_BITSPERPAGE	(PAGE_SIZE * 8)

static uint64_t
vt_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (x);
}

/*
 * Allocation records are chained through the first two words of the
 * memory they describe: the physical address of the previous record and
 * the number of pages.
 */
struct vt_link {
	vm_paddr_t	vl_prev;
	size_t		vl_npages;
};

static void
vt_push(vm_paddr_t *head, struct vm_page *m, size_t npages)
{
	struct vt_link *l;

	l = (struct vt_link *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	l->vl_prev = *head;
	l->vl_npages = npages;
	*head = VM_PAGE_TO_PHYS(m);
}

/* Free a chain built by vt_push(); returns the number of pages freed. */
static size_t
vt_free_chain(vm_paddr_t head)
{
	struct vt_link *l;
	struct vm_page *m;
	size_t n, np;

	n = 0;
	while (head != VT_NOPA) {
		l = (struct vt_link *)PHYS_TO_DMAP(head);
		m = PHYS_TO_VM_PAGE(head);
		if (m == NULL) {
			KT_CHECK(m != NULL);
			break;
		}
		head = l->vl_prev;
		np = l->vl_npages;
		vm_page_free_contig(m, np);
		n += np;
	}
	return (n);
}

/*
 * Take all free memory in the largest blocks there are (cheap: one
 * allocation per buddy block) and report the physical span it covers.
 */
static size_t
vt_take_blocks(vm_paddr_t *head, vm_paddr_t *lo, vm_paddr_t *hi)
{
	struct vm_page *m;
	size_t n, np;
	int order;

	n = 0;
	*head = VT_NOPA;
	*lo = VT_NOPA;
	*hi = 0;
	for (order = VM_NFREEORDER - 1; order >= 0; order--) {
		np = (size_t)1 << order;
		while ((m = vm_page_alloc_contig(np, 0)) != NULL) {
			KT_CHECK((VM_PAGE_TO_PHYS(m) & (np * PAGE_SIZE - 1)) ==
			    0);
			*lo = MIN(*lo, VM_PAGE_TO_PHYS(m));
			*hi = MAX(*hi, VM_PAGE_TO_PHYS(m) + (np - 1) * PAGE_SIZE);
			vt_push(head, m, np);
			n += np;
		}
	}
	return (n);
}

/*
 * Take all free memory one page at a time, marking each page in bitmap
 * (bit (pa - lo) / PAGE_SIZE); counts pages seen twice or outside the
 * span in *bad.
 */
static size_t
vt_take_pages(vm_paddr_t *head, vm_paddr_t lo, uint8_t *bitmap,
    size_t nbits, size_t *bad)
{
	struct vm_page *m;
	vm_paddr_t pa;
	size_t n, bit;

	n = 0;
	*head = VT_NOPA;
	while ((m = vm_page_alloc(0)) != NULL) {
		pa = VM_PAGE_TO_PHYS(m);
		bit = (pa - lo) / PAGE_SIZE;
		if (pa < lo || bit >= nbits ||
		    (bitmap[bit / 8] & (1 << (bit % 8))) != 0)
			(*bad)++;
		else
			bitmap[bit / 8] |= 1 << (bit % 8);
		vt_push(head, m, 1);
		n++;
	}
	return (n);
}

/*
 * 180 s rather than KTEST's 60: under the nested KVM of our CI machines
 * every guest memory access is slow, and this test makes some 10^7.
 */
KTEST_DEFINE(vm_page_exhaust, "1", 0, 180, "allocate every free page once, "
    "none twice, free all, free count exact")
{
	vm_paddr_t head, lo, hi;
	size_t start, n, nbits, bad;
	struct vm_page *big;
	uint8_t *bitmap;
	bool hadbig;

	start = vm_phys_free_count();
	ktest_log("%lu of %lu pages free", (u_long)start,
	    (u_long)vm_phys_total_count());
	KT_ASSERT(start > 0);
	big = vm_page_alloc_contig(1 << (VM_NFREEORDER - 1), 0);
	hadbig = big != NULL;
	if (big != NULL)
		vm_page_free_contig(big, 1 << (VM_NFREEORDER - 1));

	/* Pass 1: take everything in blocks, learn the physical span. */
	n = vt_take_blocks(&head, &lo, &hi);
	KT_CHECK(n == start);
	KT_CHECK(vm_phys_free_count() == 0);
	KT_CHECK(vm_page_alloc(0) == NULL);
	KT_CHECK(vm_page_alloc_contig(1, 0) == NULL);
	KT_CHECK(vt_free_chain(head) == n);
	KT_ASSERT_EQ(vm_phys_free_count(), start);

	/* Pass 2: take everything page by page, with a bitmap. */
	nbits = (hi - lo) / PAGE_SIZE + 1;
	bitmap = kmalloc(MAX(howmany(nbits, 8), 2 * PAGE_SIZE), M_VMTEST,
	    M_ZERO);
	KT_ASSERT(bitmap != NULL);
	start = vm_phys_free_count();
	bad = 0;
	n = vt_take_pages(&head, lo, bitmap, nbits, &bad);
	ktest_log("%lu pages in [%#lx, %#lx], %lu handed out twice or "
	    "out of range", (u_long)n, lo, hi, (u_long)bad);
	KT_CHECK(bad == 0);
	KT_CHECK(n == start);
	KT_CHECK(vm_phys_free_count() == 0);
	KT_CHECK(vt_free_chain(head) == n);
	KT_CHECK(vm_phys_free_count() == start);
	kfree(bitmap, M_VMTEST);

	/* Fully coalesced again: a maximal block is there if it was. */
	if (hadbig) {
		big = vm_page_alloc_contig(1 << (VM_NFREEORDER - 1), 0);
		KT_CHECK(big != NULL);
		if (big != NULL)
			vm_page_free_contig(big, 1 << (VM_NFREEORDER - 1));
	}
}

/*
 * kmalloc on every CPU at once.
 */

#define KA_ITERS	10000	/* at most, per CPU */
#define KA_MINITERS	1000	/* at least, per CPU */
#define KA_BUDGET_NS	1500000000UL	/* stop early past this */
#define KA_NLOCAL	32
#define KA_NSHARED	64
#define KA_MAXSMALL	2048

struct ka_obj {
	uint32_t	size;		/* bytes requested */
	uint32_t	cpu;		/* allocating CPU */
	uint64_t	seed;		/* pattern of the bytes after this */
};

static struct ka_obj	*ka_shared[KA_NSHARED];	/* [a] parked objects */
static int		ka_traded;		/* [a] cross-CPU receipts */
static int		ka_corrupt;		/* [a] bad patterns seen */

/*
 * The pattern: one word per 64 bytes of the object, and its last word,
 * each a function of the seed and its offset.  Sparse on purpose: every
 * cache line of the object is checked, at a cost that stays low even
 * where memory accesses are slow (nested virtualization).
 */
#define KA_STRIDE	64

static inline uint64_t
ka_word(struct ka_obj *o, size_t off)
{
	return (o->seed ^ (off * 0x9e3779b97f4a7c15ULL));
}

static void
ka_fill(struct ka_obj *o)
{
	size_t off;

	for (off = KA_STRIDE; off + 8 <= o->size; off += KA_STRIDE)
		*(uint64_t *)((char *)o + off) = ka_word(o, off);
	off = rounddown2(o->size, 8) - 8;
	if (off >= sizeof(*o))
		*(uint64_t *)((char *)o + off) = ka_word(o, off);
}

static bool
ka_intact(struct ka_obj *o)
{
	size_t off;

	if (o->size < sizeof(*o) || o->size > KA_MAXSMALL + 9000)
		return (false);
	for (off = KA_STRIDE; off + 8 <= o->size; off += KA_STRIDE) {
		if (*(uint64_t *)((char *)o + off) != ka_word(o, off))
			return (false);
	}
	off = rounddown2(o->size, 8) - 8;
	if (off >= sizeof(*o) && *(uint64_t *)((char *)o + off) !=
	    ka_word(o, off))
		return (false);
	return (true);
}

/* Check and free; a corrupt object is reported and leaked. */
static void
ka_release(struct ka_obj *o)
{
	if (!ka_intact(o)) {
		if (__atomic_fetch_add(&ka_corrupt, 1, __ATOMIC_RELAXED) == 0)
			ktest_fail(__FILE__, __LINE__,
			    "cpu %d: object %p corrupt", mycpuid, o);
		return;
	}
	kfree(o, M_VMTEST);
}

static void
ka_worker(void *arg)
{
	struct ka_obj *local[KA_NLOCAL], *o;
	uint64_t end;
	uint64_t seed, r;
	size_t size;
	int i, k;

	seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(mycpuid + 1);
	for (k = 0; k < KA_NLOCAL; k++)
		local[k] = NULL;
	end = nanouptime() + KA_BUDGET_NS;
	for (i = 0; i < KA_ITERS; i++) {
		/* Under emulated KVM the full count would take minutes. */
		if (i >= KA_MINITERS && (i & 63) == 0 && nanouptime() > end)
			break;
		k = vt_rand(&seed) % KA_NLOCAL;
		r = vt_rand(&seed) % 10;
		if (local[k] == NULL && r < 6) {
			if (vt_rand(&seed) % 8 == 0)
				size = KA_MAXSMALL + 1 + vt_rand(&seed) % 9000;
			else
				size = vt_rand(&seed) % (KA_MAXSMALL + 1);
			size = MAX(size, sizeof(*o));
			o = kmalloc(size, M_VMTEST, 0);
			if (o == NULL) {
				KT_CHECK(o != NULL);
				continue;
			}
			KT_CHECK(((uintptr_t)o & 15) == 0);
			o->size = size;
			o->cpu = mycpuid;
			o->seed = vt_rand(&seed) | 1;
			ka_fill(o);
			local[k] = o;
		} else if (local[k] != NULL && r < 8) {
			ka_release(local[k]);
			local[k] = NULL;
		} else {
			o = __atomic_exchange_n(&ka_shared[vt_rand(&seed) %
			    KA_NSHARED], local[k], __ATOMIC_ACQ_REL);
			if (o != NULL && o->cpu != (uint32_t)mycpuid)
				__atomic_fetch_add(&ka_traded, 1,
				    __ATOMIC_RELAXED);
			local[k] = o;
		}
	}
	for (k = 0; k < KA_NLOCAL; k++) {
		if (local[k] != NULL)
			ka_release(local[k]);
	}
}

KTEST_SMP(kmalloc_allcpu, "1,4", "kmalloc and kfree of mixed sizes on "
    "every CPU at once, objects traded across CPUs, stats back to baseline")
{
	int64_t in0, mem0, in1, mem1;
	int i;

	kmalloc_type_stats(M_VMTEST, &in0, &mem0);
	ka_traded = 0;
	ka_corrupt = 0;
	smp_call_all(ka_worker, NULL);
	for (i = 0; i < KA_NSHARED; i++) {
		if (ka_shared[i] != NULL)
			ka_release(ka_shared[i]);
		ka_shared[i] = NULL;
	}
	kmalloc_type_stats(M_VMTEST, &in1, &mem1);
	ktest_log("%d CPUs, %d objects freed by another CPU, %d corrupt",
	    ncpus, ka_traded, ka_corrupt);
	KT_CHECK(ka_corrupt == 0);
	if (ncpus > 1)
		KT_CHECK(ka_traded > 0);
	KT_ASSERT_EQ(in1, in0);
	KT_ASSERT_EQ(mem1, mem0);
}

/*
 * Exhaustion.  Chunks are chained through their first word.
 */

#define KE_CHUNK	(256 * 1024)
#define KE_SMALL	200

static size_t
ke_fill(size_t size, void **headp)
{
	void *p, *head;
	size_t n;

	head = NULL;
	n = 0;
	while ((p = kmalloc(size, M_VMTEST, 0)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	*headp = head;
	return (n);
}

static void
ke_drain(void *head)
{
	void *next;

	while (head != NULL) {
		next = *(void **)head;
		kfree(head, M_VMTEST);
		head = next;
	}
}

KTEST(kmalloc_exhaust, "kmalloc until it fails (no panic), free, "
    "allocate again")
{
	int64_t in0, mem0, in1, mem1;
	size_t nbig, nsmall, nbig2, freepg;
	void *big, *small, *p;

	kmalloc_type_stats(M_VMTEST, &in0, &mem0);
	freepg = vm_phys_free_count();

	/* Large chunks, then small objects in what is left. */
	nbig = ke_fill(KE_CHUNK, &big);
	nsmall = ke_fill(KE_SMALL, &small);
	ktest_log("%lu pages were free; %lu chunks of %d KiB and %lu "
	    "objects of %d bytes fit; %lu pages left", (u_long)freepg,
	    (u_long)nbig, KE_CHUNK / 1024, (u_long)nsmall, KE_SMALL,
	    (u_long)vm_phys_free_count());
	KT_CHECK(nbig > 0);
	KT_CHECK(kmalloc(KE_CHUNK, M_VMTEST, 0) == NULL);
	KT_CHECK(kmalloc(KE_SMALL, M_VMTEST, M_ZERO) == NULL);
	kmalloc_type_stats(M_VMTEST, &in1, &mem1);
	KT_CHECK(in1 - in0 == (int64_t)(nbig + nsmall));

	ke_drain(small);
	ke_drain(big);
	kmalloc_type_stats(M_VMTEST, &in1, &mem1);
	KT_CHECK(in1 == in0 && mem1 == mem0);

	/* Memory is usable again, at the same sizes. */
	p = kmalloc(KE_CHUNK, M_VMTEST, M_ZERO);
	KT_CHECK(p != NULL);
	kfree(p, M_VMTEST);
	p = kmalloc(KE_SMALL, M_VMTEST, 0);
	KT_CHECK(p != NULL);
	kfree(p, M_VMTEST);
	nbig2 = ke_fill(KE_CHUNK, &big);
	ktest_log("after freeing: %lu chunks fit again", (u_long)nbig2);
	KT_CHECK(nbig2 >= nbig);
	ke_drain(big);
	kmalloc_type_stats(M_VMTEST, &in1, &mem1);
	KT_ASSERT_EQ(in1, in0);
	KT_ASSERT_EQ(mem1, mem0);
}
