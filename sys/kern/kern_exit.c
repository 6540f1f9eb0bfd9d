/*
 * Ending processes and threads, and waiting for children.
 *
 * Exit is begun by any thread (SYS_EXIT, a fatal signal): it marks the
 * process P_WEXIT with the wait status and pokes every other thread
 * (tsleep_intr: an interruptible sleep ends, a thread in user mode is
 * interrupted); each one leaves at its next userret.  The last thread
 * out finishes the job in its own context: async messages aborted and
 * drained, descriptors closed, address space freed (after unloading it
 * from this CPU), children handed to init, the process made a zombie
 * and its parent told (SIGCHLD, a wakeup on p_children).  wait4 in the
 * parent reaps the zombie: unlinks it and frees the struct.
 *
 * Rule: once the exiting thread releases proc_token with the process a
 * zombie, it touches the process no more: the parent may free it at
 * once.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/filedesc.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>

void
proc_exit(int xstat)
{
	struct proc *p = curproc;

	spin_lock(&p->p_spin);
	if ((p->p_flags & P_WEXIT) == 0) {
		__atomic_or_fetch(&p->p_flags, P_WEXIT, __ATOMIC_SEQ_CST);
		p->p_xstat = xstat;
	}
	for (struct thread *t = p->p_threads; t != NULL; t = t->td_pnext)
		if (t != curthread)
			tsleep_intr(t);
	spin_unlock(&p->p_spin);
	thread_exit_user();
}

/* Hand p's children to init (proc0 when there is none); proc_token held. */
static void
proc_reparent_children(struct proc *p)
{
	struct proc *np = initproc != NULL && initproc != p ? initproc :
	    &proc0;
	struct proc *c, *next;
	bool zombie = false;

	for (c = p->p_children; c != NULL; c = next) {
		next = c->p_sibling;
		c->p_pptr = np;
		__atomic_store_n(&c->p_ppid, np->p_pid, __ATOMIC_RELAXED);
		c->p_sibling = np->p_children;
		np->p_children = c;
		zombie |= c->p_state == PRS_ZOMBIE;
	}
	p->p_children = NULL;
	if (zombie)
		wakeup(&np->p_children);
}

/* The last thread of p: release everything but the struct. */
static void
proc_finish(struct proc *p)
{
	struct proc *pp;
	struct vmspace *vm;

	sysmsg_async_drain(p);
	fdfree(p->p_fd);
	p->p_fd = NULL;
	/* Unlinked under proc_token: ps reads it under the token. */
	lwkt_gettoken(&proc_token);
	vm = p->p_vmspace;
	p->p_vmspace = NULL;
	lwkt_reltoken(&proc_token);
	vmspace_free(vm);
	if (p == initproc)
		panic("init died (wait status %#x)", p->p_xstat);
	lwkt_gettoken(&proc_token);
	proc_reparent_children(p);
	p->p_state = PRS_ZOMBIE;
	pp = p->p_pptr;
	if (pp != &proc0)
		psignal(pp, SIGCHLD);
	wakeup(&pp->p_children);
	lwkt_reltoken(&proc_token);
	/* p may be gone from here on. */
}

void
thread_exit_user(void)
{
	struct thread *td = curthread, **tp;
	struct proc *p = td->td_proc;
	int left;

	/*
	 * Off the address space before anyone can learn we are gone: the
	 * last thread frees it, and a switch back to us must not load it.
	 */
	crit_enter();
	pmap_unload_self();
	td->td_pmap = NULL;
	crit_exit();
	spin_lock(&p->p_spin);
	for (tp = &p->p_threads; *tp != td; tp = &(*tp)->td_pnext)
		;
	*tp = td->td_pnext;
	left = --p->p_nthreads;
	if (left == 1 && (p->p_flags & P_SINGLE))
		wakeup(&p->p_single);
	if (left == 0 && (p->p_flags & P_WEXIT) == 0) {
		/* The last thread leaving ends the process: status 0. */
		__atomic_or_fetch(&p->p_flags, P_WEXIT, __ATOMIC_SEQ_CST);
		p->p_xstat = 0;
	}
	spin_unlock(&p->p_spin);
	if (left == 0)
		proc_finish(p);
	/* The thread's own memory goes when it has switched out. */
	td->td_proc = NULL;
	lwkt_exit();
}

