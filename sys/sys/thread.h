/*
 * LWKT: light weight kernel threads.
 *
 * Every CPU runs its own scheduler over its own threads; a thread belongs
 * to one CPU (td_gd) for life.  Nothing in the scheduler takes a lock:
 * per-CPU state is protected by critical sections, and any operation on
 * another CPU's thread is sent to that CPU as an IPI message
 * (lwkt_send_ipiq) and carried out there.
 *
 * Rules (see docs/lwkt.md for the full model):
 *  (1) crit_enter()/crit_exit() nest through td_critcount and cost no
 *      locked instruction.  Inside one, the running thread is neither
 *      switched out nor preempted, and interrupts that would do so
 *      (timer, IPI queue, interrupt-thread scheduling) only set a bit in
 *      gd_reqflags; crit_exit() to zero runs what was deferred.
 *  (2) A switched-out thread always has td_critcount >= 1 (it is inside
 *      lwkt_switch); a new thread starts with 1 and drops it.
 *  (3) Only interrupt threads (TDF_INTTHREAD) preempt.  A preempting thread
 *      runs until it blocks or finishes, and then the preempted thread
 *      resumes at once, whatever its scheduling state.
 *  (4) A thread may block (lwkt_switch, tsleep, lwkt_gettoken, waitmsg)
 *      only from thread context, outside critical sections held for
 *      spin locks.  FAST interrupt handlers and IPI functions never block
 *      and never take tokens.
 *  (5) Serializing tokens stay in td_toks across blocking, but they are
 *      released when the thread switches out and reacquired, all or none,
 *      before it runs again.
 */
#ifndef _SYS_THREAD_H_
#define _SYS_THREAD_H_

#include <sys/types.h>
#include <sys/msgport.h>

struct globaldata;
struct thread;
struct proc;
struct mount;
struct vnode;
typedef struct thread *thread_t;

/*
 * Per-CPU one-shot timers, run from the CPU's timer interrupt (or at its
 * next crit_exit if the tick arrived inside a critical section), in trap
 * context: st_func must not block.  Armed and disarmed only on their own
 * CPU, in a critical section.  (sys/kern/kern_systimer.c)
 */
struct systimer {
	struct systimer	*st_next;	/* [L] */
	uint64_t	st_deadline;	/* [L] nanouptime() to fire at */
	void		(*st_func)(struct systimer *, void *);	/* [L] */
	void		*st_arg;	/* [L] */
	bool		st_armed;	/* [L] */
};
void	systimer_arm(struct systimer *st, uint64_t deadline,
	    void (*func)(struct systimer *, void *), void *arg);
void	systimer_disarm(struct systimer *st);
void	systimer_run(void);

/* --- serializing tokens (sys/kern/lwkt_token.c) --- */

/*
 * A token.  t_count holds the exclusive bit and the number of shared
 * holders; t_ref is the exclusive owner.  Both change only by atomic
 * operations from the CPU of the thread acquiring or releasing.
 */
struct lwkt_token {
	volatile uint64_t t_count;	/* [a] TOK_EXCL | shared count */
	struct thread * volatile t_ref;	/* [a] exclusive holder or NULL */
	const char	*t_desc;	/* [I] */
	volatile uint64_t t_collisions;	/* [a] failed acquisitions */
};
#define TOK_EXCL	0x1UL
#define TOK_SHINC	0x2UL	/* one shared holder */
#define LWKT_TOKEN_INITIALIZER(desc)	{ 0, NULL, desc, 0 }

struct lwkt_tokref {
	struct lwkt_token *tr_tok;	/* [L] */
	int		tr_flags;	/* [L] TR_EXCL, TR_HELD */
};
#define TR_EXCL		0x1	/* wanted exclusive */
#define TR_HELD		0x2	/* currently acquired */
#define LWKT_MAXTOKENS	16

