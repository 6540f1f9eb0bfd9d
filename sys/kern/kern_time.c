/*
 * Wall-clock time.
 *
 * The kernel keeps one monotonic clock, nanouptime() (sys/sys/md.h),
 * which counts from boot and never goes backwards.  Wall-clock time is
 * that clock plus one constant, boottime_sec: the real time at which
 * nanouptime() read zero, as well as the platform could tell.  The
 * platform reads its battery-backed clock once at boot (pc64: the CMOS
 * RTC, sys/platform/pc64/rtc.c) and stores boottime_sec before any other
 * CPU starts; nothing changes it afterwards, so getnanotime() needs no
 * lock and is monotonic wherever nanouptime() is.
 *
 * What it guarantees: getnanotime() never goes backwards (there is no
 * settimeofday yet), its tv_nsec is in [0, 1e9).  What it does not: the
 * RTC has a one-second resolution and the read happens a little after
 * nanouptime() started, so wall time is off by up to about a second;
 * there is no drift correction (NTP) either.  If the platform has no
 * clock, or its reading is implausible, boottime_sec stays 0 and times
 * count from 1970 plus uptime.
 *
 * The calendar conversions below are proleptic Gregorian, UTC, with no
 * leap seconds, which is what the POSIX epoch counts.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/md.h>
#include <sys/time.h>

#define NSEC_PER_SEC	1000000000L
#define SECS_PER_DAY	86400L

int64_t		boottime_sec;	/* [I] written by the BSP before the APs */

/* Any context: one read of the monotonic clock, no locks. */
void
getnanotime(struct timespec *ts)
{
	uint64_t up = nanouptime();

	ts->tv_sec = boottime_sec + (int64_t)(up / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(up % NSEC_PER_SEC);
}

static bool
clock_leap(int year)
{
	return ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
}

static int
clock_mdays(int year, int mon)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mon == 2 && clock_leap(year))
		return (29);
	return (mdays[mon - 1]);
}

/* Days from 1970-01-01 to January 1st of year (year >= 1970). */
static int64_t
clock_days_before_year(int year)
{
	int64_t y = year - 1;

	/* Leap years in [1, y] minus those in [1, 1969]. */
	return ((int64_t)(year - 1970) * 365 +
	    (y / 4 - y / 100 + y / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400));
}

/*
 * Validate every field first, then count: whole years, whole months of
 * the last year, days.  Any context.
 */
int
clock_ymdhms_to_secs(const struct clock_ymdhms *ct, int64_t *secsp)
{
	int64_t days;

	if (ct->ct_year < 1970 || ct->ct_year > 9999 ||
	    ct->ct_mon < 1 || ct->ct_mon > 12 ||
	    ct->ct_day < 1 ||
	    ct->ct_day > clock_mdays(ct->ct_year, ct->ct_mon) ||
	    ct->ct_hour < 0 || ct->ct_hour > 23 ||
	    ct->ct_min < 0 || ct->ct_min > 59 ||
	    ct->ct_sec < 0 || ct->ct_sec > 59)
		return (EINVAL);
	days = clock_days_before_year(ct->ct_year);
	for (int m = 1; m < ct->ct_mon; m++)
		days += clock_mdays(ct->ct_year, m);
	days += ct->ct_day - 1;
	*secsp = days * SECS_PER_DAY + ct->ct_hour * 3600L + ct->ct_min * 60L +
	    ct->ct_sec;
	return (0);
}

/*
 * The year is found by estimate and correction (at most a step or two
 * either way), the month by walking the months.  secs >= 0.
 */
void
clock_secs_to_ymdhms(int64_t secs, struct clock_ymdhms *ct)
{
	int64_t days, rem;
	int year;

	KKASSERT(secs >= 0);
	days = secs / SECS_PER_DAY;
	rem = secs % SECS_PER_DAY;
	year = 1970 + (int)(days / 366);
	while (clock_days_before_year(year + 1) <= days)
		year++;
	days -= clock_days_before_year(year);
	ct->ct_year = year;
	ct->ct_mon = 1;
	while (days >= clock_mdays(year, ct->ct_mon)) {
		days -= clock_mdays(year, ct->ct_mon);
		ct->ct_mon++;
	}
	ct->ct_day = (int)days + 1;
	ct->ct_hour = (int)(rem / 3600);
	ct->ct_min = (int)(rem % 3600 / 60);
	ct->ct_sec = (int)(rem % 60);
}
