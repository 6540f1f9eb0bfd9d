/*
 * <stdio.h>: buffered streams over file descriptors (lib/libc/stdio/).
 * FILE is an opaque handle; its layout is private to lib/libc/stdio.
 * The stream functions are not thread-safe (no FILE locking yet).
 */
#ifndef _STDIO_H_
#define _STDIO_H_

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct __sFILE FILE;
typedef off_t fpos_t;

#define EOF		(-1)
#define BUFSIZ		4096
#define FILENAME_MAX	1024
#define FOPEN_MAX	64
#define L_tmpnam	32

#define _IOFBF		0	/* setvbuf modes */
#define _IOLBF		1
#define _IONBF		2

#ifndef SEEK_SET
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#endif

extern FILE	*stdin;
extern FILE	*stdout;
extern FILE	*stderr;

FILE	*fopen(const char *restrict, const char *restrict);
FILE	*fdopen(int, const char *);
FILE	*freopen(const char *restrict, const char *restrict, FILE *restrict);
int	 fclose(FILE *);
int	 fflush(FILE *);
void	 setbuf(FILE *restrict, char *restrict);
int	 setvbuf(FILE *restrict, char *restrict, int, size_t);
size_t	 fread(void *restrict, size_t, size_t, FILE *restrict);
size_t	 fwrite(const void *restrict, size_t, size_t, FILE *restrict);
int	 fgetc(FILE *);
int	 getc(FILE *);
int	 getchar(void);
char	*fgets(char *restrict, int, FILE *restrict);
int	 fputc(int, FILE *);
int	 putc(int, FILE *);
int	 putchar(int);
int	 fputs(const char *restrict, FILE *restrict);
int	 puts(const char *);
int	 ungetc(int, FILE *);
ssize_t	 getline(char **restrict, size_t *restrict, FILE *restrict);
ssize_t	 getdelim(char **restrict, size_t *restrict, int, FILE *restrict);
int	 fseek(FILE *, long, int);
int	 fseeko(FILE *, off_t, int);
long	 ftell(FILE *);
off_t	 ftello(FILE *);
void	 rewind(FILE *);
int	 fgetpos(FILE *restrict, fpos_t *restrict);
int	 fsetpos(FILE *, const fpos_t *);
int	 feof(FILE *);
int	 ferror(FILE *);
void	 clearerr(FILE *);
int	 fileno(FILE *);
void	 perror(const char *);
int	 remove(const char *);
int	 rename(const char *, const char *);

int	 printf(const char *restrict, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
int	 fprintf(FILE *restrict, const char *restrict, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 dprintf(int, const char *restrict, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 sprintf(char *restrict, const char *restrict, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 snprintf(char *restrict, size_t, const char *restrict, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 asprintf(char **restrict, const char *restrict, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 vprintf(const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 1, 0)));
int	 vfprintf(FILE *restrict, const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
int	 vdprintf(int, const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
int	 vsprintf(char *restrict, const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
int	 vsnprintf(char *restrict, size_t, const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 3, 0)));
int	 vasprintf(char **restrict, const char *restrict, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));

int	 scanf(const char *restrict, ...)
	    __attribute__((__format__(__scanf__, 1, 2)));
int	 fscanf(FILE *restrict, const char *restrict, ...)
	    __attribute__((__format__(__scanf__, 2, 3)));
int	 sscanf(const char *restrict, const char *restrict, ...)
	    __attribute__((__format__(__scanf__, 2, 3)));
int	 vscanf(const char *restrict, va_list)
	    __attribute__((__format__(__scanf__, 1, 0)));
int	 vfscanf(FILE *restrict, const char *restrict, va_list)
	    __attribute__((__format__(__scanf__, 2, 0)));
int	 vsscanf(const char *restrict, const char *restrict, va_list)
	    __attribute__((__format__(__scanf__, 2, 0)));

#endif /* !_STDIO_H_ */
