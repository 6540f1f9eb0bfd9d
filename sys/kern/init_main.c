/*
 * Machine-independent main: entered on the boot CPU once the platform has
 * every CPU running, memory and interrupts up.  Once the filesystems are
 * up (vfs_init: tmpfs root, initrd, /dev) it runs, by the command line:
 *   ktest=GLOB	the in-kernel tests, then leaves QEMU;
 *   bench=GLOB	the in-kernel benchmarks, then leaves QEMU;
 *   monitor	the interactive console monitor (kern_monitor.c);
 *   otherwise	the first user process, init=PATH (default /sbin/init),
 *		with utest=NAME passed on as "-t NAME" (the userland test
 *		runner) and ubench=NAME as "-b NAME"; the monitor if init
 *		cannot be started.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kbench.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/thread.h>

/* Start init; false if it could not be started. */
static bool
start_init(void)
{
	const char *path = kern_getarg("init");
	const char *ut = kern_getarg("utest"), *ub = kern_getarg("ubench");
	const char *scale = kern_getarg("benchscale");
	char *argv[6];
	int pid;

	if (path == NULL)
		path = "/sbin/init";
	argv[0] = (char *)path;
	argv[1] = argv[2] = argv[3] = argv[4] = argv[5] = NULL;
	if (ut != NULL) {
		argv[1] = "-t";
		argv[2] = (char *)ut;
		panic_exit = true;
	} else if (ub != NULL) {
		argv[1] = "-b";
		argv[2] = (char *)ub;
		if (scale != NULL) {
			argv[3] = "-s";
			argv[4] = (char *)scale;
		}
		panic_exit = true;
	}
	pid = proc_start_init(path, argv);
	if (pid < 0) {
		kprintf("init: cannot start %s: error %d\n", path, -pid);
		return (false);
	}
	return (true);
}

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
	if (kern_getarg("monitor") == NULL && start_init()) {
		/* init owns the console now; this thread has no more work. */
		for (;;)
			tsleep(&kernel_main, 0, "idle", 0);
	}
	monitor_run();
}
