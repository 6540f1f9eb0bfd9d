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
 * fork copies a table (fdcopy: the files are shared, each slot takes a
 * new reference, so parent and child share positions); exec closes the
 * UF_EXCLOSE slots (fdcloseexec).  dup2 and fcntl(F_DUPFD) put a file
 * at a chosen slot or at the lowest free one at or above a bound.  The
 * changeable part of a file's f_flag (FNONBLOCK, FAPPEND: F_SETFL) is
 * updated by compare-and-swap, so readers need no lock.
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
#include <sys/fcntl.h>
#include <sys/sysmsg.h>

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
 * A copy of p's table for fork.  Every open descriptor of the copy
 * refers to the same file (one new reference per slot, taken under
 * fd_spin: rule 2) with the same UF_* flags, so parent and child share
 * positions; reserved slots (opens in progress in p) come out free.
 * The copy has p's current and root directory (new references).  NULL
 * if memory is short, with nothing taken.  Does not block.
 *
 * The arrays are allocated with the lock dropped (rule 1), at the size
 * the table had; if it grew meanwhile the allocation is redone.
 */
struct filedesc *
fdcopy(struct proc *p)
{
	struct filedesc *src = p->p_fd, *fdp;
	struct file *fp;
	int fd, n;

	KASSERT(src != NULL, ("fdcopy: pid %d has no table", p->p_pid));
	fdp = kmalloc(sizeof(*fdp), M_FILEDESC, M_ZERO);
	if (fdp == NULL)
		return (NULL);
	spin_init(&fdp->fd_spin);
	for (;;) {
		spin_lock(&src->fd_spin);
		n = src->fd_nfiles;
		spin_unlock(&src->fd_spin);
		fdp->fd_files = kmalloc(n * sizeof(struct file *), M_FILEDESC,
		    M_ZERO);
		fdp->fd_fflags = kmalloc(n, M_FILEDESC, M_ZERO);
		if (fdp->fd_files == NULL || fdp->fd_fflags == NULL) {
			kfree(fdp->fd_files, M_FILEDESC);
			kfree(fdp->fd_fflags, M_FILEDESC);
			kfree(fdp, M_FILEDESC);
			return (NULL);
		}
		spin_lock(&src->fd_spin);
		if (src->fd_nfiles == n)
			break;		/* locked, with arrays that fit */
		spin_unlock(&src->fd_spin);
		kfree(fdp->fd_files, M_FILEDESC);
		kfree(fdp->fd_fflags, M_FILEDESC);
	}
	/* Commit point: nothing below can fail. */
	fdp->fd_nfiles = n;
	fdp->fd_freefile = n;
	for (fd = 0; fd < n; fd++) {
		fp = src->fd_files[fd];
		if (fp == NULL || fp == FD_RESERVED) {
			if (fd < fdp->fd_freefile)
				fdp->fd_freefile = fd;
			continue;
		}
		fdp->fd_files[fd] = fhold(fp);
		fdp->fd_fflags[fd] = src->fd_fflags[fd];
	}
	fdp->fd_cdir = src->fd_cdir != NULL ? cache_hold(src->fd_cdir) : NULL;
	fdp->fd_rdir = src->fd_rdir != NULL ? cache_hold(src->fd_rdir) : NULL;
	spin_unlock(&src->fd_spin);
	return (fdp);
}

/*
 * Close every descriptor of p marked UF_EXCLOSE (exec).  Each slot is
 * emptied under fd_spin and its file dropped outside it (rule 1).
 * Reserved slots are left alone.  May block (last references).
 */
