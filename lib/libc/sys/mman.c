/*
 * Memory calls: mmap, munmap, mprotect (SYS_MMAP ...) and the program
 * break (SYS_BRK), which malloc may use.
 *
 * Only anonymous mappings exist: SYS_MMAP has no offset argument, so a
 * non-zero offset is refused here with EINVAL and fd is passed through
 * for the kernel to check (it must be -1).
 *
 * The break: SYS_BRK(addr) asks for the break to be addr (0: just ask)
 * and always answers with the break now in force, which is the old one
 * if the request could not be met.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emul.h"

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r;

	if (off != 0) {
		errno = EINVAL;
		return (MAP_FAILED);
	}
	r = __sm_call(SYS_MMAP, __SMP(addr), len, (unsigned int)prot,
	    (unsigned int)flags, fd);
	if (r == -1)
		return (MAP_FAILED);
	return ((void *)r);
}

int
munmap(void *addr, size_t len)
{
	return ((int)__sm_call(SYS_MUNMAP, __SMP(addr), len, 0, 0, 0));
}

int
mprotect(void *addr, size_t len, int prot)
{
	return ((int)__sm_call(SYS_MPROTECT, __SMP(addr), len,
	    (unsigned int)prot, 0, 0));
}

/* Set the break to addr: 0, or -1 with ENOMEM if the kernel refused. */
int
brk(void *addr)
{
	long r;

	if ((r = __sm_call(SYS_BRK, __SMP(addr), 0, 0, 0, 0)) == -1)
		return (-1);
	if ((uintptr_t)r != (uintptr_t)addr) {
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}

/*
 * Move the break by incr bytes; returns the old break, or (void *)-1
 * with ENOMEM.  Not thread-safe (neither is the break).
 */
void *
sbrk(intptr_t incr)
{
	long cur, r;

	if ((cur = __sm_call(SYS_BRK, 0, 0, 0, 0, 0)) == -1)
		return ((void *)-1);
	if (incr == 0)
		return ((void *)cur);
	if ((incr > 0 && (uintptr_t)cur + incr < (uintptr_t)cur) ||
	    (incr < 0 && (uintptr_t)-incr > (uintptr_t)cur)) {
		errno = ENOMEM;
		return ((void *)-1);
	}
	r = __sm_call(SYS_BRK, (uintptr_t)cur + incr, 0, 0, 0, 0);
	if (r == -1)
		return ((void *)-1);
	if ((uintptr_t)r != (uintptr_t)cur + incr) {
		errno = ENOMEM;
		return ((void *)-1);
	}
	return ((void *)cur);
}
