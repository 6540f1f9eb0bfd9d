/*
 * Basic kernel types.  The kernel is freestanding: only the compiler's own
 * headers (stdint, stddef, stdbool, stdarg) are used, never a C library's.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <sys/cdefs.h>

typedef uint64_t	vm_paddr_t;	/* physical address */
typedef uint64_t	vm_offset_t;	/* kernel virtual address */
typedef uint64_t	vm_size_t;
typedef int64_t		ssize_t;
typedef int64_t		off_t;
typedef uint64_t	cpumask_t;	/* one bit per CPU, MAXCPU <= 64 */
typedef unsigned int	u_int;
typedef unsigned long	u_long;

#define MAXCPU		64
CTASSERT(MAXCPU <= 64);

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define roundup2(x, y)	(((x) + ((y) - 1)) & ~((__typeof__(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define CPUMASK(cpu)	((cpumask_t)1 << (cpu))

#endif /* !_SYS_TYPES_H_ */
