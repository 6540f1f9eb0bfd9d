/*
 * Pipes: a one-way byte stream between two open files.
 *
 * kern_pipe makes one struct pipe and two struct files (DTYPE_PIPE) that
 * point to it through f_data: the read end (FREAD) and the write end
 * (FWRITE).  The data sits in a ring buffer of PIPE_SIZE (16 KiB)
 * bytes allocated with the pipe.  There is no position: uio_offset is
 * neither read nor moved.
 *
 * What it guarantees (POSIX):
 *  - A read returns at least one byte and at most what is buffered; it
 *    blocks while the pipe is empty and a write end is open, and returns
 *    0 bytes (end of file) once the pipe is empty and every write end is
 *    closed.
 *  - A write of at most PIPE_BUF (4096) bytes is atomic: it waits until
 *    there is room for all of it and copies it in one hold of the lock,
 *    so its bytes are never interleaved with another writer's.  Larger
 *    writes move in pieces of at most PIPE_BUF bytes as room appears and
 *    may interleave with other writers at piece boundaries.
 *  - A write with no read end open fails with EPIPE (the system-call
 *    layer posts SIGPIPE).  A write that already moved bytes returns
 *    them with success instead; the next write sees EPIPE.
 *  - FNONBLOCK, read from f_flag at each call (fcntl may change it at
 *    any time): EAGAIN where the call would block.  A nonblocking write
 *    of at most PIPE_BUF bytes moves all or nothing; a larger one moves
 *    what fits, and EAGAIN only if nothing did.
 *  - A blocked call sleeps with PCATCH: when its thread is interrupted
 *    (signal, exit, message abort) it returns EINTR, or success with the
 *    bytes it had already moved.
 *  - The last close of either end wakes every sleeper of the other one
 *    (readers see end of file, writers EPIPE).  The pipe is freed when
 *    both ends are closed.
 *
 * Rules:
 *  (1) pi_spin protects every changing field of the pipe, including the
 *	ring contents.  Data is copied into and out of the ring with the
 *	lock held (the uio buffers are kernel memory: no fault, no sleep),
 *	at most PIPE_BUF bytes per hold, so a hold is bounded.
 *  (2) Sleepers use tsleep_interlock under pi_spin before releasing it,
 *	then tsleep(PINTERLOCKED | PCATCH).  Whoever changes the state a
 *	sleeper waits on does so under pi_spin and calls wakeup after
 *	releasing it, so a wakeup is never lost.  Readers wait on
 *	PIPE_RCHAN (data or no writers), writers on PIPE_WCHAN (room or no
 *	readers).
 *  (3) pi_want records that someone sleeps on a channel; the waker
 *	clears the bit under pi_spin and calls wakeup only if it was set,
 *	so a busy pipe with nobody waiting costs no wakeup at all.
 *  (4) A thread in pipe_read or pipe_write holds a reference on its file
 *	(fget), so its end cannot be closed under it: the pipe outlives
 *	every sleeper.  pipe_close never blocks.
 *
 * Costs: a transfer is one spin lock round trip per PIPE_BUF bytes plus
 * the copy; a wakeup (a fence and a mask load, IPIs only to CPUs with a
 * sleeper) only when the other side sleeps.  Memory: the pipe structure
 * and 16 KiB of buffer per pipe, whether used or not.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/spinlock.h>
#include <sys/thread.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kern_syscall.h>

MALLOC_DEFINE(M_PIPE, "pipe", "pipes and their buffers");

CTASSERT((PIPE_SIZE & (PIPE_SIZE - 1)) == 0);
CTASSERT(PIPE_BUF <= PIPE_SIZE);

#define PIPE_WANTR	0x1	/* a reader sleeps on PIPE_RCHAN */
#define PIPE_WANTW	0x2	/* a writer sleeps on PIPE_WCHAN */

struct pipe {
	struct spinlock	pi_spin;	/* rule 1 */
	char		*pi_buf;	/* [I] PIPE_SIZE bytes */
	size_t		pi_rpos;	/* [pi_spin] next byte to read */
	size_t		pi_count;	/* [pi_spin] bytes buffered */
	int		pi_readers;	/* [pi_spin] open read ends (0, 1) */
	int		pi_writers;	/* [pi_spin] open write ends (0, 1) */
	int		pi_want;	/* [pi_spin] PIPE_WANTR, PIPE_WANTW */
	uint64_t	pi_ino;		/* [I] st_ino of both ends */
	uint32_t	pi_uid;		/* [I] creator's credentials */
	uint32_t	pi_gid;		/* [I] */
	struct timespec	pi_ctime;	/* [I] creation time */
};

