/*
 * Integer conversion: strtol, strtoul, strtoll, strtoull and the ato*
 * shorthands.  One worker, strtol_parse, reads the magnitude as an
 * unsigned long long with overflow detection; each public function then
 * applies its own range.
 *
 * Grammar (C11 7.22.1.4): leading white space, an optional sign, then
 * for base 0 a "0x"/"0X" prefix (base 16), a leading "0" (base 8) or
 * else base 10; for base 16 an optional "0x" prefix; for bases 0 and 2
 * an optional "0b" prefix (an extension).  A prefix counts only when a
 * digit follows it.  Digits beyond 9 are letters of either case.  When
 * no digits are found, the value is 0 and *endptr is the original
 * string.  Out-of-range values clamp to the type's limit and set errno
 * to ERANGE.  A base outside 0 and 2..36 is EINVAL.  The unsigned
 * variants negate the value when a '-' is present (in the unsigned
 * type), as the standard specifies.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int
strtol_digit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (c - 'A' + 10);
	return (99);
}

/*
 * Parse s.  Stores the magnitude in *val (ULLONG_MAX on overflow, with
 * *over set), the sign in *neg, and the end of the number in *endptr
 * when endptr is not NULL.  Returns 0, or EINVAL for a bad base.
 */
static int
strtol_parse(const char *s, char **endptr, int base, unsigned long long *val,
    int *neg, int *over)
{
	const char *p = s;
	unsigned long long v = 0;
	int d, any = 0;

	*val = 0;
	*neg = 0;
	*over = 0;
	if (base < 0 || base == 1 || base > 36) {
		if (endptr != NULL)
			*endptr = (char *)s;
		return (EINVAL);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = (*p++ == '-');
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && strtol_digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if ((base == 0 || base == 2) && p[0] == '0' &&
	    (p[1] == 'b' || p[1] == 'B') && strtol_digit(p[2]) < 2) {
		p += 2;
		base = 2;
	} else if (base == 0)
		base = (p[0] == '0') ? 8 : 10;
	for (; (d = strtol_digit((unsigned char)*p)) < base; p++) {
		any = 1;
		if (*over)
			continue;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base) {
			*over = 1;
			v = ULLONG_MAX;
		} else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (endptr != NULL)
		*endptr = (char *)(any ? p : s);
	*val = v;
	return (0);
}

/* Signed conversion with limits [-max - 1, max]. */
static long long
strtol_signed(const char *s, char **endptr, int base, long long max)
{
	unsigned long long v;
	int neg, over;

	if (strtol_parse(s, endptr, base, &v, &neg, &over) != 0) {
		errno = EINVAL;
		return (0);
	}
	if (neg) {
		if (over || v > (unsigned long long)max + 1) {
			errno = ERANGE;
			return (-max - 1);
		}
		return ((long long)(0 - v));
	}
	if (over || v > (unsigned long long)max) {
		errno = ERANGE;
		return (max);
	}
	return ((long long)v);
}

/* Unsigned conversion with limit max. */
static unsigned long long
strtol_unsigned(const char *s, char **endptr, int base, unsigned long long max)
{
	unsigned long long v;
	int neg, over;

	if (strtol_parse(s, endptr, base, &v, &neg, &over) != 0) {
		errno = EINVAL;
		return (0);
	}
	if (over || v > max) {
		errno = ERANGE;
		return (max);
	}
	return (neg ? (0 - v) & max : v);
}

long
strtol(const char *restrict s, char **restrict endptr, int base)
{
	return ((long)strtol_signed(s, endptr, base, LONG_MAX));
}

long long
strtoll(const char *restrict s, char **restrict endptr, int base)
{
	return (strtol_signed(s, endptr, base, LLONG_MAX));
}

unsigned long
strtoul(const char *restrict s, char **restrict endptr, int base)
{
	return ((unsigned long)strtol_unsigned(s, endptr, base, ULONG_MAX));
}

unsigned long long
strtoull(const char *restrict s, char **restrict endptr, int base)
{
	return (strtol_unsigned(s, endptr, base, ULLONG_MAX));
}

int
atoi(const char *s)
{
	return ((int)strtol(s, NULL, 10));
}

long
atol(const char *s)
{
	return (strtol(s, NULL, 10));
}

long long
atoll(const char *s)
{
	return (strtoll(s, NULL, 10));
}
