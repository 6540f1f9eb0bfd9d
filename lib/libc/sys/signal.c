/*
 * Signals over SYS_SIGACTION, SYS_SIGPROCMASK, SYS_SIGPENDING, SYS_KILL.
 *
 * Conventions shared with the kernel (also written in <signal.h> and
 * docs/libc.md):
 *  (1) a sigset_t is a 64-bit mask, signal sig is bit sig (1ULL << sig);
 *      bit 0 and bits >= NSIG are never set by libc;
 *  (2) handler values in messages: 0 = SIG_DFL, 1 = SIG_IGN, otherwise
 *      the handler's address; ~0 (SIG_ERR) = "leave the disposition
 *      unchanged, only report the old one" (sigaction with act NULL);
 *  (3) SYS_SIGACTION's old[3] receives {handler, mask, flags};
 *  (4) the restorer (__sigreturn_tramp) is registered with SYS_SIGSETUP
 *      before the first sigaction() message of the process image.  The
 *      registration is inherited by fork (so is our flag) and forgotten
 *      by exec (so is our flag, the image is new).
 *
 * The query form of sigprocmask (set NULL) is sent as SIG_BLOCK with an
 * empty set, which changes nothing and returns the current mask.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "emul.h"

/* Handler value meaning "no change, only report". */
#define SIG_QUERY_VAL	(~(uint64_t)0)
#define SIGSET_ALL	((((sigset_t)1 << NSIG) - 1) & ~(sigset_t)1)

static int sig_restorer_set;	/* SYS_SIGSETUP done in this image */

static int
sig_valid(int sig)
{
	return (sig > 0 && sig < NSIG);
}

/* Register the restorer once; -1 with errno on failure. */
static int
sig_setup(void)
{
	if (sig_restorer_set)
		return (0);
	if (__sm_call(SYS_SIGSETUP, __SMP(__sigreturn_tramp), 0, 0, 0,
	    0) == -1)
		return (-1);
	sig_restorer_set = 1;
	return (0);
}

int
sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	uint64_t old[3];
	uint64_t handler, mask, flags;

	if (!sig_valid(sig)) {
		errno = EINVAL;
		return (-1);
	}
	if (sig_setup() == -1)
		return (-1);
	if (act != NULL) {
		handler = __SMP(act->sa_handler);
		mask = act->sa_mask & SIGSET_ALL;
		flags = (unsigned int)act->sa_flags;
	} else {
		handler = SIG_QUERY_VAL;
		mask = 0;
		flags = 0;
	}
	if (__sm_call(SYS_SIGACTION, sig, handler, mask, flags,
	    oact != NULL ? __SMP(old) : 0) == -1)
		return (-1);
	if (oact != NULL) {
		oact->sa_handler = (void (*)(int))(uintptr_t)old[0];
		oact->sa_mask = old[1];
		oact->sa_flags = (int)old[2];
	}
	return (0);
}

/*
 * signal(sig, handler): BSD semantics (the handler stays installed,
 * interrupted calls are marked SA_RESTART).  Returns the old handler or
 * SIG_ERR.
 */
void
(*signal(int sig, void (*handler)(int)))(int)
{
	struct sigaction sa, osa;

	sa.sa_handler = handler;
	sa.sa_mask = 0;
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &osa) == -1)
		return (SIG_ERR);
	return (osa.sa_handler);
}

int
sigemptyset(sigset_t *set)
{
	*set = 0;
	return (0);
}

int
sigfillset(sigset_t *set)
{
	*set = SIGSET_ALL;
	return (0);
}

int
sigaddset(sigset_t *set, int sig)
{
	if (!sig_valid(sig)) {
		errno = EINVAL;
		return (-1);
	}
	*set |= __sigbit(sig);
	return (0);
}

int
sigdelset(sigset_t *set, int sig)
{
	if (!sig_valid(sig)) {
		errno = EINVAL;
		return (-1);
	}
	*set &= ~__sigbit(sig);
	return (0);
}

int
sigismember(const sigset_t *set, int sig)
{
	if (!sig_valid(sig)) {
		errno = EINVAL;
		return (-1);
	}
	return ((*set & __sigbit(sig)) != 0);
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	long r;

	if (set == NULL)
		r = __sm_call(SYS_SIGPROCMASK, SIG_BLOCK, 0, 0, 0, 0);
	else
		r = __sm_call(SYS_SIGPROCMASK, how, *set & SIGSET_ALL, 0, 0,
		    0);
	if (r == -1)
		return (-1);
	if (oset != NULL)
		*oset = (sigset_t)r;
	return (0);
}

int
sigpending(sigset_t *set)
{
	long r;

	if ((r = __sm_call(SYS_SIGPENDING, 0, 0, 0, 0, 0)) == -1)
		return (-1);
	*set = (sigset_t)r;
	return (0);
}

int
kill(pid_t pid, int sig)
{
	return ((int)__sm_call(SYS_KILL, pid, sig, 0, 0, 0));
}

int
raise(int sig)
{
	return (kill(getpid(), sig));
}
