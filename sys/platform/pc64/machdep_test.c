/*
 * In-kernel tests of the platform: CPU start-up, per-CPU timers, the
 * monotonic clock across CPUs, exception reporting, and the harness's
 * own failure detection (tests that must fail: a panic, a fatal fault,
 * a hang and a triple fault).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/smp.h>
#include <sys/md.h>
#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/trap.h>

/*
 * Every CPU the harness asked for is up, with a distinct APIC id that
 * matches the MADT, and its timer ticks.
 */
static void
smp_boot_check(void)
{
	uint64_t before[MAXCPU], deadline;
	int want = ktest_expected_cpus();

	if (want != 0)
		KT_ASSERT_EQ(ncpus, want);
	KT_ASSERT_EQ(ncpus, madt.ncpu > 0 ? madt.ncpu : 1);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct globaldata *gd = globaldata_find(cpu);

		KT_ASSERT(gd != NULL);
		KT_ASSERT_EQ(gd->gd_cpuid, cpu);
		KT_ASSERT(smp_active_mask & CPUMASK(cpu));
		for (int j = 0; j < cpu; j++)
			KT_ASSERT(globaldata_find(j)->gd_apicid !=
			    gd->gd_apicid);
		before[cpu] = gd->gd_ticks;
	}
	/* Wait until every timer has ticked at least twice (or give up). */
	deadline = nanouptime() + 5000000000UL;
	for (;;) {
		int behind = 0;

		for (int cpu = 0; cpu < ncpus; cpu++)
			if (globaldata_find(cpu)->gd_ticks < before[cpu] + 2)
				behind++;
		if (behind == 0 || nanouptime() > deadline)
			break;
		tsleep(&before, 0, "ticks", 10000000UL);
	}
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct globaldata *gd = globaldata_find(cpu);

		ktest_log("cpu%d apic %u ticks %lu", cpu, gd->gd_apicid,
		    gd->gd_ticks);
		KT_CHECK(gd->gd_ticks >= before[cpu] + 2);
	}
}

KTEST_SMP(smp_boot, "1,2,4,8",
    "every CPU starts, reports its APIC id and ticks its timer")
{
	smp_boot_check();
}

/*
 * Monotonic clock across CPUs: every CPU reads the clock in a loop and
 * publishes the largest value it saw; a reading taken after loading the
 * published maximum must never be below it.
 */
static volatile uint64_t clk_max;
static volatile int clk_bad;

