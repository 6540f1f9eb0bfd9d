/*
 * In-kernel tests of the initrd (subr_initrd.c, vfs_initrd.c).
 *
 *   initrd_boot_exact	  the boot module was unpacked exactly: every
 *			  entry of the manifest /etc/initrd.sum (written by
 *			  tools/mkcpio) has its type, mode, owner, mtime,
 *			  link count, size and FNV-1a 64 hash, hard links
 *			  share an inode, directories hold nothing else
 *   initrd_memory_exact  an archive written here (a tiny newc writer)
 *			  unpacks exactly into a fresh directory: implicit
 *			  parents, a directory listed after its contents, a
 *			  read-only directory, hard links with the data on
 *			  the last member, symlinks, "." and absolute
 *			  names, skipped devices; unpacking it again
 *			  clashes entry by entry without harm
 *   initrd_truncated	  every proper prefix of a valid archive is
 *			  rejected with EINVAL and a reason, and creates
 *			  nothing; so are random prefixes of the boot module
 *   initrd_hostile	  a table of malformed archives (bad magic and hex,
 *			  huge or zero sizes, names with "..", over
 *			  PATH_MAX or NAME_MAX, NUL bytes, bad padding,
 *			  missing trailer, trailing data, unknown types,
 *			  duplicates...) each rejected with the expected
 *			  reason, and the documented legal oddities
 *			  unpacked as documented
 *   initrd_fuzz	  random bytes and random bit flips in a valid
 *			  archive: rejected, or accepted with a sane index
 *			  that then unpacks without errors; never a panic
 *
 * Each test works in its own directory under the root and removes it at
 * the end.  Fuzz loops are bounded by time as well as count (KVM here
 * runs kernel code ~100x slower than TCG).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/kern_syscall.h>
#include <sys/initrd.h>
#include <sys/vfs_testutil.h>

MALLOC_DEFINE(M_ITEST, "itest", "initrd tests");

#define FNV_INIT	0xcbf29ce484222325ULL

#define IT_EXPECT(c, ...) do {						\
	if (__predict_false(!(c)))					\
		ktest_fail(__FILE__, __LINE__, __VA_ARGS__);		\
} while (0)

/* --- helpers --- */

static uint64_t
it_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static bool
it_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (true);
	return (false);
}

/* vtu_readdir_each callback of it_count: keep the first name. */
static int
it_first(const struct dirent *dp, void *arg)
{
	char *first = arg;

	if (first[0] == '\0')
		strlcpy(first, dp->d_name, NAME_MAX + 1);
	return (0);
}

/*
 * Names in dir other than "." and ".."; -1 if it cannot be read.  If
 * first is not NULL, the first such name goes there (NAME_MAX + 1).
 */
static long
it_count(const char *dir, char *first)
{
	int n;

	if (first != NULL)
		first[0] = '\0';
	if (vtu_readdir_each(dir, first != NULL ? it_first : NULL, first,
	    &n) != 0)
		return (-1);
	return (n);
}

/* The whole of a file (at most max bytes) into a new buffer. */
static int
it_readall(const char *path, size_t max, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf;
	size_t done;
	int fd, error;

	error = kern_open(path, O_RDONLY, 0, &fd);
	if (error != 0)
		return (error);
	error = kern_fstat(fd, &st);
	if (error == 0 && (st.st_size < 0 || (size_t)st.st_size > max))
		error = EFBIG;
	buf = NULL;
	if (error == 0) {
		buf = kmalloc((size_t)st.st_size + 1, M_ITEST, 0);
		if (buf == NULL)
			error = ENOMEM;
	}
	if (error == 0)
		error = kern_pread(fd, buf, (size_t)st.st_size, 0, &done);
	if (error == 0 && done != (size_t)st.st_size)
		error = EIO;
	kern_close(fd);
	if (error != 0) {
		kfree(buf, M_ITEST);
		return (error);
	}
	buf[done] = '\0';
	*bufp = buf;
	*lenp = done;
	return (0);
}

/* FNV-1a 64 and length of a file's contents, read in chunks. */
static int
it_hashfile(const char *path, uint64_t *hashp, size_t *lenp)
{
	const size_t chunk = 65536;
	uint64_t h = FNV_INIT;
	size_t total = 0, done;
	char *buf;
	int fd, error;

	buf = kmalloc(chunk, M_ITEST, 0);
	if (buf == NULL)
		return (ENOMEM);
	error = kern_open(path, O_RDONLY, 0, &fd);
	if (error != 0) {
		kfree(buf, M_ITEST);
		return (error);
	}
	for (;;) {
		error = kern_read(fd, buf, chunk, &done);
		if (error != 0 || done == 0)
			break;
		h = it_fnv(h, buf, done);
		total += done;
	}
	kern_close(fd);
	kfree(buf, M_ITEST);
	*hashp = h;
	*lenp = total;
	return (error);
}

/* --- a tiny newc writer --- */

struct nw {
	uint8_t		*nw_buf;
	size_t		nw_len;
	size_t		nw_cap;
};

#define NW_CAP		(64 * 1024)
#define NW_HDRBUF	120

static bool
nw_init(struct nw *w)
{
	w->nw_buf = kmalloc(NW_CAP, M_ITEST, M_ZERO);
	w->nw_len = 0;
	w->nw_cap = NW_CAP;
	return (w->nw_buf != NULL);
}

static void
nw_free(struct nw *w)
{
	kfree(w->nw_buf, M_ITEST);
	w->nw_buf = NULL;
}

static void
nw_bytes(struct nw *w, const void *p, size_t n)
{
	KASSERT(w->nw_len + n <= w->nw_cap, ("nw: archive too big"));
	memcpy(w->nw_buf + w->nw_len, p, n);
	w->nw_len += n;
}

static void
nw_pad(struct nw *w)
{
	static const uint8_t zero[4];

	nw_bytes(w, zero, roundup2(w->nw_len, 4) - w->nw_len);
}

/* A header with every field given; namesize includes the NUL. */
static void
nw_hdr(struct nw *w, uint32_t ino, uint32_t mode, uint32_t uid, uint32_t gid,
    uint32_t nlink, uint32_t mtime, uint32_t size, uint32_t namesize)
{
	char h[NW_HDRBUF];

	ksnprintf(h, sizeof(h), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x"
	    "%08x%08x%08x%08x", ino, mode, uid, gid, nlink, mtime, size, 0, 0,
	    0, 0, namesize, 0);
	nw_bytes(w, h, 110);
}

