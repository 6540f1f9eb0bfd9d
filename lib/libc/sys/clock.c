/*
 * Clocks and sleeping over SYS_CLOCK_GETTIME and SYS_NANOSLEEP, both of
 * which speak in 64-bit nanoseconds: time(), gettimeofday(),
 * clock_gettime(), nanosleep(), sleep(), usleep(), sched_yield().
 *
 * SYS_NANOSLEEP interrupted by a signal fails with EINTR and still
 * carries the nanoseconds left in its result, so nanosleep() uses the
 * raw call to see both.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "emul.h"

#define NS_PER_SEC	1000000000LL

int
clock_gettime(clockid_t clk, struct timespec *ts)
{
	long ns;

	if ((ns = __sm_call(SYS_CLOCK_GETTIME, clk, 0, 0, 0, 0)) == -1)
		return (-1);
	ts->tv_sec = ns / NS_PER_SEC;
	ts->tv_nsec = ns % NS_PER_SEC;
	return (0);
}

time_t
time(time_t *tp)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return ((time_t)-1);
	if (tp != NULL)
		*tp = ts.tv_sec;
	return (ts.tv_sec);
}

int
gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return (-1);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return (0);
}

/*
 * Sleep for *req; EINVAL for a negative or malformed time.  On EINTR the
 * time left is stored in *rem when rem is not NULL.  A request too long
 * for 64-bit nanoseconds (over 292 years) is clamped.
 */
int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	int64_t ns;
	long left;
	int err;

	if (req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= NS_PER_SEC) {
		errno = EINVAL;
		return (-1);
	}
	if (req->tv_sec >= INT64_MAX / NS_PER_SEC)
		ns = INT64_MAX;
	else
		ns = req->tv_sec * NS_PER_SEC + req->tv_nsec;
	left = __sm_call_raw(SYS_NANOSLEEP, (uint64_t)ns, 0, 0, &err);
	if (err == 0)
		return (0);
	if (err == EINTR && rem != NULL) {
		if (left < 0)
			left = 0;
		rem->tv_sec = left / NS_PER_SEC;
		rem->tv_nsec = left % NS_PER_SEC;
	}
	errno = err;
	return (-1);
}

/* Returns 0, or the seconds left (rounded up) if a signal woke us. */
unsigned int
sleep(unsigned int secs)
{
	struct timespec req, rem;

	req.tv_sec = secs;
	req.tv_nsec = 0;
	if (nanosleep(&req, &rem) == 0)
		return (0);
	if (errno != EINTR)
		return (secs);
	return ((unsigned int)rem.tv_sec + (rem.tv_nsec != 0 ? 1 : 0));
}

int
usleep(useconds_t usecs)
{
	struct timespec req;

	req.tv_sec = usecs / 1000000;
	req.tv_nsec = (long)(usecs % 1000000) * 1000;
	return (nanosleep(&req, NULL));
}

/* A zero-length sleep gives up the CPU. */
int
sched_yield(void)
{
	int err;

	(void)__sm_call_raw(SYS_NANOSLEEP, 0, 0, 0, &err);
	return (0);
}
