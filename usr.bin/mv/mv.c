/*
 * mv: move files.  "mv [-f] src dst" renames src to dst (to
 * dst/basename(src) when dst is an existing directory); "mv src... dir"
 * moves each source into dir.  rename(2) does the work; when it fails
 * with EXDEV (source and destination on different filesystems) the
 * source is copied (regular files with their permission bits, symbolic
 * links as links, directories recursively) and then removed.  The copy
 * is finished before anything is removed; if the copy fails the source
 * stays and the partial copy is left for the user to inspect.
 * -f and -i are accepted; there is never a prompt.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char	mv_buf[65536];

static int	mv_copy(const char *src, const char *dst);
static int	mv_remove(const char *path);

static int
mv_err(const char *what, int error)
{
	fprintf(stderr, "mv: %s: %s\n", what, strerror(error));
	return (1);
}

/* Join dir and name into a malloc'ed path, or NULL. */
static char *
mv_join(const char *dir, const char *name)
{
	size_t len;
	char *p;

	len = strlen(dir);
	p = malloc(len + strlen(name) + 2);
	if (p == NULL)
		return (NULL);
	strcpy(p, dir);
	if (len == 0 || dir[len - 1] != '/')
		strcat(p, "/");
	strcat(p, name);
	return (p);
}

/* Copy regular file src (mode bits in mode) to dst. */
static int
mv_copyfile(const char *src, const char *dst, mode_t mode)
{
	ssize_t n, w, off;
	int in, out, rv;

	if ((in = open(src, O_RDONLY)) < 0)
		return (mv_err(src, errno));
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0) {
		rv = mv_err(dst, errno);
		close(in);
		return (rv);
	}
	rv = 0;
	while (rv == 0 && (n = read(in, mv_buf, sizeof(mv_buf))) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				rv = mv_err(src, errno);
			continue;
		}
		for (off = 0; rv == 0 && off < n; off += w) {
			w = write(out, mv_buf + off, n - off);
			if (w < 0) {
				w = 0;
				if (errno != EINTR)
					rv = mv_err(dst, errno);
			}
		}
	}
	close(in);
	if (close(out) != 0 && rv == 0)
		rv = mv_err(dst, errno);
	return (rv);
}

/*
 * Apply fn(srcchild, dstchild) (or fn(child, NULL) when dst is NULL) to
 * each entry of directory src.  Names are collected first and the
 * directory closed, so fn may remove entries.
 */
static int
mv_each(const char *src, const char *dst,
    int (*fn)(const char *, const char *))
{
	struct dirent *de;
	char **names, **nn, *s, *t;
	size_t n, cap, i;
	DIR *d;
	int rv;

	if ((d = opendir(src)) == NULL)
		return (mv_err(src, errno));
	n = 0;
	cap = 0;
	names = NULL;
	rv = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : 2 * cap;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	if (de != NULL)
		rv = mv_err(src, ENOMEM);
	closedir(d);
	for (i = 0; i < n; i++) {
		s = mv_join(src, names[i]);
		t = dst != NULL ? mv_join(dst, names[i]) : NULL;
		if (s == NULL || (dst != NULL && t == NULL))
			rv = mv_err(src, ENOMEM);
		else if (rv == 0)
			rv |= fn(s, t);
		free(s);
		free(t);
		free(names[i]);
	}
	free(names);
	return (rv);
}

/* Copy src (not following a symlink) to dst, recursively. */
static int
mv_copy(const char *src, const char *dst)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int rv;

	if (lstat(src, &st) != 0)
		return (mv_err(src, errno));
	if (S_ISREG(st.st_mode))
		return (mv_copyfile(src, dst, st.st_mode));
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(src, target, sizeof(target) - 1)) < 0)
			return (mv_err(src, errno));
		target[n] = '\0';
		if (symlink(target, dst) != 0)
			return (mv_err(dst, errno));
		return (0);
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(dst, 0700) != 0)
			return (mv_err(dst, errno));
		rv = mv_each(src, dst, mv_copy);
		chmod(dst, st.st_mode & 07777);
		return (rv);
	}
	fprintf(stderr, "mv: %s: cannot move a special file across "
	    "filesystems\n", src);
	return (1);
}

static int
mv_remove1(const char *path, const char *unused)
{
	return (mv_remove(path));
}

/* Remove path, recursively for a directory. */
static int
mv_remove(const char *path)
{
	struct stat st;
	int rv;

	if (lstat(path, &st) != 0)
		return (mv_err(path, errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0)
			return (mv_err(path, errno));
		return (0);
	}
	rv = mv_each(path, NULL, mv_remove1);
	if (rmdir(path) != 0)
		rv = mv_err(path, errno);
	return (rv);
}

/* Move src to dst. */
static int
mv_one(const char *src, const char *dst)
{
	struct stat st;

	if (rename(src, dst) == 0)
		return (0);
	if (errno != EXDEV)
		return (mv_err(src, errno));
	if (lstat(dst, &st) == 0) {
		/* Replace a file; a directory must be empty. */
		if (S_ISDIR(st.st_mode) ? rmdir(dst) != 0 : unlink(dst) != 0)
			return (mv_err(dst, errno));
	}
	if (mv_copy(src, dst) != 0)
		return (1);
	return (mv_remove(src));
}

/* The last component of path, trailing slashes ignored, into buf. */
static char *
mv_basename(const char *path, char *buf, size_t size)
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
	char base[NAME_MAX + 1], *target;
	struct stat st;
	const char *dst;
	int ch, i, isdir, rv;

	while ((ch = getopt(argc, argv, "fi")) != -1) {
		if (ch != 'f' && ch != 'i')
			goto usage;
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		goto usage;
	dst = argv[argc - 1];
	isdir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc > 2 && !isdir)
		return (mv_err(dst, ENOTDIR));
	if (!isdir)
		return (mv_one(argv[0], dst));
	rv = 0;
	for (i = 0; i < argc - 1; i++) {
		target = mv_join(dst, mv_basename(argv[i], base,
		    sizeof(base)));
		if (target == NULL)
			return (mv_err(dst, ENOMEM));
		rv |= mv_one(argv[i], target);
		free(target);
	}
	return (rv);
usage:
	fprintf(stderr, "usage: mv [-f] source target\n"
	    "       mv [-f] source ... directory\n");
	return (1);
}
