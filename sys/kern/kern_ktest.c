/*
 * The in-kernel test runner.
 *
 * ktest_run(glob) walks the ktest_set linker section, runs every test
 * whose name matches, and reports in KTAP version 1 on the console:
 *
 *	KTAP version 1
 *	1..N
 *	# diagnostics ...
 *	ok 1 name  |  not ok 1 name  |  ok 1 name # SKIP reason
 *
 * then leaves QEMU through isa-debug-exit: 0x10 when every test passed or
 * was skipped, 0x20 otherwise.  A test that panics never reaches its
 * result line; panic() exits with 0x20 (panic_exit is set), and the host
 * harness reads the panic message from the log.
 *
 * Failures may be recorded from any CPU (ktest_fail is atomic on the
 * flag); the first one is kept for the result line.  Tests run one at a
 * time on the BSP.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/md.h>

extern const struct ktest __start_ktest_set[], __stop_ktest_set[];

static volatile int kt_failed;		/* [a] failures in the running test */

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&kt_failed, 1, __ATOMIC_RELAXED);
	kprintf("# FAIL %s:%d: %s (cpu%d)\n", file, line, msg, mycpuid);
}

void
ktest_log(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("# %s\n", msg);
}

bool
ktest_failed(void)
{
	return (__atomic_load_n(&kt_failed, __ATOMIC_RELAXED) != 0);
}

int
ktest_expected_cpus(void)
{
	const char *v = kern_getarg("smp");

	return (v == NULL ? 0 : (int)strtoul(v, NULL, 10));
}

/* Smallest CPU count in a test's list, e.g. "2,4" -> 2. */
static int
ktest_min_cpus(const struct ktest *kt)
{
	const char *p = kt->kt_cpus;
	int min = 0;

	while (*p != '\0') {
		char *end;
		int n = (int)strtoul(p, &end, 10);

		if (end == p)
			break;
		if (min == 0 || n < min)
			min = n;
		p = *end == ',' ? end + 1 : end;
	}
	return (min == 0 ? 1 : min);
}

void
ktest_run(const char *glob)
{
	const struct ktest *kt;
	int n = 0, i = 0, failed = 0;

	for (kt = __start_ktest_set; kt < __stop_ktest_set; kt++)
		if (globmatch(glob, kt->kt_name))
			n++;
	kprintf("KTAP version 1\n1..%d\n", n);
	if (n == 0)
		kprintf("# no test matches \"%s\"\n", glob);
	for (kt = __start_ktest_set; kt < __stop_ktest_set; kt++) {
		int need;

		if (!globmatch(glob, kt->kt_name))
			continue;
		i++;
		need = ktest_min_cpus(kt);
		if (ncpus < need) {
			kprintf("ok %d %s # SKIP needs %d CPUs, have %d\n", i,
			    kt->kt_name, need, ncpus);
			continue;
		}
		ktest_log("%s: %s", kt->kt_name, kt->kt_desc);
		kt_failed = 0;
		kt->kt_func();
		if (ktest_failed()) {
			failed++;
			kprintf("not ok %d %s\n", i, kt->kt_name);
		} else {
			kprintf("ok %d %s\n", i, kt->kt_name);
		}
	}
	md_exit(failed == 0 && n > 0 ? EXIT_PASS : EXIT_FAIL);
}
