/*
 * The scanf engine: __scan_vscan reads input from a source (a stream or
 * a string, stdio_impl.h) as directed by a format; scanf.c holds the
 * public wrappers.
 *
 * Supported (C11 7.21.6.2): white space (skips any amount), ordinary
 * characters (must match), and conversions d i u o x X p (integers via
 * strtoll/strtoull, so out-of-range values clamp), f F e E g G a
 * (decimal floating point via strtod, also inf and nan), s, c, [set]
 * (with ^ and ranges), n and %%; assignment suppression '*', a maximum
 * field width, and length modifiers hh h l ll j z t L.
 *
 * Returns the number of assignments made, or EOF when input ended (or
 * failed) before the first conversion could complete.
 * NOTE: like most implementations, at most one character is pushed
 * back, so a failed prefix such as "1e" followed by a non-digit is
 * converted as "1e" -> 1 with the "e" consumed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "stdio_impl.h"

#define SCAN_NUMMAX	128	/* longest number text we convert */

enum scan_len { SL_NONE, SL_HH, SL_H, SL_L, SL_LL, SL_J, SL_Z, SL_T, SL_LD };

static int
scan_get(struct scan_src *src)
{
	int c;

	if (src->ss_file != NULL)
		c = fgetc(src->ss_file);
	else if (*src->ss_str == '\0')
		c = EOF;
	else
		c = (unsigned char)*src->ss_str++;
	if (c != EOF)
		src->ss_count++;
	return (c);
}

static void
scan_unget(struct scan_src *src, int c)
{
	if (c == EOF)
		return;
	src->ss_count--;
	if (src->ss_file != NULL)
		ungetc(c, src->ss_file);
	else
		src->ss_str--;
}

/* Skip white space; returns the first other character (consumed). */
static int
scan_skip_space(struct scan_src *src)
{
	int c;

	while ((c = scan_get(src)) != EOF && isspace(c))
		;
	return (c);
}

static int
scan_digit_ok(int c, int base)
{
	if (base == 8)
		return (c >= '0' && c <= '7');
	if (base == 16)
		return (isxdigit(c));
	return (isdigit(c));
}

/*
 * Collect the text of an integer of the given base (0: C syntax) into
 * buf, at most width characters.  Returns the text length, 0 if no
 * digit was seen (matching failure), -1 on EOF before any character.
 */
static int
scan_int_text(struct scan_src *src, int base, int width, char *buf)
{
	int c, n = 0, digits = 0;

	c = scan_skip_space(src);
	if (c == EOF)
		return (-1);
	if ((c == '+' || c == '-') && n < width) {
		buf[n++] = (char)c;
		c = scan_get(src);
	}
	if (c == '0' && n < width && (base == 0 || base == 16)) {
		buf[n++] = (char)c;
		digits = 1;
		c = scan_get(src);
		if ((c == 'x' || c == 'X') && n < width) {
			buf[n++] = (char)c;
			base = 16;
			c = scan_get(src);
		} else if (base == 0)
			base = 8;
	}
	if (base == 0)
		base = 10;
	while (n < width && n < SCAN_NUMMAX - 1 && c != EOF &&
	    scan_digit_ok(c, base)) {
		buf[n++] = (char)c;
		digits = 1;
		c = scan_get(src);
	}
	scan_unget(src, c);
	buf[n] = '\0';
	return (digits ? n : 0);
}

