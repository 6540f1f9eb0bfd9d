/*
 * shootdown: TLB shootdown for a process whose threads run on several
 * CPUs.  A second thread reads (or writes) a page in a tight loop, so
 * its CPU holds the translation in its TLB; the main thread then
 * unmaps (or write-protects) the page.  When munmap/mprotect returns,
 * no CPU may still use the old translation: the looping thread's next
 * access must fault, and the process must die of SIGSEGV.  If the
 * shootdown were missing, the loop would go on reading the stale
 * translation and the child would exit with status 42 instead.
 */
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/msgcall.h>
#include <sys/wait.h>

#include "utest.h"

#define STACKSZ	(64 * 1024)

static volatile unsigned long loops;
static volatile int *page;
static volatile int writer;

static void
looper(void *arg)
{
	unsigned long sum = 0;

	for (;;) {
		if (writer)
			page[1] = (int)loops;
		else
			sum += page[0];
		loops++;
	}
	(void)sum;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* In the child: start the looper, wait until it runs, pull the page. */
static void
child(int protect)
{
	struct sysmsg tm;
	char *stack;
	long long t0;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	stack = mmap(NULL, STACKSZ, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	if (page == MAP_FAILED || stack == MAP_FAILED)
		_exit(40);
	page[0] = 1;
	writer = protect;
	sysmsg_init(&tm, SYS_THREAD_CREATE);
	tm.sm_arg[0] = (unsigned long)looper;
	tm.sm_arg[1] = (unsigned long)(stack + STACKSZ);
	tm.sm_arg[2] = 0;
	if (sysmsg_do(&tm) <= 0)
		_exit(41);
	t0 = now_ms();
	while (loops < 100000 && now_ms() - t0 < 10000)
		;
	if (protect) {
		if (mprotect((void *)page, 4096, PROT_READ) != 0)
			_exit(43);
	} else {
		if (munmap((void *)page, 4096) != 0)
			_exit(43);
	}
	/* The looper must fault now; give it plenty of time. */
	t0 = now_ms();
	while (now_ms() - t0 < 5000)
		;
	_exit(42);
}

static void
run(int protect, const char *what)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		child(protect);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	if (!WIFSIGNALED(st))
		UT_LOG("%s: child exited with status %d", what,
		    WEXITSTATUS(st));
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	UT_LOG("%s: the other thread faulted at once (SIGSEGV)", what);
}

int
main(void)
{
	UT_INIT();
	run(0, "munmap under a reading thread");
	run(1, "mprotect under a writing thread");
	return (0);
}
