/*
 * mkcpio: build the boot initrd, a cpio archive in the "newc" format, from
 * a directory tree.  A host program (Linux, plain libc), built by the
 * Makefile with the host compiler.
 *
 *	mkcpio [-t MTIME] [-m MANIFEST] -o OUT.cpio DIR
 *	mkcpio -r SIZE [-s SEED] -o FILE
 *
 * The first form archives everything under DIR (not DIR itself):
 * regular files, directories and symlinks; any other type is an error.
 * The archive is deterministic: entries are sorted by path (byte order,
 * so a directory always comes before what it holds), inode numbers are
 * assigned in that order, owners are always 0:0, and with -t every mtime
 * is MTIME instead of the file's.  Files that are hard links of each
 * other inside DIR share an inode number and c_nlink, and only the last
 * of them in the archive carries the data, as cpio itself writes them.
 *
 * It also adds a manifest, MANIFEST inside the archive (default
 * "etc/initrd.sum"; -m "" for none), which lets the kernel check that it
 * unpacked the archive exactly.  One line per entry (the manifest
 * itself excepted), after a comment line:
 *
 *	TYPE MODE UID GID NLINK MTIME SIZE FNV PATH
 *
 * TYPE is f, d or l; MODE the permission bits in octal; NLINK the number
 * of names of a regular file ("-" otherwise); SIZE and FNV the length and
 * FNV-1a 64-bit hash (16 hex digits) of a file's data or a symlink's
 * target ("-" for directories); PATH is absolute ("/etc/motd") and runs
 * to the end of the line (a path with a newline is refused).
 *
 * The second form writes SIZE pseudo-random bytes (xorshift64*, from
 * SEED, default 1): the same bytes on every machine, for test data.
 *
 * The output is written to OUT.tmp and renamed into place, so a failed
 * run leaves no half-written archive behind.  Exit status 0 or 1.
 */

#define _GNU_SOURCE		/* asprintf */
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NEWC_MAGIC	"070701"
#define NEWC_TRAILER	"TRAILER!!!"
#define MANIFEST_MODE	0444

struct ent {
	char		*e_path;	/* relative, no leading '/' */
	char		*e_src;		/* host path; NULL for the manifest */
	mode_t		e_mode;		/* type and permissions */
	dev_t		e_dev;		/* host identity, for hard links */
	ino_t		e_ino;
	nlink_t		e_hostnlink;
	uint32_t	e_mtime;
	uint32_t	e_newino;	/* in the archive */
	uint32_t	e_nlink;	/* in the archive */
	bool		e_lastlink;	/* carries the data of its group */
	uint8_t		*e_data;	/* file contents or symlink target */
	size_t		e_size;
};

static struct ent *ents;
static size_t nents, maxents;
static const char *progname = "mkcpio";

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		die("out of memory");
	return (p);
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return (memcpy(xmalloc(n), s, n));
}

static uint64_t
fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static struct ent *
newent(void)
{
	if (nents == maxents) {
		maxents = maxents == 0 ? 64 : 2 * maxents;
		ents = realloc(ents, maxents * sizeof(*ents));
		if (ents == NULL)
			die("out of memory");
	}
	memset(&ents[nents], 0, sizeof(ents[0]));
	return (&ents[nents++]);
}

/* The whole contents of a regular file, or a symlink's target. */
static void
load(struct ent *e)
{
	FILE *f;
	ssize_t n;

	if (S_ISLNK(e->e_mode)) {
		e->e_data = xmalloc(PATH_MAX);
		n = readlink(e->e_src, (char *)e->e_data, PATH_MAX);
		if (n < 0)
			die("readlink %s: %s", e->e_src, strerror(errno));
		if (n == 0 || n >= PATH_MAX)
			die("%s: symlink target of %zd bytes", e->e_src, n);
		e->e_size = (size_t)n;
		return;
	}
	if (!S_ISREG(e->e_mode))
		return;
	f = fopen(e->e_src, "rb");
	if (f == NULL)
		die("open %s: %s", e->e_src, strerror(errno));
	e->e_data = xmalloc(e->e_size);
	if (e->e_size > 0 && fread(e->e_data, 1, e->e_size, f) != e->e_size)
		die("read %s: short read (did it change?)", e->e_src);
	if (fgetc(f) != EOF)
		die("read %s: the file grew while reading", e->e_src);
	fclose(f);
}

