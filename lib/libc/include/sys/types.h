/*
 * Basic system data types for user programs.  Sizes match what the
 * kernel reports through the message ABI (<sys/sysmsg.h>): 64-bit file
 * offsets and times, 32-bit ids and modes.  size_t, NULL and the
 * fixed-width integers come from the compiler's stddef.h and stdint.h.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stddef.h>
#include <stdint.h>

typedef long		ssize_t;
typedef int64_t		off_t;
typedef int		pid_t;
typedef unsigned int	uid_t;
typedef unsigned int	gid_t;
typedef unsigned int	mode_t;
typedef int64_t		time_t;
typedef uint64_t	ino_t;
typedef uint64_t	dev_t;
typedef unsigned int	nlink_t;
typedef int64_t		blkcnt_t;
typedef int64_t		blksize_t;
typedef long		suseconds_t;
typedef unsigned int	useconds_t;
typedef int		clockid_t;

/* Declared here so that <time.h>, <sys/stat.h> and <sys/time.h> share it. */
#ifndef _STRUCT_TIMESPEC_
#define _STRUCT_TIMESPEC_
struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};
#endif

#endif /* !_SYS_TYPES_H_ */
