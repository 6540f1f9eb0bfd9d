/*
 * hostile - the message interface under bad input: every refusal is an
 * errno, never a crash of the kernel or of this process.
 *
 * (1) bad message addresses for SYSP_DOMSG and SYSP_SENDMSG: NULL, 1, the
 *     kernel half, non-canonical, a range that wraps, one that straddles
 *     the end of a mapping, a PROT_NONE page -> EFAULT;
 * (2) bad argument pointers (read/write buffers, paths, element lists,
 *     sigaction's old[], wait status) of the same kinds -> EFAULT; a
 *     read of length ~0 -> EINVAL or EFAULT;
 * (3) fds -1, -100, 2^20, 2^31-1, 2^40 -> EBADF;
 * (4) unknown commands 0 and 9999 -> ENOSYS; sm_size 0/63/65/~0 and
 *     sm_flags != 0 -> EINVAL; unknown primitives 0, 5, 77, -1 -> ENOSYS;
 * (5) an async message whose memory is unmapped before it completes is
 *     collected with EFAULT;
 * (6) another process's handle: a child's in-flight handle, passed to
 *     us through a pipe, is ENOENT for our wait and abort, and the child
 *     still collects its own message.
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/msgcall.h>
#include <sys/wait.h>

#include "utest.h"

#define PG	4096UL

static unsigned long bad[8];
static int nbad;
static unsigned long straddle;

/* Run one primitive; must fail with err. */
#define CHECK_PRIM(prim, a0, a1, err) do {				\
	int _e = 0;							\
	long _r = __sysmsg_prim((prim), (long)(a0), (long)(a1), &_e);	\
	if (_e != (err))						\
		UT_FAIL("prim %ld(%#lx, %#lx): %ld errno %d, want %d",	\
		    (long)(prim), (unsigned long)(a0),			\
		    (unsigned long)(a1), _r, _e, (int)(err));		\
} while (0)

/* Build the list of bad addresses; 16+ bytes at each are never valid. */
static void
bad_addresses(void)
{
	char *p;

	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_OK(munmap(p + PG, PG));
	CHECK_OK(mprotect(p + 2 * PG, PG, PROT_NONE));
	/* A path starting there runs unterminated into the hole. */
	memset(p + PG - 8, 'a', 8);
	straddle = (unsigned long)p + PG - 8;
	bad[nbad++] = 0;
	bad[nbad++] = 1;
	bad[nbad++] = 0xffff800000000000UL;
	bad[nbad++] = 0x0000800000000000UL;
	bad[nbad++] = 0xfffffffffffffff0UL;		/* wraps */
	bad[nbad++] = (unsigned long)p + PG - 8;	/* straddles the end */
	bad[nbad++] = (unsigned long)p + 2 * PG;	/* PROT_NONE */
	bad[nbad++] = 0x00007ffffffffff8UL;		/* straddles the top */
}

static void
bad_messages(void)
{
	int i;

	for (i = 0; i < nbad; i++) {
		CHECK_PRIM(SYSP_DOMSG, bad[i], 0, EFAULT);
		CHECK_PRIM(SYSP_SENDMSG, bad[i], 0, EFAULT);
	}
	CHECK_ERR(sysmsg_wait(0, SYSMSG_NOWAIT), ENOENT);
	UT_LOG("bad message addresses: EFAULT");
}

static long
msg5(unsigned cmd, unsigned long a0, unsigned long a1, unsigned long a2,
    unsigned long a3, unsigned long a4)
{
	struct sysmsg m;

	sysmsg_init(&m, cmd);
	m.sm_arg[0] = a0;
	m.sm_arg[1] = a1;
	m.sm_arg[2] = a2;
	m.sm_arg[3] = a3;
	m.sm_arg[4] = a4;
	return (sysmsg_do(&m));
}