int
proc_single_thread(void)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	int error = 0;

	spin_lock(&p->p_spin);
	if (p->p_nthreads == 1) {
		spin_unlock(&p->p_spin);
		return (0);
	}
	if (p->p_flags & (P_SINGLE | P_WEXIT)) {
		spin_unlock(&p->p_spin);
		return (EINTR);		/* someone else is ending us */
	}
	p->p_single = td;
	__atomic_or_fetch(&p->p_flags, P_SINGLE, __ATOMIC_SEQ_CST);
	for (struct thread *t = p->p_threads; t != NULL; t = t->td_pnext)
		if (t != td)
			tsleep_intr(t);
	while (p->p_nthreads > 1) {
		tsleep_interlock(&p->p_single);
		spin_unlock(&p->p_spin);
		/* Not PCATCH: the threads are leaving, nothing can stop it. */
		tsleep(&p->p_single, PINTERLOCKED, "single", 0);
		spin_lock(&p->p_spin);
	}
	__atomic_and_fetch(&p->p_flags, ~P_SINGLE, __ATOMIC_SEQ_CST);
	p->p_single = NULL;
	if (p->p_flags & P_WEXIT)
		error = EINTR;
	spin_unlock(&p->p_spin);
	return (error);
}

int
kern_wait4(int pid, int *statusp, int options, int *respid)
{
	struct proc *p = curproc, *c, **cp, **ap;
	bool found, intr = false;
	int error;

	if ((options & ~WNOHANG) != 0)
		return (EINVAL);
	for (;;) {
		lwkt_gettoken(&proc_token);
		found = false;
		for (cp = &p->p_children; (c = *cp) != NULL;
		    cp = &c->p_sibling) {
			if (pid > 0 && c->p_pid != pid)
				continue;
			found = true;
			if (c->p_state == PRS_ZOMBIE)
				break;
		}
		if (c != NULL) {
			*cp = c->p_sibling;
			for (ap = &allproc; *ap != c; ap = &(*ap)->p_allnext)
				;
			*ap = c->p_allnext;
			lwkt_reltoken(&proc_token);
			*statusp = c->p_xstat;
			*respid = c->p_pid;
			proc_free(c);
			return (0);
		}
		if (!found) {
			lwkt_reltoken(&proc_token);
			return (ECHILD);
		}
		if (options & WNOHANG) {
			lwkt_reltoken(&proc_token);
			*respid = 0;
			return (0);
		}
		if (intr) {
			/* Interrupted, and still nothing to reap. */
			lwkt_reltoken(&proc_token);
			return (EINTR);
		}
		tsleep_interlock(&p->p_children);
		lwkt_reltoken(&proc_token);
		error = tsleep(&p->p_children, PINTERLOCKED | PCATCH, "wait",
		    0);
		/* A child's exit may both wake and interrupt us: look again. */
		if (error == EINTR)
			intr = true;
	}
}

int
kern_spawn_wait(int pid, int *statusp)
{
	int rpid;

	return (kern_wait4(pid, statusp, 0, &rpid));
}

int
sys_exit(struct sysmsg *m, int64_t *resp)
{
	proc_exit(_W_EXITED((int)m->sm_arg[0]));
}

int
sys_thread_exit(struct sysmsg *m, int64_t *resp)
{
	thread_exit_user();
}

int
sys_wait4(struct sysmsg *m, int64_t *resp)
{
	int status = 0, rpid = 0, error;

	if ((int64_t)m->sm_arg[0] != (int)m->sm_arg[0])
		return (ECHILD);
	if (m->sm_arg[2] & ~(uint64_t)WNOHANG)
		return (EINVAL);
	error = kern_wait4((int)m->sm_arg[0], &status, (int)m->sm_arg[2],
	    &rpid);
	if (error == 0 && rpid != 0 && m->sm_arg[1] != 0)
		error = copyout(&status, (void *)m->sm_arg[1], sizeof(status));
	*resp = rpid;
	return (error);
}
