/*
 * Unpacking the initrd: turns a cpio (newc) archive that the parser
 * (subr_initrd.c) has accepted into files, directories, symlinks and hard
 * links under a destination directory, through the in-kernel file API
 * (sys/sys/kern_syscall.h), exactly as a process would create them.  At
 * boot, initrd_boot() unpacks the loader's module into the tmpfs root.
 *
 * Guarantees:
 *  (1) a malformed archive creates nothing: the parser checks all of it
 *      before the first file is created, and the refusal is one console
 *      line, "initrd: rejected: REASON at offset N";
 *  (2) a valid archive is unpacked in archive order; parent directories
 *      that the archive does not list are created (mode 0755, owner 0);
 *      a directory already there (from the archive or before) is reused;
 *  (3) each file gets the archive's permission bits (ALLPERMS), uid,
 *      gid and mtime (atime too), symlinks their uid, gid and mtime.
 *      Files are created with mode 0600 and given their attributes once
 *      their data is written; directories are created 0700 and given
 *      theirs at the end, deepest first, so a read-only directory in
 *      the archive does not stop its own contents from being created and
 *      their creation does not move its mtime afterwards;
 *  (4) an entry that cannot be created (ENOSPC, a clash with a file
 *      already in the destination) is reported and skipped, the rest is
 *      unpacked, and the first error is returned; a file whose data
 *      cannot all be written is removed rather than left short.
 *
 * Attributes go through nlookup_vp() and vop_setattr() (there is no
 * kern_utimes, and one setattr sets mode, owner and times together;
 * it also reaches a symlink itself, which kern_chown would follow).
 *
 * Context: a thread with a process (proc0 at boot), which owns the
 * temporary descriptors.  May block.  Calls share no state, so two may
 * run at once (into different directories).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/md.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>
#include <sys/initrd.h>

MALLOC_DEFINE(M_INITRDTMP, "initrdtmp", "initrd unpack scratch");

#define INITRD_PARENT_MODE	0755

struct initrd_ctx {
	const struct initrd_archive *ic_ar;	/* accepted archive */
	struct initrd_report *ic_rep;
	bool		ic_quiet;	/* no console output */
	const char	*ic_prefix;	/* destdir without trailing '/' */
	size_t		ic_prefixlen;
	char		*ic_path;	/* PATH_MAX: the entry's path */
	char		*ic_path2;	/* PATH_MAX: link source, target */
	char		*ic_parent;	/* PATH_MAX: a directory that exists */
	size_t		ic_parentlen;	/* NONE: nothing known */
	uint8_t		*ic_done;	/* per entry: created */
	int		ic_error;	/* first error */
};

#define NOPARENT	((size_t)-1)

static void __printflike(2, 3)
initrd_note(struct initrd_ctx *ic, const char *fmt, ...)
{
	va_list ap;

	if (ic->ic_quiet)
		return;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Record a failed entry (guarantee (4)). */
static void
initrd_failed(struct initrd_ctx *ic, const struct initrd_ent *ie,
    const char *what, int error)
{
	initrd_note(ic, "initrd: cannot %s '%s': error %d\n", what,
	    ie->ie_name, error);
	ic->ic_rep->ir_errors++;
	if (ic->ic_error == 0)
		ic->ic_error = error;
}

/* buf = prefix + "/" + name[0, n).  The parser checked it fits. */
static char *
initrd_join(struct initrd_ctx *ic, char *buf, const char *name, size_t n)
{
	KKASSERT(ic->ic_prefixlen + n + 2 <= PATH_MAX);
	memcpy(buf, ic->ic_prefix, ic->ic_prefixlen);
	buf[ic->ic_prefixlen] = '/';
	memcpy(buf + ic->ic_prefixlen + 1, name, n);
	buf[ic->ic_prefixlen + 1 + n] = '\0';
	return (buf);
}

/*
 * Make sure every parent directory of ie exists (guarantee (2)).  The
 * last parent made sure of is remembered, so a run of entries in one
 * directory costs one comparison each.
 */
static int
initrd_parents(struct initrd_ctx *ic, const struct initrd_ent *ie)
{
	const char *name = ie->ie_name;
	size_t plen, k;
	int error;

	for (plen = ie->ie_namelen; plen > 0 && name[plen - 1] != '/'; plen--)
		;
	if (plen == 0)
		return (0);		/* directly in the destination */
	plen--;				/* without the '/' */
	if (ic->ic_parentlen != NOPARENT && ic->ic_parentlen >= plen &&
	    memcmp(ic->ic_parent, name, plen) == 0 &&
	    (ic->ic_parentlen == plen || ic->ic_parent[plen] == '/'))
		return (0);
	for (k = 1; k <= plen; k++) {
		if (k < plen && name[k] != '/')
			continue;
		error = kern_mkdir(initrd_join(ic, ic->ic_path2, name, k),
		    INITRD_PARENT_MODE);
		if (error != 0 && error != EEXIST)
			return (error);
	}
	memcpy(ic->ic_parent, name, plen);
	ic->ic_parentlen = plen;
	return (0);
}

/* Guarantee (3): the attributes of ie on path (not following a link). */
static int
initrd_setattr(const char *path, const struct initrd_ent *ie, bool setmode)
{
	struct vnode *vp;
	struct vattr va;
	int error;

	error = nlookup_vp(path, true, &vp, NULL);
	if (error != 0)
		return (error);
	memset(&va, 0, sizeof(va));
	va.va_mask = VA_UID | VA_GID | VA_ATIME | VA_MTIME;
	if (setmode) {
		va.va_mask |= VA_MODE;
		va.va_mode = ie->ie_mode & ALLPERMS;
	}
	va.va_uid = ie->ie_uid;
	va.va_gid = ie->ie_gid;
	va.va_mtime.tv_sec = ie->ie_mtime;
	va.va_atime = va.va_mtime;
	error = vop_setattr(vp, &va);
	vrele(vp);
	return (error);
}

/* Create path with the data and attributes of entry de. */
static int
initrd_file(struct initrd_ctx *ic, const char *path,
    const struct initrd_ent *de)
{
	const uint8_t *p = ic->ic_ar->ar_buf + de->ie_dataoff;
	size_t left = de->ie_size, done;
	int fd, error, error2;

	error = kern_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600, &fd);
	if (error != 0)
		return (error);
	while (left > 0) {
		error = kern_write(fd, p, left, &done);
		if (error == 0 && done == 0)
			error = EIO;
		if (error != 0)
			break;
		p += done;
		left -= done;
	}
	error2 = kern_close(fd);
	if (error == 0)
		error = error2;
	if (error != 0) {
		(void)kern_unlink(path);
		return (error);
	}
	ic->ic_rep->ir_bytes += de->ie_size;
	return (initrd_setattr(path, de, true));
}

