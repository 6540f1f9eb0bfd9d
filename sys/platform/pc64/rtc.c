/*
 * The CMOS real-time clock (MC146818 and its descendants), read once at
 * boot to give the machine-independent clock its base (boottime_sec,
 * sys/kern/kern_time.c).  Nothing writes the RTC and nothing reads it
 * after boot: the TSC keeps time from then on.
 *
 * The RTC is an index/data port pair (0x70, 0x71).  Bit 7 of the index
 * port masks NMIs on PC chipsets; we always write it clear, since panic
 * stops the other CPUs with NMIs.  The registers used:
 *
 *	0x00 seconds  0x02 minutes  0x04 hours  0x07 day  0x08 month
 *	0x09 year (00-99)  0x32 century (the PC convention, the one QEMU
 *	follows; ACPI's FADT can name another, which we do not read)
 *	0x0a status A: bit 7 UIP, an update of the time registers is
 *	     coming within 244 us or is under way
 *	0x0b status B: bit 2 DM, binary (1) or BCD (0) values;
 *	     bit 1 24/12, 24-hour (1) or 12-hour (0) hours, where bit 7 of
 *	     the hours register is then the PM flag
 *	0x0d status D: bit 7 VRT, the battery kept the time valid
 *
 * A read can straddle an update (seconds wrapped, minutes not yet), so
 * rtc_init() waits for UIP to clear, reads everything, and repeats until
 * two snapshots in a row agree.  The values are device input: each field
 * is checked (BCD digits, ranges, a real calendar date) and a bad reading
 * leaves boottime_sec at 0 with a console line rather than a wrong date.
 *
 * The RTC is assumed to run in UTC, as QEMU's does by default.
 *
 * Calling context: the BSP at boot, interrupts off, after the TSC is
 * calibrated (for the UIP timeout), before the APs start.  No locking.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/md.h>
#include <sys/time.h>
#include <machine/cpufunc.h>
#include <machine/md_var.h>

#define RTC_INDEX	0x70
#define RTC_DATA	0x71

#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_DAY		0x07
#define RTC_MON		0x08
#define RTC_YEAR	0x09
#define RTC_STATUSA	0x0a
#define RTC_STATUSB	0x0b
#define RTC_STATUSD	0x0d
#define RTC_CENTURY	0x32

#define RTCSA_UIP	0x80
#define RTCSB_BINARY	0x04
#define RTCSB_24HR	0x02
#define RTCSD_VRT	0x80
#define RTC_HOUR_PM	0x80

#define RTC_UIP_WAIT_NS	10000000UL	/* an update takes about 2 ms */
#define RTC_TRIES	8

static uint8_t
rtc_read(int reg)
{
	outb(RTC_INDEX, (uint8_t)reg);		/* bit 7 clear: NMIs stay on */
	return (inb(RTC_DATA));
}

/*
 * Decode one field: BCD (two digits, each 0-9) or binary.  -1 if the
 * value is not valid BCD.
 */
static int
rtc_field(uint8_t v, bool binary)
{
	if (binary)
		return (v);
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return (-1);
	return ((v >> 4) * 10 + (v & 0x0f));
}

/*
 * Turn a register snapshot into a calendar time.  Pure: tested with
 * made-up snapshots (rtc_test.c).  EINVAL if any field is not a valid
 * number in its format, or the date is not a real one.
 */
int
rtc_decode(const struct rtc_regs *r, struct clock_ymdhms *ct)
{
	bool binary = (r->rr_statusb & RTCSB_BINARY) != 0;
	int hour, year, century;
	int64_t secs;

	ct->ct_sec = rtc_field(r->rr_sec, binary);
	ct->ct_min = rtc_field(r->rr_min, binary);
	ct->ct_day = rtc_field(r->rr_day, binary);
	ct->ct_mon = rtc_field(r->rr_mon, binary);
	year = rtc_field(r->rr_year, binary);
	century = rtc_field(r->rr_century, binary);
	if ((r->rr_statusb & RTCSB_24HR) != 0)
		hour = rtc_field(r->rr_hour, binary);
	else {
		/* 12-hour: 12 AM is midnight, 12 PM is noon. */
		hour = rtc_field(r->rr_hour & ~RTC_HOUR_PM, binary);
		if (hour < 1 || hour > 12)
			return (EINVAL);
		hour %= 12;
		if ((r->rr_hour & RTC_HOUR_PM) != 0)
			hour += 12;
	}
	ct->ct_hour = hour;
	if (year < 0 || year > 99)
		return (EINVAL);
	/* A century register that makes no sense: 1970-2069 by window. */
	if (century >= 19 && century <= 99)
		ct->ct_year = century * 100 + year;
	else
		ct->ct_year = year < 70 ? 2000 + year : 1900 + year;
	/* The other fields (-1 from a bad BCD digit too) are checked here. */
	return (clock_ymdhms_to_secs(ct, &secs));
}

/* Wait (bounded) for no update to be in progress, then read. */
static bool
rtc_snapshot(struct rtc_regs *r)
{
	uint64_t deadline = nanouptime() + RTC_UIP_WAIT_NS;

	while ((rtc_read(RTC_STATUSA) & RTCSA_UIP) != 0) {
		if (nanouptime() > deadline)
			return (false);
		cpu_pause();
	}
	r->rr_sec = rtc_read(RTC_SEC);
	r->rr_min = rtc_read(RTC_MIN);
	r->rr_hour = rtc_read(RTC_HOUR);
	r->rr_day = rtc_read(RTC_DAY);
	r->rr_mon = rtc_read(RTC_MON);
	r->rr_year = rtc_read(RTC_YEAR);
	r->rr_century = rtc_read(RTC_CENTURY);
	r->rr_statusb = rtc_read(RTC_STATUSB);
	return (true);
}

/*
 * Read the RTC and set boottime_sec.  BSP, boot, after tsc_calibrate().
 * Never fails: a missing or bad clock leaves boottime_sec at 0 and says
 * so on the console.
 */
void
rtc_init(void)
{
	struct rtc_regs a, b;
	struct clock_ymdhms ct;
	int64_t secs;
	int tries;

	if ((rtc_read(RTC_STATUSD) & RTCSD_VRT) == 0)
		kprintf("rtc: the battery did not keep the time valid\n");
	for (tries = 0; tries < RTC_TRIES; tries++) {
		if (!rtc_snapshot(&a) || !rtc_snapshot(&b))
			continue;
		if (memcmp(&a, &b, sizeof(a)) == 0)
			break;
	}
	if (tries == RTC_TRIES) {
		kprintf("rtc: no stable reading, wall clock starts at 1970\n");
		return;
	}
	if (rtc_decode(&a, &ct) != 0 ||
	    clock_ymdhms_to_secs(&ct, &secs) != 0) {
		kprintf("rtc: implausible reading (%02x-%02x-%02x%02x "
		    "%02x:%02x:%02x, status B %#x), wall clock starts at "
		    "1970\n", a.rr_day, a.rr_mon, a.rr_century, a.rr_year,
		    a.rr_hour, a.rr_min, a.rr_sec, a.rr_statusb);
		return;
	}
	boottime_sec = secs - (int64_t)(nanouptime() / 1000000000UL);
	kprintf("rtc: %04d-%02d-%02d %02d:%02d:%02d UTC\n", ct.ct_year,
	    ct.ct_mon, ct.ct_day, ct.ct_hour, ct.ct_min, ct.ct_sec);
}
