/*
 * Open files and descriptor tables.
 *
 * A struct file is one open of an object (today a vnode): its access
 * mode, its position, its operations.  It is reference counted: each
 * descriptor slot that points to it holds one reference, and so does
 * every operation in progress on it (fget), so that a close from another
 * thread while a read sleeps in the filesystem only drops the table's
 * reference; the last fdrop calls fo_close and frees the file.  dup
 * (and later fork) share the file, hence its position.
 *
 * A descriptor table (struct filedesc) belongs to a process: an array of
 * file pointers indexed by descriptor, a byte of UF_* flags per slot,
 * and the process's referenced current and root directory.  New
 * descriptors take the lowest free slot (POSIX); fd_freefile remembers
 * that nothing below it is free, so a scan starts there.  The arrays
 * grow by doubling, up to FD_MAXFILES slots (EMFILE past that).
 *
 * Opening is two steps so that nothing is created when no descriptor is
 * left: fdreserve marks the lowest free slot reserved (EMFILE fails the
 * open before any side effect), the open does its work, and fdinstall
 * puts the file in the slot (or fdunreserve gives it back).  A reserved
 * slot reads as closed to everyone else (fget, close: EBADF) but is not
 * handed out twice.
 *
 * Rules:
 *  (1) fd_spin protects every field of a table.  It is held only for a
 *	few loads and stores: never across kmalloc's slow path (the arrays
 *	are allocated with the lock dropped and swapped in after a
 *	recheck), never across fdrop or cache_drop, which may block.
 *  (2) A file pointer read from a slot is used only after fhold under
 *	fd_spin: the slot's reference keeps it alive until then.
 *  (3) f_refs is atomic; the decrement to zero is unique, so fo_close
 *	runs exactly once, with no lock, in the thread that dropped the
 *	last reference.
 *  (4) The current and root directory are namecache references; they
 *	are held under fd_spin (the table's reference keeps the entry
 *	alive meanwhile) and dropped outside it.
 *
 * Costs: fget and fdrop are a spin lock round trip plus one atomic each
 * (uncontended); closing the last reference costs the file's fo_close.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/spinlock.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/namecache.h>
#include <sys/kern_syscall.h>

MALLOC_DEFINE(M_FILE, "file", "open files");
MALLOC_DEFINE(M_FILEDESC, "filedesc", "descriptor tables");

#define NDFILE		16	/* slots in a new table */

/* What a reserved slot holds (fdreserve): never dereferenced. */
static struct file fd_reserved_marker;
#define FD_RESERVED	(&fd_reserved_marker)

static volatile int file_total;		/* [a] struct files in existence */

/* --- struct file --- */

/*
 * A new file with one reference and no operations (f_ops NULL: a file
 * dropped before it was set up is simply freed).  NULL if memory is
 * short.  Any thread context; does not block.
 */
struct file *
falloc(void)
{
	struct file *fp;

	fp = kmalloc(sizeof(*fp), M_FILE, M_ZERO);
	if (fp == NULL)
		return (NULL);
	fp->f_refs = 1;
	klock_init(&fp->f_offlock, "foffset");
	__atomic_add_fetch(&file_total, 1, __ATOMIC_RELAXED);
	return (fp);
}

/* Another reference; the caller already holds one (rule 2). */
struct file *
fhold(struct file *fp)
{
	int old;

	old = __atomic_fetch_add(&fp->f_refs, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, ("fhold: file %p had %d references", fp, old));
	return (fp);
}

/*
 * Drop a reference.  The last one closes the object (fo_close, which may
 * block) and frees the file.  Thread context; no spin lock held.
 */
