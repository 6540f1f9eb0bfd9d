/*
 * Tests of the CMOS RTC decoder (rtc.c) with made-up register snapshots:
 * BCD and binary values, 24- and 12-hour clocks (midnight and noon are
 * the traps), the century register and its fallback, and readings a
 * broken or hostile device could give (bad BCD digits, fields out of
 * range, impossible dates), which must be refused.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/time.h>
#include <machine/md_var.h>

#define SB_BCD24	0x02	/* status B: BCD, 24-hour */
#define SB_BIN24	0x06	/* binary, 24-hour */
#define SB_BCD12	0x00	/* BCD, 12-hour */
#define SB_BIN12	0x04	/* binary, 12-hour */

struct rtc_case {
	struct rtc_regs		rc_regs;	/* s m h day mon year cent B */
	struct clock_ymdhms	rc_want;
};

KTEST(rtc_decode_formats, "RTC snapshots in BCD/binary and 24/12-hour formats decode to the same dates")
{
	static const struct rtc_case cases[] = {
		/* 2025-06-30 23:59:58 in every format. */
		{ { 0x58, 0x59, 0x23, 0x30, 0x06, 0x25, 0x20, SB_BCD24 },
		  { 2025, 6, 30, 23, 59, 58 } },
		{ { 58, 59, 23, 30, 6, 25, 20, SB_BIN24 },
		  { 2025, 6, 30, 23, 59, 58 } },
		{ { 0x58, 0x59, 0x80 | 0x11, 0x30, 0x06, 0x25, 0x20, SB_BCD12 },
		  { 2025, 6, 30, 23, 59, 58 } },
		{ { 58, 59, 0x80 | 11, 30, 6, 25, 20, SB_BIN12 },
		  { 2025, 6, 30, 23, 59, 58 } },
		/* 12 AM is midnight, 12 PM is noon, 1 AM is 1. */
		{ { 0x00, 0x00, 0x12, 0x01, 0x01, 0x24, 0x20, SB_BCD12 },
		  { 2024, 1, 1, 0, 0, 0 } },
		{ { 0x00, 0x30, 0x80 | 0x12, 0x01, 0x01, 0x24, 0x20, SB_BCD12 },
		  { 2024, 1, 1, 12, 30, 0 } },
		{ { 0x00, 0x00, 0x01, 0x01, 0x01, 0x24, 0x20, SB_BCD12 },
		  { 2024, 1, 1, 1, 0, 0 } },
		{ { 0, 0, 12, 1, 1, 24, 20, SB_BIN12 },
		  { 2024, 1, 1, 0, 0, 0 } },
		/* A leap day; the century register says 21xx. */
		{ { 0x07, 0x08, 0x09, 0x29, 0x02, 0x04, 0x21, SB_BCD24 },
		  { 2104, 2, 29, 9, 8, 7 } },
		/* No usable century register: 00-69 is 20xx, 70-99 19xx. */
		{ { 0x00, 0x00, 0x00, 0x01, 0x01, 0x69, 0x00, SB_BCD24 },
		  { 2069, 1, 1, 0, 0, 0 } },
		{ { 0x00, 0x00, 0x00, 0x01, 0x01, 0x70, 0xff, SB_BCD24 },
		  { 1970, 1, 1, 0, 0, 0 } },
		{ { 0, 0, 0, 1, 1, 99, 0, SB_BIN24 },
		  { 1999, 1, 1, 0, 0, 0 } },
	};
	struct clock_ymdhms ct;

	for (size_t i = 0; i < nitems(cases); i++) {
		memset(&ct, 0xa5, sizeof(ct));
		KT_ASSERT_EQ(rtc_decode(&cases[i].rc_regs, &ct), 0);
		if (memcmp(&ct, &cases[i].rc_want, sizeof(ct)) != 0)
			ktest_log("case %zu: got %d-%d-%d %d:%d:%d", i,
			    ct.ct_year, ct.ct_mon, ct.ct_day, ct.ct_hour,
			    ct.ct_min, ct.ct_sec);
		KT_ASSERT(memcmp(&ct, &cases[i].rc_want, sizeof(ct)) == 0);
	}
}

KTEST(rtc_decode_garbage, "Bad BCD digits, out-of-range fields and impossible dates from the RTC are refused")
{
	static const struct rtc_regs bad[] = {
		{ 0x5a, 0x00, 0x00, 0x01, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0xa0, 0x00, 0x01, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x60, 0x00, 0x00, 0x01, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x60, 0x00, 0x01, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x24, 0x01, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x00, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x32, 0x01, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x01, 0x00, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x01, 0x13, 0x24, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x01, 0x01, 0x9a, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x29, 0x02, 0x23, 0x20, SB_BCD24 },
		{ 0x00, 0x00, 0x00, 0x31, 0x04, 0x24, 0x20, SB_BCD24 },
		{ 0, 0, 0, 1, 1, 100, 20, SB_BIN24 },
		{ 0, 0, 0, 1, 1, 255, 20, SB_BIN24 },
		{ 0, 0, 0, 1, 200, 24, 20, SB_BIN24 },
		{ 0, 0, 0, 1, 1, 24, 20, SB_BIN12 },		/* hour 0 */
		{ 0, 0, 13, 1, 1, 24, 20, SB_BIN12 },
		{ 0, 0, 0x80 | 13, 1, 1, 24, 20, SB_BIN12 },
		{ 0x00, 0x00, 0x80 | 0x00, 0x01, 0x01, 0x24, 0x20, SB_BCD12 },
		{ 0x00, 0x00, 0x1a, 0x01, 0x01, 0x24, 0x20, SB_BCD12 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, SB_BCD24 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, SB_BIN12 },
	};
	struct clock_ymdhms ct;

	for (size_t i = 0; i < nitems(bad); i++) {
		if (rtc_decode(&bad[i], &ct) != EINVAL)
			ktest_fail(__FILE__, __LINE__, "bad snapshot %zu "
			    "accepted as %d-%d-%d %d:%d:%d", i, ct.ct_year,
			    ct.ct_mon, ct.ct_day, ct.ct_hour, ct.ct_min,
			    ct.ct_sec);
	}
}
