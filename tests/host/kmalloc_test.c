/*
 * Host unit tests of the kernel memory allocator (sys/vm/kern_malloc.c),
 * running on top of the real page allocator on a block of host memory.
 *
 * Every object a test allocates is filled with a pattern derived from a
 * per-object seed and checked before it is freed, so an allocator that
 * handed out overlapping memory, or wrote into live objects, fails the
 * test.  Accounting is checked object by object: each kmalloc must move
 * its type's counters by one object and by a byte count that covers the
 * request, and each kfree must move them back by the same amounts.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "shim/host_api.h"

#define PGSZ		HOST_PAGE_SIZE
#define MAXSMALL	2048		/* largest slab class */
#define MAXLARGE	(HOST_VM_MAXBLOCK * PGSZ)
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static size_t	km_npages;

static void
km_setup(uint64_t base, size_t npages)
{
	host_vm_setup(base, npages);
	vm_phys_add_free(base, base + npages * PGSZ);
	kmalloc_init();
	km_npages = npages;
}

static void
stats(int t, int64_t *inuse, int64_t *memuse)
{
	kmalloc_type_stats(host_mtype(t), inuse, memuse);
}

static void
fill(void *p, size_t size, uint64_t seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < size; i++)
		c[i] = (unsigned char)((seed >> ((i % 8) * 8)) + i / 8);
}

static void
check(const void *p, size_t size, uint64_t seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < size; i++) {
		ATF_REQUIRE_MSG(c[i] == (unsigned char)((seed >>
		    ((i % 8) * 8)) + i / 8),
		    "object %p (%zu bytes) corrupt at byte %zu", p, size, i);
	}
}

static bool
all_zero(const void *p, size_t size)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < size; i++) {
		if (c[i] != 0)
			return (false);
	}
	return (true);
}

static size_t
rand_size(uint64_t *seed)
{
	uint64_t r = host_rand(seed) % 100;

	if (r < 60)
		return (host_rand(seed) % 257);
	if (r < 85)
		return (257 + host_rand(seed) % (MAXSMALL - 256));
	if (r < 97)
		return (MAXSMALL + 1 + host_rand(seed) % 20000);
	return (20000 + host_rand(seed) % 200000);
}

static void
check_align(void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;

	ATF_REQUIRE_MSG(a % 16 == 0, "kmalloc(%zu) = %p: not 16-aligned",
	    size, p);
	if (size > MAXSMALL)
		ATF_REQUIRE_MSG(a % PGSZ == 0,
		    "kmalloc(%zu) = %p: not page aligned", size, p);
	if (size >= 16 && size <= MAXSMALL && (size & (size - 1)) == 0)
		ATF_REQUIRE_MSG(a % size == 0,
		    "kmalloc(%zu) = %p: not naturally aligned", size, p);
}

/*
 * The accounted size of a request: what kmalloc's counters moved by.  It
 * must cover the request, keep 16-byte granularity, waste at most half
 * (a small object) or be whole pages (a large one).
 */
static void
check_charge(size_t size, int64_t din, int64_t dmem)
{
	ATF_REQUIRE_EQ(din, 1);
	ATF_REQUIRE_MSG(dmem >= (int64_t)size && dmem % 16 == 0,
	    "kmalloc(%zu) charged %lld bytes", size, (long long)dmem);
	if (size <= MAXSMALL)
		ATF_REQUIRE(dmem <= (int64_t)(size < 16 ? 16 : 2 * size));
	else
		ATF_REQUIRE_EQ(dmem, (int64_t)((size + PGSZ - 1) / PGSZ * PGSZ));
}

struct slot {
	void		*p;
	size_t		size;
	uint64_t	seed;
	int64_t		charge;
	int		type;
};