/* Collect everything under src (host path) as rel (archive path). */
static void
walk(const char *src, const char *rel, int mtime)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	struct ent *e;
	char *s, *r;

	d = opendir(src);
	if (d == NULL)
		die("opendir %s: %s", src, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (asprintf(&s, "%s/%s", src, de->d_name) < 0 ||
		    asprintf(&r, "%s%s%s", rel, rel[0] ? "/" : "",
		    de->d_name) < 0)
			die("out of memory");
		if (lstat(s, &st) != 0)
			die("lstat %s: %s", s, strerror(errno));
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) &&
		    !S_ISLNK(st.st_mode))
			die("%s: only files, directories and symlinks can go "
			    "into the initrd", s);
		if (strchr(r, '\n') != NULL)
			die("%s: a newline in a path cannot be listed in the "
			    "manifest", s);
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > UINT32_MAX)
			die("%s: newc cannot hold files of 4 GiB or more", s);
		e = newent();
		e->e_path = r;
		e->e_src = s;
		e->e_mode = st.st_mode;
		e->e_dev = st.st_dev;
		e->e_ino = st.st_ino;
		e->e_hostnlink = st.st_nlink;
		e->e_mtime = mtime >= 0 ? (uint32_t)mtime :
		    (uint32_t)st.st_mtime;
		e->e_nlink = S_ISDIR(st.st_mode) ? 2 : 1;
		e->e_size = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
		if (S_ISDIR(st.st_mode))
			walk(s, r, mtime);
	}
	closedir(d);
}

static int
bypath(const void *a, const void *b)
{
	return (strcmp(((const struct ent *)a)->e_path,
	    ((const struct ent *)b)->e_path));
}

/*
 * Inode numbers in archive order; hard links (same host dev and ino)
 * share the number of their first member, count their members in
 * c_nlink, and the last member carries the data.  Quadratic in the
 * number of files with more than one name, which is small.
 */
static void
number(void)
{
	uint32_t next = 1;

	for (size_t i = 0; i < nents; i++) {
		struct ent *e = &ents[i];
		size_t j, first = i, last = i, count = 0;

		e->e_lastlink = true;
		if (!S_ISREG(e->e_mode) || e->e_src == NULL ||
		    e->e_hostnlink < 2) {
			e->e_newino = next++;
			continue;
		}
		for (j = 0; j < nents; j++) {
			if (ents[j].e_src != NULL && S_ISREG(ents[j].e_mode) &&
			    ents[j].e_dev == e->e_dev &&
			    ents[j].e_ino == e->e_ino) {
				if (count == 0)
					first = j;
				last = j;
				count++;
			}
		}
		e->e_nlink = (uint32_t)count;
		e->e_lastlink = last == i;
		e->e_newino = first == i ? next++ : ents[first].e_newino;
	}
}

static void
put(FILE *f, const void *p, size_t n, uint64_t *off)
{
	static const uint8_t zeros[4];

	if (n > 0 && fwrite(p, 1, n, f) != n)
		die("write: %s", strerror(errno));
	*off += n;
	while (*off % 4 != 0) {
		if (fwrite(zeros, 1, 1, f) != 1)
			die("write: %s", strerror(errno));
		(*off)++;
	}
}

static void
header(FILE *f, uint64_t *off, const char *name, uint32_t ino,
    uint32_t mode, uint32_t nlink, uint32_t mtime, uint32_t size)
{
	char h[111];
	size_t ns = strlen(name) + 1;

	snprintf(h, sizeof(h), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
	    "%08X%08X%08X", NEWC_MAGIC, ino, mode, 0, 0, nlink, mtime, size,
	    0, 0, 0, 0, (uint32_t)ns, 0);
	if (fwrite(h, 1, 110, f) != 110)
		die("write: %s", strerror(errno));
	*off += 110;
	put(f, name, ns, off);
}

/* The manifest's text (see the top of the file). */
static char *
manifest(size_t *lenp)
{
	char *buf;
	size_t len;
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		die("out of memory");
	fprintf(m, "# initrd.sum: type mode uid gid nlink mtime size "
	    "fnv1a64 path\n");
	for (size_t i = 0; i < nents; i++) {
		struct ent *e = &ents[i];
		char type = S_ISDIR(e->e_mode) ? 'd' :
		    S_ISLNK(e->e_mode) ? 'l' : 'f';

		if (e->e_src == NULL)
			continue;
		fprintf(m, "%c %04o 0 0 ", type, (unsigned)(e->e_mode & 07777));
		if (type == 'f')
			fprintf(m, "%" PRIu32 " ", e->e_nlink);
		else
			fprintf(m, "- ");
		fprintf(m, "%" PRIu32 " ", e->e_mtime);
		if (type == 'd')
			fprintf(m, "- - ");
		else
			fprintf(m, "%zu %016" PRIx64 " ", e->e_size,
			    fnv1a64(e->e_data, e->e_size));
		fprintf(m, "/%s\n", e->e_path);
	}
	if (fclose(m) != 0)
		die("out of memory");
	*lenp = len;
	return (buf);
}

