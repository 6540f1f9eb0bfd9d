/*
 * Stream objects: the three standard streams, fopen/fdopen/freopen,
 * fclose, buffering (setvbuf, setbuf), fflush, and the buffer primitives
 * the rest of stdio is built on (__sf_setup, __sf_refill, __sf_write,
 * __sf_flush, __sf_idle).  See stdio_impl.h for the stream rules.
 *
 * Buffering: BUFSIZ-byte buffers, allocated at first use.  stdout is
 * line buffered when it is a terminal (isatty) and fully buffered
 * otherwise; stdin likewise; stderr is unbuffered.  Before a read
 * refills any stream's buffer, a line-buffered stdout is flushed, so a
 * prompt without a newline appears before the program waits for input.
 * fflush(NULL) (and exit) flush every open stream.
 *
 * NOTE: not thread-safe; streams have no locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

static struct __sFILE sf_stderr = {
	.fd = 2, .flags = SF_WR | SF_STATIC | SF_NBF | SF_MODESET,
};
static struct __sFILE sf_stdout = {
	.fd = 1, .flags = SF_WR | SF_STATIC, .next = &sf_stderr,
};
static struct __sFILE sf_stdin = {
	.fd = 0, .flags = SF_RD | SF_STATIC, .next = &sf_stdout,
};

FILE	*stdin = &sf_stdin;
FILE	*stdout = &sf_stdout;
FILE	*stderr = &sf_stderr;
FILE	*__sf_list = &sf_stdin;

/*
 * Translate an fopen mode string into open(2) flags (*oflags); returns
 * the SF_RD/SF_WR permissions, or 0 with errno EINVAL.
 */
int
__sf_modeflags(const char *mode, int *oflags)
{
	int o, perm;
	const char *p;

	switch (mode[0]) {
	case 'r':
		o = O_RDONLY;
		perm = SF_RD;
		break;
	case 'w':
		o = O_WRONLY | O_CREAT | O_TRUNC;
		perm = SF_WR;
		break;
	case 'a':
		o = O_WRONLY | O_CREAT | O_APPEND;
		perm = SF_WR;
		break;
	default:
		errno = EINVAL;
		return (0);
	}
	for (p = mode + 1; *p != '\0'; p++) {
		if (*p == '+') {
			o = (o & ~O_ACCMODE) | O_RDWR;
			perm = SF_RD | SF_WR;
		} else if (*p == 'x')
			o |= O_EXCL;
		else if (*p == 'e')
			o |= O_CLOEXEC;
	}
	*oflags = o;
	return (perm);
}

/* Allocate a stream for fd with permissions perm and list it. */
FILE *
__sf_alloc(int fd, int perm)
{
	FILE *f;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return (NULL);
	f->fd = fd;
	f->flags = perm;
	f->next = __sf_list;
	__sf_list = f;
	return (f);
}

FILE *
fopen(const char *restrict path, const char *restrict mode)
{
	int oflags, perm, fd;
	FILE *f;

	perm = __sf_modeflags(mode, &oflags);
	if (perm == 0)
		return (NULL);
	fd = open(path, oflags, 0666);
	if (fd < 0)
		return (NULL);
	f = __sf_alloc(fd, perm);
	if (f == NULL)
		close(fd);
	return (f);
}

FILE *
fdopen(int fd, const char *mode)
{
	int oflags, perm;

	perm = __sf_modeflags(mode, &oflags);
	if (perm == 0)
		return (NULL);
	if (fd < 0) {
		errno = EBADF;
		return (NULL);
	}
	return (__sf_alloc(fd, perm));
}

/* Flush f and close its descriptor, keeping the FILE itself. */
static int
sf_release(FILE *f)
{
	int r = 0;

	if (__sf_idle(f) != 0)
		r = EOF;
	if (f->fd >= 0 && close(f->fd) != 0)
		r = EOF;
	f->fd = -1;
	if (f->flags & SF_MYBUF)
		free(f->buf);
	f->buf = NULL;
	f->bufsize = 0;
	f->rpos = f->rend = f->wpos = NULL;
	f->nub = 0;
	f->flags &= SF_STATIC;
	return (r);
}

int
fclose(FILE *f)
{
	FILE **pp;
	int r;

	r = sf_release(f);
	if (f->flags & SF_STATIC)
		return (r);
	for (pp = &__sf_list; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	free(f);
	return (r);
}

/*
 * Reopen f on path.  With path NULL (change the mode of the same
 * descriptor) it fails with EBADF: not supported.  On failure f stays
 * closed.
 */
FILE *
freopen(const char *restrict path, const char *restrict mode,
    FILE *restrict f)
{
	int oflags, perm, fd, keep;

	keep = f->flags & SF_STATIC;
	sf_release(f);
	perm = __sf_modeflags(mode, &oflags);
	if (perm == 0)
		return (NULL);
	if (path == NULL) {
		errno = EBADF;
		return (NULL);
	}
	fd = open(path, oflags, 0666);
	if (fd < 0)
		return (NULL);
	f->fd = fd;
	f->flags = perm | keep;
	return (f);
}

int
setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return (-1);
	}
	if (__sf_idle(f) != 0)
		return (-1);
	if (f->flags & SF_MYBUF)
		free(f->buf);
	f->flags &= ~(SF_MYBUF | SF_LBF | SF_NBF);
	f->buf = NULL;
	f->bufsize = 0;
	f->rpos = f->rend = f->wpos = NULL;
	if (mode == _IONBF)
		f->flags |= SF_NBF;
	else if (buf != NULL && size > 0) {
		f->buf = (unsigned char *)buf;
		f->bufsize = size;
	}
	if (mode == _IOLBF)
		f->flags |= SF_LBF;
	f->flags |= SF_MODESET;
	return (0);
}

