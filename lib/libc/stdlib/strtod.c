/*
 * Floating-point conversion: strtod, strtof, strtold, atof.
 *
 * Accepted (C11 7.22.1.3): leading white space, an optional sign, then a
 * decimal number (digits with an optional '.', optional exponent
 * e[+-]digits), "inf"/"infinity" or "nan"/"nan(chars)" in any case, or a
 * hexadecimal number 0x<hexdigits>[.hexdigits][p[+-]digits].
 *
 * Method for decimals: the first 19 significant digits are gathered in a
 * 64-bit integer m (later digits only count toward the exponent), giving
 * m * 10^e.  When m < 2^53 and |e| <= 22 both factors are exact doubles
 * and one multiplication or division rounds correctly.  Otherwise the
 * scaling is done in x87 long double (64-bit mantissa) and then rounded
 * to double, which is correct except for rare inputs lying within a few
 * long-double ulps of a halfway point between two doubles.
 * Overflow gives +-HUGE_VAL and underflow to zero gives 0, both with
 * errno ERANGE.  With no number, 0 is returned and *endptr = s.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

static const double strtod_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* v * 10^e in long double, by binary powering; e may be negative. */
static long double
strtod_scale10(long double v, int e)
{
	long double p = 10.0L, r = 1.0L;
	int neg = e < 0;
	unsigned int u = neg ? -(unsigned int)e : (unsigned int)e;

	for (; u != 0; u >>= 1, p *= p) {
		if (u & 1)
			r *= p;
	}
	return (neg ? v / r : v * r);
}

/* v * 2^e in long double, in steps whose factors are exact. */
static long double
strtod_scale2(long double v, int e)
{
	int k;

	for (; e > 0; e -= k) {
		k = e < 60 ? e : 60;
		v *= (long double)(1ULL << k);
	}
	for (; e < 0; e += k) {
		k = -e < 60 ? -e : 60;
		v /= (long double)(1ULL << k);
	}
	return (v);
}

/* Match an inf/nan spelling at p; returns its length or 0. */
static int
strtod_special(const char *p, long double *out)
{
	const char *q;

	if (strncasecmp(p, "infinity", 8) == 0) {
		*out = __builtin_infl();
		return (8);
	}
	if (strncasecmp(p, "inf", 3) == 0) {
		*out = __builtin_infl();
		return (3);
	}
	if (strncasecmp(p, "nan", 3) == 0) {
		*out = __builtin_nanl("");
		if (p[3] == '(') {
			for (q = p + 4; isalnum((unsigned char)*q) || *q == '_';
			    q++)
				;
			if (*q == ')')
				return ((int)(q + 1 - p));
		}
		return (3);
	}
	return (0);
}

/* Read an optional exponent "<c>[+-]digits" at *pp; returns its value. */
static int
strtod_exp(const char **pp, int c)
{
	const char *p = *pp;
	int neg = 0, e = 0;

	if ((*p | 0x20) != c)
		return (0);
	p++;
	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');
	if (!isdigit((unsigned char)*p))
		return (0);
	for (; isdigit((unsigned char)*p); p++) {
		if (e < 100000)
			e = e * 10 + (*p - '0');
	}
	*pp = p;
	return (neg ? -e : e);
}

static int
strtod_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Parse the hex form after "0x" at *pp (a hex digit is known to exist). */
static long double
strtod_hex(const char **pp)
{
	const char *p = *pp;
	uint64_t m = 0;
	int e = 0, d, seen_dot = 0;

	for (;; p++) {
		if (*p == '.' && !seen_dot) {
			seen_dot = 1;
			continue;
		}
		if ((d = strtod_hexval((unsigned char)*p)) < 0)
			break;
		if (m < (1ULL << 60)) {
			m = m * 16 + (unsigned)d;
			e -= seen_dot ? 4 : 0;
		} else if (!seen_dot)
			e += 4;
	}
	e += strtod_exp(&p, 'p');
	*pp = p;
	return (strtod_scale2((long double)m, e));
}

/* Gather the decimal digits at *pp into m * 10^e; returns digit count. */
static int
strtod_digits(const char **pp, uint64_t *mp, int *ep)
{
	const char *p = *pp;
	uint64_t m = 0;
	int e = 0, nd = 0, sig = 0, seen_dot = 0;

	for (;; p++) {
		if (*p == '.' && !seen_dot) {
			seen_dot = 1;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		nd++;
		if (m == 0 && *p == '0') {
			e -= seen_dot;
			continue;
		}
		if (sig < 19) {
			m = m * 10 + (uint64_t)(*p - '0');
			sig++;
			e -= seen_dot;
		} else
			e += !seen_dot;
	}
	if (nd == 0)
		return (0);
	if (e > -100000 && e < 100000)
		e += strtod_exp(&p, 'e');
	*pp = p;
	*mp = m;
	*ep = e;
	return (nd);
}

static long double
strtod_parse(const char *s, char **endptr)
{
	const char *p = s;
	long double v;
	uint64_t m;
	int e, n, neg = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');
	if ((n = strtod_special(p, &v)) != 0) {
		p += n;
	} else if (p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    (strtod_hexval((unsigned char)p[2]) >= 0 ||
	    (p[2] == '.' && strtod_hexval((unsigned char)p[3]) >= 0))) {
		p += 2;
		v = strtod_hex(&p);
	} else if (strtod_digits(&p, &m, &e) != 0) {
		if (m == 0)
			v = 0;
		else if (m < (1ULL << 53) && e >= -22 && e <= 22)
			v = e >= 0 ? (double)m * strtod_pow10[e] :
			    (double)m / strtod_pow10[-e];
		else if (e > 5000)
			v = __builtin_infl();
		else if (e < -5000)
			v = 0;
		else
			v = strtod_scale10((long double)m, e);
		if (m != 0 && (v == 0 || (double)v == 0 ||
		    __builtin_isinf((double)v)))
			errno = ERANGE;
	} else {
		p = s;
		v = 0;
	}
	if (endptr != NULL)
		*endptr = (char *)p;
	return (neg ? -v : v);
}

double
strtod(const char *restrict s, char **restrict endptr)
{
	return ((double)strtod_parse(s, endptr));
}

float
strtof(const char *restrict s, char **restrict endptr)
{
	return ((float)strtod_parse(s, endptr));
}

long double
strtold(const char *restrict s, char **restrict endptr)
{
	return (strtod_parse(s, endptr));
}

double
atof(const char *s)
{
	return (strtod(s, NULL));
}
