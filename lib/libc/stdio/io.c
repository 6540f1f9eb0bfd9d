/*
 * Character, line and block transfer on streams, positioning, and the
 * stream state queries.  All transfers go through the buffer primitives
 * of file.c; see stdio_impl.h for the stream rules.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

int
fgetc(FILE *f)
{
	if (f->nub > 0)
		return (f->ub[--f->nub]);
	if ((f->flags & SF_READING) && f->rpos < f->rend)
		return (*f->rpos++);
	if (__sf_refill(f) != 0)
		return (EOF);
	return (*f->rpos++);
}

int
getc(FILE *f)
{
	return (fgetc(f));
}

int
getchar(void)
{
	return (fgetc(stdin));
}

/*
 * Push c back onto f; the next read returns it.  Up to SF_UNGETMAX
 * pushes are kept.  Clears end-of-file.  Returns c, or EOF.
 */
int
ungetc(int c, FILE *f)
{
	if (c == EOF || f->nub >= SF_UNGETMAX || !(f->flags & SF_RD))
		return (EOF);
	if ((f->flags & SF_WRITING) && __sf_idle(f) != 0)
		return (EOF);
	if (!(f->flags & SF_READING)) {
		f->flags |= SF_READING;
		f->rpos = f->rend = f->buf;
	}
	f->ub[f->nub++] = (unsigned char)c;
	f->flags &= ~SF_EOF;
	return ((unsigned char)c);
}

size_t
fread(void *restrict dst, size_t size, size_t n, FILE *restrict f)
{
	unsigned char *d = dst;
	size_t want, got = 0, k;
	ssize_t r;

	if (size == 0 || n == 0)
		return (0);
	if (n > SIZE_MAX / size) {
		f->flags |= SF_ERR;
		errno = EINVAL;
		return (0);
	}
	want = size * n;
	while (got < want && f->nub > 0)
		d[got++] = f->ub[--f->nub];
	while (got < want) {
		if ((f->flags & SF_READING) && f->rpos < f->rend) {
			k = (size_t)(f->rend - f->rpos);
			if (k > want - got)
				k = want - got;
			memcpy(d + got, f->rpos, k);
			f->rpos += k;
			got += k;
			continue;
		}
		/* Large reads bypass the (empty) buffer. */
		if (want - got >= BUFSIZ && (f->flags & SF_READING) &&
		    !(f->flags & SF_EOF)) {
			r = read(f->fd, d + got, want - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				f->flags |= (r == 0) ? SF_EOF : SF_ERR;
				break;
			}
			got += (size_t)r;
			continue;
		}
		if (__sf_refill(f) != 0)
			break;
	}
	return (got / size);
}

size_t
fwrite(const void *restrict src, size_t size, size_t n, FILE *restrict f)
{
	if (size == 0 || n == 0)
		return (0);
	if (n > SIZE_MAX / size) {
		f->flags |= SF_ERR;
		errno = EINVAL;
		return (0);
	}
	if (__sf_write(f, src, size * n) != 0)
		return (0);
	return (n);
}

int
fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	/* Fast path: a fully buffered stream with room. */
	if ((f->flags & SF_WRITING) && !(f->flags & (SF_LBF | SF_NBF)) &&
	    f->wpos < f->buf + f->bufsize) {
		*f->wpos++ = ch;
		return (ch);
	}
	if (__sf_write(f, &ch, 1) != 0)
		return (EOF);
	return (ch);
}

int
putc(int c, FILE *f)
{
	return (fputc(c, f));
}

int
putchar(int c)
{
	return (fputc(c, stdout));
}

int
fputs(const char *restrict s, FILE *restrict f)
{
	return (__sf_write(f, s, strlen(s)) != 0 ? EOF : 0);
}

int
puts(const char *s)
{
	if (__sf_write(stdout, s, strlen(s)) != 0 ||
	    __sf_write(stdout, "\n", 1) != 0)
		return (EOF);
	return (0);
}

