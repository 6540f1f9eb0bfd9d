/*
 * Open files (sys/kern/kern_descrip.c, sys/kern/vfs_vnops.c).  A struct
 * file is what a descriptor points to: reference counted, shared by dup
 * and fork.  Its operations table lets other objects plug in: vnode
 * files use vnops, pipes pipeops (sys/kern/sys_pipe.c).
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
#define DTYPE_PIPE	2	/* one end of a pipe (sys/kern/sys_pipe.c) */

#define PIPE_SIZE	16384	/* bytes a pipe buffers */
#define PIPE_BUF	4096	/* writes up to this size are atomic */

struct file {
	volatile int	f_refs;		/* [a] */
	int		f_type;		/* [I] DTYPE_* */
	/*
	 * FREAD and FWRITE never change; FNONBLOCK and FAPPEND may (fcntl
	 * F_SETFL), so f_flag is read with __atomic_load_n and changed only
	 * by a compare-and-swap of the whole word.
	 */
	volatile int	f_flag;		/* [a] FREAD, FWRITE, FAPPEND, ... */
	const struct fileops *f_ops;	/* [I] */
	struct vnode	*f_vp;		/* [I] referenced (DTYPE_VNODE) */
	void		*f_data;	/* [I] the object (DTYPE_PIPE: a pipe) */
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
