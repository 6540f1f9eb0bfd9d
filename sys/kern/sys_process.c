/*
 * Process, memory, time and system commands: identity, mmap and
 * friends, clocks and sleeping, uname, process information (ps), mount,
 * reboot.  Each unpacks its message and calls the kernel API.
 *
 * Process information travels as an element list (PS_* tags) so that
 * ps keeps working when struct proc changes; the kernel fills what it
 * knows and marks unknown tags with el_len 0.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/time.h>
#include <sys/mount.h>
#include <sys/dirent.h>
#include <sys/md.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <machine/vmparam.h>

int
sys_getpid(struct sysmsg *m, int64_t *resp)
{
	*resp = curproc->p_pid;
	return (0);
}

int
sys_getppid(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;

	/* No token: p_ppid is one int, changed whole under proc_token. */
	*resp = __atomic_load_n(&p->p_ppid, __ATOMIC_RELAXED);
	return (0);
}

int
sys_getuid(struct sysmsg *m, int64_t *resp)
{
	*resp = curproc->p_cred.cr_uid;
	return (0);
}

int
sys_setuid(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;

	*resp = 0;
	if (m->sm_arg[0] > 0xfffffffeUL)
		return (EINVAL);
	if (p->p_cred.cr_uid != 0 && p->p_cred.cr_uid != m->sm_arg[0])
		return (EPERM);
	p->p_cred.cr_uid = (uint32_t)m->sm_arg[0];
	return (0);
}

/* --- memory --- */

int
sys_mmap(struct sysmsg *m, int64_t *resp)
{
	struct vmspace *vm = curproc->p_vmspace;
	vm_offset_t addr = m->sm_arg[0];
	uint64_t len = m->sm_arg[1], prot = m->sm_arg[2];
	uint64_t flags = m->sm_arg[3];
	int error, meflags = 0;

	if ((flags & MAP_ANON) == 0 || (int64_t)m->sm_arg[4] != -1)
		return (EINVAL);	/* anonymous memory only */
	if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return (EINVAL);
	if (flags & ~(uint64_t)(MAP_SHARED | MAP_PRIVATE | MAP_FIXED |
	    MAP_ANON))
		return (EINVAL);
	if (((flags & MAP_SHARED) != 0) == ((flags & MAP_PRIVATE) != 0))
		return (EINVAL);
	if (flags & MAP_SHARED)
		meflags |= ME_SHARED;
	if (len == 0 || len > VM_MAX_USER)
		return (EINVAL);
	error = vm_map_anon(vm, &addr, len, (int)prot, meflags,
	    (flags & MAP_FIXED) != 0);
	*resp = (int64_t)addr;
	return (error);
}

int
sys_munmap(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	return (vm_unmap(curproc->p_vmspace, m->sm_arg[0], m->sm_arg[1]));
}

