/*
 * forkbomb - the process limit holds and the system recovers.
 *
 * NBOMB "bomber" children each fork as fast as they can until fork
 * fails; every process they create blocks reading the "hold" pipe.  Each
 * bomber reports (through the "report" pipe) how many it made and the
 * errno that stopped it: EAGAIN for at least one (the kernel's process
 * limit, maxproc = 96 in the whole system, is hit; bombers give back most
 * of their stacks first so the memory commit limit does not come first),
 * ENOMEM tolerated for the others; nothing crashes.  Then
 * the parent closes the hold pipe: every blocked process sees EOF and
 * exits, the bombers reap their children (counting them) and exit; the
 * parent reaps the bombers.  Afterwards fork works again, repeatedly.
 */
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "utest.h"

#define NBOMB	4
#define MAXPROC	96
#define PG	4096UL
#define STACKSZ	(8UL << 20)	/* the kernel's USTACK_SIZE */
#define STACKKEEP (256UL << 10)

struct report {
	int	made;
	int	err;
};

static void
victim(int hold)
{
	char c;

	while (read(hold, &c, 1) > 0)
		;
	_exit(0);
}

/*
 * Give back all but the top STACKKEEP bytes of our 8 MiB stack, so that
 * fork's up-front commit (which counts the whole stack) does not run out
 * of memory long before the process limit is reached.  Part of the
 * range may lie below the stack, where nothing is mapped.
 */
static void
trim_stack(void)
{
	volatile char here;
	unsigned long sp, lo, hi;

	sp = (unsigned long)&here & ~(PG - 1);
	hi = sp - STACKKEEP;
	lo = sp - STACKSZ;
	if (munmap((void *)lo, hi - lo) != 0)
		printf("# bomber: stack trim failed, errno %d\n", errno);
}

static void
bomber(int hold, int rep, int start)
{
	struct report r;
	char c;
	int pid, reaped, st;

	trim_stack();
	/* Begin only once every bomber exists. */
	if (read(start, &c, 1) != 1)
		_exit(6);
	close(start);
	r.made = 0;
	r.err = 0;
	for (;;) {
		pid = fork();
		if (pid == 0) {
			close(rep);
			victim(hold);
		}
		if (pid < 0) {
			r.err = errno;
			break;
		}
		r.made++;
		if (r.made > 10 * MAXPROC)
			break;		/* no limit at all: reported */
	}
	if (write(rep, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	close(rep);
	while (read(hold, &c, 1) > 0)
		;
	reaped = 0;
	while (wait(&st) > 0) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			_exit(3);
		reaped++;
	}
	if (errno != ECHILD)
		_exit(4);
	_exit(reaped == r.made ? 0 : 5);
}

int
main(void)
{
	struct report r;
	int hold[2], rep[2], start[2], pids[NBOMB], i, total, pid, eagain;

	UT_INIT();
	CHECK_OK(pipe(hold));
	CHECK_OK(pipe(rep));
	CHECK_OK(pipe(start));
	for (i = 0; i < NBOMB; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0) {
			close(hold[1]);
			close(rep[0]);
			close(start[1]);
			bomber(hold[0], rep[1], start[0]);
		}
	}
	close(hold[0]);
	close(rep[1]);
	close(start[0]);
	CHECK_EQ(write(start[1], "gggggggg", NBOMB), NBOMB);
	close(start[1]);
	total = 0;
	eagain = 0;
	for (i = 0; i < NBOMB; i++) {
		CHECK_EQ(read(rep[0], &r, sizeof(r)), sizeof(r));
		UT_LOG("bomber: %d forks, then errno %d", r.made, r.err);
		CHECK(r.err == EAGAIN || r.err == ENOMEM);
		if (r.err == EAGAIN)
			eagain++;
		total += r.made;
	}
	CHECK(eagain > 0);
	UT_LOG("%d processes created in all", total);
	CHECK(total > 0);
	CHECK(total + NBOMB < MAXPROC);
	/* The system is full: our fork fails too (unless someone exited). */
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		UT_LOG("note: a slot was free after all");
		CHECK_EXIT(pid, 0);
	} else
		CHECK(errno == EAGAIN || errno == ENOMEM);
	/* Release everyone. */
	close(hold[1]);
	for (i = 0; i < NBOMB; i++)
		CHECK_EXIT(pids[i], 0);
	close(rep[0]);
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
	for (i = 0; i < 20; i++) {
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0)
			_exit(i);
		CHECK_EXIT(pid, i);
	}
	UT_LOG("all reaped; fork works again");
	return (0);
}
