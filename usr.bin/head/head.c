/*
 * head: copy the first lines of files.
 *
 *   head [-n count] [file ...]
 *
 * Writes the first count (default 10) lines of each file, or of standard
 * input for none or "-".  With several files each is preceded by
 * "==> NAME <==" (and a blank line between them).  Lines may be of any
 * length: the copy is byte by byte through stdio, counting newlines, so
 * nothing is held in memory.  The obsolescent form "-N" is accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy the first n lines of fp to stdout.  0, or an errno. */
static int
head_copy(FILE *fp, unsigned long long n)
{
	int c;

	while (n > 0 && (c = getc(fp)) != EOF) {
		putchar(c);
		if (c == '\n')
			n--;
	}
	return (ferror(fp) ? (errno != 0 ? errno : EIO) : 0);
}

/* Parse a line count; exits on a bad one. */
static unsigned long long
head_count(const char *s)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0) {
		fprintf(stderr, "head: invalid line count %s\n", s);
		exit(1);
	}
	return (n);
}

int
main(int argc, char **argv)
{
	unsigned long long n;
	FILE *fp;
	int ch, i, error, rv, nfiles;

	n = 10;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' &&
	    argv[1][1] <= '9') {
		n = head_count(argv[1] + 1);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n') {
			fprintf(stderr, "usage: head [-n count] [file ...]\n");
			return (1);
		}
		n = head_count(optarg);
	}
	rv = 0;
	nfiles = argc - optind;
	if (nfiles == 0) {
		if ((error = head_copy(stdin, n)) != 0) {
			fprintf(stderr, "head: stdin: %s\n", strerror(error));
			rv = 1;
		}
		return (rv);
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			fp = stdin;
		else if ((fp = fopen(argv[i], "r")) == NULL) {
			fprintf(stderr, "head: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			    argv[i]);
		if ((error = head_copy(fp, n)) != 0) {
			fprintf(stderr, "head: %s: %s\n", argv[i],
			    strerror(error));
			rv = 1;
		}
		if (fp != stdin)
			fclose(fp);
	}
	return (rv);
}
