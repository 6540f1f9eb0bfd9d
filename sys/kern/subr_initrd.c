/*
 * The initrd parser: checks a cpio archive in the "newc" format from end
 * to end and indexes it, without touching any filesystem.  The unpacker
 * (vfs_initrd.c) acts only on an archive this file has accepted, so a
 * corrupt or truncated archive is refused as a whole and leaves nothing
 * behind: decode and validate everything first, then act.
 *
 * The format (one record per file, then a record named "TRAILER!!!"):
 *
 *	header	110 bytes: the magic "070701", then 13 fields of exactly
 *		8 hex digits: c_ino, c_mode, c_uid, c_gid, c_nlink,
 *		c_mtime, c_filesize, c_devmajor, c_devminor, c_rdevmajor,
 *		c_rdevminor, c_namesize (with the NUL), c_check (ignored)
 *	name	c_namesize bytes, NUL-terminated, then NUL padding up to a
 *		multiple of 4 bytes from the start of the archive
 *	data	c_filesize bytes, then NUL padding to a multiple of 4
 *
 * What is checked, each failure giving the offset and a reason:
 *  (1) structure: the magic, every hex digit, 1 <= c_namesize <=
 *      PATH_MAX, the name NUL-terminated with no NUL inside, the name
 *      and data (and their padding, which must be NUL bytes) inside the
 *      archive, the trailer present; after the trailer only NUL bytes
 *      (loaders and cpio pad archives to a block size);
 *  (2) names: leading "/" and "./", empty and "." components are
 *      dropped (so "/etc//./motd" is "etc/motd": absolute names unpack
 *      relative to the destination); a ".." component, a component
 *      longer than NAME_MAX or a result that joined to the destination
 *      exceeds PATH_MAX is refused, so is an empty name, except that a
 *      directory named "." (as "find . | cpio" writes) is accepted and
 *      means the destination itself, which is left alone;
 *  (3) types: regular files, directories (no data) and symlinks (the
 *      data is the target: 1 to PATH_MAX - 1 bytes, no NUL) are kept;
 *      character and block devices, fifos and sockets are kept as
 *      INITRD_SKIP for the unpacker to report; any other type is refused;
 *  (4) the tree: the same canonical name twice, or a name under one
 *      that is not a directory ("a" a file and "a/b"), is refused.
 * Hard links are resolved here too: regular files with c_nlink > 1 and
 * the same c_ino, c_devmajor and c_devminor form a group.  cpio writes
 * the data with the last member; we take the data of the last member
 * that has any (so archives that repeat the data work too).
 *
 * Cost: two passes over the headers (the first only checks and counts,
 * the second indexes), then hash tables of the names and inodes; the
 * index is about 150 bytes per entry plus the names.  Data bytes are not
 * read here except padding and symlink targets.
 *
 * Context: anything that may call kmalloc.  No locks: the archive is the
 * caller's and is not modified.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/dirent.h>
#include <sys/initrd.h>

MALLOC_DEFINE(M_INITRD, "initrd", "index of an initrd archive");

#define NEWC_MAGIC	"070701"
#define NEWC_CRCMAGIC	"070702"
#define NEWC_HDRLEN	110
#define NEWC_NFIELDS	13
#define NEWC_TRAILER	"TRAILER!!!"

/* Field indexes, in header order. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK
};

static const char *const newc_fields[NEWC_NFIELDS] = {
	"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime",
	"c_filesize", "c_devmajor", "c_devminor", "c_rdevmajor",
	"c_rdevminor", "c_namesize", "c_check"
};

/* The format's own file type values (c_mode & 0170000). */
#define C_IFMT		0170000
#define C_ISFIFO	0010000
#define C_ISCHR		0020000
#define C_ISDIR		0040000
#define C_ISBLK		0060000
#define C_ISREG		0100000
#define C_ISLNK		0120000
#define C_ISSOCK	0140000

#define NONE		((size_t)-1)

/* One record as found in the archive; offsets are into the archive. */
struct newc_rec {
	size_t		r_off;
	size_t		r_nameoff;
	size_t		r_dataoff;
	size_t		r_end;		/* next record */
	uint32_t	r_f[NEWC_NFIELDS];
	bool		r_trailer;
};

