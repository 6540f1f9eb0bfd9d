/*
 * Scheduling: only sched_yield(), done as a zero-length nanosleep.
 */
#ifndef _SCHED_H_
#define _SCHED_H_

int	sched_yield(void);

#endif /* !_SCHED_H_ */
