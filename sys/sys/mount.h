/*
 * Mounts, filesystem types and VOP messages (sys/kern/vfs_mount.c,
 * sys/kern/vfs_vop.c).
 *
 * Every operation on a vnode is a message (struct vop_msg) sent to the
 * port of the vnode's mount.  The mount's port decides:
 *   - if the filesystem has a fast path (vop_fast) and it completes the
 *     operation without blocking (the cached case), the operation runs
 *     at once in the caller's context and putport returns its result;
 *   - otherwise the message is queued to one of the mount's service
 *     threads (one by default; "threads=N" or "threads=percpu" at mount
 *     time; "threads=0" runs every operation in the caller's context)
 *     and the caller waits for the reply (lwkt_domsg).
 * The vop_*() functions below are the synchronous API the rest of the
 * kernel uses: each builds a message on the stack and domsgs it.
 *
 * A filesystem supplies a struct vfsops (mount, unmount, statfs) and a
 * struct vop_ops (one handler per operation).  Handlers receive the
 * message; they run either in a service thread of the mount or (fast
 * path, threads=0, or a VOP the filesystem sends to itself) in the
 * caller's context, so they must protect their own data (tmpfs uses a
 * per-mount token).  A handler that would block in the fast path returns
 * EASYNC instead and is called again from a service thread.
 * Handlers never see user addresses: names and buffers are kernel memory
 * that stays valid until the handler returns.
 *
 * Read-only enforcement belongs to the filesystem (nullfs's "ro" layer
 * shows a stacked filesystem can add it): the VFS layer does not check.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/msgport.h>
#include <sys/lock.h>
#include <sys/vnode.h>

struct namecache;
struct thread;
struct uio;
struct statfs;

/* --- VOP messages --- */

enum vop_op {
	VOP_NRESOLVE = 1,	/* look one name up in a directory */
	VOP_GETATTR,
	VOP_SETATTR,
	VOP_READ,
	VOP_WRITE,
	VOP_NCREATE,		/* create a file, directory or symlink */
	VOP_NREMOVE,		/* unlink a non-directory */
	VOP_NRMDIR,		/* remove an empty directory */
	VOP_NLINK,		/* add a name for an existing vnode */
	VOP_NRENAME,
	VOP_READLINK,
	VOP_READDIR,
	VOP_OPEN,
	VOP_CLOSE,
	VOP_INACTIVE,		/* the last reference is gone */
	VOP_NOPS
};

#define IO_APPEND	0x0001	/* VOP_WRITE: write at the end (atomically) */

struct vop_msg {
	struct lwkt_msg	vm_msg;		/* ms_cmd = enum vop_op */
	struct vnode	*vm_vp;		/* the vnode (the directory for N*) */
	union {
		struct {		/* VOP_NRESOLVE */
			const char	*name;
			size_t		nlen;
			struct vnode	**vpp;	/* out: referenced, or ENOENT */
		} nresolve;
		struct {		/* VOP_GETATTR, VOP_SETATTR */
			struct vattr	*vap;
		} attr;
		struct {		/* VOP_READ, VOP_WRITE */
			struct uio	*uio;
			int		ioflag;		/* IO_* */
		} rw;
		struct {		/* VOP_NCREATE */
			const char	*name;
			size_t		nlen;
			struct vattr	*vap;	/* va_type, va_mode, va_uid, va_gid */
			const char	*target; /* VLNK: NUL-terminated target */
			struct vnode	**vpp;	/* out: referenced */
		} ncreate;
		struct {		/* VOP_NREMOVE, VOP_NRMDIR, VOP_NLINK */
			const char	*name;
			size_t		nlen;
			struct vnode	*vp;	/* the file (referenced by caller) */
		} nname;
		struct {		/* VOP_NRENAME (vm_vp = fdvp) */
			const char	*fname;
			size_t		fnlen;
			struct vnode	*fvp;
			struct vnode	*tdvp;
			const char	*tname;
			size_t		tnlen;
			struct vnode	*tvp;	/* existing target or NULL */
		} nrename;
		struct {		/* VOP_READLINK, VOP_READDIR */
			struct uio	*uio;	/* READDIR: uio_offset is a cookie */
			int		*eofp;	/* READDIR: out, 1 at the end */
		} rd;
		struct {		/* VOP_OPEN, VOP_CLOSE */
			int		fflag;	/* FREAD | FWRITE | ... */
		} oc;
	} vm_u;
};