/* Record why the archive is refused.  Returns EINVAL. */
static int __printflike(3, 4)
initrd_reject(struct initrd_report *rep, size_t off, const char *fmt, ...)
{
	va_list ap;

	rep->ir_off = off;
	va_start(ap, fmt);
	kvsnprintf(rep->ir_reason, sizeof(rep->ir_reason), fmt, ap);
	va_end(ap);
	return (EINVAL);
}

/* A name made safe to print: printable ASCII, '?' otherwise, cut short. */
static const char *
initrd_shown(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < outlen; i++)
		out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < n) {
		out[o++] = '.';
		out[o++] = '.';
		out[o++] = '.';
	}
	out[o] = '\0';
	return (out);
}

static int
initrd_hexdigit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* The first non-NUL byte in b[from, to), or to. */
static size_t
initrd_nonzero(const uint8_t *b, size_t from, size_t to)
{
	while (from < to && b[from] == 0)
		from++;
	return (from);
}

/*
 * Read and check the record at off (structure only, rule (1)).  Every
 * size is compared with what is left of the archive before it is added
 * to an offset, so nothing can overflow or point outside b[0, len).
 */
static int
initrd_record(const uint8_t *b, size_t len, size_t off, struct newc_rec *r,
    struct initrd_report *rep)
{
	size_t ns, fs, pos, nz;
	int d;

	memset(r, 0, sizeof(*r));
	r->r_off = off;
	if (off == len)
		return (initrd_reject(rep, off, "missing trailer (the archive "
		    "ends without a TRAILER!!! record)"));
	if (len - off < NEWC_HDRLEN)
		return (initrd_reject(rep, off, "truncated header (%zu of %d "
		    "bytes)", len - off, NEWC_HDRLEN));
	if (memcmp(b + off, NEWC_CRCMAGIC, 6) == 0)
		return (initrd_reject(rep, off, "cpio CRC format (070702) is "
		    "not supported, only newc (070701)"));
	if (memcmp(b + off, NEWC_MAGIC, 6) != 0)
		return (initrd_reject(rep, off, "bad magic (not a newc cpio "
		    "header)"));
	pos = off + 6;
	for (int f = 0; f < NEWC_NFIELDS; f++) {
		uint32_t v = 0;

		for (int i = 0; i < 8; i++, pos++) {
			d = initrd_hexdigit(b[pos]);
			if (d < 0)
				return (initrd_reject(rep, pos, "bad hex digit "
				    "0x%02x in %s", b[pos], newc_fields[f]));
			v = (v << 4) | (uint32_t)d;
		}
		r->r_f[f] = v;
	}
	ns = r->r_f[F_NAMESIZE];
	if (ns < 1 || ns > PATH_MAX)
		return (initrd_reject(rep, off + 6 + 8 * F_NAMESIZE,
		    "name size %zu out of range (1 to %d with the NUL)", ns,
		    PATH_MAX));
	r->r_nameoff = off + NEWC_HDRLEN;
	if (len - r->r_nameoff < ns)
		return (initrd_reject(rep, r->r_nameoff, "truncated name (%zu "
		    "of %zu bytes)", len - r->r_nameoff, ns));
	if (b[r->r_nameoff + ns - 1] != '\0')
		return (initrd_reject(rep, r->r_nameoff, "name is not "
		    "NUL-terminated"));
	if (strnlen((const char *)b + r->r_nameoff, ns) != ns - 1)
		return (initrd_reject(rep, r->r_nameoff, "NUL byte inside the "
		    "name"));
	pos = r->r_nameoff + ns;
	r->r_dataoff = roundup2(pos, 4);
	if (r->r_dataoff > len)
		return (initrd_reject(rep, pos, "truncated padding after the "
		    "name"));
	nz = initrd_nonzero(b, pos, r->r_dataoff);
	if (nz != r->r_dataoff)
		return (initrd_reject(rep, nz, "non-NUL padding after the "
		    "name"));
	fs = r->r_f[F_FILESIZE];
	if (len - r->r_dataoff < fs)
		return (initrd_reject(rep, r->r_dataoff, "truncated data (%zu "
		    "bytes declared, %zu left)", fs, len - r->r_dataoff));
	pos = r->r_dataoff + fs;
	r->r_end = roundup2(pos, 4);
	if (r->r_end > len)
		return (initrd_reject(rep, pos, "truncated padding after the "
		    "data"));
	nz = initrd_nonzero(b, pos, r->r_end);
	if (nz != r->r_end)
		return (initrd_reject(rep, nz, "non-NUL padding after the "
		    "data"));
	r->r_trailer = ns == sizeof(NEWC_TRAILER) &&
	    memcmp(b + r->r_nameoff, NEWC_TRAILER, ns) == 0;
	return (0);
}