ATF_TC_WITHOUT_HEAD(random_mixed);
ATF_TC_BODY(random_mixed, tc)
{
	enum { NSLOT = 2000, NITER = 60000 };
	struct slot *s, *sl;
	int64_t in0, mem0, in1, mem1, live[4], bytes[4];
	uint64_t seed = 0x243f6a8885a308d3ULL;
	size_t nfail = 0;
	int i, t;

	km_setup(0x1000000, 8192);
	s = calloc(NSLOT, sizeof(*s));
	ATF_REQUIRE(s != NULL);
	memset(live, 0, sizeof(live));
	memset(bytes, 0, sizeof(bytes));
	for (i = 0; i < NITER; i++) {
		sl = &s[host_rand(&seed) % NSLOT];
		if (sl->p != NULL) {
			check(sl->p, sl->size, sl->seed);
			stats(sl->type, &in0, &mem0);
			kfree(sl->p, host_mtype(sl->type));
			stats(sl->type, &in1, &mem1);
			ATF_REQUIRE_EQ(in0 - in1, 1);
			ATF_REQUIRE_EQ(mem0 - mem1, sl->charge);
			live[sl->type]--;
			bytes[sl->type] -= sl->charge;
			sl->p = NULL;
		} else {
			int zero = host_rand(&seed) % 5 == 0;

			sl->size = rand_size(&seed);
			sl->seed = host_rand(&seed);
			sl->type = host_rand(&seed) % 4;
			stats(sl->type, &in0, &mem0);
			sl->p = kmalloc(sl->size, host_mtype(sl->type),
			    zero ? HOST_M_ZERO : HOST_M_NOWAIT);
			stats(sl->type, &in1, &mem1);
			if (sl->p == NULL) {
				/* 32 MiB is plenty: only huge runs may fail. */
				ATF_REQUIRE(sl->size > 100000);
				ATF_REQUIRE(in1 == in0 && mem1 == mem0);
				nfail++;
				continue;
			}
			check_align(sl->p, sl->size);
			check_charge(sl->size, in1 - in0, mem1 - mem0);
			sl->charge = mem1 - mem0;
			if (zero)
				ATF_REQUIRE(all_zero(sl->p, sl->size));
			fill(sl->p, sl->size, sl->seed);
			live[sl->type]++;
			bytes[sl->type] += sl->charge;
		}
		ATF_REQUIRE_EQ(host_crit_count(), 0);
		if (i % 1000 == 0) {
			for (t = 0; t < 4; t++) {
				stats(t, &in0, &mem0);
				ATF_REQUIRE_EQ(in0, live[t]);
				ATF_REQUIRE_EQ(mem0, bytes[t]);
			}
		}
	}
	for (i = 0; i < NSLOT; i++) {
		if (s[i].p != NULL) {
			check(s[i].p, s[i].size, s[i].seed);
			kfree(s[i].p, host_mtype(s[i].type));
		}
	}
	free(s);
	for (t = 0; t < 4; t++) {
		stats(t, &in0, &mem0);
		ATF_REQUIRE_EQ(in0, 0);
		ATF_REQUIRE_EQ(mem0, 0);
	}
	stats(-1, &in0, &mem0);
	ATF_REQUIRE(in0 == 0 && mem0 == 0);
	ATF_REQUIRE(nfail < NITER / 100);
}

ATF_TC_WITHOUT_HEAD(every_size);
ATF_TC_BODY(every_size, tc)
{
	enum { MAXSZ = 4200 };
	void **p;
	int64_t in, mem;
	size_t sz;

	km_setup(0x1000000, 8192);
	p = calloc(MAXSZ + 1, sizeof(*p));
	ATF_REQUIRE(p != NULL);
	for (sz = 0; sz <= MAXSZ; sz++) {
		p[sz] = kmalloc(sz, host_mtype(0), 0);
		ATF_REQUIRE_MSG(p[sz] != NULL, "kmalloc(%zu) failed", sz);
		check_align(p[sz], sz);
		fill(p[sz], sz, sz * 0x0101010101010101ULL + 7);
	}
	stats(0, &in, &mem);
	ATF_REQUIRE_EQ(in, MAXSZ + 1);
	for (sz = 0; sz <= MAXSZ; sz++) {
		check(p[sz], sz, sz * 0x0101010101010101ULL + 7);
		kfree(p[sz], host_mtype(0));
	}
	free(p);
	stats(0, &in, &mem);
	ATF_REQUIRE(in == 0 && mem == 0);
}

ATF_TC_WITHOUT_HEAD(zero_size);
ATF_TC_BODY(zero_size, tc)
{
	int64_t in, mem;
	void *a, *b;

	km_setup(0x100000, 64);
	a = kmalloc(0, host_mtype(1), 0);
	b = kmalloc(0, host_mtype(1), HOST_M_ZERO);
	ATF_REQUIRE(a != NULL && b != NULL && a != b);
	check_align(a, 0);
	check_align(b, 0);
	stats(1, &in, &mem);
	ATF_REQUIRE_EQ(in, 2);
	ATF_REQUIRE_EQ(mem, 32);
	kfree(a, host_mtype(1));
	kfree(b, host_mtype(1));
	kfree(NULL, host_mtype(1));
	stats(1, &in, &mem);
	ATF_REQUIRE(in == 0 && mem == 0);
}

