/*
 * Processes, as far as the file API needs them.
 *
 * A process (struct proc) is for now a kernel object that groups what a
 * set of threads shares for file access: a descriptor table with its
 * current and root directory (struct filedesc, sys/kern/kern_descrip.c)
 * and credentials.  A thread points to its process through td_proc;
 * every thread whose td_proc is NULL (interrupt threads, service
 * threads of filesystems, the boot thread running the tests) acts as
 * proc0, the kernel's own process.  User mode (address spaces, fork,
 * exec) will build on this object.
 *
 * Guarantees and costs:
 *  - curproc is one load and a test: no lock, no reference.  A thread's
 *    td_proc is set before the thread first runs and never changes, and
 *    a process outlives its threads (kproc_free's contract), so the
 *    pointer stays valid for as long as the thread may use it.
 *  - kproc_alloc copies the parent's credentials and takes new
 *    references on its current and root directory; the new table starts
 *    empty (no descriptors are inherited: that is fork's business).
 *  - proc0 is static; its table is made by proc0_init once the root
 *    filesystem exists.  Before that, proc0 has no table: path lookups
 *    start at the global root (fd_getcdir) and descriptor operations
 *    fail with EBADF.
 *
 * Locking: p_pid and p_fd are immutable once the process is published;
 * p_cred and p_comm are written only by a thread of the process itself
 * (or by its creator before any thread runs in it).  The table has its
 * own spin lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/filedesc.h>
#include <sys/namecache.h>

MALLOC_DEFINE(M_PROC, "proc", "process objects");

struct proc proc0 = {
	.p_pid = 0,
	.p_pptr = NULL,
	.p_fd = NULL,
	.p_cred = { .cr_uid = 0, .cr_gid = 0 },
	.p_comm = "kernel",
};

static volatile int proc_nextpid = 1;	/* [a] next pid to hand out */

/*
 * Give proc0 its descriptor table, rooted at the global root.  Called
 * once at boot, in thread context, after the root filesystem is mounted
 * (rootncp exists).
 */
void
proc0_init(void)
{
	KASSERT(rootncp != NULL, ("proc0_init: no root filesystem yet"));
	KASSERT(proc0.p_fd == NULL, ("proc0_init: called twice"));
	proc0.p_fd = fdinit(rootncp, rootncp);
	if (proc0.p_fd == NULL)
		panic("proc0_init: no memory for proc0's descriptor table");
}

/*
 * A new process object whose parent is parent (proc0 if NULL): the
 * parent's credentials, an empty descriptor table, the parent's current
 * and root directory (new references).  NULL if memory is short.  Thread
 * context; does not block.
 *
 * The caller points threads at it (td_proc, set before they first run)
 * and eventually calls kproc_free once none of them runs any more.
 */
struct proc *
kproc_alloc(struct proc *parent, const char *name)
{
	struct namecache *cdir, *rdir;
	struct proc *p;

	if (parent == NULL)
		parent = &proc0;
	p = kmalloc(sizeof(*p), M_PROC, M_ZERO);
	if (p == NULL)
		return (NULL);
	cdir = fd_getcdir(parent);
	rdir = fd_getrdir(parent);
	p->p_fd = fdinit(cdir, rdir);
	if (cdir != NULL)
		cache_drop(cdir);
	if (rdir != NULL)
		cache_drop(rdir);
	if (p->p_fd == NULL) {
		kfree(p, M_PROC);
		return (NULL);
	}
	p->p_pid = __atomic_fetch_add(&proc_nextpid, 1, __ATOMIC_RELAXED);
	p->p_pptr = parent;
	p->p_cred = parent->p_cred;
	strlcpy(p->p_comm, name != NULL ? name : "", sizeof(p->p_comm));
	return (p);
}

/*
 * Close every descriptor of p, release its directories and free it.
 * No thread may run in p any more (or start to).  May block (the last
 * close of a file releases its vnode).
 */
void
kproc_free(struct proc *p)
{
	KASSERT(p != &proc0, ("kproc_free: proc0"));
	KASSERT(p != curthread->td_proc, ("kproc_free: pid %d frees itself",
	    p->p_pid));
	fdfree(p->p_fd);
	p->p_fd = NULL;
	kfree(p, M_PROC);
}

bool
thread_intr_pending(struct thread *td)
{
	struct proc *p = td->td_proc;

	if (td->td_uflags & TDU_ABORT)
		return (true);
	if (p == NULL)
		return (false);
	if (__atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE) & P_WEXIT)
		return (true);
	if ((__atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE) & P_SINGLE) &&
	    p->p_single != td)
		return (true);
	return ((__atomic_load_n(&p->p_siglist, __ATOMIC_ACQUIRE) &
	    ~p->p_sigmask) != 0);
}