/* One well-formed entry (data may be NULL when size is 0). */
static void
nw_ent(struct nw *w, const char *name, uint32_t mode, uint32_t uid,
    uint32_t gid, uint32_t nlink, uint32_t ino, uint32_t mtime,
    const void *data, size_t size)
{
	size_t ns = strlen(name) + 1;

	nw_hdr(w, ino, mode, uid, gid, nlink, mtime, (uint32_t)size,
	    (uint32_t)ns);
	nw_bytes(w, name, ns);
	nw_pad(w);
	if (size > 0)
		nw_bytes(w, data, size);
	nw_pad(w);
}

/* Shorthands: owner 0, nlink 1, an inode number from a counter. */
static uint32_t nw_ino = 1000;

static void
nw_file(struct nw *w, const char *name, const char *data)
{
	nw_ent(w, name, S_IFREG | 0644, 0, 0, 1, nw_ino++, 1234567,
	    data, data == NULL ? 0 : strlen(data));
}

static void
nw_dir(struct nw *w, const char *name)
{
	nw_ent(w, name, S_IFDIR | 0755, 0, 0, 2, nw_ino++, 1234567, NULL, 0);
}

static void
nw_trailer(struct nw *w)
{
	nw_ent(w, "TRAILER!!!", 0, 0, 0, 1, 0, 0, NULL, 0);
}

/* --- initrd_boot_exact --- */

#define SUM_PATH	"/etc/initrd.sum"
#define SUM_MAXLINES	512

struct sum_line {
	char		sl_type;
	uint32_t	sl_mode;
	uint32_t	sl_uid;
	uint32_t	sl_gid;
	long		sl_nlink;	/* -1: "-" */
	int64_t		sl_mtime;
	long		sl_size;	/* -1: "-" */
	uint64_t	sl_hash;
	const char	*sl_path;
	uint64_t	sl_ino;		/* from lstat */
};

/* Split off the next space-separated field of *pp (NUL-terminates it). */
static char *
sum_field(char **pp)
{
	char *s = *pp, *sp;

	if (s == NULL)
		return (NULL);
	sp = strchr(s, ' ');
	if (sp == NULL) {
		*pp = NULL;
		return (s);
	}
	*sp = '\0';
	*pp = sp + 1;
	return (s);
}

static long
sum_num(const char *s, int base, bool *ok)
{
	char *end;
	unsigned long v;

	if (s == NULL || s[0] == '\0') {
		*ok = false;
		return (0);
	}
	if (strcmp(s, "-") == 0)
		return (-1);
	v = strtoul(s, &end, base);
	if (*end != '\0')
		*ok = false;
	return ((long)v);
}

/* Parse one manifest line in place; false if it is malformed. */
static bool
sum_parse(char *line, struct sum_line *sl)
{
	char *p = line, *f[8];
	bool ok = true;

	for (int i = 0; i < 8; i++) {
		f[i] = sum_field(&p);
		if (f[i] == NULL)
			return (false);
	}
	if (p == NULL || p[0] != '/' || strlen(f[0]) != 1)
		return (false);
	sl->sl_type = f[0][0];
	sl->sl_mode = (uint32_t)sum_num(f[1], 8, &ok);
	sl->sl_uid = (uint32_t)sum_num(f[2], 10, &ok);
	sl->sl_gid = (uint32_t)sum_num(f[3], 10, &ok);
	sl->sl_nlink = sum_num(f[4], 10, &ok);
	sl->sl_mtime = sum_num(f[5], 10, &ok);
	sl->sl_size = sum_num(f[6], 10, &ok);
	sl->sl_hash = strcmp(f[7], "-") == 0 ? 0 : strtoul(f[7], NULL, 16);
	sl->sl_path = p;
	return (ok);
}

/* Check one manifest entry against the file system. */
static void
sum_check(struct sum_line *sl)
{
	struct stat st;
	uint64_t h;
	size_t len;
	char *target;
	int error;

	error = kern_lstat(sl->sl_path, &st);
	if (error != 0) {
		ktest_fail(__FILE__, __LINE__, "%s: lstat error %d",
		    sl->sl_path, error);
		return;
	}
	sl->sl_ino = st.st_ino;
	switch (sl->sl_type) {
	case 'f':
		IT_EXPECT(S_ISREG(st.st_mode), "%s: mode %#o is not a file",
		    sl->sl_path, st.st_mode);
		IT_EXPECT(st.st_size == sl->sl_size, "%s: size %ld, want %ld",
		    sl->sl_path, st.st_size, sl->sl_size);
		IT_EXPECT(st.st_nlink == sl->sl_nlink, "%s: nlink %u, want %ld",
		    sl->sl_path, st.st_nlink, sl->sl_nlink);
		error = it_hashfile(sl->sl_path, &h, &len);
		IT_EXPECT(error == 0, "%s: read error %d", sl->sl_path, error);
		IT_EXPECT(len == (size_t)sl->sl_size, "%s: read %zu bytes, "
		    "want %ld", sl->sl_path, len, sl->sl_size);
		IT_EXPECT(h == sl->sl_hash, "%s: fnv %016lx, want %016lx",
		    sl->sl_path, h, sl->sl_hash);
		break;
	case 'l':
		IT_EXPECT(S_ISLNK(st.st_mode), "%s: mode %#o is not a symlink",
		    sl->sl_path, st.st_mode);
		target = kmalloc(PATH_MAX, M_ITEST, 0);
		if (target == NULL)
			break;
		error = kern_readlink(sl->sl_path, target, PATH_MAX, &len);
		IT_EXPECT(error == 0, "%s: readlink error %d", sl->sl_path,
		    error);
		IT_EXPECT(len == (size_t)sl->sl_size &&
		    it_fnv(FNV_INIT, target, len) == sl->sl_hash,
		    "%s: wrong target (%zu bytes)", sl->sl_path, len);
		kfree(target, M_ITEST);
		break;
	case 'd':
		IT_EXPECT(S_ISDIR(st.st_mode), "%s: mode %#o is not a "
		    "directory", sl->sl_path, st.st_mode);
		break;
	default:
		ktest_fail(__FILE__, __LINE__, "%s: unknown type '%c'",
		    sl->sl_path, sl->sl_type);
		return;
	}
	/* Permission bits of a symlink are not used; not checked. */
	if (sl->sl_type != 'l')
		IT_EXPECT((st.st_mode & ALLPERMS) == sl->sl_mode, "%s: mode "
		    "%04o, want %04o", sl->sl_path, st.st_mode & ALLPERMS,
		    sl->sl_mode);
	IT_EXPECT(st.st_uid == sl->sl_uid && st.st_gid == sl->sl_gid,
	    "%s: owner %u:%u, want %u:%u", sl->sl_path, st.st_uid, st.st_gid,
	    sl->sl_uid, sl->sl_gid);
	/* A world-writable sticky directory is scratch space: may change. */
	if (!(sl->sl_type == 'd' && (sl->sl_mode & S_ISVTX) != 0))
		IT_EXPECT(st.st_mtim.tv_sec == sl->sl_mtime, "%s: mtime %ld, "
		    "want %ld", sl->sl_path, st.st_mtim.tv_sec, sl->sl_mtime);
}