void
fdrop(struct file *fp)
{
	int old;

	old = __atomic_fetch_sub(&fp->f_refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(old > 0, ("fdrop: file %p had %d references", fp, old));
	if (old != 1)
		return;
	if (fp->f_ops != NULL && fp->f_ops->fo_close != NULL)
		(void)fp->f_ops->fo_close(fp);
	KASSERT(!klock_held(&fp->f_offlock), ("fdrop: offset lock held"));
	kfree(fp, M_FILE);
	__atomic_sub_fetch(&file_total, 1, __ATOMIC_RELAXED);
}

int
file_count(void)
{
	return (__atomic_load_n(&file_total, __ATOMIC_RELAXED));
}

/* --- tables --- */

/*
 * A new, empty table whose current and root directory are cdir and rdir
 * (either may be NULL).  The table takes its own references: the
 * caller's stay the caller's.  NULL if memory is short.  Does not block.
 */
struct filedesc *
fdinit(struct namecache *cdir, struct namecache *rdir)
{
	struct filedesc *fdp;

	fdp = kmalloc(sizeof(*fdp), M_FILEDESC, M_ZERO);
	if (fdp == NULL)
		return (NULL);
	fdp->fd_files = kmalloc(NDFILE * sizeof(struct file *), M_FILEDESC,
	    M_ZERO);
	fdp->fd_fflags = kmalloc(NDFILE, M_FILEDESC, M_ZERO);
	if (fdp->fd_files == NULL || fdp->fd_fflags == NULL) {
		kfree(fdp->fd_files, M_FILEDESC);
		kfree(fdp->fd_fflags, M_FILEDESC);
		kfree(fdp, M_FILEDESC);
		return (NULL);
	}
	spin_init(&fdp->fd_spin);
	fdp->fd_nfiles = NDFILE;
	fdp->fd_freefile = 0;
	fdp->fd_cdir = cdir != NULL ? cache_hold(cdir) : NULL;
	fdp->fd_rdir = rdir != NULL ? cache_hold(rdir) : NULL;
	return (fdp);
}

/*
 * Close every descriptor, drop the directories and free the table.
 * Nobody else may use it any more (process exit).  May block.
 */
void
fdfree(struct filedesc *fdp)
{
	struct namecache *cdir, *rdir;
	struct file *fp;

	if (fdp == NULL)
		return;
	for (int fd = 0;; fd++) {
		spin_lock(&fdp->fd_spin);
		if (fd >= fdp->fd_nfiles) {
			spin_unlock(&fdp->fd_spin);
			break;
		}
		fp = fdp->fd_files[fd];
		fdp->fd_files[fd] = NULL;
		spin_unlock(&fdp->fd_spin);
		if (fp != NULL && fp != FD_RESERVED)
			fdrop(fp);
	}
	spin_lock(&fdp->fd_spin);
	cdir = fdp->fd_cdir;
	rdir = fdp->fd_rdir;
	fdp->fd_cdir = NULL;
	fdp->fd_rdir = NULL;
	spin_unlock(&fdp->fd_spin);
	if (cdir != NULL)
		cache_drop(cdir);
	if (rdir != NULL)
		cache_drop(rdir);
	kfree(fdp->fd_files, M_FILEDESC);
	kfree(fdp->fd_fflags, M_FILEDESC);
	kfree(fdp, M_FILEDESC);
}

/*
 * Grow fdp's arrays beyond have slots (doubling, capped at FD_MAXFILES),
 * unless someone else already did.  Called without fd_spin; allocates
 * with the lock dropped (rule 1).  ENOMEM if memory is short.
 */
static int
fdgrow(struct filedesc *fdp, int have)
{
	struct file **nfiles, **ofiles;
	uint8_t *nflags, *oflags;
	int n = MIN(have * 2, FD_MAXFILES);

	nfiles = kmalloc(n * sizeof(struct file *), M_FILEDESC, M_ZERO);
	nflags = kmalloc(n, M_FILEDESC, M_ZERO);
	if (nfiles == NULL || nflags == NULL) {
		kfree(nfiles, M_FILEDESC);
		kfree(nflags, M_FILEDESC);
		return (ENOMEM);
	}
	spin_lock(&fdp->fd_spin);
	if (fdp->fd_nfiles != have) {
		/* Another thread grew it first: ours is not needed. */
		spin_unlock(&fdp->fd_spin);
		kfree(nfiles, M_FILEDESC);
		kfree(nflags, M_FILEDESC);
		return (0);
	}
	memcpy(nfiles, fdp->fd_files, have * sizeof(struct file *));
	memcpy(nflags, fdp->fd_fflags, have);
	ofiles = fdp->fd_files;
	oflags = fdp->fd_fflags;
	fdp->fd_files = nfiles;
	fdp->fd_fflags = nflags;
	fdp->fd_nfiles = n;
	spin_unlock(&fdp->fd_spin);
	kfree(ofiles, M_FILEDESC);
	kfree(oflags, M_FILEDESC);
	return (0);
}

/*
 * Reserve the lowest free descriptor of p for an open in progress:
 * *fdp gets it.  EMFILE when FD_MAXFILES are in use, ENOMEM if the
 * table cannot grow, EBADF if p has no table (proc0 before proc0_init).
 * Does not block.
 */
int
fdreserve(struct proc *p, int *fdp)
{
	struct filedesc *fdt = p->p_fd;
	int fd, have, error;

	if (fdt == NULL)
		return (EBADF);
	for (;;) {
		spin_lock(&fdt->fd_spin);
		for (fd = fdt->fd_freefile; fd < fdt->fd_nfiles; fd++)
			if (fdt->fd_files[fd] == NULL)
				break;
		if (fd < fdt->fd_nfiles) {
			fdt->fd_files[fd] = FD_RESERVED;
			fdt->fd_fflags[fd] = 0;
			fdt->fd_freefile = fd + 1;
			spin_unlock(&fdt->fd_spin);
			*fdp = fd;
			return (0);
		}
		fdt->fd_freefile = fdt->fd_nfiles;
		have = fdt->fd_nfiles;
		spin_unlock(&fdt->fd_spin);
		if (have >= FD_MAXFILES)
			return (EMFILE);
		error = fdgrow(fdt, have);
		if (error != 0)
			return (error);
	}
}

/*
 * Fill the slot fd (reserved by fdreserve) with fp, whose reference
 * moves into the table, and the UF_* flags.  Cannot fail.
 */
void
fdinstall(struct proc *p, int fd, struct file *fp, int flags)
{
	struct filedesc *fdt = p->p_fd;

	spin_lock(&fdt->fd_spin);
	KASSERT(fd >= 0 && fd < fdt->fd_nfiles &&
	    fdt->fd_files[fd] == FD_RESERVED,
	    ("fdinstall: fd %d of pid %d is not reserved", fd, p->p_pid));
	fdt->fd_files[fd] = fp;
	fdt->fd_fflags[fd] = (uint8_t)flags;
	spin_unlock(&fdt->fd_spin);
}

/* Give back a slot reserved by fdreserve (the open failed). */
void
fdunreserve(struct proc *p, int fd)
{
	struct filedesc *fdt = p->p_fd;

	spin_lock(&fdt->fd_spin);
	KASSERT(fd >= 0 && fd < fdt->fd_nfiles &&
	    fdt->fd_files[fd] == FD_RESERVED,
	    ("fdunreserve: fd %d of pid %d is not reserved", fd, p->p_pid));
	fdt->fd_files[fd] = NULL;
	if (fd < fdt->fd_freefile)
		fdt->fd_freefile = fd;
	spin_unlock(&fdt->fd_spin);
}

/*
 * Install fp at p's lowest free descriptor with UF_* flags; on success
 * the caller's reference moves into the table and *fdp is the
 * descriptor.  EMFILE, ENOMEM as for fdreserve (the caller keeps its
 * reference).  Does not block.
 */
int
fdalloc(struct proc *p, struct file *fp, int flags, int *fdp)
{
	int error, fd;

	error = fdreserve(p, &fd);
	if (error != 0)
		return (error);
	fdinstall(p, fd, fp, flags);
	*fdp = fd;
	return (0);
}

/*
 * A new reference to the file open on fd.  EBADF for a negative, huge,
 * closed or reserved descriptor.  Does not block.
 */
int
fget(struct proc *p, int fd, struct file **fpp)
{
	struct filedesc *fdt = p->p_fd;
	struct file *fp;

	*fpp = NULL;
	if (fdt == NULL || fd < 0)
		return (EBADF);
	spin_lock(&fdt->fd_spin);
	if (fd >= fdt->fd_nfiles || (fp = fdt->fd_files[fd]) == NULL ||
	    fp == FD_RESERVED) {
		spin_unlock(&fdt->fd_spin);
		return (EBADF);
	}
	fhold(fp);
	spin_unlock(&fdt->fd_spin);
	*fpp = fp;
	return (0);
}

/*
 * Remove fd from p's table and drop the table's reference.  Operations
 * in progress on the file keep it alive until they finish.  EBADF as
 * for fget.  May block (last reference).
 */
int
fdclose(struct proc *p, int fd)
{
	struct filedesc *fdt = p->p_fd;
	struct file *fp;

	if (fdt == NULL || fd < 0)
		return (EBADF);
	spin_lock(&fdt->fd_spin);
	if (fd >= fdt->fd_nfiles || (fp = fdt->fd_files[fd]) == NULL ||
	    fp == FD_RESERVED) {
		spin_unlock(&fdt->fd_spin);
		return (EBADF);
	}
	fdt->fd_files[fd] = NULL;
	fdt->fd_fflags[fd] = 0;
	if (fd < fdt->fd_freefile)
		fdt->fd_freefile = fd;
	spin_unlock(&fdt->fd_spin);
	fdrop(fp);
	return (0);
}

/* --- current and root directory --- */

/*
 * The global root, referenced, for a process without a table (proc0
 * before proc0_init: boot-time lookups); NULL before the root exists.
 */
static struct namecache *
fd_defaultdir(void)
{
	struct namecache *ncp = rootncp;

	return (ncp != NULL ? cache_hold(ncp) : NULL);
}

/*
 * p's root directory (root true) or current directory, referenced
 * (rule 4).  Does not block.
 */
static struct namecache *
fd_getdir(struct proc *p, bool root)
{
	struct filedesc *fdt = p->p_fd;
	struct namecache *ncp;

	if (fdt == NULL)
		return (fd_defaultdir());
	spin_lock(&fdt->fd_spin);
	ncp = root ? fdt->fd_rdir : fdt->fd_cdir;
	if (ncp != NULL)
		cache_hold(ncp);
	spin_unlock(&fdt->fd_spin);
	return (ncp);
}

/* p's current directory, referenced (rule 4).  Does not block. */
struct namecache *
fd_getcdir(struct proc *p)
{
	return (fd_getdir(p, false));
}

/* p's root directory, referenced.  Does not block. */
struct namecache *
fd_getrdir(struct proc *p)
{
	return (fd_getdir(p, true));
}

/*
 * Make ncp p's current directory; the caller's reference on ncp moves
 * into the table and the old directory's reference is dropped.  May
 * block (the drop).
 */
void
fd_setcdir(struct proc *p, struct namecache *ncp)
{
	struct filedesc *fdt = p->p_fd;
	struct namecache *old;

	if (fdt == NULL) {
		/* proc0 before proc0_init: nowhere to keep it. */
		cache_drop(ncp);
		return;
	}
	spin_lock(&fdt->fd_spin);
	old = fdt->fd_cdir;
	fdt->fd_cdir = ncp;
	spin_unlock(&fdt->fd_spin);
	if (old != NULL)
		cache_drop(old);
}

/* --- descriptor system calls --- */

int
kern_close(int fd)
{
	return (fdclose(curproc, fd));
}

/*
 * A second descriptor (the lowest free one) for the file open on fd:
 * both share the file, hence its position and flags.  The new slot does
 * not inherit close-on-exec (POSIX dup).  EBADF, EMFILE.
 */
int
kern_dup(int fd, int *newfdp)
{
	struct proc *p = curproc;
	struct file *fp;
	int error;

	error = fget(p, fd, &fp);
	if (error != 0)
		return (error);
	error = fdalloc(p, fp, 0, newfdp);
	if (error != 0)
		fdrop(fp);
	return (error);
}
