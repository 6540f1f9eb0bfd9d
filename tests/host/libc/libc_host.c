/*
 * Host tests of the machine-independent libc (string, ctype, stdlib,
 * stdio), built as a static Linux program against our own headers and
 * objects, with linux_sys.c standing in for lib/libc/sys/ (libc.mk).
 *
 * usage: libc_host CASE
 * Each case prints "FAIL <line>: <what>" for each failed check, then
 * "<case>: N failures", and exits 1 if any check failed, else 0.  The
 * cases "exit" and "abort" instead produce output and a status that
 * libc_test.sh checks.  Expected values follow from the C standard's
 * definitions; the exact decimal expansions of doubles were computed
 * independently with exact arithmetic.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("FAIL %d: %s\n", __LINE__, #cond);		\
		failures++;						\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ == NULL || strcmp(g_, w_) != 0) {			\
		printf("FAIL %d: got \"%s\" want \"%s\"\n", __LINE__,	\
		    g_ == NULL ? "(NULL)" : g_, w_);			\
		failures++;						\
	}								\
} while (0)

/* Format with our vsnprintf; compare the text and the return value. */
static void __attribute__((__format__(__printf__, 3, 4)))
check_fmt(int line, const char *want, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want)) {
		printf("FAIL %d: format \"%s\": got \"%s\" (%d) want \"%s\"\n",
		    line, fmt, buf, n, want);
		failures++;
	}
}
#define FMT(want, ...)	check_fmt(__LINE__, want, __VA_ARGS__)

static void
t_printf_int(void)
{
	char buf[16], *s = NULL;
	int n = 0;

	FMT("42", "%d", 42);
	FMT("   42", "%5d", 42);
	FMT("42   |", "%-5d|", 42);
	FMT("00042", "%05d", 42);
	FMT("-0042", "%05d", -42);
	FMT("+42", "%+d", 42);
	FMT(" 42", "% d", 42);
	FMT("007", "%.3d", 7);
	FMT("    -007", "%8.3d", -7);
	FMT("     007", "%08.3d", 7);
	FMT("", "%.0d", 0);
	FMT("ff", "%x", 255);
	FMT("0XFF", "%#X", 255);
	FMT("010", "%#o", 8);
	FMT("0", "%#o", 0);
	FMT("0", "%#x", 0);
	FMT("0x00ff", "%#06x", 255);
	FMT("4294967295", "%u", -1);
	FMT("-2147483648", "%d", INT_MIN);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("18446744073709551615", "%llu", ULLONG_MAX);
	FMT("1777777777777777777777", "%lo", ULONG_MAX);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
	/* int arguments narrowed by the length modifier, as C specifies. */
	FMT("44", "%hhd", 300);
	FMT("4464", "%hd", 70000);
	FMT("-1", "%hhd", 255);
#pragma clang diagnostic pop
	FMT("123", "%zu", (size_t)123);
	FMT("-5", "%jd", (intmax_t)-5);
	FMT("3", "%td", (ptrdiff_t)3);
	FMT("A", "%c", 'A');
	FMT("  A|A  |", "%3c|%-3c|", 'A', 'A');
	FMT("hi", "%s", "hi");
	FMT("h", "%.1s", "hi");
	FMT("    h", "%5.1s", "hi");
	FMT("(null)", "%s", (char *)NULL);
	FMT("100%", "%d%%", 100);
	FMT("   42", "%*d", 5, 42);
	FMT("42   |", "%*d|", -5, 42);
	FMT("007", "%.*d", 3, 7);
	FMT("7", "%.*d", -1, 7);
	FMT("0x1234", "%p", (void *)0x1234);
	FMT("ab12", "ab%n%d", &n, 12);
	CHECK(n == 2);
	CHECK(snprintf(buf, 5, "%s", "hello world") == 11);
	CHECK_STR(buf, "hell");
	CHECK(snprintf(NULL, 0, "%d", 12345) == 5);
	CHECK(sprintf(buf, "%d-%s", 1, "x") == 3);
	CHECK_STR(buf, "1-x");
	CHECK(asprintf(&s, "%s%0*d", "n", 600, 7) == 601);
	CHECK(s != NULL && s[0] == 'n' && s[599] == '0' && s[600] == '7' &&
	    s[601] == '\0');
	free(s);
}