/* The directory part of path ("/etc/motd" -> 4, "/x" -> 0). */
static size_t
sum_dirlen(const char *path)
{
	size_t n = strlen(path);

	while (n > 0 && path[n - 1] != '/')
		n--;
	return (n > 0 ? n - 1 : 0);
}

KTEST_DEFINE(initrd_boot_exact, "1", 0, 180, "The boot initrd was unpacked exactly as its manifest /etc/initrd.sum lists it")
{
	static struct sum_line lines[SUM_MAXLINES];
	struct stat st;
	char *buf, *p, *nl;
	size_t len, n = 0, nf = 0, nd = 0, nl_ = 0, nhard = 0, big = 0;
	int error;

	error = it_readall(SUM_PATH, 1 << 20, &buf, &len);
	if (error != 0) {
		ktest_fail(__FILE__, __LINE__, "cannot read %s (error %d): "
		    "was the kernel booted with -initrd build/initrd.cpio?",
		    SUM_PATH, error);
		return;
	}
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			ktest_fail(__FILE__, __LINE__, "last line has no "
			    "newline");
			break;
		}
		*nl = '\0';
		if (p[0] == '#' || p[0] == '\0')
			continue;
		if (n == SUM_MAXLINES) {
			ktest_fail(__FILE__, __LINE__, "more than %d lines",
			    SUM_MAXLINES);
			break;
		}
		if (!sum_parse(p, &lines[n])) {
			ktest_fail(__FILE__, __LINE__, "bad line '%s'", p);
			continue;
		}
		sum_check(&lines[n]);
		switch (lines[n].sl_type) {
		case 'f':
			nf++;
			if (lines[n].sl_nlink > 1)
				nhard++;
			if (lines[n].sl_size >= 65536)
				big++;
			break;
		case 'd':
			nd++;
			break;
		case 'l':
			nl_++;
			break;
		}
		n++;
	}
	ktest_log("%zu entries: %zu files (%zu with several names, %zu of "
	    "64 KiB or more), %zu directories, %zu symlinks", n, nf, nhard,
	    big, nd, nl_);
	/* The build puts each kind in; make sure each path was exercised. */
	KT_CHECK(nf > 0 && nd > 0 && nl_ > 0 && nhard >= 2 && big > 0);

	/* Names of one file share its inode; different files do not. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			bool same = lines[i].sl_ino == lines[j].sl_ino;

			if (lines[i].sl_type != 'f' || lines[j].sl_type != 'f')
				continue;
			if (lines[i].sl_nlink > 1 &&
			    lines[i].sl_hash == lines[j].sl_hash &&
			    lines[i].sl_size == lines[j].sl_size &&
			    lines[i].sl_nlink == lines[j].sl_nlink)
				continue;	/* may be links: not decided */
			IT_EXPECT(!same, "%s and %s share inode %lu",
			    lines[i].sl_path, lines[j].sl_path,
			    lines[i].sl_ino);
		}
	}
	for (size_t i = 0; i < n; i++) {
		long links = 0;

		if (lines[i].sl_type != 'f' || lines[i].sl_nlink < 2)
			continue;
		for (size_t j = 0; j < n; j++)
			if (lines[j].sl_type == 'f' &&
			    lines[j].sl_ino == lines[i].sl_ino)
				links++;
		IT_EXPECT(links == lines[i].sl_nlink, "%s: %ld names share "
		    "its inode, want %ld", lines[i].sl_path, links,
		    lines[i].sl_nlink);
	}

	/* Each directory (scratch ones aside) holds what is listed, no more. */
	for (size_t i = 0; i < n; i++) {
		const char *dir = lines[i].sl_path;
		size_t dlen = strlen(dir);
		long want = 0, have;

		if (lines[i].sl_type != 'd' ||
		    (lines[i].sl_mode & S_ISVTX) != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (sum_dirlen(lines[j].sl_path) == dlen &&
			    strncmp(lines[j].sl_path, dir, dlen) == 0)
				want++;
		if (sum_dirlen(SUM_PATH) == dlen &&
		    strncmp(SUM_PATH, dir, dlen) == 0)
			want++;
		have = it_count(dir, NULL);
		IT_EXPECT(have == want, "%s holds %ld names, the manifest "
		    "lists %ld", dir, have, want);
	}

	/* The manifest itself. */
	KT_ASSERT_EQ(kern_lstat(SUM_PATH, &st), 0);
	KT_CHECK(S_ISREG(st.st_mode) && (size_t)st.st_size == len);
	kfree(buf, M_ITEST);
}

/* --- initrd_memory_exact --- */

/*
 * What a path must be: type (S_IF*), permission bits, owner, mtime,
 * contents (NULL: not checked), link count (0: not checked).  The inode
 * number goes to *inop if inop is not NULL.
 */
static void
it_expect(const char *path, uint32_t type, uint32_t mode, uint32_t uid,
    uint32_t gid, int64_t mtime, const char *data, uint32_t nlink,
    uint64_t *inop)
{
	struct stat st;
	char *buf;
	size_t len;
	int error;

	error = kern_lstat(path, &st);
	if (error != 0) {
		ktest_fail(__FILE__, __LINE__, "%s: lstat error %d", path,
		    error);
		return;
	}
	if (inop != NULL)
		*inop = st.st_ino;
	IT_EXPECT((st.st_mode & S_IFMT) == type, "%s: type %#o, want %#o",
	    path, st.st_mode & S_IFMT, type);
	if (type != S_IFLNK)
		IT_EXPECT((st.st_mode & ALLPERMS) == mode, "%s: mode %04o, "
		    "want %04o", path, st.st_mode & ALLPERMS, mode);
	IT_EXPECT(st.st_uid == uid && st.st_gid == gid, "%s: owner %u:%u, "
	    "want %u:%u", path, st.st_uid, st.st_gid, uid, gid);
	IT_EXPECT(st.st_mtim.tv_sec == mtime, "%s: mtime %ld, want %ld", path,
	    st.st_mtim.tv_sec, mtime);
	if (nlink != 0)
		IT_EXPECT(st.st_nlink == nlink, "%s: nlink %u, want %u", path,
		    st.st_nlink, nlink);
	if (data == NULL)
		return;
	if (type == S_IFLNK) {
		buf = kmalloc(PATH_MAX, M_ITEST, 0);
		if (buf == NULL)
			return;
		error = kern_readlink(path, buf, PATH_MAX, &len);
		IT_EXPECT(error == 0 && len == strlen(data) &&
		    memcmp(buf, data, len) == 0, "%s: wrong symlink target",
		    path);
		kfree(buf, M_ITEST);
		return;
	}
	error = it_readall(path, 1 << 20, &buf, &len);
	IT_EXPECT(error == 0, "%s: read error %d", path, error);
	if (error != 0)
		return;
	IT_EXPECT(len == strlen(data) && memcmp(buf, data, len) == 0,
	    "%s: wrong contents (%zu bytes)", path, len);
	kfree(buf, M_ITEST);
}