/*
 * Canonical form of a raw name (rule (2)) into out, which has room for
 * rawlen + 1 bytes (the result is never longer).  Sets *outlen, *depth.
 */
static int
initrd_canon(const char *raw, size_t rawlen, size_t off, char *out,
    size_t *outlen, int *depth, struct initrd_report *rep)
{
	const char *p = raw, *end = raw + rawlen, *s;
	char shown[64];
	size_t n = 0, clen;

	*depth = 0;
	while (p < end) {
		while (p < end && *p == '/')
			p++;
		s = p;
		while (p < end && *p != '/')
			p++;
		clen = (size_t)(p - s);
		if (clen == 0 || (clen == 1 && s[0] == '.'))
			continue;
		if (clen == 2 && s[0] == '.' && s[1] == '.')
			return (initrd_reject(rep, off, "'..' in name '%s'",
			    initrd_shown(shown, sizeof(shown), raw, rawlen)));
		if (clen > NAME_MAX)
			return (initrd_reject(rep, off, "name component of %zu "
			    "bytes (over NAME_MAX, %d) in '%s'", clen, NAME_MAX,
			    initrd_shown(shown, sizeof(shown), raw, rawlen)));
		if (n > 0) {
			out[n++] = '/';
			(*depth)++;
		}
		memcpy(out + n, s, clen);
		n += clen;
	}
	out[n] = '\0';
	*outlen = n;
	return (0);
}

static uint32_t
initrd_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261U;

	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619U;
	}
	return (h);
}

/* The entry named exactly s[0, n), or NONE. */
static size_t
initrd_lookup(const struct initrd_archive *ar, const char *s, size_t n)
{
	size_t i = ar->ar_hash[initrd_hash(s, n) & (ar->ar_hashsize - 1)];

	for (; i != NONE; i = ar->ar_ents[i].ie_hnext) {
		if (ar->ar_ents[i].ie_namelen == n &&
		    memcmp(ar->ar_ents[i].ie_name, s, n) == 0)
			return (i);
	}
	return (NONE);
}

/* Type, canonical name and data rules (2) and (3) for one entry. */
static int
initrd_entry(struct initrd_archive *ar, const struct newc_rec *r,
    size_t prefixlen, char *namebuf, struct initrd_ent *ie,
    struct initrd_report *rep)
{
	const char *raw = (const char *)ar->ar_buf + r->r_nameoff;
	size_t rawlen = r->r_f[F_NAMESIZE] - 1;
	uint32_t mode = r->r_f[F_MODE];
	char shown[64];
	int error;