static void
t_printf_float(void)
{
	FMT("3.141590", "%f", 3.14159);
	FMT("3.14", "%.2f", 3.14159);
	FMT("0", "%.0f", 0.5);
	FMT("2", "%.0f", 1.5);
	FMT("2", "%.0f", 2.5);
	FMT("1", "%.0f", 0.6);
	FMT("0.2", "%.1f", 0.25);
	FMT("0.3", "%.1f", 0.35);
	FMT("1.00", "%.2f", 1.005);
	FMT("2.67", "%.2f", 2.675);
	FMT("10.0", "%.1f", 9.96);
	FMT("1.234568e+04", "%e", 12345.678);
	FMT("1.230000E-04", "%E", 0.000123);
	FMT("1.000e+01", "%.3e", 9.9996);
	FMT("1.234e+03", "%8.3e", 1234.5);
	FMT("100000", "%g", 100000.0);
	FMT("1e+06", "%g", 1000000.0);
	FMT("0.0001", "%g", 0.0001);
	FMT("1e-05", "%g", 0.00001);
	FMT("123.456", "%g", 123.456);
	FMT("1.23457e+08", "%g", 123456789.0);
	FMT("123456789", "%.10g", 123456789.0);
	FMT("3.14", "%.3g", 3.14159);
	FMT("1.00000", "%#g", 1.0);
	FMT("1.", "%#.0f", 1.0);
	FMT("0", "%g", 0.0);
	FMT("0.000000e+00", "%e", 0.0);
	FMT("-0.000000", "%f", -0.0);
	FMT("+2.0", "%+.1f", 2.0);
	FMT("-000003.50", "%010.2f", -3.5);
	FMT("1.2     |", "%-8.1f|", 1.25);
	FMT("100000000000000000000.000000", "%f", 1e20);
	FMT("0.10000000000000000555", "%.20f", 0.1);
	FMT("0.10000000000000001", "%.17g", 0.1);
	FMT("3.333333333333333148296162562474e-01", "%.30e", 1.0 / 3);
	FMT("5e-324", "%.0e", 5e-324);
	FMT("1e+100", "%g", 1e100);
	FMT("1e-300", "%g", 1e-300);
	FMT("inf", "%f", __builtin_inf());
	FMT("-INF", "%F", -__builtin_inf());
	FMT("  nan", "%5.1f", __builtin_nan(""));
	FMT("1.500000", "%Lf", (long double)1.5);
	FMT("1000000000000000052504760255204420248704468581108159154915854115"
	    "5118024579889081957863713750804478640437044438328838781769425232"
	    "3536043057564479218478670698284838720092657580373783023379478809"
	    "0059368953234970799945081119038967640880074652742780142494579258"
	    "788820056842838115669472196386865459400540160", "%.0f", 1e300);
}

static void
t_scanf(void)
{
	int a = 0, b = 0, c = 0, d = 0, n = 0;
	unsigned int u = 0;
	long l = 0;
	float f1 = 0, f3 = 0;
	double f2 = 0;
	char s1[16], s2[16];

	CHECK(sscanf("42 -17 0x1f 077", "%d %d %x %o", &a, &b, &u, &c) == 4);
	CHECK(a == 42 && b == -17 && u == 31 && c == 63);
	CHECK(sscanf("0x1f 010 12 -0", "%i %i %i %i", &a, &b, &c, &d) == 4);
	CHECK(a == 31 && b == 8 && c == 12 && d == 0);
	CHECK(sscanf("abcdef ghi", "%3s%s %s", s1, s2, s2) == 3);
	CHECK_STR(s1, "abc");
	CHECK_STR(s2, "ghi");
	memset(s1, 'Q', sizeof(s1));
	CHECK(sscanf("xyz", "%2c", s1) == 1);
	CHECK(s1[0] == 'x' && s1[1] == 'y' && s1[2] == 'Q');
	CHECK(sscanf("hello123", "%[a-z]%d", s1, &a) == 2);
	CHECK_STR(s1, "hello");
	CHECK(a == 123);
	CHECK(sscanf("a b,c", "%[^,],%s", s1, s2) == 2);
	CHECK_STR(s1, "a b");
	CHECK_STR(s2, "c");
	CHECK(sscanf("]x", "%[]]", s1) == 1);
	CHECK_STR(s1, "]");
	CHECK(sscanf("1 2", "%*d %d", &a) == 1 && a == 2);
	CHECK(sscanf("abc  12", "abc %n%d", &n, &a) == 1);
	CHECK(n == 5 && a == 12);
	CHECK(sscanf("3.25 -1e3 .5", "%f %lf %f", &f1, &f2, &f3) == 3);
	CHECK(f1 == 3.25f && f2 == -1000.0 && f3 == 0.5f);
	CHECK(sscanf("", "%d", &a) == EOF);
	CHECK(sscanf("   ", "%d", &a) == EOF);
	CHECK(sscanf("abc", "%d", &a) == 0);
	CHECK(sscanf("100%", "%d%%", &a) == 1 && a == 100);
	CHECK(sscanf("-9223372036854775808", "%ld", &l) == 1 && l == LONG_MIN);
	CHECK(sscanf("1234567", "%5d%d", &a, &b) == 2);
	CHECK(a == 12345 && b == 67);
	CHECK(sscanf("a=1", "b=%d", &a) == 0);
	CHECK(sscanf("x 5", "x%d", &a) == 1 && a == 5);
	CHECK(sscanf("7,8", "%d ,%d", &a, &b) == 2 && a == 7 && b == 8);
}

