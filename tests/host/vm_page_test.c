/*
 * Host unit tests of the physical page allocator (sys/vm/vm_page.c).
 *
 * The allocator runs on a block of host memory standing in for physical
 * RAM (host_vm_setup).  Every test keeps a model: which frames are RAM
 * and which are allocated.  The key check is canonical(): for a given set
 * of free frames, a buddy allocator that coalesces eagerly has exactly
 * one possible state, and we can count its blocks of each order from the
 * model alone.  Draining the allocator from the top order down
 * (alloc_contig(2^k) until NULL, k = 10 .. 0) must then yield exactly
 * those counts, which proves both that no page was lost or duplicated
 * and that every possible merge happened.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "shim/host_api.h"

#define PGSZ		HOST_PAGE_SIZE
#define NORDER		HOST_VM_NFREEORDER
#define TAGMAGIC	0x7061676554616721ULL

struct model {
	uint64_t	base;		/* physical address of frame 0 */
	size_t		span;		/* frames covered by the array */
	struct vm_page	*array;
	bool		*ram;		/* frame i was added */
	bool		*used;		/* frame i is allocated */
	size_t		nram;
};

struct range {
	size_t		start;		/* frame offsets within the span */
	size_t		end;
};

static void
model_setup(struct model *md, uint64_t base, size_t span,
    const struct range *r, size_t nr, uint64_t seed)
{
	size_t i, j, *order, t;

	md->base = base;
	md->span = span;
	md->array = host_vm_setup(base, span);
	md->ram = calloc(span, sizeof(bool));
	md->used = calloc(span, sizeof(bool));
	ATF_REQUIRE(md->ram != NULL && md->used != NULL);
	md->nram = 0;

	/* Add the ranges in a shuffled order. */
	order = calloc(nr, sizeof(*order));
	ATF_REQUIRE(order != NULL);
	for (i = 0; i < nr; i++)
		order[i] = i;
	for (i = nr; i > 1; i--) {
		j = host_rand(&seed) % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < nr; i++) {
		const struct range *rr = &r[order[i]];

		vm_phys_add_free(base + rr->start * PGSZ, base + rr->end * PGSZ);
		for (j = rr->start; j < rr->end; j++) {
			ATF_REQUIRE(!md->ram[j]);
			md->ram[j] = true;
			md->nram++;
		}
	}
	free(order);
	ATF_REQUIRE_EQ(vm_phys_total_count(), md->nram);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md->nram);
}

static size_t
page_index(const struct model *md, struct vm_page *m)
{
	uint64_t pa = host_vm_page_phys(m);

	ATF_REQUIRE(pa >= md->base && (pa - md->base) % PGSZ == 0);
	ATF_REQUIRE((pa - md->base) / PGSZ < md->span);
	ATF_REQUIRE(host_vm_page_at(md->array, (pa - md->base) / PGSZ) == m);
	return ((pa - md->base) / PGSZ);
}

static bool
frame_free(const struct model *md, uint64_t pfn)
{
	uint64_t bpfn = md->base / PGSZ;

	if (pfn < bpfn || pfn - bpfn >= md->span)
		return (false);
	return (md->ram[pfn - bpfn] && !md->used[pfn - bpfn]);
}

static bool
window_free(const struct model *md, uint64_t pfn, int order)
{
	uint64_t i;

	for (i = 0; i < (1ULL << order); i++) {
		if (!frame_free(md, pfn + i))
			return (false);
	}
	return (true);
}

static void
decompose(const struct model *md, uint64_t pfn, int order, size_t *cnt)
{
	if (window_free(md, pfn, order)) {
		cnt[order]++;
		return;
	}
	if (order > 0) {
		decompose(md, pfn, order - 1, cnt);
		decompose(md, pfn + (1ULL << (order - 1)), order - 1, cnt);
	}
}

