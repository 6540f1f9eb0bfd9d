/*
 * Processes (sys/kern/kern_proc.c, kern_fork.c, kern_exec.c,
 * kern_exit.c, kern_sig.c, kern_sysmsg.c).
 *
 * A process groups what its threads share: an address space (vmspace),
 * a descriptor table with current and root directory, credentials,
 * signal state, the syscall filter and its asynchronous system-call
 * messages.  Its threads are LWKT threads (td_proc = p) pinned to a CPU
 * each; a user thread's register frame sits at the top of its kernel
 * stack (td_frame).  Kernel threads without a process act as proc0.
 *
 * Lifecycle: fork (kern_fork.c) makes a process with one thread; exit
 * (kern_exit.c) is begun by any thread (SYS_EXIT, a fatal signal) and
 * finished by the last thread leaving: descriptors closed, address space
 * freed, children given to init, state PRS_ZOMBIE, parent told (SIGCHLD,
 * wakeup).  The parent's wait4 frees the struct.
 *
 * Locking rules:
 *  (1) proc_token (a global token) protects the process list, the pid
 *      space, parent/child links, p_state and the zombie hand-over.
 *  (2) p_spin (a spin lock) protects the signal state (p_siglist,
 *      p_sigmask, p_sigacts), p_flags and the thread list; never held
 *      across anything that blocks.
 *  (3) Fields marked [I] are set before the process is published and
 *      never change; [own] are changed only by the process's own threads.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/spinlock.h>

struct filedesc;
struct vmspace;
struct thread;
struct ksysmsg;

struct ucred {
	uint32_t	cr_uid;
	uint32_t	cr_gid;
};

struct sigact {
	uint64_t	sa_handler;	/* user address, or SIG_DFL/IGN_VAL */
	uint64_t	sa_mask;	/* added while the handler runs */
	int		sa_flags;	/* SA_* */
};

#define PRS_ACTIVE	1
#define PRS_ZOMBIE	2

#define P_WEXIT		0x0001	/* exiting: threads leave at once */
#define P_SINGLE	0x0008	/* exec: every thread but p_single leaves */

struct proc {
	int		p_pid;		/* [I] */
	struct proc	*p_pptr;	/* [proc_token] parent */
	volatile int	p_ppid;		/* [proc_token; read atomically] */
	struct proc	*p_children;	/* [proc_token] first child */
	struct proc	*p_sibling;	/* [proc_token] next child of p_pptr */
	struct proc	*p_allnext;	/* [proc_token] all processes */
	int		p_state;	/* [proc_token] PRS_* */
	int		p_xstat;	/* [proc_token] wait status once zombie */
	struct filedesc	*p_fd;		/* [I] descriptor table */
	struct vmspace	*p_vmspace;	/* [own] address space or NULL */
	struct ucred	p_cred;		/* [own] */
	char		p_comm[32];	/* [own] */
	struct spinlock	p_spin;		/* rule 2 */
	volatile int	p_flags;	/* [p_spin; read atomically] P_* */
	struct thread	*p_threads;	/* [p_spin] via td_pnext */
	int		p_nthreads;	/* [p_spin] user threads alive */
	int		p_nexttid;	/* [p_spin] */
	struct thread	*p_single;	/* [p_spin] the thread exec keeps */
	volatile uint64_t p_siglist;	/* [p_spin; read atomically] pending */
	uint64_t	p_sigmask;	/* [p_spin] blocked (bit 1 << sig) */
	struct sigact	p_sigacts[32];	/* [p_spin] */
	uint64_t	p_sigrestorer;	/* [own] handler return trampoline */
	uint32_t	p_filter;	/* [own] SMC_* classes denied */
	volatile uint64_t p_refused;	/* [a] messages refused by it */
	struct ksysmsg	*p_async;	/* [p_spin] async messages, all */
	int		p_nasync;	/* [p_spin] in flight or uncollected */
	long		p_asyncseq;	/* [p_spin] last handle handed out */
};

extern struct proc proc0;
extern struct lwkt_token proc_token;
extern int	maxproc;		/* [I] processes at most (EAGAIN past) */
extern volatile int nprocs;		/* [a] user processes in existence */

/* The current thread's process (proc0 for kernel threads): curproc_get(). */
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

/* A referenced process by pid (proc_token held by the caller), or NULL. */
struct proc *pfind_locked(int pid);

/*
 * True if td, a thread working for a process, should stop what it is
 * doing and return to user mode (or end): a deliverable signal, its
 * process exiting, or its asynchronous message aborted.  Any context.
 */
bool	thread_intr_pending(struct thread *td);

/* --- user processes --- */

/*
 * Start the first user process (init) from path with argv; its parent
 * is proc0.  Returns its pid or an errno (negated).  Thread context.
 */
int	proc_start_init(const char *path, char *const argv[]);
/*
 * Create a process running path with argv/envp (kernel strings), child
 * of proc0 (tests and benchmarks).  *pidp set.  Thread context.
 */
int	kern_spawn(const char *path, char *const argv[], char *const envp[],
	    int *pidp);
/* Wait for a child of proc0 (kern_spawn) to end: its wait status. */
int	kern_spawn_wait(int pid, int *statusp);

int	kern_fork(struct thread *td, int *childpid);
/*
 * Load path into td's process's (empty) address space and set td's
 * registers to start it with argv and envp: for a thread not yet run
 * (spawn).  The file is looked up in the caller's namespace.
 */
int	exec_load_into(struct thread *td, const char *path, char *const *argv,
	    size_t argc, char *const *envp, size_t envc);
/* Free a process that never ran or a reaped zombie. */
void	proc_free(struct proc *p);
extern struct proc *initproc;
extern struct proc *allproc;
int	kern_execve(struct thread *td, const char *path, char *const *argv,
	    size_t argc, char *const *envp, size_t envc);
/* Begin p's exit with wait status xstat; the caller's thread then ends. */
void	proc_exit(int xstat) __dead2;
/*
 * Make the calling thread the only one of its process (exec): the others
 * are told to leave and waited for.  EINTR if the process is exiting or
 * another thread got there first.
 */
int	proc_single_thread(void);
/* End the calling user thread (the last one ends the process). */
void	thread_exit_user(void) __dead2;
int	kern_wait4(int pid, int *statusp, int options, int *respid);
int	kern_kill(int pid, int sig);
/* Post sig to p (and wake a thread to take it).  Any thread context. */
void	psignal(struct proc *p, int sig);
/*
 * Before returning to user mode (trap and syscall exits): deliver
 * pending signals, leave if the process exits, give way to other
 * threads when asked.  Thread context, interrupts enabled.
 */
struct trapframe;
void	userret(struct trapframe *tf);
/* A user fault: deliver sig (fatal if blocked or ignored). */
void	trapsignal(struct thread *td, int sig);
/* Create a user thread in p at entry with stack and arg: its tid. */
int	kern_thread_create(struct proc *p, uint64_t entry, uint64_t stack,
	    uint64_t arg, int *tidp);

#include <sys/globaldata.h>
#include <sys/thread.h>

static __always_inline inline struct proc *
curproc_get(void)
{
	struct proc *p = curthread->td_proc;

	return (p != NULL ? p : &proc0);
}

#endif /* !_SYS_PROC_H_ */