static void
clock_race(void *arg)
{
	uint64_t last = 0, end = nanouptime() + 300000000UL;

	/* 300 ms of readings, at least 2000, at most 200000. */
	for (int i = 0; i < 200000; i++) {
		if (i >= 2000 && (i & 255) == 0 && nanouptime() > end)
			break;
		uint64_t seen = __atomic_load_n(&clk_max, __ATOMIC_ACQUIRE);
		uint64_t now = nanouptime();
		uint64_t cur = seen;

		if (now < seen || now < last) {
			if (__atomic_add_fetch(&clk_bad, 1, __ATOMIC_RELAXED)
			    <= 3)
				ktest_fail(__FILE__, __LINE__,
				    "clock went back: %lu after %lu (local %lu)",
				    now, seen, last);
		}
		last = now;
		while (now > cur && !__atomic_compare_exchange_n(&clk_max,
		    &cur, now, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			;
	}
}

KTEST_SMP(clock_monotonic, "1,2,4",
    "the monotonic clock never goes backwards, on one CPU or across CPUs")
{
	uint64_t t0 = nanouptime();

	clk_max = 0;
	clk_bad = 0;
	smp_call_all(clock_race, NULL);
	KT_ASSERT_EQ(clk_bad, 0);
	KT_ASSERT(nanouptime() > t0);
	ktest_log("%d CPUs reading for %lu us", ncpus,
	    (nanouptime() - t0) / 1000);
}

/*
 * Exception reporting.  Each probe is one instruction at a global label,
 * in a function that is never inlined, so the label exists exactly once;
 * the trap catcher resumes right after it.
 */
extern char ktest_ud_site[], ktest_ud_resume[];
extern char ktest_pfr_site[], ktest_pfr_resume[];
extern char ktest_pfw_site[], ktest_pfw_resume[];

static __noinline void
probe_ud(void)
{
	__asm__ __volatile__(
	    ".globl ktest_ud_site, ktest_ud_resume\n"
	    "ktest_ud_site: ud2\n"
	    "ktest_ud_resume:" ::: "memory");
}

static __noinline void
probe_read(uint64_t addr)
{
	__asm__ __volatile__(
	    ".globl ktest_pfr_site, ktest_pfr_resume\n"
	    "ktest_pfr_site: movq (%0), %%rax\n"
	    "ktest_pfr_resume:" :: "r"(addr) : "rax", "memory");
}

static __noinline void
probe_write(uint64_t addr)
{
	__asm__ __volatile__(
	    ".globl ktest_pfw_site, ktest_pfw_resume\n"
	    "ktest_pfw_site: movq $0x5a, (%0)\n"
	    "ktest_pfw_resume:" :: "r"(addr) : "memory");
}

KTEST(trap_ud, "an invalid opcode is reported with vector 6 and its rip")
{
	struct trapcatch tc;

	trap_catch_arm(&tc, (uint64_t)ktest_ud_resume);
	probe_ud();
	trap_catch_disarm();
	KT_ASSERT(tc.tc_caught);
	KT_ASSERT_EQ(tc.tc_vector, T_INVOP);
	KT_ASSERT_EQ(tc.tc_rip, (uint64_t)ktest_ud_site);
}

KTEST(trap_pf, "page faults are reported with vector 14, cr2, rip and cause")
{
	static const uint64_t unmapped[] = {
		0, 0x8, 0x0000123456789000UL, 0x00007ffffffff000UL,
	};
	struct trapcatch tc;

	/* Reads of unmapped addresses: not present, read. */
	for (size_t i = 0; i < nitems(unmapped); i++) {
		trap_catch_arm(&tc, (uint64_t)ktest_pfr_resume);
		probe_read(unmapped[i]);
		trap_catch_disarm();
		KT_ASSERT(tc.tc_caught);
		KT_ASSERT_EQ(tc.tc_vector, T_PAGEFLT);
		KT_ASSERT_EQ(tc.tc_addr, unmapped[i]);
		KT_ASSERT_EQ(tc.tc_rip, (uint64_t)ktest_pfr_site);
		KT_ASSERT_EQ(tc.tc_err & (PGEX_P | PGEX_W | PGEX_U), 0);
	}
	/* A write to the kernel's read-only text: protection, write. */
	trap_catch_arm(&tc, (uint64_t)ktest_pfw_resume);
	probe_write((uint64_t)ktest_ud_site);
	trap_catch_disarm();
	KT_ASSERT(tc.tc_caught);
	KT_ASSERT_EQ(tc.tc_vector, T_PAGEFLT);
	KT_ASSERT_EQ(tc.tc_addr, (uint64_t)ktest_ud_site);
	KT_ASSERT_EQ(tc.tc_rip, (uint64_t)ktest_pfw_site);
	KT_ASSERT_EQ(tc.tc_err & (PGEX_P | PGEX_W), PGEX_P | PGEX_W);
	/* The text is intact: the faulting write did not happen. */
	KT_ASSERT_EQ(*(volatile uint8_t *)ktest_ud_site, 0x0f);
	/* And a catcher that is not armed stays out of the way. */
	KT_ASSERT(mycpu->gd_md.md_trapcatch == NULL);
}

/*
 * Tests the harness must see fail.  Each is an expected failure: kyua
 * reports "expected_failure" only if the harness classified the run as
 * failed or broken, and "failed" if it wrongly passed.
 */
KTEST_XFAIL(xfail_panic, "a deliberate panic is reported as a failure")
{
	panic("deliberate panic from a test");
}

KTEST_XFAIL(xfail_fault, "an uncaught kernel page fault is a failure")
{
	probe_read(0xdead0000UL);
}

KTEST_XFAIL(xfail_assert, "a failed assertion is reported as not ok")
{
	KT_ASSERT_EQ(1 + 1, 3);
}

KTEST_DEFINE(xfail_hang, "1", 1, 5,
    "a test that never finishes is reported as a hang")
{
	for (;;)
		md_idle_wait();
}

KTEST_XFAIL(xfail_triple, "a triple fault (QEMU exits 0) is never a pass")
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { 0, 0 };

	/* With an empty IDT the breakpoint escalates to a triple fault. */
	__asm__ __volatile__("cli; lidt %0; int3" :: "m"(idtr));
}
