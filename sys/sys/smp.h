/*
 * Machine-independent SMP helpers provided by the platform.
 */
#ifndef _SYS_SMP_H_
#define _SYS_SMP_H_

#include <sys/types.h>

/*
 * Run fn(arg) on every CPU in smp_active_mask, the caller's included, at
 * the same time, and return when all have finished.  fn runs in an LWKT
 * thread created on each CPU (TDPRI_KERN), so it may block; the caller
 * sleeps meanwhile.  Thread context, may block, no spin lock held.
 */
void	smp_call_all(void (*fn)(void *), void *arg);

#endif /* !_SYS_SMP_H_ */