static void
t_strtol(void)
{
	const char *s;
	char *end;

	s = "  -123abc";
	CHECK(strtol(s, &end, 10) == -123 && end == s + 6);
	CHECK(strtol("0x1A", &end, 0) == 26 && *end == '\0');
	CHECK(strtol("0x1A", NULL, 16) == 26);
	s = "0x";
	CHECK(strtol(s, &end, 16) == 0 && end == s + 1);
	CHECK(strtol("077", NULL, 0) == 63);
	CHECK(strtol("z", NULL, 36) == 35);
	CHECK(strtol("101", NULL, 2) == 5);
	CHECK(strtol("0b101", NULL, 0) == 5);
	errno = 0;
	CHECK(strtol("9223372036854775807", NULL, 10) == LONG_MAX);
	CHECK(errno == 0);
	CHECK(strtol("9223372036854775808", NULL, 10) == LONG_MAX);
	CHECK(errno == ERANGE);
	errno = 0;
	CHECK(strtol("-9223372036854775809", NULL, 10) == LONG_MIN);
	CHECK(errno == ERANGE);
	errno = 0;
	CHECK(strtol("-9223372036854775808", &end, 10) == LONG_MIN);
	CHECK(errno == 0 && *end == '\0');
	CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0);
	s = "99999999999999999999999zz";
	CHECK(strtoul(s, &end, 10) == ULONG_MAX && errno == ERANGE);
	CHECK(end == s + 23);
	errno = 0;
	CHECK(strtoll("-42", NULL, 0) == -42LL);
	CHECK(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX);
	CHECK(errno == 0);
	s = "  +";
	CHECK(strtol(s, &end, 10) == 0 && end == s);
	s = "";
	CHECK(strtol(s, &end, 10) == 0 && end == s);
	CHECK(strtol("10", NULL, 1) == 0 && errno == EINVAL);
	CHECK(strtol("10", NULL, 37) == 0);
	CHECK(atoi("  42x") == 42);
	CHECK(atol("-7") == -7 && atoll("123456789012") == 123456789012LL);
}

static void
t_strtod(void)
{
	const char *s;
	char *end;

	CHECK(strtod("3.5", NULL) == 3.5);
	CHECK(strtod("1e-3", NULL) == 0.001);
	CHECK(strtod("0.1", NULL) == 0.1);
	CHECK(strtod("1.7976931348623157e308", NULL) == 1.7976931348623157e308);
	CHECK(strtod("2.2250738585072014e-308", NULL) ==
	    2.2250738585072014e-308);
	CHECK(strtod("4.9e-324", NULL) == 4.9e-324);
	CHECK(strtod("123456789012345678901234567890", NULL) ==
	    123456789012345678901234567890.0);
	CHECK(strtod("3.14159265358979323846", NULL) == 3.14159265358979323846);
	CHECK(strtod("6.02214076e23", NULL) == 6.02214076e23);
	errno = 0;
	CHECK(strtod("1e400", NULL) == __builtin_inf() && errno == ERANGE);
	errno = 0;
	CHECK(strtod("1e-400", NULL) == 0 && errno == ERANGE);
	s = "  -2.5e+2x";
	CHECK(strtod(s, &end) == -250.0 && end == s + 9);
	s = "1e+";
	CHECK(strtod(s, &end) == 1.0 && end == s + 1);
	CHECK(strtod("inf", NULL) == __builtin_inf());
	CHECK(strtod("-Infinity", NULL) == -__builtin_inf());
	CHECK(__builtin_isnan(strtod("nan", NULL)));
	CHECK(strtod("0x1p4", NULL) == 16.0);
	CHECK(strtod("0x1.8", NULL) == 1.5);
	CHECK(strtod(".5", NULL) == 0.5 && strtod("5.", NULL) == 5.0);
	s = ".";
	CHECK(strtod(s, &end) == 0 && end == s);
	s = "e5";
	CHECK(strtod(s, &end) == 0 && end == s);
	CHECK(strtof("0.1", NULL) == 0.1f);
	CHECK(atof("-0.75") == -0.75);
}

