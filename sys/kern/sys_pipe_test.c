/*
 * In-kernel tests of pipes (sys/kern/sys_pipe.c).
 *
 *   pipe_basic		descriptors 0/1, data in order, short reads,
 *			ring wrap-around, fstat (S_IFIFO, st_size, same
 *			st_ino), wrong-direction EBADF, EOF after the last
 *			writer closes (buffered data first)
 *   pipe_epipe		EPIPE with no reader; a writer blocked on a full
 *			pipe returns its partial count when the reader
 *			closes, and EPIPE next time
 *   pipe_nonblock	O_NONBLOCK and F_SETFL: EAGAIN for an empty read
 *			and a full write, all-or-nothing for <= PIPE_BUF,
 *			partial for larger writes; F_GETFL
 *   pipe_eintr		a blocked read or write interrupted (TDU_ABORT +
 *			tsleep_intr) returns EINTR, or its partial count
 *   pipe_emfile	EMFILE with one free slot leaves no file, pipe or
 *			slot behind; EINVAL flags; O_CLOEXEC on both
 *   pipe_smp		a writer and a reader on different CPUs move a
 *			checked byte stream with random sizes, no loss,
 *			no duplication, EOF at the end
 *   pipe_atomic	several writers of records up to PIPE_BUF bytes
 *			and one reader: every record arrives whole
 *
 * Each test works inside a fresh process (kproc_alloc) so descriptors
 * start at 0, and checks that no file and no pipe memory is left.
 * Stress loops are bounded by a nanouptime() budget.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kern_syscall.h>
#include <sys/sysmsg.h>

MALLOC_DECLARE(M_PIPE);

#define PT_BUDGET_NS	300000000UL	/* stress loops run this long */
#define PT_WAIT_NS	20000000000UL	/* waiting for a thread to block */
#define PT_MAXW		8

/* --- helpers --- */

struct pt_job {
	void		(*j_fn)(void *);
	void		*j_arg;
	volatile int	*j_left;
};

static void
pt_trampoline(void *arg)
{
	struct pt_job *job = arg;

	job->j_fn(job->j_arg);
	countdown_done(job->j_left);
}

/*
 * Start fn(arg) in a new thread of process p on cpu; *j_left is counted
 * down when it returns (or at once if no thread could be made: NULL).
 */
static thread_t
pt_start(struct pt_job *job, struct proc *p, int cpu)
{
	thread_t td;

	td = lwkt_create(pt_trampoline, job, cpu, TDPRI_KERN, 0,
	    LWKT_CREATE_NOSCHED, "pipetest");
	if (td == NULL) {
		ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
		countdown_done(job->j_left);
		return (NULL);
	}
	td->td_proc = p;
	lwkt_schedule(td);
	return (td);
}

/* Run fn(arg) in a thread of p and wait for it. */
static void
pt_run_in(struct proc *p, void (*fn)(void *), void *arg)
{
	volatile int left = 1;
	struct pt_job job = { fn, arg, &left };

	pt_start(&job, p, -1);
	countdown_wait(&left, "ptrun");
}

static int64_t
pt_inuse(struct malloc_type *type)
{
	int64_t inuse, memuse;

	kmalloc_type_stats(type, &inuse, &memuse);
	return (inuse);
}

/*
 * Wait (sleeping) until td sleeps with wmesg; false after PT_WAIT_NS.
 * td must not be able to exit meanwhile (it is blocked or about to).
 */
static bool
pt_wait_sleep(thread_t td, const char *wmesg)
{
	static int chan;
	uint64_t end = nanouptime() + PT_WAIT_NS;
	const char *m;

	while (nanouptime() < end) {
		m = *(const char * volatile *)&td->td_wmesg;
		if (m != NULL && strcmp(m, wmesg) == 0)
			return (true);
		tsleep(&chan, 0, "ptwait", 1000000);
	}
	return (false);
}

/* Interrupt td's sleep as an aborted message would (thread_intr_pending). */
static void
pt_interrupt(thread_t td)
{
	__atomic_or_fetch(&td->td_uflags, TDU_ABORT, __ATOMIC_SEQ_CST);
	tsleep_intr(td);
}

