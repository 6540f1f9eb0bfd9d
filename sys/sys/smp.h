/*
 * Machine-independent SMP helpers provided by the platform.
 */
#ifndef _SYS_SMP_H_
#define _SYS_SMP_H_

#include <sys/types.h>

/*
 * Run fn(arg) on every CPU in smp_active_mask, the caller's included, at
 * the same time, and return when all have finished.  Foundation-stage
 * mechanism (a per-CPU call slot and a wakeup IPI); it will be rebuilt on
 * the LWKT IPI queues.  Called from thread context with no spin lock
 * held; fn runs with interrupts enabled and must not block.  Calls from
 * several CPUs are serialized.
 */
void	smp_call_all(void (*fn)(void *), void *arg);

#endif /* !_SYS_SMP_H_ */
