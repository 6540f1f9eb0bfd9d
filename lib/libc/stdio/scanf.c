/*
 * The scanf family: wrappers pointing the engine (vscan.c) at a stream
 * or a string.
 */
#include <stdarg.h>
#include <stdio.h>

#include "stdio_impl.h"

int
vfscanf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct scan_src src = { .ss_file = f };

	return (__scan_vscan(&src, fmt, ap));
}

int
vscanf(const char *restrict fmt, va_list ap)
{
	return (vfscanf(stdin, fmt, ap));
}

int
vsscanf(const char *restrict str, const char *restrict fmt, va_list ap)
{
	struct scan_src src = { .ss_str = str };

	return (__scan_vscan(&src, fmt, ap));
}

int
scanf(const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfscanf(stdin, fmt, ap);
	va_end(ap);
	return (r);
}

int
fscanf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfscanf(f, fmt, ap);
	va_end(ap);
	return (r);
}

int
sscanf(const char *restrict str, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsscanf(str, fmt, ap);
	va_end(ap);
	return (r);
}
