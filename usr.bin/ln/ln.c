/*
 * ln: make links.  "ln [-s] [-f] target name" links name to target;
 * "ln [-s] [-f] target... dir" makes dir/basename(target) for each.
 * Hard links by default, symbolic with -s (the target text is stored as
 * given).  -f unlinks an existing name first.  The last operand is taken
 * as a directory when it is one (following a symlink to it), as with
 * POSIX ln without -n.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int	ln_sflag;
static int	ln_fflag;

/* Make one link name -> target.  Returns 0 or 1 (reported). */
static int
ln_one(const char *target, const char *name)
{
	int rv;

	if (ln_fflag && unlink(name) != 0 && errno != ENOENT) {
		fprintf(stderr, "ln: %s: %s\n", name, strerror(errno));
		return (1);
	}
	rv = ln_sflag ? symlink(target, name) : link(target, name);
	if (rv != 0) {
		fprintf(stderr, "ln: %s: %s\n", name, strerror(errno));
		return (1);
	}
	return (0);
}

/* The last component of path, ignoring trailing slashes, into buf. */
static const char *
ln_basename(const char *path, char *buf, size_t size)
{
	const char *end, *p;
	size_t len;

	end = path + strlen(path);
	while (end > path + 1 && end[-1] == '/')
		end--;
	p = end;
	while (p > path && p[-1] != '/')
		p--;
	len = end - p;
	if (len >= size)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (buf);
}

int
main(int argc, char **argv)
{
	char path[PATH_MAX], base[NAME_MAX + 1];
	struct stat st;
	const char *dir;
	int ch, i, rv;

	while ((ch = getopt(argc, argv, "sf")) != -1) {
		switch (ch) {
		case 's':
			ln_sflag = 1;
			break;
		case 'f':
			ln_fflag = 1;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		goto usage;
	if (argc == 1)
		return (ln_one(argv[0],
		    ln_basename(argv[0], base, sizeof(base))));
	dir = argv[argc - 1];
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (argc == 2)
			return (ln_one(argv[0], argv[1]));
		fprintf(stderr, "ln: %s: %s\n", dir, strerror(ENOTDIR));
		return (1);
	}
	rv = 0;
	for (i = 0; i < argc - 1; i++) {
		ln_basename(argv[i], base, sizeof(base));
		if (snprintf(path, sizeof(path), "%s/%s", dir, base) >=
		    (int)sizeof(path)) {
			fprintf(stderr, "ln: %s/%s: %s\n", dir, base,
			    strerror(ENAMETOOLONG));
			rv = 1;
			continue;
		}
		rv |= ln_one(argv[i], path);
	}
	return (rv);
usage:
	fprintf(stderr, "usage: ln [-s] [-f] target [name]\n"
	    "       ln [-s] [-f] target ... directory\n");
	return (1);
}
