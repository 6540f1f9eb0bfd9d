/*
 * Open files (sys/kern/kern_descrip.c, sys/kern/vfs_vnops.c).  A struct
 * file is what a descriptor points to: reference counted, shared by dup
 * and (later) fork.  Its operations table lets pipes and sockets plug in
 * later; vnode files use vnops.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/lock.h>

struct file;
struct uio;
struct stat;
struct vnode;
struct namecache;

struct fileops {
	/* uio_offset is the position; the caller updates f_offset. */
	int	(*fo_read)(struct file *fp, struct uio *uio);
	int	(*fo_write)(struct file *fp, struct uio *uio);
	int	(*fo_stat)(struct file *fp, struct stat *st);
	/* Last reference gone: release the object (may block). */
	int	(*fo_close)(struct file *fp);
};

#define DTYPE_VNODE	1

struct file {
	volatile int	f_refs;		/* [a] */
	int		f_type;		/* [I] DTYPE_* */
	int		f_flag;		/* [I] FREAD, FWRITE, FAPPEND, ... */
	const struct fileops *f_ops;	/* [I] */
	struct vnode	*f_vp;		/* [I] referenced (DTYPE_VNODE) */
	struct namecache *f_nch;	/* [I] referenced entry, or NULL */
	struct klock	f_offlock;	/* serializes read/write/lseek */
	off_t		f_offset;	/* [f_offlock] */
};

extern const struct fileops vnops;
/*
 * Fill *st from vp's attributes (VOP_GETATTR): the fo_stat of vnode
 * files, also used by kern_stat/kern_lstat.  May block.
 */
int	vn_stat(struct vnode *vp, struct stat *st);

/* A new file with one reference, or NULL (memory short). */
struct file *falloc(void);
struct file *fhold(struct file *fp);
/* Drop a reference; the last one calls fo_close and frees.  May block. */
void	fdrop(struct file *fp);

/* Number of struct files in existence (tests: leaks). */
int	file_count(void);

#endif /* !_SYS_FILE_H_ */
