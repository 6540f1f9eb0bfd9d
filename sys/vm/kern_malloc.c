/*
 * Kernel memory allocator: kmalloc() and kfree().
 *
 * Small requests (up to KM_MAXSMALL bytes) are served from thirteen size
 * classes, 16 to 2048 bytes, every one a multiple of 16 so that every
 * object is 16-byte aligned (power-of-two classes are also naturally
 * aligned).  Each class carves one-page slabs into equal objects.  The
 * slab header (struct kmslab) lives off the page, in a small pool of
 * header pages, so a slab's whole page holds objects: two 2048-byte
 * objects per page, not one.  The page's struct vm_page points at the
 * header (pg_slab), which is how kfree() finds the class of an address
 * without being told its size: DMAP_TO_PHYS -> PHYS_TO_VM_PAGE ->
 * pg_slab.  Larger requests take a physically contiguous run of pages
 * from vm_page_alloc_contig(); the run's first page records its length
 * in pg_npages and has pg_slab == NULL.  The largest request served is
 * one maximal buddy block (KM_MAXLARGE, 4 MiB); anything bigger fails.
 *
 * The fast path is per CPU.  Every CPU has, for every class, a magazine:
 * a small stack of free objects (kc_magcap of them, at most KM_MAGMAX,
 * fewer for big classes so that a magazine pins about a page).  kmalloc
 * pops from it and kfree pushes onto it inside a critical section, with
 * no lock and no locked instruction.  An empty magazine is refilled to
 * half its capacity from the class's slabs; a full one gives back its
 * older half.  Only those batch moves take the class's spin lock.  An
 * object freed on another CPU than the one that allocated it simply
 * enters that CPU's magazine: slabs do not care which CPU holds what.
 *
 * Slabs of a class are on one list, kc_partial, while they have at least
 * one free object and at least one object out (in a magazine or in use).
 * Full slabs are on no list.  A slab whose objects all come back becomes
 * the class's one cached empty slab (kc_empty) if that slot is free, and
 * otherwise goes straight back to the page allocator with its header.
 *
 * When the page allocator says no, kmalloc reclaims once and retries:
 * it empties this CPU's magazines into the slabs, releases every cached
 * empty slab and the spare header page.  Magazines of other CPUs are not
 * touched (they can only be emptied on their own CPU), so up to about
 * 40 KiB per other CPU can stay out of reach.
 *
 * What it guarantees:
 *   - kmalloc returns NULL on exhaustion and never panics for it.
 *   - kmalloc(0) returns a valid, unique minimal (16-byte) object that
 *     must be passed to kfree like any other.  We chose that over NULL
 *     so that NULL always means "no memory".
 *   - M_ZERO zeroes the requested bytes.  Without it the contents are
 *     undefined (the first word is cleared; see below).
 *   - Per-type accounting is exact: ks_inuse[cpu] and ks_memuse[cpu]
 *     (bytes rounded up to the class or page size) move by exactly the
 *     allocation, on the CPU doing it, so a single CPU's counters may go
 *     negative but their sum over CPUs (kmalloc_type_stats) is the truth.
 *     The type passed to kfree must be the type passed to kmalloc; we do
 *     not record it per object and cannot check it.
 *
 * Misuse caught, each with its own panic message:
 *   - kfree of an address outside managed RAM, of a page that is neither
 *     a slab nor the start of a live large run, of an address that is not
 *     the start of an object, or of one in a slab's unused tail;
 *   - double free: every free object carries a tag in its first word
 *     (KM_FREEMAGIC xor its own address), checked by kfree; a free
 *     object still in its slab has its bit set in the slab's free map,
 *     also checked by kfree and again when a magazine returns objects;
 *   - a write into a freed object's first word, found when kmalloc hands
 *     the object out again (the tag must still be there).
 * A free of an object that was freed and then allocated again by someone
 * else cannot be told apart from a correct free.
 *
 * Costs: the fast path is a critical section, an array index, and two
 * 8-byte tag accesses.  Metadata: 72 bytes of header per slab page (under
 * 2%), and a static per-CPU magazine array.
 *
 * Lock and ordering rules:
 *   (1) A CPU's magazines are touched only by that CPU, inside a critical
 *       section.  This is why kmalloc/kfree may not be called from a FAST
 *       interrupt handler or an IPI function: those run inside other
 *       code's critical sections.
 *   (2) kc_lock protects the class's slab lists and the free maps and
 *       counts of its slabs.  km_hdr_lock protects the header pool.
 *   (3) Order: a CPU's critical section, then kc_lock, then km_hdr_lock,
 *       then vm_phys's lock.  In practice we never hold two of the spin
 *       locks at once: slab creation and destruction happen with no class
 *       lock held.
 *   (4) pg_slab of a slab page is written only while no object of the
 *       slab is out (creation, destruction), so a kfree of a live object
 *       reads it without a lock.
 *
 * Calling context: thread context or an interrupt thread.  Never blocks.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/spinlock.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <vm/vm_page.h>

MALLOC_DEFINE(M_TEMP, "temp", "miscellaneous temporary buffers");

#define KM_NCLASS	13
#define KM_MINALIGN	16
#define KM_MAXSMALL	2048
#define KM_MAXLARGE	(((size_t)1 << (VM_NFREEORDER - 1)) * PAGE_SIZE)
#define KM_MAGMAX	16		/* largest magazine */
#define KM_MAGMIN	4		/* smallest magazine */
#define KM_MAPWORDS	((PAGE_SIZE / KM_MINALIGN + 63) / 64)

