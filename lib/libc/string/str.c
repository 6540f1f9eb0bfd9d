/*
 * The str* functions on NUL-terminated strings: length, comparison,
 * copying, concatenation and search.  Tokenizing (strtok, strsep), the
 * allocating copies (strdup) and error strings live in their own files.
 *
 * All comparisons are of unsigned char values, as the C standard
 * requires; the case-insensitive ones use the "C" locale.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return ((size_t)(p - s));
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n;

	for (n = 0; n < max && s[n] != '\0'; n++)
		;
	return (n);
}

int
strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p != '\0' && *p == *q) {
		p++;
		q++;
	}
	return (*p - *q);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return (*p - *q);
		if (*p == '\0')
			break;
	}
	return (0);
}

int
strcoll(const char *a, const char *b)
{
	return (strcmp(a, b));
}

static int
str_lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

int
strcasecmp(const char *a, const char *b)
{
	return (strncasecmp(a, b, (size_t)-1));
}

int
strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	int x, y;

	for (; n > 0; n--, p++, q++) {
		x = str_lower(*p);
		y = str_lower(*q);
		if (x != y)
			return (x - y);
		if (x == '\0')
			break;
	}
	return (0);
}

char *
strcpy(char *restrict dst, const char *restrict src)
{
	stpcpy(dst, src);
	return (dst);
}

char *
stpcpy(char *restrict dst, const char *restrict src)
{
	while ((*dst = *src) != '\0') {
		dst++;
		src++;
	}
	return (dst);
}

/*
 * Copy at most n bytes of src and pad with NULs up to n; the result is
 * not terminated when src has n or more bytes.  Returns the address of
 * the first padding byte (or dst + n).
 */
char *
stpncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i, end;

	for (i = 0; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	end = i;
	for (; i < n; i++)
		dst[i] = '\0';
	return (dst + end);
}

char *
strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	stpncpy(dst, src, n);
	return (dst);
}

/*
 * Copy src into a buffer of size bytes, always terminating when size is
 * not 0.  Returns strlen(src); truncation happened if that is >= size.
 */
size_t
strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);
	size_t n;

	if (size > 0) {
		n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}

size_t
strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return (size + strlen(src));
	return (dlen + strlcpy(dst + dlen, src, size - dlen));
}

char *
strcat(char *restrict dst, const char *restrict src)
{
	stpcpy(dst + strlen(dst), src);
	return (dst);
}

/* Append at most n bytes of src, then always a NUL. */
char *
strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n > 0 && *src != '\0') {
		*d++ = *src++;
		n--;
	}
	*d = '\0';
	return (dst);
}

char *
strchrnul(const char *s, int c)
{
	while (*s != '\0' && *s != (char)c)
		s++;
	return ((char *)s);
}

char *
strchr(const char *s, int c)
{
	s = strchrnul(s, c);
	return (*s == (char)c ? (char *)s : NULL);
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++ != '\0');
	return ((char *)last);
}

/*
 * Find needle in haystack.  The simple quadratic scan: strings in this
 * system are short, and the worst case needs a pathological input.
 */
char *
strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return ((char *)haystack);
	for (; *haystack != '\0'; haystack++) {
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return ((char *)haystack);
	}
	return (NULL);
}

/*
 * strspn/strcspn/strpbrk use a 256-bit membership set built from the
 * accept or reject string, so they are linear in both lengths.
 */
static void
str_set(unsigned long set[4], const char *chars)
{
	const unsigned char *p = (const unsigned char *)chars;

	set[0] = set[1] = set[2] = set[3] = 0;
	for (; *p != '\0'; p++)
		set[*p / 64] |= 1UL << (*p % 64);
}

#define STR_IN(set, c)	(((set)[(c) / 64] >> ((c) % 64)) & 1)

size_t
strspn(const char *s, const char *accept)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long set[4];

	str_set(set, accept);
	while (*p != '\0' && STR_IN(set, *p))
		p++;
	return ((size_t)(p - (const unsigned char *)s));
}

size_t
strcspn(const char *s, const char *reject)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long set[4];

	str_set(set, reject);
	while (*p != '\0' && !STR_IN(set, *p))
		p++;
	return ((size_t)(p - (const unsigned char *)s));
}

char *
strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return (*s != '\0' ? (char *)s : NULL);
}

int
ffs(int v)
{
	return (v == 0 ? 0 : __builtin_ctz((unsigned int)v) + 1);
}