void
setbuf(FILE *restrict f, char *restrict buf)
{
	setvbuf(f, buf, buf != NULL ? _IOFBF : _IONBF, BUFSIZ);
}

/*
 * Give f its buffer (rule (3)); unbuffered streams get a one-byte
 * buffer so reads still go through refill.  Returns 0, or EOF with
 * SF_ERR set (and errno ENOMEM).
 */
int
__sf_setup(FILE *f)
{
	if (!(f->flags & SF_MODESET)) {
		f->flags |= SF_MODESET;
		if ((f->fd == 0 || f->fd == 1) && isatty(f->fd))
			f->flags |= SF_LBF;
	}
	if (f->buf != NULL)
		return (0);
	f->bufsize = (f->flags & SF_NBF) ? 1 : BUFSIZ;
	f->buf = malloc(f->bufsize);
	if (f->buf == NULL) {
		f->bufsize = 0;
		f->flags |= SF_ERR;
		return (EOF);
	}
	f->rpos = f->rend = f->wpos = f->buf;
	f->flags |= SF_MYBUF;
	return (0);
}

/* Write out buf[0..wpos).  Returns 0 or EOF (data dropped, SF_ERR). */
int
__sf_flush(FILE *f)
{
	unsigned char *p = f->buf;
	ssize_t n;

	if (!(f->flags & SF_WRITING))
		return (0);
	while (p < f->wpos) {
		n = write(f->fd, p, (size_t)(f->wpos - p));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->flags |= SF_ERR;
			f->wpos = f->buf;
			return (EOF);
		}
		p += n;
	}
	f->wpos = f->buf;
	return (0);
}

/*
 * Bring f to the idle state (rule (2)): flush output, or seek back over
 * buffered but unread input (on pipes and terminals the seek fails and
 * the unread data is simply dropped; errno is kept).
 */
int
__sf_idle(FILE *f)
{
	off_t back;
	int r = 0, saved;

	if (f->flags & SF_WRITING)
		r = __sf_flush(f);
	else if (f->flags & SF_READING) {
		back = (off_t)(f->rend - f->rpos) + f->nub;
		if (back != 0) {
			saved = errno;
			(void)lseek(f->fd, -back, SEEK_CUR);
			errno = saved;
		}
	}
	f->flags &= ~(SF_READING | SF_WRITING);
	f->rpos = f->rend = f->wpos = f->buf;
	f->nub = 0;
	return (r);
}

/*
 * Refill the read buffer.  Returns 0 with data in buf[rpos..rend), or
 * EOF at end of file (SF_EOF, which stays set until cleared) or on
 * error (SF_ERR).
 */
int
__sf_refill(FILE *f)
{
	ssize_t n;

	if (!(f->flags & SF_RD)) {
		f->flags |= SF_ERR;
		errno = EBADF;
		return (EOF);
	}
	if (f->flags & SF_EOF)
		return (EOF);	/* sticky, as C11 7.21.7.1 asks */
	if ((f->flags & SF_WRITING) && __sf_idle(f) != 0)
		return (EOF);
	if (__sf_setup(f) != 0)
		return (EOF);
	if ((sf_stdout.flags & (SF_LBF | SF_WRITING)) ==
	    (SF_LBF | SF_WRITING) && f != &sf_stdout)
		(void)__sf_flush(&sf_stdout);
	f->flags |= SF_READING;
	do {
		n = read(f->fd, f->buf, f->bufsize);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		f->flags |= (n == 0) ? SF_EOF : SF_ERR;
		f->rpos = f->rend = f->buf;
		return (EOF);
	}
	f->rpos = f->buf;
	f->rend = f->buf + n;
	return (0);
}

/*
 * Append n bytes to f's output.  Unbuffered streams write at once; line
 * buffered ones flush when the data contains a newline; transfers of a
 * whole buffer or more go straight to write(2) after the pending data.
 * Returns 0 or EOF.
 */
int
__sf_write(FILE *f, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t room, k;
	ssize_t w;

	if (!(f->flags & SF_WR)) {
		f->flags |= SF_ERR;
		errno = EBADF;
		return (EOF);
	}
	if ((f->flags & SF_READING) && __sf_idle(f) != 0)
		return (EOF);
	if (__sf_setup(f) != 0)
		return (EOF);
	if (!(f->flags & SF_WRITING)) {
		f->flags |= SF_WRITING;
		f->wpos = f->buf;
	}
	while (n > 0) {
		room = f->bufsize - (size_t)(f->wpos - f->buf);
		if (f->wpos == f->buf && (n >= f->bufsize ||
		    (f->flags & SF_NBF))) {
			w = write(f->fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				f->flags |= SF_ERR;
				return (EOF);
			}
			p += w;
			n -= (size_t)w;
			continue;
		}
		k = n < room ? n : room;
		memcpy(f->wpos, p, k);
		f->wpos += k;
		p += k;
		n -= k;
		if (f->wpos == f->buf + f->bufsize && __sf_flush(f) != 0)
			return (EOF);
	}
	if ((f->flags & SF_LBF) && f->wpos > f->buf &&
	    memchr(data, '\n', (size_t)(p - (const unsigned char *)data)) !=
	    NULL)
		return (__sf_flush(f));
	return (0);
}

/*
 * Flush f's output; for a reading stream, give unread input back to the
 * file (POSIX).  fflush(NULL) flushes the output of every stream.
 */
int
fflush(FILE *f)
{
	int r = 0;

	if (f != NULL) {
		if (f->flags & SF_WRITING)
			return (__sf_flush(f));
		return (__sf_idle(f));
	}
	for (f = __sf_list; f != NULL; f = f->next) {
		if ((f->flags & SF_WRITING) && __sf_flush(f) != 0)
			r = EOF;
	}
	return (r);
}