/* Blocks per order of the canonical buddy state of the model's free set. */
static void
canonical(const struct model *md, size_t *cnt)
{
	uint64_t top = 1ULL << (NORDER - 1);
	uint64_t pfn, first, last;

	memset(cnt, 0, NORDER * sizeof(*cnt));
	first = (md->base / PGSZ) & ~(top - 1);
	last = md->base / PGSZ + md->span;
	for (pfn = first; pfn < last; pfn += top)
		decompose(md, pfn, NORDER - 1, cnt);
}

/* Is there an aligned, wholly free window of 2^order frames? */
static bool
model_fits(const struct model *md, int order)
{
	uint64_t sz = 1ULL << order, pfn;
	uint64_t first = (md->base / PGSZ) & ~(sz - 1);

	for (pfn = first; pfn < md->base / PGSZ + md->span; pfn += sz) {
		if (window_free(md, pfn, order))
			return (true);
	}
	return (false);
}

/*
 * Drain the allocator from the top order down and compare the block
 * counts with the model's canonical state; then give everything back.
 */
static void
check_canonical(struct model *md)
{
	size_t want[NORDER], got[NORDER], nfree, n, idx;
	struct vm_page **blk;
	int order, k;

	canonical(md, want);
	nfree = vm_phys_free_count();
	n = 0;
	for (order = 0; order < NORDER; order++)
		n += want[order] << order;
	ATF_REQUIRE_EQ(n, nfree);

	blk = calloc(nfree + 1, sizeof(*blk));
	ATF_REQUIRE(blk != NULL);
	n = 0;
	for (order = NORDER - 1; order >= 0; order--) {
		got[order] = 0;
		while ((blk[n] = vm_page_alloc_contig(1UL << order, 0)) !=
		    NULL) {
			idx = page_index(md, blk[n]);
			ATF_REQUIRE_EQ(((md->base / PGSZ) + idx) %
			    (1UL << order), 0);
			n++;
			got[order]++;
		}
		ATF_REQUIRE_EQ_MSG(got[order], want[order],
		    "order %d: %zu blocks, expected %zu", order, got[order],
		    want[order]);
	}
	ATF_REQUIRE_EQ(vm_phys_free_count(), 0);
	ATF_REQUIRE(vm_page_alloc(0) == NULL);
	n = 0;
	for (order = NORDER - 1; order >= 0; order--) {
		for (k = 0; k < (int)want[order]; k++)
			vm_page_free_contig(blk[n++], 1UL << order);
	}
	free(blk);
	ATF_REQUIRE_EQ(vm_phys_free_count(), nfree);
}

static void
tag_pages(const struct model *md, struct vm_page *m, size_t n, uint64_t who)
{
	uint64_t pa, *w;
	size_t i;

	for (i = 0; i < n; i++) {
		pa = host_vm_page_phys(m) + i * PGSZ;
		w = host_dmap(pa);
		w[0] = pa ^ who ^ TAGMAGIC;
		w[PGSZ / 8 - 1] = ~(pa ^ who);
	}
}

static void
check_tags(const struct model *md, struct vm_page *m, size_t n, uint64_t who)
{
	uint64_t pa, *w;
	size_t i;

	for (i = 0; i < n; i++) {
		pa = host_vm_page_phys(m) + i * PGSZ;
		w = host_dmap(pa);
		ATF_REQUIRE_MSG(w[0] == (pa ^ who ^ TAGMAGIC) &&
		    w[PGSZ / 8 - 1] == ~(pa ^ who),
		    "page %#lx was overwritten", (unsigned long)pa);
	}
}

static bool
page_is_zero(uint64_t pa)
{
	const uint64_t *w = host_dmap(pa);
	size_t i;

	for (i = 0; i < PGSZ / 8; i++) {
		if (w[i] != 0)
			return (false);
	}
	return (true);
}

