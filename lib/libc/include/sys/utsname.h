/*
 * System name.  uname() fills each field with one SYS_UNAME message
 * (UN_* in <sys/sysmsg.h>); a field longer than the buffer is truncated.
 */
#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#define _UTSNAME_LEN	64

struct utsname {
	char	sysname[_UTSNAME_LEN];
	char	nodename[_UTSNAME_LEN];
	char	release[_UTSNAME_LEN];
	char	version[_UTSNAME_LEN];
	char	machine[_UTSNAME_LEN];
};

int	uname(struct utsname *);

#endif /* !_SYS_UTSNAME_H_ */
