/*
 * signals - delivery, default actions, handlers, masks.
 *
 * (1) default actions: children killed by SIGTERM, SIGINT, SIGKILL (sent
 *     by the parent) and by SIGTERM sent to themselves show
 *     WIFSIGNALED/WTERMSIG in the parent's wait status;
 * (2) a SIGUSR1 handler that uses the FPU itself runs many times while
 *     the main program is in a pure computation loop (a child keeps
 *     sending the signal), returns, and the computation's integer and
 *     double results are bit-for-bit the reference values;
 * (3) SIG_IGN: an ignored SIGUSR2 sent to self does nothing; a child
 *     ignoring SIGTERM survives it and then dies of SIGKILL;
 * (4) sigprocmask: a blocked SIGUSR1 stays pending (sigpending) and is
 *     delivered once when unblocked;
 * (5) SIGCHLD with a handler is delivered when a child exits;
 * (6) SIGKILL cannot be caught or ignored (EINVAL).
 */
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "utest.h"

static volatile sig_atomic_t usr1_count;
static volatile sig_atomic_t chld_count;
static volatile double handler_sink;

static void
on_usr1(int sig)
{
	volatile double a;
	int i;

	/* Disturb the FPU/SSE registers as much as a handler may. */
	a = sig * 0.3;
	for (i = 0; i < 50; i++)
		a = a * 1.7 - 0.25 / (a + 3.0);
	handler_sink = a;
	usr1_count++;
}

static void
on_chld(int sig)
{
	if (sig == SIGCHLD)
		chld_count++;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* A computation whose registers a badly restored signal would corrupt. */
static double
compute(unsigned long *ip)
{
	double x, y, z;
	unsigned long h;
	long i;

	x = 1.0;
	y = 0.5;
	z = 0.0;
	h = 1469598103934665603UL;
	for (i = 0; i < 400000; i++) {
		x = x * 1.0000001 + y;
		y = y * 0.999999 + 1e-7 * (double)(i & 7);
		z += x / (y + 1.0);
		h = (h ^ (unsigned long)i) * 1099511628211UL;
		h += (unsigned long)(z > 1e6);
	}
	*ip = h;
	return (x + y + z);
}

static int
spawn_sleeper(void)
{
	int pid;

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (;;)
			usleep(100000);
	}
	return (pid);
}

static void
default_actions(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGKILL };
	int i, pid;

	for (i = 0; i < 3; i++) {
		pid = spawn_sleeper();
		usleep(20000);
		CHECK_OK(kill(pid, sigs[i]));
		CHECK_SIGNALED(pid, sigs[i]);
	}
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(5);
	}
	CHECK_SIGNALED(pid, SIGTERM);
	UT_LOG("default actions ok");
}

static void
handler_preserves_state(void)
{
	struct sigaction sa;
	unsigned long href, h;
	double dref, d;
	long long t0;
	int pid, ppid, runs;

	dref = compute(&href);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	ppid = getpid();
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (;;) {
			if (kill(ppid, SIGUSR1) != 0)
				_exit(0);
			usleep(2000);
		}
	}
	usr1_count = 0;
	t0 = now_ms();
	runs = 0;
	while (usr1_count < 20 && now_ms() - t0 < 20000) {
		d = compute(&h);
		runs++;
		if (d != dref || h != href)
			UT_FAIL("run %d after %d signals: %.17g/%lx, want "
			    "%.17g/%lx", runs, (int)usr1_count, d, h, dref,
			    href);
	}
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(pid, SIGKILL);
	UT_LOG("%d signals during %d computations, results intact",
	    (int)usr1_count, runs);
	CHECK(usr1_count >= 20);
}

static void
ignore(void)
{
	int pid, p[2];
	char c;

	CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_OK(raise(SIGUSR2));
	CHECK(signal(SIGUSR2, SIG_DFL) == SIG_IGN);

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		(void)write(p[1], "r", 1);
		for (;;)
			usleep(100000);
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_OK(kill(pid, SIGTERM));
	usleep(100000);
	CHECK_EQ(waitpid(pid, NULL, WNOHANG), 0);
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(pid, SIGKILL);
	close(p[0]);
	close(p[1]);
	UT_LOG("SIG_IGN ok");
}

static void
masking(void)
{
	sigset_t set, old, pend;
	int before;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	CHECK(!sigismember(&old, SIGUSR1));
	before = usr1_count;
	CHECK_OK(kill(getpid(), SIGUSR1));
	usleep(10000);
	CHECK_EQ(usr1_count, before);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(usr1_count, before + 1);
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR1));
	/* SIGKILL cannot be blocked: asking for it is silently ignored. */
	sigfillset(&set);
	CHECK_OK(sigprocmask(SIG_SETMASK, &set, NULL));
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, &set));
	CHECK(!sigismember(&set, SIGKILL));
	UT_LOG("sigprocmask ok");
}

static void
sigchld(void)
{
	struct sigaction sa;
	int pid, i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	chld_count = 0;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(3);
	for (i = 0; i < 500 && chld_count == 0; i++)
		usleep(10000);
	CHECK_EQ(chld_count, 1);
	CHECK_EXIT(pid, 3);
	signal(SIGCHLD, SIG_DFL);
	UT_LOG("SIGCHLD ok");
}

static void
uncatchable(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(signal(SIGKILL, SIG_IGN), EINVAL);
	CHECK_ERR(signal(SIGKILL, on_usr1), EINVAL);
	CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(NSIG, &sa, NULL), EINVAL);
	CHECK_ERR(kill(getpid(), 1000), EINVAL);
	UT_LOG("SIGKILL uncatchable");
}

int
main(void)
{
	UT_INIT();
	default_actions();
	handler_preserves_state();
	ignore();
	masking();
	sigchld();
	uncatchable();
	return (0);
}
