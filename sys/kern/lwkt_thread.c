/*
 * LWKT threads and the per-CPU scheduler.
 *
 * Each CPU schedules only its own threads, from NQS run queues (one per
 * priority, circular lists, gd_runqmask says which are non-empty).  No
 * lock protects them: they are touched only by their CPU, inside a
 * critical section.  Another CPU that wants one of our threads scheduled
 * sends us an IPI message (lwkt_schedule -> lwkt_send_ipiq).
 *
 * lwkt_switch() picks the highest-priority runnable thread whose tokens
 * it can acquire (all or none, lwkt_token_acquire_all), round-robin within
 * a priority, and falls back to the CPU's idle thread.  Tokens of the
 * thread switching out are released first, so the atomicity a token gives
 * lasts only while its holder runs.
 *
 * Preemption: only interrupt threads (TDF_INTTHREAD) preempt.  When one
 * becomes runnable with a priority above the running thread's,
 * RQF_PREEMPT is raised; at the end of the interrupt (or at crit_exit if
 * the thread was in a critical section) lwkt_preempt() switches to it and
 * records the preempted thread in td_preempted.  The moment the
 * interrupt thread blocks or exits, lwkt_switch() returns straight to the
 * preempted thread, whatever its scheduling state, without releasing or
 * reacquiring that thread's tokens (it never really switched out).
 *
 * Exit: lwkt_exit() leaves the thread in gd_deadtd; whoever runs next on
 * the CPU frees its stack and structure once it is off that stack
 * (lwkt_switch_return).
 *
 * Rules:
 *  (1) Run queues, td_flags of a CPU's threads, gd_deadtd: that CPU only,
 *      in a critical section.
 *  (2) Every switched-out thread has td_critcount >= 1.
 *  (3) lwkt_switch is never called from trap context (gd_intr_nesting).
 */

#include <sys/types.h>
#include <sys/cpu_user.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/errno.h>
#include <sys/md.h>
#include <vm/vm_page.h>
#include <machine/vmparam.h>
#include <machine/md_var.h>
#include <machine/cpufunc.h>

MALLOC_DEFINE(M_THREAD, "thread", "LWKT thread structures");

void	lwkt_thread_start(struct thread *td) __dead2;
void	lwkt_intr_exit(struct globaldata *gd);
static void lwkt_schedule_ipi(void *arg1, uint64_t arg2);
static void lwkt_schedule_local(struct globaldata *gd, struct thread *td);

static struct thread thread0;		/* the BSP's boot thread */
static volatile int lwkt_nthreads;	/* [a] threads with an allocated stack */

int
lwkt_thread_count(void)
{
	return (__atomic_load_n(&lwkt_nthreads, __ATOMIC_ACQUIRE));
}

/* --- run queues: this CPU, critical section --- */

static void
runq_insert(struct globaldata *gd, struct thread *td)
{
	struct thread *head = gd->gd_runq[td->td_pri];

	KKASSERT((td->td_flags & TDF_RUNQ) == 0);
	if (head == NULL) {
		td->td_next = td->td_prev = td;
		gd->gd_runq[td->td_pri] = td;
		gd->gd_runqmask |= 1U << td->td_pri;
	} else {
		td->td_next = head;
		td->td_prev = head->td_prev;
		head->td_prev->td_next = td;
		head->td_prev = td;
	}
	td->td_flags |= TDF_RUNQ;
}

static void
runq_remove(struct globaldata *gd, struct thread *td)
{
	KKASSERT(td->td_flags & TDF_RUNQ);
	if (td->td_next == td) {
		gd->gd_runq[td->td_pri] = NULL;
		gd->gd_runqmask &= ~(1U << td->td_pri);
	} else {
		td->td_prev->td_next = td->td_next;
		td->td_next->td_prev = td->td_prev;
		if (gd->gd_runq[td->td_pri] == td)
			gd->gd_runq[td->td_pri] = td->td_next;
	}
	td->td_next = td->td_prev = NULL;
	td->td_flags &= ~TDF_RUNQ;
}

/* --- set-up --- */

static void
lwkt_idle_main(void *arg)
{
	lwkt_idle_loop();
}

