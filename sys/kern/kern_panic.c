/*
 * panic(): the one way the kernel gives up.
 *
 * The first CPU to panic wins panicstr; it stops the other CPUs with an
 * NMI, prints "cpuN: panic: message" and a symbolized backtrace, and then
 * either halts (interactive use) or leaves QEMU with the failure status
 * (when panic_exit is set, as in test runs), so that a harness never
 * mistakes a panic for a pass.  A CPU that panics while another is
 * already panicking halts quietly; a recursive panic on the same CPU
 * prints its message and skips straight to the exit.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <sys/md.h>

const char * volatile panicstr;		/* [a] set once, by the first panic */
static volatile int panic_cpu = -1;	/* [a] */
bool panic_exit;			/* [I] exit QEMU on panic */
static char panicbuf[256];

void
panic(const char *fmt, ...)
{
	int me, expect = -1;
	va_list ap;

	md_intr_disable();
	me = mycpuid;
	if (!__atomic_compare_exchange_n(&panic_cpu, &expect, me, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (expect != me)
			md_halt();		/* someone else reports */
		kprintf("cpu%d: recursive panic: ", me);
		va_start(ap, fmt);
		kvprintf(fmt, ap);
		va_end(ap);
		kprintf("\n");
		md_exit(EXIT_FAIL);
	}
	va_start(ap, fmt);
	kvsnprintf(panicbuf, sizeof(panicbuf), fmt, ap);
	va_end(ap);
	panicstr = panicbuf;
	md_stop_other_cpus();

	kprintf("cpu%d: panic: %s\n", me, panicbuf);
	kprintf("backtrace:\n");
	md_backtrace((uint64_t)__builtin_frame_address(0), 0);
	lwkt_print_stats();
	if (panic_exit)
		md_exit(EXIT_FAIL);
	kprintf("system halted\n");
	md_halt();
}
