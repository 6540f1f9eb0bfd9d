/*
 * Waiting for children.  The status word is the kernel's (<sys/sysmsg.h>):
 * a normal exit stores _W_EXITED(code) = code << 8 with the low 7 bits 0;
 * death by a signal stores _W_SIGNALED(sig) = sig in the low 7 bits.
 */
#ifndef _SYS_WAIT_H_
#define _SYS_WAIT_H_

#include <sys/types.h>
#include <sys/sysmsg.h>		/* WNOHANG, _W_EXITED, _W_SIGNALED */

#define _WSTATUS(s)	((s) & 0x7f)
#define WIFEXITED(s)	(_WSTATUS(s) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(_WSTATUS(s) != 0 && _WSTATUS(s) != 0x7f)
#define WTERMSIG(s)	(_WSTATUS(s))
#define WIFSTOPPED(s)	(_WSTATUS(s) == 0x7f)	/* never: no stops */
#define WSTOPSIG(s)	(((s) >> 8) & 0xff)
#define WCOREDUMP(s)	((s) & 0x80)		/* never */

pid_t	wait(int *);
pid_t	waitpid(pid_t, int *, int);

#endif /* !_SYS_WAIT_H_ */