/* Sleep channels (rule 2): addresses inside the pipe, never read. */
#define PIPE_RCHAN(pi)	((const volatile void *)&(pi)->pi_rpos)
#define PIPE_WCHAN(pi)	((const volatile void *)&(pi)->pi_count)

static volatile uint64_t pipe_nextino = 1;	/* [a] */

static int	pipe_read(struct file *fp, struct uio *uio);
static int	pipe_write(struct file *fp, struct uio *uio);
static int	pipe_stat(struct file *fp, struct stat *st);
static int	pipe_close(struct file *fp);

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
};

/* --- the ring (pi_spin held) --- */

/*
 * Move up to max bytes from the ring to the uio (as much as is buffered
 * and fits).  Returns the bytes moved.  pi_spin held.
 */
static size_t
pipe_ring_get(struct pipe *pi, struct uio *uio, size_t max)
{
	size_t n, done, c;

	KKASSERT(spin_held(&pi->pi_spin));
	n = MIN(MIN(pi->pi_count, uio->uio_resid), max);
	for (done = 0; done < n; done += c) {
		c = MIN(n - done, PIPE_SIZE - pi->pi_rpos);
		uiomove(pi->pi_buf + pi->pi_rpos, c, uio);
		pi->pi_rpos = (pi->pi_rpos + c) & (PIPE_SIZE - 1);
		pi->pi_count -= c;
	}
	if (pi->pi_count == 0)
		pi->pi_rpos = 0;	/* keep later copies in one piece */
	return (done);
}

/*
 * Move up to max bytes from the uio into the ring (as much as there is
 * room for).  Returns the bytes moved.  pi_spin held.
 */
static size_t
pipe_ring_put(struct pipe *pi, struct uio *uio, size_t max)
{
	size_t n, done, c, wpos;

	KKASSERT(spin_held(&pi->pi_spin));
	n = MIN(MIN(PIPE_SIZE - pi->pi_count, uio->uio_resid), max);
	for (done = 0; done < n; done += c) {
		wpos = (pi->pi_rpos + pi->pi_count) & (PIPE_SIZE - 1);
		c = MIN(n - done, PIPE_SIZE - wpos);
		uiomove(pi->pi_buf + wpos, c, uio);
		pi->pi_count += c;
	}
	return (done);
}

/*
 * Take the sleeper bits in mask (rule 3): the caller holds pi_spin and
 * calls pipe_wake with the result after releasing it.
 */
static int
pipe_takewant(struct pipe *pi, int mask)
{
	int want = pi->pi_want & mask;

	pi->pi_want &= ~want;
	return (want);
}

/* Wake the sleepers named by want (pipe_takewant).  pi_spin not held. */
static void
pipe_wake(struct pipe *pi, int want)
{
	if (want & PIPE_WANTR)
		wakeup(PIPE_RCHAN(pi));
	if (want & PIPE_WANTW)
		wakeup(PIPE_WCHAN(pi));
}

/*
 * Sleep until the other side changes the pipe (rule 2).  Called with
 * pi_spin held; returns with it released.  want is PIPE_WANTR (a reader
 * waiting for data) or PIPE_WANTW (a writer waiting for room).  Returns
 * 0 (look again: the state may or may not have changed) or EINTR.
 */
static int
pipe_sleep(struct pipe *pi, int want, const char *wmesg)
{
	const volatile void *chan;

	chan = want == PIPE_WANTR ? PIPE_RCHAN(pi) : PIPE_WCHAN(pi);
	pi->pi_want |= want;
	tsleep_interlock(chan);
	spin_unlock(&pi->pi_spin);
	return (tsleep(chan, PINTERLOCKED | PCATCH, wmesg, 0));
}

static bool
pipe_nonblock(struct file *fp)
{
	return ((__atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED) &
	    FNONBLOCK) != 0);
}

/* --- file operations --- */

