/*
 * exec_helper - run by the exec test through execve().  It checks that
 * its argv and environment arrived exactly as sent and that a
 * close-on-exec descriptor is really closed, and exits with a code
 * derived from what it received, so the caller can tell it ran:
 *
 *   argv = { "exec_helper", "alpha", "beta gamma", "", N, FD }
 *   envp = { "UT_ONE=1", "UT_TWO=two=2", NULL }
 *
 * exit code = 100 + N + (number of argv strings), or a small code 1..9
 * naming the first thing that was wrong.  FD (if not "-") is a
 * descriptor the parent marked FD_CLOEXEC: it must be closed here
 * (fcntl F_GETFD fails with EBADF).
 */
#include <fcntl.h>
#include <unistd.h>

#include "utest.h"

int
main(int argc, char **argv, char **envp)
{
	int n, fd, nenv;

	UT_INIT();
	if (argc != 6 || argv[6] != NULL)
		return (2);
	if (strcmp(argv[1], "alpha") != 0 ||
	    strcmp(argv[2], "beta gamma") != 0 || argv[3][0] != '\0')
		return (3);
	for (nenv = 0; envp[nenv] != NULL; nenv++)
		;
	if (nenv != 2 || strcmp(envp[0], "UT_ONE=1") != 0 ||
	    strcmp(envp[1], "UT_TWO=two=2") != 0)
		return (4);
	if (getenv("UT_TWO") == NULL || strcmp(getenv("UT_TWO"), "two=2") != 0)
		return (5);
	n = atoi(argv[4]);
	if (strcmp(argv[5], "-") != 0) {
		fd = atoi(argv[5]);
		errno = 0;
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
			UT_LOG("close-on-exec fd %d still open", fd);
			return (6);
		}
	}
	/* The standard descriptors survive exec. */
	if (fcntl(1, F_GETFD) == -1)
		return (7);
	return (100 + n + argc);
}