#define MD	"/initrd_b"

/* The archive of initrd_memory_exact; see the test for what it holds. */
static void
it_build_b(struct nw *w)
{
	nw_ent(w, ".", S_IFDIR | 0700, 1, 1, 2, 1, 99, NULL, 0);
	nw_ent(w, "./top", S_IFDIR | 0750, 5, 6, 2, 2, 1000, NULL, 0);
	nw_ent(w, "top/file", S_IFREG | 0640, 7, 8, 1, 3, 2000,
	    "hello, initrd\n", 14);
	nw_ent(w, "/top/abs", S_IFREG | 0600, 0, 0, 1, 4, 2100, "absolute", 8);
	nw_ent(w, "deep/er/still/leaf", S_IFREG | 0444, 0, 0, 1, 5, 2200,
	    "leaf", 4);
	nw_ent(w, "top/link", S_IFLNK | 0777, 9, 10, 1, 6, 3000, "file", 4);
	nw_ent(w, "hl/one", S_IFREG | 0644, 0, 0, 3, 555, 4000, NULL, 0);
	nw_ent(w, "hl/two", S_IFREG | 0644, 0, 0, 3, 555, 4000, NULL, 0);
	nw_ent(w, "top/three", S_IFREG | 0604, 11, 12, 3, 555, 5000,
	    "linked data", 11);
	nw_ent(w, "late/x", S_IFREG | 0644, 0, 0, 1, 7, 2300, "x", 1);
	nw_ent(w, "late", S_IFDIR | 0711, 0, 0, 2, 8, 6000, NULL, 0);
	nw_ent(w, "ro", S_IFDIR | 0555, 0, 0, 2, 9, 6100, NULL, 0);
	nw_ent(w, "ro/inside", S_IFREG | 0644, 0, 0, 1, 10, 2400, "in", 2);
	nw_ent(w, "dev/null", S_IFCHR | 0666, 0, 0, 1, 11, 0, NULL, 0);
	nw_ent(w, "empty", S_IFREG | 0644, 0, 0, 1, 12, 2500, NULL, 0);
	nw_ent(w, "a//b/./c", S_IFREG | 0644, 0, 0, 1, 13, 2600, "c", 1);
	nw_ent(w, "...", S_IFREG | 0644, 0, 0, 1, 14, 2700, "dots", 4);
	nw_ent(w, "fifo", S_IFIFO | 0644, 0, 0, 1, 15, 0, NULL, 0);
	nw_trailer(w);
}