/*
 * One handler per operation; NULL means "not supported" and the VFS
 * replies EOPNOTSUPP-like EINVAL (ENOTDIR for N* ops on non-directories
 * is the filesystem's job).  vop_fast, if not NULL, is tried first in the
 * caller's context for every operation: it returns EASYNC when it cannot
 * complete the operation without blocking, else the result.
 *
 * Handler contracts (all return 0 or an errno):
 *  nresolve  dvp is a directory (VDIR checked by the VFS); name is never
 *	      "." or ".." and has no '/'.  On success *vpp is referenced.
 *	      ENOENT if the name does not exist.
 *  getattr   fill *vap entirely.
 *  setattr   apply the VA_* fields in va_mask; VA_SIZE truncates up (zero
 *	      fill, holes) or down; EISDIR for VA_SIZE on a directory.
 *	      Updates ctime (and mtime for VA_SIZE).
 *  read      from uio_offset; short at end of file; holes read as zeros.
 *  write     at uio_offset (IO_APPEND: at the size, atomically); extends
 *	      the file; ENOSPC if storage runs out: the bytes written before
 *	      stay, uio_resid tells how many were not, the file stays sound.
 *	      EFBIG past the filesystem's largest offset.
 *  ncreate   EEXIST if the name exists.  VDIR: "." and ".." implied.
 *  nremove   vp is the vnode currently named name in dvp (the VFS
 *	      resolved it); EISDIR (VFS checks first) never reaches here
 *	      for directories; drops the name.
 *  nrmdir    ENOTEMPTY unless vp is empty.
 *  nlink     add name in dvp for vp (not a directory: the VFS checks);
 *	      EXDEV never reaches here (same mount checked); EMLINK.
 *  nrename   fdvp/fname names fvp; tvp, if not NULL, is what tname names
 *	      now in tdvp and is replaced atomically.  The VFS has checked:
 *	      same mount, fvp != tvp, tdvp not inside fvp, types compatible
 *	      (dir over empty-or-not dir, file over file).  The filesystem
 *	      checks emptiness (ENOTEMPTY) and updates link counts.
 *  readlink  copy the target (no NUL) into uio.
 *  readdir   struct dirent records from cookie uio_offset, whole records
 *	      only (EINVAL if the first does not fit); "." and ".." first;
 *	      uio_offset becomes the cookie to resume.
 *  open/close  device nodes may refuse (ENXIO); others return 0.
 *  inactive  the count reached 0: free the vnode if nothing keeps it.
 */
struct vop_ops {
	int	(*vop_fast)(struct vop_msg *msg);
	int	(*vop_op[VOP_NOPS])(struct vop_msg *msg);
};

/* The synchronous API: build a message, domsg it to vp's mount. */
int	vop_nresolve(struct vnode *dvp, const char *name, size_t nlen,
	    struct vnode **vpp);
int	vop_getattr(struct vnode *vp, struct vattr *vap);
int	vop_setattr(struct vnode *vp, struct vattr *vap);
int	vop_read(struct vnode *vp, struct uio *uio, int ioflag);
int	vop_write(struct vnode *vp, struct uio *uio, int ioflag);
int	vop_ncreate(struct vnode *dvp, const char *name, size_t nlen,
	    struct vattr *vap, const char *target, struct vnode **vpp);
int	vop_nremove(struct vnode *dvp, const char *name, size_t nlen,
	    struct vnode *vp);
int	vop_nrmdir(struct vnode *dvp, const char *name, size_t nlen,
	    struct vnode *vp);
int	vop_nlink(struct vnode *dvp, const char *name, size_t nlen,
	    struct vnode *vp);
int	vop_nrename(struct vnode *fdvp, const char *fname, size_t fnlen,
	    struct vnode *fvp, struct vnode *tdvp, const char *tname,
	    size_t tnlen, struct vnode *tvp);
int	vop_readlink(struct vnode *vp, struct uio *uio);
int	vop_readdir(struct vnode *vp, struct uio *uio, int *eofp);
int	vop_open(struct vnode *vp, int fflag);
int	vop_close(struct vnode *vp, int fflag);
void	vop_inactive(struct vnode *vp);

/*
 * Forward a VOP message to another vnode (stacking): msg's vm_vp is
 * replaced by lvp and the message is handled by lvp's mount, in the
 * calling handler's context or by domsg; the result is returned.  Used by
 * nullfs's bypass.
 */
