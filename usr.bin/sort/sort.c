/*
 * sort: sort lines of text.
 *
 *   sort [-nru] [file ...]
 *
 * All lines of all files (standard input for none or "-") are read into
 * memory (getline, so any length), sorted with qsort and written, each
 * followed by a newline (one is added to a last line that lacked it).
 * The order is byte order (memcmp, then length); -n compares the
 * leading numbers (optional blanks, sign, digits, fraction; none counts
 * as 0), equal numbers falling back to byte order; -r reverses the
 * result; -u writes only the first of each run of lines that compare
 * equal under the key (with -n: the same number).  Lines may contain
 * NUL bytes.  The whole input must fit in memory.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sort_line {
	char	*sl_text;
	size_t	 sl_len;	/* without the newline */
	double	 sl_num;	/* -n key */
};

static int		sort_nflag, sort_rflag, sort_uflag;
static struct sort_line	*sort_v;
static size_t		sort_n, sort_cap;

/* The -n key of a line: its leading number, or 0. */
static double
sort_number(const char *s, size_t len)
{
	char buf[64];
	size_t i, j;

	i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	/* Copy the numeric prefix only: strtod must not see "1e5", "inf". */
	j = 0;
	if (i < len && s[i] == '-')
		buf[j++] = s[i++];
	while (i < len && j < sizeof(buf) - 1 &&
	    (isdigit((unsigned char)s[i]) || s[i] == '.'))
		buf[j++] = s[i++];
	buf[j] = '\0';
	return (strtod(buf, NULL));
}

/* Byte order of two lines. */
static int
sort_bytes(const struct sort_line *a, const struct sort_line *b)
{
	size_t m;
	int c;

	m = a->sl_len < b->sl_len ? a->sl_len : b->sl_len;
	c = memcmp(a->sl_text, b->sl_text, m);
	if (c != 0)
		return (c);
	return (a->sl_len < b->sl_len ? -1 : a->sl_len > b->sl_len);
}

/* The key comparison: what -u calls equal. */
static int
sort_key(const struct sort_line *a, const struct sort_line *b)
{
	if (sort_nflag)
		return (a->sl_num < b->sl_num ? -1 : a->sl_num > b->sl_num);
	return (sort_bytes(a, b));
}

static int
sort_cmp(const void *x, const void *y)
{
	const struct sort_line *a = x, *b = y;
	int c;

	c = sort_key(a, b);
	if (c == 0)
		c = sort_bytes(a, b);
	return (sort_rflag ? -c : c);
}

/* Read all lines of fp.  0 or an errno. */
static int
sort_read(FILE *fp)
{
	struct sort_line *nv, *l;
	char *line;
	size_t cap;
	ssize_t n;

	for (;;) {
		line = NULL;
		cap = 0;
		if ((n = getline(&line, &cap, fp)) < 0) {
			free(line);
			return (ferror(fp) ? (errno != 0 ? errno : EIO) : 0);
		}
		if (sort_n == sort_cap) {
			sort_cap = sort_cap == 0 ? 256 : 2 * sort_cap;
			nv = realloc(sort_v, sort_cap * sizeof(*sort_v));
			if (nv == NULL) {
				free(line);
				return (ENOMEM);
			}
			sort_v = nv;
		}
		l = &sort_v[sort_n++];
		l->sl_text = line;
		l->sl_len = n;
		if (n > 0 && line[n - 1] == '\n')
			l->sl_len--;
		l->sl_num = sort_nflag ? sort_number(line, l->sl_len) : 0;
	}
}

int
main(int argc, char **argv)
{
	FILE *fp;
	size_t i;
	int ch, k, error;

	while ((ch = getopt(argc, argv, "nru")) != -1) {
		switch (ch) {
		case 'n': sort_nflag = 1; break;
		case 'r': sort_rflag = 1; break;
		case 'u': sort_uflag = 1; break;
		default:
			fprintf(stderr, "usage: sort [-nru] [file ...]\n");
			return (2);
		}
	}
	for (k = optind; k < argc || k == optind; k++) {
		if (k >= argc || strcmp(argv[k], "-") == 0)
			fp = stdin;
		else if ((fp = fopen(argv[k], "r")) == NULL) {
			fprintf(stderr, "sort: %s: %s\n", argv[k],
			    strerror(errno));
			return (2);
		}
		error = sort_read(fp);
		if (fp != stdin)
			fclose(fp);
		if (error != 0) {
			fprintf(stderr, "sort: %s: %s\n", k < argc ? argv[k] :
			    "stdin", strerror(error));
			return (2);
		}
	}
	if (sort_n > 0)
		qsort(sort_v, sort_n, sizeof(*sort_v), sort_cmp);
	for (i = 0; i < sort_n; i++) {
		if (sort_uflag && i > 0 &&
		    sort_key(&sort_v[i - 1], &sort_v[i]) == 0)
			continue;
		fwrite(sort_v[i].sl_text, 1, sort_v[i].sl_len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sort: stdout: %s\n", strerror(errno));
		return (2);
	}
	return (0);
}