ATF_TC_WITHOUT_HEAD(exhaust_single);
ATF_TC_BODY(exhaust_single, tc)
{
	static const struct range r[] = { { 0, 4096 } };
	struct model md;
	struct vm_page **pages, *m;
	size_t n, i, j, idx;
	uint64_t seed = 0x1234567;

	model_setup(&md, 0x100000, 4096, r, 1, 1);
	check_canonical(&md);

	pages = calloc(md.nram, sizeof(*pages));
	ATF_REQUIRE(pages != NULL);
	n = 0;
	while ((m = vm_page_alloc(0)) != NULL) {
		ATF_REQUIRE(n < md.nram);
		idx = page_index(&md, m);
		ATF_REQUIRE_MSG(md.ram[idx], "page %zu is not RAM", idx);
		ATF_REQUIRE_MSG(!md.used[idx], "page %zu handed out twice",
		    idx);
		md.used[idx] = true;
		pages[n++] = m;
		ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram - n);
	}
	ATF_REQUIRE_EQ(n, md.nram);
	ATF_REQUIRE_EQ(vm_phys_free_count(), 0);
	ATF_REQUIRE(vm_page_alloc(0) == NULL);
	ATF_REQUIRE(vm_page_alloc_contig(1, 0) == NULL);

	/* Free in a random order. */
	for (i = n; i > 1; i--) {
		j = host_rand(&seed) % i;
		m = pages[i - 1];
		pages[i - 1] = pages[j];
		pages[j] = m;
	}
	for (i = 0; i < n; i++) {
		md.used[page_index(&md, pages[i])] = false;
		vm_page_free(pages[i]);
	}
	free(pages);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram);
	ATF_REQUIRE_EQ(vm_phys_total_count(), md.nram);

	/* Fully coalesced: the maximal blocks are all there again. */
	m = vm_page_alloc_contig(HOST_VM_MAXBLOCK, 0);
	ATF_REQUIRE(m != NULL);
	vm_page_free_contig(m, HOST_VM_MAXBLOCK);
	check_canonical(&md);
}

ATF_TC_WITHOUT_HEAD(odd_ranges);
ATF_TC_BODY(odd_ranges, tc)
{
	/* Frame 0 of the span is pfn 7: nothing is naturally aligned. */
	static const struct range r[] = {
		{ 0, 1 }, { 3, 10 }, { 10, 1033 }, { 1033, 1034 },
		{ 1040, 3000 }, { 3001, 3002 }, { 3500, 5999 },
	};
	struct model md;
	struct vm_page *m, **pages;
	size_t i, n, idx;

	model_setup(&md, 7 * PGSZ, 6000, r, sizeof(r) / sizeof(r[0]), 42);

	/* Holes and frames outside the array have no vm_page. */
	for (i = 0; i < md.span; i++) {
		m = PHYS_TO_VM_PAGE(md.base + i * PGSZ + (i % 3) * 1000);
		ATF_REQUIRE_EQ_MSG(m != NULL, md.ram[i], "frame %zu", i);
		if (m != NULL)
			ATF_REQUIRE_EQ(page_index(&md, m), i);
	}
	ATF_REQUIRE(PHYS_TO_VM_PAGE(md.base - PGSZ) == NULL);
	ATF_REQUIRE(PHYS_TO_VM_PAGE(0) == NULL);
	ATF_REQUIRE(PHYS_TO_VM_PAGE(md.base + md.span * PGSZ) == NULL);
	ATF_REQUIRE(PHYS_TO_VM_PAGE(~0ULL) == NULL);

	check_canonical(&md);

	pages = calloc(md.nram, sizeof(*pages));
	ATF_REQUIRE(pages != NULL);
	n = 0;
	while ((m = vm_page_alloc(0)) != NULL) {
		ATF_REQUIRE(n < md.nram);
		idx = page_index(&md, m);
		ATF_REQUIRE(md.ram[idx] && !md.used[idx]);
		md.used[idx] = true;
		pages[n++] = m;
	}
	ATF_REQUIRE_EQ(n, md.nram);
	for (i = 0; i < md.span; i++)
		ATF_REQUIRE_EQ(md.used[i], md.ram[i]);
	/* Free from both ends towards the middle. */
	for (i = 0; i < n / 2; i++) {
		vm_page_free(pages[i]);
		vm_page_free(pages[n - 1 - i]);
	}
	if (n % 2 != 0)
		vm_page_free(pages[n / 2]);
	memset(md.used, 0, md.span * sizeof(bool));
	free(pages);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram);
	check_canonical(&md);
}

