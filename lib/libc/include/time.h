/*
 * Time.  clock_gettime() and nanosleep() are messages (SYS_CLOCK_GETTIME,
 * SYS_NANOSLEEP); the calendar functions are pure arithmetic in UTC.
 * There are no time zones: localtime_r() is gmtime_r().
 */
#ifndef _TIME_H_
#define _TIME_H_

#include <sys/types.h>
#include <sys/sysmsg.h>		/* CLOCK_REALTIME, CLOCK_MONOTONIC */

struct tm {
	int	tm_sec;		/* 0..60 */
	int	tm_min;		/* 0..59 */
	int	tm_hour;	/* 0..23 */
	int	tm_mday;	/* 1..31 */
	int	tm_mon;		/* 0..11 */
	int	tm_year;	/* years since 1900 */
	int	tm_wday;	/* 0..6, Sunday = 0 */
	int	tm_yday;	/* 0..365 */
	int	tm_isdst;	/* always 0 */
	long	tm_gmtoff;	/* always 0 */
	const char *tm_zone;	/* always "UTC" */
};

time_t	time(time_t *);
int	clock_gettime(clockid_t, struct timespec *);
int	nanosleep(const struct timespec *, struct timespec *);
struct tm *gmtime_r(const time_t *, struct tm *);
struct tm *gmtime(const time_t *);
struct tm *localtime_r(const time_t *, struct tm *);
struct tm *localtime(const time_t *);
time_t	timegm(struct tm *);
time_t	mktime(struct tm *);
double	difftime(time_t, time_t);
size_t	strftime(char *, size_t, const char *, const struct tm *);

#endif /* !_TIME_H_ */
