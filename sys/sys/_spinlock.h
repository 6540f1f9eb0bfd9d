/*
 * The spin lock type alone, for headers that embed one without needing
 * the inline functions of <sys/spinlock.h>.
 */
#ifndef _SYS__SPINLOCK_H_
#define _SYS__SPINLOCK_H_

#include <sys/types.h>

struct spinlock {
	volatile uint32_t	sl_lock;	/* [a] 0 free, 1 held */
	uint32_t		sl_pad;
};

#define SPINLOCK_INITIALIZER	{ 0, 0 }

#endif /* !_SYS__SPINLOCK_H_ */
