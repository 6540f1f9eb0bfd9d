/*
 * In-kernel tests.
 *
 * A test is a function registered with KTEST(), KTEST_SMP() or
 * KTEST_XFAIL().  Each registration puts a struct ktest into the
 * "ktest_set" section, which the kernel walks at boot when the command
 * line carries ktest=GLOB, and one line of metadata into the non-loaded
 * ".ktest_meta" section, which the host harness (tests/kern/ktest.c)
 * reads from the ELF image to list kyua test cases without booting.
 *
 * Metadata line: "name\tcpus\txfail\ttimeout\tdescription\n", where cpus
 * is a comma-separated list of CPU counts the harness boots the test
 * with (one kyua case per count), xfail is 1 when the harness must see
 * the test fail (panic, hang, triple fault) for the case to count as an
 * expected failure, and timeout is the harness's limit in seconds.
 * Descriptions must not contain double quotes or backslashes.
 *
 * Results go to COM1 as KTAP version 1; a run ends through isa-debug-exit
 * (0x10 all passed, 0x20 something failed).
 *
 * Calling context of a test body: the BSP's boot thread, interrupts
 * enabled, every CPU up.  A test may use smp_call_all() to run code on
 * every CPU.
 */
#ifndef _SYS_KTEST_H_
#define _SYS_KTEST_H_

#include <sys/types.h>

struct ktest {
	const char	*kt_name;	/* [I] */
	const char	*kt_desc;	/* [I] */
	const char	*kt_cpus;	/* [I] CPU counts, e.g. "1,4" */
	int		kt_xfail;	/* [I] harness expects failure */
	int		kt_timeout;	/* [I] seconds, enforced by the harness */
	void		(*kt_func)(void);
};

#define KTEST_DEFINE(name, cpus, xfail, timeout, desc)			\
	static void __CONCAT(ktest_fn_, name)(void);			\
	static const struct ktest __CONCAT(ktest_, name)		\
	    __section("ktest_set") __used __aligned(8) = {		\
		#name, desc, cpus, xfail, timeout,			\
		__CONCAT(ktest_fn_, name) };				\
	__asm__(".pushsection .ktest_meta,\"\",@progbits\n"		\
	    "\t.ascii \"" #name "\\t" cpus "\\t" #xfail "\\t"		\
	    #timeout "\\t\"\n"						\
	    "\t.ascii " #desc "\n"					\
	    "\t.ascii \"\\n\"\n"					\
	    ".popsection\n");						\
	static void __CONCAT(ktest_fn_, name)(void)

#define KTEST(name, desc)		KTEST_DEFINE(name, "1", 0, 60, desc)
#define KTEST_SMP(name, cpus, desc)	KTEST_DEFINE(name, cpus, 0, 120, desc)
#define KTEST_XFAIL(name, desc)		KTEST_DEFINE(name, "1", 1, 30, desc)

/* Record a failure of the running test; safe on any CPU. */
void	ktest_fail(const char *file, int line, const char *fmt, ...)
	    __printflike(3, 4);
/* Print a KTAP diagnostic line ("# ..."); safe on any CPU. */
void	ktest_log(const char *fmt, ...) __printflike(1, 2);
/* True once the running test has recorded a failure. */
bool	ktest_failed(void);
/* Number of CPUs the harness asked for (smp=N), or 0 if not given. */
int	ktest_expected_cpus(void);

/* Check and keep going (usable on any CPU, in helper functions). */
#define KT_CHECK(exp) do {						\
	if (__predict_false(!(exp)))					\
		ktest_fail(__FILE__, __LINE__, "%s", #exp);		\
} while (0)
/* Check and return from the test function on failure. */
#define KT_ASSERT(exp) do {						\
	if (__predict_false(!(exp))) {					\
		ktest_fail(__FILE__, __LINE__, "%s", #exp);		\
		return;							\
	}								\
} while (0)
#define KT_ASSERT_EQ(a, b) do {						\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);		\
	if (__predict_false(__a != __b)) {				\
		ktest_fail(__FILE__, __LINE__,				\
		    "%s == %s: %#lx != %#lx", #a, #b, __a, __b);	\
		return;							\
	}								\
} while (0)

#endif /* !_SYS_KTEST_H_ */