static void
bad_arguments(void)
{
	struct sysel el[2];
	int p[2], i, pid;
	long r;

	CHECK_OK(pipe(p));
	for (i = 0; i < nbad; i++) {
		UT_LOG("argument address %#lx", bad[i]);
		/* Data is waiting, so only the buffer can be wrong. */
		CHECK_EQ(write(p[1], "0123456789abcdef", 16), 16);
		if (bad[i] == straddle) {
			/*
			 * Half the buffer is valid: a short read of what
			 * fits, and the rest stays in the pipe (nothing lost).
			 */
			char rest[8];

			CHECK_EQ(msg5(SYS_READ, p[0], bad[i], 16, 0, 0), 8);
			CHECK_EQ(memcmp((void *)straddle, "01234567", 8), 0);
			CHECK_EQ(read(p[0], rest, 8), 8);
			CHECK_EQ(memcmp(rest, "89abcdef", 8), 0);
		} else {
			CHECK_ERR(msg5(SYS_READ, p[0], bad[i], 16, 0, 0),
			    EFAULT);
		}
		CHECK_ERR(msg5(SYS_WRITE, p[1], bad[i], 16, 0, 0), EFAULT);
		CHECK_ERR(msg5(SYS_OPEN, bad[i], O_RDONLY, 0, 0, 0), EFAULT);
		CHECK_ERR(msg5(SYS_MKDIR, bad[i], 0755, 0, 0, 0), EFAULT);
		CHECK_ERR(msg5(SYS_STAT, (unsigned long)"/", bad[i], 2, 0, 0),
		    EFAULT);
		/* "/" fits in the valid part of the straddling buffer. */
		if (bad[i] != straddle)
			CHECK_ERR(msg5(SYS_GETCWD, bad[i], 64, 0, 0, 0),
			    EFAULT);
		/* NULL means "none" for old[] and (maybe) for argv. */
		if (bad[i] != 0) {
			/*
			 * Failed calls may have stored part of their output
			 * (a NULL argv[0] would be a valid empty argv).
			 */
			memset((void *)straddle, 'a', 8);
			CHECK_ERR(msg5(SYS_EXECVE,
			    (unsigned long)"/usr/tests/hello", bad[i], 0, 0, 0),
			    EFAULT);
			CHECK_ERR(msg5(SYS_SIGACTION, SIGUSR1,
			    (unsigned long)-1, 0, 0, bad[i]), EFAULT);
		}
		/* Drain whatever the kernel may have consumed. */
		CHECK_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
		while (read(p[0], el, sizeof(el)) > 0)
			;
		CHECK_OK(fcntl(p[0], F_SETFL, 0));
	}
	/* An element list past SYSEL_MAX. */
	memset(el, 0, sizeof(el));
	CHECK_ERR(msg5(SYS_STAT, (unsigned long)"/", (unsigned long)el,
	    SYSEL_MAX + 1, 0, 0), EINVAL);
	/* Overflowing lengths. */
	CHECK_EQ(write(p[1], "x", 1), 1);
	errno = 0;
	r = msg5(SYS_READ, p[0], (unsigned long)el, ~0UL, 0, 0);
	CHECK(r == -1 && (errno == EINVAL || errno == EFAULT));
	r = msg5(SYS_WRITE, p[1], (unsigned long)el, ~0UL, 0, 0);
	CHECK(r == -1 && (errno == EINVAL || errno == EFAULT));
	r = msg5(SYS_READ, p[0], (unsigned long)el, 1UL << 62, 0, 0);
	CHECK(r == -1 && (errno == EINVAL || errno == EFAULT));
	close(p[0]);
	close(p[1]);
	/* A wait status pointer into the kernel. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(4);
	usleep(50000);
	CHECK_ERR(msg5(SYS_WAIT4, pid, 0xffff800000000000UL, 0, 0, 0), EFAULT);
	r = waitpid(pid, NULL, 0);
	CHECK(r == pid || (r == -1 && errno == ECHILD));
	UT_LOG("bad argument pointers: EFAULT; huge lengths refused");
}

static void
bad_fds(void)
{
	/* 2^32 + 1 must not alias stdout, nor 2^40 stdin. */
	static const long fds[] = { -1, -100, 1L << 20, 0x7fffffffL,
	    0x80000000L, (1L << 32) | 1, 1L << 40 };
	char c;
	unsigned i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		/* Non-blocking, harmless checks first. */
		CHECK_ERR(msg5(SYS_FCNTL, fds[i], F_GETFD, 0, 0, 0), EBADF);
		CHECK_ERR(msg5(SYS_DUP, fds[i], 0, 0, 0, 0), EBADF);
		CHECK_ERR(msg5(SYS_READ, fds[i], (unsigned long)&c, 1, 0, 0),
		    EBADF);
		CHECK_ERR(msg5(SYS_WRITE, fds[i], (unsigned long)&c, 1, 0, 0),
		    EBADF);
		CHECK_ERR(msg5(SYS_CLOSE, fds[i], 0, 0, 0, 0), EBADF);
	}
	CHECK_ERR(read(-1, &c, 1), EBADF);
	CHECK_ERR(close(1000000), EBADF);
	CHECK_ERR(dup2(1, -1), EBADF);
	UT_LOG("bad fds: EBADF");
}

