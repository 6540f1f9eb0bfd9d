/*
 * tmpfs directories: names, look-up and readdir order.
 *
 * A directory's entries (struct tmpfs_dirent, name stored inline) are
 * indexed twice:
 *
 *   - by name, in a chained hash table (FNV-1a of the name) that grows by
 *     four when the entries outnumber twice the buckets and shrinks by
 *     four when they fall below an eighth of them (the gap between the
 *     two keeps a directory hovering at one size from rehashing back and
 *     forth), so look-up, create and remove cost O(1) on average, rehash
 *     included, whatever the size of the directory.  A table that cannot
 *     be resized (no memory) keeps working, only with longer chains.  It
 *     is freed when the directory empties, so an empty directory holds
 *     no table;
 *   - by readdir cookie, in a radix tree (tmpfs_radix.c).  Every entry
 *     gets the directory's next sequence number when it is made and keeps
 *     it for life; cookies 0 and 1 stand for "." and "..".
 *
 * Readdir guarantees.  A readdir that resumes at cookie c returns the
 * entries whose cookie is >= c, in cookie order, and hands back as the
 * resume point one more than the cookie of the last entry returned.  So
 * however entries come and go between calls, an entry that exists during
 * the whole listing is returned exactly once, and no entry is returned
 * twice; entries made during the listing appear after it (their cookies
 * are higher), if the listing has not finished yet.  Renaming over an
 * existing name keeps that name's entry and cookie.
 *
 * Costs: an entry is one allocation (header + name) plus its share of
 * the hash table (8 bytes per bucket, at least 1 bucket per 2 entries)
 * and of the cookie tree (about 12 bytes per entry while cookies are
 * dense).  Finding the resume point costs one tree descent.
 *
 * Everything here runs with the mount's token held and never blocks.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <vfs/tmpfs/tmpfs.h>

#define TMPFS_HASH_MIN		8		/* buckets of a new table */
#define TMPFS_HASH_MAX		(1u << 19)	/* 4 MiB of buckets */

MALLOC_DEFINE(M_TMPFS_DIRENT, "tmpfs_dirent", "tmpfs directory entries");

static uint32_t
tmpfs_name_hash(const char *name, size_t nlen)
{
	uint32_t h = 2166136261u;

	while (nlen-- > 0) {
		h ^= (uint8_t)*name++;
		h *= 16777619u;
	}
	return (h);
}

/* The entry for name in dir, or NULL. */
struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dir, const char *name, size_t nlen)
{
	struct tmpfs_dirent *de;
	uint32_t h;

	KKASSERT(dir->tn_type == VDIR);
	if (dir->tn_u.dir.htab == NULL)
		return (NULL);
	h = tmpfs_name_hash(name, nlen);
	for (de = dir->tn_u.dir.htab[h & dir->tn_u.dir.hmask]; de != NULL;
	    de = de->td_hnext) {
		if (de->td_hash == h && de->td_nlen == nlen &&
		    memcmp(de->td_name, name, nlen) == 0)
			return (de);
	}
	return (NULL);
}

/*
 * Move dir's entries to a new hash table of newn buckets (a power of 2).
 * If there is no memory the old table stays: look-ups still work, only
 * with longer or emptier chains.
 */
static void
tmpfs_dir_rehash(struct tmpfs_node *dir, uint32_t newn)
{
	struct tmpfs_dirent **old = dir->tn_u.dir.htab, **nt;
	struct tmpfs_dirent *de, *next;
	uint32_t oldn = dir->tn_u.dir.hmask + 1, i;

	nt = kmalloc(newn * sizeof(*nt), M_TMPFS, M_ZERO);
	if (nt == NULL)
		return;
	for (i = 0; i < oldn; i++) {
		for (de = old[i]; de != NULL; de = next) {
			next = de->td_hnext;
			de->td_hnext = nt[de->td_hash & (newn - 1)];
			nt[de->td_hash & (newn - 1)] = de;
		}
	}
	dir->tn_u.dir.htab = nt;
	dir->tn_u.dir.hmask = newn - 1;
	kfree(old, M_TMPFS);
}

/*
 * Give node the name (name, nlen) in dir, with a new cookie.  The caller
 * has checked that the name is valid and absent, and adjusts link counts
 * itself.  ENOSPC if memory is short, with nothing changed.
 */
int
tmpfs_dir_attach(struct tmpfs_node *dir, const char *name, size_t nlen,
    struct tmpfs_node *node)
{
	struct tmpfs_dirent *de, **htab = NULL;
	uint64_t cookie = dir->tn_u.dir.nextcookie;
	uint32_t b, nb;

	KKASSERT(dir->tn_type == VDIR && nlen > 0 && nlen <= NAME_MAX);
	de = kmalloc(sizeof(*de) + nlen + 1, M_TMPFS_DIRENT, 0);
	if (de == NULL)
		return (ENOSPC);
	if (dir->tn_u.dir.htab == NULL) {
		htab = kmalloc(TMPFS_HASH_MIN * sizeof(*htab), M_TMPFS,
		    M_ZERO);
		if (htab == NULL) {
			kfree(de, M_TMPFS_DIRENT);
			return (ENOSPC);
		}
	}
	if (tmpfs_radix_insert(&dir->tn_u.dir.cookies, cookie, de) != 0) {
		kfree(htab, M_TMPFS);
		kfree(de, M_TMPFS_DIRENT);
		return (ENOSPC);
	}