ATF_TC_WITHOUT_HEAD(zero_flag);
ATF_TC_BODY(zero_flag, tc)
{
	static const size_t sizes[] = {
		1, 8, 16, 17, 40, 64, 100, 200, 300, 500, 700, 1000, 2000,
		2048, 2049, 3 * 4096 + 5, 40000,
	};
	void *p[nitems(sizes)];
	size_t i, n = nitems(sizes);

	km_setup(0x100000, 512);
	/* Dirty objects of every class, free them, then ask for zeroes. */
	for (i = 0; i < n; i++) {
		p[i] = kmalloc(sizes[i], host_mtype(0), 0);
		ATF_REQUIRE(p[i] != NULL);
		memset(p[i], 0xff, sizes[i]);
	}
	for (i = 0; i < n; i++)
		kfree(p[i], host_mtype(0));
	for (i = 0; i < n; i++) {
		p[i] = kmalloc(sizes[i], host_mtype(0), HOST_M_ZERO);
		ATF_REQUIRE(p[i] != NULL);
		ATF_REQUIRE_MSG(all_zero(p[i], sizes[i]),
		    "kmalloc(%zu, M_ZERO) is not zeroed", sizes[i]);
	}
	for (i = 0; i < n; i++)
		kfree(p[i], host_mtype(0));
}

ATF_TC_WITHOUT_HEAD(large);
ATF_TC_BODY(large, tc)
{
	static const size_t sizes[] = {
		MAXSMALL + 1, 4096, 4097, 65536, 1 << 20, MAXLARGE - 1,
		MAXLARGE,
	};
	size_t i, free0, want;
	int64_t in, mem;
	unsigned char *p;

	km_setup(0x400000, 2048);
	free0 = vm_phys_free_count();
	ATF_REQUIRE_EQ(free0, 2048);
	for (i = 0; i < nitems(sizes); i++) {
		p = kmalloc(sizes[i], host_mtype(2), 0);
		ATF_REQUIRE_MSG(p != NULL, "kmalloc(%zu) failed", sizes[i]);
		check_align(p, sizes[i]);
		want = (sizes[i] + PGSZ - 1) / PGSZ;
		ATF_REQUIRE_EQ(vm_phys_free_count(), free0 - want);
		stats(2, &in, &mem);
		ATF_REQUIRE_EQ(in, 1);
		ATF_REQUIRE_EQ(mem, (int64_t)(want * PGSZ));
		p[0] = 1;
		p[sizes[i] - 1] = 2;
		kfree(p, host_mtype(2));
		ATF_REQUIRE_EQ(vm_phys_free_count(), free0);
	}
	ATF_REQUIRE(kmalloc(MAXLARGE + 1, host_mtype(2), 0) == NULL);
	ATF_REQUIRE(kmalloc((size_t)1 << 40, host_mtype(2), 0) == NULL);
	ATF_REQUIRE(kmalloc(SIZE_MAX, host_mtype(2), 0) == NULL);
	ATF_REQUIRE(kmalloc(SIZE_MAX - PGSZ + 2, host_mtype(2), 0) == NULL);
	stats(2, &in, &mem);
	ATF_REQUIRE(in == 0 && mem == 0);
	ATF_REQUIRE_EQ(vm_phys_free_count(), free0);
}

/*
 * Allocate objects of one size until kmalloc says no; returns how many.
 * Each object holds its index; objs must have room for max entries.
 */
static size_t
fill_up(size_t size, void **objs, size_t max)
{
	size_t n = 0;

	while ((objs[n] = kmalloc(size, host_mtype(3), 0)) != NULL) {
		fill(objs[n], size, n);
		n++;
		ATF_REQUIRE(n < max);
	}
	return (n);
}

static void
empty_out(size_t size, void **objs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		check(objs[i], size, i);
		kfree(objs[i], host_mtype(3));
	}
}

