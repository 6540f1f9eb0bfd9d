/*
 * Formatted output: kprintf() to the console, ksnprintf() to a buffer.
 *
 * One formatter (kvformat) drives both through a per-call sink.  It knows
 * the usual conversions: d i u x X o p s c %, flags "-0#+ ", field width
 * and precision (also as '*'), and the length modifiers hh h l ll z j t.
 *
 * Console output is serialized by cons_lock so that lines from different
 * CPUs do not interleave.  The lock records its owning CPU and is taken
 * with interrupts disabled; a CPU that re-enters kprintf while holding it
 * (a trap inside kprintf, a panic) prints without waiting.  After a panic
 * the lock is ignored altogether (panicstr != NULL).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <machine/cpufunc.h>

struct sink {
	void	(*put)(struct sink *, char);
	char	*buf;		/* buffer sink: next byte */
	size_t	left;		/* buffer sink: room left, NUL included */
	int	count;		/* characters produced */
};

static volatile int cons_owner = -1;	/* [a] CPU holding the console */

static void
kvformat_num(struct sink *s, uint64_t v, int base, bool neg, bool upper,
    int width, int prec, bool left, bool zero, bool alt, char sign)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, pad;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (alt && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (alt && base == 8 && tmp[n - 1] != '0')
		prefix = "0";
	len = (prec > n ? prec : n) + (int)strlen(prefix) +
	    ((neg || sign) ? 1 : 0);
	pad = width > len ? width - len : 0;
	if (prec >= 0)
		zero = false;
	if (!left && !zero)
		while (pad-- > 0)
			s->put(s, ' ');
	if (neg)
		s->put(s, '-');
	else if (sign)
		s->put(s, sign);
	while (*prefix != '\0')
		s->put(s, *prefix++);
	if (!left && zero)
		while (pad-- > 0)
			s->put(s, '0');
	for (int i = n; i < prec; i++)
		s->put(s, '0');
	while (n > 0)
		s->put(s, tmp[--n]);
	if (left)
		while (pad-- > 0)
			s->put(s, ' ');
}

static void
kvformat(struct sink *s, const char *fmt, va_list ap)
{
	while (*fmt != '\0') {
		bool left = false, zero = false, alt = false;
		char sign = 0;
		int width = 0, prec = -1, lng = 0;
		uint64_t uv;
		int64_t sv;
		int base;

		if (*fmt != '%') {
			s->put(s, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else if (*fmt == '+')
				sign = '+';
			else if (*fmt == ' ' && sign == 0)
				sign = ' ';
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long and wider */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' ||
			    *fmt == 't')
				lng = 1;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			sv = lng >= 1 ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			uv = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
			kvformat_num(s, uv, 10, sv < 0, false, width, prec,
			    left, zero, alt, sign);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			uv = lng >= 1 ? va_arg(ap, uint64_t) :
			    va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng <= -2)
				uv = (unsigned char)uv;
			base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			kvformat_num(s, uv, base, false, *fmt == 'X', width,
			    prec, left, zero, alt, 0);
			break;
		case 'p':
			uv = (uint64_t)va_arg(ap, void *);
			kvformat_num(s, uv, 16, false, false, width, prec,
			    left, zero, true, 0);
			break;
		case 'c':
			s->put(s, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len, pad;

			if (str == NULL)
				str = "(null)";
			len = (int)strnlen(str, prec >= 0 ? (size_t)prec :
			    (size_t)-1);
			pad = width > len ? width - len : 0;
			if (!left)
				while (pad-- > 0)
					s->put(s, ' ');
			for (int i = 0; i < len; i++)
				s->put(s, str[i]);
			if (left)
				while (pad-- > 0)
					s->put(s, ' ');
			break;
		}
		case '%':
			s->put(s, '%');
			break;
		case '\0':
			return;
		default:
			s->put(s, '%');
			s->put(s, *fmt);
			break;
		}
		fmt++;
	}
}

static void
cons_sink_put(struct sink *s, char c)
{
	if (c == '\n')
		cons_putc('\r');
	cons_putc(c);
	s->count++;
}

static void
buf_sink_put(struct sink *s, char c)
{
	if (s->left > 1) {
		*s->buf++ = c;
		s->left--;
	}
	s->count++;
}

/*
 * Take the console for this CPU.  Returns the saved interrupt state and
 * sets *nested when this CPU already held it.  Called with any context.
 */
uint64_t
cons_lock(bool *nested)
{
	uint64_t rf = intr_disable();
	int me = mycpuid;

	*nested = false;
	if (cons_owner == me || panicstr != NULL) {
		*nested = true;
		return (rf);
	}
	for (;;) {
		int expect = -1;

		if (__atomic_compare_exchange_n(&cons_owner, &expect, me,
		    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		cpu_pause();
		if (panicstr != NULL) {
			*nested = true;
			break;
		}
	}
	return (rf);
}

void
cons_unlock(uint64_t rf, bool nested)
{
	if (!nested)
		__atomic_store_n(&cons_owner, -1, __ATOMIC_RELEASE);
	intr_restore(rf);
}

int
kvprintf(const char *fmt, va_list ap)
{
	struct sink s = { .put = cons_sink_put };
	bool nested;
	uint64_t rf;

	rf = cons_lock(&nested);
	kvformat(&s, fmt, ap);
	cons_unlock(rf, nested);
	return (s.count);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return (n);
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .put = buf_sink_put, .buf = buf, .left = size };

	kvformat(&s, fmt, ap);
	if (size > 0)
		*s.buf = '\0';
	return (s.count);
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n);
}
