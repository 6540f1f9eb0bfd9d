/*
 * The mem* functions: byte-array copy, fill, compare and search.
 *
 * Plain C, one byte at a time except for an 8-byte-word loop in memcpy,
 * memmove and memset once both sides are word-aligned.  The word loops
 * use a may_alias type, so they are correct under strict aliasing; the
 * file must be compiled with -ffreestanding (which the build does), or
 * the compiler could turn these loops back into calls to themselves.
 *
 * Cost: O(n); no vector instructions.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

typedef uint64_t __attribute__((__may_alias__)) mem_word_t;

#define MEM_WSIZE	sizeof(mem_word_t)
#define MEM_ALIGNED(p)	(((uintptr_t)(p) & (MEM_WSIZE - 1)) == 0)

/*
 * Copy n bytes forward.  Safe for overlapping areas when dst < src,
 * which memmove relies on.
 */
static void
mem_copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	if (((uintptr_t)d & (MEM_WSIZE - 1)) ==
	    ((uintptr_t)s & (MEM_WSIZE - 1))) {
		while (n > 0 && !MEM_ALIGNED(d)) {
			*d++ = *s++;
			n--;
		}
		while (n >= MEM_WSIZE) {
			*(mem_word_t *)d = *(const mem_word_t *)s;
			d += MEM_WSIZE;
			s += MEM_WSIZE;
			n -= MEM_WSIZE;
		}
	}
	while (n-- > 0)
		*d++ = *s++;
}

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	mem_copy_fwd(dst, src, n);
	return (dst);
}

void *
mempcpy(void *restrict dst, const void *restrict src, size_t n)
{
	mem_copy_fwd(dst, src, n);
	return ((char *)dst + n);
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return (dst);
	if (d < s || d >= s + n) {
		mem_copy_fwd(d, s, n);
		return (dst);
	}
	/* Overlap with dst above src: copy backwards. */
	d += n;
	s += n;
	while (n-- > 0)
		*--d = *--s;
	return (dst);
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	mem_word_t w;

	while (n > 0 && !MEM_ALIGNED(d)) {
		*d++ = (unsigned char)c;
		n--;
	}
	w = (unsigned char)c;
	w *= 0x0101010101010101ULL;
	while (n >= MEM_WSIZE) {
		*(mem_word_t *)d = w;
		d += MEM_WSIZE;
		n -= MEM_WSIZE;
	}
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return (dst);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return (*p - *q);
	}
	return (0);
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c)
			return ((void *)p);
	}
	return (NULL);
}

void *
memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;

	while (n-- > 0) {
		if (*--p == (unsigned char)c)
			return ((void *)p);
	}
	return (NULL);
}

void
bzero(void *s, size_t n)
{
	memset(s, 0, n);
}

int
bcmp(const void *a, const void *b, size_t n)
{
	return (memcmp(a, b, n) != 0);
}

void
bcopy(const void *src, void *dst, size_t n)
{
	memmove(dst, src, n);
}
