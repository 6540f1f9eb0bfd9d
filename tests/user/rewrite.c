/*
 * rewrite - a second thread rewrites a message while the main thread
 * keeps issuing it.  The kernel copies a message in once, so each call
 * must be one of the requests the message ever spelled:
 *
 *   sm_cmd  in { SYS_GETPID (1), SYS_LSEEK (19), 0xff (unknown) }
 *   sm_arg  = { fd, 5 or 9, SEEK_SET }   (ignored by SYS_GETPID)
 *   sm_size in { 64, 63 }
 *
 * so every result is our pid, 5, 9, ENOSYS or EINVAL.  Every value that
 * changes differs from its alternatives in one byte only: the kernel may
 * copy the message in byte by byte, and a torn copy of wider values
 * would spell requests nobody wrote (0x270f and 0x0001 tear into 0x000f,
 * SYS_READ).  The thread
 * (SYS_THREAD_CREATE through the native API, its own mmap'd stack, one
 * argument) uses only __sysmsg_prim so it never touches errno, and ends
 * with SYS_THREAD_EXIT.  While it runs, fork() gives a child with only
 * the calling thread (PS_NTHREADS 1), and a child that execs while a
 * second thread spins ends up a single-threaded new program.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/msgcall.h>
#include <sys/wait.h>

#include "utest.h"

#define STACKSZ	(64 * 1024)

struct shared {
	struct sysmsg	msg;		/* the message under attack */
	volatile int	stop;		/* main -> thread */
	volatile int	done;		/* thread -> main */
	volatile long	tid;		/* thread's own SYS_GETTID */
	volatile long	loops;
};

static void
rewriter(void *arg)
{
	struct shared *sh = arg;
	volatile struct sysmsg *m = &sh->msg;
	static const unsigned cmds[3] = { SYS_GETPID, SYS_LSEEK, 0xff };
	struct sysmsg own;
	unsigned long i;
	int err;

	own.sm_cmd = SYS_GETTID;
	own.sm_size = sizeof(own);
	own.sm_flags = 0;
	sh->tid = __sysmsg_prim(SYSP_DOMSG, (long)&own, 0, &err);
	for (i = 0; !sh->stop; i++) {
		m->sm_cmd = cmds[i % 3];
		m->sm_arg[1] = (i & 4) ? 9 : 5;
		m->sm_size = (i % 7 == 0) ? 63 : sizeof(struct sysmsg);
		sh->loops = i;
		if (i % 997 == 996) {
			/* On one CPU, let the main thread see this state. */
			own.sm_cmd = SYS_NANOSLEEP;
			own.sm_arg[0] = 0;
			(void)__sysmsg_prim(SYSP_DOMSG, (long)&own, 0, &err);
		}
	}
	m->sm_size = sizeof(struct sysmsg);
	sh->done = 1;
	own.sm_cmd = SYS_THREAD_EXIT;
	(void)__sysmsg_prim(SYSP_DOMSG, (long)&own, 0, &err);
	for (;;)
		;	/* not reached */
}

/* A second thread that only spins (exec must end it). */
static void
spinner(void *arg)
{
	for (;;)
		;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
main(void)
{
	static struct shared sh;
	struct sysmsg tm, yield;
	long n[5], r, tid, iters;
	long long t0;
	char *stack, *stack2;
	int fd, pid, i, mypid;

	UT_INIT();
	mypid = getpid();
	fd = open("/usr/tests/rewrite", O_RDONLY);
	CHECK(fd >= 0);
	sysmsg_init(&sh.msg, SYS_GETPID);
	sh.msg.sm_arg[0] = (unsigned long)fd;
	sh.msg.sm_arg[1] = 5;
	sh.msg.sm_arg[2] = SEEK_SET;
	stack = mmap(NULL, STACKSZ, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(stack != MAP_FAILED);
	stack2 = mmap(NULL, STACKSZ, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK(stack2 != MAP_FAILED);
	sysmsg_init(&tm, SYS_THREAD_CREATE);
	tm.sm_arg[0] = (unsigned long)rewriter;
	tm.sm_arg[1] = (unsigned long)(stack + STACKSZ);
	tm.sm_arg[2] = (unsigned long)&sh;
	tid = sysmsg_do(&tm);
	CHECK(tid > 0);
	UT_LOG("thread %ld started", tid);

	sysmsg_init(&yield, SYS_NANOSLEEP);
	memset(n, 0, sizeof(n));
	t0 = now_ms();
	for (iters = 0; ; iters++) {
		r = sysmsg_do(&sh.msg);
		if (r == mypid)
			n[0]++;
		else if (r == 5 || r == 9)
			n[1]++;
		else if (r == -1 && errno == ENOSYS)
			n[2]++;
		else if (r == -1 && errno == EINVAL)
			n[3]++;
		else
			UT_FAIL("call %ld: result %ld errno %d", iters, r,
			    r == -1 ? errno : 0);
		if (iters >= 20000 && n[0] && n[1] && n[2] && n[3])
			break;
		if ((iters & 255) == 255)
			(void)sysmsg_do(&yield);	/* let the writer run */
		if ((iters & 1023) == 0 && now_ms() - t0 > 30000)
			break;
	}
	UT_LOG("%ld calls: pid %ld, lseek %ld, ENOSYS %ld, EINVAL %ld; "
	    "thread loops %ld", iters, n[0], n[1], n[2], n[3], sh.loops);
	CHECK(n[0] > 0 && n[1] > 0 && n[2] > 0 && n[3] > 0);
	CHECK(sh.tid > 0);
	CHECK_EQ(sh.tid, tid);

	/* Two threads: the child of fork has only the calling thread. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct sysmsg pm;
		struct sysel el[1] = { { PS_NTHREADS, 0, 0 } };

		sysmsg_init(&pm, SYS_PSINFO);
		pm.sm_arg[0] = (unsigned long)getpid();
		pm.sm_arg[1] = (unsigned long)el;
		pm.sm_arg[2] = 1;
		if (sysmsg_do(&pm) != getpid() || el[0].el_len != 8)
			_exit(9);
		_exit(el[0].el_val == 1 ? 7 : 8);
	}
	CHECK_EXIT(pid, 7);
	/* exec from a threaded process: the other thread is ended. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct sysmsg cm;

		sysmsg_init(&cm, SYS_THREAD_CREATE);
		cm.sm_arg[0] = (unsigned long)spinner;
		cm.sm_arg[1] = (unsigned long)(stack2 + STACKSZ);
		if (sysmsg_do(&cm) <= 0)
			_exit(10);
		execl("/bin/true", "true", NULL);
		_exit(11);
	}
	CHECK_EXIT(pid, 0);
	UT_LOG("fork and exec from a threaded process: single-threaded");

	sh.stop = 1;
	for (i = 0; i < 1000 && !sh.done; i++)
		usleep(5000);
	CHECK(sh.done);
	/* Once the thread is gone fork works again. */
	for (i = 0; i < 200; i++) {
		pid = fork();
		if (pid >= 0 || errno != EINVAL)
			break;
		usleep(10000);
	}
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(6);
	CHECK_EXIT(pid, 6);
	/* The descriptor and the process are fine. */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR) == 5 || lseek(fd, 0, SEEK_CUR) == 9, 1);
	CHECK_OK(close(fd));
	CHECK_OK(munmap(stack, STACKSZ));
	CHECK_EQ(getpid(), mypid);
	UT_LOG("thread exited, fork works");
	return (0);
}