/* Directory entry: create it, or accept a directory already there. */
static int
initrd_dir(struct initrd_ctx *ic, const char *path)
{
	struct stat st;
	int error;

	error = kern_mkdir(path, 0700);
	if (error == EEXIST) {
		error = kern_lstat(path, &st);
		if (error == 0 && !S_ISDIR(st.st_mode))
			error = EEXIST;
	}
	return (error);
}

/* Create entry i (guarantees (2)-(4)). */
static void
initrd_extract(struct initrd_ctx *ic, size_t i)
{
	const struct initrd_archive *ar = ic->ic_ar;
	const struct initrd_ent *ie = &ar->ar_ents[i], *head;
	struct initrd_report *rep = ic->ic_rep;
	char *path = ic->ic_path;
	int error;

	if (ie->ie_type == INITRD_DOT)
		return;
	if (ie->ie_type == INITRD_SKIP) {
		initrd_note(ic, "initrd: skipped '%s': file type %#o (device, "
		    "fifo or socket) is not supported\n", ie->ie_name,
		    ie->ie_mode & 0170000);
		rep->ir_skipped++;
		return;
	}
	error = initrd_parents(ic, ie);
	if (error != 0) {
		initrd_failed(ic, ie, "create the parent directories of",
		    error);
		return;
	}
	initrd_join(ic, path, ie->ie_name, ie->ie_namelen);
	switch (ie->ie_type) {
	case INITRD_DIR:
		error = initrd_dir(ic, path);
		if (error != 0) {
			initrd_failed(ic, ie, "create directory", error);
			return;
		}
		rep->ir_dirs++;
		break;
	case INITRD_REG:
		if (ie->ie_head != i) {
			head = &ar->ar_ents[ie->ie_head];
			if (!ic->ic_done[ie->ie_head]) {
				initrd_failed(ic, ie, "link (its first name "
				    "failed)", ENOENT);
				return;
			}
			error = kern_link(initrd_join(ic, ic->ic_path2,
			    head->ie_name, head->ie_namelen), path);
			if (error != 0) {
				initrd_failed(ic, ie, "link", error);
				return;
			}
			rep->ir_links++;
			break;
		}
		error = initrd_file(ic, path, &ar->ar_ents[ie->ie_data]);
		if (error != 0) {
			initrd_failed(ic, ie, "create file", error);
			return;
		}
		rep->ir_files++;
		break;
	case INITRD_LNK:
		memcpy(ic->ic_path2, ar->ar_buf + ie->ie_dataoff, ie->ie_size);
		ic->ic_path2[ie->ie_size] = '\0';
		error = kern_symlink(ic->ic_path2, path);
		if (error == 0)
			error = initrd_setattr(path, ie, false);
		if (error != 0) {
			initrd_failed(ic, ie, "create symlink", error);
			return;
		}
		rep->ir_symlinks++;
		break;
	default:
		panic("initrd: entry %zu has type %d", i, ie->ie_type);
	}
	ic->ic_done[i] = 1;
}

