/*
 * Floating-point conversions of the printf engine: %f %F %e %E %g %G
 * (%a and %A print as %e / %E).
 *
 * Method: a finite double is m * 2^e exactly, and so is an exact
 * decimal fraction with at most 767 significant digits: for e >= 0 it
 * is the integer m * 2^e, and for e < 0 it is (m * 5^-e) / 10^-e.  We
 * compute that integer in a base-10^9 big number (at most 90 limbs, on
 * the stack), print its digits, and round the digit string to the
 * requested precision with round-half-to-even, which is what an exact
 * conversion under the default rounding mode gives.  So every output is
 * correctly rounded, for any exponent, at a cost of a few hundred
 * limb multiplications for the most extreme values.
 *
 * A digit string D of nd digits with decimal exponent dexp stands for
 * the value 0.D * 10^dexp; the empty string (nd == 0, dexp == 0) is 0.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stdio_impl.h"

#define FF_LIMBS	90	/* 810 decimal digits */
#define FF_BASE		1000000000U
#define FF_MAXDIG	(FF_LIMBS * 9)

struct ff_num {
	uint32_t	n_limb[FF_LIMBS];	/* little-endian, base 10^9 */
	int		n_len;
};

struct ff_digits {
	char	d_dig[FF_MAXDIG];
	int	d_nd;
	int	d_exp;
};

static void
ff_mul(struct ff_num *a, uint32_t k)
{
	uint64_t carry = 0, t;
	int i;

	for (i = 0; i < a->n_len; i++) {
		t = (uint64_t)a->n_limb[i] * k + carry;
		a->n_limb[i] = (uint32_t)(t % FF_BASE);
		carry = t / FF_BASE;
	}
	while (carry != 0 && a->n_len < FF_LIMBS) {
		a->n_limb[a->n_len++] = (uint32_t)(carry % FF_BASE);
		carry /= FF_BASE;
	}
}

/* Multiply a by base^count, base being 2 or 5, in chunks that fit. */
static void
ff_mul_pow(struct ff_num *a, uint32_t base, int count)
{
	int chunk = base == 2 ? 29 : 13;
	uint32_t k;
	int i, c;

	while (count > 0) {
		c = count < chunk ? count : chunk;
		for (k = 1, i = 0; i < c; i++)
			k *= base;
		ff_mul(a, k);
		count -= c;
	}
}

/* Exact decimal digits of the finite, non-negative value v. */
static void
ff_exact(double v, struct ff_digits *d)
{
	struct ff_num num;
	uint64_t bits, m;
	uint32_t x;
	int e, i, k, len;
	char tmp[9];

	memcpy(&bits, &v, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff);
	m = bits & ((1ULL << 52) - 1);
	if (e == 0)
		e = 1;			/* subnormal */
	else
		m |= 1ULL << 52;
	e -= 1075;
	num.n_len = 0;
	while (m != 0) {
		num.n_limb[num.n_len++] = (uint32_t)(m % FF_BASE);
		m /= FF_BASE;
	}
	if (e >= 0)
		ff_mul_pow(&num, 2, e);
	else
		ff_mul_pow(&num, 5, -e);
	/* Print the limbs, most significant first, without leading zeros. */
	d->d_nd = 0;
	for (i = num.n_len - 1; i >= 0; i--) {
		x = num.n_limb[i];
		for (k = 8; k >= 0; k--) {
			tmp[k] = (char)('0' + x % 10);
			x /= 10;
		}
		for (k = 0; k < 9; k++) {
			if (d->d_nd == 0 && tmp[k] == '0')
				continue;
			d->d_dig[d->d_nd++] = tmp[k];
		}
	}
	len = d->d_nd;
	d->d_exp = e >= 0 ? len : len + e;
	while (d->d_nd > 0 && d->d_dig[d->d_nd - 1] == '0')
		d->d_nd--;
	if (d->d_nd == 0)
		d->d_exp = 0;
}

/*
 * Keep the first `keep' digits of d, rounding half to even on the
 * discarded tail; keep may be negative (the result is then zero).
 */
static void
ff_round(struct ff_digits *d, int keep)
{
	int i, up;

	if (keep >= d->d_nd)
		return;
	if (keep < 0) {
		d->d_nd = 0;
		return;
	}
	if (d->d_dig[keep] > '5')
		up = 1;
	else if (d->d_dig[keep] < '5')
		up = 0;
	else if (keep + 1 < d->d_nd)
		up = 1;		/* digits after the 5 are not all zero */
	else
		up = keep > 0 && ((d->d_dig[keep - 1] - '0') & 1);
	d->d_nd = keep;
	if (up) {
		for (i = keep - 1; i >= 0 && d->d_dig[i] == '9'; i--)
			d->d_nd--;
		if (i < 0) {
			d->d_dig[0] = '1';
			d->d_nd = 1;
			d->d_exp++;
		} else
			d->d_dig[i]++;
	}
	while (d->d_nd > 0 && d->d_dig[d->d_nd - 1] == '0')
		d->d_nd--;
}