static void
t_string(void)
{
	char buf[64], *p, *save;
	const char *cs;

	CHECK(strlen("") == 0 && strlen("abc") == 3);
	CHECK(strnlen("abcdef", 3) == 3 && strnlen("ab", 9) == 2);
	CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0);
	CHECK(strcmp("abc", "abc") == 0 && strcmp("ab", "abc") < 0);
	CHECK(strcmp("\xff", "a") > 0);
	CHECK(strncmp("abcx", "abcy", 3) == 0 && strncmp("a", "b", 0) == 0);
	CHECK(strcasecmp("HeLLo", "hello") == 0);
	CHECK(strncasecmp("ABx", "aby", 2) == 0 && strcasecmp("a", "B") < 0);
	CHECK_STR(strcpy(buf, "hello"), "hello");
	CHECK(stpcpy(buf, "xy") == buf + 2);
	memset(buf, 'Z', sizeof(buf));
	strncpy(buf, "ab", 5);
	CHECK(buf[0] == 'a' && buf[2] == '\0' && buf[4] == '\0' &&
	    buf[5] == 'Z');
	strcpy(buf, "foo");
	CHECK_STR(strcat(buf, "bar"), "foobar");
	CHECK_STR(strncat(buf, "bazqux", 3), "foobarbaz");
	CHECK(strlcpy(buf, "abcdef", 4) == 6);
	CHECK_STR(buf, "abc");
	cs = "hello world";
	CHECK(strchr(cs, 'o') == cs + 4 && strrchr(cs, 'o') == cs + 7);
	CHECK(strchr(cs, '\0') == cs + 11 && strchr(cs, 'z') == NULL);
	CHECK(strstr(cs, "wor") == cs + 6 && strstr(cs, "") == cs);
	CHECK(strstr(cs, "worlds") == NULL);
	CHECK(strspn("aabbc", "ab") == 4 && strcspn("abc,d", ",;") == 3);
	CHECK(strpbrk(cs, "wd") == cs + 6 && strpbrk(cs, "xyz") == NULL);
	p = strdup("dup me");
	CHECK_STR(p, "dup me");
	free(p);
	p = strndup("abcdef", 3);
	CHECK_STR(p, "abc");
	free(p);
	strcpy(buf, ",a,,b;c,");
	CHECK_STR(strtok(buf, ",;"), "a");
	CHECK_STR(strtok(NULL, ",;"), "b");
	CHECK_STR(strtok(NULL, ",;"), "c");
	CHECK(strtok(NULL, ",;") == NULL);
	strcpy(buf, "x y");
	CHECK_STR(strtok_r(buf, " ", &save), "x");
	CHECK_STR(strtok_r(NULL, " ", &save), "y");
	CHECK(strtok_r(NULL, " ", &save) == NULL);
	CHECK_STR(strerror(ENOENT), "No such file or directory");
	CHECK_STR(strerror(12345), "Unknown error 12345");
	/* Overlapping moves in both directions. */
	strcpy(buf, "0123456789abcdefghij");
	memmove(buf + 3, buf + 1, 10);
	CHECK(memcmp(buf, "012123456789adefghij", 20) == 0);
	strcpy(buf, "0123456789abcdefghij");
	memmove(buf + 1, buf + 3, 10);
	CHECK(memcmp(buf, "03456789abcbcdefghij", 20) == 0);
	/* Unaligned fills and copies across word boundaries. */
	memset(buf + 1, 'q', 37);
	CHECK(buf[0] == '0' && buf[1] == 'q' && buf[37] == 'q' &&
	    buf[38] != 'q');
	memcpy(buf + 3, "ABCDEFGHIJKLMNOPQRSTU", 21);
	CHECK(memcmp(buf + 3, "ABCDEFGHIJKLMNOPQRSTU", 21) == 0);
	CHECK(memchr("abc", 'c', 3) != NULL && memchr("abc", 'c', 2) == NULL);
	CHECK(memcmp("\x01", "\xff", 1) < 0);
}

