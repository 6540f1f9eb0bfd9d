/*
 * System-call messages: the four primitives, the command table, the
 * filter and asynchronous messages.  The ABI is <sys/sysmsg.h>; the
 * prose is docs/syscalls.md.
 *
 * One path.  Every command is a handler that unpacks the kernel's copy
 * of the message, copies in, and calls the in-kernel API (kern_*) that
 * kernel code uses too.  SYSP_DOMSG runs it in the calling thread (the
 * port acts at once, like a putport that completes synchronously);
 * SYSP_SENDMSG gives it to a worker thread of the process and returns a
 * handle (the port queued it: EASYNC in LWKT terms); SYSP_WAITMSG
 * collects replies in any order; SYSP_ABORTMSG interrupts a worker's
 * blocking operation (it ends with EINTR).
 *
 * Check before acting: the message is copied in once (a concurrent
 * rewrite by another thread changes nothing the kernel already read),
 * then its size, flags and command are validated, then the filter is
 * consulted, and only then does a handler run.
 *
 * Async messages live on the process's p_async list from SENDMSG until
 * WAITMSG collects them; a worker holds no reference of its own: the
 * process cannot finish exiting before every worker is done
 * (sysmsg_async_drain), so the worker's process and message stay valid.
 * Replies go only to the list of the process that sent the message; a
 * handle is looked up in the caller's own list, so another process's
 * handle is simply ENOENT.
 *
 * Locking: p_spin for the list and each message's km_done/km_td/
 * km_result; the worker owns km_msg.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/fcntl.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/vm_map.h>
#include <sys/pmap_user.h>

MALLOC_DEFINE(M_SYSMSG, "sysmsg", "asynchronous system-call messages");

static volatile int sysmsg_async_total;		/* [a] */

#define S(name, cls, fl)	{ sys_##name, SMC_##cls, fl }

static const struct sysent sysent[SYS_MAXCMD + 1] = {
	[SYS_GETPID] = S(getpid, BASIC, 0),
	[SYS_GETPPID] = S(getppid, BASIC, 0),
	[SYS_EXIT] = S(exit, BASIC, SYF_NOASYNC),
	[SYS_FORK] = S(fork, FORK, SYF_NOASYNC),
	[SYS_EXECVE] = S(execve, EXEC, SYF_NOASYNC),
	[SYS_WAIT4] = S(wait4, BASIC, 0),
	[SYS_KILL] = S(kill, KILL, 0),
	[SYS_SIGACTION] = S(sigaction, BASIC, 0),
	[SYS_SIGPROCMASK] = S(sigprocmask, BASIC, 0),
	[SYS_SIGRETURN] = S(sigreturn, BASIC, SYF_NOASYNC),
	[SYS_SIGSETUP] = S(sigsetup, BASIC, 0),
	[SYS_SIGPENDING] = S(sigpending, BASIC, 0),
	[SYS_OPEN] = S(open, FSREAD, 0),
	[SYS_CLOSE] = S(close, BASIC, 0),
	[SYS_READ] = S(read, FSREAD, 0),
	[SYS_WRITE] = S(write, FSWRITE, 0),
	[SYS_PREAD] = S(pread, FSREAD, 0),
	[SYS_PWRITE] = S(pwrite, FSWRITE, 0),
	[SYS_LSEEK] = S(lseek, FSREAD, 0),
	[SYS_STAT] = S(stat, FSREAD, 0),
	[SYS_FSTAT] = S(fstat, FSREAD, 0),
	[SYS_MKDIR] = S(mkdir, FSCREATE, 0),
	[SYS_RMDIR] = S(rmdir, FSCREATE, 0),
	[SYS_UNLINK] = S(unlink, FSCREATE, 0),
	[SYS_RENAME] = S(rename, FSCREATE, 0),
	[SYS_LINK] = S(link, FSCREATE, 0),
	[SYS_SYMLINK] = S(symlink, FSCREATE, 0),
	[SYS_READLINK] = S(readlink, FSREAD, 0),
	[SYS_GETDENTS] = S(getdents, FSREAD, 0),
	[SYS_CHDIR] = S(chdir, FSREAD, 0),
	[SYS_FCHDIR] = S(fchdir, FSREAD, 0),
	[SYS_GETCWD] = S(getcwd, FSREAD, 0),
	[SYS_DUP] = S(dup, BASIC, 0),
	[SYS_DUP2] = S(dup2, BASIC, 0),
	[SYS_PIPE] = S(pipe, PIPE, 0),
	[SYS_FCNTL] = S(fcntl, BASIC, 0),
	[SYS_MMAP] = S(mmap, MEM, 0),
	[SYS_MUNMAP] = S(munmap, MEM, 0),
	[SYS_MPROTECT] = S(mprotect, MEM, 0),
	[SYS_BRK] = S(brk, MEM, 0),
	[SYS_CLOCK_GETTIME] = S(clock_gettime, BASIC, 0),
	[SYS_NANOSLEEP] = S(nanosleep, BASIC, 0),
	[SYS_UNAME] = S(uname, INFO, 0),
	[SYS_PSINFO] = S(psinfo, INFO, 0),
	[SYS_FILTER] = S(filter, BASIC, 0),
	[SYS_FILTERSTAT] = S(filterstat, BASIC, 0),
	[SYS_THREAD_CREATE] = S(thread_create, FORK, SYF_NOASYNC),
	[SYS_THREAD_EXIT] = S(thread_exit, BASIC, SYF_NOASYNC),
	[SYS_GETTID] = S(gettid, BASIC, 0),
	[SYS_MOUNT] = S(mount, ADMIN, 0),
	[SYS_UNMOUNT] = S(unmount, ADMIN, 0),
	[SYS_REBOOT] = S(reboot, ADMIN, 0),
	[SYS_CHMOD] = S(chmod, FSCREATE, 0),
	[SYS_TRUNCATE] = S(truncate, FSWRITE, 0),
	[SYS_FTRUNCATE] = S(ftruncate, FSWRITE, 0),
	[SYS_NULL] = S(null, BASIC, 0),
	[SYS_SETUID] = S(setuid, ADMIN, 0),
	[SYS_GETUID] = S(getuid, BASIC, 0),
};