#define KMS_MAGIC	0x6b6d736cU	/* live slab header */
#define KMS_DEAD	0x64656164U	/* header back in the pool */
#define KMH_MAGIC	0x6b6d6870U	/* header pool page */
#define KM_FREEMAGIC	0x4672656544426b6dULL	/* xor the object address */

static const uint16_t km_sizes[KM_NCLASS] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048
};

struct kmclass;

/*
 * Slab header.  [C] the class's kc_lock; [H] km_hdr_lock while the
 * header is free in the pool; [I] fixed while the slab lives.
 */
struct kmslab {
	struct kmslab	*kms_next;	/* [C] kc_partial link; [H] pool link */
	struct kmslab	*kms_prev;	/* [C] */
	struct kmclass	*kms_class;	/* [I] */
	vm_offset_t	kms_base;	/* [I] direct-map address of the page */
	uint32_t	kms_magic;	/* [I] KMS_MAGIC while the slab lives */
	uint16_t	kms_nfree;	/* [C] objects with their free bit set */
	uint16_t	kms_nobjs;	/* [I] */
	uint64_t	kms_freemap[KM_MAPWORDS]; /* [C] bit set: free in slab;
					   read without the lock, see
					   km_free_small() */
};

struct kmclass {
	struct spinlock	kc_lock;
	struct kmslab	*kc_partial;	/* [C] slabs with free objects */
	struct kmslab	*kc_empty;	/* [C] one cached all-free slab */
	uint32_t	kc_size;	/* [I] object size */
	uint16_t	kc_nobjs;	/* [I] objects per slab */
	uint16_t	kc_magcap;	/* [I] magazine capacity */
} __aligned(64);

/* A CPU's stack of free objects of one class.  [L] crit section only. */
struct kmmag {
	uint32_t	mg_count;
	void		*mg_objs[KM_MAGMAX];
};

struct kmcpu {
	struct kmmag	kp_mag[KM_NCLASS];	/* [L] */
} __aligned(64);

/*
 * A page of slab headers.  The descriptor sits at the start of the page,
 * the headers follow it.
 */
struct kmhdrpage {
	struct kmhdrpage *hp_next;	/* [H] km_hdr_avail link */
	struct kmhdrpage *hp_prev;	/* [H] */
	struct kmslab	*hp_free;	/* [H] free headers of this page */
	uint32_t	hp_nfree;	/* [H] */
	uint32_t	hp_magic;	/* [I] KMH_MAGIC */
};

#define KMH_FIRST	roundup2(sizeof(struct kmhdrpage), 16)
#define KMH_PERPAGE	((PAGE_SIZE - KMH_FIRST) / sizeof(struct kmslab))

CTASSERT(KM_MAPWORDS * 64 >= PAGE_SIZE / KM_MINALIGN);
CTASSERT(PAGE_SIZE / KM_MINALIGN <= UINT16_MAX);
CTASSERT(nitems(km_sizes) == KM_NCLASS);
CTASSERT(KMH_PERPAGE >= 2);

