/*
 * User mode on pc64: the syscall instruction, user traps, copyin and
 * copyout, per-thread FPU state, register frames for exec, fork,
 * threads and signals (interface: <sys/cpu_user.h>).
 *
 * Entry.  `syscall' enters at syscall_entry (exception.S), interrupts
 * and exceptions from ring 3 at alltraps; both leave a struct trapframe
 * at the top of the thread's kernel stack (TSS rsp0 and md_kstack_top
 * are that address, set at every switch to a user thread), so td_frame
 * is the one place user registers live while in the kernel.  Return is
 * sysretq for an untouched syscall frame, iretq otherwise.
 *
 * Protection.  SMEP (the kernel never runs user pages) and SMAP (the
 * kernel touches user pages only inside copy_user, between stac and
 * clac) are turned on when the CPU has them.  copy_user's faults on
 * user addresses first go to the VM (a page not yet touched, a
 * copy-on-write page), and if it cannot help, copy_user returns EFAULT
 * through td_onfault.  Ranges are checked before any access: NULL
 * (below VM_MIN_USER), the kernel half, non-canonical addresses and
 * wrapping lengths never reach the copy loop.
 *
 * FPU.  The kernel is built without SSE, so the FPU registers always
 * hold user state.  It is saved (fxsave) when a user thread is switched
 * out and restored (fxrstor) when one is switched in: eager, two
 * instructions per switch, and no #NM traps.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/sysmsg.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/specialreg.h>
#include <machine/trap.h>
#include <machine/vmparam.h>

MALLOC_DEFINE(M_FPU, "fpu", "user FPU save areas");

CTASSERT(offsetof(struct globaldata, gd_md.md_uscratch) == 1616);
CTASSERT(offsetof(struct globaldata, gd_md.md_kstack_top) == 1624);
CTASSERT(sizeof(struct trapframe) == 22 * 8);
CTASSERT(GSEL_UCODE == GSEL_UCODE32 + 16 && GSEL_UDATA == GSEL_UCODE32 + 8);

#define USER_CS		(GSEL_UCODE | 3)
#define USER_SS		(GSEL_UDATA | 3)
#define FPU_SIZE	512
#define MXCSR_DEFAULT	0x1f80
#define MXCSR_VALID	0xffbfU		/* bits a user may set */

uint8_t	smap_enabled;			/* [I] read by exception.S */

extern char syscall_entry[];

/*
 * Per-CPU set-up of user mode: the syscall MSRs, SSE, SMEP and SMAP.
 * Each CPU, interrupts off, from cpu_setup_regs().
 */
