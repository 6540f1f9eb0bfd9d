/*
 * The native message API (<sys/msgcall.h>) and the helpers through which
 * every emulated POSIX call reaches the kernel.
 *
 * A call is: fill a struct sysmsg on the caller's stack (sysmsg_init
 * zeroes it and sets sm_cmd and sm_size; the caller sets sm_arg[]), then
 * hand its address to one primitive:
 *
 *   SYSP_DOMSG	   synchronous; the value comes back in %rax, the error
 *		   in %rdx; the message is not written.
 *   SYSP_SENDMSG  asynchronous; returns a handle.  The kernel stores
 *		   sm_result and sm_error into the message when the
 *		   SYSP_WAITMSG that collects it runs.
 *
 * Costs: one `syscall' per call and one 64-byte message copy-in; nothing
 * is allocated.  These functions are reentrant (a signal handler may use
 * them) except that they write the global errno.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/msgcall.h>

#include "emul.h"

/* arch/x86_64/sysmsg.S repeats these; keep it honest. */
_Static_assert(sizeof(struct sysmsg) == 64, "sysmsg.S: SYSMSG_SIZE");
_Static_assert(offsetof(struct sysmsg, sm_cmd) == 0, "sysmsg.S: SM_CMD");
_Static_assert(offsetof(struct sysmsg, sm_size) == 4, "sysmsg.S: SM_SIZE");
_Static_assert(offsetof(struct sysmsg, sm_arg) == 24, "sysmsg.S: SM_ARG0");
_Static_assert(SYSP_DOMSG == 1, "sysmsg.S: SYSP_DOMSG");
_Static_assert(SYS_SIGRETURN == 10, "sysmsg.S: SYS_SIGRETURN");
_Static_assert(sizeof(struct sysel) == 16, "struct sysel layout");

/*
 * Zero m and stamp it with cmd and its size.  Written out rather than
 * calling memset so that this layer does not depend on the string code.
 */
void
sysmsg_init(struct sysmsg *m, unsigned int cmd)
{
	int i;

	m->sm_cmd = cmd;
	m->sm_size = sizeof(*m);
	m->sm_result = 0;
	m->sm_error = 0;
	m->sm_flags = 0;
	for (i = 0; i < 5; i++)
		m->sm_arg[i] = 0;
}

/*
 * Run m synchronously.  Returns its result, or -1 with errno = the
 * kernel's error.  m is not modified.
 */
long
sysmsg_do(struct sysmsg *m)
{
	long r;
	int err;

	err = 0;
	r = __sysmsg_prim(SYSP_DOMSG, (long)m, 0, &err);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (r);
}

/*
 * Start m asynchronously.  Returns its handle (> 0) or -1 with errno.
 * WARNING: m and the buffers it names must stay valid and in place until
 * sysmsg_wait() has collected the handle.
 */
long
sysmsg_send(struct sysmsg *m)
{
	long r;
	int err;

	err = 0;
	r = __sysmsg_prim(SYSP_SENDMSG, (long)m, 0, &err);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (r);
}

/*
 * Collect the completed message named by handle (0: any of ours).
 * flags is 0 (block) or SYSMSG_NOWAIT.  Returns the handle collected,
 * whose message now holds sm_result and sm_error, or -1 with errno:
 * EAGAIN (NOWAIT and none complete), ENOENT (nothing such in flight),
 * EINTR (a signal arrived while blocked).
 * NOTE: EFAULT means the message memory had gone; that handle has been
 * collected all the same but its outcome is lost.
 */
long
sysmsg_wait(long handle, int flags)
{
	long r;
	int err;

	err = 0;
	r = __sysmsg_prim(SYSP_WAITMSG, handle, flags, &err);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (r);
}

/*
 * Ask the in-flight message handle to stop; a blocked operation then
 * completes with EINTR.  It must still be collected with sysmsg_wait().
 */
int
sysmsg_abort(long handle)
{
	int err;

	err = 0;
	(void)__sysmsg_prim(SYSP_ABORTMSG, handle, 0, &err);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (0);
}

/*
 * __sm_call and __sm_call_raw, the calls every POSIX function of the
 * emulation layer makes, are in arch/x86_64/sysmsg.S: they carry the
 * message in registers (SYSP_DOMSG_REG), so nothing is built in memory.
 */
