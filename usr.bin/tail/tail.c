/*
 * tail: copy the last lines of files.
 *
 *   tail [-n [+]count] [file ...]
 *
 * Writes the last count (default 10) lines of each file, or of standard
 * input for none or "-"; "+count" instead starts at line count (1 =
 * everything).  With several files each gets a "==> NAME <==" header.
 *
 * The input is read once from the start, so pipes work like files: the
 * last count lines are kept in a ring of line buffers (getline), which
 * grows only as lines arrive, so a huge count costs memory only for the
 * lines that exist.  Memory is what those lines take; a single line of
 * any length is fine while malloc lasts.  A final line without newline
 * is written without one.  -f is not supported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One kept line: getline's buffer and the line's length. */
struct tail_line {
	char	*tl_buf;
	size_t	 tl_cap;
	ssize_t	 tl_len;
};

static unsigned long long	tail_n = 10;
static int			tail_plus;	/* "+count" form */

/* Write the lines of fp from line tail_n on.  0 or an errno. */
static int
tail_from(FILE *fp)
{
	unsigned long long line;
	int c;

	line = 1;
	while ((c = getc(fp)) != EOF) {
		if (line >= tail_n)
			putchar(c);
		if (c == '\n')
			line++;
	}
	return (ferror(fp) ? (errno != 0 ? errno : EIO) : 0);
}

/* Write the last tail_n lines of fp.  0 or an errno. */
static int
tail_last(FILE *fp)
{
	struct tail_line *ring, *nr, cur, tmp;
	size_t cap, used, next, i;
	int error;

	if (tail_n == 0)
		return (0);
	ring = NULL;
	cap = used = next = 0;
	error = 0;
	memset(&cur, 0, sizeof(cur));
	/* Read into cur, then swap it with the slot it replaces. */
	while ((cur.tl_len = getline(&cur.tl_buf, &cur.tl_cap, fp)) >= 0) {
		if (next == cap && cap < tail_n) {
			/* Grow: the ring has not wrapped yet (next == used). */
			size_t ncap = cap == 0 ? 16 : 2 * cap;

			if (ncap > tail_n)
				ncap = tail_n;
			nr = realloc(ring, ncap * sizeof(*ring));
			if (nr == NULL) {
				error = ENOMEM;
				break;
			}
			memset(nr + cap, 0, (ncap - cap) * sizeof(*nr));
			ring = nr;
			cap = ncap;
		}
		if (next == cap)
			next = 0;
		tmp = ring[next];
		ring[next] = cur;
		cur = tmp;
		next++;
		if (used < cap)
			used++;
	}
	if (error == 0 && ferror(fp))
		error = errno != 0 ? errno : EIO;
	/* The oldest kept line is at next when full, else at 0. */
	for (i = 0; error == 0 && i < used; i++) {
		struct tail_line *l = &ring[(used == cap ? next + i : i) % cap];

		fwrite(l->tl_buf, 1, l->tl_len, stdout);
	}
	for (i = 0; i < cap; i++)
		free(ring[i].tl_buf);
	free(ring);
	free(cur.tl_buf);
	return (error);
}

/* Parse a [+]count; exits on a bad one. */
static void
tail_count(const char *s)
{
	char *end;

	tail_plus = 0;
	if (*s == '+') {
		tail_plus = 1;
		s++;
	} else if (*s == '-')
		s++;
	errno = 0;
	tail_n = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0) {
		fprintf(stderr, "tail: invalid line count %s\n", s);
		exit(1);
	}
}

/* Tail one named file (or stdin for NULL / "-"); 0 or 1. */
static int
tail_file(const char *name)
{
	FILE *fp;
	int error;

	if (name == NULL || strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "r")) == NULL) {
		fprintf(stderr, "tail: %s: %s\n", name, strerror(errno));
		return (1);
	}
	error = tail_plus ? tail_from(fp) : tail_last(fp);
	if (fp != stdin)
		fclose(fp);
	if (error != 0) {
		fprintf(stderr, "tail: %s: %s\n", name != NULL ? name :
		    "stdin", strerror(error));
		return (1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	int ch, i, rv;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' &&
	    argv[1][1] <= '9') {
		tail_count(argv[1] + 1);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n') {
			fprintf(stderr,
			    "usage: tail [-n [+]count] [file ...]\n");
			return (1);
		}
		tail_count(optarg);
	}
	if (optind >= argc)
		return (tail_file(NULL));
	rv = 0;
	for (i = optind; i < argc; i++) {
		if (argc - optind > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			    argv[i]);
		rv |= tail_file(argv[i]);
	}
	return (rv);
}