static size_t
rand_npages(uint64_t *seed)
{
	uint64_t r = host_rand(seed) % 100;

	if (r < 70)
		return (1 + host_rand(seed) % 8);
	if (r < 95)
		return (9 + host_rand(seed) % 92);
	return (101 + host_rand(seed) % (HOST_VM_MAXBLOCK - 100));
}

struct run {
	struct vm_page	*m;
	size_t		n;
};

ATF_TC_WITHOUT_HEAD(random_contig);
ATF_TC_BODY(random_contig, tc)
{
	static const struct range r[] = { { 0, 700 }, { 750, 2048 } };
	struct model md;
	struct run *live;
	struct vm_page *m;
	size_t nlive, inuse, n, i, idx, k;
	uint64_t seed = 0xfeedface;
	int iter, order, flags;

	model_setup(&md, 0x400000, 2048, r, 2, 7);
	ATF_REQUIRE(vm_page_alloc_contig(0, 0) == NULL);
	ATF_REQUIRE(vm_page_alloc_contig(HOST_VM_MAXBLOCK + 1, 0) == NULL);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram);

	live = calloc(md.nram, sizeof(*live));
	ATF_REQUIRE(live != NULL);
	nlive = 0;
	inuse = 0;
	for (iter = 0; iter < 20000; iter++) {
		if (nlive > 0 && host_rand(&seed) % 2 == 0) {
			k = host_rand(&seed) % nlive;
			check_tags(&md, live[k].m, live[k].n, 0);
			idx = page_index(&md, live[k].m);
			for (i = 0; i < live[k].n; i++)
				md.used[idx + i] = false;
			vm_page_free_contig(live[k].m, live[k].n);
			inuse -= live[k].n;
			live[k] = live[--nlive];
		} else {
			n = rand_npages(&seed);
			flags = host_rand(&seed) % 4 == 0 ?
			    HOST_VM_ALLOC_ZERO : 0;
			for (order = 0; (1UL << order) < n; order++)
				continue;
			m = vm_page_alloc_contig(n, flags);
			if (m == NULL) {
				ATF_REQUIRE_MSG(!model_fits(&md, order),
				    "alloc_contig(%zu) failed but a free "
				    "block of order %d exists", n, order);
				continue;
			}
			idx = page_index(&md, m);
			ATF_REQUIRE_EQ((md.base / PGSZ + idx) % (1UL << order),
			    0);
			ATF_REQUIRE(idx + n <= md.span);
			for (i = 0; i < n; i++) {
				ATF_REQUIRE_MSG(md.ram[idx + i] &&
				    !md.used[idx + i],
				    "frame %zu of a %zu-page run is not free "
				    "RAM", idx + i, n);
				md.used[idx + i] = true;
				if (flags != 0)
					ATF_REQUIRE(page_is_zero(
					    host_vm_page_phys(m) + i * PGSZ));
			}
			tag_pages(&md, m, n, 0);
			live[nlive].m = m;
			live[nlive].n = n;
			nlive++;
			inuse += n;
		}
		ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram - inuse);
	}
	/* What is free now must be in canonical form too. */
	check_canonical(&md);
	for (k = 0; k < nlive; k++) {
		check_tags(&md, live[k].m, live[k].n, 0);
		idx = page_index(&md, live[k].m);
		for (i = 0; i < live[k].n; i++)
			md.used[idx + i] = false;
		vm_page_free_contig(live[k].m, live[k].n);
	}
	free(live);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram);
	check_canonical(&md);
}