void	lwkt_token_init(struct lwkt_token *tok, const char *desc);
/* May block (switch) while the token is contended; thread context only. */
void	lwkt_gettoken(struct lwkt_token *tok);
void	lwkt_gettoken_shared(struct lwkt_token *tok);
/* Never blocks: false if the token could not be had right now. */
bool	lwkt_trytoken(struct lwkt_token *tok);
/* Releases the most recent reference to tok held by curthread. */
void	lwkt_reltoken(struct lwkt_token *tok);
/* True if curthread holds tok (exclusively, if excl). */
bool	lwkt_token_is_held(struct lwkt_token *tok, bool excl);
/*
 * Scheduler hooks, called by lwkt_switch in a critical section on td's
 * CPU: release every token td holds / acquire all of td's tokens (all or
 * none; false if any is taken by another running thread).
 */
void	lwkt_token_release_all(thread_t td);
bool	lwkt_token_acquire_all(thread_t td);

/* --- threads --- */

#define TDPRI_IDLE	0
#define TDPRI_USER	4
#define TDPRI_KERN_DAEMON 10
#define TDPRI_KERN	16
#define TDPRI_SOFT	20
#define TDPRI_INT	28
#define TDPRI_MAX	31
#define NQS		32

struct thread {
	struct thread	*td_next;	/* [L] run queue links */
	struct thread	*td_prev;	/* [L] */
	struct globaldata *td_gd;	/* [I] owning CPU */
	uint64_t	td_sp;		/* [L] saved stack pointer (switched out) */
	int		td_critcount;	/* [L] critical section nesting */
	int		td_pri;		/* [L] TDPRI_* */
	uint32_t	td_flags;	/* [L] TDF_* */
	int		td_toks_count;	/* [L] entries used in td_toks */
	struct thread	*td_snext;	/* [L] sleep queue links */
	struct thread	*td_sprev;	/* [L] */
	struct thread	*td_preempted;	/* [L] thread we preempted, if any */
	const volatile void *td_wchan;	/* [L] sleep channel or NULL */
	const char	*td_wmesg;	/* [L] */
	vm_offset_t	td_kstack;	/* [I] stack base (NULL for boot stacks) */
	size_t		td_kstack_size;	/* [I] */
	void		(*td_func)(void *);	/* [I] */
	void		*td_arg;	/* [I] */
	struct systimer	td_sleeptimer;	/* [L] tsleep timeout */
	struct lwkt_port td_msgport;	/* thread port (sys/kern/lwkt_msgport.c) */
	struct lwkt_tokref td_toks[LWKT_MAXTOKENS];	/* [L] */
	uint64_t	td_switches;	/* [L] times switched in */
	struct proc	*td_proc;	/* [I] owning process, or NULL (proc0) */
	struct mount	*td_svcmount;	/* [I] mount this thread serves, or NULL */
	struct vnode	*td_nsdir[2];	/* [L] vfs_vop.c: last namespace op's */
	uint32_t	td_nsgen[2];	/* [L] directories and their generation */
	char		td_name[24];	/* [I] */
	/* User threads and threads working for a process (kern_proc.c). */
	struct pmap	*td_pmap;	/* [I] address space to run in, or NULL */
	void		*td_fpu;	/* [L] user FPU/SSE save area or NULL */
	uint64_t	td_onfault;	/* [L] copyin/copyout recovery address */
	struct trapframe *td_frame;	/* [I] user register frame or NULL */
	struct thread	*td_pnext;	/* [proc p_lock] process's thread list */
	int		td_tid;		/* [I] thread id (user threads) */
	volatile int	td_uflags;	/* [a] TDU_* */
};

#define TDU_ABORT	0x0002	/* its async message was aborted */
#define TDU_SINTR	0x0004	/* in an interruptible (PCATCH) sleep */