static void
archive(const char *dir, const char *out, int mtime, const char *mpath)
{
	char *tmp;
	FILE *f;
	uint64_t off = 0;
	struct ent *m;

	walk(dir, "", mtime);
	for (size_t i = 0; i < nents; i++)
		load(&ents[i]);
	if (mpath[0] != '\0') {
		for (size_t i = 0; i < nents; i++)
			if (strcmp(ents[i].e_path, mpath) == 0)
				die("%s/%s already exists: it is where the "
				    "manifest goes (use -m)", dir, mpath);
	}
	qsort(ents, nents, sizeof(*ents), bypath);
	number();
	if (mpath[0] != '\0') {
		size_t len;
		char *text = manifest(&len);

		m = newent();
		m->e_path = xstrdup(mpath);
		m->e_mode = S_IFREG | MANIFEST_MODE;
		m->e_mtime = mtime >= 0 ? (uint32_t)mtime :
		    (uint32_t)time(NULL);
		m->e_nlink = 1;
		m->e_data = (uint8_t *)text;
		m->e_size = len;
		qsort(ents, nents, sizeof(*ents), bypath);
		number();
	}

	if (asprintf(&tmp, "%s.tmp", out) < 0)
		die("out of memory");
	f = fopen(tmp, "wb");
	if (f == NULL)
		die("create %s: %s", tmp, strerror(errno));
	for (size_t i = 0; i < nents; i++) {
		struct ent *e = &ents[i];
		size_t size = (S_ISDIR(e->e_mode) || !e->e_lastlink) ? 0 :
		    e->e_size;

		header(f, &off, e->e_path, e->e_newino, (uint32_t)e->e_mode,
		    e->e_nlink, e->e_mtime, (uint32_t)size);
		put(f, e->e_data, size, &off);
	}
	header(f, &off, NEWC_TRAILER, 0, 0, 1, 0, 0);
	if (fclose(f) != 0)
		die("write %s: %s", tmp, strerror(errno));
	if (rename(tmp, out) != 0)
		die("rename %s: %s", tmp, strerror(errno));
}

static void
randomfile(const char *out, unsigned long long size, uint64_t seed)
{
	uint64_t x = seed == 0 ? 1 : seed, v;
	unsigned long long i;
	char *tmp;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp", out) < 0)
		die("out of memory");
	f = fopen(tmp, "wb");
	if (f == NULL)
		die("create %s: %s", tmp, strerror(errno));
	for (i = 0; i < size; i += 8) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		v = x * 0x2545f4914f6cdd1dULL;
		if (fwrite(&v, 1, size - i < 8 ? size - i : 8, f) == 0)
			die("write %s: %s", tmp, strerror(errno));
	}
	if (fclose(f) != 0)
		die("write %s: %s", tmp, strerror(errno));
	if (rename(tmp, out) != 0)
		die("rename %s: %s", tmp, strerror(errno));
}

static unsigned long long
number_arg(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		die("bad %s '%s'", what, s);
	return (v);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: %s [-t mtime] [-m manifest] -o out.cpio dir\n"
	    "       %s -r size [-s seed] -o file\n", progname, progname);
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *mpath = "etc/initrd.sum";
	unsigned long long rsize = 0, seed = 1, t;
	bool random = false;
	int ch, mtime = -1;

	while ((ch = getopt(argc, argv, "m:o:r:s:t:")) != -1) {
		switch (ch) {
		case 'm':
			while (*optarg == '/')
				optarg++;
			mpath = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'r':
			rsize = number_arg(optarg, "size");
			random = true;
			break;
		case 's':
			seed = number_arg(optarg, "seed");
			break;
		case 't':
			t = number_arg(optarg, "mtime");
			if (t > INT32_MAX)
				die("mtime %llu is out of range", t);
			mtime = (int)t;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (out == NULL)
		usage();
	if (random) {
		if (argc != 0)
			usage();
		randomfile(out, rsize, seed);
		return (0);
	}
	if (argc != 1)
		usage();
	archive(argv[0], out, mtime, mpath);
	return (0);
}