ATF_TC_WITHOUT_HEAD(contig_exact);
ATF_TC_BODY(contig_exact, tc)
{
	static const struct range r[] = { { 0, 64 } };
	struct model md;
	struct vm_page *a, *b, *c;

	/* 64 aligned frames: one order-6 block. */
	model_setup(&md, 64 * PGSZ, 64, r, 1, 3);
	/* 5 pages come from an 8-page block; the other 3 stay free. */
	a = vm_page_alloc_contig(5, 0);
	ATF_REQUIRE(a != NULL);
	ATF_REQUIRE_EQ(vm_phys_free_count(), 59);
	/* The 3 tail frames serve a 2-page and a 1-page request. */
	b = vm_page_alloc_contig(2, 0);
	c = vm_page_alloc(0);
	ATF_REQUIRE(b != NULL && c != NULL);
	ATF_REQUIRE_EQ(page_index(&md, b), page_index(&md, a) + 6);
	ATF_REQUIRE_EQ(page_index(&md, c), page_index(&md, a) + 5);
	ATF_REQUIRE_EQ(vm_phys_free_count(), 56);
	/* Pages need not be freed as they were allocated. */
	vm_page_free_contig(host_vm_page_at(md.array, page_index(&md, a) + 1),
	    7);
	vm_page_free(a);
	ATF_REQUIRE_EQ(vm_phys_free_count(), 64);
	a = vm_page_alloc_contig(64, 0);
	ATF_REQUIRE(a != NULL);
	ATF_REQUIRE(vm_page_alloc(0) == NULL);
	vm_page_free_contig(a, 64);
	check_canonical(&md);
}

ATF_TC_WITHOUT_HEAD(zero_flag);
ATF_TC_BODY(zero_flag, tc)
{
	static const struct range r[] = { { 0, 256 } };
	struct model md;
	struct vm_page *m;
	size_t i;

	/* host_vm_setup fills RAM with 0xa5. */
	model_setup(&md, 0x200000, 256, r, 1, 5);
	m = vm_page_alloc(HOST_VM_ALLOC_ZERO);
	ATF_REQUIRE(m != NULL);
	ATF_REQUIRE(page_is_zero(host_vm_page_phys(m)));
	memset(host_dmap(host_vm_page_phys(m)), 0x5a, PGSZ);
	vm_page_free(m);
	m = vm_page_alloc_contig(13, HOST_VM_ALLOC_ZERO);
	ATF_REQUIRE(m != NULL);
	for (i = 0; i < 13; i++)
		ATF_REQUIRE(page_is_zero(host_vm_page_phys(m) + i * PGSZ));
	vm_page_free_contig(m, 13);
	ATF_REQUIRE_EQ(vm_phys_free_count(), 256);
}

/*
 * Misuse must panic, each kind with its own message.
 */

static struct model pmd;

static void
panic_setup(void)
{
	static const struct range r[] = { { 0, 100 }, { 120, 256 } };

	model_setup(&pmd, 0x300000, 256, r, 2, 9);
}

static void
do_double_free(void *arg)
{
	struct vm_page *m = vm_page_alloc(0);

	vm_page_free(m);
	vm_page_free(m);
}

static void
do_double_free_merged(void *arg)
{
	struct vm_page *m = vm_page_alloc_contig(2, 0);

	vm_page_free_contig(m, 2);
	/* The second page is inside a merged block, not a block head. */
	vm_page_free(host_vm_page_at(pmd.array, page_index(&pmd, m) + 1));
}

static void
do_double_free_run(void *arg)
{
	struct vm_page *m = vm_page_alloc_contig(8, 0);

	vm_page_free(host_vm_page_at(pmd.array, page_index(&pmd, m) + 5));
	vm_page_free_contig(m, 8);
}

static void
do_free_hole(void *arg)
{
	vm_page_free(host_vm_page_at(pmd.array, 110));
}

static void
do_free_bogus(void *arg)
{
	vm_page_free((struct vm_page *)((char *)host_vm_page_at(pmd.array,
	    3) + 1));
}

static void
do_free_outside(void *arg)
{
	static char junk[64];

	vm_page_free((struct vm_page *)junk);
}

static void
do_add_twice(void *arg)
{
	vm_phys_add_free(pmd.base + 90 * PGSZ, pmd.base + 110 * PGSZ);
}