/*
 * fo_read: at least one byte and at most uio_resid, from what is
 * buffered; blocks while the pipe is empty and a writer exists; 0 bytes
 * at end of file.  EAGAIN (nonblocking, empty, writers left), EINTR
 * (interrupted before any byte moved).  May block.
 */
static int
pipe_read(struct file *fp, struct uio *uio)
{
	struct pipe *pi = fp->f_data;
	size_t start = uio->uio_resid;
	bool more;
	int error, want;

	KASSERT(fp->f_type == DTYPE_PIPE, ("pipe_read: file %p", fp));
	if (start == 0)
		return (0);
	for (;;) {
		spin_lock(&pi->pi_spin);
		if (pi->pi_count > 0) {
			pipe_ring_get(pi, uio, PIPE_BUF);
			want = pipe_takewant(pi, PIPE_WANTW);
			more = uio->uio_resid > 0 && pi->pi_count > 0;
			spin_unlock(&pi->pi_spin);
			pipe_wake(pi, want);
			if (!more)
				return (0);
			continue;
		}
		/* Empty. */
		if (uio->uio_resid != start || pi->pi_writers == 0) {
			spin_unlock(&pi->pi_spin);
			return (0);	/* what we have, or end of file */
		}
		if (pipe_nonblock(fp)) {
			spin_unlock(&pi->pi_spin);
			return (EAGAIN);
		}
		error = pipe_sleep(pi, PIPE_WANTR, "piperd");
		if (error != 0)
			return (error);
	}
}

/*
 * fo_write: all of uio_resid unless interrupted.  A write of at most
 * PIPE_BUF bytes goes in at once (atomic); a larger one in pieces.
 * Blocks while there is no room.  EPIPE (no reader), EAGAIN
 * (nonblocking, no room), EINTR (interrupted) -- each only if no byte
 * moved; otherwise success with the partial count in uio_resid.  May
 * block.
 */
static int
pipe_write(struct file *fp, struct uio *uio)
{
	struct pipe *pi = fp->f_data;
	size_t start = uio->uio_resid, need;
	bool atomic = start <= PIPE_BUF;
	int error, want;

	KASSERT(fp->f_type == DTYPE_PIPE, ("pipe_write: file %p", fp));
	if (start == 0)
		return (0);
	for (;;) {
		spin_lock(&pi->pi_spin);
		if (pi->pi_readers == 0) {
			spin_unlock(&pi->pi_spin);
			error = EPIPE;
			break;
		}
		need = atomic ? uio->uio_resid : 1;
		if (PIPE_SIZE - pi->pi_count >= need) {
			pipe_ring_put(pi, uio, PIPE_BUF);
			want = pipe_takewant(pi, PIPE_WANTR);
			spin_unlock(&pi->pi_spin);
			pipe_wake(pi, want);
			if (uio->uio_resid == 0)
				return (0);
			continue;
		}
		if (pipe_nonblock(fp)) {
			spin_unlock(&pi->pi_spin);
			error = EAGAIN;
			break;
		}
		error = pipe_sleep(pi, PIPE_WANTW, "pipewr");
		if (error != 0)
			break;
	}
	return (uio->uio_resid != start ? 0 : error);
}

/*
 * fo_stat: a FIFO (S_IFIFO, rw for the owner) whose size is the number
 * of bytes buffered; both ends report the same st_ino.  Never blocks.
 */
static int
pipe_stat(struct file *fp, struct stat *st)
{
	struct pipe *pi = fp->f_data;

	memset(st, 0, sizeof(*st));
	spin_lock(&pi->pi_spin);
	st->st_size = (int64_t)pi->pi_count;
	spin_unlock(&pi->pi_spin);
	st->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	st->st_nlink = 1;
	st->st_ino = pi->pi_ino;
	st->st_uid = pi->pi_uid;
	st->st_gid = pi->pi_gid;
	st->st_blksize = PIPE_SIZE;
	st->st_atim = pi->pi_ctime;
	st->st_mtim = pi->pi_ctime;
	st->st_ctim = pi->pi_ctime;
	return (0);
}

/*
 * fo_close: the last reference to one end is gone.  Wake everyone
 * sleeping on the pipe (the other side re-checks: end of file or
 * EPIPE); the second end closed frees the pipe.  Does not block.
 */