static void
t_ctype(void)
{
	int c, n = 0;

	CHECK(isalpha('a') && isalpha('Z') && !isalpha('1') && !isalpha(EOF));
	CHECK(isdigit('0') && !isdigit('a') && isxdigit('F') && !isxdigit('g'));
	CHECK(isspace(' ') && isspace('\n') && isspace('\v') && !isspace('x'));
	CHECK(isupper('Q') && !isupper('q') && islower('q'));
	CHECK(isprint(' ') && !isgraph(' ') && isgraph('~') && !isprint(127));
	CHECK(ispunct('!') && !ispunct('a') && iscntrl('\t') && !iscntrl('a'));
	CHECK(isalnum('5') && !isalnum('_') && !isalpha(200));
	CHECK(toupper('a') == 'A' && tolower('A') == 'a');
	CHECK(toupper('1') == '1');
	CHECK(toupper(EOF) == EOF);
	for (c = 0; c < 128; c++)
		n += ispunct(c) != 0;
	CHECK(n == 32);
}

/* A deterministic generator for the stress tests (not our rand). */
static uint64_t t_seed = 88172645463325252ULL;

static uint64_t
t_rand(void)
{
	t_seed ^= t_seed << 13;
	t_seed ^= t_seed >> 7;
	t_seed ^= t_seed << 17;
	return (t_seed);
}

#define T_SLOTS	512

struct t_block {
	unsigned char	*p;
	size_t		size;
	unsigned char	fill;
};

static int
t_block_ok(const struct t_block *b)
{
	size_t i;

	for (i = 0; i < b->size; i++) {
		if (b->p[i] != (unsigned char)(b->fill + i * 7))
			return (0);
	}
	return (1);
}

static void
t_block_fill(struct t_block *b, size_t from)
{
	size_t i;

	for (i = from; i < b->size; i++)
		b->p[i] = (unsigned char)(b->fill + i * 7);
}

/* Mostly small sizes, some medium, one in 16 large (mapped). */
static size_t
t_rand_size(void)
{
	uint64_t r = t_rand();

	switch (r % 16) {
	case 0:
		return ((size_t)(r >> 8) % 300000);
	case 1:
	case 2:
		return ((size_t)(r >> 8) % 8192);
	default:
		return ((size_t)(r >> 8) % 600);
	}
}

/* One random step on slot b: free, realloc or malloc, checking content. */
static int
t_malloc_step(struct t_block *b)
{
	size_t sz, keep;
	void *p;
	int bad = 0;

	if (b->p != NULL && !t_block_ok(b))
		bad++;
	switch (t_rand() % 3) {
	case 0:
		free(b->p);
		b->p = NULL;
		b->size = 0;
		break;
	case 1:
		sz = t_rand_size();
		keep = sz < b->size ? sz : b->size;
		p = realloc(b->p, sz);
		if (p == NULL || ((uintptr_t)p & 15) != 0)
			return (bad + 1000);
		b->p = p;
		b->size = keep;
		if (!t_block_ok(b))
			bad++;
		b->size = sz;
		t_block_fill(b, keep);
		break;
	default:
		free(b->p);
		b->size = t_rand_size();
		b->fill = (unsigned char)t_rand();
		b->p = malloc(b->size);
		if (b->p == NULL || ((uintptr_t)b->p & 15) != 0)
			return (bad + 1000);
		t_block_fill(b, 0);
		break;
	}
	return (bad);
}

/* Bytes mapped by this process, from Linux's /proc/self/maps. */
static unsigned long
t_mapped(void)
{
	unsigned long lo, hi, total = 0;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return (0);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			total += hi - lo;
	}
	fclose(f);
	return (total);
}

/* Large blocks are mappings of their own, unmapped again by free. */
static void
t_malloc_large(void)
{
	static void *big[64];
	unsigned long before, during, after;
	int i;

	before = t_mapped();
	for (i = 0; i < 64; i++) {
		big[i] = malloc(1 << 20);
		CHECK(big[i] != NULL);
		if (big[i] != NULL)
			memset(big[i], i, 1 << 20);
	}
	during = t_mapped();
	for (i = 0; i < 64; i++)
		free(big[i]);
	after = t_mapped();
	CHECK(during >= before + (64UL << 20));
	CHECK(after < before + (1UL << 20));
}