ATF_TC_WITHOUT_HEAD(exhaust_recover);
ATF_TC_BODY(exhaust_recover, tc)
{
	enum { NPG = 64, MAXOBJ = NPG * 256 };
	static const size_t sizes[] = { 100, 16, 2048, 700, 5000 };
	size_t first[nitems(sizes)], n, i;
	int64_t in, mem;
	void **objs, *big;
	int round;

	/* 64 frames at a 64-frame boundary: one order-6 buddy block. */
	km_setup(NPG * PGSZ, NPG);
	objs = calloc(MAXOBJ, sizeof(*objs));
	ATF_REQUIRE(objs != NULL);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < nitems(sizes); i++) {
			n = fill_up(sizes[i], objs, MAXOBJ);
			stats(3, &in, &mem);
			ATF_REQUIRE_EQ(in, (int64_t)n);
			if (round == 0)
				first[i] = n;
			else
				ATF_REQUIRE_EQ(n, first[i]);
			/* Nearly all of RAM went to objects. */
			ATF_REQUIRE_MSG(mem >= (int64_t)(NPG * PGSZ * 9 / 10),
			    "%zu-byte objects: only %lld bytes in use at "
			    "exhaustion", sizes[i], (long long)mem);
			empty_out(sizes[i], objs, n);
			stats(3, &in, &mem);
			ATF_REQUIRE(in == 0 && mem == 0);

			/*
			 * Round 1 goes straight on to the next size, whose
			 * allocations must reclaim what the previous size
			 * left cached (same counts as round 0).
			 */
			if (round == 1 && i + 1 < nitems(sizes))
				continue;
			/*
			 * Everything went back: the whole block is
			 * available as one run (kmalloc reclaims its
			 * caches when the page allocator fails).
			 */
			big = kmalloc(NPG * PGSZ, host_mtype(3), 0);
			ATF_REQUIRE_MSG(big != NULL, "no recovery after "
			    "%zu-byte objects", sizes[i]);
			ATF_REQUIRE_EQ(vm_phys_free_count(), 0);
			kfree(big, host_mtype(3));
			ATF_REQUIRE_EQ(vm_phys_free_count(), NPG);
		}
	}
	free(objs);
}

/*
 * Misuse must panic, each with its own message.
 */

static void
do_free_stack(void *arg)
{
	char buf[64];

	kfree(buf, host_mtype(0));
}

static void
do_free_misaligned(void *arg)
{
	char *p = kmalloc(64, host_mtype(0), 0);

	kfree(p + 16, host_mtype(0));
}

static void
do_double_free_small(void *arg)
{
	void *p = kmalloc(64, host_mtype(0), 0);

	kfree(p, host_mtype(0));
	kfree(p, host_mtype(0));
}

static void
do_double_free_flushed(void *arg)
{
	void *p[64];
	int i;

	/* Enough frees that the first object goes back to its slab. */
	for (i = 0; i < 64; i++)
		p[i] = kmalloc(1024, host_mtype(0), 0);
	for (i = 0; i < 64; i++)
		kfree(p[i], host_mtype(0));
	memset(p[0], 0, 8);	/* wipe the tag: only the free map knows */
	kfree(p[0], host_mtype(0));
}

static void
do_double_free_large(void *arg)
{
	void *p = kmalloc(3 * PGSZ, host_mtype(0), 0);

	kfree(p, host_mtype(0));
	kfree(p, host_mtype(0));
}

static void
do_free_large_middle(void *arg)
{
	char *p = kmalloc(3 * PGSZ, host_mtype(0), 0);

	kfree(p + PGSZ, host_mtype(0));
}

static void
do_free_large_offset(void *arg)
{
	char *p = kmalloc(3 * PGSZ, host_mtype(0), 0);

	kfree(p + 16, host_mtype(0));
}

static void
do_free_raw_page(void *arg)
{
	struct vm_page *m = vm_page_alloc(0);

	kfree(host_dmap(host_vm_page_phys(m)), host_mtype(0));
}

static void
do_free_tail(void *arg)
{
	char *p = kmalloc(48, host_mtype(0), 0);
	uintptr_t page = (uintptr_t)p & ~(PGSZ - 1);

	/* 85 objects of 48 bytes fill 4080 bytes; 16 are left over. */
	kfree((void *)(page + 85 * 48), host_mtype(0));
}