/* Emit count digits of d starting at index from, '0' outside 0..nd-1. */
static void
ff_emit(struct fmt_sink *s, const struct ff_digits *d, int from, int count)
{
	int lo, hi;

	if (count <= 0)
		return;
	lo = from < 0 ? 0 : from;
	hi = from + count < d->d_nd ? from + count : d->d_nd;
	if (lo >= hi) {
		__fmt_pad(s, '0', count);
		return;
	}
	__fmt_pad(s, '0', lo - from);
	__fmt_out(s, d->d_dig + lo, (size_t)(hi - lo));
	__fmt_pad(s, '0', from + count - hi);
}

/* Layout of one number: lengths first, so padding can be computed. */
struct ff_layout {
	int	style;		/* 'f' or 'e' */
	int	fdig;		/* digits after the point */
	int	point;		/* emit the point */
	int	x;		/* exponent for 'e' */
	char	ebuf[8];	/* "e+NN" */
};

static int
ff_body_len(const struct ff_digits *d, struct ff_layout *l, int upper)
{
	int n, ax, i;
	char t[6];

	if (l->style == 'f')
		return ((d->d_exp > 0 ? d->d_exp : 1) + l->point + l->fdig);
	n = 0;
	l->ebuf[n++] = upper ? 'E' : 'e';
	l->ebuf[n++] = l->x < 0 ? '-' : '+';
	ax = l->x < 0 ? -l->x : l->x;
	for (i = 0; ax != 0 || i < 2; i++, ax /= 10)
		t[i] = (char)('0' + ax % 10);
	while (i > 0)
		l->ebuf[n++] = t[--i];
	l->ebuf[n] = '\0';
	return (1 + l->point + l->fdig + n);
}

static void
ff_body(struct fmt_sink *s, const struct ff_digits *d,
    const struct ff_layout *l)
{
	if (l->style == 'f') {
		if (d->d_exp > 0)
			ff_emit(s, d, 0, d->d_exp);
		else
			__fmt_out(s, "0", 1);
		if (l->point)
			__fmt_out(s, ".", 1);
		ff_emit(s, d, d->d_exp, l->fdig);
		return;
	}
	ff_emit(s, d, 0, 1);
	if (l->point)
		__fmt_out(s, ".", 1);
	ff_emit(s, d, 1, l->fdig);
	__fmt_out(s, l->ebuf, strlen(l->ebuf));
}

/*
 * Decide the layout of d for the spec, rounding d as needed.  %g
 * (C11 7.21.6.1): with P significant digits (6 if no precision, 1 if
 * 0) and X the exponent %e would print, use %f with precision P-1-X if
 * P > X >= -4, else %e with precision P-1; then, unless '#', drop
 * trailing zeros and a trailing point.
 */
static void
ff_plan(struct ff_digits *d, const struct fmt_spec *sp, struct ff_layout *l)
{
	int conv = sp->conv | 0x20, p = sp->prec, x;

	if (conv == 'f') {
		p = p < 0 ? 6 : p;
		ff_round(d, d->d_exp + p);
		l->style = 'f';
		l->fdig = p;
	} else if (conv == 'e' || conv == 'a') {
		p = p < 0 ? 6 : p;
		ff_round(d, p + 1);
		l->style = 'e';
		l->fdig = p;
	} else {
		p = p < 0 ? 6 : p == 0 ? 1 : p;
		ff_round(d, p);
		x = d->d_nd == 0 ? 0 : d->d_exp - 1;
		if (x < p && x >= -4) {
			l->style = 'f';
			l->fdig = p - 1 - x;
			if (!sp->alt && l->fdig > d->d_nd - d->d_exp)
				l->fdig = d->d_nd - d->d_exp > 0 ?
				    d->d_nd - d->d_exp : 0;
		} else {
			l->style = 'e';
			l->fdig = p - 1;
			if (!sp->alt && l->fdig > d->d_nd - 1)
				l->fdig = d->d_nd > 1 ? d->d_nd - 1 : 0;
		}
	}
	l->point = l->fdig > 0 || sp->alt;
	l->x = d->d_nd == 0 ? 0 : d->d_exp - 1;
}

int
__fmt_float(struct fmt_sink *s, const struct fmt_spec *sp, double v)
{
	struct ff_digits d;
	struct ff_layout l;
	const char *pre, *special = NULL;
	int upper = (sp->conv >= 'A' && sp->conv <= 'Z'), blen, fill, zero;

	pre = __builtin_signbit(v) ? "-" : sp->plus ? "+" : sp->space ? " " :
	    "";
	if (__builtin_signbit(v))
		v = -v;
	zero = sp->zero && !sp->minus;
	if (__builtin_isnan(v))
		special = upper ? "NAN" : "nan";
	else if (__builtin_isinf(v))
		special = upper ? "INF" : "inf";
	if (special != NULL) {
		blen = 3;
		zero = 0;
	} else {
		ff_exact(v, &d);
		ff_plan(&d, sp, &l);
		blen = ff_body_len(&d, &l, upper);
	}
	fill = sp->width - (int)strlen(pre) - blen;
	if (!sp->minus && !zero)
		__fmt_pad(s, ' ', fill);
	__fmt_out(s, pre, strlen(pre));
	if (zero)
		__fmt_pad(s, '0', fill);
	if (special != NULL)
		__fmt_out(s, special, 3);
	else
		ff_body(s, &d, &l);
	if (sp->minus)
		__fmt_pad(s, ' ', fill);
	return (0);
}
