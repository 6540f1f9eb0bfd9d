/*
 * The printf engine: __fmt_vformat interprets a format string and
 * writes the result through a sink (stdio_impl.h); the printf family
 * (printf.c) wraps it for streams, strings and descriptors.
 *
 * Supported (C11 7.21.6.1): conversions d i u o x X c s p n % and, in
 * fmt_float.c, f F e E g G (a and A print like e); flags - + space # 0;
 * width and precision as numbers or '*' (a negative '*' width means '-',
 * a negative '*' precision means none); length modifiers hh h l ll j z t
 * and L (long double, converted to double).  %m prints strerror(errno)
 * (an extension).  %p prints 0x and the hexadecimal address.  An
 * unknown conversion is copied out literally.  Positional arguments
 * ("%1$d") are not supported.
 *
 * Returns the number of bytes produced, or -1 if the sink failed or the
 * count does not fit in an int (errno EINVAL).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "stdio_impl.h"

enum fmt_len { FL_NONE, FL_HH, FL_H, FL_L, FL_LL, FL_J, FL_Z, FL_T, FL_LD };

void
__fmt_out(struct fmt_sink *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	s->fs_total += n;
	if (s->fs_err == 0 && s->fs_put(s, p, n) != 0)
		s->fs_err = 1;
}

/* Emit n copies of c (nothing if n <= 0). */
void
__fmt_pad(struct fmt_sink *s, int c, int n)
{
	char block[32];
	int k;

	if (n <= 0)
		return;
	memset(block, c, sizeof(block));
	for (; n > 0; n -= k) {
		k = n < (int)sizeof(block) ? n : (int)sizeof(block);
		__fmt_out(s, block, (size_t)k);
	}
}

/* Fetch a signed integer argument of the given length. */
static intmax_t
fmt_arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case FL_HH:
		return ((signed char)va_arg(*ap, int));
	case FL_H:
		return ((short)va_arg(*ap, int));
	case FL_L:
		return (va_arg(*ap, long));
	case FL_LL:
		return (va_arg(*ap, long long));
	case FL_J:
		return (va_arg(*ap, intmax_t));
	case FL_Z:
		return (va_arg(*ap, ssize_t));
	case FL_T:
		return (va_arg(*ap, ptrdiff_t));
	default:
		return (va_arg(*ap, int));
	}
}

static uintmax_t
fmt_arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case FL_HH:
		return ((unsigned char)va_arg(*ap, unsigned int));
	case FL_H:
		return ((unsigned short)va_arg(*ap, unsigned int));
	case FL_L:
		return (va_arg(*ap, unsigned long));
	case FL_LL:
		return (va_arg(*ap, unsigned long long));
	case FL_J:
		return (va_arg(*ap, uintmax_t));
	case FL_Z:
		return (va_arg(*ap, size_t));
	case FL_T:
		return ((uintmax_t)va_arg(*ap, ptrdiff_t));
	default:
		return (va_arg(*ap, unsigned int));
	}
}

/* Store the byte count for %n. */
static void
fmt_store_count(va_list *ap, enum fmt_len len, size_t total)
{
	switch (len) {
	case FL_HH:
		*va_arg(*ap, signed char *) = (signed char)total;
		break;
	case FL_H:
		*va_arg(*ap, short *) = (short)total;
		break;
	case FL_L:
		*va_arg(*ap, long *) = (long)total;
		break;
	case FL_LL:
		*va_arg(*ap, long long *) = (long long)total;
		break;
	case FL_J:
		*va_arg(*ap, intmax_t *) = (intmax_t)total;
		break;
	case FL_Z:
		*va_arg(*ap, ssize_t *) = (ssize_t)total;
		break;
	case FL_T:
		*va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)total;
		break;
	default:
		*va_arg(*ap, int *) = (int)total;
		break;
	}
}

/*
 * Emit the body `body' (blen bytes) after the prefix `pre', with zeros
 * leading zeros, padded to the field width of sp.
 */
static void
fmt_field(struct fmt_sink *s, const struct fmt_spec *sp, const char *pre,
    int zeros, const char *body, int blen)
{
	int plen = (int)strlen(pre), fill;

	fill = sp->width - plen - zeros - blen;
	if (!sp->minus && !sp->zero)
		__fmt_pad(s, ' ', fill);
	__fmt_out(s, pre, (size_t)plen);
	if (!sp->minus && sp->zero)
		__fmt_pad(s, '0', fill);
	__fmt_pad(s, '0', zeros);
	__fmt_out(s, body, (size_t)blen);
	if (sp->minus)
		__fmt_pad(s, ' ', fill);
}

/* Format an integer conversion (d i u o x X p) of magnitude v. */
static void
fmt_integer(struct fmt_sink *s, struct fmt_spec *sp, uintmax_t v, int neg)
{
	const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" :
	    "0123456789abcdef";
	char buf[72], *p = buf + sizeof(buf);
	const char *pre = "";
	unsigned int base = 10;
	int n, zeros;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	if (sp->prec >= 0)
		sp->zero = 0;
	if (v != 0 || sp->prec != 0) {
		do {
			*--p = digits[v % base];
			v /= base;
		} while (v != 0);
	}
	n = (int)(buf + sizeof(buf) - p);
	if (sp->conv == 'd' || sp->conv == 'i')
		pre = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	else if (sp->conv == 'p')
		pre = "0x";
	else if (sp->alt && base == 16 && n > 0 && !(n == 1 && *p == '0'))
		pre = sp->conv == 'X' ? "0X" : "0x";
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->alt && base == 8 && zeros == 0 && (n == 0 || *p != '0'))
		zeros = 1;
	fmt_field(s, sp, pre, zeros, p, n);
}