/* The classes a message belongs to (an open may be several). */
static uint32_t
sysmsg_class(const struct sysmsg *m)
{
	uint32_t cls = sysent[m->sm_cmd].sy_class;

	if (m->sm_cmd == SYS_OPEN) {
		int fl = (int)m->sm_arg[1];

		cls = 0;
		if ((fl & O_ACCMODE) != O_WRONLY)
			cls |= SMC_FSREAD;
		if ((fl & O_ACCMODE) != O_RDONLY || (fl & O_TRUNC))
			cls |= SMC_FSWRITE;
		if (fl & O_CREAT)
			cls |= SMC_FSCREATE;
	} else if (m->sm_cmd == SYS_KILL &&
	    (int64_t)m->sm_arg[0] == curproc->p_pid) {
		cls = SMC_BASIC;
	}
	return (cls);
}

/*
 * Copy in and validate the message at uaddr into *m.  0, or the errno
 * the primitive fails with (EFAULT, EINVAL, ENOSYS, EPERM).  A refusal
 * by the filter is counted.
 */
static int
sysmsg_fetch(uint64_t uaddr, struct sysmsg *m)
{
	struct proc *p = curproc;
	int error;

	error = copyin((const void *)uaddr, m, sizeof(*m));
	if (error != 0)
		return (error);
	if (m->sm_size != sizeof(*m) || m->sm_flags != 0)
		return (EINVAL);
	if (m->sm_cmd > SYS_MAXCMD || sysent[m->sm_cmd].sy_call == NULL)
		return (ENOSYS);
	if (sysmsg_class(m) & p->p_filter) {
		__atomic_add_fetch(&p->p_refused, 1, __ATOMIC_RELAXED);
		return (EPERM);
	}
	return (0);
}

/* --- asynchronous messages --- */

/* Worker thread: run one message, post its reply, end. */
static void
sysmsg_worker(void *arg)
{
	struct ksysmsg *km = arg;
	struct proc *p = km->km_proc;
	int64_t res = 0;
	int error;

	error = sysent[km->km_msg.sm_cmd].sy_call(&km->km_msg, &res);
	/* Off the address space before the drain may free it. */
	crit_enter();
	pmap_unload_self();
	curthread->td_pmap = NULL;
	crit_exit();
	spin_lock(&p->p_spin);
	km->km_result = res;
	km->km_error = error;
	km->km_done = 1;
	km->km_td = NULL;
	spin_unlock(&p->p_spin);
	/* p may be gone now; wakeup uses the address only. */
	wakeup(&p->p_async);
	curthread->td_proc = NULL;
	lwkt_exit();
}

