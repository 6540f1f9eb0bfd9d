/*
 * perror, remove, and the failure path of assert(3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
perror(const char *prefix)
{
	const char *msg = strerror(errno);

	if (prefix != NULL && *prefix != '\0')
		fprintf(stderr, "%s: %s\n", prefix, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

/* Remove a file, or an empty directory if path names one. */
int
remove(const char *path)
{
	int saved = errno;

	if (unlink(path) == 0)
		return (0);
	if (errno != EISDIR && errno != EPERM)
		return (-1);
	errno = saved;
	return (rmdir(path));
}

void
__assert_fail(const char *expr, const char *file, int line, const char *func)
{
	fprintf(stderr, "Assertion failed: (%s), function %s, file %s, "
	    "line %d.\n", expr, func, file, line);
	abort();
}
