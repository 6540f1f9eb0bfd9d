/*
 * In-kernel benchmarks (sys/kern/kern_bench.c).
 *
 * KBENCH(name, "description") registers a function that measures one
 * operation and reports it with kbench_report().  Booting with
 * bench=GLOB runs the matching benchmarks on the BSP and prints one line
 * per figure:
 *
 *	BENCH <name> <per-op TSC ticks> <iterations> <description>
 *
 * then exits QEMU.  Under TCG with -icount shift=0 the TSC advances one
 * tick per guest instruction, so the figure is an instruction count;
 * under KVM it is CPU cycles.  `make bench` (tools/bench.sh) runs both
 * and prints the table.  Benchmarks never run in tests.
 */
#ifndef _SYS_KBENCH_H_
#define _SYS_KBENCH_H_

#include <sys/types.h>

struct kbench {
	const char	*kb_name;
	const char	*kb_desc;
	void		(*kb_func)(void);
};

#define KBENCH(name, desc)						\
	static void __CONCAT(kbench_fn_, name)(void);			\
	static const struct kbench __CONCAT(kbench_, name)		\
	    __section("kbench_set") __used __aligned(8) = {		\
		#name, desc, __CONCAT(kbench_fn_, name) };		\
	static void __CONCAT(kbench_fn_, name)(void)

/* Report total ticks for iters operations of benchmark name. */
void	kbench_report(const char *name, uint64_t ticks, uint64_t iters,
	    const char *desc);
/* The timestamp used for benchmarks (serialized rdtsc). */
uint64_t kbench_now(void);
void	kbench_run(const char *glob) __dead2;

#endif /* !_SYS_KBENCH_H_ */
