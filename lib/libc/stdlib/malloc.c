/*
 * malloc, free, realloc, calloc, posix_memalign: the user-space memory
 * allocator, built directly on anonymous mmap.
 *
 * Every block is preceded by a 16-byte header (struct mhdr), so every
 * pointer handed out is 16-byte aligned and free() learns the block's
 * kind from the header alone.
 *
 *  - Small requests (header + size <= MALLOC_SMALL_MAX) are rounded up
 *    to one of the size classes of malloc_class_size[] (steps of 1.33x
 *    to 1.5x, so at most a third of a block is waste).  Blocks come from
 *    64 KiB arenas that are carved front to back by a bump pointer
 *    shared by all classes; freed blocks go on a per-class LIFO free
 *    list and are reused by the next request of that class.  Arena
 *    memory is never returned to the kernel.
 *  - Large requests get their own mapping, rounded up to whole pages;
 *    free() unmaps it, so large memory goes back to the kernel at once.
 *    posix_memalign with an alignment above 16 always takes this path and
 *    records the distance from the mapping's start to the header.
 *
 * Cost: small malloc/free are O(1) (a list pop or a bump); large ones are
 * a system call each.  realloc keeps the block when the new size still
 * fits its class (and would not fit the class below) or its mapping
 * (and is not below a quarter of it), and otherwise copies.
 *
 * NOTE: no locking: the allocator is not thread-safe, like the rest of
 * this libc's global state (errno, stdio).
 * NOTE: an invalid or double free is detected only when the header's
 * magic value is wrong; then the process aborts.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MALLOC_PAGE	4096UL
#define MALLOC_ARENA	(64 * 1024UL)
#define MALLOC_HDR	16UL
#define MALLOC_MAGIC	0x6d616c6cU	/* "mall": a live block */
#define MALLOC_FREEMAGIC 0x66726565U	/* "free": a free small block */
#define MALLOC_LARGE	0xffffU		/* mh_class of a mapped block */

struct mhdr {
	uint32_t	mh_magic;	/* MALLOC_MAGIC or MALLOC_FREEMAGIC */
	uint16_t	mh_class;	/* size class, or MALLOC_LARGE */
	uint16_t	mh_pad;
	uint32_t	mh_offset;	/* large: mapping start to header */
	uint32_t	mh_pages;	/* large: mapping length in pages */
};
_Static_assert(sizeof(struct mhdr) == MALLOC_HDR, "malloc header size");

/* A free small block: the header, then the free-list link. */
struct mfree {
	struct mhdr	mf_hdr;
	struct mfree	*mf_next;
};

/* Block sizes including the header; all multiples of 16. */
static const uint32_t malloc_class_size[] = {
	32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048,
	3072, 4096,
};
#define MALLOC_NCLASS	(sizeof(malloc_class_size) / sizeof(uint32_t))
#define MALLOC_SMALL_MAX 4096UL

static struct mfree *malloc_freelist[MALLOC_NCLASS];
static char *malloc_bump;	/* next free byte of the current arena */
static char *malloc_bump_end;	/* end of the current arena */

static void *
malloc_map(size_t len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	if (p == MAP_FAILED) {
		errno = ENOMEM;
		return (NULL);
	}
	return (p);
}

static _Noreturn void
malloc_corrupt(void)
{
	abort();
}

static unsigned int
malloc_class_of(size_t total)
{
	unsigned int c;

	for (c = 0; c < MALLOC_NCLASS; c++) {
		if (total <= malloc_class_size[c])
			break;
	}
	return (c);
}

/* Allocate a small block of class c; returns its header or NULL. */
static struct mhdr *
malloc_small(unsigned int c)
{
	struct mfree *f;
	size_t sz = malloc_class_size[c];
	char *p;

	f = malloc_freelist[c];
	if (f != NULL) {
		if (f->mf_hdr.mh_magic != MALLOC_FREEMAGIC)
			malloc_corrupt();
		malloc_freelist[c] = f->mf_next;
		return (&f->mf_hdr);
	}
	if (malloc_bump == NULL ||
	    (size_t)(malloc_bump_end - malloc_bump) < sz) {
		/* The tail of the old arena is abandoned (< 4 KiB). */
		p = malloc_map(MALLOC_ARENA);
		if (p == NULL)
			return (NULL);
		malloc_bump = p;
		malloc_bump_end = p + MALLOC_ARENA;
	}
	p = malloc_bump;
	malloc_bump += sz;
	return ((struct mhdr *)p);
}

/*
 * Map a large block of size user bytes whose user pointer is aligned to
 * align (a power of two >= 16).  Returns the user pointer or NULL.
 */