static void
thread_init_common(struct thread *td, struct globaldata *gd, int pri,
    const char *name)
{
	td->td_gd = gd;
	td->td_pri = pri;
	strlcpy(td->td_name, name, sizeof(td->td_name));
	lwkt_initport_thread(&td->td_msgport, td);
}

/*
 * Turn the BSP's boot context into thread0 and give the BSP an idle
 * thread.  BSP, once, after kmalloc works, before interrupts are enabled.
 */
void
lwkt_init(void)
{
	struct globaldata *gd = mycpu;
	struct vm_page *m;

	thread_init_common(&thread0, gd, TDPRI_KERN, "thread0");
	thread0.td_flags = TDF_SYSTHREAD | TDF_RUNNING;
	thread0.td_critcount = gd->gd_idlethread.td_critcount;
	gd->gd_curthread = &thread0;
	runq_insert(gd, &thread0);

	m = vm_page_alloc_contig(KSTACK_PAGES, 0);
	if (m == NULL)
		panic("lwkt_init: no memory for the idle stack");
	gd->gd_idlethread.td_kstack = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	gd->gd_idlethread.td_kstack_size = KSTACK_PAGES * PAGE_SIZE;
	gd->gd_idlethread.td_critcount = 1;
	gd->gd_idlethread.td_func = lwkt_idle_main;
	lwkt_init_cpu(gd);
	cpu_thread_setup(&gd->gd_idlethread);
}

/*
 * Per-CPU scheduler state and the idle thread's identity.  On an AP the
 * calling context becomes the idle thread.  Called on gd's CPU (or, for
 * the BSP, by lwkt_init), interrupts off.
 */
void
lwkt_init_cpu(struct globaldata *gd)
{
	struct thread *idle = &gd->gd_idlethread;

	thread_init_common(idle, gd, TDPRI_IDLE, "idle");
	ksnprintf(idle->td_name, sizeof(idle->td_name), "idle%d",
	    gd->gd_cpuid);
	idle->td_flags |= TDF_IDLE | TDF_SYSTHREAD;
}

/* --- creation and exit --- */

thread_t
lwkt_create(void (*func)(void *), void *arg, int cpu, int pri,
    uint32_t tdflags, int flags, const char *name)
{
	struct globaldata *gd;
	struct thread *td;
	struct vm_page *m;

	if (cpu < 0)
		cpu = mycpuid;
	KASSERT(cpu < ncpus, ("lwkt_create: no cpu%d", cpu));
	KASSERT(pri > TDPRI_IDLE && pri <= TDPRI_MAX,
	    ("lwkt_create: bad priority %d", pri));
	gd = globaldata_find(cpu);
	td = kmalloc(sizeof(*td), M_THREAD, M_ZERO);
	if (td == NULL)
		return (NULL);
	m = vm_page_alloc_contig(KSTACK_PAGES, 0);
	if (m == NULL) {
		kfree(td, M_THREAD);
		return (NULL);
	}
	__atomic_add_fetch(&lwkt_nthreads, 1, __ATOMIC_RELAXED);
	thread_init_common(td, gd, pri, name);
	td->td_kstack = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	td->td_kstack_size = KSTACK_PAGES * PAGE_SIZE;
	td->td_flags = tdflags & TDF_INTTHREAD;
	td->td_critcount = 1;		/* dropped by lwkt_thread_start */
	td->td_func = func;
	td->td_arg = arg;
	cpu_thread_setup(td);
	if ((flags & LWKT_CREATE_NOSCHED) == 0)
		lwkt_schedule(td);
	return (td);
}

static void
lwkt_free_thread(struct thread *td)
{
	KKASSERT(td->td_flags & TDF_EXITING);
	KKASSERT((td->td_flags & TDF_SYSTHREAD) == 0);
	cpu_user_thread_free(td);
	vm_page_free_contig(PHYS_TO_VM_PAGE(DMAP_TO_PHYS(td->td_kstack)),
	    td->td_kstack_size / PAGE_SIZE);
	kfree(td, M_THREAD);
	__atomic_sub_fetch(&lwkt_nthreads, 1, __ATOMIC_RELEASE);
}

/*
 * Free a thread made with LWKT_CREATE_NOSCHED that was never scheduled
 * (its creator's set-up failed).  Thread context, any CPU.
 */
