/*
 * Tests of the wall clock (kern_time.c): the boot time read from the
 * platform clock is a plausible date, getnanotime() never goes backwards
 * and keeps tv_nsec in range, and the calendar conversions agree with
 * known dates, refuse impossible ones and round-trip.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/time.h>

#define T_2024		1704067200L	/* 2024-01-01 00:00:00 UTC */
#define T_2100		4102444800L	/* 2100-01-01 00:00:00 UTC */

/*
 * QEMU's RTC follows the host clock, so the date it gave at boot must lie
 * between 2024 and 2100.  A zero boottime_sec (no clock, bad reading)
 * fails here too.
 */
KTEST(time_boottime_plausible, "The boot time read from the RTC is a date between 2024 and 2100")
{
	struct clock_ymdhms ct;
	struct timespec ts;

	getnanotime(&ts);
	clock_secs_to_ymdhms(ts.tv_sec, &ct);
	ktest_log("boottime_sec %ld, now %04d-%02d-%02d %02d:%02d:%02d UTC",
	    boottime_sec, ct.ct_year, ct.ct_mon, ct.ct_day, ct.ct_hour,
	    ct.ct_min, ct.ct_sec);
	KT_ASSERT(boottime_sec > T_2024);
	KT_ASSERT(boottime_sec < T_2100);
	KT_ASSERT(ts.tv_sec >= boottime_sec);
	KT_ASSERT(ct.ct_year >= 2024 && ct.ct_year < 2100);
}

/*
 * Consecutive readings never decrease; tv_nsec stays in [0, 1e9).  With
 * more than one CPU the reading thread hops from CPU to CPU between
 * readings, so the readings cross CPUs.
 */
struct time_mono {
	volatile int	tm_left;
	long		tm_n;
	long		tm_backwards;
	long		tm_badnsec;
};

static void
time_mono_thread(void *arg)
{
	struct time_mono *tm = arg;
	struct timespec prev, cur;
	uint64_t end;

	getnanotime(&prev);
	end = nanouptime() + 20000000UL;	/* 20 ms of readings */
	do {
		getnanotime(&cur);
		if (cur.tv_nsec < 0 || cur.tv_nsec >= 1000000000L)
			tm->tm_badnsec++;
		if (cur.tv_sec < prev.tv_sec ||
		    (cur.tv_sec == prev.tv_sec && cur.tv_nsec < prev.tv_nsec))
			tm->tm_backwards++;
		prev = cur;
		tm->tm_n++;
		if (ncpus > 1 && (tm->tm_n & 63) == 0)
			lwkt_migrate((int)(tm->tm_n / 64) % ncpus);
	} while (nanouptime() < end || tm->tm_n < 1000);
	countdown_done(&tm->tm_left);
}

KTEST_SMP(time_getnanotime_monotonic, "1,4", "getnanotime() never goes backwards and keeps tv_nsec in range, across CPUs")
{
	static struct time_mono tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_left = 1;
	KT_ASSERT(lwkt_create(time_mono_thread, &tm, 0, TDPRI_KERN, 0, 0,
	    "tmono") != NULL);
	countdown_wait(&tm.tm_left, "tmonow");
	ktest_log("%ld readings, %ld backwards, %ld bad tv_nsec", tm.tm_n,
	    tm.tm_backwards, tm.tm_badnsec);
	KT_ASSERT_EQ(tm.tm_backwards, 0);
	KT_ASSERT_EQ(tm.tm_badnsec, 0);
}

struct time_known {
	struct clock_ymdhms	tk_ct;
	int64_t			tk_secs;
};

