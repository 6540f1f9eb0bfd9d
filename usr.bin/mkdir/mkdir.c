/*
 * mkdir: create each directory operand with mode 0777 (less the umask,
 * which the kernel applies if it has one).  With -p the missing parents
 * are created first and an operand that already exists as a directory is
 * not an error.  -m MODE (octal) sets the mode of the operands.
 * Each failure is reported as "mkdir: NAME: strerror"; exit status 1 if
 * any operand failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether path names an existing directory. */
static int
mkdir_isdir(const char *path)
{
	struct stat st;

	return (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/*
 * Create path and its missing ancestors (-p).  The path is copied and
 * cut at each slash in turn.  Returns 0, or -1 with errno set and the
 * failing prefix reported.
 */
static int
mkdir_parents(const char *path, mode_t mode)
{
	char *buf, *p;
	int rv;

	buf = strdup(path);
	if (buf == NULL) {
		fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	rv = 0;
	p = buf;
	for (;;) {
		while (*p == '/')
			p++;
		p = strchr(p, '/');
		if (p != NULL)
			*p = '\0';
		if (mkdir(buf, p == NULL ? mode : 0777) != 0 &&
		    !(errno == EEXIST && mkdir_isdir(buf))) {
			fprintf(stderr, "mkdir: %s: %s\n", buf,
			    strerror(errno));
			rv = -1;
			break;
		}
		if (p == NULL)
			break;
		*p++ = '/';
		if (*p == '\0')
			break;
	}
	free(buf);
	return (rv);
}

int
main(int argc, char **argv)
{
	mode_t mode;
	char *end;
	int ch, i, pflag, rv;

	pflag = 0;
	mode = 0777;
	while ((ch = getopt(argc, argv, "pm:")) != -1) {
		switch (ch) {
		case 'p':
			pflag = 1;
			break;
		case 'm':
			mode = strtoul(optarg, &end, 8);
			if (*optarg == '\0' || *end != '\0' || mode > 07777) {
				fprintf(stderr, "mkdir: invalid mode %s\n",
				    optarg);
				return (1);
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	rv = 0;
	for (i = optind; i < argc; i++) {
		if (pflag) {
			if (mkdir_parents(argv[i], mode) != 0)
				rv = 1;
			continue;
		}
		if (mkdir(argv[i], mode) != 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
		}
	}
	return (rv);
usage:
	fprintf(stderr, "usage: mkdir [-p] [-m mode] directory ...\n");
	return (1);
}
