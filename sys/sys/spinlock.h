/*
 * Spin locks for short, non-blocking critical regions shared between
 * CPUs (the physical page allocator, kmalloc's class lists, spin ports).
 *
 * spin_lock() enters a critical section before taking the lock, so the
 * holder is never switched away or preempted on its own CPU;
 * spin_unlock() leaves it.  A holder must not block.  FAST interrupt
 * handlers and IPI functions must not take a spin lock that thread code
 * takes, since they may interrupt its holder on the same CPU.
 *
 * The lock is test-and-test-and-set with bounded exponential backoff:
 * waiters read the word (no bus traffic while it is held) and try the
 * exchange only when it looks free.  Not a ticket lock, on purpose: our
 * machines run more virtual CPUs than host cores, and a FIFO lock hands
 * the lock to the next waiter even if that waiter's vCPU is not running,
 * stalling everyone behind it (measured: a 4-8 vCPU spin-port stress ran
 * 10-300 times slower with tickets).  The price is fairness: a waiter
 * can in principle lose repeatedly; hold times are short and backoff is
 * capped, which keeps that theoretical.
 */
#ifndef _SYS_SPINLOCK_H_
#define _SYS_SPINLOCK_H_

#include <sys/types.h>
#include <sys/globaldata.h>
#include <sys/_spinlock.h>
#include <machine/cpufunc.h>

#define SPIN_BACKOFF_MAX	256	/* pause instructions, at most */

static inline void
spin_init(struct spinlock *sl)
{
	sl->sl_lock = 0;
}

static inline bool
spin_trylock_raw(struct spinlock *sl)
{
	return (__atomic_load_n(&sl->sl_lock, __ATOMIC_RELAXED) == 0 &&
	    __atomic_exchange_n(&sl->sl_lock, 1, __ATOMIC_ACQUIRE) == 0);
}

static inline void
spin_lock_raw(struct spinlock *sl)
{
	uint32_t backoff = 1;

	while (!spin_trylock_raw(sl)) {
		do {
			for (uint32_t i = 0; i < backoff; i++)
				cpu_pause();
			if (backoff < SPIN_BACKOFF_MAX)
				backoff <<= 1;
		} while (__atomic_load_n(&sl->sl_lock, __ATOMIC_RELAXED) != 0);
	}
}

static inline void
spin_unlock_raw(struct spinlock *sl)
{
	__atomic_store_n(&sl->sl_lock, 0, __ATOMIC_RELEASE);
}

static inline bool
spin_held(struct spinlock *sl)
{
	return (__atomic_load_n(&sl->sl_lock, __ATOMIC_RELAXED) != 0);
}

static inline void
spin_lock(struct spinlock *sl)
{
	crit_enter();
	spin_lock_raw(sl);
}

static inline bool
spin_trylock(struct spinlock *sl)
{
	crit_enter();
	if (spin_trylock_raw(sl))
		return (true);
	crit_exit();
	return (false);
}

static inline void
spin_unlock(struct spinlock *sl)
{
	spin_unlock_raw(sl);
	crit_exit();
}

#endif /* !_SYS_SPINLOCK_H_ */