ATF_TC_WITHOUT_HEAD(misuse_panics);
ATF_TC_BODY(misuse_panics, tc)
{
	panic_setup();
	host_expect_panic(do_double_free, NULL, "double free");
	host_expect_panic(do_double_free_merged, NULL, "double free");
	host_expect_panic(do_double_free_run, NULL, "double free");
	host_expect_panic(do_free_hole, NULL, "is not RAM");
	host_expect_panic(do_free_bogus, NULL, "is not a vm_page");
	host_expect_panic(do_free_outside, NULL, "is not a vm_page");
	host_expect_panic(do_add_twice, NULL, "added twice");
	/* The parent's allocator is untouched. */
	ATF_REQUIRE_EQ(vm_phys_free_count(), pmd.nram);
	check_canonical(&pmd);
}

/*
 * Four threads, four "CPUs", allocating and freeing tagged runs at once.
 */

#define SMP_NCPU	4
#define SMP_ITERS	20000

struct smp_arg {
	struct model	*md;
	int		cpu;
	uint64_t	seed;
	size_t		failures;
};

static pthread_barrier_t smp_barrier;

static void *
smp_worker(void *p)
{
	struct smp_arg *a = p;
	struct run live[64];
	size_t nlive = 0, n, k;
	uint64_t who = (uint64_t)(a->cpu + 1) << 56;
	struct vm_page *m;
	int i;

	host_cpu_attach(a->cpu);
	pthread_barrier_wait(&smp_barrier);
	for (i = 0; i < SMP_ITERS; i++) {
		if (nlive == 64 || (nlive > 0 && host_rand(&a->seed) % 2)) {
			k = host_rand(&a->seed) % nlive;
			check_tags(a->md, live[k].m, live[k].n, who);
			vm_page_free_contig(live[k].m, live[k].n);
			live[k] = live[--nlive];
		} else {
			n = 1 + host_rand(&a->seed) % 16;
			m = vm_page_alloc_contig(n, 0);
			if (m == NULL) {
				a->failures++;
				continue;
			}
			tag_pages(a->md, m, n, who);
			live[nlive].m = m;
			live[nlive].n = n;
			nlive++;
		}
		ATF_REQUIRE_EQ(host_crit_count(), 0);
	}
	for (k = 0; k < nlive; k++) {
		check_tags(a->md, live[k].m, live[k].n, who);
		vm_page_free_contig(live[k].m, live[k].n);
	}
	return (NULL);
}

ATF_TC_WITHOUT_HEAD(smp_stress);
ATF_TC_BODY(smp_stress, tc)
{
	static const struct range r[] = { { 0, 3000 } };
	struct smp_arg args[SMP_NCPU];
	pthread_t td[SMP_NCPU];
	struct model md;
	int i;

	model_setup(&md, 0x1000000, 3000, r, 1, 11);
	host_set_ncpus(SMP_NCPU);
	ATF_REQUIRE(pthread_barrier_init(&smp_barrier, NULL, SMP_NCPU) == 0);
	for (i = 0; i < SMP_NCPU; i++) {
		args[i].md = &md;
		args[i].cpu = i;
		args[i].seed = 0x9e3779b97f4a7c15ULL * (i + 1);
		args[i].failures = 0;
		ATF_REQUIRE(pthread_create(&td[i], NULL, smp_worker,
		    &args[i]) == 0);
	}
	for (i = 0; i < SMP_NCPU; i++)
		ATF_REQUIRE(pthread_join(td[i], NULL) == 0);
	pthread_barrier_destroy(&smp_barrier);
	host_cpu_attach(0);
	ATF_REQUIRE_EQ(vm_phys_free_count(), md.nram);
	check_canonical(&md);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exhaust_single);
	ATF_TP_ADD_TC(tp, odd_ranges);
	ATF_TP_ADD_TC(tp, random_contig);
	ATF_TP_ADD_TC(tp, contig_exact);
	ATF_TP_ADD_TC(tp, zero_flag);
	ATF_TP_ADD_TC(tp, misuse_panics);
	ATF_TP_ADD_TC(tp, smp_stress);
	return (atf_no_error());
}