#define TDF_RUNQ	0x0001	/* on its CPU's run queue */
#define TDF_RUNNING	0x0002	/* the CPU's current thread */
#define TDF_INTTHREAD	0x0004	/* interrupt thread: may preempt */
#define TDF_EXITING	0x0008	/* lwkt_exit called */
#define TDF_SLEEPING	0x0010	/* on a sleep queue */
#define TDF_TIMEOUT	0x0020	/* sleep ended by its timeout */
#define TDF_IDLE	0x0040	/* the CPU's idle thread */
#define TDF_SYSTHREAD	0x0080	/* statically allocated: never freed */
#define TDF_PREEMPTING	0x0100	/* running on top of a preempted thread */
#define TDF_TOKWAIT	0x0200	/* could not get its tokens last time */
#define TDF_TIMERARMED	0x0400	/* td's sleep timeout is armed */

/* gd_reqflags bits: work deferred by a critical section. [a] */
#define RQF_IPIQ	0x0001	/* incoming IPI messages to process */
#define RQF_TIMER	0x0002	/* timer tick to run */
#define RQF_PREEMPT	0x0004	/* a runnable interrupt thread may preempt */
#define RQF_INTPEND	0x0008	/* other deferred interrupt work */

#define LWKT_CREATE_NOSCHED 0x1	/* lwkt_create: leave it descheduled */

/*
 * Create a thread on CPU cpu (-1: the current one) that runs func(arg)
 * and then exits.  Returns NULL if memory is short.  Thread context (it
 * allocates).  Unless LWKT_CREATE_NOSCHED, the thread is scheduled.
 */
thread_t lwkt_create(void (*func)(void *), void *arg, int cpu, int pri,
	    uint32_t tdflags, int flags, const char *name);
/* Free a NOSCHED thread that was never scheduled. */
void	lwkt_exit_unstarted(thread_t td);
/* End the calling thread; its memory is freed after it switches out. */
void	lwkt_exit(void) __dead2;
/*
 * Give the CPU to the best runnable thread (possibly curthread itself if
 * it is still runnable and best).  Thread context.  Returns when
 * curthread runs again, with its tokens reacquired.
 */
void	lwkt_switch(void);
/* Let other runnable threads of the same or higher priority run first. */
void	lwkt_yield(void);
/* Make td runnable.  Any context; a remote td is scheduled by IPI. */
void	lwkt_schedule(thread_t td);
/* Take curthread off the run queue; it stops at its next lwkt_switch. */
void	lwkt_deschedule_self(void);
void	lwkt_setpri_self(int pri);
/* Move curthread to another CPU (an explicit, cooperative request). */
void	lwkt_migrate(int cpu);

/*
 * Sleep on ident until wakeup(ident) or until timo_ns nanoseconds pass
 * (0: no timeout).  Returns 0 or ETIMEDOUT.  Thread context, may block.
 * With PINTERLOCKED the caller has already called tsleep_interlock(ident)
 * (before testing its condition), so a wakeup between the two is not
 * lost.
 */
#define PINTERLOCKED	0x1
#define PCATCH		0x2	/* EINTR when thread_intr_pending(td) */
int	tsleep(const volatile void *ident, int flags, const char *wmesg,
	    uint64_t timo_ns);
void	tsleep_interlock(const volatile void *ident);
/* Wake every thread sleeping on ident, on every CPU.  Any context but FAST. */
void	wakeup(const volatile void *ident);
/* End td's PCATCH sleep so it sees thread_intr_pending(). */
void	tsleep_intr(struct thread *td);
/* Sleep until *counter is 0; workers call countdown_done() (kern_synch.c). */
void	countdown_wait(volatile int *counter, const char *wmesg);
void	countdown_done(volatile int *counter);

/* --- critical sections: inline in <sys/globaldata.h> --- */

void	lwkt_crit_exit_slow(struct thread *td);

/* --- IPI messages (sys/kern/lwkt_ipiq.c) --- */

typedef void (*ipifunc_t)(void *arg1, uint64_t arg2);

/*
 * Queue func(arg1, arg2) to run on target's CPU, in its interrupt
 * context (or at its next crit_exit), and interrupt it unless it already
 * has an IPI pending.  Messages from one CPU to another run in order,
 * exactly once.  Sending to the current CPU runs func at once.  If the
 * FIFO is full the sender processes its own incoming messages while it
 * waits; it never switches threads.  Any context but FAST interrupts.
 * Returns a sequence number for lwkt_wait_ipiq().
 */