void
cpu_user_init(void)
{
	uint32_t r[4];
	uint64_t cr4 = rcr4();

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)GSEL_UCODE32 << 48) |
	    ((uint64_t)GSEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, PSL_I | PSL_T | PSL_D | PSL_AC | PSL_NT);
	__asm__ __volatile__("movq %0, %%cr0" ::
	    "r"((rcr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid_count(0, 0, r);
	if (r[0] >= 7) {
		cpuid_count(7, 0, r);
		if (r[1] & CPUID7_SMEP)
			cr4 |= CR4_SMEP;
		if (r[1] & CPUID7_SMAP) {
			cr4 |= CR4_SMAP;
			smap_enabled = 1;
		}
	}
	load_cr4(cr4);
}

/* --- copyin / copyout --- */

bool
user_range_ok(uint64_t uaddr, size_t len)
{
	if (uaddr < VM_MIN_USER || uaddr >= VM_MAX_USER)
		return (false);
	return (len <= VM_MAX_USER - uaddr);
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (len == 0)
		return (0);
	if (!user_range_ok((uint64_t)uaddr, len))
		return (EFAULT);
	return (copy_user(kaddr, uaddr, len, &curthread->td_onfault));
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (len == 0)
		return (0);
	if (!user_range_ok((uint64_t)uaddr, len))
		return (EFAULT);
	return (copy_user(uaddr, kaddr, len, &curthread->td_onfault));
}

/*
 * Page by page: never touches the page after the NUL, so a string that
 * ends just before an unmapped page copies fine.
 */
int
copyinstr(const void *uaddr, char *kaddr, size_t maxlen, size_t *lenp)
{
	uint64_t u = (uint64_t)uaddr;
	size_t done = 0;

	while (done < maxlen) {
		size_t chunk = PAGE_SIZE - ((u + done) & PAGE_MASK);
		int error;

		if (chunk > maxlen - done)
			chunk = maxlen - done;
		error = copyin((const void *)(u + done), kaddr + done, chunk);
		if (error != 0)
			return (error);
		for (size_t i = 0; i < chunk; i++) {
			if (kaddr[done + i] == '\0') {
				if (lenp != NULL)
					*lenp = done + i + 1;
				return (0);
			}
		}
		done += chunk;
	}
	return (ENAMETOOLONG);
}

/* --- faults --- */

/*
 * A page fault in kernel mode.  If it happened inside copy_user on a
 * user address, let the VM resolve it (the thread was not in a critical
 * section: copyin's contract) or make copy_user return EFAULT.  False
 * if it is not ours to handle (a kernel bug: the caller panics).
 */
bool
user_kernel_fault(struct trapframe *tf)
{
	struct thread *td = curthread;
	uint64_t addr = rcr2();
	struct proc *p = td->td_proc;
	int ftype;

	if (td->td_onfault == 0)
		return (false);
	if (addr < VM_MAX_USER && p != NULL && p->p_vmspace != NULL &&
	    (tf->tf_rflags & PSL_I) && td->td_critcount == 0) {
		ftype = (tf->tf_err & PGEX_W) ? VMP_WRITE : VMP_READ;
		cpu_enable_intr();
		if (vm_fault(p->p_vmspace, addr, ftype) == 0) {
			cpu_disable_intr();
			return (true);
		}
		cpu_disable_intr();
	}
	tf->tf_rip = td->td_onfault;
	return (true);
}

/*
 * An exception raised in user mode: resolve it (a page fault the VM can
 * satisfy) or turn it into a signal for the faulting process only.
 * Interrupts are enabled for the duration.
 */
void
user_trap(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	int sig = 0, ftype;

	cpu_enable_intr();
	if (tf->tf_trapno == T_PAGEFLT && (tf->tf_err & PGEX_I) &&
	    tf->tf_rip == (uint64_t)syscall_entry) {
		/*
		 * `syscall' arrived at LSTAR still in user mode: the nested
		 * hypervisor of our build machines (DESIGN.md) runs the
		 * kernel deprivileged and does not switch privilege for
		 * it.  The registers are those syscall leaves (%rcx the
		 * return address, %r11 the flags), so finish the job here.
		 * A user jump to that address is no different from a
		 * syscall with the same registers.
		 */
		if (tf->tf_rcx >= VM_MAX_USER) {
			/* Not a return address: a jump to that page. */
			trapsignal(td, SIGSEGV);
			userret(tf);
			user_frame_check(tf);
			cpu_disable_intr();
			return;
		}
		tf->tf_rip = tf->tf_rcx;
		tf->tf_rflags = (tf->tf_r11 & PSL_USERCHANGE) | PSL_I | 0x2;
		syscall_handler(tf);
		cpu_disable_intr();
		return;
	}
	switch (tf->tf_trapno) {
	case T_PAGEFLT:
		ftype = (tf->tf_err & PGEX_W) ? VMP_WRITE :
		    (tf->tf_err & PGEX_I) ? VMP_EXEC : VMP_READ;
		if (p == NULL || p->p_vmspace == NULL ||
		    vm_fault(p->p_vmspace, rcr2(), ftype) != 0)
			sig = SIGSEGV;
		break;
	case T_DIVIDE:
	case T_FPERR:
	case T_SIMD:
		sig = SIGFPE;
		break;
	case T_INVOP:
	case T_DNA:
		sig = SIGILL;
		break;
	case T_BPT:
	case T_DEBUG:
		sig = SIGTRAP;
		break;
	case T_ALIGN:
		sig = SIGBUS;
		break;
	default:			/* #GP, #SS, #NP, #OF, #BR, ... */
		sig = SIGSEGV;
		break;
	}
	if (sig != 0) {
		kprintf("pid %d (%s): trap %lu at rip %#lx, address %#lx, "
		    "error %#lx: signal %d\n", p != NULL ? p->p_pid : 0,
		    p != NULL ? p->p_comm : "?", tf->tf_trapno, tf->tf_rip,
		    tf->tf_trapno == T_PAGEFLT ? rcr2() : 0, tf->tf_err, sig);
		trapsignal(td, sig);
	}
	userret(tf);
	user_frame_check(tf);
	cpu_disable_intr();
}

/* user_frame_check (md_var.h) found a frame that must not be used. */
void
user_frame_bad(struct trapframe *tf)
{
	kprintf("pid %d: return to %#lx refused: SIGSEGV\n",
	    curproc->p_pid, tf->tf_rip);
	proc_exit(_W_SIGNALED(SIGSEGV));
}

/* --- threads and frames --- */

extern char lwkt_thread_trampoline[];

/* The initial FPU state: FCW 0x37f, MXCSR 0x1f80, all else zero. */
static void
fpu_init_area(uint8_t *fpu)
{
	memset(fpu, 0, FPU_SIZE);
	*(uint16_t *)fpu = 0x37f;
	*(uint32_t *)(fpu + 24) = MXCSR_DEFAULT;
}

int
cpu_user_thread_init(struct thread *td)
{
	uint64_t top = td->td_kstack + td->td_kstack_size;
	uint64_t *sp;
	uint8_t *fpu;

	fpu = kmalloc(FPU_SIZE, M_FPU, 0);
	if (fpu == NULL)
		return (ENOMEM);
	KKASSERT(((uint64_t)fpu & 15) == 0);
	fpu_init_area(fpu);
	td->td_fpu = fpu;
	td->td_frame = (struct trapframe *)(top - sizeof(struct trapframe));
	memset(td->td_frame, 0, sizeof(struct trapframe));
	td->td_frame->tf_cs = USER_CS;
	td->td_frame->tf_ss = USER_SS;
	td->td_frame->tf_rflags = PSL_I | 0x2;
	/* The switch frame of cpu_thread_setup, below the user frame. */
	sp = (uint64_t *)td->td_frame;
	*--sp = 0;				/* alignment pad */
	*--sp = 0;				/* fake return address */
	*--sp = (uint64_t)lwkt_thread_trampoline;
	*--sp = 0x202;				/* rflags */
	*--sp = 0;				/* rbp */
	*--sp = (uint64_t)td;			/* rbx */
	*--sp = 0;
	*--sp = 0;
	*--sp = 0;
	*--sp = 0;
	td->td_sp = (uint64_t)sp;
	return (0);
}

void
cpu_user_thread_free(struct thread *td)
{
	if (td->td_fpu != NULL)
		kfree(td->td_fpu, M_FPU);
	td->td_fpu = NULL;
}

void
cpu_user_return(void)
{
	user_frame_check(curthread->td_frame);
	cpu_disable_intr();
	cpu_user_enter(curthread->td_frame);
}

void
cpu_exec_regs(struct thread *td, uint64_t entry, uint64_t sp)
{
	struct trapframe *tf = td->td_frame;

	memset(tf, 0, sizeof(*tf));
	tf->tf_rip = entry;
	tf->tf_rsp = sp;
	tf->tf_cs = USER_CS;
	tf->tf_ss = USER_SS;
	tf->tf_rflags = PSL_I | 0x2;
	tf->tf_trapno = T_SYSCALL;
	/* Not preempted between the two: a switch would fxsave over it. */
	crit_enter();
	fpu_init_area(td->td_fpu);
	if (td == curthread)
		__asm__ __volatile__("fxrstor64 (%0)" :: "r"(td->td_fpu) :
		    "memory");
	crit_exit();
}

void
cpu_fork_regs(struct thread *child, struct thread *parent)
{
	*child->td_frame = *parent->td_frame;
	child->td_frame->tf_rax = 0;
	child->td_frame->tf_rdx = 0;
	/* The parent runs now: its live FPU state is the one to copy. */
	crit_enter();
	__asm__ __volatile__("fxsave64 (%0)" :: "r"(parent->td_fpu) :
	    "memory");
	memcpy(child->td_fpu, parent->td_fpu, FPU_SIZE);
	crit_exit();
}

void
cpu_thread_regs(struct thread *td, uint64_t entry, uint64_t stack,
    uint64_t arg)
{
	struct trapframe *tf = td->td_frame;

	tf->tf_rip = entry;
	tf->tf_rsp = (stack & ~15UL) - 8;	/* as after a call */
	tf->tf_rdi = arg;
}

/* --- signals --- */

CTASSERT(sizeof(struct sigframe) == (3 + 22 + 64) * 8);
CTASSERT(offsetof(struct sigframe, sf_fpu) % 16 == 8);

int
cpu_sendsig(struct thread *td, int sig, uint64_t handler, uint64_t restorer,
    uint64_t oldmask)
{
	struct trapframe *tf = td->td_frame;
	struct sigframe *sf;
	uint64_t sp;
	int error;

	sf = kmalloc(sizeof(*sf), M_TEMP, 0);
	if (sf == NULL)
		return (ENOMEM);
	/* Below the red zone; sf at 8 mod 16, so sf_fpu is aligned. */
	sp = tf->tf_rsp - 128 - sizeof(*sf);
	sp = (sp & ~15UL) - 8;
	sf->sf_retaddr = restorer;
	sf->sf_signo = (uint64_t)sig;
	sf->sf_mask = oldmask;
	memcpy(sf->sf_regs, tf, sizeof(*tf));
	crit_enter();
	__asm__ __volatile__("fxsave64 (%0)" :: "r"(td->td_fpu) : "memory");
	memcpy(sf->sf_fpu, td->td_fpu, FPU_SIZE);
	crit_exit();
	error = copyout(sf, (void *)sp, sizeof(*sf));
	kfree(sf, M_TEMP);
	if (error != 0)
		return (error);
	tf->tf_rip = handler;
	tf->tf_rsp = sp;
	tf->tf_rdi = (uint64_t)sig;
	tf->tf_rflags &= ~(PSL_T | PSL_D);
	tf->tf_cs = USER_CS;
	tf->tf_ss = USER_SS;
	return (0);
}

int
cpu_sigreturn(struct thread *td, uint64_t uframe, uint64_t *maskp)
{
	struct trapframe *tf = td->td_frame, ntf;
	struct sigframe *sf;
	uint8_t *fpu;
	int error;

	sf = kmalloc(sizeof(*sf), M_TEMP, 0);
	if (sf == NULL)
		return (ENOMEM);
	error = copyin((void *)uframe, sf, sizeof(*sf));
	if (error != 0)
		goto out;
	memcpy(&ntf, sf->sf_regs, sizeof(ntf));
	/* Check everything before changing anything. */
	if (ntf.tf_rip >= VM_MAX_USER || ntf.tf_rsp >= VM_MAX_USER) {
		error = EINVAL;
		goto out;
	}
	ntf.tf_cs = USER_CS;
	ntf.tf_ss = USER_SS;
	ntf.tf_rflags = (tf->tf_rflags & ~PSL_USERCHANGE) |
	    (ntf.tf_rflags & PSL_USERCHANGE) | PSL_I;
	ntf.tf_trapno = tf->tf_trapno;
	ntf.tf_err = 0;
	*tf = ntf;
	fpu = td->td_fpu;
	crit_enter();
	memcpy(fpu, sf->sf_fpu, FPU_SIZE);
	*(uint32_t *)(fpu + 24) &= MXCSR_VALID;	/* else fxrstor faults */
	__asm__ __volatile__("fxrstor64 (%0)" :: "r"(fpu) : "memory");
	crit_exit();
	*maskp = sf->sf_mask;
out:
	kfree(sf, M_TEMP);
	return (error);
}

/* --- switching --- */

/*
 * lwkt_switch_to, just before the register switch (critical section):
 * FPU state out of td and into ntd, ntd's kernel stack for entries from
 * user mode, ntd's address space.
 */
void
cpu_switch_hook(struct globaldata *gd, struct thread *td, struct thread *ntd)
{
	if (td->td_fpu != NULL)
		__asm__ __volatile__("fxsave64 (%0)" :: "r"(td->td_fpu) :
		    "memory");
	if (ntd->td_fpu != NULL)
		__asm__ __volatile__("fxrstor64 (%0)" :: "r"(ntd->td_fpu) :
		    "memory");
	if (ntd->td_frame != NULL) {
		uint64_t top = ntd->td_kstack + ntd->td_kstack_size;

		gd->gd_md.md_tss.tss_rsp[0] = top;
		gd->gd_md.md_kstack_top = top;
	}
	pmap_switch(gd, ntd);
}
