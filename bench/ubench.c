/*
 * ubench: the user-level benchmarks of `make bench` (tools/bench.sh).
 * init runs it in bench mode (ubench=ubench on the kernel command line).
 *
 * Each figure is the median over RUNS runs of the average cost of one
 * operation over a batch, in TSC ticks read with rdtsc around the
 * batch.  Under TCG with -icount shift=0 one tick is one guest
 * instruction, so the figure is an instruction count; under KVM it is
 * cycles.  Output: "BENCH name value runs description" lines, then
 * "BENCH-END"; a figure that cannot be measured prints "n/a".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define RUNS	5

static inline unsigned long
ticks(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (((unsigned long)hi << 32) | lo);
}

static int
cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return (x < y ? -1 : x > y);
}

/* Median over RUNS of fn(n)'s per-operation cost; 0 if fn failed. */
static unsigned long
measure(int (*fn)(int), int n)
{
	unsigned long v[RUNS], t0;

	if (fn(n > 10 ? 10 : n) != 0)		/* warm up */
		return (0);
	for (int r = 0; r < RUNS; r++) {
		t0 = ticks();
		if (fn(n) != 0)
			return (0);
		v[r] = (ticks() - t0) / (unsigned long)n;
	}
	qsort(v, RUNS, sizeof(v[0]), cmp_ul);
	return (v[RUNS / 2]);
}

static int
b_getppid(int n)
{
	for (int i = 0; i < n; i++)
		if (getppid() <= 0)
			return (-1);
	return (0);
}

static int
b_forkwait(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return (-1);
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &st, 0) != pid || st != 0)
			return (-1);
	}
	return (0);
}

static int
b_forkexec(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return (-1);
		if (pid == 0) {
			execl("/usr/bench/nop", "nop", NULL);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || st != 0)
			return (-1);
	}
	return (0);
}

/* One byte there and back between two processes, n times. */
static int
b_pipe(int n)
{
	int ab[2], ba[2], st;
	char c = 'x';
	pid_t pid;

	if (pipe(ab) != 0 || pipe(ba) != 0)
		return (-1);
	pid = fork();
	if (pid < 0)
		return (-1);
	if (pid == 0) {
		for (int i = 0; i < n; i++) {
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	for (int i = 0; i < n; i++) {
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return (-1);
	}
	close(ab[0]);
	close(ab[1]);
	close(ba[0]);
	close(ba[1]);
	if (waitpid(pid, &st, 0) != pid || st != 0)
		return (-1);
	return (0);
}

static void
report(const char *name, int (*fn)(int), int n, const char *desc)
{
	unsigned long v = measure(fn, n);

	if (v == 0)
		printf("BENCH %s n/a %d %s (failed: %s)\n", name, RUNS, desc,
		    strerror(errno));
	else
		printf("BENCH %s %lu %d %s\n", name, v, RUNS, desc);
	fflush(stdout);
}

int
main(void)
{
	report("u_getppid", b_getppid, 20000,
	    "null message syscall round trip (getppid through libc)");
	report("u_pipe_rt", b_pipe, 2000,
	    "pipe round trip between two processes, 1 byte");
	report("u_fork_wait", b_forkwait, 100, "fork + exit + wait");
	report("u_fork_exec", b_forkexec, 50,
	    "fork + exec of a small static program + wait");
	printf("BENCH-END\n");
	return (0);
}
