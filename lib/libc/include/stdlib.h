/*
 * <stdlib.h>: memory allocation, numeric conversion, sorting, the
 * environment and process exit (lib/libc/stdlib/).
 */
#ifndef _STDLIB_H_
#define _STDLIB_H_

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX	2147483647
#define MB_CUR_MAX	1

typedef struct {
	int	quot;
	int	rem;
} div_t;
typedef struct {
	long	quot;
	long	rem;
} ldiv_t;
typedef struct {
	long long quot;
	long long rem;
} lldiv_t;

extern char	**environ;

void	*malloc(size_t);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);
void	*reallocarray(void *, size_t, size_t);
void	 free(void *);
int	 posix_memalign(void **, size_t, size_t);
void	*aligned_alloc(size_t, size_t);

long	 strtol(const char *restrict, char **restrict, int);
unsigned long strtoul(const char *restrict, char **restrict, int);
long long strtoll(const char *restrict, char **restrict, int);
unsigned long long strtoull(const char *restrict, char **restrict, int);
double	 strtod(const char *restrict, char **restrict);
float	 strtof(const char *restrict, char **restrict);
long double strtold(const char *restrict, char **restrict);
int	 atoi(const char *);
long	 atol(const char *);
long long atoll(const char *);
double	 atof(const char *);

void	 qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void	*bsearch(const void *, const void *, size_t, size_t,
	    int (*)(const void *, const void *));

char	*getenv(const char *);
int	 setenv(const char *, const char *, int);
int	 unsetenv(const char *);
int	 putenv(char *);
int	 clearenv(void);

_Noreturn void exit(int);
_Noreturn void _Exit(int);
_Noreturn void abort(void);
int	 atexit(void (*)(void));

int	 abs(int);
long	 labs(long);
long long llabs(long long);
div_t	 div(int, int);
ldiv_t	 ldiv(long, long);
lldiv_t	 lldiv(long long, long long);

int	 rand(void);
int	 rand_r(unsigned int *);
void	 srand(unsigned int);
long	 random(void);
void	 srandom(unsigned int);

#endif /* !_STDLIB_H_ */
