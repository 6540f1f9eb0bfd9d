/*
 * Wall-clock time.  nanouptime() (sys/sys/md.h) is monotonic since boot;
 * getnanotime() adds the real time read from the platform clock at boot,
 * for file timestamps.
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

struct timespec {
	int64_t		tv_sec;
	int64_t		tv_nsec;
};

/* Seconds since 1970-01-01 UTC at boot, from the platform RTC (0 if none). */
extern int64_t	boottime_sec;

/* The current wall-clock time.  Any context. */
void	getnanotime(struct timespec *ts);

/*
 * A broken-down UTC time (sys/kern/kern_time.c): year (e.g. 2025),
 * month 1-12, day 1-31, hour 0-23, minute and second 0-59.
 */
struct clock_ymdhms {
	int		ct_year;
	int		ct_mon;
	int		ct_day;
	int		ct_hour;
	int		ct_min;
	int		ct_sec;
};

/*
 * Seconds since 1970-01-01 00:00:00 UTC of *ct, which must be a real date
 * in 1970-9999 (EINVAL otherwise: day 31 of a 30-day month, February 29
 * of a common year...).  Any context.
 */
int	clock_ymdhms_to_secs(const struct clock_ymdhms *ct, int64_t *secsp);
/* The reverse, for secs >= 0. */
void	clock_secs_to_ymdhms(int64_t secs, struct clock_ymdhms *ct);

#endif /* !_SYS_TIME_H_ */
