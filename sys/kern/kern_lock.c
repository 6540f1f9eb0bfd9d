/*
 * Sleep locks: exclusive locks a thread may hold while it blocks.
 *
 * The lock word is the owner's thread pointer, taken with one
 * compare-and-swap (the uncontended acquire and release cost one atomic
 * each).  A thread that finds the lock taken announces itself in
 * lk_waiters, interlocks its sleep on the lock (tsleep_interlock) and
 * tries once more before sleeping, so a release between its test and its
 * sleep cannot be missed.  A release wakes every sleeper when lk_waiters
 * was set; they race again for the lock.  No FIFO order is promised:
 * these locks guard short multi-step operations (a namecache resolution,
 * a rename), not long queues.
 *
 * Calling context: thread context, not in a critical section when it may
 * block.  Tokens held by the caller are released while it sleeps, as
 * for any block.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/lock.h>

void
klock_init(struct klock *lk, const char *name)
{
	lk->lk_owner = NULL;
	lk->lk_waiters = 0;
	lk->lk_name = name;
}

static inline bool
klock_cas(struct klock *lk, struct thread *td)
{
	struct thread *expect = NULL;

	return (__atomic_compare_exchange_n(&lk->lk_owner, &expect, td, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
}

bool
klock_try(struct klock *lk)
{
	return (klock_cas(lk, curthread));
}

/*
 * Acquire lk, sleeping while another thread holds it.  Panics on a
 * recursive acquire (a bug, never a deadlock to wait out).
 */
void
klock_acquire(struct klock *lk)
{
	struct thread *td = curthread;

	if (__predict_true(klock_cas(lk, td)))
		return;
	KASSERT(lk->lk_owner != td, ("klock_acquire: %s already held by %s",
	    lk->lk_name, td->td_name));
	for (;;) {
		tsleep_interlock(lk);
		__atomic_store_n(&lk->lk_waiters, 1, __ATOMIC_SEQ_CST);
		if (klock_cas(lk, td))
			return;
		tsleep(lk, PINTERLOCKED, lk->lk_name, 0);
		if (klock_cas(lk, td))
			return;
	}
}

/*
 * Release lk (curthread must own it) and wake the sleepers, if any
 * announced themselves.  The store of NULL is ordered before the read of
 * lk_waiters (sequentially consistent), pairing with the waiter's store
 * of lk_waiters before its final try.
 */
void
klock_release(struct klock *lk)
{
	KASSERT(lk->lk_owner == curthread, ("klock_release: %s owned by %p, "
	    "not %s", lk->lk_name, lk->lk_owner, curthread->td_name));
	__atomic_store_n(&lk->lk_owner, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&lk->lk_waiters, __ATOMIC_SEQ_CST) != 0) {
		__atomic_store_n(&lk->lk_waiters, 0, __ATOMIC_RELAXED);
		wakeup(lk);
	}
}

bool
klock_held(const struct klock *lk)
{
	return (lk->lk_owner == curthread);
}