static void
t_malloc(void)
{
	static struct t_block slot[T_SLOTS];
	unsigned char *z;
	size_t sz, al;
	void *p;
	int i, bad = 0;

	for (i = 0; i < 100000 && bad < 1000; i++)
		bad += t_malloc_step(&slot[t_rand() % T_SLOTS]);
	CHECK(bad == 0);
	for (i = 0; i < T_SLOTS; i++) {
		if (slot[i].p != NULL && !t_block_ok(&slot[i]))
			bad++;
		free(slot[i].p);
	}
	CHECK(bad == 0);
	z = calloc(1000, 7);
	CHECK(z != NULL);
	for (sz = 0; z != NULL && sz < 7000; sz++)
		bad += z[sz] != 0;
	CHECK(bad == 0);
	free(z);
	errno = 0;
	CHECK(calloc(SIZE_MAX / 2, 4) == NULL && errno == ENOMEM);
	CHECK(malloc(SIZE_MAX - 100) == NULL && errno == ENOMEM);
	p = malloc(0);
	CHECK(p != NULL);
	free(p);
	free(NULL);
	for (al = 8; al <= 65536; al *= 2) {
		p = NULL;
		CHECK(posix_memalign(&p, al, 100 + al) == 0);
		CHECK(p != NULL && ((uintptr_t)p & (al - 1)) == 0);
		if (p != NULL) {
			memset(p, 0xa5, 100 + al);
			p = realloc(p, 100 + 3 * al);
			CHECK(p != NULL && ((unsigned char *)p)[99] == 0xa5);
			free(p);
		}
	}
	CHECK(posix_memalign(&p, 24, 10) == EINVAL);
	t_malloc_large();
}

static long t_ncmp;

static int
t_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	t_ncmp++;
	return (x < y ? -1 : x > y);
}

/*
 * Sort v[0..n) and check order, permutation (by sum) and that at most
 * 4 n log2(n) comparisons were made (a quadratic sort of 100000
 * elements would need thousands of times more).
 */
static void
t_sort_check(int *v, size_t n, const char *what)
{
	long long sum0 = 0, sum1 = 0;
	size_t i;
	int ok = 1;

	for (i = 0; i < n; i++)
		sum0 += v[i];
	t_ncmp = 0;
	qsort(v, n, sizeof(int), t_cmp_int);
	for (i = 0; i < n; i++) {
		sum1 += v[i];
		if (i > 0 && v[i - 1] > v[i])
			ok = 0;
	}
	if (!ok || sum0 != sum1 || t_ncmp > 4 * (long)n * 17 + 10) {
		printf("FAIL qsort %s: ok %d, %ld comparisons\n", what, ok,
		    t_ncmp);
		failures++;
	}
}

struct t_rec {
	char	name[13];	/* odd size: bytewise swaps */
};

static int
t_cmp_rec(const void *a, const void *b)
{
	return (strcmp(((const struct t_rec *)a)->name,
	    ((const struct t_rec *)b)->name));
}

static void
t_qsort(void)
{
	static int v[100000];
	struct t_rec r[5] = {
		{ "pear" }, { "apple" }, { "fig" }, { "kiwi" }, { "date" },
	};
	size_t n = 100000, i;
	int key, *hit;

	for (i = 0; i < n; i++)
		v[i] = (int)(t_rand() % 1000000);
	t_sort_check(v, n, "random");
	t_sort_check(v, n, "sorted");
	for (i = 0; i < n; i++)
		v[i] = (int)(n - i);
	t_sort_check(v, n, "reversed");
	for (i = 0; i < n; i++)
		v[i] = 7;
	t_sort_check(v, n, "equal");
	for (i = 0; i < n; i++)
		v[i] = (int)(i % 2 == 0 ? i : n - i);
	t_sort_check(v, n, "organ pipe");
	for (i = 0; i < 3; i++)
		v[i] = (int)(3 - i);
	t_sort_check(v, 3, "three");
	t_sort_check(v, 0, "empty");
	qsort(r, 5, sizeof(r[0]), t_cmp_rec);
	CHECK_STR(r[0].name, "apple");
	CHECK_STR(r[1].name, "date");
	CHECK_STR(r[4].name, "pear");
	for (i = 0; i < 1000; i++)
		v[i] = (int)(i * 2);
	key = 642;
	hit = bsearch(&key, v, 1000, sizeof(int), t_cmp_int);
	CHECK(hit == &v[321]);
	key = 643;
	CHECK(bsearch(&key, v, 1000, sizeof(int), t_cmp_int) == NULL);
	key = 0;
	CHECK(bsearch(&key, v, 0, sizeof(int), t_cmp_int) == NULL);
}

