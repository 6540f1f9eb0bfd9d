/*
 * fork_wait - fork, exit codes, waitpid, copy-on-write and orphans.
 *
 * (1) many children with distinct exit codes, each reaped by pid with the
 *     right WEXITSTATUS, in reverse order of creation;
 * (2) WNOHANG on a live child returns 0, ECHILD once none are left;
 * (3) copy-on-write: parent and child write the same global, heap and
 *     stack variables and each sees only its own values;
 * (4) an orphan: a grandchild whose parent exits sees getppid() become 1
 *     (adopted by init) and reports it through a pipe.
 */
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include "utest.h"

#define NCHILD	20

static volatile int g_value = 1234;

static void
many_children(void)
{
	int pids[NCHILD], i, st;

	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(10 + i);
	}
	for (i = NCHILD - 1; i >= 0; i--) {
		st = UT_WAIT(pids[i]);
		CHECK(WIFEXITED(st));
		CHECK_EQ(WEXITSTATUS(st), 10 + i);
	}
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);
	CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	UT_LOG("%d children reaped with their codes", NCHILD);
}

static void
nohang(void)
{
	int p[2], pid, st;
	char c;

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		/* Wait until the parent says go (or closes). */
		(void)read(p[0], &c, 1);
		_exit(42);
	}
	close(p[0]);
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	CHECK_EQ(waitpid(-1, &st, WNOHANG), 0);
	CHECK_EQ(write(p[1], "g", 1), 1);
	close(p[1]);
	CHECK_EXIT(pid, 42);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);
	UT_LOG("WNOHANG and ECHILD ok");
}

static void
cow(void)
{
	volatile int stackv = 77;
	volatile int *heapv;
	int pid, i;

	heapv = malloc(64 * sizeof(int));
	CHECK(heapv != NULL);
	for (i = 0; i < 64; i++)
		heapv[i] = i;
	g_value = 1234;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		g_value = 1;
		stackv = 2;
		for (i = 0; i < 64; i++)
			heapv[i] = 1000 + i;
		/* Let the parent write too, then look again. */
		usleep(50000);
		CHECK_EQ(g_value, 1);
		CHECK_EQ(stackv, 2);
		for (i = 0; i < 64; i++)
			CHECK_EQ(heapv[i], 1000 + i);
		_exit(0);
	}
	g_value = 5;
	stackv = 6;
	for (i = 0; i < 64; i++)
		heapv[i] = 2000 + i;
	CHECK_EXIT(pid, 0);
	CHECK_EQ(g_value, 5);
	CHECK_EQ(stackv, 6);
	for (i = 0; i < 64; i++)
		CHECK_EQ(heapv[i], 2000 + i);
	free((void *)heapv);
	UT_LOG("copy-on-write ok");
}

/* Grandchild: wait up to ~10 s for getppid() == 1, report it. */
static void
grandchild(int wfd, int oldppid)
{
	char msg;
	int i, pp;

	pp = getppid();
	for (i = 0; i < 1000; i++) {
		pp = getppid();
		if (pp != oldppid)
			break;
		usleep(10000);
	}
	msg = pp == 1 ? 'Y' : 'N';
	(void)write(wfd, &msg, 1);
	_exit(0);
}

static void
orphan(void)
{
	int p[2], pid, gpid, me;
	char c;

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		me = getpid();
		gpid = fork();
		if (gpid < 0)
			_exit(3);
		if (gpid == 0)
			grandchild(p[1], me);
		_exit(0);
	}
	close(p[1]);
	CHECK_EXIT(pid, 0);
	c = 0;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'Y');
	close(p[0]);
	/* The grandchild is init's child, not ours. */
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
	UT_LOG("orphan adopted by init");
}

int
main(void)
{
	UT_INIT();
	many_children();
	nohang();
	cow();
	orphan();
	return (0);
}
