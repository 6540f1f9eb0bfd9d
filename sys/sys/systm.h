/*
 * Kernel-wide services: console output, panic, assertions and the small
 * string library (sys/kern/subr_libkern.c).  Machine-independent.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>

/* Console output (sys/kern/subr_prf.c).  Safe from any context. */
int	kprintf(const char *fmt, ...) __printflike(1, 2);
int	kvprintf(const char *fmt, va_list ap) __printflike(1, 0);
int	ksnprintf(char *buf, size_t size, const char *fmt, ...)
	    __printflike(3, 4);
int	kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	    __printflike(3, 0);

/*
 * panic(): print the CPU, the message and a backtrace, stop the other
 * CPUs and never return.  Usable from any context, including trap
 * handlers and with the console lock held by another CPU.
 */
void	panic(const char *fmt, ...) __dead2 __printflike(1, 2);

#define KASSERT(exp, msg) do {						\
	if (__predict_false(!(exp)))					\
		panic msg;						\
} while (0)
#define KKASSERT(exp) do {						\
	if (__predict_false(!(exp)))					\
		panic("assertion \"%s\" failed in %s at %s:%u",		\
		    #exp, __func__, __FILE__, __LINE__);		\
} while (0)

/* String and memory functions (sys/kern/subr_libkern.c). */
void	*memcpy(void *dst, const void *src, size_t len);
void	*memmove(void *dst, const void *src, size_t len);
void	*memset(void *dst, int c, size_t len);
int	memcmp(const void *a, const void *b, size_t len);
size_t	strlen(const char *s);
size_t	strnlen(const char *s, size_t max);
int	strcmp(const char *a, const char *b);
int	strncmp(const char *a, const char *b, size_t n);
char	*strchr(const char *s, int c);
size_t	strlcpy(char *dst, const char *src, size_t size);
bool	globmatch(const char *pattern, const char *str);
unsigned long strtoul(const char *s, char **end, int base);

#define bzero(p, n)	memset((p), 0, (n))

#endif /* !_SYS_SYSTM_H_ */
