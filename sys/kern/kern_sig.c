/*
 * Signals, and the checks every return to user mode makes (userret).
 *
 * Model: signals are per process.  A sent signal sets a bit in
 * p_siglist (bit 1 << sig) and pokes every thread of the process; the
 * first thread to pass through userret with the signal not blocked in
 * p_sigmask takes it: the default action (terminate, or ignore for
 * SIGCHLD and SIGCONT), ignore, or a handler, run on the thread's user
 * stack with the frame of <sys/sysmsg.h> and returning through the
 * process's restorer (SYS_SIGSETUP) into SYS_SIGRETURN.  SIGKILL and
 * SIGSTOP can be neither caught, ignored nor blocked; SIGSTOP
 * terminates (there is no job control yet).
 *
 * Faults (trapsignal): the signal is delivered to the faulting thread
 * at once; if it is blocked or ignored, or no handler can be set up
 * (bad stack), the process dies of it, so a fault can never loop.
 *
 * Locking: p_spin for p_siglist, p_sigmask and p_sigacts.  The mask is
 * per process (documented limitation for threaded programs).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>

#define SIGBIT(sig)	(1UL << (sig))
#define SIG_CANTMASK	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SIG_VALIDMASK	(((1UL << NSIG) - 1) & ~1UL)

/* Default action ignores the signal. */
static bool
sig_default_ignores(int sig)
{
	return (sig == SIGCHLD || sig == SIGCONT);
}

/* Would sig be thrown away on arrival?  p_spin held. */
static bool
sig_discarded(struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts[sig].sa_handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return (false);
	return (h == SIG_IGN_VAL || (h == SIG_DFL_VAL &&
	    sig_default_ignores(sig)));
}

void
psignal(struct proc *p, int sig)
{
	spin_lock(&p->p_spin);
	if (p->p_state == PRS_ACTIVE && !sig_discarded(p, sig)) {
		__atomic_or_fetch(&p->p_siglist, SIGBIT(sig),
		    __ATOMIC_SEQ_CST);
		for (struct thread *t = p->p_threads; t != NULL;
		    t = t->td_pnext)
			tsleep_intr(t);
	}
	spin_unlock(&p->p_spin);
}

void
trapsignal(struct thread *td, int sig)
{
	struct proc *p = td->td_proc;
	bool fatal;

	spin_lock(&p->p_spin);
	fatal = (p->p_sigmask & SIGBIT(sig)) != 0 ||
	    p->p_sigacts[sig].sa_handler == SIG_IGN_VAL ||
	    p->p_sigacts[sig].sa_handler == SIG_DFL_VAL;
	if (!fatal)
		__atomic_or_fetch(&p->p_siglist, SIGBIT(sig),
		    __ATOMIC_SEQ_CST);
	spin_unlock(&p->p_spin);
	if (fatal)
		proc_exit(_W_SIGNALED(sig));
}

/*
 * Take one deliverable signal and act on it.  Returns true if a signal
 * was taken (the caller looks again), false if none is pending.
 */
static bool
postsig(struct thread *td, struct proc *p)
{
	uint64_t pend, oldmask, handler;
	struct sigact sa;
	int sig;

	spin_lock(&p->p_spin);
	pend = p->p_siglist & ~p->p_sigmask;
	if (pend == 0) {
		spin_unlock(&p->p_spin);
		return (false);
	}
	sig = __builtin_ctzl(pend);
	__atomic_and_fetch(&p->p_siglist, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
	sa = p->p_sigacts[sig];
	handler = sa.sa_handler;
	if (sig == SIGKILL || sig == SIGSTOP)
		handler = SIG_DFL_VAL;
	if (handler == SIG_IGN_VAL ||
	    (handler == SIG_DFL_VAL && sig_default_ignores(sig))) {
		spin_unlock(&p->p_spin);
		return (true);
	}
	if (handler == SIG_DFL_VAL || p->p_sigrestorer == 0) {
		spin_unlock(&p->p_spin);
		proc_exit(_W_SIGNALED(sig));
	}
	oldmask = p->p_sigmask;
	p->p_sigmask |= sa.sa_mask;
	if ((sa.sa_flags & SA_NODEFER) == 0)
		p->p_sigmask |= SIGBIT(sig);
	p->p_sigmask &= ~SIG_CANTMASK;
	if (sa.sa_flags & SA_RESETHAND)
		p->p_sigacts[sig].sa_handler = SIG_DFL_VAL;
	spin_unlock(&p->p_spin);
	if (cpu_sendsig(td, sig, handler, p->p_sigrestorer, oldmask) != 0)
		proc_exit(_W_SIGNALED(SIGSEGV));	/* unusable stack */
	return (true);
}

static void userret_slow(struct thread *td, struct proc *p);

void
userret(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct globaldata *gd;

	if (p == NULL)
		return;
	/* The common case: nothing pending, nobody leaving. */
	if (__predict_false((__atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE) &
	    (P_WEXIT | P_SINGLE)) != 0 ||
	    (__atomic_load_n(&p->p_siglist, __ATOMIC_ACQUIRE) &
	    ~p->p_sigmask) != 0))
		userret_slow(td, p);
	/*
	 * Scheduling: a runnable thread of higher priority (a kernel
	 * thread woken while we ran in user mode) goes first at once;
	 * threads of our own priority share the CPU tick by tick.
	 */
	gd = mycpu;
	if (__predict_false((gd->gd_runqmask >> (td->td_pri + 1)) != 0)) {
		lwkt_yield();
	} else if (__predict_false(gd->gd_ticks != gd->gd_uslice)) {
		gd->gd_uslice = gd->gd_ticks;
		if (td->td_next != td && (td->td_flags & TDF_RUNQ))
			lwkt_yield();
	}
}

