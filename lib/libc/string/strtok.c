/*
 * Tokenizing: strtok (one hidden cursor, not reentrant), strtok_r (the
 * cursor is the caller's) and strsep (empty fields are kept).
 */
#include <stddef.h>
#include <string.h>

char *
strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
	char *end;

	if (s == NULL)
		s = *save;
	if (s == NULL)
		return (NULL);
	s += strspn(s, delim);
	if (*s == '\0') {
		*save = NULL;
		return (NULL);
	}
	end = s + strcspn(s, delim);
	if (*end != '\0') {
		*end = '\0';
		*save = end + 1;
	} else
		*save = NULL;
	return (s);
}

char *
strtok(char *restrict s, const char *restrict delim)
{
	static char *cursor;

	return (strtok_r(s, delim, &cursor));
}

char *
strsep(char **sp, const char *delim)
{
	char *s = *sp, *end;

	if (s == NULL)
		return (NULL);
	end = s + strcspn(s, delim);
	if (*end != '\0') {
		*end = '\0';
		*sp = end + 1;
	} else
		*sp = NULL;
	return (s);
}