int
sys_mprotect(struct sysmsg *m, int64_t *resp)
{
	*resp = 0;
	if (m->sm_arg[2] & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return (EINVAL);
	return (vm_protect(curproc->p_vmspace, m->sm_arg[0], m->sm_arg[1],
	    (int)m->sm_arg[2]));
}

int
sys_brk(struct sysmsg *m, int64_t *resp)
{
	vm_offset_t cur = 0;
	int error;

	error = vm_brk(curproc->p_vmspace, m->sm_arg[0], &cur);
	*resp = (int64_t)cur;
	return (error);
}

/* --- time --- */

int
sys_clock_gettime(struct sysmsg *m, int64_t *resp)
{
	struct timespec ts;

	switch (m->sm_arg[0]) {
	case CLOCK_MONOTONIC:
		*resp = (int64_t)nanouptime();
		return (0);
	case CLOCK_REALTIME:
		getnanotime(&ts);
		*resp = ts.tv_sec * 1000000000LL + ts.tv_nsec;
		return (0);
	default:
		return (EINVAL);
	}
}

/*
 * Sleep arg0 nanoseconds.  Interrupted by a signal: EINTR with the time
 * left as the result.  Sleeps on a private channel nobody wakes.
 */
int
sys_nanosleep(struct sysmsg *m, int64_t *resp)
{
	int64_t ns = (int64_t)m->sm_arg[0];
	uint64_t end, now;
	int error = 0;

	*resp = 0;
	if (ns < 0)
		return (EINVAL);
	end = nanouptime() + (uint64_t)ns;
	while ((now = nanouptime()) < end) {
		error = tsleep(&error, PCATCH, "nanoslp", end - now);
		if (error == EINTR) {
			*resp = (int64_t)(end - nanouptime());
			if (*resp < 0)
				*resp = 0;
			return (EINTR);
		}
	}
	return (0);
}

/* --- information --- */

int
sys_uname(struct sysmsg *m, int64_t *resp)
{
	const char *s;
	size_t n;
	int error;

	switch (m->sm_arg[0]) {
	case UN_SYSNAME:	s = "DragonFly-style"; break;
	case UN_NODENAME:	s = "localhost"; break;
	case UN_RELEASE:	s = "0.5"; break;
	case UN_VERSION:	s = "issue 5: processes and message syscalls";
				break;
	case UN_MACHINE:	s = "x86_64"; break;
	default:		return (EINVAL);
	}
	/* Truncated to fit, always NUL-terminated (EINVAL for no room). */
	if (m->sm_arg[2] == 0)
		return (EINVAL);
	n = strlen(s);
	if (n > m->sm_arg[2] - 1)
		n = m->sm_arg[2] - 1;
	*resp = 0;
	error = copyout(s, (void *)m->sm_arg[1], n);
	if (error == 0)
		error = copyout("", (void *)(m->sm_arg[1] + n), 1);
	return (error);
}

/*
 * Describe the first process with pid >= arg0 into the element list.
 * The list is filled under proc_token from a snapshot, then copied out.
 */
int
sys_psinfo(struct sysmsg *m, int64_t *resp)
{
	struct sysel el[SYSEL_MAX];
	char comm[32];
	struct proc *p, *best = NULL;
	uint64_t n = m->sm_arg[2], v[PS_CPU + 1];
	int pid = (int)m->sm_arg[0], error;

	if (n > SYSEL_MAX || m->sm_arg[0] > 0x7fffffff)
		return (EINVAL);
	error = copyin((void *)m->sm_arg[1], el, n * sizeof(el[0]));
	if (error != 0)
		return (error);
	lwkt_gettoken(&proc_token);
	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid >= pid && (best == NULL || p->p_pid < best->p_pid))
			best = p;
	if (best == NULL) {
		lwkt_reltoken(&proc_token);
		return (ESRCH);
	}
	p = best;
	v[PS_PID] = p->p_pid;
	v[PS_PPID] = p->p_ppid;
	/* p_vmspace changes under proc_token (exit, exec): it is held. */
	v[PS_VMPAGES] = p->p_vmspace != NULL ? p->p_vmspace->vm_resident : 0;
	v[PS_UID] = p->p_cred.cr_uid;
	v[PS_FILTER] = p->p_filter;
	v[PS_REFUSED] = p->p_refused;
	/* The thread list is p_spin's: a thread on it is alive. */
	spin_lock(&p->p_spin);
	v[PS_STATE] = p->p_state == PRS_ZOMBIE ? PS_ZOMBIE :
	    (p->p_threads != NULL &&
	    (p->p_threads->td_flags & TDF_RUNQ)) ? PS_RUN : PS_SLEEP;
	v[PS_NTHREADS] = p->p_nthreads;
	v[PS_CPU] = p->p_threads != NULL ? p->p_threads->td_gd->gd_cpuid : 0;
	spin_unlock(&p->p_spin);
	v[PS_COMM] = 0;
	memcpy(comm, p->p_comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	lwkt_reltoken(&proc_token);
	for (uint64_t i = 0; i < n && error == 0; i++) {
		uint32_t tag = el[i].el_tag;

		if (tag == PS_COMM) {
			size_t len = strlen(comm) + 1;

			if (el[i].el_len == 0)
				continue;
			if (len > el[i].el_len)
				len = el[i].el_len;
			error = copyout(comm, (void *)el[i].el_val, len - 1);
			if (error == 0)
				error = copyout("", (void *)(el[i].el_val +
				    len - 1), 1);
		} else if (tag >= PS_PID && tag <= PS_CPU) {
			el[i].el_val = v[tag];
			el[i].el_len = 8;
		} else {
			el[i].el_len = 0;
		}
	}
	if (error == 0)
		error = copyout(el, (void *)m->sm_arg[1], n * sizeof(el[0]));
	*resp = (int64_t)v[PS_PID];	/* best may be gone by now */
	return (error);
}

/* --- system --- */

int
sys_mount(struct sysmsg *m, int64_t *resp)
{
	char *buf;
	int error;

	*resp = 0;
	if (curproc->p_cred.cr_uid != 0)
		return (EPERM);
	buf = kmalloc(4 * PATH_MAX, M_TEMP, M_ZERO);
	if (buf == NULL)
		return (ENOMEM);
	error = copyinstr((void *)m->sm_arg[0], buf, 32, NULL);
	if (error == 0)
		error = copyinstr((void *)m->sm_arg[1], buf + PATH_MAX,
		    PATH_MAX, NULL);
	if (error == 0 && m->sm_arg[2] != 0)
		error = copyinstr((void *)m->sm_arg[2], buf + 2 * PATH_MAX,
		    PATH_MAX, NULL);
	if (error == 0 && m->sm_arg[3] != 0)
		error = copyinstr((void *)m->sm_arg[3], buf + 3 * PATH_MAX,
		    PATH_MAX, NULL);
	if (error == 0)
		error = kern_mount(buf, m->sm_arg[3] != 0 ? buf + 3 * PATH_MAX :
		    NULL, buf + PATH_MAX, buf + 2 * PATH_MAX);
	kfree(buf, M_TEMP);
	return (error);
}

int
sys_unmount(struct sysmsg *m, int64_t *resp)
{
	char path[PATH_MAX];
	int error;

	*resp = 0;
	if (curproc->p_cred.cr_uid != 0)
		return (EPERM);
	error = copyinstr((void *)m->sm_arg[0], path, PATH_MAX, NULL);
	return (error != 0 ? error : kern_unmount(path));
}

/*
 * Leave the machine: only init may.  RB_POWEROFF with status 0 leaves
 * QEMU through isa-debug-exit as a pass, any other status as a fail (the
 * userland test runner's verdict); RB_HALT stops the CPUs.
 */
int
sys_reboot(struct sysmsg *m, int64_t *resp)
{
	struct proc *p = curproc;

	*resp = 0;
	if (p != initproc || p->p_cred.cr_uid != 0)
		return (EPERM);
	switch (m->sm_arg[0]) {
	case RB_POWEROFF:
		kprintf("init: power off (status %ld)\n", (long)m->sm_arg[1]);
		md_exit(m->sm_arg[1] == 0 ? EXIT_PASS : EXIT_FAIL);
	case RB_HALT:
		kprintf("init: halt\n");
		md_halt();
	default:
		return (EINVAL);
	}
}