static int64_t
sysmsg_send(uint64_t uaddr, int *errp)
{
	struct thread *td = curthread, *wtd;
	struct proc *p = td->td_proc;
	struct ksysmsg *km;
	int error;

	km = kmalloc(sizeof(*km), M_SYSMSG, M_ZERO);
	if (km == NULL) {
		*errp = ENOMEM;
		return (0);
	}
	error = sysmsg_fetch(uaddr, &km->km_msg);
	if (error == 0 && (sysent[km->km_msg.sm_cmd].sy_flags & SYF_NOASYNC))
		error = EINVAL;
	if (error != 0) {
		kfree(km, M_SYSMSG);
		*errp = error;
		return (0);
	}
	km->km_proc = p;
	km->km_uaddr = uaddr;
	/* Reserve the slot first: nothing to undo but the count. */
	spin_lock(&p->p_spin);
	if (p->p_nasync >= SYSMSG_MAXASYNC) {
		spin_unlock(&p->p_spin);
		kfree(km, M_SYSMSG);
		*errp = EAGAIN;
		return (0);
	}
	p->p_nasync++;
	spin_unlock(&p->p_spin);
	wtd = lwkt_create(sysmsg_worker, km, -1, TDPRI_USER + 1, 0,
	    LWKT_CREATE_NOSCHED, "sysmsg");
	if (wtd == NULL) {
		spin_lock(&p->p_spin);
		p->p_nasync--;
		spin_unlock(&p->p_spin);
		kfree(km, M_SYSMSG);
		*errp = ENOMEM;
		return (0);
	}
	wtd->td_proc = p;
	wtd->td_pmap = td->td_pmap;
	/*
	 * Linked before it runs.  The process cannot finish exiting under
	 * us: we are one of its threads.  Handles are unique within the
	 * process for its lifetime.
	 */
	spin_lock(&p->p_spin);
	km->km_td = wtd;
	km->km_handle = ++p->p_asyncseq;
	km->km_next = p->p_async;
	p->p_async = km;
	spin_unlock(&p->p_spin);
	__atomic_add_fetch(&sysmsg_async_total, 1, __ATOMIC_RELAXED);
	lwkt_schedule(wtd);
	*errp = 0;
	return (km->km_handle);
}

/* Find h (0: any completed) in p's list; p_spin held. */
static struct ksysmsg *
async_find(struct proc *p, long h, bool *anyp)
{
	struct ksysmsg *km;

	*anyp = p->p_async != NULL;
	for (km = p->p_async; km != NULL; km = km->km_next) {
		if (h != 0 && km->km_handle == h)
			return (km);
		if (h == 0 && km->km_done)
			return (km);
	}
	return (NULL);
}

static void
async_unlink(struct proc *p, struct ksysmsg *km)
{
	struct ksysmsg **pp;

	for (pp = &p->p_async; *pp != km; pp = &(*pp)->km_next)
		;
	*pp = km->km_next;
	p->p_nasync--;
}

static void
async_free(struct ksysmsg *km)
{
	kfree(km, M_SYSMSG);
	__atomic_sub_fetch(&sysmsg_async_total, 1, __ATOMIC_RELAXED);
}

static int64_t
sysmsg_wait(long h, int flags, int *errp)
{
	struct proc *p = curproc;
	struct ksysmsg *km;
	struct {
		int64_t	result;
		int32_t	error;
	} out;
	bool any;
	int error;

	if ((flags & ~SYSMSG_NOWAIT) != 0) {
		*errp = EINVAL;
		return (0);
	}
	if (h < 0) {
		*errp = ENOENT;		/* never a handle */
		return (0);
	}
	for (;;) {
		spin_lock(&p->p_spin);
		km = async_find(p, h, &any);
		if (km == NULL && (h != 0 || !any)) {
			spin_unlock(&p->p_spin);
			*errp = ENOENT;
			return (0);
		}
		if (km != NULL && km->km_done) {
			async_unlink(p, km);
			spin_unlock(&p->p_spin);
			break;
		}
		if (flags & SYSMSG_NOWAIT) {
			spin_unlock(&p->p_spin);
			*errp = EAGAIN;
			return (0);
		}
		tsleep_interlock(&p->p_async);
		spin_unlock(&p->p_spin);
		error = tsleep(&p->p_async, PINTERLOCKED | PCATCH, "msgwait",
		    0);
		if (error == EINTR) {
			*errp = EINTR;
			return (0);
		}
	}
	/* sm_result and sm_error are adjacent at offset 8 of the message. */
	CTASSERT(offsetof(struct sysmsg, sm_error) ==
	    offsetof(struct sysmsg, sm_result) + 8);
	out.result = km->km_result;
	out.error = km->km_error;
	h = km->km_handle;
	error = copyout(&out, (void *)(km->km_uaddr +
	    offsetof(struct sysmsg, sm_result)), 12);
	async_free(km);
	*errp = error;
	return (h);
}