KTEST_DEFINE(initrd_memory_exact, "1", 0, 120, "An archive written in memory unpacks exactly: parents, late and read-only directories, hard links, symlinks, odd names, skipped devices; a second unpack clashes harmlessly")
{
	struct initrd_report rep;
	struct nw w;
	uint64_t i1, i2, i3;
	struct stat st;
	int error;

	KT_ASSERT(nw_init(&w));
	it_build_b(&w);
	KT_ASSERT_EQ(vtu_begin(MD), 0);

	error = initrd_unpack_report(w.nw_buf, w.nw_len, MD, &rep);
	ktest_log("%zu files, %zu dirs, %zu symlinks, %zu links, %zu skipped, "
	    "%zu errors", rep.ir_files, rep.ir_dirs, rep.ir_symlinks,
	    rep.ir_links, rep.ir_skipped, rep.ir_errors);
	KT_ASSERT_EQ(error, 0);
	KT_CHECK(rep.ir_reason[0] == '\0');
	KT_CHECK(rep.ir_files == 9 && rep.ir_links == 2 && rep.ir_dirs == 3 &&
	    rep.ir_symlinks == 1 && rep.ir_skipped == 2 && rep.ir_errors == 0);
	KT_CHECK(rep.ir_bytes == 14 + 8 + 4 + 11 + 1 + 2 + 0 + 1 + 4);

	/* "." (0700, owner 1:1) leaves the destination alone. */
	KT_ASSERT_EQ(kern_lstat(MD, &st), 0);
	KT_CHECK((st.st_mode & ALLPERMS) == 0755 && st.st_uid == 0);
	it_expect(MD "/top", S_IFDIR, 0750, 5, 6, 1000, NULL, 0, NULL);
	it_expect(MD "/top/file", S_IFREG, 0640, 7, 8, 2000,
	    "hello, initrd\n", 1, NULL);
	it_expect(MD "/top/abs", S_IFREG, 0600, 0, 0, 2100, "absolute", 1,
	    NULL);
	/* Implicit parents: 0755, owner 0. */
	KT_ASSERT_EQ(kern_lstat(MD "/deep/er", &st), 0);
	it_expect(MD "/deep", S_IFDIR, 0755, 0, 0, st.st_mtim.tv_sec, NULL, 0,
	    NULL);
	it_expect(MD "/deep/er/still/leaf", S_IFREG, 0444, 0, 0, 2200, "leaf",
	    1, NULL);
	it_expect(MD "/top/link", S_IFLNK, 0, 9, 10, 3000, "file", 0, NULL);
	KT_ASSERT_EQ(kern_stat(MD "/top/link", &st), 0);
	KT_CHECK(S_ISREG(st.st_mode) && st.st_size == 14);
	/* One file, three names, the data and attributes of the last. */
	it_expect(MD "/hl/one", S_IFREG, 0604, 11, 12, 5000, "linked data", 3,
	    &i1);
	it_expect(MD "/hl/two", S_IFREG, 0604, 11, 12, 5000, "linked data", 3,
	    &i2);
	it_expect(MD "/top/three", S_IFREG, 0604, 11, 12, 5000, "linked data",
	    3, &i3);
	KT_CHECK(i1 == i2 && i2 == i3);
	/* Directories get their attributes after their contents. */
	it_expect(MD "/late", S_IFDIR, 0711, 0, 0, 6000, NULL, 0, NULL);
	it_expect(MD "/late/x", S_IFREG, 0644, 0, 0, 2300, "x", 1, NULL);
	it_expect(MD "/ro", S_IFDIR, 0555, 0, 0, 6100, NULL, 0, NULL);
	it_expect(MD "/ro/inside", S_IFREG, 0644, 0, 0, 2400, "in", 1, NULL);
	it_expect(MD "/empty", S_IFREG, 0644, 0, 0, 2500, "", 1, NULL);
	it_expect(MD "/a/b/c", S_IFREG, 0644, 0, 0, 2600, "c", 1, NULL);
	it_expect(MD "/...", S_IFREG, 0644, 0, 0, 2700, "dots", 1, NULL);
	KT_CHECK(kern_lstat(MD "/dev", &st) == ENOENT);
	KT_CHECK(kern_lstat(MD "/fifo", &st) == ENOENT);
	/* top deep hl late ro empty a ... */
	KT_CHECK(it_count(MD, NULL) == 8);

	/*
	 * Again into the same place: every file and symlink clashes
	 * (EEXIST; the links then have no first name to link to), the
	 * directories are reused, nothing changes.
	 */
	error = initrd_unpack_report(w.nw_buf, w.nw_len, MD, &rep);
	KT_CHECK(error == EEXIST);
	KT_CHECK(rep.ir_errors == 9 + 2 + 1 && rep.ir_files == 0 &&
	    rep.ir_dirs == 3);
	it_expect(MD "/top/file", S_IFREG, 0640, 7, 8, 2000,
	    "hello, initrd\n", 1, NULL);
	it_expect(MD "/top", S_IFDIR, 0750, 5, 6, 1000, NULL, 0, NULL);
	it_expect(MD "/hl/two", S_IFREG, 0604, 11, 12, 5000, "linked data", 3,
	    NULL);
	KT_CHECK(it_count(MD, NULL) == 8);

	/* A destination that is missing or not a directory. */
	KT_CHECK(initrd_unpack_report(w.nw_buf, w.nw_len, MD "/none", &rep) ==
	    ENOENT);
	KT_CHECK(initrd_unpack_report(w.nw_buf, w.nw_len, MD "/empty", &rep) ==
	    ENOTDIR);
	KT_CHECK(kern_lstat(MD "/none", &st) == ENOENT);

	/* A trailing slash on the destination is fine. */
	KT_ASSERT_EQ(vtu_begin(MD "2"), 0);
	KT_CHECK(initrd_unpack_report(w.nw_buf, w.nw_len, MD "2/", &rep) == 0);
	it_expect(MD "2/top/three", S_IFREG, 0604, 11, 12, 5000,
	    "linked data", 3, NULL);

	nw_free(&w);
	KT_CHECK(vtu_rmtree(MD) == 0);
	KT_CHECK(vtu_rmtree(MD "2") == 0);
}

/* --- shared by the hostile-input tests --- */

/* A small valid archive: a directory, a file, a symlink, more. */
static void
it_build_small(struct nw *w)
{
	nw_dir(w, "a");
	nw_file(w, "a/f", "12345");
	nw_ent(w, "a/l", S_IFLNK | 0777, 0, 0, 1, nw_ino++, 1234567, "f", 1);
	nw_file(w, "b", NULL);
	nw_ent(w, "c", S_IFDIR | 0700, 0, 0, 2, nw_ino++, 1234567, NULL, 0);
	nw_trailer(w);
}

static uint64_t it_rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
it_random(void)
{
	it_rng ^= it_rng >> 12;
	it_rng ^= it_rng << 25;
	it_rng ^= it_rng >> 27;
	return (it_rng * 0x2545f4914f6cdd1dULL);
}

/*
 * An accepted archive's index must be sound whatever the input was:
 * data inside the buffer, canonical names (no '/' at either end, no
 * empty, "." or ".." component, components and paths within limits),
 * known types, hard-link indexes in range.  Returns false (after a
 * failure report) if not.
 */
static bool
it_index_sane(const struct initrd_archive *ar, size_t len)
{
	for (size_t i = 0; i < ar->ar_nents; i++) {
		const struct initrd_ent *ie = &ar->ar_ents[i];
		const char *n = ie->ie_name, *c;
		size_t clen;

		IT_EXPECT(ie->ie_dataoff <= len && ie->ie_size <= len -
		    ie->ie_dataoff, "entry %zu: data outside the archive", i);
		IT_EXPECT(strlen(n) == ie->ie_namelen &&
		    ie->ie_namelen + 2 <= PATH_MAX, "entry %zu: name length",
		    i);
		IT_EXPECT(ie->ie_type >= INITRD_REG &&
		    ie->ie_type <= INITRD_DOT, "entry %zu: type %d", i,
		    ie->ie_type);
		IT_EXPECT((ie->ie_namelen == 0) == (ie->ie_type == INITRD_DOT),
		    "entry %zu: empty name of type %d", i, ie->ie_type);
		IT_EXPECT(ie->ie_head <= i && ie->ie_data < ar->ar_nents,
		    "entry %zu: link indexes %zu %zu", i, ie->ie_head,
		    ie->ie_data);
		if (ie->ie_type == INITRD_LNK)
			IT_EXPECT(ie->ie_size >= 1 && ie->ie_size < PATH_MAX,
			    "entry %zu: symlink target size", i);
		for (c = n; ie->ie_namelen > 0;) {
			const char *e = strchr(c, '/');

			clen = e == NULL ? strlen(c) : (size_t)(e - c);
			IT_EXPECT(clen > 0 && clen <= NAME_MAX &&
			    !(clen == 1 && c[0] == '.') &&
			    !(clen == 2 && c[0] == '.' && c[1] == '.'),
			    "entry %zu: bad component in '%s'", i, n);
			if (e == NULL)
				break;
			c = e + 1;
		}
		if (ktest_failed())
			return (false);
	}
	return (true);
}

/* --- initrd_truncated --- */

#define TD	"/initrd_c"

