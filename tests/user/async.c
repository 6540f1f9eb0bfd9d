/*
 * async - asynchronous messages: sysmsg_send / sysmsg_wait / sysmsg_abort.
 *
 * (1) two SYS_READ messages in flight on two pipes; a child writes the
 *     second pipe first: sysmsg_wait(0, 0) collects the second message
 *     first, then the first; each message holds its own sm_result and
 *     the data landed in its own buffer;
 * (2) SYSMSG_NOWAIT with a message in flight but not done: EAGAIN;
 *     collecting by handle works;
 * (3) sysmsg_abort of a blocked read: the collected message has
 *     sm_error EINTR; abort of a collected handle: ENOENT;
 * (4) waiting on a bogus handle, or on 0 with nothing in flight: ENOENT;
 * (5) at most SYSMSG_MAXASYNC in flight: one more is refused;
 * (6) a child exits with reads still in flight: the parent sees a normal
 *     exit and carries on (a fresh async read works).
 */
#include <signal.h>
#include <unistd.h>
#include <sys/msgcall.h>
#include <sys/wait.h>

#include "utest.h"

static void
read_msg(struct sysmsg *m, int fd, void *buf, long len)
{
	sysmsg_init(m, SYS_READ);
	m->sm_arg[0] = (unsigned long)fd;
	m->sm_arg[1] = (unsigned long)buf;
	m->sm_arg[2] = (unsigned long)len;
}

static void
two_in_flight(void)
{
	struct sysmsg m1, m2;
	char b1[16], b2[16];
	int p1[2], p2[2], go[2], pid;
	long h1, h2;

	CHECK_OK(pipe(p1));
	CHECK_OK(pipe(p2));
	memset(b1, 0, sizeof(b1));
	memset(b2, 0, sizeof(b2));
	read_msg(&m1, p1[0], b1, sizeof(b1));
	read_msg(&m2, p2[0], b2, sizeof(b2));
	m1.sm_result = m2.sm_result = -5;
	h1 = sysmsg_send(&m1);
	CHECK(h1 > 0);
	h2 = sysmsg_send(&m2);
	CHECK(h2 > 0);
	CHECK(h1 != h2);
	CHECK_ERR(sysmsg_wait(0, SYSMSG_NOWAIT), EAGAIN);
	CHECK_ERR(sysmsg_wait(h1, SYSMSG_NOWAIT), EAGAIN);
	CHECK_OK(pipe(go));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* Second pipe first; the first only when told. */
		usleep(100000);
		if (write(p2[1], "second", 6) != 6)
			_exit(2);
		if (read(go[0], b1, 1) != 1)
			_exit(4);
		if (write(p1[1], "first!!", 7) != 7)
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	CHECK_EQ(sysmsg_wait(0, 0), h2);
	CHECK_EQ(write(go[1], "n", 1), 1);
	close(go[1]);
	CHECK_EQ(m2.sm_error, 0);
	CHECK_EQ(m2.sm_result, 6);
	CHECK(memcmp(b2, "second", 6) == 0);
	CHECK_EQ(m1.sm_result, -5);	/* not written before its collection */
	CHECK_EQ(sysmsg_wait(0, 0), h1);
	CHECK_EQ(m1.sm_error, 0);
	CHECK_EQ(m1.sm_result, 7);
	CHECK(memcmp(b1, "first!!", 7) == 0);
	CHECK_ERR(sysmsg_wait(0, SYSMSG_NOWAIT), ENOENT);
	CHECK_ERR(sysmsg_wait(0, 0), ENOENT);
	CHECK_ERR(sysmsg_wait(h1, 0), ENOENT);
	CHECK_EXIT(pid, 0);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	UT_LOG("two reads completed out of order, results in place");
}

static void
abort_and_bogus(void)
{
	struct sysmsg m;
	char buf[8];
	int p[2];
	long h;

	CHECK_OK(pipe(p));
	read_msg(&m, p[0], buf, sizeof(buf));
	h = sysmsg_send(&m);
	CHECK(h > 0);
	usleep(20000);
	CHECK_ERR(sysmsg_wait(h, SYSMSG_NOWAIT), EAGAIN);
	CHECK_OK(sysmsg_abort(h));
	CHECK_EQ(sysmsg_wait(h, 0), h);
	CHECK_EQ(m.sm_error, EINTR);
	CHECK_ERR(sysmsg_abort(h), ENOENT);
	CHECK_ERR(sysmsg_wait(h, 0), ENOENT);
	CHECK_ERR(sysmsg_wait(h + 1000, 0), ENOENT);
	/* A negative handle is never in flight (EINVAL tolerated). */
	errno = 0;
	CHECK(sysmsg_wait(-3, 0) == -1 && (errno == ENOENT || errno == EINVAL));
	CHECK_ERR(sysmsg_abort(12345), ENOENT);
	/* The pipe is still usable; nothing was consumed. */
	CHECK_EQ(write(p[1], "ok", 2), 2);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2);
	close(p[0]);
	close(p[1]);
	UT_LOG("abort gives EINTR; bogus handles ENOENT");
}

static void
limit(void)
{
	static struct sysmsg ms[SYSMSG_MAXASYNC + 1];
	static long hs[SYSMSG_MAXASYNC + 1];
	char buf[SYSMSG_MAXASYNC + 1];
	int p[2], i;

	CHECK_OK(pipe(p));
	for (i = 0; i < SYSMSG_MAXASYNC; i++) {
		read_msg(&ms[i], p[0], &buf[i], 1);
		hs[i] = sysmsg_send(&ms[i]);
		if (hs[i] <= 0)
			UT_FAIL("send %d: errno %d", i, errno);
	}
	read_msg(&ms[i], p[0], &buf[i], 1);
	CHECK_ERR(sysmsg_send(&ms[i]), EAGAIN);
	for (i = 0; i < SYSMSG_MAXASYNC; i++)
		CHECK_OK(sysmsg_abort(hs[i]));
	for (i = 0; i < SYSMSG_MAXASYNC; i++) {
		CHECK_EQ(sysmsg_wait(hs[i], 0), hs[i]);
		CHECK_EQ(ms[i].sm_error, EINTR);
	}
	CHECK_ERR(sysmsg_wait(0, 0), ENOENT);
	close(p[0]);
	close(p[1]);
	UT_LOG("%d in flight, one more refused", SYSMSG_MAXASYNC);
}

static void
exit_in_flight(void)
{
	struct sysmsg m[4], mm;
	char buf[4][8], c;
	int p[2], q[2], pid, i;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (i = 0; i < 4; i++) {
			read_msg(&m[i], i < 2 ? p[0] : q[0], buf[i], 8);
			if (sysmsg_send(&m[i]) <= 0)
				_exit(2);
		}
		_exit(9);
	}
	CHECK_EXIT(pid, 9);
	/* The pipes are intact and ours alone now. */
	CHECK_EQ(write(p[1], "A", 1), 1);
	read_msg(&mm, p[0], &c, 1);
	CHECK(sysmsg_send(&mm) > 0);
	CHECK(sysmsg_wait(0, 0) > 0);
	CHECK_EQ(mm.sm_error, 0);
	CHECK_EQ(mm.sm_result, 1);
	CHECK_EQ(c, 'A');
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	UT_LOG("child exited with reads in flight; parent fine");
}

int
main(void)
{
	UT_INIT();
	two_in_flight();
	abort_and_bogus();
	limit();
	exit_in_flight();
	return (0);
}
