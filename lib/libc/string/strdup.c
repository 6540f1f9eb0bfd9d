/*
 * Allocating string copies.  Both return NULL with errno ENOMEM (set by
 * malloc) when memory runs out.
 */
#include <stdlib.h>
#include <string.h>

char *
strdup(const char *s)
{
	return (strndup(s, (size_t)-1));
}

/* Copy at most n bytes of s into a new NUL-terminated string. */
char *
strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p;

	p = malloc(len + 1);
	if (p == NULL)
		return (NULL);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}