/*
 * Read at most size - 1 bytes, stopping after a newline, and terminate.
 * Returns s, or NULL if end of file or an error came before any byte.
 */
char *
fgets(char *restrict s, int size, FILE *restrict f)
{
	int i = 0, c;

	if (size <= 0)
		return (NULL);
	while (i < size - 1) {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0 && size > 1)
		return (NULL);
	s[i] = '\0';
	return (s);
}

/*
 * Read up to and including delim into *linep (grown with realloc, *np
 * its size).  Returns the length read, or -1 at end of file with nothing
 * read or on error (ENOMEM, EINVAL for NULL arguments).
 */
ssize_t
getdelim(char **restrict linep, size_t *restrict np, int delim,
    FILE *restrict f)
{
	size_t len = 0, cap;
	char *buf, *nb;
	int c;

	if (linep == NULL || np == NULL) {
		errno = EINVAL;
		f->flags |= SF_ERR;
		return (-1);
	}
	buf = *linep;
	cap = buf == NULL ? 0 : *np;
	for (;;) {
		c = fgetc(f);
		if (c == EOF)
			break;
		if (len + 2 > cap) {
			cap = cap < 64 ? 128 : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				f->flags |= SF_ERR;
				return (-1);
			}
			buf = nb;
			*linep = buf;
			*np = cap;
		}
		buf[len++] = (char)c;
		if (c == delim)
			break;
	}
	if (len == 0) {
		if (buf == NULL) {
			buf = malloc(1);
			if (buf == NULL)
				return (-1);
			*linep = buf;
			*np = 1;
		}
		buf[0] = '\0';
		return (-1);
	}
	buf[len] = '\0';
	return ((ssize_t)len);
}

ssize_t
getline(char **restrict linep, size_t *restrict np, FILE *restrict f)
{
	return (getdelim(linep, np, '\n', f));
}

int
fseeko(FILE *f, off_t off, int whence)
{
	off_t pos;

	if (whence == SEEK_CUR) {
		/* Relative to the logical position, not the descriptor's. */
		pos = ftello(f);
		if (pos < 0)
			return (-1);
		off += pos;
		whence = SEEK_SET;
	}
	if (__sf_idle(f) != 0)
		return (-1);
	if (lseek(f->fd, off, whence) < 0)
		return (-1);
	f->flags &= ~SF_EOF;
	return (0);
}

int
fseek(FILE *f, long off, int whence)
{
	return (fseeko(f, (off_t)off, whence));
}

off_t
ftello(FILE *f)
{
	off_t pos;

	pos = lseek(f->fd, 0, SEEK_CUR);
	if (pos < 0)
		return (-1);
	if (f->flags & SF_READING)
		pos -= (off_t)(f->rend - f->rpos) + f->nub;
	else if (f->flags & SF_WRITING)
		pos += (off_t)(f->wpos - f->buf);
	return (pos);
}

long
ftell(FILE *f)
{
	return ((long)ftello(f));
}

void
rewind(FILE *f)
{
	(void)fseeko(f, 0, SEEK_SET);
	f->flags &= ~SF_ERR;
}

int
fgetpos(FILE *restrict f, fpos_t *restrict pos)
{
	off_t p = ftello(f);

	if (p < 0)
		return (-1);
	*pos = p;
	return (0);
}

int
fsetpos(FILE *f, const fpos_t *pos)
{
	return (fseeko(f, *pos, SEEK_SET));
}

int
feof(FILE *f)
{
	return ((f->flags & SF_EOF) != 0);
}

int
ferror(FILE *f)
{
	return ((f->flags & SF_ERR) != 0);
}

void
clearerr(FILE *f)
{
	f->flags &= ~(SF_EOF | SF_ERR);
}

int
fileno(FILE *f)
{
	if (f->fd < 0)
		errno = EBADF;
	return (f->fd);
}
