/*
 * The kernel's small string and memory library.  The compiler may emit
 * calls to memcpy/memset/memmove/memcmp itself, so these must exist with
 * their standard contracts.  Simple, byte-correct code; the bulk copies
 * and fills use the x86 string instructions eight bytes at a time: under
 * emulation (TCG, and the instruction-emulating KVM of our build
 * machines) each iteration of a rep prefix costs about as much as an
 * instruction, so movsq/stosq are eight times cheaper than movsb/stosb.
 */

#include <sys/types.h>
#include <sys/systm.h>

void *
memcpy(void *dst, const void *src, size_t len)
{
	void *d = dst;
	size_t q = len / 8, r = len % 8;

	__asm__ __volatile__("rep movsq\n\tmovq %3, %%rcx\n\trep movsb"
	    : "+D"(d), "+S"(src), "+c"(q) : "r"(r) : "memory");
	return (dst);
}

void *
memmove(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || len == 0)
		return (dst);
	if (d < s || d >= s + len)
		return (memcpy(dst, src, len));
	while (len-- > 0)
		d[len] = s[len];
	return (dst);
}

void *
memset(void *dst, int c, size_t len)
{
	void *d = dst;
	size_t q = len / 8, r = len % 8;
	uint64_t v = (uint8_t)c * 0x0101010101010101UL;

	__asm__ __volatile__("rep stosq\n\tmovq %3, %%rcx\n\trep stosb"
	    : "+D"(d), "+c"(q), "+a"(v) : "r"(r) : "memory");
	return (dst);
}

int
memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < len; i++)
		if (p[i] != q[i])
			return (p[i] - q[i]);
	return (0);
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return (n);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return (n);
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return ((unsigned char)*a - (unsigned char)*b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return ((unsigned char)*a - (unsigned char)*b);
		if (*a == '\0')
			break;
	}
	return (0);
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return ((char *)s);
		if (*s == '\0')
			return (NULL);
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}

/*
 * Shell-style glob: '*' matches any run, '?' any one character.
 * Iterative with one backtrack point, so it is linear-ish and cannot
 * recurse deeply on hostile patterns.
 */
bool
globmatch(const char *pat, const char *str)
{
	const char *star = NULL, *resume = NULL;

	while (*str != '\0') {
		if (*pat == '*') {
			star = ++pat;
			resume = str;
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
		} else if (star != NULL) {
			pat = star;
			str = ++resume;
		} else {
			return (false);
		}
	}
	while (*pat == '*')
		pat++;
	return (*pat == '\0');
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (*s == ' ')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = 10;
	}
	for (;; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end != NULL)
		*end = (char *)s;
	return (v);
}
