/*
 * Creating processes and user threads: fork, thread creation, the
 * first process, and the pid space.  Process rules: <sys/proc.h>.
 *
 * fork copies the address space copy-on-write (vmspace_fork), the
 * descriptor table (fdcopy: the same open files), credentials, signal
 * handlers and mask, the syscall filter (a restriction survives fork and
 * exec), and gives the child one thread whose registers are the
 * caller's with a zero result.  The child goes on a CPU other than the
 * parent's when there is one (round robin over the others), so a parent
 * and its child run in parallel; threads never move afterwards.
 *
 * Limits: at most maxproc processes (zombies included) exist; fork
 * fails with EAGAIN past that, before anything is allocated, so a fork
 * bomb stops at the limit and the system recovers when its processes
 * are killed and reaped.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/namecache.h>
#include <sys/kern_syscall.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <sys/kernel.h>
#include <machine/cpufunc.h>

MALLOC_DECLARE(M_PROC);

struct lwkt_token proc_token = LWKT_TOKEN_INITIALIZER("proc");
int	maxproc = 96;
volatile int nprocs;			/* [a] */
struct proc *allproc;			/* [proc_token] */
struct proc *initproc;			/* [I] */
static int lastpid;			/* [proc_token] */
static volatile int nextcpu;		/* [a] round robin for new procs */

#define PID_MAX		99999

struct proc *
pfind_locked(int pid)
{
	for (struct proc *p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid == pid)
			return (p);
	return (NULL);
}

/* The next free pid; proc_token held. */
static int
pid_alloc(void)
{
	for (;;) {
		if (++lastpid > PID_MAX)
			lastpid = 2;
		if (pfind_locked(lastpid) == NULL)
			return (lastpid);
	}
}

/*
 * A CPU for a new process or thread: round robin over the running CPUs
 * other than the creator's, so that a parent and its child (a pipe's two
 * ends, a server and its client) always run in parallel when there is
 * more than one CPU.
 */
static int
proc_pick_cpu(void)
{
	int n = __atomic_fetch_add(&nextcpu, 1, __ATOMIC_RELAXED);
	int self = mycpuid;

	if (ncpus == 1)
		return (0);
	n %= ncpus - 1;
	return (n >= self ? n + 1 : n);
}

/*
 * First code of every user thread: pending work, then user mode.  In
 * bench mode (ubench=) the very first entry, init's, prints the boot
 * benchmark: TSC ticks since reset, which under TCG -icount shift=0
 * are guest instructions (firmware, PVH loader and kernel included).
 */
static void
user_thread_start(void *arg)
{
	static bool first = true;
	struct thread *td = curthread;

	userret(td->td_frame);
	if (first && td->td_proc == initproc) {
		first = false;
		if (kern_getarg("ubench") != NULL)
			kprintf("BENCH boot_to_user %lu 1 boot to the first "
			    "user instruction (reset to init)\n", rdtsc());
	}
	cpu_user_return();
}

/*
 * A new user thread of p on cpu, not yet scheduled, linked into p's
 * thread list.  NULL if memory is short.  Thread context.
 */
static struct thread *
proc_thread_alloc(struct proc *p, int cpu)
{
	struct thread *td;

	td = lwkt_create(user_thread_start, NULL, cpu, TDPRI_USER, 0,
	    LWKT_CREATE_NOSCHED, p->p_comm);
	if (td == NULL)
		return (NULL);
	td->td_proc = p;
	td->td_pmap = p->p_vmspace->vm_pmap;
	if (cpu_user_thread_init(td) != 0) {
		td->td_proc = NULL;
		td->td_pmap = NULL;
		lwkt_exit_unstarted(td);
		return (NULL);
	}
	spin_lock(&p->p_spin);
	td->td_tid = ++p->p_nexttid;
	td->td_pnext = p->p_threads;
	p->p_threads = td;
	p->p_nthreads++;
	spin_unlock(&p->p_spin);
	return (td);
}

/* A zeroed process, counted, with pid and links not yet set. */
static struct proc *
proc_alloc(void)
{
	struct proc *p;

	if (__atomic_add_fetch(&nprocs, 1, __ATOMIC_RELAXED) > maxproc) {
		__atomic_sub_fetch(&nprocs, 1, __ATOMIC_RELAXED);
		return (NULL);
	}
	p = kmalloc(sizeof(*p), M_PROC, M_ZERO);
	if (p == NULL) {
		__atomic_sub_fetch(&nprocs, 1, __ATOMIC_RELAXED);
		return (NULL);
	}
	spin_init(&p->p_spin);
	p->p_state = PRS_ACTIVE;
	return (p);
}

void
proc_free(struct proc *p)
{
	if (p->p_fd != NULL)
		fdfree(p->p_fd);
	if (p->p_vmspace != NULL)
		vmspace_free(p->p_vmspace);
	kfree(p, M_PROC);
	__atomic_sub_fetch(&nprocs, 1, __ATOMIC_RELAXED);
}

/* Publish p as a child of parent with a fresh pid. */
static void
proc_link(struct proc *p, struct proc *parent)
{
	lwkt_gettoken(&proc_token);
	p->p_pid = pid_alloc();
	p->p_pptr = parent;
	p->p_ppid = parent->p_pid;
	p->p_sibling = parent->p_children;
	parent->p_children = p;
	p->p_allnext = allproc;
	allproc = p;
	lwkt_reltoken(&proc_token);
}

