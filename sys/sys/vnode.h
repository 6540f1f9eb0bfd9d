/*
 * Vnodes: the kernel's handle on a file of some mounted filesystem
 * (sys/kern/vfs_vnode.c).  A vnode is created by its filesystem and is
 * opaque to the rest of the kernel except for the fields below.
 *
 * Rules:
 *  (1) Every pointer to a vnode that is kept (namecache entry, open file,
 *      current directory, a filesystem's own tables) holds a reference.
 *  (2) vref() requires an existing reference: a count never goes from 0
 *      back to 1.  A filesystem that keeps vnodes findable (say from its
 *      directory entries) holds its own reference for as long as they are
 *      findable, and drops it when they stop being findable (unlink of the
 *      last name, unmount).
 *  (3) The vrele() that drops the count to 0 sends VOP_INACTIVE; from then
 *      on the vnode belongs to its filesystem, which frees it (and the
 *      file's data, if no name is left).  vrele() may therefore block.
 *  (4) v_type and v_mount never change.  v_mode, v_uid, v_gid are a cache
 *      of the attributes, written by the filesystem when they change
 *      (from its own serialized context) and read without locks for
 *      permission checks during lookup.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/time.h>

struct mount;
struct uio;
struct vop_msg;

enum vtype { VNON, VREG, VDIR, VLNK, VCHR, VFIFO, VBAD };

struct vnode {
	volatile int	v_refcnt;	/* [a] references, rule (2) */
	enum vtype	v_type;		/* [I] */
	struct mount	*v_mount;	/* [I] owning mount */
	void		*v_data;	/* [fs] filesystem private */
	volatile uint32_t v_mode;	/* [fs writes] permission bits */
	volatile uint32_t v_uid;	/* [fs writes] */
	volatile uint32_t v_gid;	/* [fs writes] */
	uint32_t	v_flag;		/* [I after creation] VF_* */
	volatile uint32_t v_nsgen;	/* [a] directories: bumped by every
					   namespace operation in them (the
					   namecache's staleness check) */
	volatile uint32_t *v_nsgenp;	/* [I] the counter actually used:
					   &v_nsgen, or a stacked vnode's lower
					   vnode's counter (nullfs sets it right
					   after vnode_alloc) */
};

#define VF_ROOT		0x0001	/* root of its mount */

/*
 * Attributes.  For VOP_SETATTR, va_mask says which fields to apply;
 * VOP_GETATTR fills everything and sets va_mask to VA_ALL.
 */
struct vattr {
	enum vtype	va_type;
	uint32_t	va_mask;	/* VA_* */
	uint32_t	va_mode;	/* permission bits (ALLPERMS) */
	uint32_t	va_uid;
	uint32_t	va_gid;
	uint32_t	va_nlink;
	uint64_t	va_fsid;	/* mount id */
	uint64_t	va_ino;
	uint64_t	va_size;
	uint64_t	va_bytes;	/* storage used */
	uint64_t	va_rdev;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
};

#define VA_MODE		0x0001
#define VA_UID		0x0002
#define VA_GID		0x0004
#define VA_SIZE		0x0008	/* truncate (up or down) */
#define VA_ATIME	0x0010
#define VA_MTIME	0x0020
#define VA_ALL		0x003f

/*
 * Allocate a vnode of type type on mp with one reference and v_data set.
 * NULL if memory is short.  Any thread context; does not block.
 */
struct vnode *vnode_alloc(struct mount *mp, enum vtype type, void *data);
/* Free a vnode whose count is 0 (the filesystem's VOP_INACTIVE does). */
void	vnode_free(struct vnode *vp);
void	vref(struct vnode *vp);		/* rule (2): count must be > 0 */
/* Vnodes in existence (tests: leaks). */
int	vnode_count(void);
void	vrele(struct vnode *vp);	/* may block: rule (3) */

/*
 * Permission check against the cached attributes: acc is a mask of
 * VREAD, VWRITE, VEXEC.  uid 0 passes everything but VEXEC on a file with
 * no exec bit.  Returns 0 or EACCES.
 */
#define VEXEC		0x1
#define VWRITE		0x2
#define VREAD		0x4
struct ucred;
int	vaccess(struct vnode *vp, int acc, const struct ucred *cred);

#endif /* !_SYS_VNODE_H_ */
