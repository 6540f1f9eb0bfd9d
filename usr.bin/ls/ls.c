/*
 * ls: list files and directory contents.
 *
 *   ls [-1adl] [file ...]
 *
 * Operands that are not directories (or all of them with -d) are listed
 * first, in argument order sorted by name; then each directory's
 * entries, sorted by name (strcmp order) and preceded by a "name:"
 * header when there is more than one operand.  Entries starting with "."
 * are skipped unless -a.  Output is always one name per line (-1 is
 * accepted for compatibility).  No operand means ".".
 *
 * -l writes "MODE NLINK UID GID SIZE DATE NAME[ -> TARGET]", MODE as in
 * drwxr-xr-x, owners numeric (there is no user database), DATE the
 * modification time as "Mon DD HH:MM" in UTC, numeric columns aligned
 * per listing.  Operands that are symbolic links are followed, except
 * with -l or -d; entries inside directories never are.
 *
 * Errors (missing operand, unreadable directory) are reported as
 * "ls: NAME: strerror" and make the exit status 1; the rest is listed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One name to list, with its attributes when -l needs them. */
struct ls_ent {
	char		*le_name;	/* as displayed */
	char		*le_path;	/* to stat / readlink */
	struct stat	 le_st;
	int		 le_ok;		/* le_st valid */
};

static int	ls_aflag;
static int	ls_dflag;
static int	ls_lflag;
static int	ls_status;

static void
ls_err(const char *what, int error)
{
	fprintf(stderr, "ls: %s: %s\n", what, strerror(error));
	ls_status = 1;
}

static int
ls_cmp(const void *a, const void *b)
{
	const struct ls_ent *x = a, *y = b;

	return (strcmp(x->le_name, y->le_name));
}

