/*
 * getenv, setenv, unsetenv, putenv, clearenv over `environ'.
 *
 * environ starts out pointing at the array crt0 found on the stack,
 * which we may not resize.  The first change copies the array into
 * malloc'ed memory (env_owned records that), and later changes grow it
 * with realloc.  Strings added by setenv are malloc'ed and are never
 * freed, because a program may still hold a pointer obtained from
 * getenv; putenv inserts the caller's string itself, as POSIX requires.
 * If a program assigns environ itself, env_owned no longer matches it
 * and the next change copies again.
 *
 * NOTE: not thread-safe.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static char **env_owned;	/* environ when it is our malloc'ed array */
static size_t env_cap;		/* slots in env_owned, terminator included */

/* Index of the entry for name (namelen bytes) in environ, or -1. */
static long
env_find(const char *name, size_t namelen)
{
	long i;

	if (environ == NULL)
		return (-1);
	for (i = 0; environ[i] != NULL; i++) {
		if (strncmp(environ[i], name, namelen) == 0 &&
		    environ[i][namelen] == '=')
			return (i);
	}
	return (-1);
}

static size_t
env_count(void)
{
	size_t n = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	return (n);
}

/* Make room for one more entry in an array we own; -1 with ENOMEM. */
static int
env_reserve(void)
{
	size_t n = env_count(), cap;
	char **v;

	if (environ == env_owned && env_owned != NULL && n + 2 <= env_cap)
		return (0);
	cap = (n + 2) * 2;
	if (environ == env_owned && env_owned != NULL)
		v = realloc(env_owned, cap * sizeof(char *));
	else {
		v = malloc(cap * sizeof(char *));
		if (v != NULL && n > 0)
			memcpy(v, environ, n * sizeof(char *));
	}
	if (v == NULL)
		return (-1);
	v[n] = NULL;
	environ = env_owned = v;
	env_cap = cap;
	return (0);
}

/* Put the "name=value" string entry in place of name's entry or at end. */
static int
env_insert(char *entry, size_t namelen)
{
	long i;
	size_t n;

	if (env_reserve() != 0)
		return (-1);
	i = env_find(entry, namelen);
	if (i >= 0) {
		environ[i] = entry;
		return (0);
	}
	n = env_count();
	environ[n] = entry;
	environ[n + 1] = NULL;
	return (0);
}

static int
env_badname(const char *name)
{
	return (name == NULL || name[0] == '\0' || strchr(name, '=') != NULL);
}

char *
getenv(const char *name)
{
	size_t len = strlen(name);
	long i;

	if (len == 0 || strchr(name, '=') != NULL)
		return (NULL);
	i = env_find(name, len);
	return (i < 0 ? NULL : environ[i] + len + 1);
}

int
setenv(const char *name, const char *value, int overwrite)
{
	size_t nlen, vlen;
	char *entry;

	if (env_badname(name)) {
		errno = EINVAL;
		return (-1);
	}
	nlen = strlen(name);
	if (!overwrite && env_find(name, nlen) >= 0)
		return (0);
	vlen = strlen(value);
	entry = malloc(nlen + vlen + 2);
	if (entry == NULL)
		return (-1);
	memcpy(entry, name, nlen);
	entry[nlen] = '=';
	memcpy(entry + nlen + 1, value, vlen + 1);
	if (env_insert(entry, nlen) != 0) {
		free(entry);
		return (-1);
	}
	return (0);
}

/* Remove every entry for name, keeping the order of the others. */
int
unsetenv(const char *name)
{
	size_t len;
	long i, j;

	if (env_badname(name)) {
		errno = EINVAL;
		return (-1);
	}
	len = strlen(name);
	while ((i = env_find(name, len)) >= 0) {
		for (j = i; environ[j] != NULL; j++)
			environ[j] = environ[j + 1];
	}
	return (0);
}

int
putenv(char *string)
{
	char *eq = strchr(string, '=');

	if (eq == NULL || eq == string) {
		errno = EINVAL;
		return (-1);
	}
	return (env_insert(string, (size_t)(eq - string)));
}

int
clearenv(void)
{
	if (env_owned != NULL && environ == env_owned) {
		env_owned[0] = NULL;
		return (0);
	}
	environ = NULL;
	return (0);
}
