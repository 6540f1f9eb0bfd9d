/*
 * Compiler helpers shared by every kernel source file.  Nothing here may
 * depend on the platform; machine-dependent helpers live in <machine/...>.
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __dead2			__attribute__((__noreturn__))
#define __noinline		__attribute__((__noinline__))
#define __always_inline		__attribute__((__always_inline__))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __predict_true(e)	__builtin_expect(!!(e), 1)
#define __predict_false(e)	__builtin_expect(!!(e), 0)

#define __STRING(x)		#x
#define __XSTRING(x)		__STRING(x)
#define __CONCAT1(a, b)		a ## b
#define __CONCAT(a, b)		__CONCAT1(a, b)

/* Compile-time assertion (checked struct layouts, constants). */
#define CTASSERT(x)		_Static_assert(x, "CTASSERT: " #x)

/* Prevent the compiler from moving memory accesses across this point. */
#define cpu_ccfence()		__asm__ __volatile__("" ::: "memory")

#endif /* !_SYS_CDEFS_H_ */
