/*
 * Machine-independent main: entered on the boot CPU once the platform has
 * every CPU running, memory and interrupts up.  It decides between the
 * in-kernel test run (ktest=GLOB) and the interactive console monitor,
 * once the filesystems are up (vfs_init: tmpfs root, initrd, /dev).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kbench.h>
#include <sys/mount.h>

void
kernel_main(void)
{
	const char *glob = kern_getarg("ktest");
	const char *p = kern_getarg("panic");
	const char *bench = kern_getarg("bench");

	/* A test or benchmark run must end the machine even on a panic. */
	if ((p != NULL && strcmp(p, "exit") == 0) || glob != NULL ||
	    bench != NULL)
		panic_exit = true;
	vfs_init();
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