/* Interrupt the worker of km (if still running); p_spin held. */
static void
async_poke(struct ksysmsg *km)
{
	if (km->km_td != NULL) {
		__atomic_or_fetch(&km->km_td->td_uflags, TDU_ABORT,
		    __ATOMIC_SEQ_CST);
		tsleep_intr(km->km_td);
	}
}

static int64_t
sysmsg_abort(long h, int *errp)
{
	struct proc *p = curproc;
	struct ksysmsg *km;
	bool any;

	spin_lock(&p->p_spin);
	km = h > 0 ? async_find(p, h, &any) : NULL;
	if (km == NULL) {
		spin_unlock(&p->p_spin);
		*errp = ENOENT;
		return (0);
	}
	async_poke(km);
	spin_unlock(&p->p_spin);
	*errp = 0;
	return (0);
}

void
sysmsg_async_drain(struct proc *p)
{
	struct ksysmsg *km;

	spin_lock(&p->p_spin);
	for (km = p->p_async; km != NULL; km = km->km_next)
		async_poke(km);
	while (p->p_async != NULL) {
		for (km = p->p_async; km != NULL && !km->km_done;
		    km = km->km_next)
			;
		if (km == NULL) {
			tsleep_interlock(&p->p_async);
			spin_unlock(&p->p_spin);
			tsleep(&p->p_async, PINTERLOCKED, "msgdrain", 0);
			spin_lock(&p->p_spin);
			continue;
		}
		async_unlink(p, km);
		async_free(km);
	}
	spin_unlock(&p->p_spin);
}

int
sysmsg_async_count(void)
{
	return (__atomic_load_n(&sysmsg_async_total, __ATOMIC_RELAXED));
}

/* --- the primitives --- */

/*
 * SYSP_DOMSG_REG: the message is already the kernel's (registers);
 * the same command and filter checks as sysmsg_fetch, then the handler.
 */
int64_t
sysmsg_domsg_regs(uint64_t cmd, uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, int *errp)
{
	struct proc *p = curproc;
	struct sysmsg m;
	int64_t res = 0;

	if (__predict_false(cmd > SYS_MAXCMD || sysent[cmd].sy_call == NULL)) {
		*errp = ENOSYS;
		return (0);
	}
	/* Handlers read sm_cmd and sm_arg only. */
	m.sm_cmd = (uint32_t)cmd;
	m.sm_size = sizeof(m);
	m.sm_arg[0] = a0;
	m.sm_arg[1] = a1;
	m.sm_arg[2] = a2;
	m.sm_arg[3] = a3;
	m.sm_arg[4] = a4;
	if (__predict_false(p->p_filter != 0) &&
	    (sysmsg_class(&m) & p->p_filter)) {
		__atomic_add_fetch(&p->p_refused, 1, __ATOMIC_RELAXED);
		*errp = EPERM;
		return (0);
	}
	*errp = sysent[cmd].sy_call(&m, &res);
	return (res);
}

int64_t
sysmsg_primitive(uint64_t prim, uint64_t a0, uint64_t a1, int *errp)
{
	struct sysmsg m;
	int64_t res = 0;
	int error;

	switch (prim) {
	case SYSP_DOMSG:
		error = sysmsg_fetch(a0, &m);
		if (error == 0)
			error = sysent[m.sm_cmd].sy_call(&m, &res);
		*errp = error;
		/* The result even with an error: nanosleep's time left. */
		return (res);
	case SYSP_SENDMSG:
		return (sysmsg_send(a0, errp));
	case SYSP_WAITMSG:
		return (sysmsg_wait((long)a0, (int)a1, errp));
	case SYSP_ABORTMSG:
		return (sysmsg_abort((long)a0, errp));
	default:
		*errp = ENOSYS;
		return (0);
	}
}

/* --- small commands --- */

int
sys_null(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	return (0);
}

int
sys_filter(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;

	if (m->sm_arg[0] & ~(uint64_t)SMC_ALL)
		return (EINVAL);
	/* Only ever more restrictive; SMC_BASIC cannot be denied. */
	*resp = __atomic_or_fetch(&p->p_filter,
	    (uint32_t)m->sm_arg[0] & ~SMC_BASIC, __ATOMIC_SEQ_CST);
	return (0);
}

int
sys_filterstat(struct sysmsg *m, int64_t *resp)
{
	*resp = (int64_t)__atomic_load_n(&curproc->p_refused,
	    __ATOMIC_RELAXED);
	return (0);
}
