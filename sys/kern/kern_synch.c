/*
 * Sleeping and waking: tsleep(), tsleep_interlock(), wakeup().
 *
 * Sleepers wait on a channel (any address).  Each CPU keeps its own
 * sleepers in its own hash of queues (gd_slpq), touched only by that CPU
 * in a critical section; a global array of CPU masks, one per bucket,
 * says which CPUs may have sleepers in the bucket.  wakeup(ident) wakes
 * the local sleepers directly and sends one IPI message to each other CPU
 * whose bit is set; that CPU wakes its own.  No lock anywhere.
 *
 * Lost wakeups: a caller that tests a condition and then sleeps calls
 * tsleep_interlock() first, which puts it on the queue (still runnable);
 * a wakeup that comes before tsleep() takes it off the queue again and
 * tsleep() then returns at once.  The mask bit is set with a sequentially
 * consistent RMW before the condition is tested, and wakeup() issues a
 * full fence after the condition is changed and before it reads the
 * mask, so one of the two always sees the other.
 *
 * Timeouts use the thread's systimer (td_sleeptimer): on expiry the
 * thread is taken off its queue, marked TDF_TIMEOUT and scheduled.
 *
 * Interruptible sleeps (PCATCH): a thread working for a process returns
 * EINTR when a signal, the process's exit or an abort of its message
 * needs it (thread_intr_pending(), kern_sig.c).  Whoever makes that true
 * calls tsleep_intr(td) afterwards; the check and the sleep are on td's
 * CPU in one critical section and tsleep_intr runs there too, so either
 * the check sees the condition or the sleeper is woken.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/errno.h>
#include <sys/md.h>
#include <sys/proc.h>

static volatile cpumask_t slpq_cpus[SLPQ_HASH];	/* [a] */

static inline int
slpq_hash(const volatile void *ident)
{
	uint64_t h = (uint64_t)ident;

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15UL;
	return ((int)(h >> 58) & (SLPQ_HASH - 1));
}

/* Unlink td from its sleep queue.  td's CPU, critical section. */
static void
slpq_remove(struct globaldata *gd, struct thread *td)
{
	int b = slpq_hash(td->td_wchan);

	if (td->td_sprev != NULL)
		td->td_sprev->td_snext = td->td_snext;
	else
		gd->gd_slpq[b] = td->td_snext;
	if (td->td_snext != NULL)
		td->td_snext->td_sprev = td->td_sprev;
	td->td_snext = td->td_sprev = NULL;
	td->td_flags &= ~TDF_SLEEPING;
	td->td_wchan = NULL;
	if (gd->gd_slpq[b] == NULL)
		__atomic_and_fetch(&slpq_cpus[b], ~CPUMASK(gd->gd_cpuid),
		    __ATOMIC_SEQ_CST);
}

/*
 * Register curthread as a sleeper on ident without stopping it.  The
 * thread is on its sleep queue (TDF_SLEEPING) but still runnable; it must
 * call tsleep(ident, PINTERLOCKED, ...) next.  Thread context.
 */
void
tsleep_interlock(const volatile void *ident)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;
	int b = slpq_hash(ident);

	crit_enter_td(td);
	if (td->td_flags & TDF_SLEEPING)
		slpq_remove(gd, td);
	__atomic_or_fetch(&slpq_cpus[b], CPUMASK(gd->gd_cpuid),
	    __ATOMIC_SEQ_CST);
	td->td_wchan = ident;
	td->td_flags |= TDF_SLEEPING;
	td->td_flags &= ~TDF_TIMEOUT;
	td->td_sprev = NULL;
	td->td_snext = gd->gd_slpq[b];
	if (td->td_snext != NULL)
		td->td_snext->td_sprev = td;
	gd->gd_slpq[b] = td;
	crit_exit_td(td);
}

static void
tsleep_timeout(struct systimer *st, void *arg)
{
	struct thread *td = arg;

	if (td->td_flags & TDF_SLEEPING) {
		slpq_remove(td->td_gd, td);
		td->td_flags |= TDF_TIMEOUT;
		lwkt_schedule(td);
	}
}