uint32_t lwkt_send_ipiq(struct globaldata *target, ipifunc_t func,
	    void *arg1, uint64_t arg2);
/* The same without the interrupt: the target picks it up when it polls. */
uint32_t lwkt_send_ipiq_passive(struct globaldata *target, ipifunc_t func,
	    void *arg1, uint64_t arg2);
/* Send to every CPU in mask (the current one runs it directly). */
void	lwkt_send_ipiq_mask(cpumask_t mask, ipifunc_t func, void *arg1,
	    uint64_t arg2);
/*
 * Spin (processing our own queue) until target has started message seq
 * (its read index passed it); the function may still be running.
 */
void	lwkt_wait_ipiq(struct globaldata *target, uint32_t seq);
/* Use at most n entries of each FIFO (0: all); tests force full FIFOs. */
void	lwkt_ipiq_set_limit(uint32_t n);
/* Run every queued incoming message.  In a critical section. */
void	lwkt_process_ipiq(void);

/* --- cpusync (sys/kern/lwkt_cpusync.c) --- */

typedef void (*cpusync_func_t)(void *arg);

struct lwkt_cpusync {
	cpumask_t	cs_mask;		/* [I] target CPUs */
	cpusync_func_t	cs_func;		/* [I] run on release */
	void		*cs_arg;		/* [I] */
	volatile int	cs_held;		/* [a] targets holding */
	volatile int	cs_done;		/* [a] targets finished */
	volatile int	cs_release;		/* [a] set by the master */
};

/*
 * Bring the CPUs in mask into a known state: on return every one of them
 * is held, spinning in its single hold loop with interrupts of its own
 * threads excluded, still serving other CPUs' IPI messages.  Concurrent
 * masters are ranked by CPU number so that no cycle of holds can form
 * (see sys/kern/lwkt_cpusync.c).  lwkt_cpusync_finish() lets them go;
 * each runs func(arg) first, and so does the master.  Thread context,
 * no spin lock held; the master stays in a critical section between the
 * two calls and must not block there.
 */
void	lwkt_cpusync_start(struct lwkt_cpusync *cs, cpumask_t mask,
	    cpusync_func_t func, void *arg);
void	lwkt_cpusync_finish(struct lwkt_cpusync *cs);
/* start + finish: run func(arg) on every CPU of mask, synchronously. */
void	lwkt_cpusync_simple(cpumask_t mask, cpusync_func_t func, void *arg);

/* --- per-CPU counters (gd_cnt) --- */

struct lwkt_stats {
	uint64_t	switches;	/* thread switches */
	uint64_t	preemptions;	/* switches into a preempting thread */
	uint64_t	ipi_sent;	/* hardware IPIs sent */
	uint64_t	ipi_batched;	/* messages that needed no new IPI */
	uint64_t	ipi_received;	/* IPI interrupts taken */
	uint64_t	ipi_msgs;	/* IPI messages run here */
	uint64_t	ipi_fifofull;	/* sends that found the FIFO full */
	uint64_t	tok_contention;	/* failed token acquisitions */
	uint64_t	msg_sync;	/* messages completed synchronously */
	uint64_t	msg_async;	/* messages queued (EASYNC) */
	uint64_t	cpusyncs;	/* cpusync rounds taken part in */
	uint64_t	shootdowns;	/* user TLB shootdowns sent */
};

/* Print every CPU's counters (console command "lwkt", panic). */
void	lwkt_print_stats(void);
/* Threads created by lwkt_create and not yet freed. */
int	lwkt_thread_count(void);
/* Start-up: BSP (lwkt_init) and each CPU's idle thread. */
void	lwkt_init(void);
void	lwkt_init_cpu(struct globaldata *gd) ;
void	lwkt_idle_loop(void) __dead2;

#endif /* !_SYS_THREAD_H_ */
