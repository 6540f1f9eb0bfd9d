/*
 * Processes (sys/kern/kern_proc.c).  For now a process is a kernel
 * object that owns a file descriptor table, a current and root directory
 * and credentials; threads point to it through td_proc.  Kernel threads
 * without one act as proc0.  User mode (address spaces, fork, exec)
 * builds on this.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/spinlock.h>

struct filedesc;

struct ucred {
	uint32_t	cr_uid;
	uint32_t	cr_gid;
};

struct proc {
	int		p_pid;		/* [I] */
	struct proc	*p_pptr;	/* [proc lock] parent */
	struct filedesc	*p_fd;		/* [I] descriptor table */
	struct ucred	p_cred;		/* [owner thread] */
	char		p_comm[32];	/* [owner thread] */
};

extern struct proc proc0;

/* The current thread's process (proc0 for kernel threads). */
struct proc *curproc_get(void);
#define curproc		(curproc_get())

/*
 * A new kernel process object: a fresh descriptor table whose root and
 * current directory are parent's (proc0's if parent is NULL), parent's
 * credentials.  NULL if memory is short.  Thread context.
 */
struct proc *kproc_alloc(struct proc *parent, const char *name);
/* Close every descriptor and free p.  No thread may still use it. */
void	kproc_free(struct proc *p);

void	proc0_init(void);	/* after the root is mounted */

#endif /* !_SYS_PROC_H_ */
