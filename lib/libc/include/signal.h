/*
 * Signals.  Numbers, SIG_BLOCK/UNBLOCK/SETMASK and SA_* are the
 * kernel's (<sys/sysmsg.h>).
 *
 * SIGNAL SET CONVENTION (the kernel follows it too): sigset_t is a
 * 64-bit mask in which signal `sig' is bit `sig', i.e. (1ULL << sig).
 * Bit 0 is unused and always clear; bits >= NSIG are never set by libc.
 * This same mask travels unchanged in SYS_SIGACTION arg2 (sa_mask),
 * SYS_SIGPROCMASK arg1 and its result, SYS_SIGPENDING's result and
 * struct sigframe's sf_mask.
 *
 * Handlers: SIG_DFL and SIG_IGN are sent as handler values 0 and 1
 * (SIG_DFL_VAL, SIG_IGN_VAL); any other value is the handler address,
 * except all ones (SIG_ERR), which asks SYS_SIGACTION to change nothing
 * and only report the old action (sigaction(sig, NULL, &old)).
 * Before the first SYS_SIGACTION libc registers its restorer
 * (__sigreturn_tramp) with SYS_SIGSETUP.
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <sys/types.h>
#include <sys/sysmsg.h>	/* SIG* numbers, NSIG, SIG_BLOCK.., SA_* */

typedef uint64_t	sigset_t;
typedef int		sig_atomic_t;
typedef void		(*sighandler_t)(int);

#define SIG_DFL		((void (*)(int))0)
#define SIG_IGN		((void (*)(int))1)
#define SIG_ERR		((void (*)(int))-1)

/* Bit of signal sig in a sigset_t. */
#define __sigbit(sig)	((sigset_t)1 << (sig))

struct sigaction {
	void		(*sa_handler)(int);
	sigset_t	sa_mask;	/* also blocked while handling */
	int		sa_flags;	/* SA_RESTART, SA_NODEFER, ... */
};

void	(*signal(int, void (*)(int)))(int);
int	sigaction(int, const struct sigaction *, struct sigaction *);
int	sigemptyset(sigset_t *);
int	sigfillset(sigset_t *);
int	sigaddset(sigset_t *, int);
int	sigdelset(sigset_t *, int);
int	sigismember(const sigset_t *, int);
int	sigprocmask(int, const sigset_t *, sigset_t *);
int	sigpending(sigset_t *);
int	kill(pid_t, int);
int	raise(int);

#endif /* !_SIGNAL_H_ */