static void
bad_headers(void)
{
	static const unsigned sizes[] = { 0, 63, 65, 128, 0xffffffffU };
	struct sysmsg m;
	unsigned i;

	sysmsg_init(&m, 9999);
	CHECK_ERR(sysmsg_do(&m), ENOSYS);
	CHECK_ERR(sysmsg_send(&m), ENOSYS);
	sysmsg_init(&m, 0);
	CHECK_ERR(sysmsg_do(&m), ENOSYS);
	sysmsg_init(&m, SYS_MAXCMD + 1);
	CHECK_ERR(sysmsg_do(&m), ENOSYS);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sysmsg_init(&m, SYS_GETPID);
		m.sm_size = sizes[i];
		CHECK_ERR(sysmsg_do(&m), EINVAL);
		CHECK_ERR(sysmsg_send(&m), EINVAL);
	}
	sysmsg_init(&m, SYS_GETPID);
	m.sm_flags = 1;
	CHECK_ERR(sysmsg_do(&m), EINVAL);
	m.sm_flags = 0x80000000U;
	CHECK_ERR(sysmsg_do(&m), EINVAL);
	/* The same message, repaired, works. */
	m.sm_flags = 0;
	CHECK_EQ(sysmsg_do(&m), getpid());
	CHECK_PRIM(77, 0, 0, ENOSYS);
	CHECK_PRIM(0, 0, 0, ENOSYS);
	CHECK_PRIM(5, 0, 0, ENOSYS);
	CHECK_PRIM(-1, 0, 0, ENOSYS);
	CHECK_PRIM(1L << 32 | SYSP_DOMSG, &m, 0, ENOSYS);
	UT_LOG("bad headers and primitives refused");
}

static void
unmapped_async(void)
{
	struct sysmsg *m;
	char *page, *buf;
	int p[2];
	long h, r;
	int e;

	CHECK_OK(pipe(p));
	page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	CHECK(page != MAP_FAILED);
	m = (struct sysmsg *)page;
	buf = page + 1024;
	sysmsg_init(m, SYS_READ);
	m->sm_arg[0] = (unsigned long)p[0];
	m->sm_arg[1] = (unsigned long)buf;
	m->sm_arg[2] = 8;
	h = sysmsg_send(m);
	CHECK(h > 0);
	CHECK_OK(munmap(page, PG));
	CHECK_EQ(write(p[1], "late", 4), 4);
	e = 0;
	r = __sysmsg_prim(SYSP_WAITMSG, h, 0, &e);
	CHECK_EQ(e, EFAULT);
	CHECK_EQ(r, h);
	CHECK_ERR(sysmsg_wait(h, 0), ENOENT);
	close(p[0]);
	close(p[1]);
	UT_LOG("async message unmapped before completion: EFAULT, collected");
}

static void
foreign_handle(void)
{
	struct sysmsg m;
	int hp[2], dp[2], pid;
	long h;
	char c;

	CHECK_OK(pipe(hp));
	CHECK_OK(pipe(dp));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sysmsg_init(&m, SYS_READ);
		m.sm_arg[0] = (unsigned long)dp[0];
		m.sm_arg[1] = (unsigned long)&c;
		m.sm_arg[2] = 1;
		h = sysmsg_send(&m);
		if (h <= 0)
			_exit(2);
		if (write(hp[1], &h, sizeof(h)) != sizeof(h))
			_exit(3);
		if (sysmsg_wait(h, 0) != h)
			_exit(4);
		if (m.sm_error != 0 || m.sm_result != 1 || c != 'k')
			_exit(5);
		_exit(0);
	}
	CHECK_EQ(read(hp[0], &h, sizeof(h)), sizeof(h));
	UT_LOG("child's handle %ld", h);
	CHECK_ERR(sysmsg_wait(h, SYSMSG_NOWAIT), ENOENT);
	CHECK_ERR(sysmsg_wait(h, 0), ENOENT);
	CHECK_ERR(sysmsg_abort(h), ENOENT);
	CHECK_EQ(write(dp[1], "k", 1), 1);
	CHECK_EXIT(pid, 0);
	close(hp[0]);
	close(hp[1]);
	close(dp[0]);
	close(dp[1]);
	UT_LOG("another process's handle: ENOENT");
}

int
main(void)
{
	UT_INIT();
	bad_addresses();
	bad_messages();
	bad_arguments();
	bad_fds();
	bad_headers();
	unmapped_async();
	foreign_handle();
	CHECK(getpid() > 0);
	return (0);
}
