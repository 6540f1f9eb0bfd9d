/*
 * Spin locks: ticket locks for short, non-blocking critical regions that
 * must be shared between CPUs (the physical page allocator, the console).
 *
 * spin_lock() enters a critical section before taking the lock, so the
 * holder is never switched away on its own CPU; spin_unlock() leaves it.
 * A holder must not block, and FAST interrupt handlers must not take a
 * spin lock that non-interrupt code takes with interrupts enabled.  Use
 * spin_lock_intr() (interrupts disabled while held) for a lock that trap
 * context also takes.  FIFO order means no waiter starves.
 */
#ifndef _SYS_SPINLOCK_H_
#define _SYS_SPINLOCK_H_

#include <sys/types.h>
#include <sys/globaldata.h>
#include <sys/_spinlock.h>
#include <machine/cpufunc.h>

static inline void
spin_init(struct spinlock *sl)
{
	sl->sl_next = 0;
	sl->sl_owner = 0;
}

static inline void
spin_lock_raw(struct spinlock *sl)
{
	uint32_t t = __atomic_fetch_add(&sl->sl_next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&sl->sl_owner, __ATOMIC_ACQUIRE) != t)
		cpu_pause();
}

static inline bool
spin_trylock_raw(struct spinlock *sl)
{
	uint32_t o = __atomic_load_n(&sl->sl_owner, __ATOMIC_RELAXED);
	uint32_t n = o;

	return (__atomic_compare_exchange_n(&sl->sl_next, &n, o + 1, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
}

static inline void
spin_unlock_raw(struct spinlock *sl)
{
	__atomic_store_n(&sl->sl_owner, sl->sl_owner + 1, __ATOMIC_RELEASE);
}

static inline bool
spin_held(struct spinlock *sl)
{
	return (__atomic_load_n(&sl->sl_next, __ATOMIC_RELAXED) !=
	    __atomic_load_n(&sl->sl_owner, __ATOMIC_RELAXED));
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
