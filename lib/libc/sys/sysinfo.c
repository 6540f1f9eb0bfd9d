/*
 * System information: uname() (one SYS_UNAME message per field),
 * gethostname(), sysconf() and getpagesize() (constants of this port).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "emul.h"

#define PAGE_SIZE_X86_64	4096

static const struct {
	unsigned int	field;
	size_t		off;
} un_fields[] = {
	{ UN_SYSNAME,	offsetof(struct utsname, sysname) },
	{ UN_NODENAME,	offsetof(struct utsname, nodename) },
	{ UN_RELEASE,	offsetof(struct utsname, release) },
	{ UN_VERSION,	offsetof(struct utsname, version) },
	{ UN_MACHINE,	offsetof(struct utsname, machine) },
};

/*
 * Fill every field; the kernel NUL-terminates each, truncating it to
 * _UTSNAME_LEN bytes.  Returns 0, or -1 with the first error.
 */
int
uname(struct utsname *u)
{
	unsigned int i;
	char *p;

	for (i = 0; i < sizeof(un_fields) / sizeof(un_fields[0]); i++) {
		p = (char *)u + un_fields[i].off;
		p[0] = '\0';
		if (__sm_call(SYS_UNAME, un_fields[i].field, __SMP(p),
		    _UTSNAME_LEN, 0, 0) == -1)
			return (-1);
		p[_UTSNAME_LEN - 1] = '\0';
	}
	return (0);
}

int
gethostname(char *buf, size_t len)
{
	if (len == 0) {
		errno = EINVAL;
		return (-1);
	}
	if (__sm_call(SYS_UNAME, UN_NODENAME, __SMP(buf), len, 0, 0) == -1)
		return (-1);
	buf[len - 1] = '\0';
	return (0);
}

int
getpagesize(void)
{
	return (PAGE_SIZE_X86_64);
}

long
sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return (PAGE_SIZE_X86_64);
	case _SC_CLK_TCK:
		return (100);
	case _SC_OPEN_MAX:
		return (1024);	/* FD_MAXFILES, sys/sys/filedesc.h */
	}
	errno = EINVAL;
	return (-1);
}