static uint64_t
pt_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

/* Byte at position i of the checked stream. */
static inline uint8_t
pt_byte(uint64_t i)
{
	return ((uint8_t)((i * 0x9e3779b97f4a7c15UL) >> 56));
}

/* One blocking transfer done by a helper thread. */
struct pt_io {
	int		fd;
	bool		write;
	char		*buf;
	size_t		len;
	int		error;
	size_t		done;
};

static void
pt_io_fn(void *arg)
{
	struct pt_io *io = arg;

	if (io->write)
		io->error = kern_write(io->fd, io->buf, io->len, &io->done);
	else
		io->error = kern_read(io->fd, io->buf, io->len, &io->done);
}

static size_t
pt_fstat_size(int fd)
{
	struct stat st;

	if (kern_fstat(fd, &st) != 0)
		return ((size_t)-1);
	return ((size_t)st.st_size);
}

/* Run body in a fresh process; check nothing is left behind. */
static void
pt_in_proc(const char *name, void (*body)(void *))
{
	int files = file_count();
	int64_t mpipe = pt_inuse(M_PIPE);
	struct proc *p;

	p = kproc_alloc(NULL, name);
	KT_ASSERT(p != NULL);
	pt_run_in(p, body, NULL);
	kproc_free(p);
	KT_CHECK(file_count() == files);
	KT_CHECK(pt_inuse(M_PIPE) == mpipe);
}

static char pt_big[3 * PIPE_SIZE];
static char pt_big2[3 * PIPE_SIZE];

/* --- pipe_basic --- */

static void
pt_basic_body(void *arg)
{
	struct stat st0, st1;
	char buf[64];
	size_t done, i;
	int fds[2];

	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	KT_ASSERT(fds[0] == 0 && fds[1] == 1);
	KT_ASSERT_EQ(kern_write(fds[1], "hello", 5, &done), 0);
	KT_ASSERT_EQ(done, 5);
	KT_ASSERT_EQ(kern_fstat(fds[0], &st0), 0);
	KT_ASSERT_EQ(kern_fstat(fds[1], &st1), 0);
	KT_CHECK(S_ISFIFO(st0.st_mode) && S_ISFIFO(st1.st_mode));
	KT_CHECK(st0.st_size == 5 && st1.st_size == 5);
	KT_CHECK(st0.st_ino == st1.st_ino);
	KT_ASSERT_EQ(kern_read(fds[0], buf, sizeof(buf), &done), 0);
	KT_ASSERT_EQ(done, 5);
	KT_CHECK(memcmp(buf, "hello", 5) == 0);
	KT_CHECK(pt_fstat_size(fds[0]) == 0);

	/* Short reads take what is there, in order. */
	KT_ASSERT_EQ(kern_write(fds[1], "ab", 2, &done), 0);
	KT_ASSERT_EQ(kern_write(fds[1], "cd", 2, &done), 0);
	KT_ASSERT_EQ(kern_read(fds[0], buf, 3, &done), 0);
	KT_ASSERT(done == 3 && memcmp(buf, "abc", 3) == 0);
	KT_ASSERT_EQ(kern_read(fds[0], buf, sizeof(buf), &done), 0);
	KT_ASSERT(done == 1 && buf[0] == 'd');

	/* Zero-length transfers, wrong directions. */
	KT_CHECK(kern_write(fds[1], buf, 0, &done) == 0 && done == 0);
	KT_CHECK(kern_read(fds[0], buf, 0, &done) == 0 && done == 0);
	KT_CHECK(kern_write(fds[0], "x", 1, &done) == EBADF);
	KT_CHECK(kern_read(fds[1], buf, 1, &done) == EBADF);

	/* Wrap around the ring: 10000 + 10000 bytes through 16 KiB. */
	for (i = 0; i < 20000; i++)
		pt_big[i] = (char)pt_byte(i);
	KT_ASSERT_EQ(kern_write(fds[1], pt_big, 10000, &done), 0);
	KT_ASSERT_EQ(done, 10000);
	KT_ASSERT_EQ(kern_read(fds[0], pt_big2, 7000, &done), 0);
	KT_ASSERT_EQ(done, 7000);
	KT_ASSERT_EQ(kern_write(fds[1], pt_big + 10000, 10000, &done), 0);
	KT_ASSERT_EQ(done, 10000);
	KT_CHECK(pt_fstat_size(fds[1]) == 13000);
	KT_ASSERT_EQ(kern_read(fds[0], pt_big2 + 7000, 20000, &done), 0);
	KT_ASSERT_EQ(done, 13000);
	KT_CHECK(memcmp(pt_big, pt_big2, 20000) == 0);

	/* EOF: buffered data first, then 0 bytes, again and again. */
	KT_ASSERT_EQ(kern_write(fds[1], "xyz", 3, &done), 0);
	KT_ASSERT_EQ(kern_close(fds[1]), 0);
	KT_ASSERT_EQ(kern_read(fds[0], buf, sizeof(buf), &done), 0);
	KT_CHECK(done == 3 && memcmp(buf, "xyz", 3) == 0);
	KT_CHECK(kern_read(fds[0], buf, sizeof(buf), &done) == 0 && done == 0);
	KT_CHECK(kern_read(fds[0], buf, sizeof(buf), &done) == 0 && done == 0);
	KT_ASSERT_EQ(kern_close(fds[0]), 0);
}