void
fdcloseexec(struct proc *p)
{
	struct filedesc *fdt = p->p_fd;
	struct file *fp;

	if (fdt == NULL)
		return;
	for (int fd = 0;; fd++) {
		fp = NULL;
		spin_lock(&fdt->fd_spin);
		if (fd >= fdt->fd_nfiles) {
			spin_unlock(&fdt->fd_spin);
			break;
		}
		if ((fdt->fd_fflags[fd] & UF_EXCLOSE) != 0 &&
		    fdt->fd_files[fd] != NULL &&
		    fdt->fd_files[fd] != FD_RESERVED) {
			fp = fdt->fd_files[fd];
			fdt->fd_files[fd] = NULL;
			fdt->fd_fflags[fd] = 0;
			if (fd < fdt->fd_freefile)
				fdt->fd_freefile = fd;
		}
		spin_unlock(&fdt->fd_spin);
		if (fp != NULL)
			fdrop(fp);
	}
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
 * Reserve the lowest free descriptor of p at or above minfd (0 <= minfd
 * < FD_MAXFILES): *fdp gets it.  EMFILE when none is free below
 * FD_MAXFILES, ENOMEM if the table cannot grow, EBADF if p has no table
 * (proc0 before proc0_init).  Does not block.
 *
 * NOTE: fd_freefile only moves when the scan started at it (minfd at or
 * below it); a scan from a higher minfd says nothing about the slots
 * between fd_freefile and minfd.
 */
static int
fdreserve_from(struct proc *p, int minfd, int *fdp)
{
	struct filedesc *fdt = p->p_fd;
	int fd, start, have, error;

	KASSERT(minfd >= 0 && minfd < FD_MAXFILES,
	    ("fdreserve_from: bad minimum %d", minfd));
	if (fdt == NULL)
		return (EBADF);
	for (;;) {
		spin_lock(&fdt->fd_spin);
		start = MAX(fdt->fd_freefile, minfd);
		for (fd = start; fd < fdt->fd_nfiles; fd++)
			if (fdt->fd_files[fd] == NULL)
				break;
		if (fd < fdt->fd_nfiles) {
			fdt->fd_files[fd] = FD_RESERVED;
			fdt->fd_fflags[fd] = 0;
			if (start == fdt->fd_freefile)
				fdt->fd_freefile = fd + 1;
			spin_unlock(&fdt->fd_spin);
			*fdp = fd;
			return (0);
		}
		if (start == fdt->fd_freefile)
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
 * Reserve the lowest free descriptor of p for an open in progress:
 * *fdp gets it.  EMFILE when FD_MAXFILES are in use, ENOMEM if the
 * table cannot grow, EBADF if p has no table (proc0 before proc0_init).
 * Does not block.
 */
int
fdreserve(struct proc *p, int *fdp)
{
	return (fdreserve_from(p, 0, fdp));
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

/*
 * dup2: make newfd refer to fd's file, closing what newfd held (the
 * replacement is one store under fd_spin, so no other thread ever sees
 * newfd free in between).  The new slot has no UF_EXCLOSE.  fd == newfd
 * only checks that fd is open.  EBADF for a bad fd or a newfd outside
 * [0, FD_MAXFILES); EBUSY if newfd is reserved by an open in progress
 * (Linux does the same); ENOMEM if the table cannot grow.  May block
 * (the drop of the old file).
 */
int
kern_dup2(int fd, int newfd, int *resfd)
{
	struct proc *p = curproc;
	struct filedesc *fdt = p->p_fd;
	struct file *fp, *old;
	int error, have;

	*resfd = -1;
	if (newfd < 0 || newfd >= FD_MAXFILES)
		return (EBADF);
	error = fget(p, fd, &fp);
	if (error != 0)
		return (error);
	if (fd == newfd) {
		fdrop(fp);
		*resfd = newfd;
		return (0);
	}
	for (;;) {
		spin_lock(&fdt->fd_spin);
		if (newfd < fdt->fd_nfiles)
			break;		/* locked, and the slot exists */
		have = fdt->fd_nfiles;
		spin_unlock(&fdt->fd_spin);
		error = fdgrow(fdt, have);
		if (error != 0) {
			fdrop(fp);
			return (error);
		}
	}
	old = fdt->fd_files[newfd];
	if (old == FD_RESERVED) {
		spin_unlock(&fdt->fd_spin);
		fdrop(fp);
		return (EBUSY);
	}
	fdt->fd_files[newfd] = fp;	/* our reference moves in */
	fdt->fd_fflags[newfd] = 0;
	spin_unlock(&fdt->fd_spin);
	if (old != NULL)
		fdrop(old);
	*resfd = newfd;
	return (0);
}

/*
 * Read (set false) or change (set true) the UF_* flags of fd: the bits
 * in clear are cleared and those in setbits set.  *oldp gets the flags
 * before.  EBADF for a closed, reserved or out-of-range fd.
 */
static int
fd_fflags(struct proc *p, int fd, bool set, int clear, int setbits,
    int *oldp)
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
	*oldp = fdt->fd_fflags[fd];
	if (set)
		fdt->fd_fflags[fd] = (uint8_t)((*oldp & ~clear) | setbits);
	spin_unlock(&fdt->fd_spin);
	return (0);
}

/* The open(2) flags a file reports through F_GETFL. */
static long
fd_getfl(struct file *fp)
{
	int ff = __atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED);
	long fl;

	if ((ff & (FREAD | FWRITE)) == (FREAD | FWRITE))
		fl = O_RDWR;
	else if (ff & FWRITE)
		fl = O_WRONLY;
	else
		fl = O_RDONLY;
	if (ff & FNONBLOCK)
		fl |= O_NONBLOCK;
	if (ff & FAPPEND)
		fl |= O_APPEND;
	return (fl);
}

/*
 * F_SETFL: set FNONBLOCK and FAPPEND of fp from arg's O_NONBLOCK and
 * O_APPEND, leaving every other bit alone.  A compare-and-swap of the
 * whole word, so that two F_SETFLs never lose each other's bits and
 * readers (fo_read, fo_write) see either the old or the new word.
 */
static void
fd_setfl(struct file *fp, long arg)
{
	int old, new;

	old = __atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED);
	do {
		new = old & ~(FNONBLOCK | FAPPEND);
		if (arg & O_NONBLOCK)
			new |= FNONBLOCK;
		if (arg & O_APPEND)
			new |= FAPPEND;
	} while (!__atomic_compare_exchange_n(&fp->f_flag, &old, new, false,
	    __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/*
 * fcntl(2) for F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL (values from
 * <sys/sysmsg.h>).  *resp gets the new descriptor (F_DUPFD), the flags
 * (F_GETFD: FD_CLOEXEC or 0; F_GETFL: O_ACCMODE bits, O_NONBLOCK,
 * O_APPEND) or 0.  EBADF for a bad fd (checked first), EINVAL for an
 * unknown command or an F_DUPFD bound outside [0, FD_MAXFILES), EMFILE
 * when no slot at or above the bound is free.  May block.
 */
int
kern_fcntl(int fd, int cmd, long arg, long *resp)
{
	struct proc *p = curproc;
	struct file *fp;
	int error, old, newfd;

	*resp = -1;
	error = fget(p, fd, &fp);
	if (error != 0)
		return (error);
	switch (cmd) {
	case F_DUPFD:
		if (arg < 0 || arg >= FD_MAXFILES) {
			error = EINVAL;
			break;
		}
		error = fdreserve_from(p, (int)arg, &newfd);
		if (error != 0)
			break;
		fdinstall(p, newfd, fhold(fp), 0);
		*resp = newfd;
		break;
	case F_GETFD:
		error = fd_fflags(p, fd, false, 0, 0, &old);
		if (error == 0)
			*resp = (old & UF_EXCLOSE) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		error = fd_fflags(p, fd, true, UF_EXCLOSE,
		    (arg & FD_CLOEXEC) ? UF_EXCLOSE : 0, &old);
		if (error == 0)
			*resp = 0;
		break;
	case F_GETFL:
		*resp = fd_getfl(fp);
		break;
	case F_SETFL:
		fd_setfl(fp, arg);
		*resp = 0;
		break;
	default:
		error = EINVAL;
		break;
	}
	fdrop(fp);
	return (error);
}