static void *
malloc_large(size_t size, size_t align)
{
	size_t len, slack;
	char *base, *user;
	struct mhdr *h;

	slack = align > MALLOC_HDR ? align : 0;
	if (size > SIZE_MAX - MALLOC_PAGE - MALLOC_HDR - slack) {
		errno = ENOMEM;
		return (NULL);
	}
	len = (size + MALLOC_HDR + slack + MALLOC_PAGE - 1) &
	    ~(MALLOC_PAGE - 1);
	if (len / MALLOC_PAGE > UINT32_MAX || slack > UINT32_MAX) {
		errno = ENOMEM;
		return (NULL);
	}
	base = malloc_map(len);
	if (base == NULL)
		return (NULL);
	user = base + MALLOC_HDR;
	if (slack != 0)
		user = (char *)(((uintptr_t)user + align - 1) & ~(align - 1));
	h = (struct mhdr *)(user - MALLOC_HDR);
	h->mh_magic = MALLOC_MAGIC;
	h->mh_class = MALLOC_LARGE;
	h->mh_pad = 0;
	h->mh_offset = (uint32_t)((char *)h - base);
	h->mh_pages = (uint32_t)(len / MALLOC_PAGE);
	return (user);
}

void *
malloc(size_t size)
{
	struct mhdr *h;
	unsigned int c;

	if (size <= MALLOC_SMALL_MAX - MALLOC_HDR) {
		c = malloc_class_of(size + MALLOC_HDR);
		h = malloc_small(c);
		if (h == NULL)
			return (NULL);
		h->mh_magic = MALLOC_MAGIC;
		h->mh_class = (uint16_t)c;
		h->mh_pad = 0;
		h->mh_offset = 0;
		h->mh_pages = 0;
		return ((char *)h + MALLOC_HDR);
	}
	return (malloc_large(size, MALLOC_HDR));
}

/* The header of a live block, checked. */
static struct mhdr *
malloc_hdr(void *p)
{
	struct mhdr *h = (struct mhdr *)((char *)p - MALLOC_HDR);

	if (h->mh_magic != MALLOC_MAGIC ||
	    (h->mh_class >= MALLOC_NCLASS && h->mh_class != MALLOC_LARGE))
		malloc_corrupt();
	return (h);
}

/* Usable bytes of the block whose header is h. */
static size_t
malloc_usable(struct mhdr *h)
{
	if (h->mh_class == MALLOC_LARGE)
		return ((size_t)h->mh_pages * MALLOC_PAGE - h->mh_offset -
		    MALLOC_HDR);
	return (malloc_class_size[h->mh_class] - MALLOC_HDR);
}

void
free(void *p)
{
	struct mhdr *h;
	struct mfree *f;

	if (p == NULL)
		return;
	h = malloc_hdr(p);
	if (h->mh_class == MALLOC_LARGE) {
		h->mh_magic = 0;
		munmap((char *)h - h->mh_offset,
		    (size_t)h->mh_pages * MALLOC_PAGE);
		return;
	}
	f = (struct mfree *)h;
	f->mf_hdr.mh_magic = MALLOC_FREEMAGIC;
	f->mf_next = malloc_freelist[h->mh_class];
	malloc_freelist[h->mh_class] = f;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return (NULL);
	}
	p = malloc(n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return (p);
}

/*
 * Resize p to size bytes, keeping min(old, new) bytes of content.
 * realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns a
 * fresh minimum-size block (NULL only when out of memory).  On failure
 * p is untouched and NULL is returned.
 */
void *
realloc(void *p, size_t size)
{
	struct mhdr *h;
	size_t have;
	void *q;

	if (p == NULL)
		return (malloc(size));
	h = malloc_hdr(p);
	have = malloc_usable(h);
	if (size <= have) {
		if (h->mh_class != MALLOC_LARGE && (h->mh_class == 0 ||
		    size + MALLOC_HDR > malloc_class_size[h->mh_class - 1]))
			return (p);
		if (h->mh_class == MALLOC_LARGE && size >= have / 4 &&
		    size > MALLOC_SMALL_MAX)
			return (p);
	}
	q = malloc(size);
	if (q == NULL)
		return (NULL);
	memcpy(q, p, size < have ? size : have);
	free(p);
	return (q);
}

void *
reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return (NULL);
	}
	return (realloc(p, n * size));
}

/*
 * Allocate size bytes aligned to align, which must be a power of two and
 * a multiple of sizeof(void *).  Returns 0 or an errno (EINVAL, ENOMEM);
 * errno itself is left alone, as POSIX asks.
 */
int
posix_memalign(void **out, size_t align, size_t size)
{
	int saved = errno;
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return (EINVAL);
	if (align <= MALLOC_HDR)
		p = malloc(size);
	else
		p = malloc_large(size, align);
	if (p == NULL) {
		errno = saved;
		return (ENOMEM);
	}
	*out = p;
	return (0);
}

void *
aligned_alloc(size_t align, size_t size)
{
	void *p;
	int error;

	if (align < sizeof(void *))
		align = sizeof(void *);
	error = posix_memalign(&p, align, size);
	if (error != 0) {
		errno = error;
		return (NULL);
	}
	return (p);
}