KTEST(pipe_basic, "pipes: order, short reads, ring wrap, fstat, wrong "
    "direction EBADF, EOF after the writer closes")
{
	pt_in_proc("pipe_basic", pt_basic_body);
}

/* --- pipe_epipe --- */

static void
pt_epipe_body(void *arg)
{
	volatile int left = 1;
	struct pt_io io;
	struct pt_job job = { pt_io_fn, &io, &left };
	size_t done;
	thread_t td;
	int fds[2];

	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	KT_ASSERT_EQ(kern_close(fds[0]), 0);
	done = 99;
	KT_CHECK(kern_write(fds[1], "x", 1, &done) == EPIPE && done == 0);
	KT_ASSERT_EQ(kern_close(fds[1]), 0);

	/* A writer blocked on a full pipe: the reader goes away. */
	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	memset(&io, 0, sizeof(io));
	io.fd = fds[1];
	io.write = true;
	io.buf = pt_big;
	io.len = PIPE_SIZE + 3000;
	td = pt_start(&job, curproc, ncpus - 1);
	if (td != NULL) {
		KT_CHECK(pt_wait_sleep(td, "pipewr"));
		KT_CHECK(pt_fstat_size(fds[0]) == PIPE_SIZE);
	}
	KT_CHECK(kern_close(fds[0]) == 0);	/* wakes the writer */
	countdown_wait(&left, "ptepipe");
	KT_CHECK(io.error == 0 && io.done == PIPE_SIZE);
	KT_CHECK(kern_write(fds[1], "x", 1, &done) == EPIPE);
	KT_CHECK(kern_close(fds[1]) == 0);
}

KTEST(pipe_epipe, "pipes: EPIPE without a reader; a blocked writer gets "
    "its partial count when the reader closes")
{
	pt_in_proc("pipe_epipe", pt_epipe_body);
}

/* --- pipe_nonblock --- */