static void
do_free_never_allocated(void *arg)
{
	char *p = kmalloc(64, host_mtype(0), 0);
	uintptr_t page = (uintptr_t)p & ~(PGSZ - 1);

	kfree((void *)(page + 63 * 64), host_mtype(0));
}

static void
do_use_after_free(void *arg)
{
	char *p = kmalloc(64, host_mtype(0), 0);

	kfree(p, host_mtype(0));
	memset(p, 0, 8);
	(void)kmalloc(64, host_mtype(0), 0);
}

static void
do_bad_flags(void *arg)
{
	(void)kmalloc(64, host_mtype(0), 0x100);
}

ATF_TC_WITHOUT_HEAD(bad_kfree_panics);
ATF_TC_BODY(bad_kfree_panics, tc)
{
	km_setup(0x100000, 256);
	host_expect_panic(do_free_stack, NULL, "is not kmalloc memory");
	host_expect_panic(do_free_misaligned, NULL,
	    "is not the start of a 64-byte object");
	host_expect_panic(do_double_free_small, NULL, "double free of");
	host_expect_panic(do_double_free_flushed, NULL,
	    "is free in its slab");
	host_expect_panic(do_double_free_large, NULL,
	    "was not returned by kmalloc, or was already freed");
	host_expect_panic(do_free_large_middle, NULL,
	    "was not returned by kmalloc");
	host_expect_panic(do_free_large_offset, NULL,
	    "was not returned by kmalloc");
	host_expect_panic(do_free_raw_page, NULL,
	    "was not returned by kmalloc");
	host_expect_panic(do_free_tail, NULL, "unused tail");
	host_expect_panic(do_free_never_allocated, NULL,
	    "is free in its slab");
	host_expect_panic(do_use_after_free, NULL,
	    "was written to after kfree");
	host_expect_panic(do_bad_flags, NULL, "unknown flags");
}

/*
 * Four threads as four CPUs.  Each allocates, checks and frees objects
 * of mixed sizes and also trades objects through a shared array of
 * slots, so that many objects are freed on another CPU than the one that
 * allocated them, into that CPU's magazines.
 */

#define SMP_NCPU	4
#define SMP_ITERS	40000
#define SMP_NLOCAL	32
#define SMP_NSHARED	64
#define SMP_BATCHES	3000

struct smp_obj {
	uint32_t	size;		/* bytes requested, >= sizeof(*this) */
	uint32_t	type;		/* malloc type index */
	uint64_t	seed;
};

static void		*smp_shared[SMP_NSHARED];
static pthread_barrier_t smp_barrier;

static void
smp_check_free(struct smp_obj *o)
{
	check(o + 1, o->size - sizeof(*o), o->seed);
	kfree(o, host_mtype(o->type));
}

struct smp_arg {
	int		cpu;
	uint64_t	seed;
	size_t		nalloc;
	size_t		nfail;
	size_t		ntraded;
};

static void *
smp_worker(void *arg)
{
	struct smp_arg *a = arg;
	struct smp_obj *local[SMP_NLOCAL], *o;
	uint64_t r;
	size_t size;
	int i, k;

	memset(local, 0, sizeof(local));
	host_cpu_attach(a->cpu);
	pthread_barrier_wait(&smp_barrier);
	for (i = 0; i < SMP_ITERS; i++) {
		k = host_rand(&a->seed) % SMP_NLOCAL;
		r = host_rand(&a->seed) % 10;
		if (local[k] == NULL && r < 6) {
			size = host_rand(&a->seed) % 8 == 0 ?
			    MAXSMALL + 1 + host_rand(&a->seed) % 9000 :
			    host_rand(&a->seed) % (MAXSMALL + 1);
			if (size < sizeof(*o))
				size = sizeof(*o);
			o = kmalloc(size, host_mtype(a->cpu), 0);
			if (o == NULL) {
				a->nfail++;
				continue;
			}
			check_align(o, size);
			o->size = size;
			o->type = a->cpu;
			o->seed = host_rand(&a->seed);
			fill(o + 1, size - sizeof(*o), o->seed);
			local[k] = o;
			a->nalloc++;
		} else if (local[k] != NULL && r < 8) {
			smp_check_free(local[k]);
			local[k] = NULL;
		} else {
			/* Trade with whoever parked an object here. */
			o = __atomic_exchange_n(&smp_shared[host_rand(&a->seed)
			    % SMP_NSHARED], local[k], __ATOMIC_ACQ_REL);
			if (o != NULL) {
				check(o + 1, o->size - sizeof(*o), o->seed);
				if (o->type != (uint32_t)a->cpu)
					a->ntraded++;
			}
			local[k] = o;
		}
		ATF_REQUIRE_EQ(host_crit_count(), 0);
	}
	for (k = 0; k < SMP_NLOCAL; k++) {
		if (local[k] != NULL)
			smp_check_free(local[k]);
	}

	/*
	 * Second phase: every CPU allocates and frees batches of one
	 * size, so that magazine refills and flushes collide on the
	 * class lock and on the same slabs.
	 */
	pthread_barrier_wait(&smp_barrier);
	for (i = 0; i < SMP_BATCHES; i++) {
		size = (i % 2) == 0 ? 64 : 1024;
		for (k = 0; k < SMP_NLOCAL; k++) {
			local[k] = kmalloc(size, host_mtype(a->cpu), 0);
			if (local[k] == NULL) {
				a->nfail++;
				continue;
			}
			local[k]->size = size;
			local[k]->type = a->cpu;
			local[k]->seed = host_rand(&a->seed);
			fill(local[k] + 1, size - sizeof(*o), local[k]->seed);
		}
		for (k = 0; k < SMP_NLOCAL; k++) {
			if (local[k] != NULL)
				smp_check_free(local[k]);
		}
	}
	return (NULL);
}

