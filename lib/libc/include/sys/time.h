/*
 * struct timeval, minimal: enough for programs that print or compare
 * microsecond times.  There is no gettimeofday message; gettimeofday()
 * is clock_gettime(CLOCK_REALTIME) from <time.h> in microseconds.
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

struct timeval {
	time_t		tv_sec;
	suseconds_t	tv_usec;
};

int	gettimeofday(struct timeval *, void *);

#endif /* !_SYS_TIME_H_ */