void
lwkt_exit_unstarted(struct thread *td)
{
	KASSERT((td->td_flags & (TDF_RUNQ | TDF_RUNNING)) == 0 &&
	    td->td_switches == 0, ("lwkt_exit_unstarted: %s ran",
	    td->td_name));
	td->td_flags |= TDF_EXITING;
	lwkt_free_thread(td);
}

/*
 * Work every thread does right after it is switched in: reap a thread
 * that exited on this CPU (we are no longer on its stack).  Critical
 * section, thread context.
 */
static void
lwkt_switch_return(struct globaldata *gd)
{
	struct thread *dead = gd->gd_deadtd, *mig = gd->gd_migrating;

	if (dead != NULL && dead != gd->gd_curthread) {
		gd->gd_deadtd = NULL;
		lwkt_free_thread(dead);
	}
	if (mig != NULL && mig != gd->gd_curthread) {
		/* Its state is saved: its new CPU may run it now. */
		gd->gd_migrating = NULL;
		lwkt_send_ipiq(mig->td_gd, lwkt_schedule_ipi, mig, 0);
	}
}

void
lwkt_thread_start(struct thread *td)
{
	lwkt_switch_return(td->td_gd);
	crit_exit_td(td);
	td->td_func(td->td_arg);
	lwkt_exit();
}

void
lwkt_exit(void)
{
	struct thread *td = curthread;
	struct globaldata *gd = td->td_gd;

	KASSERT((td->td_flags & (TDF_SYSTHREAD | TDF_IDLE)) == 0,
	    ("lwkt_exit: system thread %s", td->td_name));
	KASSERT(td->td_toks_count == 0,
	    ("lwkt_exit: %s exits holding %d tokens", td->td_name,
	    td->td_toks_count));
	crit_enter_td(td);
	td->td_flags |= TDF_EXITING;
	if (td->td_flags & TDF_RUNQ)
		runq_remove(gd, td);
	if (gd->gd_deadtd != NULL) {
		lwkt_free_thread(gd->gd_deadtd);
		gd->gd_deadtd = NULL;
	}
	gd->gd_deadtd = td;
	lwkt_switch();
	panic("lwkt_exit: dead thread %s ran again", td->td_name);
}

/* --- switching --- */

/* Switch from td to ntd, both on this CPU, in a critical section. */
static void
lwkt_switch_to(struct globaldata *gd, struct thread *td, struct thread *ntd)
{
	gd->gd_cnt.switches++;
	ntd->td_switches++;
	td->td_flags &= ~TDF_RUNNING;
	ntd->td_flags |= TDF_RUNNING;
	/* Only switches that involve user state pay for the hook. */
	if (td->td_fpu != NULL || ntd->td_fpu != NULL || ntd->td_pmap != NULL)
		cpu_switch_hook(gd, td, ntd);
	cpu_switch_to(td, ntd);
	/* Running as td again, possibly on another CPU (lwkt_migrate). */
	lwkt_switch_return(mycpu);
}

/*
 * Highest-priority thread in the run queues selected by mask, whose
 * td_flags & fmask equal fval and whose tokens can be acquired now
 * (round-robin order within a queue).  Acquires those tokens for it and
 * returns it, or NULL.  A candidate that fails only for its tokens is
 * marked TDF_TOKWAIT.  Critical section.
 */
static struct thread *
runq_find(struct globaldata *gd, uint32_t mask, uint32_t fmask,
    uint32_t fval)
{
	while (mask != 0) {
		int pri = 31 - __builtin_clz(mask);
		struct thread *head = gd->gd_runq[pri], *t = head;

		mask &= ~(1U << pri);
		do {
			if ((t->td_flags & fmask) == fval) {
				if (t->td_toks_count == 0 ||
				    lwkt_token_acquire_all(t)) {
					t->td_flags &= ~TDF_TOKWAIT;
					return (t);
				}
				t->td_flags |= TDF_TOKWAIT;
			}
			t = t->td_next;
		} while (t != head);
	}
	return (NULL);
}

