/*
 * <limits.h>: sizes of the integer types of the x86_64 LP64 ABI, and the
 * path limits our kernel enforces (sys/sys/dirent.h: NAME_MAX 255,
 * PATH_MAX 1024).  Defined here rather than wrapped so that userland sees
 * one definition whatever compiler is used.  char is signed on x86_64.
 */
#ifndef _LIMITS_H_
#define _LIMITS_H_

#define CHAR_BIT	8
#define SCHAR_MIN	(-128)
#define SCHAR_MAX	127
#define UCHAR_MAX	255
#define CHAR_MIN	SCHAR_MIN
#define CHAR_MAX	SCHAR_MAX
#define MB_LEN_MAX	1
#define SHRT_MIN	(-32768)
#define SHRT_MAX	32767
#define USHRT_MAX	65535
#define INT_MIN		(-INT_MAX - 1)
#define INT_MAX		2147483647
#define UINT_MAX	4294967295U
#define LONG_MIN	(-LONG_MAX - 1L)
#define LONG_MAX	9223372036854775807L
#define ULONG_MAX	18446744073709551615UL
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define LLONG_MAX	9223372036854775807LL
#define ULLONG_MAX	18446744073709551615ULL
#define SSIZE_MAX	LONG_MAX

#ifndef PATH_MAX
#define PATH_MAX	1024
#endif
#ifndef NAME_MAX
#define NAME_MAX	255
#endif
#define PIPE_BUF	512
#define IOV_MAX		1024

#endif /* !_LIMITS_H_ */