/* Collect the text of a floating-point number; as scan_int_text. */
static int
scan_float_text(struct scan_src *src, int width, char *buf)
{
	int c, n = 0, digits = 0, dot = 0;

	c = scan_skip_space(src);
	if (c == EOF)
		return (-1);
	if ((c == '+' || c == '-') && n < width) {
		buf[n++] = (char)c;
		c = scan_get(src);
	}
	if (c == 'i' || c == 'I' || c == 'n' || c == 'N') {
		/* inf, infinity, nan: take letters and let strtod judge. */
		while (n < width && n < SCAN_NUMMAX - 1 && c != EOF &&
		    isalpha(c)) {
			buf[n++] = (char)c;
			c = scan_get(src);
		}
		scan_unget(src, c);
		buf[n] = '\0';
		return (n);
	}
	for (; n < width && n < SCAN_NUMMAX - 1 && c != EOF;
	    c = scan_get(src)) {
		if (isdigit(c))
			digits = 1;
		else if (c == '.' && !dot)
			dot = 1;
		else
			break;
		buf[n++] = (char)c;
	}
	if (digits && (c == 'e' || c == 'E') && n < width - 1) {
		buf[n++] = (char)c;
		c = scan_get(src);
		if ((c == '+' || c == '-') && n < width - 1) {
			buf[n++] = (char)c;
			c = scan_get(src);
		}
		while (n < width && n < SCAN_NUMMAX - 1 && c != EOF &&
		    isdigit(c)) {
			buf[n++] = (char)c;
			c = scan_get(src);
		}
	}
	scan_unget(src, c);
	buf[n] = '\0';
	return (digits ? n : 0);
}

static void
scan_store_int(va_list *ap, enum scan_len len, uintmax_t v)
{
	switch (len) {
	case SL_HH:
		*va_arg(*ap, unsigned char *) = (unsigned char)v;
		break;
	case SL_H:
		*va_arg(*ap, unsigned short *) = (unsigned short)v;
		break;
	case SL_L:
	case SL_LL:
	case SL_J:
	case SL_Z:
	case SL_T:
	case SL_LD:
		*va_arg(*ap, unsigned long long *) = (unsigned long long)v;
		break;
	default:
		*va_arg(*ap, unsigned int *) = (unsigned int)v;
		break;
	}
}

/*
 * Parse a scanset at *fp (just past '[') into set[256].  Returns 0, or
 * -1 if the set is not closed.
 */
static int
scan_parse_set(const char **fp, char set[256])
{
	const unsigned char *f = (const unsigned char *)*fp;
	int neg = 0, c;

	memset(set, 0, 256);
	if (*f == '^') {
		neg = 1;
		f++;
	}
	if (*f == ']') {
		set[']'] = 1;
		f++;
	}
	for (; *f != ']'; f++) {
		if (*f == '\0')
			return (-1);
		if (f[1] == '-' && f[2] != ']' && f[2] != '\0') {
			for (c = f[0]; c <= f[2]; c++)
				set[c] = 1;
			f += 2;
		} else
			set[*f] = 1;
	}
	if (neg) {
		for (c = 0; c < 256; c++)
			set[c] = !set[c];
	}
	*fp = (const char *)f + 1;
	return (0);
}

/*
 * Read characters for %c (exactly width), %s (stop at space) or %[
 * (stop outside set).  Returns the count read, -1 at EOF first.
 */
static int
scan_chars(struct scan_src *src, int conv, const char *set, int width,
    char *dst)
{
	int c = EOF, n = 0;

	if (conv == 's') {
		c = scan_skip_space(src);
		if (c == EOF)
			return (-1);
		scan_unget(src, c);
	}
	while (n < width) {
		c = scan_get(src);
		if (c == EOF)
			break;
		if ((conv == 's' && isspace(c)) ||
		    (conv == '[' && !set[c])) {
			scan_unget(src, c);
			break;
		}
		if (dst != NULL)
			dst[n] = (char)c;
		n++;
	}
	if (n == 0 && c == EOF)
		return (-1);
	if (dst != NULL && conv != 'c' && n > 0)
		dst[n] = '\0';
	return (n);
}

static enum scan_len
scan_parse_len(const char **fp)
{
	const char *f = *fp;
	enum scan_len len;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? SL_HH : SL_H;
		break;
	case 'l':
		len = f[1] == 'l' ? SL_LL : SL_L;
		break;
	case 'j':
		len = SL_J;
		break;
	case 'z':
		len = SL_Z;
		break;
	case 't':
		len = SL_T;
		break;
	case 'L':
		len = SL_LD;
		break;
	default:
		return (SL_NONE);
	}
	f += (len == SL_HH || (len == SL_LL && *f == 'l')) ? 2 : 1;
	*fp = f;
	return (len);
}