static void
pt_nonblock_body(void *arg)
{
	char buf[16];
	size_t done;
	long res;
	int fds[2];

	KT_ASSERT_EQ(kern_pipe(fds, O_NONBLOCK), 0);
	KT_CHECK(kern_fcntl(fds[0], F_GETFL, 0, &res) == 0 &&
	    res == (O_RDONLY | O_NONBLOCK));
	KT_CHECK(kern_fcntl(fds[1], F_GETFL, 0, &res) == 0 &&
	    res == (O_WRONLY | O_NONBLOCK));
	done = 99;
	KT_CHECK(kern_read(fds[0], buf, sizeof(buf), &done) == EAGAIN &&
	    done == 0);
	KT_ASSERT_EQ(kern_write(fds[1], pt_big, PIPE_SIZE, &done), 0);
	KT_ASSERT_EQ(done, PIPE_SIZE);
	KT_CHECK(kern_write(fds[1], "x", 1, &done) == EAGAIN && done == 0);
	/* 100 bytes of room: a PIPE_BUF write moves nothing... */
	KT_ASSERT_EQ(kern_read(fds[0], pt_big2, 100, &done), 0);
	KT_CHECK(kern_write(fds[1], pt_big, PIPE_BUF, &done) == EAGAIN &&
	    done == 0);
	KT_CHECK(pt_fstat_size(fds[0]) == PIPE_SIZE - 100);
	/* ...a larger one moves what fits. */
	KT_CHECK(kern_write(fds[1], pt_big, PIPE_BUF + 1, &done) == 0 &&
	    done == 100);
	KT_CHECK(pt_fstat_size(fds[0]) == PIPE_SIZE);
	KT_ASSERT_EQ(kern_read(fds[0], pt_big2, sizeof(pt_big2), &done), 0);
	KT_CHECK(done == PIPE_SIZE);
	KT_CHECK(kern_read(fds[0], buf, 1, &done) == EAGAIN);

	/* F_SETFL turns it off and on; other bits stay. */
	KT_ASSERT_EQ(kern_fcntl(fds[0], F_SETFL, O_RDWR | O_CREAT, &res), 0);
	KT_CHECK(kern_fcntl(fds[0], F_GETFL, 0, &res) == 0 &&
	    res == O_RDONLY);
	KT_ASSERT_EQ(kern_fcntl(fds[0], F_SETFL, O_NONBLOCK, &res), 0);
	KT_CHECK(kern_read(fds[0], buf, 1, &done) == EAGAIN);
	/* Writers closed: EOF wins over EAGAIN. */
	KT_ASSERT_EQ(kern_close(fds[1]), 0);
	KT_CHECK(kern_read(fds[0], buf, 1, &done) == 0 && done == 0);
	KT_ASSERT_EQ(kern_close(fds[0]), 0);

	/* Blocking pipe made nonblocking by F_SETFL on the write end. */
	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	KT_ASSERT_EQ(kern_fcntl(fds[1], F_SETFL, O_NONBLOCK, &res), 0);
	KT_ASSERT_EQ(kern_write(fds[1], pt_big, 2 * PIPE_SIZE, &done), 0);
	KT_CHECK(done == PIPE_SIZE);
	KT_CHECK(kern_write(fds[1], pt_big, 1, &done) == EAGAIN);
	KT_ASSERT_EQ(kern_close(fds[0]), 0);
	KT_CHECK(kern_write(fds[1], pt_big, 1, &done) == EPIPE);
	KT_ASSERT_EQ(kern_close(fds[1]), 0);
}

KTEST(pipe_nonblock, "pipes: O_NONBLOCK and F_SETFL give EAGAIN, "
    "all-or-nothing up to PIPE_BUF, partial beyond")
{
	pt_in_proc("pipe_nonblock", pt_nonblock_body);
}

/* --- pipe_eintr --- */

/*
 * Start io in a helper on the last CPU, wait until it sleeps with
 * wmesg, interrupt it, and wait for it to finish.
 */
static void
pt_interrupt_io(struct pt_io *io, const char *wmesg)
{
	volatile int left = 1;
	struct pt_job job = { pt_io_fn, io, &left };
	thread_t td;

	td = pt_start(&job, curproc, ncpus - 1);
	if (td == NULL)
		return;
	if (!pt_wait_sleep(td, wmesg)) {
		ktest_fail(__FILE__, __LINE__, "helper never slept on %s",
		    wmesg);
		if (left == 0)
			return;		/* it finished: td is gone */
	}
	pt_interrupt(td);
	countdown_wait(&left, "ptintr");
}

