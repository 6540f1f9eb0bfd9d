/*
 * faults - CPU exceptions in user mode become the right signal.
 *
 * Each case runs in a child that does one bad thing; the parent checks
 * the wait status names the expected signal (default action: die), and
 * that it is itself unaffected (its memory and a later fork still work).
 *   NULL write, write to mprotect(PROT_READ) memory, read of a kernel
 *   address, jump to non-executable memory, jump to a non-canonical
 *   address, hlt (privileged, #GP)           -> SIGSEGV
 *   ud2 (__builtin_trap)                       -> SIGILL
 *   integer divide by zero, INT_MIN / -1       -> SIGFPE
 *   int3                                       -> SIGTRAP
 * Finally a child with a SIGSEGV handler that _exit()s with a code:
 * fault signals reach handlers too.
 */
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "utest.h"

static volatile int zero = 0;
static volatile int minus_one = -1;
static volatile int sink;

static void
f_null_write(void)
{
	*(volatile int *)0 = 1;
}

static void
f_readonly_write(void)
{
	volatile int *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	if (p == MAP_FAILED)
		_exit(90);
	p[0] = 5;
	if (mprotect((void *)p, 4096, PROT_READ) != 0)
		_exit(91);
	if (p[0] != 5)
		_exit(92);
	p[1] = 6;
}

static void
f_kernel_read(void)
{
	sink = *(volatile int *)0xffff800000001000UL;
}

static void
f_exec_nx(void)
{
	unsigned char *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	if (p == MAP_FAILED)
		_exit(90);
	p[0] = 0xc3;		/* ret */
	((void (*)(void))p)();
}

static void
f_noncanonical(void)
{
	((void (*)(void))0x0000900000000000UL)();
}

static void
f_hlt(void)
{
	__asm__ volatile("hlt");
}

static void
f_ud2(void)
{
	__builtin_trap();
}

static void
f_div0(void)
{
	sink = 10 / zero;
}

static void
f_divov(void)
{
	sink = INT_MIN / minus_one;
}

static void
f_int3(void)
{
	__asm__ volatile("int3");
}

static void
on_segv(int sig)
{
	_exit(sig == SIGSEGV ? 77 : 78);
}

static void
f_caught(void)
{
	signal(SIGSEGV, on_segv);
	*(volatile int *)8 = 1;
}

static const struct fcase {
	const char	*name;
	void		(*fn)(void);
	int		sig;	/* expected signal, or 0: exit code 77 */
} cases[] = {
	{ "null write", f_null_write, SIGSEGV },
	{ "read-only write", f_readonly_write, SIGSEGV },
	{ "kernel read", f_kernel_read, SIGSEGV },
	{ "exec non-exec page", f_exec_nx, SIGSEGV },
	{ "non-canonical jump", f_noncanonical, SIGSEGV },
	{ "hlt", f_hlt, SIGSEGV },
	{ "ud2", f_ud2, SIGILL },
	{ "divide by zero", f_div0, SIGFPE },
	{ "INT_MIN / -1", f_divov, SIGFPE },
	{ "int3", f_int3, SIGTRAP },
	{ "caught SIGSEGV", f_caught, 0 },
};

int
main(void)
{
	volatile int canary[64];
	unsigned int i;
	int pid, j;

	UT_INIT();
	for (j = 0; j < 64; j++)
		canary[j] = j * 3;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			cases[i].fn();
			_exit(99);	/* survived: wrong */
		}
		UT_LOG("%s", cases[i].name);
		if (cases[i].sig != 0)
			CHECK_SIGNALED(pid, cases[i].sig);
		else
			CHECK_EXIT(pid, 77);
	}
	for (j = 0; j < 64; j++)
		CHECK_EQ(canary[j], j * 3);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK_EXIT(pid, 0);
	UT_LOG("parent unaffected");
	return (0);
}