	ie->ie_off = r->r_off;
	ie->ie_dataoff = r->r_dataoff;
	ie->ie_size = r->r_f[F_FILESIZE];
	ie->ie_mode = mode;
	ie->ie_uid = r->r_f[F_UID];
	ie->ie_gid = r->r_f[F_GID];
	ie->ie_mtime = r->r_f[F_MTIME];
	ie->ie_ino = r->r_f[F_INO];
	ie->ie_nlink = r->r_f[F_NLINK];
	ie->ie_devmajor = r->r_f[F_DEVMAJOR];
	ie->ie_devminor = r->r_f[F_DEVMINOR];
	initrd_shown(shown, sizeof(shown), raw, rawlen);
	if ((mode & ~(uint32_t)(C_IFMT | 07777)) != 0)
		return (initrd_reject(rep, r->r_off + 6 + 8 * F_MODE,
		    "bad mode %#o of '%s'", mode, shown));
	switch (mode & C_IFMT) {
	case C_ISREG:
		ie->ie_type = INITRD_REG;
		break;
	case C_ISDIR:
		ie->ie_type = INITRD_DIR;
		break;
	case C_ISLNK:
		ie->ie_type = INITRD_LNK;
		break;
	case C_ISCHR:
	case C_ISBLK:
	case C_ISFIFO:
	case C_ISSOCK:
		ie->ie_type = INITRD_SKIP;
		break;
	default:
		return (initrd_reject(rep, r->r_off + 6 + 8 * F_MODE, "unknown "
		    "file type %#o of '%s'", mode & C_IFMT, shown));
	}
	error = initrd_canon(raw, rawlen, r->r_nameoff, namebuf,
	    &ie->ie_namelen, &ie->ie_depth, rep);
	if (error != 0)
		return (error);
	ie->ie_name = namebuf;
	if (ie->ie_namelen == 0) {
		if (ie->ie_type != INITRD_DIR)
			return (initrd_reject(rep, r->r_nameoff, "empty name "
			    "'%s'", shown));
		ie->ie_type = INITRD_DOT;
	}
	/* prefix + '/' + name + NUL */
	if (prefixlen + ie->ie_namelen + 2 > PATH_MAX)
		return (initrd_reject(rep, r->r_nameoff, "name '%s' is too "
		    "long: with the destination it exceeds PATH_MAX (%d)",
		    shown, PATH_MAX));
	if (ie->ie_type == INITRD_DIR && ie->ie_size != 0)
		return (initrd_reject(rep, r->r_dataoff, "directory '%s' has "
		    "%u bytes of data", shown, ie->ie_size));
	if (ie->ie_type == INITRD_LNK) {
		const char *t = (const char *)ar->ar_buf + r->r_dataoff;

		if (ie->ie_size == 0 || ie->ie_size >= PATH_MAX)
			return (initrd_reject(rep, r->r_dataoff, "symlink '%s' "
			    "has a target of %u bytes (1 to %d allowed)", shown,
			    ie->ie_size, PATH_MAX - 1));
		if (strnlen(t, ie->ie_size) != ie->ie_size)
			return (initrd_reject(rep, r->r_dataoff, "NUL byte in "
			    "the target of symlink '%s'", shown));
	}
	ie->ie_head = ie->ie_data = (size_t)(ie - ar->ar_ents);
	ie->ie_hnext = ie->ie_lnext = NONE;
	return (0);
}

/*
 * Rule (4) and hard-link groups, over the indexed entries.  The name
 * hash is ar_hash[0, hashsize), the inode hash ar_hash[hashsize, 2 *
 * hashsize).
 */
static int
initrd_tree(struct initrd_archive *ar, struct initrd_report *rep)
{
	size_t *lhash = ar->ar_hash + ar->ar_hashsize;
	size_t mask = ar->ar_hashsize - 1, i, j, *slot;
	char shown[64], shown2[64];

	for (i = 0; i < ar->ar_nents; i++) {
		struct initrd_ent *ie = &ar->ar_ents[i];

		if (ie->ie_type == INITRD_DOT)
			continue;
		if (initrd_lookup(ar, ie->ie_name, ie->ie_namelen) != NONE)
			return (initrd_reject(rep, ie->ie_off, "duplicate name "
			    "'%s'", initrd_shown(shown, sizeof(shown),
			    ie->ie_name, ie->ie_namelen)));
		slot = &ar->ar_hash[initrd_hash(ie->ie_name, ie->ie_namelen) &
		    mask];
		ie->ie_hnext = *slot;
		*slot = i;
	}
	for (i = 0; i < ar->ar_nents; i++) {
		struct initrd_ent *ie = &ar->ar_ents[i];

		for (size_t k = 0; k < ie->ie_namelen; k++) {
			if (ie->ie_name[k] != '/')
				continue;
			j = initrd_lookup(ar, ie->ie_name, k);
			if (j != NONE && ar->ar_ents[j].ie_type != INITRD_DIR)
				return (initrd_reject(rep, ie->ie_off, "'%s' "
				    "lies under '%s', which is not a directory",
				    initrd_shown(shown, sizeof(shown),
				    ie->ie_name, ie->ie_namelen),
				    initrd_shown(shown2, sizeof(shown2),
				    ie->ie_name, k)));
		}
	}
	for (i = 0; i < ar->ar_nents; i++) {
		struct initrd_ent *ie = &ar->ar_ents[i], *h = NULL;
		uint32_t key[3] = { ie->ie_ino, ie->ie_devmajor,
		    ie->ie_devminor };

		if (ie->ie_type != INITRD_REG || ie->ie_nlink < 2)
			continue;
		slot = &lhash[initrd_hash((const char *)key, sizeof(key)) &
		    mask];
		for (j = *slot; j != NONE; j = ar->ar_ents[j].ie_lnext) {
			h = &ar->ar_ents[j];
			if (h->ie_ino == ie->ie_ino &&
			    h->ie_devmajor == ie->ie_devmajor &&
			    h->ie_devminor == ie->ie_devminor)
				break;
		}
		if (j == NONE) {
			ie->ie_lnext = *slot;
			*slot = i;
			continue;
		}
		/* A later member: joins the group of head j. */
		ie->ie_head = j;
		ie->ie_data = i;
		if (ie->ie_size > 0 || ar->ar_ents[h->ie_data].ie_size == 0)
			h->ie_data = i;
	}
	return (0);
}