KTEST_DEFINE(initrd_truncated, "1", 0, 180, "Every proper prefix of a valid archive is rejected with EINVAL and a reason and creates nothing; so are random prefixes of the boot module")
{
	struct initrd_report rep;
	struct initrd_archive ar;
	struct nw w;
	const void *boot;
	size_t bootlen, bad = 0;
	int error;

	KT_ASSERT(nw_init(&w));
	it_build_small(&w);
	KT_ASSERT_EQ(vtu_begin(TD), 0);
	for (size_t p = 0; p < w.nw_len; p++) {
		error = initrd_unpack_report(w.nw_buf, p, TD, &rep);
		if (error != EINVAL || rep.ir_reason[0] == '\0' ||
		    rep.ir_off > p || rep.ir_files + rep.ir_dirs +
		    rep.ir_symlinks != 0) {
			if (bad++ < 5)
				ktest_fail(__FILE__, __LINE__, "prefix %zu: "
				    "error %d, offset %zu, reason '%s'", p,
				    error, rep.ir_off, rep.ir_reason);
		}
		if (p == 0 || p == 60 || p == 110 || p == 113 ||
		    p == w.nw_len - 1)
			ktest_log("prefix %zu: %s at offset %zu", p,
			    rep.ir_reason, rep.ir_off);
	}
	KT_CHECK(bad == 0);
	/* Nothing was created by any of them. */
	KT_CHECK(it_count(TD, NULL) == 0);
	/* What the console shows for one of them. */
	KT_CHECK(initrd_unpack(w.nw_buf, 200, TD) == EINVAL);
	KT_CHECK(it_count(TD, NULL) == 0);
	/* The whole archive is good (so the test above could fail). */
	KT_ASSERT_EQ(initrd_unpack_report(w.nw_buf, w.nw_len, TD, &rep), 0);
	KT_CHECK(rep.ir_files == 2 && rep.ir_dirs == 2 && rep.ir_symlinks == 1);
	KT_CHECK(it_count(TD, NULL) == 3);
	nw_free(&w);
	KT_CHECK(vtu_rmtree(TD) == 0);

	/* The boot module, parsed only: the whole, then random prefixes. */
	if (!md_initrd(&boot, &bootlen)) {
		ktest_log("no boot module: its prefixes are not checked");
		return;
	}
	KT_ASSERT_EQ(initrd_parse(boot, bootlen, 0, &ar, &rep), 0);
	initrd_archive_free(&ar);
	for (int i = 0; i < 200; i++) {
		size_t p = it_random() % bootlen;

		error = initrd_parse(boot, p, 0, &ar, &rep);
		IT_EXPECT(error == EINVAL, "boot module prefix %zu: error %d",
		    p, error);
		if (error == 0)
			initrd_archive_free(&ar);
	}
}

/* --- initrd_hostile --- */

#define HD	"/initrd_d"

struct it_hcase {
	const char	*hc_what;
	const char	*hc_reason;	/* in the reason; NULL: legal */
	const char	*hc_path;	/* legal: must exist afterwards */
	long		hc_count;	/* legal: names in HD afterwards */
};

static const struct it_hcase it_hcases[] = {
	{ "empty archive", "missing trailer", NULL, 0 },
	{ "trailer only", NULL, NULL, 0 },
	{ "bad magic", "bad magic", NULL, 0 },
	{ "CRC magic", "CRC format", NULL, 0 },
	{ "'g' in c_filesize", "bad hex digit 0x67 in c_filesize", NULL, 0 },
	{ "space in c_ino", "bad hex digit 0x20 in c_ino", NULL, 0 },
	{ "'0x' in c_mode", "bad hex digit 0x78 in c_mode", NULL, 0 },
	{ "upper-case hex", NULL, HD "/up", 1 },
	{ "c_namesize 0", "name size 0 out of range", NULL, 0 },
	{ "c_namesize ffffffff", "name size 4294967295 out of range", NULL, 0 },
	{ "c_namesize PATH_MAX + 1", "name size 1025 out of range", NULL, 0 },
	{ "c_namesize past the end", "truncated name", NULL, 0 },
	{ "c_filesize ffffffff", "truncated data", NULL, 0 },
	{ "c_filesize one too many", "truncated", NULL, 0 },
	{ "name not NUL-terminated", "not NUL-terminated", NULL, 0 },
	{ "NUL inside the name", "NUL byte inside the name", NULL, 0 },
	{ "garbage in the name padding", "non-NUL padding after the name",
	    NULL, 0 },
	{ "garbage in the data padding", "non-NUL padding after the data",
	    NULL, 0 },
	{ "no trailer", "missing trailer", NULL, 0 },
	{ "garbage after the trailer", "data after the trailer", NULL, 0 },
	{ "NUL bytes after the trailer", NULL, HD "/f", 1 },
	{ "name '..'", "'..' in name", NULL, 0 },
	{ "name '../x'", "'..' in name", NULL, 0 },
	{ "name 'a/../b'", "'..' in name", NULL, 0 },
	{ "name 'a/..'", "'..' in name", NULL, 0 },
	{ "empty name", "empty name", NULL, 0 },
	{ "file named '/'", "empty name", NULL, 0 },
	{ "directory named './'", NULL, NULL, 0 },
	{ "absolute name", NULL, HD "/abs/x", 1 },
	{ "name '...'", NULL, HD "/...", 1 },
	{ "component of NAME_MAX bytes", NULL, NULL, 1 },
	{ "component of NAME_MAX + 1 bytes", "over NAME_MAX", NULL, 0 },
	{ "path that just fits PATH_MAX", NULL, NULL, 1 },
	{ "path one byte over PATH_MAX", "exceeds PATH_MAX", NULL, 0 },
	{ "file type 0", "unknown file type 0", NULL, 0 },
	{ "file type 0170000", "unknown file type 0170000", NULL, 0 },
	{ "mode bits above the type", "bad mode", NULL, 0 },
	{ "directory with data", "bytes of data", NULL, 0 },
	{ "symlink without a target", "target of 0 bytes", NULL, 0 },
	{ "symlink target with a NUL", "NUL byte in the target", NULL, 0 },
	{ "symlink target of PATH_MAX bytes", "target of 1024 bytes", NULL, 0 },
	{ "duplicate name", "duplicate name 'f'", NULL, 0 },
	{ "duplicate through the canonical form", "duplicate name 'f'",
	    NULL, 0 },
	{ "name under a file", "which is not a directory", NULL, 0 },
	{ "name under a symlink", "which is not a directory", NULL, 0 },
	{ "block device and socket", NULL, NULL, 0 },
	{ "hard links without data", NULL, HD "/h2", 2 },
	{ "hard link data on the first name", NULL, HD "/h2", 2 },
	{ "truncated second header", "truncated header (50 of 110", NULL, 0 },
	{ "control characters in a name", NULL, HD "/a\tb", 1 },
};

