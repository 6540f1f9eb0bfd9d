/*
 * The native message API: the four primitives of <sys/sysmsg.h> as C
 * functions, for programs that want asynchronous calls or commands with
 * no POSIX equivalent (SYS_PSINFO, SYS_FILTER ...).  docs/libc.md has an
 * example with two reads in flight.
 *
 * Usage: sysmsg_init() a message on the stack or heap, fill sm_arg[],
 * then either sysmsg_do() it (synchronous), or sysmsg_send() it and
 * later sysmsg_wait() for its handle; after the wait the message's
 * sm_result and sm_error hold the outcome.
 *
 * WARNING: an asynchronous message and every buffer it names must stay
 * valid until it has been collected by sysmsg_wait().
 */
#ifndef _SYS_MSGCALL_H_
#define _SYS_MSGCALL_H_

#include <sys/sysmsg.h>

/* Zero the message and set sm_cmd = cmd, sm_size. */
void	sysmsg_init(struct sysmsg *, unsigned int);
/* Run synchronously: the result, or -1 with errno set. */
long	sysmsg_do(struct sysmsg *);
/* Start asynchronously: a handle > 0, or -1 with errno set. */
long	sysmsg_send(struct sysmsg *);
/*
 * Collect handle h (0: any) with flags SYSMSG_NOWAIT or 0: the handle
 * collected, or -1 with errno set (EAGAIN, ENOENT, EINTR, EFAULT).
 * The collected message holds its sm_result and sm_error.
 */
long	sysmsg_wait(long, int);
/* Ask an in-flight message to stop (it must still be collected). */
int	sysmsg_abort(long);
/* The raw primitive: returns %rax, stores %rdx (0 or an errno) in *errp. */
long	__sysmsg_prim(long, long, long, int *);

#endif /* !_SYS_MSGCALL_H_ */
