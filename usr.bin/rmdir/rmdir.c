/*
 * rmdir: remove each empty directory operand.  With -p each operand's
 * parents are removed too, innermost first, stopping at the first that
 * fails (reported).  Exit status 1 if anything failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Remove path, then (with -p) its ancestors named in path. */
static int
rmdir_one(const char *path, int pflag)
{
	char *buf, *p;
	int rv;

	if (rmdir(path) != 0) {
		fprintf(stderr, "rmdir: %s: %s\n", path, strerror(errno));
		return (1);
	}
	if (!pflag)
		return (0);
	buf = strdup(path);
	if (buf == NULL) {
		fprintf(stderr, "rmdir: %s\n", strerror(errno));
		return (1);
	}
	rv = 0;
	for (;;) {
		/* Drop trailing slashes, then the last component. */
		p = buf + strlen(buf);
		while (p > buf && p[-1] == '/')
			p--;
		while (p > buf && p[-1] != '/')
			p--;
		while (p > buf && p[-1] == '/')
			p--;
		if (p == buf)
			break;
		*p = '\0';
		if (rmdir(buf) != 0) {
			fprintf(stderr, "rmdir: %s: %s\n", buf,
			    strerror(errno));
			rv = 1;
			break;
		}
	}
	free(buf);
	return (rv);
}

int
main(int argc, char **argv)
{
	int ch, i, pflag, rv;

	pflag = 0;
	while ((ch = getopt(argc, argv, "p")) != -1) {
		if (ch != 'p')
			goto usage;
		pflag = 1;
	}
	if (optind >= argc)
		goto usage;
	rv = 0;
	for (i = optind; i < argc; i++)
		rv |= rmdir_one(argv[i], pflag);
	return (rv);
usage:
	fprintf(stderr, "usage: rmdir [-p] directory ...\n");
	return (1);
}
