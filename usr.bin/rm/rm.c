/*
 * rm: remove directory entries.  Without -r a directory operand is an
 * error (EISDIR); with -r (or -R) directories are emptied depth first
 * and then removed.  Symbolic links are never followed: a link to a
 * directory is unlinked, not descended.  -f silences "no such file"
 * errors and makes a missing operand list legal; there is no prompting
 * (-i is not supported).  The operands "." and ".." (as last component)
 * are refused.
 *
 * Walking a directory: its names are read into memory and the directory
 * is closed before any of them is removed, so readdir never runs over a
 * directory being changed and the open descriptors stay at one however
 * deep the tree is.  The cost is memory for one directory's names per
 * level of depth.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int	rm_fflag;
static int	rm_rflag;

static int	rm_path(const char *path);

/* Report an error on path unless -f hides it (ENOENT). */
static int
rm_err(const char *path, int error)
{
	if (rm_fflag && error == ENOENT)
		return (0);
	fprintf(stderr, "rm: %s: %s\n", path, strerror(error));
	return (1);
}

/*
 * Read the names of directory path (without "." and "..") into a
 * NULL-terminated malloc'ed array.  Returns NULL with errno set on
 * failure.
 */
static char **
rm_readnames(const char *path)
{
	struct dirent *de;
	char **names, **nn;
	size_t n, cap;
	DIR *d;
	int error;

	d = opendir(path);
	if (d == NULL)
		return (NULL);
	n = 0;
	cap = 16;
	names = malloc(cap * sizeof(*names));
	error = names == NULL ? ENOMEM : 0;
	while (error == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n + 1 >= cap) {
			nn = realloc(names, 2 * cap * sizeof(*names));
			if (nn == NULL) {
				error = ENOMEM;
				break;
			}
			names = nn;
			cap *= 2;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			error = ENOMEM;
			break;
		}
		n++;
	}
	if (error == 0 && errno != 0)
		error = errno;
	closedir(d);
	if (names != NULL)
		names[n] = NULL;
	if (error != 0) {
		while (names != NULL && n > 0)
			free(names[--n]);
		free(names);
		errno = error;
		return (NULL);
	}
	return (names);
}

/* Empty directory path recursively, then remove it. */
static int
rm_tree(const char *path)
{
	char **names, *child;
	size_t i, len;
	int rv;

	names = rm_readnames(path);
	if (names == NULL)
		return (rm_err(path, errno));
	rv = 0;
	len = strlen(path);
	for (i = 0; names[i] != NULL; i++) {
		child = malloc(len + strlen(names[i]) + 2);
		if (child == NULL) {
			rv |= rm_err(path, ENOMEM);
			free(names[i]);
			continue;
		}
		strcpy(child, path);
		if (len > 0 && path[len - 1] != '/')
			strcat(child, "/");
		strcat(child, names[i]);
		rv |= rm_path(child);
		free(child);
		free(names[i]);
	}
	free(names);
	if (rmdir(path) != 0)
		rv |= rm_err(path, errno);
	return (rv);
}

/* Remove one path (file, link, or with -r directory tree). */
static int
rm_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return (rm_err(path, errno));
	if (S_ISDIR(st.st_mode)) {
		if (!rm_rflag)
			return (rm_err(path, EISDIR));
		return (rm_tree(path));
	}
	if (unlink(path) != 0)
		return (rm_err(path, errno));
	return (0);
}

/* Whether the last component of path is "." or "..". */
static int
rm_isdot(const char *path)
{
	const char *p;
	size_t len;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	p = path + len;
	while (p > path && p[-1] != '/')
		p--;
	len -= p - path;
	return ((len == 1 && p[0] == '.') ||
	    (len == 2 && p[0] == '.' && p[1] == '.'));
}

int
main(int argc, char **argv)
{
	int ch, i, rv;

	while ((ch = getopt(argc, argv, "fiRr")) != -1) {
		switch (ch) {
		case 'f':
			rm_fflag = 1;
			break;
		case 'i':
			break;
		case 'R':
		case 'r':
			rm_rflag = 1;
			break;
		default:
			fprintf(stderr, "usage: rm [-f] [-r] file ...\n");
			return (1);
		}
	}
	if (optind >= argc && !rm_fflag) {
		fprintf(stderr, "usage: rm [-f] [-r] file ...\n");
		return (1);
	}
	rv = 0;
	for (i = optind; i < argc; i++) {
		if (rm_isdot(argv[i])) {
			fprintf(stderr, "rm: %s: refusing to remove . or ..\n",
			    argv[i]);
			rv = 1;
			continue;
		}
		rv |= rm_path(argv[i]);
	}
	return (rv);
}
