/*
 * wc: count lines, words and bytes.
 *
 *   wc [-clw] [file ...]
 *
 * Without options all three are printed, in the order lines, words,
 * bytes; with any of -l -w -c only those.  Each count is right-aligned
 * in a field of 7 followed by a blank (the first without leading
 * blank), then the file name (none for standard input).  With more than
 * one operand a "total" line follows.  A word is a maximal run of
 * non-white-space bytes (isspace in the C locale).  "-" is standard
 * input.  Unreadable files are reported and skipped; exit status 1.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct wc_counts {
	unsigned long long	wc_lines;
	unsigned long long	wc_words;
	unsigned long long	wc_bytes;
};

static int	wc_lflag, wc_wflag, wc_cflag;
static char	wc_buf[65536];

/* Count fd into *c.  Returns 0 or an errno. */
static int
wc_fd(int fd, struct wc_counts *c)
{
	ssize_t n, i;
	int inword;

	inword = 0;
	for (;;) {
		n = read(fd, wc_buf, sizeof(wc_buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (errno);
		if (n == 0)
			return (0);
		c->wc_bytes += n;
		for (i = 0; i < n; i++) {
			unsigned char ch = wc_buf[i];

			if (ch == '\n')
				c->wc_lines++;
			if (isspace(ch))
				inword = 0;
			else if (!inword) {
				inword = 1;
				c->wc_words++;
			}
		}
	}
}

static void
wc_print(const struct wc_counts *c, const char *name)
{
	const char *sep;

	sep = "";
	if (wc_lflag) {
		printf("%s%7llu", sep, c->wc_lines);
		sep = " ";
	}
	if (wc_wflag) {
		printf("%s%7llu", sep, c->wc_words);
		sep = " ";
	}
	if (wc_cflag)
		printf("%s%7llu", sep, c->wc_bytes);
	if (name != NULL)
		printf(" %s", name);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	struct wc_counts c, total;
	int ch, i, fd, error, rv;

	while ((ch = getopt(argc, argv, "clw")) != -1) {
		switch (ch) {
		case 'c':
			wc_cflag = 1;
			break;
		case 'l':
			wc_lflag = 1;
			break;
		case 'w':
			wc_wflag = 1;
			break;
		default:
			fprintf(stderr, "usage: wc [-clw] [file ...]\n");
			return (1);
		}
	}
	if (!wc_lflag && !wc_wflag && !wc_cflag)
		wc_lflag = wc_wflag = wc_cflag = 1;
	memset(&total, 0, sizeof(total));
	rv = 0;
	if (optind >= argc) {
		memset(&c, 0, sizeof(c));
		if ((error = wc_fd(STDIN_FILENO, &c)) != 0) {
			fprintf(stderr, "wc: stdin: %s\n", strerror(error));
			return (1);
		}
		wc_print(&c, NULL);
		return (0);
	}
	for (i = optind; i < argc; i++) {
		memset(&c, 0, sizeof(c));
		if (strcmp(argv[i], "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
			continue;
		}
		error = wc_fd(fd, &c);
		if (fd != STDIN_FILENO)
			close(fd);
		if (error != 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i],
			    strerror(error));
			rv = 1;
			continue;
		}
		wc_print(&c, argv[i]);
		total.wc_lines += c.wc_lines;
		total.wc_words += c.wc_words;
		total.wc_bytes += c.wc_bytes;
	}
	if (argc - optind > 1)
		wc_print(&total, "total");
	return (rv);
}
