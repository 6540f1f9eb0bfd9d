/*
 * In-kernel tests of the formatter (ksnprintf) and the string library,
 * run on the kernel's own code exactly as compiled for the kernel.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/ktest.h>

#define FMT_CHECK(want, ...) do {					\
	char __b[96];							\
	int __n = ksnprintf(__b, sizeof(__b), __VA_ARGS__);		\
	if (strcmp(__b, want) != 0 || __n != (int)strlen(want))		\
		ktest_fail(__FILE__, __LINE__, "got \"%s\" (%d), want \"%s\"", \
		    __b, __n, want);					\
} while (0)

KTEST(kprintf_formats, "ksnprintf: conversions, flags, widths, truncation")
{
	char small[6];
	int n;

	FMT_CHECK("42 -7 0", "%d %i %u", 42, -7, 0U);
	FMT_CHECK("-9223372036854775808", "%ld", (long)INT64_MIN);
	FMT_CHECK("18446744073709551615", "%lu", UINT64_MAX);
	FMT_CHECK("ff FF 0xff 0377", "%x %X %#x %#o", 255, 255, 255, 255);
	FMT_CHECK("[   42][42   ][00042]", "[%5d][%-5d][%05d]", 42, 42, 42);
	FMT_CHECK("[-0042][+42][ 42]", "[%05d][%+d][% d]", -42, 42, 42);
	FMT_CHECK("[  007]", "[%5.3d]", 7);
	FMT_CHECK("[ab   ][  abc][ab]", "[%-5s][%5s][%.2s]", "ab", "abc",
	    "abcdef");
	FMT_CHECK("(null)", "%s", (char *)NULL);
	FMT_CHECK("0x1000", "%p", (void *)0x1000);
	FMT_CHECK("x%y", "%c%%%c", 'x', 'y');
	FMT_CHECK("[    7]", "[%*d]", 5, 7);
	FMT_CHECK("-1 255 65535", "%hhd %hhu %hu", (signed char)-1,
	    (unsigned char)255, (unsigned short)65535);
	FMT_CHECK("12345678", "%zx", (size_t)0x12345678);
	FMT_CHECK("", "%.0d", 0);

	/* Truncation keeps the NUL and returns the untruncated length. */
	n = ksnprintf(small, sizeof(small), "%s", "abcdefgh");
	KT_ASSERT_EQ(n, 8);
	KT_ASSERT(strcmp(small, "abcde") == 0);
	n = ksnprintf(small, 0, "%d", 12345);
	KT_ASSERT_EQ(n, 5);
}

KTEST(libkern_strings, "memmove overlap, memset, strlcpy, globmatch, strtoul")
{
	char buf[32], *end;

	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 8);		/* overlap, forwards */
	KT_ASSERT(memcmp(buf, "0101234567", 10) == 0);
	memcpy(buf, "0123456789", 11);
	memmove(buf, buf + 2, 8);		/* overlap, backwards */
	KT_ASSERT(memcmp(buf, "2345678989", 10) == 0);
	for (size_t len = 0; len < 20; len++) {
		memset(buf, 'z', sizeof(buf));
		memset(buf + 1, 'a', len);
		KT_ASSERT_EQ(buf[0], 'z');
		for (size_t i = 0; i < len; i++)
			KT_ASSERT_EQ(buf[1 + i], 'a');
		KT_ASSERT_EQ(buf[1 + len], 'z');
	}
	KT_ASSERT_EQ(strlcpy(buf, "hello world", 6), 11);
	KT_ASSERT(strcmp(buf, "hello") == 0);
	KT_ASSERT(globmatch("*", ""));
	KT_ASSERT(globmatch("smp_*", "smp_boot"));
	KT_ASSERT(globmatch("s?p_b*t", "smp_boot"));
	KT_ASSERT(!globmatch("smp_*x", "smp_boot"));
	KT_ASSERT(globmatch("*a*b*c*", "xxaxxbxxcxx"));
	KT_ASSERT(!globmatch("a", ""));
	KT_ASSERT_EQ(strtoul("0x1fz", &end, 0), 0x1f);
	KT_ASSERT_EQ(*end, 'z');
	KT_ASSERT_EQ(strtoul("123,4", &end, 10), 123);
	KT_ASSERT_EQ(*end, ',');
}
