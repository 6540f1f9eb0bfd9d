/*
 * cat: copy each file operand, or standard input for none or for "-", to
 * standard output, in order.  Bytes pass through unchanged with read(2)
 * and write(2) in 64 KiB chunks; no stdio buffering is involved, so
 * output interleaves correctly with other writers.  A file that cannot
 * be opened or read is reported ("cat: NAME: strerror") and skipped; the
 * exit status is then 1.  A write error ends the program at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char cat_buf[65536];

/*
 * Write all of buf to fd, retrying short writes and EINTR.  Returns 0 or
 * -1 with errno set.
 */
static int
cat_writeall(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= n;
	}
	return (0);
}

/*
 * Copy fd to standard output.  Returns 0, 1 on a read error (reported),
 * or exits with status 1 on a write error.
 */
static int
cat_fd(int fd, const char *name)
{
	ssize_t n;

	for (;;) {
		n = read(fd, cat_buf, sizeof(cat_buf));
		if (n == 0)
			return (0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return (1);
		}
		if (cat_writeall(STDOUT_FILENO, cat_buf, n) != 0) {
			fprintf(stderr, "cat: stdout: %s\n", strerror(errno));
			_exit(1);
		}
	}
}

int
main(int argc, char **argv)
{
	int i, fd, rv;

	rv = 0;
	/* The only option is -u (unbuffered), which cat always is. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-u") != 0) {
			fprintf(stderr, "cat: unknown option %s\n"
			    "usage: cat [-u] [file ...]\n", argv[i]);
			return (1);
		}
	}
	if (i >= argc)
		return (cat_fd(STDIN_FILENO, "stdin"));
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			rv |= cat_fd(STDIN_FILENO, "stdin");
			continue;
		}
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
			continue;
		}
		rv |= cat_fd(fd, argv[i]);
		close(fd);
	}
	return (rv);
}