/* The 10-character mode string of m into buf (11 bytes). */
static void
ls_modestr(mode_t m, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	buf[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	    S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (i = 0; i < 9; i++)
		buf[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		buf[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		buf[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		buf[9] = (m & S_IXOTH) ? 't' : 'T';
	buf[10] = '\0';
}

/* Number of decimal digits of v. */
static int
ls_width(unsigned long long v)
{
	int w;

	for (w = 1; v >= 10; v /= 10)
		w++;
	return (w);
}

/* Print one -l line. */
static void
ls_long(const struct ls_ent *e, const int *w)
{
	char mode[11], date[32], target[PATH_MAX];
	struct tm tm;
	time_t t;
	ssize_t n;

	ls_modestr(e->le_st.st_mode, mode);
	t = e->le_st.st_mtime;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%b %e %H:%M", &tm) == 0)
		strcpy(date, "??? ?? ??:??");
	printf("%s %*lu %*lu %*lu %*lld %s %s", mode,
	    w[0], (unsigned long)e->le_st.st_nlink,
	    w[1], (unsigned long)e->le_st.st_uid,
	    w[2], (unsigned long)e->le_st.st_gid,
	    w[3], (long long)e->le_st.st_size, date, e->le_name);
	if (S_ISLNK(e->le_st.st_mode)) {
		n = readlink(e->le_path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

/* Sort and print n entries (those with le_ok for -l). */
static void
ls_print(struct ls_ent *v, size_t n)
{
	int w[4], x;
	size_t i;

	qsort(v, n, sizeof(*v), ls_cmp);
	if (!ls_lflag) {
		for (i = 0; i < n; i++)
			printf("%s\n", v[i].le_name);
		return;
	}
	w[0] = w[1] = w[2] = w[3] = 1;
	for (i = 0; i < n; i++) {
		if (!v[i].le_ok)
			continue;
		if ((x = ls_width(v[i].le_st.st_nlink)) > w[0])
			w[0] = x;
		if ((x = ls_width(v[i].le_st.st_uid)) > w[1])
			w[1] = x;
		if ((x = ls_width(v[i].le_st.st_gid)) > w[2])
			w[2] = x;
		if ((x = ls_width(v[i].le_st.st_size)) > w[3])
			w[3] = x;
	}
	for (i = 0; i < n; i++)
		if (v[i].le_ok)
			ls_long(&v[i], w);
}

/* Free n entries and the array. */
static void
ls_free(struct ls_ent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].le_path != v[i].le_name)
			free(v[i].le_path);
		free(v[i].le_name);
	}
	free(v);
}

/* Append the entry name of directory dir to *v; 0 or -1 (ENOMEM). */
static int
ls_add(struct ls_ent **v, size_t *n, size_t *cap, const char *dir,
    const char *name)
{
	struct ls_ent *nv, *e;
	size_t len;

	if (*n == *cap) {
		*cap = *cap == 0 ? 32 : 2 * *cap;
		nv = realloc(*v, *cap * sizeof(**v));
		if (nv == NULL)
			return (-1);
		*v = nv;
	}
	e = &(*v)[*n];
	memset(e, 0, sizeof(*e));
	if ((e->le_name = strdup(name)) == NULL)
		return (-1);
	len = strlen(dir);
	e->le_path = malloc(len + strlen(name) + 2);
	if (e->le_path == NULL) {
		free(e->le_name);
		return (-1);
	}
	sprintf(e->le_path, "%s%s%s", dir,
	    len > 0 && dir[len - 1] != '/' ? "/" : "", name);
	(*n)++;
	if (ls_lflag) {
		if (lstat(e->le_path, &e->le_st) == 0)
			e->le_ok = 1;
		else
			ls_err(e->le_path, errno);
	}
	return (0);
}

/* List the contents of directory path. */
static void
ls_dir(const char *path)
{
	struct ls_ent *v;
	struct dirent *de;
	size_t n, cap;
	DIR *d;

	if ((d = opendir(path)) == NULL) {
		ls_err(path, errno);
		return;
	}
	v = NULL;
	n = cap = 0;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && !ls_aflag)
			continue;
		if (ls_add(&v, &n, &cap, path, de->d_name) != 0) {
			ls_err(path, ENOMEM);
			break;
		}
	}
	if (de == NULL && errno != 0)
		ls_err(path, errno);
	closedir(d);
	ls_print(v, n);
	ls_free(v, n);
}

/*
 * List the operands: files first (together, sorted), then directories
 * (sorted), each under a header when there are several operands.
 */
static void
ls_operands(char **argv, int argc)
{
	struct ls_ent *files, *dirs;
	struct stat st;
	size_t nf, nd, i;
	int rc, k;

	files = calloc(argc, sizeof(*files));
	dirs = calloc(argc, sizeof(*dirs));
	if (files == NULL || dirs == NULL) {
		ls_err("operands", ENOMEM);
		exit(1);
	}
	nf = nd = 0;
	for (k = 0; k < argc; k++) {
		rc = (ls_lflag || ls_dflag) ? lstat(argv[k], &st) :
		    stat(argv[k], &st);
		if (rc != 0 && lstat(argv[k], &st) != 0) {
			ls_err(argv[k], errno);
			continue;
		}
		if (S_ISDIR(st.st_mode) && !ls_dflag) {
			dirs[nd].le_name = argv[k];
			dirs[nd++].le_path = argv[k];
			continue;
		}
		files[nf].le_name = argv[k];
		files[nf].le_path = argv[k];
		files[nf].le_st = st;
		files[nf++].le_ok = 1;
	}
	ls_print(files, nf);
	qsort(dirs, nd, sizeof(*dirs), ls_cmp);
	for (i = 0; i < nd; i++) {
		if (argc > 1) {
			if (i > 0 || nf > 0)
				putchar('\n');
			printf("%s:\n", dirs[i].le_name);
		}
		ls_dir(dirs[i].le_path);
	}
	free(files);
	free(dirs);
}

int
main(int argc, char **argv)
{
	static char *dot[] = { ".", NULL };
	int ch;

	while ((ch = getopt(argc, argv, "1adl")) != -1) {
		switch (ch) {
		case '1':
			break;
		case 'a':
			ls_aflag = 1;
			break;
		case 'd':
			ls_dflag = 1;
			break;
		case 'l':
			ls_lflag = 1;
			break;
		default:
			fprintf(stderr, "usage: ls [-1adl] [file ...]\n");
			return (1);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		ls_operands(dot, 1);
	else
		ls_operands(argv, argc);
	if (fflush(stdout) != 0)
		ls_err("stdout", errno);
	return (ls_status);
}
