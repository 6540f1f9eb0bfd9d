/*
 * Machine-dependent services for user processes, machine-independent
 * interface (implemented in sys/platform/pc64/user_machdep.c).
 */
#ifndef _SYS_CPU_USER_H_
#define _SYS_CPU_USER_H_

#include <sys/types.h>

struct thread;
struct trapframe;
struct globaldata;

/*
 * Copy between kernel memory and the current thread's address space.
 * EFAULT (and nothing done beyond the bytes before the fault) for any
 * range not wholly inside [VM_MIN_USER, VM_MAX_USER): NULL, the kernel
 * half, non-canonical, wrapping or straddling addresses; also for user
 * pages that are not mapped with the needed access.  May block (a page
 * fault resolved by the VM); thread context, not in a critical section.
 */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
/*
 * Copy a NUL-terminated string of at most maxlen bytes (NUL included):
 * ENAMETOOLONG if no NUL within maxlen, EFAULT as above.  *lenp (if not
 * NULL) gets the length with the NUL.
 */
int	copyinstr(const void *uaddr, char *kaddr, size_t maxlen, size_t *lenp);
/* True if [uaddr, uaddr + len) lies in the user half (no wrap). */
bool	user_range_ok(uint64_t uaddr, size_t len);

/*
 * Make td a user thread: its register frame at the top of its kernel
 * stack (td_frame), an FPU area in the initial state, its first switch
 * into td_func, which ends by entering user mode (cpu_user_return).
 * ENOMEM if the FPU area cannot be had.  Before td first runs.
 */
int	cpu_user_thread_init(struct thread *td);
void	cpu_user_thread_free(struct thread *td);
/* Leave for user mode with td_frame (never returns). */
void	cpu_user_return(void) __dead2;
/* Frame for a fresh program: entry, stack; all else zero; fresh FPU. */
void	cpu_exec_regs(struct thread *td, uint64_t entry, uint64_t sp);
/* Fork: child's frame = parent's, returning 0 / no error; FPU copied. */
void	cpu_fork_regs(struct thread *child, struct thread *parent);
/* A new thread's frame: entry(arg) on stack. */
void	cpu_thread_regs(struct thread *td, uint64_t entry, uint64_t stack,
	    uint64_t arg);
/*
 * Push a signal frame on the user stack and point the thread at
 * handler(sig) returning to restorer.  EFAULT if the stack is unusable.
 */
int	cpu_sendsig(struct thread *td, int sig, uint64_t handler,
	    uint64_t restorer, uint64_t oldmask);
/* Restore from a user signal frame; *maskp gets the mask to restore. */
int	cpu_sigreturn(struct thread *td, uint64_t uframe, uint64_t *maskp);
/* Scheduler hook (lwkt_switch_to, critical section). */
void	cpu_switch_hook(struct globaldata *gd, struct thread *td,
	    struct thread *ntd);

#endif /* !_SYS_CPU_USER_H_ */
