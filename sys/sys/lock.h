/*
 * Sleep locks (sys/kern/kern_lock.c): exclusive locks that a thread may
 * hold while it blocks (unlike tokens, which are dropped at a switch, and
 * spin locks, which must not be held across one).  Used where atomicity
 * must span a message round trip: namecache entries during resolution
 * and namespace operations, a mount's rename lock, a file's offset.
 *
 * Not recursive.  Waiters sleep (tsleep) and are all woken on release;
 * there is no FIFO fairness.  The owner is recorded for assertions.
 * Thread context only.
 */
#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_

#include <sys/types.h>

struct thread;

struct klock {
	struct thread * volatile lk_owner;	/* [a] NULL when free */
	volatile int	lk_waiters;		/* [a] sleepers may exist */
	const char	*lk_name;		/* [I] wmesg */
};

void	klock_init(struct klock *lk, const char *name);
/* Acquire; may block.  Panics if curthread already holds it. */
void	klock_acquire(struct klock *lk);
/* Acquire without blocking; true on success. */
bool	klock_try(struct klock *lk);
/* Release; curthread must hold it. */
void	klock_release(struct klock *lk);
bool	klock_held(const struct klock *lk);	/* by curthread */

#endif /* !_SYS_LOCK_H_ */