int	vop_forward(struct vop_msg *msg, struct vnode *lvp);

/* --- filesystem types and mounts --- */

struct statfs {
	uint64_t	f_bsize;	/* block size */
	uint64_t	f_blocks;	/* total blocks (0: unbounded) */
	uint64_t	f_bfree;
	uint64_t	f_files;	/* nodes in use */
	char		f_fstypename[16];
};

struct mount;

struct vfsops {
	const char	*vfs_name;
	/*
	 * Set up mp (mnt_data, mnt_rootvp referenced) from the mount's
	 * source string and options.  The options are passed whole: the
	 * VFS's own ("threads=...", "ro") are parsed by the VFS too and must
	 * be accepted; unknown ones should give EINVAL.
	 * Runs in the mounting thread; may block; may call nlookup (nullfs).
	 * On failure free everything and return an errno.
	 */
	int		(*vfs_mount)(struct mount *mp, const char *from,
			    const char *opts);
	/*
	 * Release everything, mnt_rootvp's reference included; the VFS holds
	 * no vnode of mp any more (the namecache has been emptied).  The
	 * service threads still run until this returns.  EBUSY if a vnode
	 * is still used by someone else: then nothing may have changed (the
	 * VFS puts the namespace back).
	 */
	int		(*vfs_unmount)(struct mount *mp);
	int		(*vfs_statfs)(struct mount *mp, struct statfs *sbp);
	const struct vop_ops *vfs_vops;
};

/* Register a filesystem type (a linker set read by vfs_byname). */
#define VFS_SET(ops)							\
	static const struct vfsops *__vfsset_##ops			\
	    __attribute__((used, section("set_vfsops"))) = &(ops)

struct mount {
	struct lwkt_port mnt_port;	/* [I] VOP messages go here */
	const struct vfsops *mnt_op;	/* [I] */
	const struct vop_ops *mnt_vops;	/* [I] */
	struct vnode	*mnt_rootvp;	/* [I] referenced root vnode */
	struct namecache *mnt_ncroot;	/* [I] root entry of this namespace */
	struct namecache *mnt_ncovered;	/* [I] covered entry (NULL: root fs) */
	void		*mnt_data;	/* [fs] */
	int		mnt_flag;	/* [I] MNT_* */
	uint64_t	mnt_id;		/* [I] st_dev */
	int		mnt_nthreads;	/* [I] service threads (0: none) */
	bool		mnt_percpu;	/* [I] one thread per CPU */
	struct thread	**mnt_threads;	/* [I] service threads */
	struct klock	mnt_renlock;	/* serializes renames in this mount */
	volatile int	mnt_ncount;	/* [a] namecache entries of mnt_ncroot's
					   namespace (vfs_cache.c) */
	struct mount	*mnt_next;	/* [mountlist lock] */
	char		mnt_fstype[16];	/* [I] */
	char		mnt_from[64];	/* [I] */
	char		mnt_path[64];	/* [I] where it was mounted */
	uint64_t	mnt_nfast;	/* [a] operations done in the caller */
	uint64_t	mnt_nqueued;	/* [a] operations sent to a thread */
};

#define MNT_RDONLY	0x0001	/* "ro" in the options */

/*
 * Mount a filesystem of type fstype on the directory path (kernel string),
 * or as the root when path is NULL and there is no root yet.  from is the
 * source (nullfs: the lower directory's path), opts a comma-separated
 * list ("ro", "threads=N", "threads=percpu", "size=BYTES" for tmpfs...).
 * EBUSY if something is already mounted there, ENOTDIR, ENODEV for an
 * unknown type.  Thread context; may block.
 */
int	kern_mount(const char *fstype, const char *from, const char *path,
	    const char *opts);
/* Unmount what is mounted on path; EBUSY while in use. */
int	kern_unmount(const char *path);

/* True if opts (comma-separated) contains key; *val gets "=value" text. */
bool	vfs_getopt(const char *opts, const char *key, char *val, size_t vlen);

/* VFS internal (vfs_vop.c): a mount's port and service threads. */
int	vop_port_start(struct mount *mp);
void	vop_port_stop(struct mount *mp);

extern struct mount *rootmount;		/* [I after boot] */

/* The mount list on the console. */
void	vfs_print_mounts(void);

/* Boot: mount the tmpfs root, unpack the initrd, mount /dev. */
void	vfs_init(void);

#endif /* !_SYS_MOUNT_H_ */