static void
pt_eintr_body(void *arg)
{
	struct pt_io io;
	char buf[16];
	size_t done;
	int fds[2];

	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	/* A read of an empty pipe. */
	memset(&io, 0, sizeof(io));
	io.fd = fds[0];
	io.buf = buf;
	io.len = sizeof(buf);
	pt_interrupt_io(&io, "piperd");
	KT_CHECK(io.error == EINTR && io.done == 0);
	/* A large write that filled the pipe: the partial count. */
	memset(&io, 0, sizeof(io));
	io.fd = fds[1];
	io.write = true;
	io.buf = pt_big;
	io.len = PIPE_SIZE + 5000;
	pt_interrupt_io(&io, "pipewr");
	KT_CHECK(io.error == 0 && io.done == PIPE_SIZE);
	/* An atomic write to a full pipe: nothing moved, EINTR. */
	memset(&io, 0, sizeof(io));
	io.fd = fds[1];
	io.write = true;
	io.buf = pt_big;
	io.len = PIPE_BUF;
	pt_interrupt_io(&io, "pipewr");
	KT_CHECK(io.error == EINTR && io.done == 0);
	/* The pipe still works. */
	KT_CHECK(pt_fstat_size(fds[0]) == PIPE_SIZE);
	KT_CHECK(kern_read(fds[0], pt_big2, PIPE_SIZE, &done) == 0 &&
	    done == PIPE_SIZE);
	KT_CHECK(kern_close(fds[0]) == 0);
	KT_CHECK(kern_close(fds[1]) == 0);
}

KTEST(pipe_eintr, "pipes: an interrupted blocked read or write returns "
    "EINTR, or its partial count")
{
	pt_in_proc("pipe_eintr", pt_eintr_body);
}

/* --- pipe_emfile --- */

static void
pt_emfile_body(void *arg)
{
	int64_t mpipe = pt_inuse(M_PIPE);
	int files = file_count();
	int fds[2], fd, i;
	long res;

	KT_ASSERT_EQ(kern_pipe(fds, O_APPEND), EINVAL);
	KT_ASSERT_EQ(kern_pipe(fds, O_CLOEXEC), 0);
	KT_CHECK(kern_fcntl(fds[0], F_GETFD, 0, &res) == 0 &&
	    res == FD_CLOEXEC);
	KT_CHECK(kern_fcntl(fds[1], F_GETFD, 0, &res) == 0 &&
	    res == FD_CLOEXEC);
	KT_CHECK(curproc->p_fd->fd_fflags[fds[1]] == UF_EXCLOSE);
	/* Fill all but one slot. */
	for (i = 2; i < FD_MAXFILES - 1; i++) {
		KT_ASSERT_EQ(kern_dup(0, &fd), 0);
		KT_ASSERT_EQ(fd, i);
	}
	KT_ASSERT_EQ(file_count(), files + 2);
	fds[0] = fds[1] = -7;
	KT_ASSERT_EQ(kern_pipe(fds, 0), EMFILE);
	KT_CHECK(fds[0] == -7 && fds[1] == -7);
	KT_CHECK(file_count() == files + 2);
	KT_CHECK(pt_inuse(M_PIPE) == mpipe + 2);
	/* The last slot was not kept reserved. */
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_ASSERT_EQ(fd, FD_MAXFILES - 1);
	/* Two free slots (5 and the last): a pipe fits, lowest first. */
	KT_ASSERT_EQ(kern_close(FD_MAXFILES - 1), 0);
	KT_ASSERT_EQ(kern_close(5), 0);
	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	KT_CHECK(fds[0] == 5 && fds[1] == FD_MAXFILES - 1);
	KT_CHECK(kern_fcntl(fds[0], F_GETFD, 0, &res) == 0 && res == 0);
	KT_CHECK(file_count() == files + 4);
	for (i = 0; i < FD_MAXFILES; i++)
		KT_CHECK(kern_close(i) == 0);
	KT_CHECK(file_count() == files);
	KT_CHECK(pt_inuse(M_PIPE) == mpipe);
}

KTEST(pipe_emfile, "pipes: EMFILE leaves no file, pipe or slot behind; "
    "bad flags EINVAL; O_CLOEXEC on both ends")
{
	pt_in_proc("pipe_emfile", pt_emfile_body);
}

/* --- pipe_smp --- */

static struct {
	int		rfd, wfd;
	uint64_t	end;
	uint64_t	written;	/* by the writer */
	uint64_t	read;		/* by the reader */
	uint64_t	bad;		/* bytes out of sequence */
	uint64_t	reads, writes;
	int		werror, rerror;
} pt_smp;