KTEST(time_calendar_known, "Calendar conversion matches known dates, both ways")
{
	static const struct time_known known[] = {
		{ { 1970, 1, 1, 0, 0, 0 }, 0 },
		{ { 1972, 12, 31, 23, 59, 59 }, 94694399 },
		{ { 2000, 2, 29, 23, 59, 59 }, 951868799 },
		{ { 2024, 1, 1, 0, 0, 0 }, T_2024 },
		{ { 2024, 2, 29, 12, 34, 56 }, 1709210096 },
		{ { 2038, 1, 19, 3, 14, 8 }, 2147483648L },
		{ { 2100, 1, 1, 0, 0, 0 }, T_2100 },
		{ { 9999, 12, 31, 23, 59, 59 }, 253402300799L },
	};
	struct clock_ymdhms ct;
	int64_t secs;

	for (size_t i = 0; i < nitems(known); i++) {
		const struct time_known *k = &known[i];

		KT_ASSERT_EQ(clock_ymdhms_to_secs(&k->tk_ct, &secs), 0);
		KT_ASSERT_EQ(secs, k->tk_secs);
		clock_secs_to_ymdhms(k->tk_secs, &ct);
		KT_ASSERT(memcmp(&ct, &k->tk_ct, sizeof(ct)) == 0);
	}
}

KTEST(time_calendar_invalid, "Impossible dates are refused with EINVAL")
{
	static const struct clock_ymdhms bad[] = {
		{ 1969, 12, 31, 23, 59, 59 },	/* before the epoch */
		{ 10000, 1, 1, 0, 0, 0 },
		{ 2023, 2, 29, 0, 0, 0 },	/* not a leap year */
		{ 2100, 2, 29, 0, 0, 0 },	/* century, not leap */
		{ 2024, 4, 31, 0, 0, 0 },
		{ 2024, 0, 1, 0, 0, 0 },
		{ 2024, 13, 1, 0, 0, 0 },
		{ 2024, 1, 0, 0, 0, 0 },
		{ 2024, 1, 32, 0, 0, 0 },
		{ 2024, 1, 1, 24, 0, 0 },
		{ 2024, 1, 1, -1, 0, 0 },
		{ 2024, 1, 1, 0, 60, 0 },
		{ 2024, 1, 1, 0, 0, 60 },
		{ 2024, 1, 1, 0, 0, -1 },
	};
	int64_t secs;

	for (size_t i = 0; i < nitems(bad); i++) {
		secs = 12345;
		KT_CHECK(clock_ymdhms_to_secs(&bad[i], &secs) == EINVAL);
		KT_CHECK(secs == 12345);
	}
	/* The leap days that do exist. */
	KT_ASSERT_EQ(clock_ymdhms_to_secs(&(struct clock_ymdhms){ 2000, 2, 29,
	    0, 0, 0 }, &secs), 0);
	KT_ASSERT_EQ(clock_ymdhms_to_secs(&(struct clock_ymdhms){ 2400, 2, 29,
	    0, 0, 0 }, &secs), 0);
}

/*
 * Round trip over 1970-2100 (every 7th day, a different time of day each
 * time, plus every day around the 2000 and 2100 leap rules): each second
 * count maps to a valid date that maps back to it, and consecutive
 * samples give increasing counts.
 */
KTEST(time_calendar_roundtrip, "Seconds to date and back is the identity over 1970-2100")
{
	struct clock_ymdhms ct;
	int64_t secs, back, prev = -1;

	for (secs = 0; secs < T_2100 + 86400L * 400;
	    secs += 86400L * 7 + 3677) {
		clock_secs_to_ymdhms(secs, &ct);
		KT_ASSERT_EQ(clock_ymdhms_to_secs(&ct, &back), 0);
		KT_ASSERT_EQ(back, secs);
		KT_ASSERT(back > prev);
		prev = back;
	}
	for (int year = 2000; year <= 2100; year += 100) {
		struct clock_ymdhms start = { year, 1, 1, 0, 0, 0 };
		int days = 0;

		KT_ASSERT_EQ(clock_ymdhms_to_secs(&start, &secs), 0);
		for (;;) {
			clock_secs_to_ymdhms(secs + 86400L * days, &ct);
			if (ct.ct_year != year)
				break;
			KT_ASSERT_EQ(ct.ct_hour, 0);
			days++;
		}
		KT_ASSERT_EQ(days, year == 2000 ? 366 : 365);
	}
}