void
lwkt_switch(void)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread, *ntd;

	KASSERT(gd->gd_intr_nesting == 0,
	    ("lwkt_switch from interrupt context (%s)", td->td_name));
	crit_enter_td(td);

	/* A preempting thread gives the CPU straight back. */
	if (td->td_preempted != NULL) {
		ntd = td->td_preempted;
		td->td_preempted = NULL;
		td->td_flags &= ~TDF_PREEMPTING;
		if (td->td_toks_count != 0)
			lwkt_token_release_all(td);
		lwkt_switch_to(gd, td, ntd);
		goto done;
	}

	/* Keep running if we are still the best choice by priority. */
	if ((td->td_flags & TDF_RUNQ) && gd->gd_runq[td->td_pri] == td &&
	    (gd->gd_runqmask >> td->td_pri) == 1 &&
	    (td->td_toks_count == 0 || (td->td_flags & TDF_TOKWAIT) == 0))
		goto done;

	if (td->td_toks_count != 0)
		lwkt_token_release_all(td);
	ntd = runq_find(gd, gd->gd_runqmask, 0, 0);
	if (ntd == NULL)
		ntd = &gd->gd_idlethread;
	if (ntd != td)
		lwkt_switch_to(gd, td, ntd);
done:
	crit_exit_td(td);
}

void
lwkt_yield(void)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;

	crit_enter_td(td);
	if (td->td_flags & TDF_RUNQ) {
		runq_remove(gd, td);
		runq_insert(gd, td);
	}
	if (gd->gd_runqmask != 0)
		lwkt_switch();
	crit_exit_td(td);
}

/*
 * Switch to a runnable interrupt thread of higher priority, if any, on
 * top of the current thread.  Called with the current thread outside any
 * critical section, from the end of an interrupt (interrupts disabled) or
 * from crit_exit; returns when the interrupt thread blocks or exits.
 */
static void
lwkt_preempt(struct globaldata *gd)
{
	struct thread *td = gd->gd_curthread, *ntd;

	__atomic_and_fetch(&gd->gd_reqflags, ~RQF_PREEMPT, __ATOMIC_RELAXED);
	if (td->td_critcount != 0 || gd->gd_intr_nesting != 0)
		return;
	/* The scan and the token acquisition must not be interrupted. */
	crit_enter_td(td);
	/* Interrupt threads above our priority that are not running. */
	ntd = runq_find(gd, gd->gd_runqmask & ~((2U << td->td_pri) - 1),
	    TDF_INTTHREAD | TDF_RUNNING, TDF_INTTHREAD);
	if (ntd != NULL) {
		ntd->td_preempted = td;
		ntd->td_flags |= TDF_PREEMPTING;
		gd->gd_cnt.preemptions++;
		lwkt_switch_to(gd, td, ntd);
	}
	/* Runs whatever interrupts deferred meanwhile. */
	crit_exit_td(td);
}

/*
 * crit_exit() dropped the count to zero with work pending: run it with the
 * count raised again, then preempt if an interrupt thread is waiting.
 * Not in trap context (the trap exit does this itself).
 */
void
lwkt_crit_exit_slow(struct thread *td)
{
	struct globaldata *gd = td->td_gd;
	uint32_t req;

	if (gd->gd_intr_nesting != 0)
		return;
	++td->td_critcount;
	while ((req = __atomic_fetch_and(&gd->gd_reqflags,
	    ~(RQF_IPIQ | RQF_TIMER), __ATOMIC_ACQ_REL)) &
	    (RQF_IPIQ | RQF_TIMER)) {
		if (req & RQF_IPIQ)
			lwkt_process_ipiq();
		if (req & RQF_TIMER)
			systimer_run();
	}
	--td->td_critcount;
	if (gd->gd_reqflags & RQF_PREEMPT)
		lwkt_preempt(gd);
}

/*
 * Trap exit hook: the interrupt is done (gd_intr_nesting back to 0), the
 * interrupted thread was not in a critical section.  Interrupts disabled.
 */
void
lwkt_intr_exit(struct globaldata *gd)
{
	if (gd->gd_reqflags & RQF_PREEMPT)
		lwkt_preempt(gd);
}

/* --- scheduling --- */