/* Write t1.txt, then read it back line by line, by block, with seeks. */
static void
t_stdio_read(void)
{
	char buf[256], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int i;

	f = fopen("t1.txt", "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fprintf(f, "line %d\n", 1) == 7);
	CHECK(fputs("second line\n", f) == 0);
	for (i = 0; i < 5000; i++)
		fputc('a' + i % 26, f);
	fputc('\n', f);
	CHECK(fwrite("tail", 1, 4, f) == 4);
	CHECK(ftell(f) == 7 + 12 + 5001 + 4);
	CHECK(fclose(f) == 0);

	f = fopen("t1.txt", "r");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_STR(fgets(buf, sizeof(buf), f), "line 1\n");
	CHECK(getline(&line, &cap, f) == 12);
	CHECK_STR(line, "second line\n");
	CHECK(getline(&line, &cap, f) == 5001 && line[5000] == '\n');
	CHECK(line[0] == 'a' && line[4999] == 'a' + 4999 % 26);
	CHECK(getline(&line, &cap, f) == 4);
	CHECK_STR(line, "tail");
	CHECK(getline(&line, &cap, f) == -1 && feof(f));
	CHECK(fgetc(f) == EOF);
	CHECK(fseek(f, 5, SEEK_SET) == 0 && !feof(f));
	CHECK(fgetc(f) == '1' && ftell(f) == 6);
	CHECK(ungetc('X', f) == 'X' && ftell(f) == 5);
	CHECK(fgetc(f) == 'X' && fgetc(f) == '\n');
	CHECK(fseek(f, -4, SEEK_END) == 0);
	CHECK(fread(buf, 1, 10, f) == 4 && memcmp(buf, "tail", 4) == 0);
	rewind(f);
	CHECK(fscanf(f, "line %d", &i) == 1 && i == 1);
	CHECK(fclose(f) == 0);
	free(line);
}

/* Read the whole of path into buf (NUL-terminated) with a new stream. */
static const char *
t_slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return ("(cannot open)");
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* Unbuffered, line-buffered and fully buffered output (setvbuf). */
static void
t_stdio_bufmodes(void)
{
	char buf[64], mybuf[32];
	FILE *f;

	f = fopen("t4.txt", "w");
	CHECK(f != NULL && setvbuf(f, NULL, _IONBF, 0) == 0);
	if (f == NULL)
		return;
	CHECK(fprintf(f, "%d-%s", 12, "ab") == 5);
	CHECK_STR(t_slurp("t4.txt", buf, sizeof(buf)), "12-ab");
	fclose(f);
	f = fopen("t4.txt", "w");
	CHECK(f != NULL && setvbuf(f, NULL, _IOLBF, 0) == 0);
	if (f == NULL)
		return;
	fputs("ab", f);
	CHECK_STR(t_slurp("t4.txt", buf, sizeof(buf)), "");
	fputs("c\nd", f);
	/* The line must be out; whether "d" went with it is unspecified. */
	CHECK(strncmp(t_slurp("t4.txt", buf, sizeof(buf)), "abc\n", 4) == 0);
	fclose(f);
	CHECK_STR(t_slurp("t4.txt", buf, sizeof(buf)), "abc\nd");
	f = fopen("t4.txt", "w");
	CHECK(f != NULL && setvbuf(f, mybuf, _IOFBF, sizeof(mybuf)) == 0);
	if (f == NULL)
		return;
	fputs("0123456789\n", f);
	CHECK_STR(t_slurp("t4.txt", buf, sizeof(buf)), "");
	fputs("0123456789012345678901234567890123456789", f);
	CHECK(strlen(t_slurp("t4.txt", buf, sizeof(buf))) >= 32);
	CHECK(fflush(NULL) == 0);
	CHECK(strlen(t_slurp("t4.txt", buf, sizeof(buf))) == 51);
	fclose(f);
	CHECK(remove("t4.txt") == 0);
}

/* Append, update in place, w+, rename, remove, bad modes. */
static void
t_stdio(void)
{
	char buf[256];
	FILE *f;

	t_stdio_read();
	t_stdio_bufmodes();
	f = fopen("t1.txt", "a");
	CHECK(f != NULL && fputs("+app", f) == 0 && fclose(f) == 0);
	f = fopen("t1.txt", "r+");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fseek(f, -8, SEEK_END) == 0);
	CHECK(fread(buf, 1, 8, f) == 8 && memcmp(buf, "tail+app", 8) == 0);
	CHECK(fseek(f, 0, SEEK_SET) == 0 && fputs("LINE", f) == 0);
	CHECK(fgetc(f) == ' ');
	CHECK(fclose(f) == 0);
	f = fopen("t1.txt", "r");
	CHECK(f != NULL && fgets(buf, sizeof(buf), f) != NULL);
	CHECK_STR(buf, "LINE 1\n");
	fclose(f);

	f = fopen("t2.txt", "w+");
	CHECK(f != NULL);
	CHECK(fprintf(f, "%s %d %.2f\n", "w+", 5, 0.5) == 10);
	rewind(f);
	CHECK(fgets(buf, sizeof(buf), f) != NULL);
	CHECK_STR(buf, "w+ 5 0.50\n");
	fclose(f);
	CHECK(rename("t2.txt", "t3.txt") == 0);
	CHECK(fopen("t2.txt", "r") == NULL && errno == ENOENT);
	CHECK(remove("t3.txt") == 0 && remove("t1.txt") == 0);
	CHECK(remove("t1.txt") == -1 && errno == ENOENT);
	CHECK(fopen("t1.txt", "z") == NULL && errno == EINVAL);
	CHECK(dprintf(1, "%s", "") == 0);
}