static struct kmclass	km_class[KM_NCLASS];
static struct kmcpu	km_cpu[MAXCPU];
static uint8_t		km_sizeidx[KM_MAXSMALL / KM_MINALIGN + 1]; /* [I] */
static bool		km_ready;				/* [I] */

static struct spinlock	km_hdr_lock = SPINLOCK_INITIALIZER;
static struct kmhdrpage	*km_hdr_avail;	/* [H] pages with a free header */
static uint32_t		km_hdr_nempty;	/* [H] of those, wholly free pages */

/*
 * Small helpers.
 */

static inline uint64_t
km_load64(const void *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return (v);
}

static inline void
km_store64(void *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

/* The tag a free object carries in its first word. */
static inline uint64_t
km_freetag(const void *p)
{
	return (KM_FREEMAGIC ^ (uint64_t)(uintptr_t)p);
}

static inline bool
km_isfree(struct kmslab *s, u_int idx)
{
	return (((__atomic_load_n(&s->kms_freemap[idx / 64],
	    __ATOMIC_RELAXED) >> (idx % 64)) & 1) != 0);
}

/* Flip one free bit.  Holds kc_lock (stores are atomic for the reader). */
static inline void
km_setfree(struct kmslab *s, u_int idx, bool isfree)
{
	uint64_t w = s->kms_freemap[idx / 64];
	uint64_t bit = (uint64_t)1 << (idx % 64);

	w = isfree ? (w | bit) : (w & ~bit);
	__atomic_store_n(&s->kms_freemap[idx / 64], w, __ATOMIC_RELAXED);
}

static inline struct vm_page *
km_vtopage(const void *p)
{
	return (PHYS_TO_VM_PAGE(DMAP_TO_PHYS((vm_offset_t)(uintptr_t)p)));
}

/*
 * Move the current CPU's counters of type by n objects and bytes.
 * Called in a critical section.
 */
static inline void
km_account(struct malloc_type *type, int64_t n, int64_t bytes)
{
	int cpu = mycpuid;

	__atomic_store_n(&type->ks_inuse[cpu], type->ks_inuse[cpu] + n,
	    __ATOMIC_RELAXED);
	__atomic_store_n(&type->ks_memuse[cpu], type->ks_memuse[cpu] + bytes,
	    __ATOMIC_RELAXED);
}

/*
 * Header pool.
 */

static void
km_hdr_link(struct kmhdrpage *hp)
{
	hp->hp_prev = NULL;
	hp->hp_next = km_hdr_avail;
	if (hp->hp_next != NULL)
		hp->hp_next->hp_prev = hp;
	km_hdr_avail = hp;
}

static void
km_hdr_unlink(struct kmhdrpage *hp)
{
	if (hp->hp_prev != NULL)
		hp->hp_prev->hp_next = hp->hp_next;
	else
		km_hdr_avail = hp->hp_next;
	if (hp->hp_next != NULL)
		hp->hp_next->hp_prev = hp->hp_prev;
	hp->hp_next = NULL;
	hp->hp_prev = NULL;
}

static void
km_hdr_page_release(struct kmhdrpage *hp)
{
	hp->hp_magic = 0;
	vm_page_free(km_vtopage(hp));
}

/*
 * Take a slab header from the pool, growing it by a page if needed.
 * NULL when no page is free.  Called with no class lock held.
 */
static struct kmslab *
km_hdr_alloc(void)
{
	struct kmhdrpage *hp;
	struct kmslab *h;
	struct vm_page *m;
	u_int i;

	spin_lock(&km_hdr_lock);
	if (km_hdr_avail == NULL) {
		spin_unlock(&km_hdr_lock);
		m = vm_page_alloc(0);
		if (m == NULL)
			return (NULL);
		hp = (struct kmhdrpage *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
		hp->hp_free = NULL;
		for (i = 0; i < KMH_PERPAGE; i++) {
			h = (struct kmslab *)((char *)hp + KMH_FIRST +
			    i * sizeof(*h));
			h->kms_magic = KMS_DEAD;
			h->kms_next = hp->hp_free;
			hp->hp_free = h;
		}
		hp->hp_nfree = KMH_PERPAGE;
		hp->hp_magic = KMH_MAGIC;
		spin_lock(&km_hdr_lock);
		km_hdr_link(hp);
		km_hdr_nempty++;
	}
	hp = km_hdr_avail;
	if (hp->hp_nfree == KMH_PERPAGE)
		km_hdr_nempty--;
	h = hp->hp_free;
	hp->hp_free = h->kms_next;
	if (--hp->hp_nfree == 0)
		km_hdr_unlink(hp);
	spin_unlock(&km_hdr_lock);
	return (h);
}

/*
 * Give a slab header back.  A page whose headers are all free is kept if
 * it is the only such page, released otherwise.
 */
static void
km_hdr_free(struct kmslab *h)
{
	struct kmhdrpage *hp, *release;

	hp = (struct kmhdrpage *)rounddown2((vm_offset_t)(uintptr_t)h, PAGE_SIZE);
	KASSERT(hp->hp_magic == KMH_MAGIC,
	    ("kmalloc: slab header %p is not in a header page", h));
	release = NULL;
	spin_lock(&km_hdr_lock);
	h->kms_magic = KMS_DEAD;
	h->kms_next = hp->hp_free;
	hp->hp_free = h;
	if (++hp->hp_nfree == 1)
		km_hdr_link(hp);
	if (hp->hp_nfree == KMH_PERPAGE) {
		if (km_hdr_nempty > 0) {
			km_hdr_unlink(hp);
			release = hp;
		} else {
			km_hdr_nempty++;
		}
	}
	spin_unlock(&km_hdr_lock);
	if (release != NULL)
		km_hdr_page_release(release);
}

/* Release the spare, wholly free header page if there is one. */
static void
km_hdr_reclaim(void)
{
	struct kmhdrpage *hp;

	spin_lock(&km_hdr_lock);
	for (hp = km_hdr_avail; hp != NULL; hp = hp->hp_next) {
		if (hp->hp_nfree == KMH_PERPAGE)
			break;
	}
	if (hp != NULL) {
		km_hdr_unlink(hp);
		km_hdr_nempty--;
	}
	spin_unlock(&km_hdr_lock);
	if (hp != NULL)
		km_hdr_page_release(hp);
}

/*
 * Slabs.
 */

/*
 * Make a new, all-free slab for kc: a header and a page.  NULL when
 * either is unavailable.  Called with no lock held; the slab is on no
 * list yet.
 */
static struct kmslab *
km_slab_new(struct kmclass *kc)
{
	struct kmslab *s;
	struct vm_page *m;
	u_int i;

	s = km_hdr_alloc();
	if (s == NULL)
		return (NULL);
	m = vm_page_alloc(0);
	if (m == NULL) {
		km_hdr_free(s);
		return (NULL);
	}
	s->kms_next = NULL;
	s->kms_prev = NULL;
	s->kms_class = kc;
	s->kms_base = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	s->kms_nobjs = kc->kc_nobjs;
	s->kms_nfree = kc->kc_nobjs;
	for (i = 0; i < KM_MAPWORDS; i++)
		s->kms_freemap[i] = 0;
	for (i = 0; i < kc->kc_nobjs; i++)
		s->kms_freemap[i / 64] |= (uint64_t)1 << (i % 64);
	s->kms_magic = KMS_MAGIC;
	m->pg_slab = s;
	return (s);
}

/* Return an all-free slab that is on no list to the page allocator. */
static void
km_slab_destroy(struct kmslab *s)
{
	struct vm_page *m;

	KKASSERT(s->kms_nfree == s->kms_nobjs);
	m = km_vtopage((void *)s->kms_base);
	m->pg_slab = NULL;
	vm_page_free(m);
	km_hdr_free(s);
}

static void
km_partial_insert(struct kmclass *kc, struct kmslab *s)
{
	s->kms_prev = NULL;
	s->kms_next = kc->kc_partial;
	if (s->kms_next != NULL)
		s->kms_next->kms_prev = s;
	kc->kc_partial = s;
}

static void
km_partial_remove(struct kmclass *kc, struct kmslab *s)
{
	if (s->kms_prev != NULL)
		s->kms_prev->kms_next = s->kms_next;
	else
		kc->kc_partial = s->kms_next;
	if (s->kms_next != NULL)
		s->kms_next->kms_prev = s->kms_prev;
	s->kms_next = NULL;
	s->kms_prev = NULL;
}

/*
 * Move up to want free objects from kc's slabs into mag, tagging each
 * as free.  Holds kc_lock, in the critical section that owns mag.
 * Returns the number moved.
 */
static u_int
km_take(struct kmclass *kc, struct kmmag *mag, u_int want)
{
	struct kmslab *s;
	void *obj;
	u_int n, w, idx;

	n = 0;
	while (n < want) {
		s = kc->kc_partial;
		if (s == NULL) {
			s = kc->kc_empty;
			if (s == NULL)
				break;
			kc->kc_empty = NULL;
			km_partial_insert(kc, s);
		}
		w = 0;
		while (n < want && s->kms_nfree > 0) {
			while (s->kms_freemap[w] == 0)
				w++;
			idx = w * 64 + __builtin_ctzll(s->kms_freemap[w]);
			km_setfree(s, idx, false);
			s->kms_nfree--;
			obj = (void *)(s->kms_base + idx * kc->kc_size);
			km_store64(obj, km_freetag(obj));
			mag->mg_objs[mag->mg_count++] = obj;
			n++;
		}
		if (s->kms_nfree == 0)
			km_partial_remove(kc, s);
	}
	return (n);
}

/*
 * Return one object to its slab.  A slab that becomes all free is cached
 * as kc_empty or, if that slot is taken, pushed on *dead for the caller
 * to destroy once it drops the lock.  Holds kc_lock.
 */
static void
km_put(struct kmclass *kc, void *obj, struct kmslab **dead)
{
	struct kmslab *s;
	u_int idx;

	s = km_vtopage(obj)->pg_slab;
	idx = ((vm_offset_t)(uintptr_t)obj - s->kms_base) / kc->kc_size;
	KASSERT(!km_isfree(s, idx), ("kfree: double free of %p (%u-byte "
	    "object, found returning it to its slab)", obj, kc->kc_size));
	km_setfree(s, idx, true);
	if (s->kms_nfree++ == 0)
		km_partial_insert(kc, s);
	if (s->kms_nfree == s->kms_nobjs) {
		km_partial_remove(kc, s);
		if (kc->kc_empty == NULL) {
			kc->kc_empty = s;
		} else {
			s->kms_next = *dead;
			*dead = s;
		}
	}
}

/*
 * Refill this CPU's empty magazine of kc to half its capacity, making a
 * new slab if the class has no free object.  Called in the critical
 * section that owns mag, with no lock held.  Returns the number of
 * objects now in the magazine (0: out of memory).
 */
static u_int
km_refill(struct kmclass *kc, struct kmmag *mag)
{
	struct kmslab *s;
	u_int want, n;

	want = (kc->kc_magcap + 1) / 2;
	spin_lock(&kc->kc_lock);
	n = km_take(kc, mag, want);
	spin_unlock(&kc->kc_lock);
	if (n > 0)
		return (n);

	s = km_slab_new(kc);
	if (s == NULL)
		return (0);
	spin_lock(&kc->kc_lock);
	km_partial_insert(kc, s);
	n = km_take(kc, mag, want);
	spin_unlock(&kc->kc_lock);
	return (n);
}

/*
 * Return the n oldest objects of this CPU's magazine of kc to their
 * slabs, and release the slabs that became surplus.  Called in the
 * critical section that owns mag, with no lock held.
 */
static void
km_flush(struct kmclass *kc, struct kmmag *mag, u_int n)
{
	struct kmslab *dead, *s;
	u_int i;

	KKASSERT(n <= mag->mg_count);
	dead = NULL;
	spin_lock(&kc->kc_lock);
	for (i = 0; i < n; i++)
		km_put(kc, mag->mg_objs[i], &dead);
	spin_unlock(&kc->kc_lock);
	for (i = n; i < mag->mg_count; i++)
		mag->mg_objs[i - n] = mag->mg_objs[i];
	mag->mg_count -= n;
	while ((s = dead) != NULL) {
		dead = s->kms_next;
		km_slab_destroy(s);
	}
}

/*
 * Give back what this CPU can: its magazines, every class's cached empty
 * slab and the spare header page.  Called, with no lock held, when the
 * page allocator has failed us.
 */
static void
km_reclaim(void)
{
	struct kmclass *kc;
	struct kmmag *mag;
	struct kmslab *s;
	int ci;

	crit_enter();
	for (ci = 0; ci < KM_NCLASS; ci++) {
		kc = &km_class[ci];
		mag = &km_cpu[mycpuid].kp_mag[ci];
		if (mag->mg_count > 0)
			km_flush(kc, mag, mag->mg_count);
		spin_lock(&kc->kc_lock);
		s = kc->kc_empty;
		kc->kc_empty = NULL;
		spin_unlock(&kc->kc_lock);
		if (s != NULL)
			km_slab_destroy(s);
	}
	crit_exit();
	km_hdr_reclaim();
}

/*
 * Allocation and free paths.
 */

/* Pop an object of class ci for type from this CPU's magazine. */
static void *
km_cache_get(int ci, struct malloc_type *type)
{
	struct kmclass *kc = &km_class[ci];
	struct kmmag *mag;
	void *p;

	crit_enter();
	mag = &km_cpu[mycpuid].kp_mag[ci];
	if (mag->mg_count == 0 && km_refill(kc, mag) == 0) {
		crit_exit();
		return (NULL);
	}
	p = mag->mg_objs[--mag->mg_count];
	km_account(type, 1, kc->kc_size);
	crit_exit();
	return (p);
}

static void *
km_alloc_small(size_t size, struct malloc_type *type, int flags)
{
	int ci;
	void *p;

	ci = km_sizeidx[howmany(size, KM_MINALIGN)];
	p = km_cache_get(ci, type);
	if (p == NULL) {
		km_reclaim();
		p = km_cache_get(ci, type);
		if (p == NULL)
			return (NULL);
	}
	KASSERT(km_load64(p) == km_freetag(p),
	    ("kmalloc: free %u-byte object %p was written to after kfree",
	    km_class[ci].kc_size, p));
	km_store64(p, 0);
	if ((flags & M_ZERO) != 0)
		memset(p, 0, size);
	return (p);
}

static void *
km_alloc_large(size_t size, struct malloc_type *type, int flags)
{
	struct vm_page *m;
	size_t npages;
	int vflags;

	if (size > KM_MAXLARGE)
		return (NULL);
	npages = howmany(size, PAGE_SIZE);
	vflags = (flags & M_ZERO) != 0 ? VM_ALLOC_ZERO : 0;
	m = vm_page_alloc_contig(npages, vflags);
	if (m == NULL) {
		km_reclaim();
		m = vm_page_alloc_contig(npages, vflags);
		if (m == NULL)
			return (NULL);
	}
	m->pg_npages = npages;
	crit_enter();
	km_account(type, 1, npages * PAGE_SIZE);
	crit_exit();
	return ((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

/*
 * Allocate size bytes for type.  flags: M_ZERO, M_NOWAIT (the only mode
 * there is).  Returns NULL when memory is exhausted or size exceeds
 * KM_MAXLARGE; kmalloc(0) returns a minimal object.  Never blocks.
 */
void *
kmalloc(size_t size, struct malloc_type *type, int flags)
{
	KASSERT(km_ready, ("kmalloc: called before kmalloc_init"));
	KASSERT(type != NULL, ("kmalloc: NULL malloc_type"));
	KASSERT((flags & ~(M_ZERO | M_NOWAIT)) == 0,
	    ("kmalloc: unknown flags %#x", flags));
	if (size > KM_MAXSMALL)
		return (km_alloc_large(size, type, flags));
	return (km_alloc_small(size, type, flags));
}

static void
km_free_large(void *ptr, struct vm_page *m, struct malloc_type *type)
{
	size_t npages;

	KASSERT(((uintptr_t)ptr & PAGE_MASK) == 0 && m->pg_npages != 0,
	    ("kfree: %p was not returned by kmalloc, or was already freed",
	    ptr));
	npages = m->pg_npages;
	m->pg_npages = 0;
	crit_enter();
	km_account(type, -1, -(int64_t)(npages * PAGE_SIZE));
	crit_exit();
	vm_page_free_contig(m, npages);
}

/*
 * Validate everything first, then tag the object free and push it on
 * this CPU's magazine (the commit point).
 *
 * NOTE: the free-map test reads the slab without its lock.  That is
 * safe for a live object: its bit is clear and only its owner (us) can
 * set it.  If we see it set, the object is not live.
 */
static void
km_free_small(void *ptr, struct kmslab *s, struct malloc_type *type)
{
	struct kmclass *kc;
	struct kmmag *mag;
	vm_offset_t off;
	u_int idx;
	int ci;

	KASSERT(s->kms_magic == KMS_MAGIC,
	    ("kfree: %p: its slab header %p is corrupt", ptr, s));
	kc = s->kms_class;
	off = (vm_offset_t)(uintptr_t)ptr - s->kms_base;
	KASSERT(off % kc->kc_size == 0,
	    ("kfree: %p is not the start of a %u-byte object", ptr,
	    kc->kc_size));
	idx = off / kc->kc_size;
	KASSERT(idx < s->kms_nobjs,
	    ("kfree: %p is in the unused tail of a %u-byte slab", ptr,
	    kc->kc_size));
	KASSERT(!km_isfree(s, idx),
	    ("kfree: %p is free in its slab (double free, or never "
	    "allocated)", ptr));
	KASSERT(km_load64(ptr) != km_freetag(ptr),
	    ("kfree: double free of %p (%u-byte object)", ptr, kc->kc_size));

	km_store64(ptr, km_freetag(ptr));
	ci = kc - km_class;
	crit_enter();
	mag = &km_cpu[mycpuid].kp_mag[ci];
	if (mag->mg_count == kc->kc_magcap)
		km_flush(kc, mag, mag->mg_count - kc->kc_magcap / 2);
	mag->mg_objs[mag->mg_count++] = ptr;
	km_account(type, -1, -(int64_t)kc->kc_size);
	crit_exit();
}

/*
 * Free memory from kmalloc.  kfree(NULL, type) does nothing.  type must
 * be the type the memory was allocated with.  Panics on an address that
 * kmalloc did not return or a detectable double free.  Never blocks.
 */
void
kfree(void *ptr, struct malloc_type *type)
{
	struct vm_page *m;
	struct kmslab *s;

	if (ptr == NULL)
		return;
	KASSERT(type != NULL, ("kfree: NULL malloc_type"));
	m = km_vtopage(ptr);
	KASSERT(m != NULL,
	    ("kfree: %p is not kmalloc memory (not in managed RAM)", ptr));
	s = m->pg_slab;
	if (s == NULL)
		km_free_large(ptr, m, type);
	else
		km_free_small(ptr, s, type);
}

/*
 * Sum type's per-CPU counters.  The result is a snapshot: exact when no
 * CPU is allocating or freeing memory of that type at the same time.
 */
void
kmalloc_type_stats(struct malloc_type *type, int64_t *inuse,
    int64_t *memuse)
{
	int64_t n, b;
	int cpu;

	n = 0;
	b = 0;
	for (cpu = 0; cpu < MAXCPU; cpu++) {
		n += __atomic_load_n(&type->ks_inuse[cpu], __ATOMIC_RELAXED);
		b += __atomic_load_n(&type->ks_memuse[cpu], __ATOMIC_RELAXED);
	}
	*inuse = n;
	*memuse = b;
}

/*
 * Set up the size classes.  Called once, on the BSP, after vm_phys has
 * its memory and before the first kmalloc.  Allocates nothing.
 */
void
kmalloc_init(void)
{
	struct kmclass *kc;
	u_int ci, i, cap;

	KASSERT(!km_ready, ("kmalloc_init: called twice"));
	for (ci = 0; ci < KM_NCLASS; ci++) {
		kc = &km_class[ci];
		KASSERT(km_sizes[ci] % KM_MINALIGN == 0 &&
		    (ci == 0 || km_sizes[ci] > km_sizes[ci - 1]),
		    ("kmalloc_init: bad size class %u", km_sizes[ci]));
		spin_init(&kc->kc_lock);
		kc->kc_partial = NULL;
		kc->kc_empty = NULL;
		kc->kc_size = km_sizes[ci];
		kc->kc_nobjs = PAGE_SIZE / km_sizes[ci];
		cap = PAGE_SIZE / km_sizes[ci];
		kc->kc_magcap = MAX(KM_MAGMIN, MIN(KM_MAGMAX, cap));
	}
	KKASSERT(km_sizes[KM_NCLASS - 1] == KM_MAXSMALL);
	ci = 0;
	for (i = 0; i < nitems(km_sizeidx); i++) {
		while (km_sizes[ci] < i * KM_MINALIGN)
			ci++;
		km_sizeidx[i] = ci;
	}
	km_ready = true;
}
