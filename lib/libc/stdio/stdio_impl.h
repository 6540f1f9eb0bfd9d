/*
 * Private to lib/libc/stdio: the FILE layout and the interfaces between
 * the stream core (file.c, io.c), the printf engine (vformat.c,
 * fmt_float.c) and the scanf engine (vscan.c).
 *
 * Stream rules:
 * (1) A stream is idle, reading or writing (SF_READING / SF_WRITING,
 *     never both).  Read data is buf[rpos..rend); written data waiting
 *     for write(2) is buf[0..wpos).
 * (2) Switching direction goes through __sf_idle(), which flushes
 *     pending output or gives unread input back to the file (lseek
 *     backwards), so the descriptor's offset is always the stream's
 *     logical position once the stream is idle.
 * (3) The buffer is allocated at the first transfer, so setvbuf may be
 *     called any time before it; stdin and stdout decide line buffering
 *     (isatty) at that point too.
 * (4) Pushed-back characters (ungetc) sit in ub[0..nub) and are read
 *     before the buffer; they are discarded by a seek.
 */
#ifndef _STDIO_IMPL_H_
#define _STDIO_IMPL_H_

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define SF_RD		0x0001	/* [I] opened for reading */
#define SF_WR		0x0002	/* [I] opened for writing */
#define SF_EOF		0x0004	/* end of file seen */
#define SF_ERR		0x0008	/* an I/O error happened */
#define SF_LBF		0x0010	/* line buffered */
#define SF_NBF		0x0020	/* unbuffered */
#define SF_MYBUF	0x0040	/* buf is malloc'ed by us */
#define SF_STATIC	0x0080	/* stdin/stdout/stderr: never freed */
#define SF_READING	0x0100	/* rule (1) */
#define SF_WRITING	0x0200
#define SF_MODESET	0x0400	/* buffering mode decided (rule (3)) */

#define SF_UNGETMAX	8

struct __sFILE {
	int		fd;
	int		flags;		/* SF_* */
	unsigned char	*buf;
	size_t		bufsize;
	unsigned char	*rpos;		/* next byte to read */
	unsigned char	*rend;		/* end of read data */
	unsigned char	*wpos;		/* end of pending output */
	int		nub;		/* pushed-back bytes in ub */
	unsigned char	ub[SF_UNGETMAX];
	struct __sFILE	*next;		/* list of all open streams */
};

extern FILE	*__sf_list;

int	__sf_idle(FILE *);
int	__sf_flush(FILE *);
int	__sf_setup(FILE *);
int	__sf_refill(FILE *);
int	__sf_write(FILE *, const void *, size_t);
int	__sf_modeflags(const char *, int *);
FILE	*__sf_alloc(int, int);

/*
 * The printf engine writes through a sink, always by __fmt_out, which
 * counts the bytes in fs_total and stops calling fs_put after it failed
 * once (fs_err; the engine then returns -1).  fs_put returns 0 or -1.
 */
struct fmt_sink {
	int	(*fs_put)(struct fmt_sink *, const char *, size_t);
	void	*fs_arg;	/* stream sinks: the FILE */
	char	*fs_buf;	/* string sinks */
	size_t	fs_len;
	size_t	fs_cap;
	size_t	fs_total;	/* bytes produced so far */
	int	fs_err;
};

/* One conversion specification, as parsed by vformat.c. */
struct fmt_spec {
	int	minus, plus, space, alt, zero;	/* flags - + ' ' # 0 */
	int	width;				/* -1: none */
	int	prec;				/* -1: none */
	int	conv;				/* the conversion letter */
};

int	__fmt_vformat(struct fmt_sink *, const char *, va_list);
void	__fmt_out(struct fmt_sink *, const char *, size_t);
void	__fmt_pad(struct fmt_sink *, int, int);
int	__fmt_float(struct fmt_sink *, const struct fmt_spec *, double);

/* The scanf engine reads through a source. */
struct scan_src {
	FILE		*ss_file;	/* stream, or NULL for a string */
	const char	*ss_str;
	long		ss_count;	/* characters consumed so far */
};

int	__scan_vscan(struct scan_src *, const char *, va_list);

#endif /* !_STDIO_IMPL_H_ */