static int
pipe_close(struct file *fp)
{
	struct pipe *pi = fp->f_data;
	int want, flag = __atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED);
	bool last;

	spin_lock(&pi->pi_spin);
	if (flag & FREAD) {
		KASSERT(pi->pi_readers > 0, ("pipe_close: no reader %p", pi));
		pi->pi_readers--;
	} else {
		KASSERT(pi->pi_writers > 0, ("pipe_close: no writer %p", pi));
		pi->pi_writers--;
	}
	last = pi->pi_readers == 0 && pi->pi_writers == 0;
	want = pipe_takewant(pi, PIPE_WANTR | PIPE_WANTW);
	spin_unlock(&pi->pi_spin);
	pipe_wake(pi, want);
	if (last) {
		/*
		 * NOTE: want may be non-zero here: a sleeper that was
		 * interrupted leaves its bit behind (the cost is one
		 * spurious wakeup).  Nobody sleeps any more (rule 4).
		 */
		kfree(pi->pi_buf, M_PIPE);
		kfree(pi, M_PIPE);
	}
	return (0);
}

/* --- creation --- */

/* A new pipe with one reader and one writer, or NULL (memory short). */
static struct pipe *
pipe_alloc(void)
{
	struct proc *p = curproc;
	struct pipe *pi;

	pi = kmalloc(sizeof(*pi), M_PIPE, M_ZERO);
	if (pi == NULL)
		return (NULL);
	pi->pi_buf = kmalloc(PIPE_SIZE, M_PIPE, 0);
	if (pi->pi_buf == NULL) {
		kfree(pi, M_PIPE);
		return (NULL);
	}
	spin_init(&pi->pi_spin);
	pi->pi_readers = 1;
	pi->pi_writers = 1;
	pi->pi_ino = __atomic_fetch_add(&pipe_nextino, 1, __ATOMIC_RELAXED);
	pi->pi_uid = p->p_cred.cr_uid;
	pi->pi_gid = p->p_cred.cr_gid;
	getnanotime(&pi->pi_ctime);
	return (pi);
}

/*
 * Create a pipe for curproc: fds[0] the read end, fds[1] the write end,
 * the two lowest free descriptors.  flags: O_CLOEXEC (UF_EXCLOSE on
 * both slots), O_NONBLOCK (FNONBLOCK on both files); anything else is
 * EINVAL.  Both slots are reserved before anything is made, so EMFILE
 * (or ENOMEM) leaves no file, pipe or slot behind.  fds is untouched on
 * failure.  Thread context; does not block.
 */
int
kern_pipe(int fds[2], int flags)
{
	struct proc *p = curproc;
	struct file *rf = NULL, *wf = NULL;
	struct pipe *pi;
	int rfd, wfd, error, ufl, ffl;

	if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0)
		return (EINVAL);
	/* Check and allocate everything; nothing is visible yet. */
	error = fdreserve(p, &rfd);
	if (error != 0)
		return (error);
	error = fdreserve(p, &wfd);
	if (error != 0) {
		fdunreserve(p, rfd);
		return (error);
	}
	pi = pipe_alloc();
	rf = falloc();
	wf = falloc();
	if (pi == NULL || rf == NULL || wf == NULL) {
		/* Files without f_ops are simply freed by fdrop. */
		if (rf != NULL)
			fdrop(rf);
		if (wf != NULL)
			fdrop(wf);
		if (pi != NULL) {
			kfree(pi->pi_buf, M_PIPE);
			kfree(pi, M_PIPE);
		}
		fdunreserve(p, wfd);
		fdunreserve(p, rfd);
		return (ENOMEM);
	}
	/* Commit point: nothing below can fail. */
	ffl = (flags & O_NONBLOCK) ? FNONBLOCK : 0;
	ufl = (flags & O_CLOEXEC) ? UF_EXCLOSE : 0;
	rf->f_type = DTYPE_PIPE;
	rf->f_flag = FREAD | ffl;
	rf->f_data = pi;
	rf->f_ops = &pipeops;
	wf->f_type = DTYPE_PIPE;
	wf->f_flag = FWRITE | ffl;
	wf->f_data = pi;
	wf->f_ops = &pipeops;
	fdinstall(p, rfd, rf, ufl);
	fdinstall(p, wfd, wf, ufl);
	fds[0] = rfd;
	fds[1] = wfd;
	return (0);
}
