/*
 * The boot initrd: a cpio archive in the "newc" format (magic "070701")
 * that the loader hands over as a module, unpacked into the tmpfs root at
 * boot (sys/kern/vfs_initrd.c) after the whole archive has been checked
 * (sys/kern/subr_initrd.c).  See docs/boot.md and docs/vfs.md.
 */
#ifndef _SYS_INITRD_H_
#define _SYS_INITRD_H_

#include <sys/types.h>

/*
 * Unpack the archive buf[0, len) under the directory destdir (which must
 * exist).  The whole archive is validated first; a malformed one is
 * rejected as a whole, with one console line giving the offset and the
 * reason, nothing is created and EINVAL is returned.  A valid archive is
 * then unpacked entry by entry; an entry that cannot be created (no
 * space, a clash with a file already in destdir) is reported on the
 * console and skipped, and the first such error is returned once the
 * rest has been unpacked.  ENOMEM if the index of the archive does not
 * fit in memory, ENOENT/ENOTDIR for a bad destdir.  Thread context; may
 * block; acts as the current process.
 */
int	initrd_unpack(const void *buf, size_t len, const char *destdir);

/*
 * Unpack the boot module into "/": called once by vfs_init() after the
 * root is mounted.  No module, or a rejected one, leaves the root empty
 * (with a console line) and the boot goes on.
 */
void	initrd_boot(void);

/*
 * What an unpack did, or why it refused.  initrd_unpack_report() is
 * initrd_unpack() without any console output: for tests, and for callers
 * that report in their own way.
 */
struct initrd_report {
	size_t		ir_off;		/* rejected: where in the archive */
	char		ir_reason[160];	/* rejected: why; "" if accepted */
	size_t		ir_files;	/* regular files created */
	size_t		ir_bytes;	/* bytes written into them */
	size_t		ir_dirs;	/* directories in the archive */
	size_t		ir_symlinks;
	size_t		ir_links;	/* extra names of hard-linked files */
	size_t		ir_skipped;	/* devices, fifos, sockets */
	size_t		ir_errors;	/* entries that could not be created */
};

int	initrd_unpack_report(const void *buf, size_t len, const char *destdir,
	    struct initrd_report *rep);

/*
 * The parser (subr_initrd.c), used by the unpacker and by tests: it never
 * touches a filesystem.
 */
#define INITRD_REG	1	/* regular file: the data is its contents */
#define INITRD_DIR	2
#define INITRD_LNK	3	/* symlink: the data is its target */
#define INITRD_SKIP	4	/* device, fifo, socket: not created */
#define INITRD_DOT	5	/* "." itself: nothing to create */

struct initrd_ent {
	size_t		ie_off;		/* header offset */
	size_t		ie_dataoff;	/* data offset */
	uint32_t	ie_size;	/* data bytes */
	uint32_t	ie_mode;	/* the archive's mode, type included */
	uint32_t	ie_uid;
	uint32_t	ie_gid;
	uint32_t	ie_mtime;
	uint32_t	ie_ino;
	uint32_t	ie_nlink;
	uint32_t	ie_devmajor;
	uint32_t	ie_devminor;
	int		ie_type;	/* INITRD_* */
	int		ie_depth;	/* '/' characters in ie_name */
	const char	*ie_name;	/* canonical, relative, NUL-ended */
	size_t		ie_namelen;
	/*
	 * Hard links (INITRD_REG with nlink > 1 sharing dev and ino): every
	 * member has ie_head = the index of the group's first member in the
	 * archive; the head's ie_data is the member whose data and
	 * attributes the file gets (the last member with data, else the
	 * last member).  Anything else: ie_head = ie_data = own index.
	 */
	size_t		ie_head;
	size_t		ie_data;
	size_t		ie_hnext;	/* [parser] name hash chain */
	size_t		ie_lnext;	/* [parser] inode hash chain */
};

struct initrd_archive {
	const uint8_t	*ar_buf;	/* [I] the archive */
	size_t		ar_len;
	struct initrd_ent *ar_ents;	/* in archive order, trailer excluded */
	size_t		ar_nents;
	char		*ar_names;	/* canonical names, back to back */
	size_t		*ar_hash;	/* [parser] */
	size_t		ar_hashsize;
};

/*
 * Validate the whole of buf[0, len) and index it into *ar.  prefixlen is
 * the length of the directory the names will be joined to with a '/'
 * (0 for the root): every joined path must fit in PATH_MAX.  0 on
 * success (free *ar with initrd_archive_free()); EINVAL with rep's
 * ir_off and ir_reason set if the archive is malformed; ENOMEM.  Pure:
 * any context where kmalloc is allowed.
 */
int	initrd_parse(const void *buf, size_t len, size_t prefixlen,
	    struct initrd_archive *ar, struct initrd_report *rep);
void	initrd_archive_free(struct initrd_archive *ar);

#endif /* !_SYS_INITRD_H_ */
