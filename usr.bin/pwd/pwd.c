/*
 * pwd: print the absolute path of the working directory, as getcwd()
 * reports it (the physical path: there is no $PWD logic).  The -L and -P
 * options are accepted and both mean -P.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char buf[PATH_MAX];
	int ch;

	while ((ch = getopt(argc, argv, "LP")) != -1) {
		if (ch == '?') {
			fprintf(stderr, "usage: pwd [-L | -P]\n");
			return (1);
		}
	}
	if (getcwd(buf, sizeof(buf)) == NULL) {
		fprintf(stderr, "pwd: getcwd: %s\n", strerror(errno));
		return (1);
	}
	printf("%s\n", buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "pwd: write: %s\n", strerror(errno));
		return (1);
	}
	return (0);
}
