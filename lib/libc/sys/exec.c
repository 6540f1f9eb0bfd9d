/*
 * The exec family.  execve() is the one message (SYS_EXECVE); the others
 * build its arguments: execv() passes environ, execl()/execlp() collect
 * their variable arguments into an array on the stack, and execvp()
 * searches PATH.
 *
 * execvp(file, argv): a file containing '/' is executed as is.
 * Otherwise each directory of $PATH (default "/bin:/sbin"; an empty
 * element is the current directory) is tried in order.  A file found
 * but refused with ENOEXEC is handed to /bin/sh as a script, as POSIX
 * asks.  If no directory works the error is EACCES if some candidate
 * existed but was refused, else the last error (normally ENOENT).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emul.h"

#define EXEC_DEFPATH	"/bin:/sbin"
#define EXEC_MAXARGS	256	/* execl/execlp and the script case */

int
execve(const char *path, char *const argv[], char *const envp[])
{
	return ((int)__sm_call(SYS_EXECVE, __SMP(path), __SMP(argv),
	    __SMP(envp), 0, 0));
}

int
execv(const char *path, char *const argv[])
{
	return (execve(path, argv, environ));
}

/* Run path as a shell script: /bin/sh path argv[1] ... */
static void
exec_script(const char *path, char *const argv[])
{
	char *nargv[EXEC_MAXARGS + 2];
	int i;

	nargv[0] = "sh";
	nargv[1] = (char *)path;
	for (i = 1; argv[0] != NULL && argv[i] != NULL; i++) {
		if (i + 1 >= EXEC_MAXARGS + 1) {
			errno = E2BIG;
			return;
		}
		nargv[i + 1] = argv[i];
	}
	nargv[i + 1] = NULL;
	(void)execve("/bin/sh", nargv, environ);
}

/* Try one candidate; returns only on failure, with errno set. */
static void
exec_try(const char *path, char *const argv[])
{
	(void)execve(path, argv, environ);
	if (errno == ENOEXEC)
		exec_script(path, argv);
}

int
execvp(const char *file, char *const argv[])
{
	char buf[PATH_MAX];
	const char *p, *end;
	size_t dlen, flen;
	int sawacces;

	if (file == NULL || *file == '\0') {
		errno = ENOENT;
		return (-1);
	}
	if (strchr(file, '/') != NULL) {
		exec_try(file, argv);
		return (-1);
	}
	if ((p = getenv("PATH")) == NULL)
		p = EXEC_DEFPATH;
	flen = strlen(file);
	sawacces = 0;
	errno = ENOENT;
	for (;;) {
		end = strchr(p, ':');
		dlen = end != NULL ? (size_t)(end - p) : strlen(p);
		if (dlen + 1 + flen + 1 > sizeof(buf)) {
			errno = ENAMETOOLONG;
		} else {
			if (dlen == 0) {
				memcpy(buf, file, flen + 1);
			} else {
				memcpy(buf, p, dlen);
				buf[dlen] = '/';
				memcpy(buf + dlen + 1, file, flen + 1);
			}
			exec_try(buf, argv);
			if (errno == EACCES)
				sawacces = 1;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (sawacces)
		errno = EACCES;
	return (-1);
}

/* Collect "arg0, ..., NULL" into argv; E2BIG past EXEC_MAXARGS. */
static int
exec_collect(char **argv, const char *arg0, va_list ap)
{
	int i;

	argv[0] = (char *)arg0;
	for (i = 0; argv[i] != NULL; ) {
		if (++i >= EXEC_MAXARGS) {
			errno = E2BIG;
			return (-1);
		}
		argv[i] = va_arg(ap, char *);
	}
	return (0);
}

int
execl(const char *path, const char *arg0, ...)
{
	char *argv[EXEC_MAXARGS];
	va_list ap;
	int r;

	va_start(ap, arg0);
	r = exec_collect(argv, arg0, ap);
	va_end(ap);
	if (r == -1)
		return (-1);
	return (execve(path, argv, environ));
}

int
execlp(const char *file, const char *arg0, ...)
{
	char *argv[EXEC_MAXARGS];
	va_list ap;
	int r;

	va_start(ap, arg0);
	r = exec_collect(argv, arg0, ap);
	va_end(ap);
	if (r == -1)
		return (-1);
	return (execvp(file, argv));
}