/* A name of n bytes: components of up to 255 'n's joined by '/'. */
static void
it_longname(char *buf, size_t n, size_t comp)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (i % (comp + 1) == comp) ? '/' : 'n';
	buf[n] = '\0';
}

/* Overwrite bytes of the archive at off. */
static void
nw_poke(struct nw *w, size_t off, const char *s)
{
	memcpy(w->nw_buf + off, s, strlen(s));
}

#define FIELD(k)	(6 + 8 * (k))	/* offset of header field k */

static void
it_build_hostile(struct nw *w, int k, char *big)
{
	switch (k) {
	case 0:
		break;
	case 1:
		nw_trailer(w);
		break;
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
		nw_file(w, "f", "data");
		nw_trailer(w);
		nw_poke(w, 0, k == 2 ? "07O701" : k == 3 ? "070702" : "070701");
		if (k == 4)
			nw_poke(w, FIELD(6) + 7, "g");
		if (k == 5)
			nw_poke(w, FIELD(0) + 3, " ");
		if (k == 6)
			nw_poke(w, FIELD(1), "0x");
		break;
	case 7:
		ksnprintf(big, PATH_MAX, "070701%08X%08X%08X%08X%08X%08X%08X"
		    "%08X%08X%08X%08X%08X%08X", 0x3e8, S_IFREG | 0644, 0, 0, 1,
		    0, 2, 0, 0, 0, 0, 3, 0);
		nw_bytes(w, big, 110);
		nw_bytes(w, "up\0\0\0\0AB\0\0", 10);	/* 113 -> 116 -> 120 */
		nw_trailer(w);
		break;
	case 8:
	case 9:
	case 10:
	case 11:
		nw_file(w, "f", "data");
		nw_trailer(w);
		nw_poke(w, FIELD(11), k == 8 ? "00000000" : k == 9 ?
		    "ffffffff" : k == 10 ? "00000401" : "000000c8");
		if (k == 11)
			w->nw_len = 110 + 100;	/* shorter than the name */
		break;
	case 12:
	case 13:
		nw_file(w, "f", "data");
		nw_poke(w, FIELD(6), k == 12 ? "ffffffff" : "00000005");
		break;
	case 14:
		nw_file(w, "f", "data");
		nw_trailer(w);
		w->nw_buf[110 + 1] = 'x';	/* the name's NUL */
		break;
	case 15:
		nw_file(w, "abc", "data");
		nw_trailer(w);
		w->nw_buf[110 + 1] = '\0';
		break;
	case 16:
		nw_file(w, "ab", "data");	/* 110 + 3 -> 3 pad bytes */
		nw_trailer(w);
		w->nw_buf[114] = 'p';
		break;
	case 17:
		nw_file(w, "f", "dat");		/* data at 112, pad at 115 */
		nw_trailer(w);
		w->nw_buf[115] = 'p';
		break;
	case 18:
		nw_file(w, "f", "data");
		break;
	case 19:
	case 20:
		nw_file(w, "f", "data");
		nw_trailer(w);
		nw_bytes(w, k == 19 ? "\0\0\0junk" : "\0\0\0\0\0\0\0\0", 8);
		break;
	case 21:
	case 22:
	case 23:
	case 24:
		nw_file(w, k == 21 ? ".." : k == 22 ? "../x" : k == 23 ?
		    "a/../b" : "a/..", "data");
		nw_trailer(w);
		break;
	case 25:
		nw_file(w, "", "data");
		nw_trailer(w);
		break;
	case 26:
		nw_file(w, "/", "data");
		nw_trailer(w);
		break;
	case 27:
		nw_dir(w, "./");
		nw_trailer(w);
		break;
	case 28:
		nw_file(w, "/abs/x", "data");
		nw_trailer(w);
		break;
	case 29:
		nw_file(w, "...", "data");
		nw_trailer(w);
		break;
	case 30:
	case 31:
		it_longname(big, k == 30 ? NAME_MAX : NAME_MAX + 1, 1000);
		nw_file(w, big, "data");
		nw_trailer(w);
		break;
	case 32:
	case 33:
		/* HD + '/' + name + NUL = PATH_MAX (+ 1). */
		it_longname(big, PATH_MAX - strlen(HD) - 2 + (k == 33), 255);
		nw_file(w, big, "data");
		nw_trailer(w);
		break;
	case 34:
	case 35:
	case 36:
		nw_ent(w, "f", k == 34 ? 0644 : k == 35 ? 0170644 :
		    0x10000000 | S_IFREG | 0644, 0, 0, 1, 1, 0, "data", 4);
		nw_trailer(w);
		break;
	case 37:
		nw_ent(w, "d", S_IFDIR | 0755, 0, 0, 2, 1, 0, "abc", 3);
		nw_trailer(w);
		break;
	case 38:
	case 39:
	case 40:
		memset(big, 't', PATH_MAX);
		big[1] = k == 39 ? '\0' : 't';
		nw_ent(w, "l", S_IFLNK | 0777, 0, 0, 1, 1, 0, big,
		    k == 38 ? 0 : k == 39 ? 4 : PATH_MAX);
		nw_trailer(w);
		break;
	case 41:
	case 42:
		nw_file(w, "f", "one");
		nw_file(w, k == 41 ? "f" : "./f", "two");
		nw_trailer(w);
		break;
	case 43:
		nw_file(w, "f", "one");
		nw_file(w, "f/g", "two");
		nw_trailer(w);
		break;
	case 44:
		nw_ent(w, "l", S_IFLNK | 0777, 0, 0, 1, 1, 0, "/", 1);
		nw_file(w, "l/escape", "two");
		nw_trailer(w);
		break;
	case 45:
		nw_ent(w, "blk", 0060644, 0, 0, 1, 1, 0, NULL, 0);
		nw_ent(w, "sock", 0140644, 0, 0, 1, 2, 0, NULL, 0);
		nw_trailer(w);
		break;
	case 46:
	case 47:
		nw_ent(w, "h1", S_IFREG | 0644, 0, 0, 2, 7, 0,
		    k == 47 ? "first" : NULL, k == 47 ? 5 : 0);
		nw_ent(w, "h2", S_IFREG | 0644, 0, 0, 2, 7, 0, NULL, 0);
		nw_trailer(w);
		break;
	case 48:
		nw_file(w, "f", "data");
		nw_bytes(w, "070701000000010000", 18);
		memset(big, '0', 32);
		nw_bytes(w, big, 32);
		break;
	case 49:
		nw_file(w, "a\tb", "data");
		nw_trailer(w);
		break;
	default:
		panic("it_build_hostile: no case %d", k);
	}
}