int
tsleep(const volatile void *ident, int flags, const char *wmesg,
    uint64_t timo_ns)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;
	int error = 0;

	KASSERT(gd->gd_intr_nesting == 0, ("tsleep in interrupt context"));
	crit_enter_td(td);
	if ((flags & PINTERLOCKED) == 0)
		tsleep_interlock(ident);
	else
		KASSERT(td->td_wchan == ident || !(td->td_flags & TDF_SLEEPING),
		    ("tsleep: interlocked on another channel"));
	if ((flags & PCATCH) && thread_intr_pending(td)) {
		if (td->td_flags & TDF_SLEEPING)
			slpq_remove(gd, td);
		crit_exit_td(td);
		return (EINTR);
	}
	if (td->td_flags & TDF_SLEEPING) {
		td->td_wmesg = wmesg;
		if (flags & PCATCH)
			td->td_uflags |= TDU_SINTR;
		if (timo_ns != 0)
			systimer_arm(&td->td_sleeptimer, nanouptime() + timo_ns,
			    tsleep_timeout, td);
		lwkt_deschedule_self();
		lwkt_switch();
		if (timo_ns != 0)
			systimer_disarm(&td->td_sleeptimer);
		if (td->td_flags & TDF_TIMEOUT)
			error = ETIMEDOUT;
		td->td_wmesg = NULL;
		if (flags & PCATCH) {
			__atomic_and_fetch(&td->td_uflags, ~TDU_SINTR,
			    __ATOMIC_RELAXED);
			if (error == 0 && thread_intr_pending(td))
				error = EINTR;
		}
	}
	td->td_flags &= ~TDF_TIMEOUT;
	crit_exit_td(td);
	return (error);
}

/*
 * IPI function: end td's interruptible sleep, if it is in one.  td may
 * have exited and been freed since the sender looked at it, so it is
 * not dereferenced until it is found on one of this CPU's sleep queues
 * (a sleeping thread is alive).  A new thread at the same address would
 * see a spurious wakeup, which every tsleep caller tolerates.
 */
static void
tsleep_intr_local(void *arg, uint64_t unused)
{
	struct globaldata *gd = mycpu;
	struct thread *td;

	for (int b = 0; b < SLPQ_HASH; b++) {
		for (td = gd->gd_slpq[b]; td != NULL; td = td->td_snext) {
			if (td != arg)
				continue;
			if ((td->td_uflags & TDU_SINTR) &&
			    (td->td_flags & TDF_RUNQ) == 0) {
				slpq_remove(gd, td);
				lwkt_schedule(td);
			}
			return;
		}
	}
}

/*
 * Make td notice thread_intr_pending(): end an interruptible sleep, or
 * (running in user mode on another CPU) make it enter the kernel, which
 * the IPI's interrupt does by itself.  Any thread context.  The caller
 * must only know td was alive when it read td->td_gd (under the lock
 * that keeps the process's thread list); td is not touched afterwards.
 */
void
tsleep_intr(struct thread *td)
{
	struct globaldata *gd = mycpu, *tgd = td->td_gd;

	crit_enter_td(gd->gd_curthread);
	if (tgd == gd)
		tsleep_intr_local(td, 0);
	else
		lwkt_send_ipiq(tgd, tsleep_intr_local, td, 0);
	crit_exit_td(gd->gd_curthread);
}

/* Wake this CPU's sleepers on ident.  Critical section or IPI context. */
static void
wakeup_local(void *ident, uint64_t unused)
{
	struct globaldata *gd = mycpu;
	struct thread *td, *next;

	for (td = gd->gd_slpq[slpq_hash(ident)]; td != NULL; td = next) {
		next = td->td_snext;
		if (td->td_wchan == ident) {
			slpq_remove(gd, td);
			lwkt_schedule(td);
		}
	}
}

void
wakeup(const volatile void *ident)
{
	struct globaldata *gd = mycpu;
	cpumask_t mask;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mask = __atomic_load_n(&slpq_cpus[slpq_hash(ident)], __ATOMIC_SEQ_CST);
	if (mask == 0)
		return;
	crit_enter_td(gd->gd_curthread);
	if (mask & CPUMASK(gd->gd_cpuid))
		wakeup_local((void *)ident, 0);
	mask &= ~CPUMASK(gd->gd_cpuid);
	lwkt_send_ipiq_mask(mask, wakeup_local, (void *)ident, 0);
	crit_exit_td(gd->gd_curthread);
}

/*
 * A countdown: a waiter sleeps until *counter reaches zero, and each
 * worker finishing calls countdown_done(); the one that reaches zero
 * wakes the waiter.  Interlocked, so the last decrement cannot slip in
 * between the waiter's test and its sleep.  Thread context for the
 * waiter; any context but FAST for countdown_done().
 */
void
countdown_wait(volatile int *counter, const char *wmesg)
{
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) != 0) {
		tsleep_interlock(counter);
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) == 0)
			break;
		tsleep(counter, PINTERLOCKED, wmesg, 0);
	}
}

void
countdown_done(volatile int *counter)
{
	if (__atomic_sub_fetch(counter, 1, __ATOMIC_ACQ_REL) == 0)
		wakeup(counter);
}
