/*
 * Calendar time, all in UTC (there are no time zones: localtime is
 * gmtime and mktime is timegm): conversion between time_t and struct tm,
 * and strftime().  Pure arithmetic, no messages.
 *
 * Method: any 400 consecutive Gregorian years hold exactly 146097 days,
 * so a day count is first reduced modulo that cycle and the remaining
 * (at most 400) years and 12 months are stepped through one by one.
 * Costs a few hundred iterations at worst, no tables but month lengths.
 *
 * gmtime() and localtime() return a static struct tm (not thread-safe);
 * use the _r forms.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <time.h>

#define SECS_PER_DAY	86400
#define DAYS_PER_CYCLE	146097		/* 400 years */

static const char *const wday_name[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const mon_name[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const int mon_days[12] = {
	31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
};

static int
is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
year_days(int64_t y)
{
	return (is_leap(y) ? 366 : 365);
}

static int
month_days(int64_t y, int m)
{
	return (m == 1 && is_leap(y) ? 29 : mon_days[m]);
}

/* Floor division and its non-negative remainder. */
static int64_t
fdiv(int64_t a, int64_t b, int64_t *rem)
{
	int64_t q, r;

	q = a / b;
	r = a % b;
	if (r < 0) {
		r += b;
		q--;
	}
	*rem = r;
	return (q);
}

struct tm *
gmtime_r(const time_t *tp, struct tm *tm)
{
	int64_t days, secs, cycles, year;
	int mon;

	days = fdiv(*tp, SECS_PER_DAY, &secs);
	/* 1970-01-01 was a Thursday (4). */
	tm->tm_wday = (int)((days % 7 + 7 + 4) % 7);
	cycles = fdiv(days, DAYS_PER_CYCLE, &days);
	if (cycles > (INT_MAX - 1970) / 400 ||
	    cycles < (INT_MIN + 3000) / 400) {
		errno = ERANGE;
		return (NULL);
	}
	year = 1970 + 400 * cycles;
	while (days >= year_days(year))
		days -= year_days(year++);
	tm->tm_yday = (int)days;
	for (mon = 0; days >= month_days(year, mon); mon++)
		days -= month_days(year, mon);
	tm->tm_year = (int)(year - 1900);
	tm->tm_mon = mon;
	tm->tm_mday = (int)days + 1;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return (tm);
}

struct tm *
gmtime(const time_t *tp)
{
	static struct tm tm;

	return (gmtime_r(tp, &tm));
}

struct tm *
localtime_r(const time_t *tp, struct tm *tm)
{
	return (gmtime_r(tp, tm));
}

struct tm *
localtime(const time_t *tp)
{
	return (gmtime(tp));
}

/*
 * Seconds since the Epoch of the (possibly denormalized) UTC time in
 * *tm; out-of-range fields carry into the next larger one, as mktime()
 * requires.  *tm is then rewritten normalized (with tm_wday, tm_yday).
 */
time_t
timegm(struct tm *tm)
{
	int64_t year, cycles, days, mon, t;
	time_t r;
	int m;

	year = fdiv(tm->tm_mon, 12, &mon) + (int64_t)tm->tm_year + 1900;
	cycles = fdiv(year - 1970, 400, &year);
	year += 1970;		/* now within 400 years of 1970 */
	days = cycles * DAYS_PER_CYCLE;
	for (t = 1970; t < year; t++)
		days += year_days(t);
	for (m = 0; m < mon; m++)
		days += month_days(year, m);
	days += tm->tm_mday - 1;
	r = days * SECS_PER_DAY + (int64_t)tm->tm_hour * 3600 +
	    (int64_t)tm->tm_min * 60 + tm->tm_sec;
	if (gmtime_r(&r, tm) == NULL)
		return ((time_t)-1);
	return (r);
}

time_t
mktime(struct tm *tm)
{
	return (timegm(tm));
}

double
difftime(time_t a, time_t b)
{
	return ((double)a - (double)b);
}

/* Output cursor for strftime: stops (and remembers) on overflow. */
struct sf_out {
	char	*p;
	size_t	left;		/* room, NUL included */
	int	full;
};

static void
sf_str(struct sf_out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (o->left <= 1) {
			o->full = 1;
			return;
		}
		*o->p++ = *s;
		o->left--;
	}
}

/* v in decimal, at least width digits, padded with pad ('0' or ' '). */
static void
sf_num(struct sf_out *o, long v, int width, char pad)
{
	char buf[24], *q;
	int neg;

	neg = v < 0;
	q = buf + sizeof(buf);
	*--q = '\0';
	do {
		*--q = (char)('0' + (neg ? -(v % 10) : v % 10));
		v /= 10;
		width--;
	} while (v != 0);
	while (width-- > (neg ? 1 : 0))
		*--q = pad;
	if (neg)
		*--q = '-';
	sf_str(o, q);
}

/* The first three letters of a day or month name. */
static void
sf_abbrev(struct sf_out *o, const char *name)
{
	char three[4];

	three[0] = name[0];
	three[1] = name[1];
	three[2] = name[2];
	three[3] = '\0';
	sf_str(o, three);
}

/* Day or month names; "?" for an out-of-range field. */
static void
sf_name(struct sf_out *o, int c, const struct tm *tm)
{
	const char *name;

	if (c == 'a' || c == 'A') {
		if (tm->tm_wday < 0 || tm->tm_wday > 6) {
			sf_str(o, "?");
			return;
		}
		name = wday_name[tm->tm_wday];
	} else {
		if (tm->tm_mon < 0 || tm->tm_mon > 11) {
			sf_str(o, "?");
			return;
		}
		name = mon_name[tm->tm_mon];
	}
	if (c == 'A' || c == 'B')
		sf_str(o, name);
	else
		sf_abbrev(o, name);
}

/* One conversion; returns 0 if c is unknown. */
static int
sf_conv(struct sf_out *o, int c, const struct tm *tm)
{
	int h;

	switch (c) {
	case 'Y': sf_num(o, tm->tm_year + 1900L, 1, '0'); break;
	case 'y': sf_num(o, ((tm->tm_year % 100) + 100) % 100, 2, '0'); break;
	case 'm': sf_num(o, tm->tm_mon + 1, 2, '0'); break;
	case 'd': sf_num(o, tm->tm_mday, 2, '0'); break;
	case 'e': sf_num(o, tm->tm_mday, 2, ' '); break;
	case 'j': sf_num(o, tm->tm_yday + 1, 3, '0'); break;
	case 'H': sf_num(o, tm->tm_hour, 2, '0'); break;
	case 'I':
		h = tm->tm_hour % 12;
		sf_num(o, h == 0 ? 12 : h, 2, '0');
		break;
	case 'p': sf_str(o, tm->tm_hour < 12 ? "AM" : "PM"); break;
	case 'M': sf_num(o, tm->tm_min, 2, '0'); break;
	case 'S': sf_num(o, tm->tm_sec, 2, '0'); break;
	case 'u': sf_num(o, tm->tm_wday == 0 ? 7 : tm->tm_wday, 1, '0'); break;
	case 'w': sf_num(o, tm->tm_wday, 1, '0'); break;
	case 'a': case 'A': case 'b': case 'B':
		sf_name(o, c, tm);
		break;
	case 'h': sf_name(o, 'b', tm); break;
	case 'D':
		sf_conv(o, 'm', tm); sf_str(o, "/"); sf_conv(o, 'd', tm);
		sf_str(o, "/"); sf_conv(o, 'y', tm);
		break;
	case 'F':
		sf_conv(o, 'Y', tm); sf_str(o, "-"); sf_conv(o, 'm', tm);
		sf_str(o, "-"); sf_conv(o, 'd', tm);
		break;
	case 'T':
		sf_conv(o, 'R', tm); sf_str(o, ":"); sf_conv(o, 'S', tm);
		break;
	case 'R':
		sf_conv(o, 'H', tm); sf_str(o, ":"); sf_conv(o, 'M', tm);
		break;
	case 'c':		/* "Thu Jan  1 00:00:00 1970" */
		sf_conv(o, 'a', tm); sf_str(o, " "); sf_conv(o, 'b', tm);
		sf_str(o, " "); sf_conv(o, 'e', tm); sf_str(o, " ");
		sf_conv(o, 'T', tm); sf_str(o, " "); sf_conv(o, 'Y', tm);
		break;
	case 'Z': sf_str(o, "UTC"); break;
	case 'z': sf_str(o, "+0000"); break;
	case 'n': sf_str(o, "\n"); break;
	case 't': sf_str(o, "\t"); break;
	case '%': sf_str(o, "%"); break;
	default:
		return (0);
	}
	return (1);
}

/*
 * Format *tm into buf (max bytes, NUL included).  Supported: %Y %y %m %d
 * %e %j %H %I %p %M %S %u %w %a %A %b %h %B %D %F %T %R %c %Z %z %n %t
 * %%; an unknown conversion is copied as is.  Returns the length written
 * without the NUL, or 0 (contents unspecified) if it did not fit.
 */
size_t
strftime(char *buf, size_t max, const char *fmt, const struct tm *tm)
{
	struct sf_out o;
	char lit[3];

	if (max == 0)
		return (0);
	o.p = buf;
	o.left = max;
	o.full = 0;
	for (; *fmt != '\0' && !o.full; fmt++) {
		lit[0] = *fmt;
		lit[1] = '\0';
		if (*fmt == '%' && fmt[1] != '\0') {
			fmt++;
			if (sf_conv(&o, *fmt, tm))
				continue;
			lit[1] = *fmt;
			lit[2] = '\0';
		}
		sf_str(&o, lit);
	}
	*o.p = '\0';
	if (o.full)
		return (0);
	return ((size_t)(o.p - buf));
}