/* Guarantee (3) for directories: at the end, deepest first. */
static void
initrd_dir_attrs(struct initrd_ctx *ic)
{
	const struct initrd_archive *ar = ic->ic_ar;
	int maxdepth = 0;

	for (size_t i = 0; i < ar->ar_nents; i++)
		maxdepth = MAX(maxdepth, ar->ar_ents[i].ie_depth);
	for (int d = maxdepth; d >= 0; d--) {
		for (size_t i = 0; i < ar->ar_nents; i++) {
			const struct initrd_ent *ie = &ar->ar_ents[i];
			int error;

			if (ie->ie_type != INITRD_DIR || ie->ie_depth != d ||
			    !ic->ic_done[i])
				continue;
			error = initrd_setattr(initrd_join(ic, ic->ic_path,
			    ie->ie_name, ie->ie_namelen), ie, true);
			if (error != 0)
				initrd_failed(ic, ie, "set the attributes of",
				    error);
		}
	}
}

static int
initrd_unpack_common(const void *buf, size_t len, const char *destdir,
    struct initrd_report *rep, bool quiet)
{
	struct initrd_archive ar;
	struct initrd_ctx ic;
	struct stat st;
	size_t dlen;
	int error;

	memset(rep, 0, sizeof(*rep));
	memset(&ic, 0, sizeof(ic));
	ic.ic_rep = rep;
	ic.ic_quiet = quiet;
	dlen = strlen(destdir);
	while (dlen > 0 && destdir[dlen - 1] == '/')
		dlen--;
	if (dlen == 0 && destdir[0] != '/') {
		ksnprintf(rep->ir_reason, sizeof(rep->ir_reason), "empty "
		    "destination");
		return (ENOENT);
	}
	if (dlen + 2 > PATH_MAX) {
		ksnprintf(rep->ir_reason, sizeof(rep->ir_reason), "destination "
		    "longer than PATH_MAX");
		return (ENAMETOOLONG);
	}
	error = initrd_parse(buf, len, dlen, &ar, rep);
	if (error != 0) {
		if (error == EINVAL)
			initrd_note(&ic, "initrd: rejected: %s at offset %zu\n",
			    rep->ir_reason, rep->ir_off);
		else
			initrd_note(&ic, "initrd: %s\n", rep->ir_reason);
		return (error);
	}
	error = kern_stat(destdir, &st);
	if (error == 0 && !S_ISDIR(st.st_mode))
		error = ENOTDIR;
	if (error != 0) {
		ksnprintf(rep->ir_reason, sizeof(rep->ir_reason), "destination "
		    "is not a usable directory (error %d)", error);
		initrd_note(&ic, "initrd: %s\n", rep->ir_reason);
		initrd_archive_free(&ar);
		return (error);
	}
	ic.ic_ar = &ar;
	ic.ic_prefix = destdir;
	ic.ic_prefixlen = dlen;
	ic.ic_parentlen = NOPARENT;
	ic.ic_path = kmalloc(3 * PATH_MAX, M_INITRDTMP, 0);
	ic.ic_done = kmalloc(MAX(ar.ar_nents, 1), M_INITRDTMP, M_ZERO);
	if (ic.ic_path == NULL || ic.ic_done == NULL) {
		kfree(ic.ic_path, M_INITRDTMP);
		kfree(ic.ic_done, M_INITRDTMP);
		initrd_archive_free(&ar);
		ksnprintf(rep->ir_reason, sizeof(rep->ir_reason), "out of "
		    "memory");
		initrd_note(&ic, "initrd: %s\n", rep->ir_reason);
		return (ENOMEM);
	}
	ic.ic_path2 = ic.ic_path + PATH_MAX;
	ic.ic_parent = ic.ic_path2 + PATH_MAX;
	for (size_t i = 0; i < ar.ar_nents; i++)
		initrd_extract(&ic, i);
	initrd_dir_attrs(&ic);
	kfree(ic.ic_path, M_INITRDTMP);
	kfree(ic.ic_done, M_INITRDTMP);
	initrd_archive_free(&ar);
	return (ic.ic_error);
}

/* See sys/sys/initrd.h.  Thread context; may block. */
int
initrd_unpack(const void *buf, size_t len, const char *destdir)
{
	struct initrd_report rep;

	return (initrd_unpack_common(buf, len, destdir, &rep, false));
}

int
initrd_unpack_report(const void *buf, size_t len, const char *destdir,
    struct initrd_report *rep)
{
	return (initrd_unpack_common(buf, len, destdir, rep, true));
}

/*
 * At boot, from vfs_init() once the root is mounted: the loader's module
 * into "/".  Never fails the boot.
 */
void
initrd_boot(void)
{
	struct initrd_report rep;
	const void *buf;
	size_t len;
	uint64_t t0;
	int error;

	if (!md_initrd(&buf, &len)) {
		kprintf("initrd: no boot module, the root file system stays "
		    "empty\n");
		return;
	}
	t0 = nanouptime();
	error = initrd_unpack_common(buf, len, "/", &rep, false);
	if (error == EINVAL || error == ENOMEM) {
		kprintf("initrd: the root file system stays empty\n");
		return;
	}
	kprintf("initrd: %zu bytes unpacked into /: %zu files (%zu bytes), "
	    "%zu directories, %zu symlinks, %zu hard links, %zu skipped, "
	    "%zu errors, %lu ms\n", len, rep.ir_files, rep.ir_bytes,
	    rep.ir_dirs, rep.ir_symlinks, rep.ir_links, rep.ir_skipped,
	    rep.ir_errors, (nanouptime() - t0) / 1000000);
}
