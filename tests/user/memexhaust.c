/*
 * memexhaust - running out of memory is an error, not a crash, and the
 * memory comes back.
 *
 * Round 1: a child maps 1 MiB anonymous chunks until mmap fails, which
 * must be ENOMEM (memory is committed at mmap time), writing every page
 * of them for the first TOUCH_MS milliseconds and the first page of each
 * after that (the nested hypervisor of our build machines takes a page
 * fault per 100 us or so: touching 400 MiB would not end in time); it
 * reads every written page back
 * (each holds its own tag), gives back SLACK MiB so the system can
 * breathe, reports the count and waits.  Meanwhile the parent can still
 * fork a child and malloc a little.  Then the child exits.
 * Round 2: a fresh child does the same; it must get about as much
 * (within max(8 MiB, 10%)) as round 1: the first child's memory was
 * returned when it exited.
 */
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "utest.h"

#define MB	(1024L * 1024)
#define PG	4096L
#define MAXCH	65536
#define SLACK	32	/* MiB: a fork commits an 8 MiB stack */
#define TOUCH_MS 4000	/* write every page for this long */

static char *chunks[MAXCH];
static long touched;	/* chunks written in full */

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Child: exhaust, verify, report count (or -errno) on rep, wait on go. */
static void
hog(int rep, int go)
{
	long n, i, k, res, lim;
	long long t0 = now_ms();
	char c;

	for (n = 0; n < MAXCH; n++) {
		chunks[n] = mmap(NULL, MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANON, -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		lim = now_ms() - t0 < TOUCH_MS ? MB : PG;
		if (lim == MB)
			touched = n + 1;
		for (k = 0; k < lim; k += PG)
			*(long *)(chunks[n] + k) = n * 1000 + k / PG;
	}
	res = n;
	if (n == MAXCH || errno != ENOMEM)
		res = -(long)errno;
	for (i = 0; i < n && res >= 0; i++) {
		lim = i < touched ? MB : PG;
		for (k = 0; k < lim; k += PG)
			if (*(long *)(chunks[i] + k) != i * 1000 + k / PG)
				res = -1000;
	}
	for (i = n - 1; i >= 0 && i >= n - SLACK; i--)
		munmap(chunks[i], MB);
	(void)write(rep, &res, sizeof(res));
	(void)read(go, &c, 1);
	_exit(0);
}

static long
round_(int round)
{
	int rep[2], go[2], pid, small;
	long got;
	char *p;

	CHECK_OK(pipe(rep));
	CHECK_OK(pipe(go));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(rep[0]);
		close(go[1]);
		hog(rep[1], go[0]);
	}
	close(rep[1]);
	close(go[0]);
	CHECK_EQ(read(rep[0], &got, sizeof(got)), sizeof(got));
	UT_LOG("round %d: %ld MiB before ENOMEM", round, got);
	CHECK(got >= 0);
	CHECK(got > SLACK);
	/* While the hog holds its memory we can still work a little. */
	p = malloc(64 * 1024);
	CHECK(p != NULL);
	memset(p, 7, 64 * 1024);
	free(p);
	small = fork();
	CHECK(small >= 0);
	if (small == 0)
		_exit(17);
	CHECK_EXIT(small, 17);
	CHECK_EQ(write(go[1], "g", 1), 1);
	CHECK_EXIT(pid, 0);
	close(rep[0]);
	close(go[1]);
	return (got);
}

int
main(void)
{
	long a, b, tol;

	UT_INIT();
	a = round_(1);
	b = round_(2);
	tol = a / 10 > 8 ? a / 10 : 8;
	UT_LOG("rounds: %ld and %ld MiB (tolerance %ld)", a, b, tol);
	CHECK(b >= a - tol && b <= a + tol);
	return (0);
}