	/* Commit. */
	if (htab != NULL) {
		dir->tn_u.dir.htab = htab;
		dir->tn_u.dir.hmask = TMPFS_HASH_MIN - 1;
	}
	dir->tn_u.dir.nextcookie++;
	de->td_node = node;
	de->td_cookie = cookie;
	de->td_hash = tmpfs_name_hash(name, nlen);
	de->td_nlen = (uint16_t)nlen;
	memcpy(de->td_name, name, nlen);
	de->td_name[nlen] = '\0';
	b = de->td_hash & dir->tn_u.dir.hmask;
	de->td_hnext = dir->tn_u.dir.htab[b];
	dir->tn_u.dir.htab[b] = de;
	dir->tn_nentries++;
	nb = dir->tn_u.dir.hmask + 1;
	if (dir->tn_nentries > 2 * (uint64_t)nb && nb * 4 <= TMPFS_HASH_MAX)
		tmpfs_dir_rehash(dir, nb * 4);
	return (0);
}

/*
 * Remove entry de from dir and free it.  Link counts are the caller's.
 * Never fails, never allocates.
 */
void
tmpfs_dir_detach(struct tmpfs_node *dir, struct tmpfs_dirent *de)
{
	struct tmpfs_dirent **dep;
	uint32_t nb;
	void *item;

	dep = &dir->tn_u.dir.htab[de->td_hash & dir->tn_u.dir.hmask];
	while (*dep != de) {
		KASSERT(*dep != NULL, ("tmpfs_dir_detach: entry %p (%s) not "
		    "in directory %p", de, de->td_name, dir));
		dep = &(*dep)->td_hnext;
	}
	*dep = de->td_hnext;
	item = tmpfs_radix_remove(&dir->tn_u.dir.cookies, de->td_cookie);
	KASSERT(item == de, ("tmpfs_dir_detach: cookie %lu maps to %p, "
	    "not %p", de->td_cookie, item, de));
	kfree(de, M_TMPFS_DIRENT);
	KKASSERT(dir->tn_nentries > 0);
	nb = dir->tn_u.dir.hmask + 1;
	if (--dir->tn_nentries == 0) {
		kfree(dir->tn_u.dir.htab, M_TMPFS);
		dir->tn_u.dir.htab = NULL;
		dir->tn_u.dir.hmask = 0;
	} else if (dir->tn_nentries < nb / 8 && nb > TMPFS_HASH_MIN) {
		tmpfs_dir_rehash(dir, nb / 4);
	}
}

/*
 * Free every entry of dir (unmount; the nodes they name are freed by the
 * caller, from the mount's node list).
 */
void
tmpfs_dir_destroy(struct tmpfs_node *dir)
{
	struct tmpfs_dirent *de;
	uint64_t cookie;

	while ((de = tmpfs_radix_lookup_ge(&dir->tn_u.dir.cookies, 0,
	    &cookie)) != NULL)
		tmpfs_dir_detach(dir, de);
	KKASSERT(dir->tn_nentries == 0 && dir->tn_u.dir.htab == NULL);
	KKASSERT(tmpfs_radix_empty(&dir->tn_u.dir.cookies));
}

static uint8_t
tmpfs_dtype(enum vtype type)
{
	switch (type) {
	case VREG:
		return (DT_REG);
	case VDIR:
		return (DT_DIR);
	case VLNK:
		return (DT_LNK);
	default:
		return (DT_UNKNOWN);
	}
}

/*
 * Copy struct dirent records into uio from cookie uio_offset: "." (0),
 * ".." (1), then the entries by cookie.  Whole records only: EINVAL if
 * the first one does not fit, else stop before the first that does not.
 * uio_offset becomes the resume cookie; *eofp (if not NULL) 1 when no
 * entry is left after it.  EINVAL for a negative cookie.  Updates atime.
 */
int
tmpfs_dir_readdir(struct tmpfs_node *dir, struct uio *uio, int *eofp)
{
	struct dirent d;
	struct tmpfs_dirent *de;
	struct tmpfs_node *parent;
	uint64_t off, key, next;
	size_t reclen;
	int n = 0, eof = 0;

	if (uio->uio_offset < 0)
		return (EINVAL);
	off = (uint64_t)uio->uio_offset;
	for (;;) {
		memset(&d, 0, sizeof(d));
		if (off == TMPFS_COOKIE_DOT) {
			d.d_ino = dir->tn_ino;
			d.d_type = DT_DIR;
			d.d_namlen = 1;
			d.d_name[0] = '.';
			next = TMPFS_COOKIE_DOTDOT;
		} else if (off == TMPFS_COOKIE_DOTDOT) {
			parent = dir->tn_parent;
			d.d_ino = (parent != NULL ? parent : dir)->tn_ino;
			d.d_type = DT_DIR;
			d.d_namlen = 2;
			d.d_name[0] = d.d_name[1] = '.';
			next = TMPFS_COOKIE_FIRST;
		} else {
			de = tmpfs_radix_lookup_ge(&dir->tn_u.dir.cookies, off,
			    &key);
			if (de == NULL) {
				eof = 1;
				break;
			}
			d.d_ino = de->td_node->tn_ino;
			d.d_type = tmpfs_dtype(de->td_node->tn_type);
			d.d_namlen = (uint8_t)de->td_nlen;
			memcpy(d.d_name, de->td_name, de->td_nlen);
			next = key + 1;
		}
		reclen = DIRENT_RECLEN(d.d_namlen);
		if (reclen > uio->uio_resid) {
			if (n == 0)
				return (EINVAL);
			break;
		}
		d.d_reclen = (uint16_t)reclen;
		d.d_off = (int64_t)next;
		uiomove(&d, reclen, uio);
		off = next;
		n++;
	}
	/* uiomove advanced uio_offset by bytes; it is a cookie here. */
	uio->uio_offset = (off_t)off;
	if (eofp != NULL)
		*eofp = eof;
	tmpfs_node_touch(dir, TMPFS_ATIME);
	return (0);
}