/*
 * One numeric conversion.  Returns 1 if converted, 0 on matching
 * failure, -1 on input failure.
 */
static int
scan_number(struct scan_src *src, int conv, int width, int suppress,
    enum scan_len len, va_list *ap)
{
	char buf[SCAN_NUMMAX];
	int n, base;

	if (strchr("fFeEgGaA", conv) != NULL) {
		n = scan_float_text(src, width, buf);
		if (n <= 0)
			return (n);
		if (suppress)
			return (1);
		if (len == SL_L)
			*va_arg(*ap, double *) = strtod(buf, NULL);
		else if (len == SL_LD)
			*va_arg(*ap, long double *) = strtold(buf, NULL);
		else
			*va_arg(*ap, float *) = strtof(buf, NULL);
		return (1);
	}
	base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 :
	    conv == 'o' ? 8 : 16;
	n = scan_int_text(src, base, width, buf);
	if (n <= 0)
		return (n);
	if (suppress)
		return (1);
	if (conv == 'p')
		*va_arg(*ap, void **) = (void *)(uintptr_t)strtoull(buf, NULL,
		    16);
	else if (conv == 'd' || conv == 'i')
		scan_store_int(ap, len, (uintmax_t)strtoll(buf, NULL, base));
	else
		scan_store_int(ap, len, (uintmax_t)strtoull(buf, NULL, base));
	return (1);
}

/*
 * One conversion at *fp (just past '%').  Returns 1 if it assigned, 0
 * if it matched without assigning, -2 on matching failure, -1 on input
 * failure.
 */
static int
scan_one(struct scan_src *src, const char **fp, va_list *ap)
{
	const char *f = *fp;
	int suppress = 0, width = 0, conv, n, c;
	enum scan_len len;
	char set[256];

	if (*f == '*') {
		suppress = 1;
		f++;
	}
	while (isdigit((unsigned char)*f))
		width = width * 10 + (*f++ - '0');
	len = scan_parse_len(&f);
	conv = (unsigned char)*f;
	if (conv != '\0')
		f++;
	*fp = f;
	switch (conv) {
	case '%':
		c = scan_skip_space(src);
		if (c == '%')
			return (0);
		scan_unget(src, c);
		return (c == EOF ? -1 : -2);
	case 'n':
		if (!suppress)
			scan_store_int(ap, len, (uintmax_t)src->ss_count);
		return (0);
	case '[':
		if (scan_parse_set(&f, set) != 0)
			return (-2);
		*fp = f;
		/* FALLTHROUGH */
	case 's':
	case 'c':
		if (width == 0)
			width = conv == 'c' ? 1 : INT32_MAX;
		n = scan_chars(src, conv, set, width,
		    suppress ? NULL : va_arg(*ap, char *));
		if (n <= 0)
			return (n < 0 ? -1 : -2);
		return (suppress ? 0 : 1);
	default:
		if (conv == '\0' || strchr("diuoxXpfFeEgGaA", conv) == NULL)
			return (-2);
		n = scan_number(src, conv, width == 0 ? INT32_MAX : width,
		    suppress, len, ap);
		if (n <= 0)
			return (n < 0 ? -1 : -2);
		return (suppress ? 0 : 1);
	}
}

int
__scan_vscan(struct scan_src *src, const char *fmt, va_list ap0)
{
	const char *f = fmt;
	int assigned = 0, converted = 0, r, c;
	va_list ap;

	va_copy(ap, ap0);
	while (*f != '\0') {
		if (isspace((unsigned char)*f)) {
			while (isspace((unsigned char)*f))
				f++;
			scan_unget(src, scan_skip_space(src));
			continue;
		}
		if (*f != '%') {
			c = scan_get(src);
			if (c != (unsigned char)*f) {
				scan_unget(src, c);
				if (c == EOF && converted == 0)
					assigned = EOF;
				break;
			}
			f++;
			continue;
		}
		f++;
		r = scan_one(src, &f, &ap);
		if (r == -1 && converted == 0) {
			assigned = EOF;
			break;
		}
		if (r < 0)
			break;
		assigned += r;
		converted++;
	}
	va_end(ap);
	return (assigned);
}