static void
fmt_string(struct fmt_sink *s, struct fmt_spec *sp, const char *str)
{
	size_t n;

	if (str == NULL)
		str = "(null)";
	n = sp->prec >= 0 ? strnlen(str, (size_t)sp->prec) : strlen(str);
	if (n > INT_MAX)
		n = INT_MAX;
	sp->zero = 0;
	fmt_field(s, sp, "", 0, str, (int)n);
}

/* Parse a decimal number at *fp (saturating at INT_MAX). */
static int
fmt_number(const char **fp)
{
	const char *f = *fp;
	long n = 0;

	while (*f >= '0' && *f <= '9') {
		if (n < INT_MAX)
			n = n * 10 + (*f - '0');
		f++;
	}
	*fp = f;
	return (n > INT_MAX ? INT_MAX : (int)n);
}

/* Parse flags, width and precision at *fp into sp. */
static void
fmt_parse_spec(const char **fp, struct fmt_spec *sp, va_list *ap)
{
	const char *f = *fp;

	memset(sp, 0, sizeof(*sp));
	for (;; f++) {
		if (*f == '-')
			sp->minus = 1;
		else if (*f == '+')
			sp->plus = 1;
		else if (*f == ' ')
			sp->space = 1;
		else if (*f == '#')
			sp->alt = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	sp->width = -1;
	if (*f == '*') {
		f++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->minus = 1;
			sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
		}
	} else if (*f >= '1' && *f <= '9')
		sp->width = fmt_number(&f);
	sp->prec = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			f++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
		} else
			sp->prec = fmt_number(&f);
	}
	*fp = f;
}

static enum fmt_len
fmt_parse_len(const char **fp)
{
	const char *f = *fp;
	enum fmt_len len;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? FL_HH : FL_H;
		break;
	case 'l':
		len = f[1] == 'l' ? FL_LL : FL_L;
		break;
	case 'q':
		len = FL_LL;
		break;
	case 'j':
		len = FL_J;
		break;
	case 'z':
		len = FL_Z;
		break;
	case 't':
		len = FL_T;
		break;
	case 'L':
		len = FL_LD;
		break;
	default:
		return (FL_NONE);
	}
	f += (len == FL_HH || (len == FL_LL && *f == 'l')) ? 2 : 1;
	*fp = f;
	return (len);
}

/* Do one conversion, consuming its argument. */
static void
fmt_convert(struct fmt_sink *s, struct fmt_spec *sp, enum fmt_len len,
    va_list *ap)
{
	intmax_t iv;
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		iv = fmt_arg_signed(ap, len);
		fmt_integer(s, sp, iv < 0 ? 0 - (uintmax_t)iv : (uintmax_t)iv,
		    iv < 0);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		fmt_integer(s, sp, fmt_arg_unsigned(ap, len), 0);
		break;
	case 'p':
		sp->alt = 0;
		fmt_integer(s, sp, (uintptr_t)va_arg(*ap, void *), 0);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->zero = 0;
		fmt_field(s, sp, "", 0, &c, 1);
		break;
	case 's':
		fmt_string(s, sp, va_arg(*ap, const char *));
		break;
	case 'm':
		fmt_string(s, sp, strerror(errno));
		break;
	case 'n':
		fmt_store_count(ap, len, s->fs_total);
		break;
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
	case 'a': case 'A':
		if (len == FL_LD)
			__fmt_float(s, sp, (double)va_arg(*ap, long double));
		else
			__fmt_float(s, sp, va_arg(*ap, double));
		break;
	}
}

int
__fmt_vformat(struct fmt_sink *s, const char *fmt, va_list ap0)
{
	const char *f = fmt, *start, *lit;
	struct fmt_spec sp;
	enum fmt_len len;
	va_list ap;
	int saved = errno;

	va_copy(ap, ap0);
	s->fs_total = 0;
	s->fs_err = 0;
	while (*f != '\0') {
		lit = f;
		while (*f != '\0' && *f != '%')
			f++;
		__fmt_out(s, lit, (size_t)(f - lit));
		if (*f == '\0')
			break;
		start = f++;
		if (*f == '%') {
			__fmt_out(s, "%", 1);
			f++;
			continue;
		}
		errno = saved;		/* for %m */
		fmt_parse_spec(&f, &sp, &ap);
		len = fmt_parse_len(&f);
		sp.conv = (unsigned char)*f;
		if (sp.conv == '\0' ||
		    strchr("diuoxXpcsmnfFeEgGaA", sp.conv) == NULL) {
			/* Unknown: copy the specification out as text. */
			__fmt_out(s, start, (size_t)(f - start));
			continue;
		}
		f++;
		fmt_convert(s, &sp, len, &ap);
	}
	va_end(ap);
	if (s->fs_err)
		return (-1);
	if (s->fs_total > INT_MAX) {
		errno = EINVAL;
		return (-1);
	}
	return ((int)s->fs_total);
}
