/*
 * Machine-independent main: entered on the boot CPU once the platform has
 * every CPU running, memory and interrupts up.  It decides between the
 * in-kernel test run (ktest=GLOB) and the interactive console monitor.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kbench.h>

void
kernel_main(void)
{
	const char *glob = kern_getarg("ktest");
	const char *p = kern_getarg("panic");
	const char *bench = kern_getarg("bench");

	if (p != NULL && strcmp(p, "exit") == 0)
		panic_exit = true;
	if (bench != NULL) {
		panic_exit = true;
		kbench_run(bench);
	}
	if (glob != NULL) {
		panic_exit = true;
		ktest_run(glob);
	}
	monitor_run();
}
