/*
 * cp: copy files.  "cp [-r] [-f] src dst" copies src to dst (into
 * dst/basename(src) when dst is a directory); "cp [-r] [-f] src... dir"
 * copies each source into dir.  Regular file contents are copied with
 * read(2)/write(2) and the new file gets the source's permission bits;
 * an existing destination is truncated and overwritten (-f: unlinked
 * and recreated when it cannot be opened).  Copying a file onto itself
 * is refused.
 *
 * Directories need -r (or -R): the tree is copied depth first, symbolic
 * links inside it are copied as links (never followed), and the
 * directory the copy creates first is remembered so that "cp -r d d/sub"
 * does not recurse into its own output.  Operands themselves are
 * followed when they are symbolic links.  Device and other special files
 * inside a tree are refused; as operands, character devices and FIFOs
 * are read like files ("cp /dev/null f" empties f).  Times and owners
 * are not preserved (-p is accepted and ignored).
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

static int	cp_rflag;
static int	cp_fflag;
static int	cp_made;	/* cp_made_dev/ino valid */
static dev_t	cp_made_dev;	/* the first directory -r created */
static ino_t	cp_made_ino;
static char	cp_buf[65536];

static int	cp_any(const char *src, const char *dst, int follow);

static int
cp_err(const char *what, int error)
{
	fprintf(stderr, "cp: %s: %s\n", what, strerror(error));
	return (1);
}

/*
 * Copy the data of open descriptor in to out.  Returns 0 or an errno,
 * with *which set to 0 for a read error and 1 for a write error.
 */
static int
cp_data(int in, int out, int *which)
{
	ssize_t n, w, off;

	for (;;) {
		n = read(in, cp_buf, sizeof(cp_buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*which = 0;
			return (n < 0 ? errno : 0);
		}
		for (off = 0; off < n; off += w) {
			w = write(out, cp_buf + off, n - off);
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				*which = 1;
				return (errno);
			}
		}
	}
}

/* Copy regular file src (attributes sst) to dst. */
static int
cp_file(const char *src, const char *dst, const struct stat *sst)
{
	struct stat dst_st;
	int in, out, error, which, rv;

	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == sst->st_dev &&
	    dst_st.st_ino == sst->st_ino) {
		fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
		return (1);
	}
	in = open(src, O_RDONLY);
	if (in < 0)
		return (cp_err(src, errno));
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, sst->st_mode & 0777);
	if (out < 0 && cp_fflag && errno != ENOENT) {
		unlink(dst);
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC,
		    sst->st_mode & 0777);
	}
	if (out < 0) {
		rv = cp_err(dst, errno);
		close(in);
		return (rv);
	}
	rv = 0;
	error = cp_data(in, out, &which);
	if (error != 0)
		rv = cp_err(which ? dst : src, error);
	close(in);
	if (close(out) != 0 && rv == 0)
		rv = cp_err(dst, errno);
	return (rv);
}

/* Recreate symbolic link src as dst. */
static int
cp_symlink(const char *src, const char *dst)
{
	char target[PATH_MAX];
	ssize_t n;

	n = readlink(src, target, sizeof(target) - 1);
	if (n < 0)
		return (cp_err(src, errno));
	target[n] = '\0';
	if (cp_fflag)
		unlink(dst);
	if (symlink(target, dst) != 0)
		return (cp_err(dst, errno));
	return (0);
}

/* Join dir and name into a malloc'ed path, or NULL. */
static char *
cp_join(const char *dir, const char *name)
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

/* Copy the entries of open directory d (at src) into dst. */
static int
cp_entries(DIR *d, const char *src, const char *dst)
{
	struct dirent *de;
	char *s, *t;
	int rv;

	rv = 0;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		s = cp_join(src, de->d_name);
		t = cp_join(dst, de->d_name);
		if (s == NULL || t == NULL)
			rv = cp_err(src, ENOMEM);
		else
			rv |= cp_any(s, t, 0);
		free(s);
		free(t);
	}
	if (errno != 0)
		rv = cp_err(src, errno);
	return (rv);
}

/* Copy directory src (attributes sst) to dst, recursively. */
static int
cp_dir(const char *src, const char *dst, const struct stat *sst)
{
	struct stat dst_st;
	DIR *d;
	int rv;

	if (sst->st_dev == cp_made_dev && sst->st_ino == cp_made_ino &&
	    cp_made)
		return (0);
	if (mkdir(dst, (sst->st_mode & 0777) | 0700) != 0 &&
	    (errno != EEXIST || stat(dst, &dst_st) != 0 ||
	    !S_ISDIR(dst_st.st_mode)))
		return (cp_err(dst, errno));
	if (!cp_made && stat(dst, &dst_st) == 0) {
		cp_made = 1;
		cp_made_dev = dst_st.st_dev;
		cp_made_ino = dst_st.st_ino;
	}
	d = opendir(src);
	if (d == NULL)
		return (cp_err(src, errno));
	rv = cp_entries(d, src, dst);
	closedir(d);
	if ((sst->st_mode & 0700) != 0700)
		chmod(dst, sst->st_mode & 07777);
	return (rv);
}

/* Copy src to dst; follow says whether a symlink src is followed. */
static int
cp_any(const char *src, const char *dst, int follow)
{
	struct stat st;

	if ((follow ? stat(src, &st) : lstat(src, &st)) != 0)
		return (cp_err(src, errno));
	/* An operand that is a device or FIFO is read like a file. */
	if (S_ISREG(st.st_mode) || (follow && (S_ISCHR(st.st_mode) ||
	    S_ISFIFO(st.st_mode))))
		return (cp_file(src, dst, &st));
	if (S_ISLNK(st.st_mode))
		return (cp_symlink(src, dst));
	if (S_ISDIR(st.st_mode)) {
		if (!cp_rflag) {
			fprintf(stderr, "cp: %s is a directory (not copied)\n",
			    src);
			return (1);
		}
		return (cp_dir(src, dst, &st));
	}
	fprintf(stderr, "cp: %s: not a regular file (not copied)\n", src);
	return (1);
}

/* The last component of path, trailing slashes ignored, into buf. */
static char *
cp_basename(const char *path, char *buf, size_t size)
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

	while ((ch = getopt(argc, argv, "fpRr")) != -1) {
		switch (ch) {
		case 'f':
			cp_fflag = 1;
			break;
		case 'p':
			break;
		case 'R':
		case 'r':
			cp_rflag = 1;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		goto usage;
	dst = argv[argc - 1];
	isdir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc > 2 && !isdir)
		return (cp_err(dst, ENOTDIR));
	if (!isdir)
		return (cp_any(argv[0], dst, 1));
	rv = 0;
	for (i = 0; i < argc - 1; i++) {
		target = cp_join(dst, cp_basename(argv[i], base,
		    sizeof(base)));
		if (target == NULL)
			return (cp_err(dst, ENOMEM));
		rv |= cp_any(argv[i], target, 1);
		free(target);
	}
	return (rv);
usage:
	fprintf(stderr, "usage: cp [-r] [-f] source target\n"
	    "       cp [-r] [-f] source ... directory\n");
	return (1);
}