static void
pt_smp_writer(void *arg)
{
	static char buf[3 * PIPE_BUF];
	uint64_t seed = 0x1234567, pos = 0;
	size_t len, done, i;
	int error = 0;

	while (pt_smp.writes < 4 || nanouptime() < pt_smp.end) {
		len = 1 + pt_rand(&seed) % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = (char)pt_byte(pos + i);
		error = kern_write(pt_smp.wfd, buf, len, &done);
		pos += done;
		pt_smp.writes++;
		if (error != 0 || done != len) {
			if (error == 0)
				error = -1;
			break;
		}
	}
	pt_smp.written = pos;
	pt_smp.werror = error;
	kern_close(pt_smp.wfd);		/* the reader sees EOF */
}

static void
pt_smp_reader(void *arg)
{
	static char buf[4 * PIPE_BUF];
	uint64_t seed = 0x7654321, pos = 0, bad = 0;
	size_t len, done, i;
	int error;

	for (;;) {
		len = 1 + pt_rand(&seed) % sizeof(buf);
		error = kern_read(pt_smp.rfd, buf, len, &done);
		if (error != 0 || done == 0)
			break;
		if (done > len)
			bad++;
		for (i = 0; i < done; i++)
			if ((uint8_t)buf[i] != pt_byte(pos + i))
				bad++;
		pos += done;
		pt_smp.reads++;
	}
	pt_smp.read = pos;
	pt_smp.bad = bad;
	pt_smp.rerror = error;
}

static void
pt_smp_body(void *arg)
{
	volatile int left = 2;
	struct pt_job jobs[2] = {
		{ pt_smp_writer, NULL, &left },
		{ pt_smp_reader, NULL, &left },
	};
	int fds[2];

	memset(&pt_smp, 0, sizeof(pt_smp));
	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	pt_smp.rfd = fds[0];
	pt_smp.wfd = fds[1];
	pt_smp.end = nanouptime() + PT_BUDGET_NS;
	pt_start(&jobs[0], curproc, 0);
	pt_start(&jobs[1], curproc, ncpus - 1);
	countdown_wait(&left, "ptsmp");
	KT_CHECK(pt_smp.werror == 0 && pt_smp.rerror == 0);
	KT_CHECK(pt_smp.bad == 0);
	KT_CHECK(pt_smp.read == pt_smp.written);
	KT_CHECK(pt_smp.written > 0);
	ktest_log("%lu bytes, %lu writes, %lu reads, %d CPUs", pt_smp.read,
	    pt_smp.writes, pt_smp.reads, ncpus);
	KT_CHECK(kern_close(fds[0]) == 0);
}

KTEST_SMP(pipe_smp, "1,4", "pipes: a writer and a reader on different "
    "CPUs move a checked stream of random-sized pieces intact")
{
	pt_in_proc("pipe_smp", pt_smp_body);
}

/* --- pipe_atomic --- */

/*
 * Records: [0] writer id, [1..4] sequence number, [5..6] total length,
 * then filler bytes that depend on writer and sequence.
 */
#define PT_HDR		7

static const size_t pt_recsizes[] = { PIPE_BUF, 3001, PT_HDR, 1500,
    PIPE_BUF, 2048, PIPE_BUF - 1 };

static struct {
	int		rfd, wfd, nw;
	uint64_t	end;
	uint32_t	sent[PT_MAXW];
	uint32_t	seen[PT_MAXW];
	uint64_t	bad;
	int		werrors;	/* [a] */
} pt_at;

static inline uint8_t
pt_fill(int w, uint32_t seq, size_t i)
{
	return ((uint8_t)(w * 37 + seq * 11 + i));
}

