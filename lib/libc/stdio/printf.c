/*
 * The printf family: thin wrappers that point the engine (vformat.c) at
 * a stream, a caller's string, a growing malloc'ed string or a file
 * descriptor.
 *
 * snprintf/vsnprintf always NUL-terminate when the size is not 0 and
 * return the length the whole output would have had.  dprintf, and
 * fprintf to an unbuffered stream (stderr), collect the output in a
 * 512-byte stack buffer that is written when it fills and at the end,
 * so a short message costs one write(2), not one per conversion.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

static int
pf_put_file(struct fmt_sink *s, const char *p, size_t n)
{
	return (__sf_write(s->fs_arg, p, n) != 0 ? -1 : 0);
}

/* Copy what fits into fs_buf[0..fs_cap - 1), keeping room for the NUL. */
static int
pf_put_str(struct fmt_sink *s, const char *p, size_t n)
{
	size_t room;

	if (s->fs_cap == 0)
		return (0);
	room = s->fs_cap - 1 - s->fs_len;
	if (n > room)
		n = room;
	memcpy(s->fs_buf + s->fs_len, p, n);
	s->fs_len += n;
	return (0);
}

/* Grow a malloc'ed buffer; fails with ENOMEM. */
static int
pf_put_alloc(struct fmt_sink *s, const char *p, size_t n)
{
	size_t cap;
	char *nb;

	if (s->fs_len + n + 1 > s->fs_cap) {
		cap = s->fs_cap * 2;
		if (cap < s->fs_len + n + 1)
			cap = s->fs_len + n + 1;
		nb = realloc(s->fs_buf, cap);
		if (nb == NULL)
			return (-1);
		s->fs_buf = nb;
		s->fs_cap = cap;
	}
	memcpy(s->fs_buf + s->fs_len, p, n);
	s->fs_len += n;
	return (0);
}

/* The stack buffer of dprintf (fd) or of an unbuffered stream (f). */
struct pf_fdbuf {
	int	fd;
	FILE	*f;
	size_t	len;
	char	buf[512];
};

static int
pf_fd_drain(struct pf_fdbuf *b)
{
	size_t off = 0;
	ssize_t w;

	if (b->f != NULL) {
		w = b->len > 0 ? __sf_write(b->f, b->buf, b->len) : 0;
		b->len = 0;
		return (w != 0 ? -1 : 0);
	}
	while (off < b->len) {
		w = write(b->fd, b->buf + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return (-1);
		off += (size_t)w;
	}
	b->len = 0;
	return (0);
}

static int
pf_put_fd(struct fmt_sink *s, const char *p, size_t n)
{
	struct pf_fdbuf *b = s->fs_arg;
	size_t k;

	while (n > 0) {
		if (b->len == sizeof(b->buf) && pf_fd_drain(b) != 0)
			return (-1);
		k = sizeof(b->buf) - b->len;
		if (k > n)
			k = n;
		memcpy(b->buf + b->len, p, k);
		b->len += k;
		p += k;
		n -= k;
	}
	return (0);
}

int
vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct fmt_sink s = { .fs_put = pf_put_file, .fs_arg = f };
	struct pf_fdbuf b;
	int r;

	if (!(f->flags & SF_NBF))
		return (__fmt_vformat(&s, fmt, ap));
	b.fd = -1;
	b.f = f;
	b.len = 0;
	s.fs_put = pf_put_fd;
	s.fs_arg = &b;
	r = __fmt_vformat(&s, fmt, ap);
	if (pf_fd_drain(&b) != 0)
		return (-1);
	return (r);
}

int
vprintf(const char *restrict fmt, va_list ap)
{
	return (vfprintf(stdout, fmt, ap));
}

int
vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
    va_list ap)
{
	struct fmt_sink s = { .fs_put = pf_put_str, .fs_buf = buf,
	    .fs_cap = size };
	int r;

	r = __fmt_vformat(&s, fmt, ap);
	if (size > 0)
		buf[s.fs_len] = '\0';
	return (r);
}

int
vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return (vsnprintf(buf, SIZE_MAX / 2, fmt, ap));
}

int
vasprintf(char **restrict out, const char *restrict fmt, va_list ap)
{
	struct fmt_sink s = { .fs_put = pf_put_alloc };
	int r;

	r = __fmt_vformat(&s, fmt, ap);
	if (r < 0 || pf_put_alloc(&s, "", 0) != 0) {
		free(s.fs_buf);
		*out = NULL;
		return (-1);
	}
	s.fs_buf[s.fs_len] = '\0';
	*out = s.fs_buf;
	return (r);
}

int
vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	struct pf_fdbuf b = { .fd = fd, .f = NULL, .len = 0 };
	struct fmt_sink s = { .fs_put = pf_put_fd, .fs_arg = &b };
	int r;

	r = __fmt_vformat(&s, fmt, ap);
	if (pf_fd_drain(&b) != 0)
		return (-1);
	return (r);
}

int
printf(const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return (r);
}

int
fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return (r);
}

int
dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return (r);
}

int
sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return (r);
}

int
snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (r);
}

int
asprintf(char **restrict out, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(out, fmt, ap);
	va_end(ap);
	return (r);
}
