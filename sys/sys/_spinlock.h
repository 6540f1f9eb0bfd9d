/*
 * The spin lock type alone, for headers that embed one without needing
 * the inline functions of <sys/spinlock.h>.
 */
#ifndef _SYS__SPINLOCK_H_
#define _SYS__SPINLOCK_H_

#include <sys/types.h>

struct spinlock {
	volatile uint32_t	sl_next;	/* [a] next ticket to hand out */
	volatile uint32_t	sl_owner;	/* [a] ticket now served */
};

#define SPINLOCK_INITIALIZER	{ 0, 0 }

#endif /* !_SYS__SPINLOCK_H_ */