KTEST_DEFINE(initrd_hostile, "1", 0, 180, "Malformed archives are each rejected with the expected reason and create nothing; the documented legal oddities unpack as documented")
{
	struct initrd_report rep;
	struct stat st;
	struct nw w;
	char *big, first[NAME_MAX + 1];
	long have;
	int error;

	CTASSERT(nitems(it_hcases) == 50);
	big = kmalloc(PATH_MAX + 1, M_ITEST, 0);
	KT_ASSERT(big != NULL);
	KT_ASSERT(nw_init(&w));
	for (int k = 0; k < (int)nitems(it_hcases); k++) {
		const struct it_hcase *hc = &it_hcases[k];

		KT_ASSERT_EQ(vtu_begin(HD), 0);
		memset(w.nw_buf, 0, w.nw_cap);
		w.nw_len = 0;
		it_build_hostile(&w, k, big);
		error = initrd_unpack_report(w.nw_buf, w.nw_len, HD, &rep);
		have = it_count(HD, first);
		if (hc->hc_reason != NULL) {
			IT_EXPECT(error == EINVAL && it_contains(rep.ir_reason,
			    hc->hc_reason), "%d (%s): error %d, reason '%s', "
			    "want '%s'", k, hc->hc_what, error, rep.ir_reason,
			    hc->hc_reason);
			IT_EXPECT(rep.ir_off <= w.nw_len, "%d (%s): offset %zu "
			    "past the end", k, hc->hc_what, rep.ir_off);
			IT_EXPECT(have == 0, "%d (%s): created '%s'", k,
			    hc->hc_what, first);
			continue;
		}
		IT_EXPECT(error == 0 && rep.ir_errors == 0, "%d (%s): error "
		    "%d, reason '%s'", k, hc->hc_what, error, rep.ir_reason);
		IT_EXPECT(have == hc->hc_count, "%d (%s): %ld names, want %ld",
		    k, hc->hc_what, have, hc->hc_count);
		if (hc->hc_path != NULL)
			IT_EXPECT(kern_lstat(hc->hc_path, &st) == 0, "%d (%s): "
			    "no %s", k, hc->hc_what, hc->hc_path);
	}
	KT_ASSERT_EQ(vtu_begin(HD), 0);
	w.nw_len = 0;
	it_build_hostile(&w, 47, big);
	(void)initrd_unpack_report(w.nw_buf, w.nw_len, HD, &rep);
	it_expect(HD "/h1", S_IFREG, 0644, 0, 0, 0, "first", 2, NULL);
	it_expect(HD "/h2", S_IFREG, 0644, 0, 0, 0, "first", 2, NULL);
	/* Skipped entries are counted, not created. */
	KT_ASSERT_EQ(vtu_begin(HD), 0);
	w.nw_len = 0;
	it_build_hostile(&w, 45, big);
	KT_CHECK(initrd_unpack_report(w.nw_buf, w.nw_len, HD, &rep) == 0);
	KT_CHECK(rep.ir_skipped == 2 && it_count(HD, NULL) == 0);
	nw_free(&w);
	kfree(big, M_ITEST);
	KT_CHECK(vtu_rmtree(HD) == 0);
}

/* --- initrd_fuzz --- */

#define FD	"/initrd_f"

KTEST_DEFINE(initrd_fuzz, "1", 0, 180, "Random bytes and bit flips are rejected, or accepted with a sound index that unpacks without errors; never a panic")
{
	struct initrd_report rep;
	struct initrd_archive ar;
	struct nw base, w;
	uint64_t end;
	long nrand = 0, nflip = 0, accepted = 0, unpacked = 0;
	int error;

	KT_ASSERT(nw_init(&base));
	KT_ASSERT(nw_init(&w));
	it_build_small(&base);

	/* Random bytes, half of them behind a valid magic. */
	end = nanouptime() + 2000000000UL;
	while (nrand < 5000 && (nrand < 200 || nanouptime() < end)) {
		size_t len = it_random() % 700;

		for (size_t i = 0; i < len; i++)
			w.nw_buf[i] = (uint8_t)it_random();
		if ((nrand & 1) != 0 && len >= 6)
			memcpy(w.nw_buf, "070701", 6);
		error = initrd_parse(w.nw_buf, len, 0, &ar, &rep);
		IT_EXPECT(error == EINVAL, "random bytes (%zu) accepted", len);
		if (error == 0)
			initrd_archive_free(&ar);
		nrand++;
	}

	/* One to three flipped bits anywhere in a valid archive. */
	end = nanouptime() + 3000000000UL;
	while (nflip < 20000 && (nflip < 300 || nanouptime() < end)) {
		int nbits = 1 + (int)(it_random() % 3);

		memcpy(w.nw_buf, base.nw_buf, base.nw_len);
		w.nw_len = base.nw_len;
		for (int b = 0; b < nbits; b++) {
			size_t bit = it_random() % (w.nw_len * 8);

			w.nw_buf[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		}
		nflip++;
		error = initrd_parse(w.nw_buf, w.nw_len, strlen(FD), &ar, &rep);
		if (error != 0) {
			IT_EXPECT(error == EINVAL && rep.ir_reason[0] != '\0' &&
			    rep.ir_off <= w.nw_len, "flip %ld: error %d",
			    nflip, error);
			continue;
		}
		accepted++;
		if (!it_index_sane(&ar, w.nw_len)) {
			initrd_archive_free(&ar);
			break;
		}
		initrd_archive_free(&ar);
		/* Unpack some of the accepted ones for real. */
		if (unpacked >= 30)
			continue;
		unpacked++;
		KT_ASSERT_EQ(vtu_begin(FD), 0);
		error = initrd_unpack_report(w.nw_buf, w.nw_len, FD, &rep);
		IT_EXPECT(error == 0 && rep.ir_errors == 0, "flip %ld: "
		    "accepted, but unpacking gave error %d (%zu errors)", nflip,
		    error, rep.ir_errors);
	}
	ktest_log("%ld random buffers, %ld bit-flipped archives (%ld accepted, "
	    "%ld of them unpacked)", nrand, nflip, accepted, unpacked);
	KT_CHECK(accepted > 0);		/* some flips only change data */
	nw_free(&base);
	nw_free(&w);
	(void)vtu_rmtree(FD);
}
