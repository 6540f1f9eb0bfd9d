/*
 * Process calls: identity, fork, _exit, wait, setuid.  One message each.
 *
 * There are no group ids: getgid() and getegid() return 0.  There is no
 * separate effective uid: geteuid() is getuid().
 *
 * The wait status word is built by the kernel (<sys/sysmsg.h>:
 * _W_EXITED, _W_SIGNALED) and decoded by the <sys/wait.h> macros.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emul.h"

pid_t
getpid(void)
{
	return ((pid_t)__sm_call(SYS_GETPID, 0, 0, 0, 0, 0));
}

pid_t
getppid(void)
{
	return ((pid_t)__sm_call(SYS_GETPPID, 0, 0, 0, 0, 0));
}

uid_t
getuid(void)
{
	return ((uid_t)__sm_call(SYS_GETUID, 0, 0, 0, 0, 0));
}

uid_t
geteuid(void)
{
	return (getuid());
}

gid_t
getgid(void)
{
	return (0);
}

gid_t
getegid(void)
{
	return (0);
}

int
setuid(uid_t uid)
{
	return ((int)__sm_call(SYS_SETUID, uid, 0, 0, 0, 0));
}

/* Returns the child's pid in the parent, 0 in the child, or -1. */
pid_t
fork(void)
{
	return ((pid_t)__sm_call(SYS_FORK, 0, 0, 0, 0, 0));
}

/*
 * End the process now, without atexit handlers or stdio flushing (that
 * is exit(), lib/libc/stdlib).  status is sent as given; the kernel
 * keeps its low 8 bits for the parent's wait status.
 */
_Noreturn void
_exit(int status)
{
	for (;;)
		(void)__sm_call(SYS_EXIT, status, 0, 0, 0, 0);
}

/*
 * waitpid(pid, status, options): pid > 0 a given child, -1 any child;
 * options 0 or WNOHANG (then 0 means no child has changed state).  The
 * kernel stores the status word through the pointer unless it is NULL.
 */
pid_t
waitpid(pid_t pid, int *status, int options)
{
	return ((pid_t)__sm_call(SYS_WAIT4, pid, __SMP(status), options, 0,
	    0));
}

pid_t
wait(int *status)
{
	return (waitpid(-1, status, 0));
}