static void
lwkt_schedule_local(struct globaldata *gd, struct thread *td)
{
	if (td->td_flags & (TDF_RUNQ | TDF_EXITING))
		return;
	runq_insert(gd, td);
	if ((td->td_flags & TDF_INTTHREAD) &&
	    td->td_pri > gd->gd_curthread->td_pri)
		__atomic_or_fetch(&gd->gd_reqflags, RQF_PREEMPT,
		    __ATOMIC_RELAXED);
}

static void
lwkt_schedule_ipi(void *arg1, uint64_t arg2)
{
	struct thread *td = arg1;

	lwkt_schedule_local(td->td_gd, td);
}

void
lwkt_schedule(thread_t td)
{
	struct globaldata *gd = mycpu;

	if (td->td_gd != gd) {
		lwkt_send_ipiq(td->td_gd, lwkt_schedule_ipi, td, 0);
		return;
	}
	crit_enter_td(gd->gd_curthread);
	lwkt_schedule_local(gd, td);
	crit_exit_td(gd->gd_curthread);
}

void
lwkt_deschedule_self(void)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;

	crit_enter_td(td);
	if (td->td_flags & TDF_RUNQ)
		runq_remove(gd, td);
	crit_exit_td(td);
}

void
lwkt_setpri_self(int pri)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;

	KKASSERT(pri > TDPRI_IDLE && pri <= TDPRI_MAX);
	crit_enter_td(td);
	if (td->td_flags & TDF_RUNQ) {
		runq_remove(gd, td);
		td->td_pri = pri;
		runq_insert(gd, td);
	} else {
		td->td_pri = pri;
	}
	crit_exit_td(td);
}

/*
 * Move curthread to cpu: take it off this CPU's queues, rebind it and
 * have the target schedule it.  Cooperative: only the thread itself asks.
 * It must hold no tokens (they are per-CPU-run state).
 */
void
lwkt_migrate(int cpu)
{
	struct globaldata *gd = mycpu, *ngd;
	struct thread *td = gd->gd_curthread;

	if (cpu == gd->gd_cpuid)
		return;
	KASSERT(td->td_toks_count == 0, ("lwkt_migrate with tokens held"));
	KASSERT((td->td_flags & (TDF_SYSTHREAD | TDF_IDLE)) == 0,
	    ("lwkt_migrate of a system thread"));
	ngd = globaldata_find(cpu);
	crit_enter_td(td);
	runq_remove(gd, td);
	td->td_gd = ngd;
	/*
	 * The target must not see td before its registers are saved, so the
	 * message that schedules it there is sent by whichever thread this
	 * CPU runs next (lwkt_switch_return), after cpu_switch_to is done.
	 */
	gd->gd_migrating = td;
	lwkt_switch();
	/* Now running on ngd. */
	crit_exit_td(td);
}

/* --- idle --- */

void
lwkt_idle_loop(void)
{
	struct globaldata *gd = mycpu;

	for (;;) {
		lwkt_switch();
		/*
		 * Interrupts off between the check and the halt: anything that
		 * makes work arrives as an interrupt that ends the hlt.
		 */
		md_intr_disable();
		if (gd->gd_runqmask != 0 || gd->gd_reqflags != 0) {
			md_intr_enable();
			/* Work deferred by a critical section: run it. */
			crit_enter_td(gd->gd_curthread);
			crit_exit_td(gd->gd_curthread);
			/* Runnable threads waiting for tokens: back off. */
			for (int i = 0; i < 64; i++)
				cpu_pause();
			continue;
		}
		md_idle_wait();
	}
}

/* --- observability --- */

void
lwkt_print_stats(void)
{
	kprintf("cpu  switches preempt  ipi-sent ipi-batch  ipi-recv  ipi-msgs "
	    "fifofull tok-cont  msg-sync msg-async cpusync\n");
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct lwkt_stats *c = &globaldata_find(cpu)->gd_cnt;

		kprintf("%3d %9lu %7lu %9lu %9lu %9lu %9lu %8lu %8lu %9lu "
		    "%9lu %7lu\n", cpu, c->switches, c->preemptions,
		    c->ipi_sent, c->ipi_batched, c->ipi_received, c->ipi_msgs,
		    c->ipi_fifofull, c->tok_contention, c->msg_sync,
		    c->msg_async, c->cpusyncs);
	}
}