ATF_TC(smp_hammer);
ATF_TC_HEAD(smp_hammer, tc)
{
	atf_tc_set_md_var(tc, "descr", "4 threads as 4 CPUs hammer "
	    "kmalloc/kfree with cross-CPU frees");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(smp_hammer, tc)
{
	enum { NPG = 512 };
	struct smp_arg args[SMP_NCPU];
	pthread_t td[SMP_NCPU];
	int64_t in, mem;
	size_t traded = 0;
	int i;

	km_setup(0x800000, NPG);
	host_set_ncpus(SMP_NCPU);
	ATF_REQUIRE(pthread_barrier_init(&smp_barrier, NULL, SMP_NCPU) == 0);
	for (i = 0; i < SMP_NCPU; i++) {
		args[i].cpu = i;
		args[i].seed = 0x9e3779b97f4a7c15ULL * (i + 3);
		args[i].nalloc = args[i].nfail = args[i].ntraded = 0;
		ATF_REQUIRE(pthread_create(&td[i], NULL, smp_worker,
		    &args[i]) == 0);
	}
	for (i = 0; i < SMP_NCPU; i++) {
		ATF_REQUIRE(pthread_join(td[i], NULL) == 0);
		traded += args[i].ntraded;
	}
	pthread_barrier_destroy(&smp_barrier);
	ATF_REQUIRE_MSG(traded > 1000, "only %zu cross-CPU objects", traded);

	host_cpu_attach(0);
	for (i = 0; i < SMP_NSHARED; i++) {
		if (smp_shared[i] != NULL)
			smp_check_free(smp_shared[i]);
		smp_shared[i] = NULL;
	}
	for (i = 0; i < SMP_NCPU; i++) {
		stats(i, &in, &mem);
		ATF_REQUIRE_EQ_MSG(in, 0, "type %d: %lld objects left", i,
		    (long long)in);
		ATF_REQUIRE_EQ(mem, 0);
	}

	/*
	 * Every object is free, but some sit in per-CPU magazines.  A
	 * request the page allocator cannot meet makes kmalloc reclaim the
	 * caches of the CPU it runs on; do that on each CPU in turn, and
	 * every page must be back.
	 */
	for (i = 0; i < SMP_NCPU; i++) {
		host_cpu_attach(i);
		ATF_REQUIRE(kmalloc(MAXLARGE, host_mtype(0), 0) == NULL);
	}
	ATF_REQUIRE_EQ(vm_phys_free_count(), NPG);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, random_mixed);
	ATF_TP_ADD_TC(tp, every_size);
	ATF_TP_ADD_TC(tp, zero_size);
	ATF_TP_ADD_TC(tp, zero_flag);
	ATF_TP_ADD_TC(tp, large);
	ATF_TP_ADD_TC(tp, exhaust_recover);
	ATF_TP_ADD_TC(tp, bad_kfree_panics);
	ATF_TP_ADD_TC(tp, smp_hammer);
	return (atf_no_error());
}
