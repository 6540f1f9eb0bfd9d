/*
 * mmap - anonymous memory: mmap, munmap, mprotect, brk, sharing.
 *
 * (1) a 16-page anonymous mapping is zero-filled, readable and writable;
 *     distinct mappings do not overlap;
 * (2) munmap of one page in the middle leaves its neighbours intact and
 *     makes that page fault (SIGSEGV in a child); munmap of the rest;
 * (3) mprotect(PROT_NONE) faults on read (child), PROT_READ faults on
 *     write (child), back to read/write keeps the contents;
 * (4) bad arguments: length 0, unaligned munmap/mprotect -> EINVAL;
 * (5) the break, through raw SYS_BRK messages: grows by 64 KiB (zeroed,
 *     usable), an absurd request leaves it where it was, shrinking makes
 *     the released pages fault (child);
 * (6) after fork a MAP_SHARED|MAP_ANON page is shared both ways while a
 *     MAP_PRIVATE page is not.
 */
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/msgcall.h>
#include <sys/wait.h>

#include "utest.h"

#define PG	4096L

/* Run fn(arg) in a child; it must die of signal sig. */
static void
expect_fault(void (*fn)(volatile char *), volatile char *arg, int sig)
{
	int pid;

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		fn(arg);
		_exit(99);
	}
	CHECK_SIGNALED(pid, sig);
}

static void
do_read(volatile char *p)
{
	char c;

	c = *p;
	(void)c;
}

static void
do_write(volatile char *p)
{
	*p = 1;
}

static void
basic(void)
{
	volatile char *p, *q;
	long i;

	p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(((unsigned long)p & (PG - 1)) == 0);
	q = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(q != MAP_FAILED);
	CHECK(q + 16 * PG <= p || p + 16 * PG <= q);
	for (i = 0; i < 16 * PG; i++)
		CHECK_EQ(p[i], 0);
	for (i = 0; i < 16 * PG; i += 512) {
		p[i] = (char)(i / 512);
		q[i] = (char)~(i / 512);
	}
	for (i = 0; i < 16 * PG; i += 512) {
		CHECK_EQ(p[i], (char)(i / 512));
		CHECK_EQ(q[i], (char)~(i / 512));
	}
	/* Punch a hole in the middle. */
	CHECK_OK(munmap((void *)(p + 5 * PG), PG));
	CHECK_EQ(p[4 * PG], (char)(4 * PG / 512));
	CHECK_EQ(p[6 * PG], (char)(6 * PG / 512));
	expect_fault(do_read, p + 5 * PG, SIGSEGV);
	expect_fault(do_write, p + 5 * PG + 100, SIGSEGV);
	CHECK_OK(munmap((void *)p, 5 * PG));
	CHECK_OK(munmap((void *)(p + 6 * PG), 10 * PG));
	expect_fault(do_read, p, SIGSEGV);
	expect_fault(do_read, p + 15 * PG, SIGSEGV);
	CHECK_OK(munmap((void *)q, 16 * PG));
	UT_LOG("mmap/munmap ok");
}

static void
protect(void)
{
	volatile char *p;

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'a';
	p[PG] = 'b';
	CHECK_OK(mprotect((void *)p, PG, PROT_NONE));
	expect_fault(do_read, p, SIGSEGV);
	CHECK_EQ(p[PG], 'b');
	{
		/* The kernel cannot read a PROT_NONE page for us either. */
		int fds[2];
		char got[2];

		CHECK_OK(pipe(fds));
		CHECK_ERR(write(fds[1], (void *)p, 4), EFAULT);
		CHECK_EQ(write(fds[1], "xy", 2), 2);
		/* Refused before the pipe is touched: nothing is lost. */
		CHECK_ERR(read(fds[0], (void *)p, 2), EFAULT);
		CHECK_EQ(read(fds[0], got, 2), 2);
		CHECK(got[0] == 'x' && got[1] == 'y');
		close(fds[0]);
		close(fds[1]);
	}
	CHECK_OK(mprotect((void *)p, 2 * PG, PROT_READ));
	CHECK_EQ(p[0], 'a');
	expect_fault(do_write, p, SIGSEGV);
	expect_fault(do_write, p + PG, SIGSEGV);
	CHECK_OK(mprotect((void *)p, 2 * PG, PROT_READ | PROT_WRITE));
	p[0] = 'c';
	CHECK_EQ(p[0], 'c');
	CHECK_EQ(p[PG], 'b');
	CHECK_OK(munmap((void *)p, 2 * PG));
	UT_LOG("mprotect ok");
}

static void
bad_args(void)
{
	char *p;

	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0),
	    EINVAL);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(munmap(p + 1, PG), EINVAL);
	CHECK_ERR(mprotect(p + 1, PG, PROT_READ), EINVAL);
	CHECK_OK(munmap(p, 2 * PG));
	UT_LOG("EINVAL cases ok");
}

static long
sys_brk(unsigned long addr)
{
	struct sysmsg m;

	sysmsg_init(&m, SYS_BRK);
	m.sm_arg[0] = addr;
	return (sysmsg_do(&m));
}

static void
brk_test(void)
{
	volatile char *b;
	long cur, r, i;

	cur = sys_brk(0);
	CHECK(cur > 0);
	UT_LOG("break at %#lx", cur);
	r = sys_brk(cur + 16 * PG);
	CHECK_EQ(r, cur + 16 * PG);
	CHECK_EQ(sys_brk(0), cur + 16 * PG);
	b = (volatile char *)cur;
	for (i = 0; i < 16 * PG; i += 256)
		CHECK_EQ(b[i], 0);
	for (i = 0; i < 16 * PG; i += 256)
		b[i] = (char)(i >> 8);
	for (i = 0; i < 16 * PG; i += 256)
		CHECK_EQ(b[i], (char)(i >> 8));
	/* Absurd: stays where it is. */
	r = sys_brk(cur + (1L << 45));
	CHECK(r == cur + 16 * PG || r == -1);
	CHECK_EQ(sys_brk(0), cur + 16 * PG);
	/* Shrink: the released pages go away. */
	CHECK_EQ(sys_brk(cur), cur);
	expect_fault(do_read, b + 8 * PG, SIGSEGV);
	/* Growing again gives zeroed memory. */
	CHECK_EQ(sys_brk(cur + 16 * PG), cur + 16 * PG);
	CHECK_EQ(b[8 * PG], 0);
	CHECK_EQ(sys_brk(cur), cur);
	UT_LOG("brk ok");
}

static void
sharing(void)
{
	volatile int *sh, *pr;
	int pid, i;

	sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
	    -1, 0);
	pr = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	CHECK(sh != MAP_FAILED && pr != MAP_FAILED);
	sh[0] = 1;
	pr[0] = 1;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* Wait for the parent's write through the shared page. */
		for (i = 0; i < 1000 && sh[1] != 2; i++)
			usleep(5000);
		if (sh[1] != 2)
			_exit(2);
		if (pr[1] != 0)
			_exit(3);
		pr[0] = 50;
		sh[0] = 40;
		_exit(0);
	}
	pr[1] = 7;
	sh[1] = 2;
	CHECK_EXIT(pid, 0);
	CHECK_EQ(sh[0], 40);
	CHECK_EQ(pr[0], 1);
	CHECK_EQ(pr[1], 7);
	CHECK_OK(munmap((void *)sh, PG));
	CHECK_OK(munmap((void *)pr, PG));
	UT_LOG("MAP_SHARED shared, MAP_PRIVATE private");
}

int
main(void)
{
	UT_INIT();
	basic();
	protect();
	bad_args();
	brk_test();
	sharing();
	return (0);
}