static void
pt_at_writer(void *arg)
{
	static char recs[PT_MAXW][PIPE_BUF];
	int w = (int)(uintptr_t)arg;
	char *rec = recs[w];
	uint32_t seq;
	size_t len, done, i;

	for (seq = 0; seq < 4 || nanouptime() < pt_at.end; seq++) {
		len = pt_recsizes[(seq + w) % nitems(pt_recsizes)];
		rec[0] = (char)w;
		memcpy(rec + 1, &seq, 4);
		rec[5] = (char)(len & 0xff);
		rec[6] = (char)(len >> 8);
		for (i = PT_HDR; i < len; i++)
			rec[i] = (char)pt_fill(w, seq, i);
		if (kern_write(pt_at.wfd, rec, len, &done) != 0 ||
		    done != len) {
			__atomic_add_fetch(&pt_at.werrors, 1, __ATOMIC_RELAXED);
			break;
		}
		pt_at.sent[w] = seq + 1;
		if ((seq & 3) == 3)
			lwkt_yield();
	}
}

/* Check one complete record; false if it is damaged. */
static bool
pt_at_check(const char *rec, size_t len)
{
	int w = (uint8_t)rec[0];
	uint32_t seq;
	size_t i;

	if (w >= pt_at.nw)
		return (false);
	memcpy(&seq, rec + 1, 4);
	if (seq != pt_at.seen[w])
		return (false);
	for (i = PT_HDR; i < len; i++)
		if ((uint8_t)rec[i] != pt_fill(w, seq, i))
			return (false);
	pt_at.seen[w]++;
	return (true);
}

static void
pt_at_reader(void *arg)
{
	static char rec[PIPE_BUF];
	char buf[777];
	size_t have = 0, need = PT_HDR, done, i;
	bool lost = false;

	/* Reassemble records from reads that ignore their boundaries. */
	while (kern_read(pt_at.rfd, buf, sizeof(buf), &done) == 0 &&
	    done > 0) {
		for (i = 0; i < done && !lost; i++) {
			rec[have++] = buf[i];
			if (have == PT_HDR) {
				need = (uint8_t)rec[5] |
				    ((size_t)(uint8_t)rec[6] << 8);
				if (need < PT_HDR || need > PIPE_BUF) {
					lost = true;
					break;
				}
			}
			if (have >= PT_HDR && have == need) {
				if (!pt_at_check(rec, need)) {
					lost = true;
					break;
				}
				have = 0;
				need = PT_HDR;
			}
		}
	}
	if (lost || have != 0)
		pt_at.bad++;
}

static void
pt_atomic_body(void *arg)
{
	static struct pt_job jobs[PT_MAXW + 1];
	volatile int wleft, rleft = 1;
	uint64_t total = 0;
	int fds[2], w;

	memset(&pt_at, 0, sizeof(pt_at));
	pt_at.nw = MIN(PT_MAXW, MAX(3, 2 * ncpus));
	KT_ASSERT_EQ(kern_pipe(fds, 0), 0);
	pt_at.rfd = fds[0];
	pt_at.wfd = fds[1];
	pt_at.end = nanouptime() + PT_BUDGET_NS;
	wleft = pt_at.nw;
	jobs[PT_MAXW] = (struct pt_job){ pt_at_reader, NULL, &rleft };
	pt_start(&jobs[PT_MAXW], curproc, 0);
	for (w = 0; w < pt_at.nw; w++) {
		jobs[w] = (struct pt_job){ pt_at_writer, (void *)(uintptr_t)w,
		    &wleft };
		pt_start(&jobs[w], curproc, (w + 1) % ncpus);
	}
	countdown_wait(&wleft, "ptatw");
	KT_CHECK(kern_close(fds[1]) == 0);	/* the reader sees EOF */
	countdown_wait(&rleft, "ptatr");
	KT_CHECK(pt_at.werrors == 0);
	KT_CHECK(pt_at.bad == 0);
	for (w = 0; w < pt_at.nw; w++) {
		KT_CHECK(pt_at.seen[w] == pt_at.sent[w]);
		total += pt_at.sent[w];
	}
	ktest_log("%d writers, %lu records", pt_at.nw, total);
	KT_CHECK(kern_close(fds[0]) == 0);
}

KTEST_SMP(pipe_atomic, "1,4", "pipes: writes up to PIPE_BUF from several "
    "writers on every CPU arrive whole, each writer in order")
{
	pt_in_proc("pipe_atomic", pt_atomic_body);
}
