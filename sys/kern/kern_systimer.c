/*
 * Per-CPU one-shot timers (struct systimer, <sys/thread.h>).
 *
 * Each CPU keeps its armed timers in a list sorted by deadline
 * (gd_systimers).  The periodic LAPIC tick calls systimer_run(), which
 * fires every timer whose deadline has passed; resolution is therefore
 * one tick (1/hz).  Everything happens on the owning CPU: arming,
 * disarming and firing, all in a critical section or in the tick's trap
 * context, so the list needs no lock.  st_func runs in trap context (or
 * at the crit_exit that ran a deferred tick) and must not block.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/md.h>
#include <sys/kernel.h>

void
systimer_arm(struct systimer *st, uint64_t deadline,
    void (*func)(struct systimer *, void *), void *arg)
{
	struct globaldata *gd = mycpu;
	struct systimer **pp;

	crit_enter_td(gd->gd_curthread);
	KASSERT(!st->st_armed, ("systimer_arm: %p already armed", st));
	st->st_deadline = deadline;
	st->st_func = func;
	st->st_arg = arg;
	for (pp = &gd->gd_systimers; *pp != NULL; pp = &(*pp)->st_next)
		if ((*pp)->st_deadline > deadline)
			break;
	st->st_next = *pp;
	*pp = st;
	st->st_armed = true;
	crit_exit_td(gd->gd_curthread);
}

/* Disarm st if armed (it must belong to this CPU).  Idempotent. */
void
systimer_disarm(struct systimer *st)
{
	struct globaldata *gd = mycpu;
	struct systimer **pp;

	crit_enter_td(gd->gd_curthread);
	if (st->st_armed) {
		for (pp = &gd->gd_systimers; *pp != NULL; pp = &(*pp)->st_next) {
			if (*pp == st) {
				*pp = st->st_next;
				break;
			}
		}
		st->st_armed = false;
	}
	crit_exit_td(gd->gd_curthread);
}

/* Fire the expired timers.  Trap context or a critical section. */
void
systimer_run(void)
{
	struct globaldata *gd = mycpu;
	uint64_t now = nanouptime();
	struct systimer *st;

	while ((st = gd->gd_systimers) != NULL && st->st_deadline <= now) {
		gd->gd_systimers = st->st_next;
		st->st_armed = false;
		st->st_func(st, st->st_arg);
	}
}

/*
 * The clock tick of this CPU, a FAST interrupt: count it, and unless the
 * interrupted thread is in a critical section (then the work waits for
 * its crit_exit) fire expired timers and pick up passive IPI messages.
 */
void
hardclock(void)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;

	gd->gd_ticks++;
	if (td->td_critcount != 0) {
		__atomic_or_fetch(&gd->gd_reqflags, RQF_TIMER, __ATOMIC_RELAXED);
		return;
	}
	crit_enter_td(td);
	systimer_run();
	lwkt_process_ipiq();
	crit_exit_td(td);
}