int
kern_fork(struct thread *td, int *childpid)
{
	struct proc *p1 = td->td_proc, *p2;
	struct thread *td2;
	int error;

	/* A threaded parent: the child has only the calling thread. */
	p2 = proc_alloc();
	if (p2 == NULL)
		return (EAGAIN);
	p2->p_fd = fdcopy(p1);
	if (p2->p_fd == NULL) {
		proc_free(p2);
		return (ENOMEM);
	}
	p2->p_vmspace = vmspace_fork(p1->p_vmspace, &error);
	if (p2->p_vmspace == NULL) {
		proc_free(p2);
		return (error);
	}
	p2->p_cred = p1->p_cred;
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	spin_lock(&p1->p_spin);
	p2->p_sigmask = p1->p_sigmask;
	memcpy(p2->p_sigacts, p1->p_sigacts, sizeof(p2->p_sigacts));
	spin_unlock(&p1->p_spin);
	p2->p_sigrestorer = p1->p_sigrestorer;
	p2->p_filter = p1->p_filter;
	td2 = proc_thread_alloc(p2, proc_pick_cpu());
	if (td2 == NULL) {
		proc_free(p2);
		return (ENOMEM);
	}
	cpu_fork_regs(td2, td);
	proc_link(p2, p1);
	*childpid = p2->p_pid;
	lwkt_schedule(td2);
	return (0);
}

int
kern_thread_create(struct proc *p, uint64_t entry, uint64_t stack,
    uint64_t arg, int *tidp)
{
	struct thread *td;

	if (entry < VM_MIN_USER || entry >= VM_MAX_USER ||
	    stack >= VM_MAX_USER || stack < VM_MIN_USER)
		return (EINVAL);
	if (__atomic_load_n(&p->p_flags, __ATOMIC_ACQUIRE) & P_WEXIT)
		return (EAGAIN);
	td = proc_thread_alloc(p, proc_pick_cpu());
	if (td == NULL)
		return (ENOMEM);
	cpu_thread_regs(td, entry, stack, arg);
	*tidp = td->td_tid;
	lwkt_schedule(td);
	return (0);
}

/*
 * Open /dev/console (in the caller's table, proc0's) and install it as
 * descriptors 0, 1 and 2 of p, whose table is empty.
 */
static int
proc_give_console(struct proc *p)
{
	struct file *fp;
	int fd, nfd, error;

	error = kern_open("/dev/console", O_RDWR, 0, &fd);
	if (error != 0)
		return (error);
	error = fget(curproc, fd, &fp);
	(void)kern_close(fd);
	if (error != 0)
		return (error);
	for (int i = 0; i < 3 && error == 0; i++) {
		error = fdalloc(p, fhold(fp), 0, &nfd);
		if (error != 0)
			fdrop(fp);
	}
	fdrop(fp);
	return (error);
}

/*
 * A process child of proc0 with a fresh address space, the console as
 * descriptors 0-2 and the caller's directories, running path.  Used for
 * init and by kernel tests (kern_spawn).  Thread context.
 */
static int
proc_spawn(const char *path, char *const argv[], char *const envp[],
    bool isinit, int *pidp)
{
	struct namecache *cdir, *rdir;
	struct proc *p;
	struct thread *td;
	size_t argc = 0, envc = 0;
	int error;

	while (argv != NULL && argv[argc] != NULL)
		argc++;
	while (envp != NULL && envp[envc] != NULL)
		envc++;
	p = proc_alloc();
	if (p == NULL)
		return (EAGAIN);
	cdir = fd_getcdir(curproc);
	rdir = fd_getrdir(curproc);
	p->p_fd = fdinit(cdir, rdir);
	if (cdir != NULL)
		cache_drop(cdir);
	if (rdir != NULL)
		cache_drop(rdir);
	p->p_vmspace = vmspace_alloc();
	if (p->p_fd == NULL || p->p_vmspace == NULL) {
		proc_free(p);
		return (ENOMEM);
	}
	p->p_cred = proc0.p_cred;
	strlcpy(p->p_comm, path, sizeof(p->p_comm));
	error = proc_give_console(p);
	if (error != 0) {
		proc_free(p);
		return (error);
	}
	td = proc_thread_alloc(p, isinit ? 0 : proc_pick_cpu());
	if (td == NULL) {
		proc_free(p);
		return (ENOMEM);
	}
	error = exec_load_into(td, path, argv, argc, envp, envc);
	if (error != 0) {
		spin_lock(&p->p_spin);
		p->p_threads = NULL;
		p->p_nthreads = 0;
		spin_unlock(&p->p_spin);
		td->td_proc = NULL;
		td->td_pmap = NULL;
		lwkt_exit_unstarted(td);
		proc_free(p);
		return (error);
	}
	proc_link(p, &proc0);
	if (isinit)
		initproc = p;
	*pidp = p->p_pid;
	lwkt_schedule(td);
	return (0);
}

int
proc_start_init(const char *path, char *const argv[])
{
	static char *const envp[] = { "PATH=/bin:/sbin", "HOME=/",
	    "TERM=dumb", NULL };
	int pid, error;

	error = proc_spawn(path, argv, envp, true, &pid);
	return (error != 0 ? -error : pid);
}

int
kern_spawn(const char *path, char *const argv[], char *const envp[],
    int *pidp)
{
	return (proc_spawn(path, argv, envp, false, pidp));
}

int
sys_fork(struct sysmsg *m, int64_t *resp)
{
	int pid = 0, error;

	error = kern_fork(curthread, &pid);
	*resp = pid;
	return (error);
}

int
sys_thread_create(struct sysmsg *m, int64_t *resp)
{
	int tid = 0, error;

	error = kern_thread_create(curproc, m->sm_arg[0], m->sm_arg[1],
	    m->sm_arg[2], &tid);
	*resp = tid;
	return (error);
}

int
sys_gettid(struct sysmsg *m, int64_t *resp)
{
	*resp = curthread->td_tid;
	return (0);
}