static void
t_env(void)
{
	char put[] = "PUTVAR=one";

	CHECK(getenv("LIBC_TEST_NOPE") == NULL);
	CHECK_STR(getenv("LIBC_TEST_VAR"), "from-env");
	CHECK(setenv("A1", "x", 0) == 0);
	CHECK_STR(getenv("A1"), "x");
	CHECK(setenv("A1", "y", 0) == 0);
	CHECK_STR(getenv("A1"), "x");
	CHECK(setenv("A1", "z", 1) == 0);
	CHECK_STR(getenv("A1"), "z");
	CHECK(setenv("LIBC_TEST_VAR", "new", 1) == 0);
	CHECK_STR(getenv("LIBC_TEST_VAR"), "new");
	CHECK(setenv("BAD=NAME", "v", 1) == -1 && errno == EINVAL);
	CHECK(setenv("", "v", 1) == -1);
	CHECK(putenv(put) == 0);
	CHECK_STR(getenv("PUTVAR"), "one");
	put[7] = 'X';
	CHECK_STR(getenv("PUTVAR"), "Xne");
	CHECK(unsetenv("A1") == 0 && getenv("A1") == NULL);
	CHECK(unsetenv("A1") == 0);
	CHECK(getenv("A") == NULL);
}

static void
t_misc(void)
{
	div_t q = div(-7, 2);
	int r1, r2;

	CHECK(abs(-3) == 3 && labs(-4L) == 4 && llabs(-5LL) == 5);
	CHECK(q.quot == -3 && q.rem == -1);
	srand(7);
	r1 = rand();
	srand(7);
	r2 = rand();
	CHECK(r1 == r2 && r1 >= 0 && r1 <= RAND_MAX);
	CHECK(rand() != rand());
}

/* Handler n prints " n"; handler 0 ends the line. */
#define T_H(n)								\
static void								\
t_h##n(void)								\
{									\
	printf(" %d%s", n, n == 0 ? "\n" : "");				\
}
T_H(0) T_H(1) T_H(2) T_H(3) T_H(4) T_H(5) T_H(6) T_H(7) T_H(8) T_H(9)

static void (*const t_handlers[10])(void) = {
	t_h0, t_h1, t_h2, t_h3, t_h4, t_h5, t_h6, t_h7, t_h8, t_h9,
};

/* 40 handlers, registered 0..9 four times, must run 9..0 four times. */
static void
t_exit(void)
{
	int i;

	for (i = 0; i < 40; i++) {
		if (atexit(t_handlers[i % 10]) != 0)
			printf("atexit failed\n");
	}
	/* stdout is a pipe or file here: only exit's flush shows this. */
	printf("start");
	exit(3);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		void		(*fn)(void);
	} cases[] = {
		{ "printf_int", t_printf_int },
		{ "printf_float", t_printf_float },
		{ "scanf", t_scanf },
		{ "strtol", t_strtol },
		{ "strtod", t_strtod },
		{ "string", t_string },
		{ "ctype", t_ctype },
		{ "malloc", t_malloc },
		{ "qsort", t_qsort },
		{ "stdio", t_stdio },
		{ "env", t_env },
		{ "misc", t_misc },
		{ "exit", t_exit },
		{ "abort", abort },
	};
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: libc_host CASE\n");
		return (2);
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			printf("%s: %d failures\n", argv[1], failures);
			return (failures != 0);
		}
	}
	fprintf(stderr, "libc_host: no case %s\n", argv[1]);
	return (2);
}
