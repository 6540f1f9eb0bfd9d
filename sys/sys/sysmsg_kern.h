/*
 * Kernel side of the system-call messages (sys/kern/kern_sysmsg.c);
 * the ABI itself is <sys/sysmsg.h>.
 *
 * A command handler receives the kernel's own copy of the message (it
 * never reads the user's again), copies in what its arguments point
 * to, calls the in-kernel API (kern_*), copies out, and returns 0 or an
 * errno with the result in *resp.  Handlers run in thread context in the
 * caller's process: in the calling thread for SYSP_DOMSG, in a worker
 * thread of the process for SYSP_SENDMSG.  They may block.
 */
#ifndef _SYS_SYSMSG_KERN_H_
#define _SYS_SYSMSG_KERN_H_

#include <sys/types.h>
#include <sys/sysmsg.h>

struct proc;
struct thread;

typedef int sy_call_t(struct sysmsg *m, int64_t *resp);

struct sysent {
	sy_call_t	*sy_call;	/* NULL: no such command */
	uint32_t	sy_class;	/* SMC_* */
	uint32_t	sy_flags;	/* SYF_* */
};
#define SYF_NOASYNC	0x1	/* acts on the calling thread: DOMSG only */

/* An asynchronous message (p_async list). */
struct ksysmsg {
	struct ksysmsg	*km_next;	/* [p_spin] */
	struct proc	*km_proc;	/* [I] */
	struct thread	*km_td;		/* [p_spin] worker while running */
	uint64_t	km_uaddr;	/* [I] the user's message */
	long		km_handle;	/* [I] */
	int		km_done;	/* [p_spin] */
	int		km_error;	/* [p_spin once done] */
	int64_t		km_result;	/* [p_spin once done] */
	struct sysmsg	km_msg;		/* [worker] the kernel's copy */
};

/* The syscall instruction: one primitive (SYSP_*). */
int64_t	sysmsg_primitive(uint64_t prim, uint64_t a0, uint64_t a1, int *errp);
/* SYSP_DOMSG_REG: the command and arguments from registers. */
int64_t	sysmsg_domsg_regs(uint64_t cmd, uint64_t a0, uint64_t a1,
	    uint64_t a2, uint64_t a3, uint64_t a4, int *errp);
/*
 * Abort every async message of p and wait until all have finished, then
 * free them (exit, exec).  Thread context, p's own thread.
 */
void	sysmsg_async_drain(struct proc *p);
/* Async messages of all processes in existence (tests: leaks). */
int	sysmsg_async_count(void);

/* Handlers (sys/kern/sys_*.c, kern_*.c). */
sy_call_t sys_getpid, sys_getppid, sys_exit, sys_fork, sys_execve,
	sys_wait4, sys_kill, sys_sigaction, sys_sigprocmask, sys_sigreturn,
	sys_sigsetup, sys_sigpending, sys_open, sys_close, sys_read,
	sys_write, sys_pread, sys_pwrite, sys_lseek, sys_stat, sys_fstat,
	sys_mkdir, sys_rmdir, sys_unlink, sys_rename, sys_link, sys_symlink,
	sys_readlink, sys_getdents, sys_chdir, sys_fchdir, sys_getcwd,
	sys_dup, sys_dup2, sys_pipe, sys_fcntl, sys_mmap, sys_munmap,
	sys_mprotect, sys_brk, sys_clock_gettime, sys_nanosleep, sys_uname,
	sys_psinfo, sys_filter, sys_filterstat, sys_thread_create,
	sys_thread_exit, sys_gettid, sys_mount, sys_unmount, sys_reboot,
	sys_chmod, sys_truncate, sys_ftruncate, sys_null, sys_setuid,
	sys_getuid;

#endif /* !_SYS_SYSMSG_KERN_H_ */
