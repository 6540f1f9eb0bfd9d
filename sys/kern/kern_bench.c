/*
 * The in-kernel benchmark runner (see <sys/kbench.h>), and the LWKT
 * benchmarks that need nothing but threads and IPIs.  Benchmarks of
 * tokens and messages live next to this file in lwkt_bench.c.
 *
 * Method: each benchmark repeats its operation N times between two
 * serialized TSC reads and reports the mean per operation.  Under TCG with
 * -icount shift=0 one TSC tick is one guest instruction.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/kbench.h>
#include <sys/md.h>
#include <machine/cpufunc.h>

extern const struct kbench __start_kbench_set[], __stop_kbench_set[];

uint64_t
kbench_now(void)
{
	return (rdtsc_ordered());
}

void
kbench_report(const char *name, uint64_t ticks, uint64_t iters,
    const char *desc)
{
	uint64_t whole = ticks / iters, frac = (ticks % iters) * 10 / iters;

	kprintf("BENCH %s %lu.%lu %lu %s\n", name, whole, frac, iters, desc);
}

void
kbench_run(const char *glob)
{
	kprintf("BENCH-START cpus=%d\n", ncpus);
	for (const struct kbench *kb = __start_kbench_set;
	    kb < __stop_kbench_set; kb++) {
		if (globmatch(glob, kb->kb_name))
			kb->kb_func();
	}
	kprintf("BENCH-END\n");
	md_exit(EXIT_PASS);
}

/* --- baseline and critical sections --- */

static __noinline void
bench_nop(int *p)
{
	__asm__ __volatile__("" :: "r"(p) : "memory");
}

KBENCH(call, "empty function call (baseline)")
{
	int x = 0;
	uint64_t n = 100000, t0 = kbench_now();

	for (uint64_t i = 0; i < n; i++)
		bench_nop(&x);
	kbench_report("call", kbench_now() - t0, n, "empty function call");
}

KBENCH(crit, "crit_enter + crit_exit")
{
	struct thread *td = curthread;
	uint64_t n = 100000, t0 = kbench_now();

	for (uint64_t i = 0; i < n; i++) {
		crit_enter_td(td);
		crit_exit_td(td);
	}
	kbench_report("crit", kbench_now() - t0, n, "crit_enter+crit_exit");
}

/* --- thread switch: two threads on one CPU yield to each other --- */

static volatile int sw_left;
static volatile uint64_t sw_t0, sw_t1;
#define SW_ITERS	20000

static void
sw_thread(void *arg)
{
	if (arg != NULL)
		sw_t0 = kbench_now();
	for (int i = 0; i < SW_ITERS; i++)
		lwkt_yield();
	sw_t1 = kbench_now();
	if (__atomic_sub_fetch(&sw_left, 1, __ATOMIC_ACQ_REL) == 0)
		wakeup(&sw_left);
}

KBENCH(switch, "lwkt_switch between two threads on one CPU")
{
	sw_left = 2;
	crit_enter();
	lwkt_create(sw_thread, (void *)1, 0, TDPRI_SOFT, 0, 0, "sw_a");
	lwkt_create(sw_thread, NULL, 0, TDPRI_SOFT, 0, 0, "sw_b");
	crit_exit();
	while (sw_left != 0)
		tsleep(&sw_left, 0, "bench", 10000000UL);
	/* Each yield is one switch (plus the yield's own overhead). */
	kbench_report("switch", sw_t1 - sw_t0, 2 * SW_ITERS,
	    "lwkt_yield to another thread (one switch)");
}

/* --- IPI latency: one way and round trip, CPU 0 <-> CPU 1 --- */

static volatile uint64_t ipi_arrived;
static volatile int ipi_pong;

static void
ipi_oneway(void *arg1, uint64_t sent)
{
	__atomic_store_n(&ipi_arrived, kbench_now() - sent, __ATOMIC_RELEASE);
}

static void
ipi_pong_fn(void *arg1, uint64_t arg2)
{
	__atomic_store_n(&ipi_pong, 1, __ATOMIC_RELEASE);
}

static void
ipi_ping_fn(void *arg1, uint64_t arg2)
{
	lwkt_send_ipiq(globaldata_find(0), ipi_pong_fn, NULL, 0);
}

KBENCH(ipi, "IPI message latency, one way and round trip")
{
	struct globaldata *peer;
	uint64_t total = 0, n = 200, t0;

	if (ncpus < 2) {
		kprintf("BENCH ipi_oneway n/a 0 needs 2 CPUs\n");
		kprintf("BENCH ipi_roundtrip n/a 0 needs 2 CPUs\n");
		return;
	}
	peer = globaldata_find(1);
	for (uint64_t i = 0; i < n; i++) {
		ipi_arrived = 0;
		lwkt_send_ipiq(peer, ipi_oneway, NULL, kbench_now());
		while (__atomic_load_n(&ipi_arrived, __ATOMIC_ACQUIRE) == 0)
			cpu_pause();
		total += ipi_arrived;
	}
	kbench_report("ipi_oneway", total, n,
	    "send to CPU 1 until its handler runs (TSC of both CPUs)");
	crit_enter();
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++) {
		ipi_pong = 0;
		lwkt_send_ipiq(peer, ipi_ping_fn, NULL, 0);
		while (__atomic_load_n(&ipi_pong, __ATOMIC_ACQUIRE) == 0) {
			lwkt_process_ipiq();
			cpu_pause();
		}
	}
	kbench_report("ipi_roundtrip", kbench_now() - t0, n,
	    "CPU 0 -> CPU 1 -> CPU 0, polled reply");
	crit_exit();
}
