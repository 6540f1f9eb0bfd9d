/*
 * <assert.h>: assert(e) reports the failed expression, file, line and
 * function on stderr and aborts, unless NDEBUG is defined when this
 * header is included.  Like every conforming <assert.h> it may be
 * included repeatedly, and each inclusion re-reads NDEBUG.
 */
#undef assert
#ifdef NDEBUG
#define assert(e)	((void)0)
#else
#define assert(e)	((e) ? (void)0 : \
	__assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H_
#define _ASSERT_H_
_Noreturn void __assert_fail(const char *, const char *, int, const char *);
#define static_assert	_Static_assert
#endif