/* userret's work when something is pending: exit, signals. */
static void
userret_slow(struct thread *td, struct proc *p)
{
	for (;;) {
		int fl = __atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE);

		if ((fl & P_WEXIT) ||
		    ((fl & P_SINGLE) && p->p_single != td))
			thread_exit_user();
		if ((__atomic_load_n(&p->p_siglist, __ATOMIC_ACQUIRE) &
		    ~p->p_sigmask) == 0)
			break;
		/* One handler frame per return; others wait for the next. */
		if (postsig(td, p) &&
		    (__atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE) &
		    P_WEXIT) == 0)
			break;
	}
}

int
kern_kill(int pid, int sig)
{
	struct proc *p, *self = curproc;
	int error = 0, n = 0;

	if (sig < 0 || sig >= NSIG)
		return (EINVAL);
	lwkt_gettoken(&proc_token);
	if (pid > 0) {
		p = pfind_locked(pid);
		if (p == NULL || p->p_state != PRS_ACTIVE)
			error = ESRCH;
		else if (self->p_cred.cr_uid != 0 &&
		    self->p_cred.cr_uid != p->p_cred.cr_uid)
			error = EPERM;
		else if (sig != 0)
			psignal(p, sig);
	} else if (pid == -1) {
		/* Everyone but init and the caller. */
		for (p = allproc; p != NULL; p = p->p_allnext) {
			if (p == self || p == initproc ||
			    p->p_state != PRS_ACTIVE)
				continue;
			if (self->p_cred.cr_uid != 0 &&
			    self->p_cred.cr_uid != p->p_cred.cr_uid)
				continue;
			n++;
			if (sig != 0)
				psignal(p, sig);
		}
		if (n == 0)
			error = ESRCH;
	} else {
		error = EINVAL;		/* no process groups yet */
	}
	lwkt_reltoken(&proc_token);
	return (error);
}

int
sys_kill(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	if (m->sm_arg[1] >= NSIG)
		return (EINVAL);
	if ((int64_t)m->sm_arg[0] != (int)m->sm_arg[0])
		return (ESRCH);		/* no such pid, whatever it aliases */
	return (kern_kill((int)m->sm_arg[0], (int)m->sm_arg[1]));
}

int
sys_sigaction(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;
	int sig = (int)m->sm_arg[0];
	uint64_t handler = m->sm_arg[1], old[3];
	struct sigact *sa;
	bool set = handler != (uint64_t)-1;

	if (sig <= 0 || sig >= NSIG || m->sm_arg[0] >= NSIG)
		return (EINVAL);
	if (set && (sig == SIGKILL || sig == SIGSTOP) &&
	    handler != SIG_DFL_VAL)
		return (EINVAL);
	if (set && handler > SIG_IGN_VAL && handler >= 0x00007ffffffff000UL)
		return (EINVAL);
	if (m->sm_arg[3] & ~(uint64_t)(SA_RESTART | SA_NODEFER |
	    SA_RESETHAND))
		return (EINVAL);
	spin_lock(&p->p_spin);
	sa = &p->p_sigacts[sig];
	old[0] = sa->sa_handler;
	old[1] = sa->sa_mask;
	old[2] = (uint64_t)sa->sa_flags;
	if (set) {
		sa->sa_handler = handler;
		sa->sa_mask = m->sm_arg[2] & SIG_VALIDMASK & ~SIG_CANTMASK;
		sa->sa_flags = (int)m->sm_arg[3];
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (sig_discarded(p, sig))
			__atomic_and_fetch(&p->p_siglist, ~SIGBIT(sig),
			    __ATOMIC_SEQ_CST);
	}
	spin_unlock(&p->p_spin);
	*resp = 0;
	if (m->sm_arg[4] != 0)
		return (copyout(old, (void *)m->sm_arg[4], sizeof(old)));
	return (0);
}

int
sys_sigprocmask(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;
	uint64_t set = m->sm_arg[1] & SIG_VALIDMASK & ~SIG_CANTMASK;

	spin_lock(&p->p_spin);
	*resp = (int64_t)p->p_sigmask;
	switch (m->sm_arg[0]) {
	case SIG_BLOCK:
		p->p_sigmask |= set;
		break;
	case SIG_UNBLOCK:
		p->p_sigmask &= ~set;
		break;
	case SIG_SETMASK:
		p->p_sigmask = set;
		break;
	default:
		spin_unlock(&p->p_spin);
		return (EINVAL);
	}
	spin_unlock(&p->p_spin);
	return (0);
}

int
sys_sigpending(struct sysmsg *m, int64_t *resp)
{
	*resp = (int64_t)__atomic_load_n(&curproc->p_siglist,
	    __ATOMIC_ACQUIRE);
	return (0);
}

int
sys_sigsetup(struct sysmsg *m, int64_t *resp)
{
	if (m->sm_arg[0] < 0x10000 || m->sm_arg[0] >= 0x00007ffffffff000UL)
		return (EINVAL);
	curproc->p_sigrestorer = m->sm_arg[0];
	*resp = 0;
	return (0);
}

int
sys_sigreturn(struct sysmsg *m, int64_t *resp)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	uint64_t mask;
	int error;

	error = cpu_sigreturn(td, m->sm_arg[0], &mask);
	if (error != 0)
		return (error);
	spin_lock(&p->p_spin);
	p->p_sigmask = mask & SIG_VALIDMASK & ~SIG_CANTMASK;
	spin_unlock(&p->p_spin);
	return (EJUSTRETURN);
}
