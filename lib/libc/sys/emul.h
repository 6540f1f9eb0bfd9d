/*
 * Private to the emulation layer (lib/libc/sys/): the one helper every
 * POSIX wrapper uses to turn a call into a synchronous message.
 *
 * Argument conventions (the kernel decodes them the same way):
 *  - every sm_arg[] slot is 64 bits; signed C values (fds, pids, signal
 *    numbers, offsets) are sign-extended, so -1 arrives as ~0;
 *  - pointers are plain user addresses, NULL as 0;
 *  - unused slots are 0.
 */
#ifndef _LIBC_SYS_EMUL_H_
#define _LIBC_SYS_EMUL_H_

#include <stdint.h>
#include <sys/sysmsg.h>

/* Pointer to message argument. */
#define __SMP(p)	((uint64_t)(uintptr_t)(p))

/*
 * Send command cmd with the given arguments through SYSP_DOMSG.
 * Returns the result, or -1 with errno set when the kernel reported an
 * error.  (No command's successful result is -1, see <sys/sysmsg.h>.)
 */
long	__sm_call(unsigned int cmd, uint64_t a0, uint64_t a1, uint64_t a2,
	    uint64_t a3, uint64_t a4);

/*
 * Same, but the result is returned even on error, and the error (0 or
 * an errno) is stored in *errp without touching errno.
 */
long	__sm_call_raw(unsigned int cmd, uint64_t a0, uint64_t a1,
	    uint64_t a2, int *errp);

/* The signal restorer (arch/x86_64/sysmsg.S); only ever returned into. */
void	__sigreturn_tramp(void);

#endif /* !_LIBC_SYS_EMUL_H_ */
