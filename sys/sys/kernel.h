/*
 * Machine-independent start of day (sys/kern/init_main.c) and boot
 * arguments (sys/kern/kern_args.c).
 */
#ifndef _SYS_KERNEL_H_
#define _SYS_KERNEL_H_

#include <sys/types.h>

/* Split the command line into key=value arguments.  Once, at boot. */
void	kern_args_init(const char *cmdline);
/* Value of argument key, or NULL; a bare "key" yields "". */
const char *kern_getarg(const char *key);

/* Machine-independent main, after the platform has every CPU up. */
void	kernel_main(void) __dead2;

/* kern_ktest.c: run the tests matching glob, then exit the machine. */
void	ktest_run(const char *glob) __dead2;

/* kern_monitor.c: the console command loop. */
void	monitor_run(void) __dead2;

extern bool panic_exit;

/* The per-CPU clock tick (FAST, trap context): timers, passive IPIs. */
void	hardclock(void);
/* The IPI-queue interrupt (trap context). */
void	lwkt_ipiq_intr(void);
/* Allocate the IPI FIFOs once every CPU is up (lwkt_ipiq.c). */
void	lwkt_ipiq_init(void);
/* Trap exit with preemption requested (lwkt_thread.c). */
struct globaldata;
void	lwkt_intr_exit(struct globaldata *gd);

#endif /* !_SYS_KERNEL_H_ */