void
initrd_archive_free(struct initrd_archive *ar)
{
	kfree(ar->ar_ents, M_INITRD);
	kfree(ar->ar_names, M_INITRD);
	kfree(ar->ar_hash, M_INITRD);
	memset(ar, 0, sizeof(*ar));
}

/*
 * Pass 1 checks the structure and counts; pass 2 (which cannot meet a
 * structural error any more) indexes each entry and checks its name and
 * type; then the tree.  See the top of the file.
 */
int
initrd_parse(const void *buf, size_t len, size_t prefixlen,
    struct initrd_archive *ar, struct initrd_report *rep)
{
	const uint8_t *b = buf;
	struct newc_rec r;
	size_t off, n, namebytes, nz, i;
	char *names;
	int error;

	memset(ar, 0, sizeof(*ar));
	rep->ir_off = 0;
	rep->ir_reason[0] = '\0';
	ar->ar_buf = b;
	ar->ar_len = len;
	n = namebytes = 0;
	for (off = 0;; off = r.r_end) {
		error = initrd_record(b, len, off, &r, rep);
		if (error != 0)
			return (error);
		if (r.r_trailer)
			break;
		n++;
		namebytes += r.r_f[F_NAMESIZE];
	}
	nz = initrd_nonzero(b, r.r_end, len);
	if (nz != len)
		return (initrd_reject(rep, nz, "data after the trailer"));

	ar->ar_hashsize = 16;
	while (ar->ar_hashsize < 2 * n)
		ar->ar_hashsize <<= 1;
	ar->ar_ents = kmalloc(MAX(n, 1) * sizeof(*ar->ar_ents), M_INITRD,
	    M_ZERO);
	ar->ar_names = kmalloc(MAX(namebytes, 1), M_INITRD, 0);
	ar->ar_hash = kmalloc(2 * ar->ar_hashsize * sizeof(size_t), M_INITRD,
	    0);
	if (ar->ar_ents == NULL || ar->ar_names == NULL ||
	    ar->ar_hash == NULL) {
		initrd_archive_free(ar);
		ksnprintf(rep->ir_reason, sizeof(rep->ir_reason), "out of "
		    "memory for the index of %zu entries", n);
		return (ENOMEM);
	}
	memset(ar->ar_hash, 0xff, 2 * ar->ar_hashsize * sizeof(size_t));
	ar->ar_nents = n;

	names = ar->ar_names;
	for (off = 0, i = 0; i < n; off = r.r_end, i++) {
		error = initrd_record(b, len, off, &r, rep);
		KASSERT(error == 0 && !r.r_trailer,
		    ("initrd: record at %zu changed between passes", off));
		error = initrd_entry(ar, &r, prefixlen, names, &ar->ar_ents[i],
		    rep);
		if (error != 0)
			goto bad;
		names += ar->ar_ents[i].ie_namelen + 1;
	}
	error = initrd_tree(ar, rep);
	if (error != 0)
		goto bad;
	return (0);
bad:
	initrd_archive_free(ar);
	return (error);
}
