/*
 * Trap dispatch.
 *
 * alltraps (exception.S) calls trap() for every vector with interrupts
 * disabled (all IDT entries are interrupt gates).  Exceptions (vectors
 * 0-31) are either caught by an armed trap catcher (<machine/trap.h>) or
 * fatal: the registers and the faulting address are printed and the
 * kernel panics.  An NMI after a panic parks the CPU (that is how panic
 * stops the other CPUs).  Vectors from 32 up run their registered
 * handler and get an EOI.
 *
 * intr_handlers[] is written at boot only, before the vector can fire,
 * and read-only afterwards.
 */

#include <sys/types.h>
#include <sys/proc.h>
#include <sys/errno.h>
#include <sys/sysmsg_kern.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <sys/md.h>
#include <sys/kernel.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/trap.h>
#include <machine/intr.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

static struct {
	intr_handler_t	*fn;
	void		*arg;
} intr_handlers[256];

static const char *const trap_names[32] = {
	[T_DIVIDE] = "divide error",
	[T_DEBUG] = "debug",
	[T_NMI] = "NMI",
	[T_BPT] = "breakpoint",
	[T_OVERFLOW] = "overflow",
	[T_BOUND] = "bound range",
	[T_INVOP] = "invalid opcode",
	[T_DNA] = "device not available",
	[T_DOUBLEFLT] = "double fault",
	[9] = "coprocessor overrun",
	[T_TSS] = "invalid TSS",
	[T_SEGNP] = "segment not present",
	[T_STKFLT] = "stack fault",
	[T_PROTFLT] = "general protection",
	[T_PAGEFLT] = "page fault",
	[T_FPERR] = "x87 error",
	[T_ALIGN] = "alignment check",
	[T_MCHK] = "machine check",
	[T_SIMD] = "SIMD exception",
	[20] = "virtualization exception",
	[21] = "control protection",
};

const char *
trap_name(int vec)
{
	if (vec >= 0 && vec < 32 && trap_names[vec] != NULL)
		return (trap_names[vec]);
	return (vec < 32 ? "reserved" : "interrupt");
}

void
intr_establish_vector(int vec, intr_handler_t *fn, void *arg)
{
	KKASSERT(vec >= 32 && vec < 256);
	KKASSERT(intr_handlers[vec].fn == NULL);
	intr_handlers[vec].arg = arg;
	__atomic_store_n(&intr_handlers[vec].fn, fn, __ATOMIC_RELEASE);
}

void
trap_catch_arm(struct trapcatch *tc, uint64_t resume)
{
	tc->tc_resume = resume;
	tc->tc_caught = false;
	mycpu->gd_md.md_trapcatch = tc;
}

void
trap_catch_disarm(void)
{
	mycpu->gd_md.md_trapcatch = NULL;
}

static void
print_sym(const char *label, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name != NULL)
		kprintf("%s%#lx <%s+%#lx>\n", label, addr, name, off);
	else
		kprintf("%s%#lx\n", label, addr);
}

/* Print the registers of a trap frame.  Any context. */
void
trap_dump(struct trapframe *tf)
{
	kprintf("cpu%d: trap %lu (%s), error code %#lx\n", mycpuid,
	    tf->tf_trapno, trap_name((int)tf->tf_trapno), tf->tf_err);
	print_sym("  rip ", tf->tf_rip);
	if (tf->tf_trapno == T_PAGEFLT)
		kprintf("  fault address (cr2) %#lx: %s, %s%s%s\n", rcr2(),
		    (tf->tf_err & PGEX_P) ? "protection" : "not present",
		    (tf->tf_err & PGEX_W) ? "write" : "read",
		    (tf->tf_err & PGEX_U) ? ", user" : "",
		    (tf->tf_err & PGEX_I) ? ", instruction fetch" : "");
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
	    tf->tf_rax, tf->tf_rbx, tf->tf_rcx, tf->tf_rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n",
	    tf->tf_rsi, tf->tf_rdi, tf->tf_rbp, tf->tf_rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n",
	    tf->tf_r8, tf->tf_r9, tf->tf_r10, tf->tf_r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n",
	    tf->tf_r12, tf->tf_r13, tf->tf_r14, tf->tf_r15);
	kprintf("  cs %#lx ss %#lx rflags %#lx cr2 %#lx cr3 %#lx\n",
	    tf->tf_cs, tf->tf_ss, tf->tf_rflags, rcr2(), rcr3());
}

static void
trap_exception(struct trapframe *tf)
{
	struct trapcatch *tc = mycpu->gd_md.md_trapcatch;
	int vec = (int)tf->tf_trapno;

	if (vec == T_NMI && panicstr != NULL)
		md_halt();			/* stopped by panic */
	if ((tf->tf_cs & 3) != 0 && vec != T_NMI && vec != T_MCHK) {
		user_trap(tf);
		return;
	}
	if (vec == T_PAGEFLT && user_kernel_fault(tf))
		return;
	if (tc != NULL && vec != T_NMI && vec != T_DOUBLEFLT &&
	    vec != T_MCHK) {
		tc->tc_vector = vec;
		tc->tc_err = tf->tf_err;
		tc->tc_rip = tf->tf_rip;
		tc->tc_addr = vec == T_PAGEFLT ? rcr2() : 0;
		tc->tc_caught = true;
		mycpu->gd_md.md_trapcatch = NULL;
		kprintf("cpu%d: caught trap %d (%s) at rip %#lx, "
		    "address %#lx, error %#lx\n", mycpuid, vec,
		    trap_name(vec), tf->tf_rip, tc->tc_addr, tf->tf_err);
		tf->tf_rip = tc->tc_resume;
		return;
	}
	trap_dump(tf);
	if (vec == T_PAGEFLT)
		panic("fatal trap %d (%s) at %#lx, fault address %#lx", vec,
		    trap_name(vec), tf->tf_rip, rcr2());
	panic("fatal trap %d (%s) at %#lx", vec, trap_name(vec),
	    tf->tf_rip);
}

/*
 * Interrupts: the handler runs with gd_intr_nesting raised (so it cannot
 * switch threads or take tokens) and is acknowledged before we consider
 * preemption: an interrupt thread that preempts runs with the local APIC
 * open for further interrupts.
 */
void
trap(struct trapframe *tf)
{
	int vec = (int)tf->tf_trapno;
	struct globaldata *gd;

	if (vec < 32) {
		trap_exception(tf);
		return;
	}
	gd = mycpu;
	gd->gd_intr_nesting++;
	if (intr_handlers[vec].fn != NULL)
		intr_handlers[vec].fn(intr_handlers[vec].arg);
	else if (vec != IDT_SPURIOUS)
		kprintf("cpu%d: stray interrupt %d\n", gd->gd_cpuid, vec);
	if (vec != IDT_SPURIOUS)
		lapic_eoi();
	gd->gd_intr_nesting--;
	if (gd->gd_intr_nesting == 0 && gd->gd_curthread->td_critcount == 0 &&
	    (gd->gd_reqflags & RQF_PREEMPT))
		lwkt_intr_exit(gd);
	if ((tf->tf_cs & 3) != 0) {
		/* Back to user mode: signals, exit, time slicing. */
		cpu_enable_intr();
		userret(tf);
		user_frame_check(tf);
		cpu_disable_intr();
	}
}

/*
 * The `syscall' instruction (exception.S, interrupts enabled): one of
 * the message primitives of <sys/sysmsg.h>.  A primitive that replaced
 * the whole frame (sigreturn, exec) returns EJUSTRETURN.
 */
void
syscall_handler(struct trapframe *tf)
{
	int64_t res;
	int error;

	if (__predict_true(tf->tf_rax == SYSP_DOMSG_REG)) {
		res = sysmsg_domsg_regs(tf->tf_rdi, tf->tf_rsi, tf->tf_rdx,
		    tf->tf_r10, tf->tf_r8, tf->tf_r9, &error);
	} else {
		res = sysmsg_primitive(tf->tf_rax, tf->tf_rdi, tf->tf_rsi,
		    &error);
	}
	if (error != EJUSTRETURN) {
		tf->tf_rax = (uint64_t)res;
		tf->tf_rdx = (uint64_t)error;
	}
	userret(tf);
	user_frame_check(tf);
}

extern char __kernel_end[];

/* A frame may lie in the kernel image (boot stack) or in mapped RAM. */
static bool
backtrace_frame_ok(uint64_t fp)
{
	if ((fp & 7) != 0)
		return (false);
	if (fp >= KERNBASE && fp + 16 <= (uint64_t)__kernel_end)
		return (true);
	return (fp >= DMAP_BASE && fp + 16 <= DMAP_BASE + phys_max);
}

/*
 * Walk the frame-pointer chain from fp and print each return address
 * with its symbol.  Every frame is checked before it is read (inside the
 * kernel's higher half, aligned, growing upward, at most 32 deep), so a
 * corrupt stack ends the trace instead of faulting in the middle of a
 * panic.
 */
void
md_backtrace(uint64_t fp, int skip)
{
	for (int depth = 0; depth < 32; depth++) {
		uint64_t *frame = (uint64_t *)fp, next, ret;

		if (!backtrace_frame_ok(fp))
			break;
		next = frame[0];
		ret = frame[1];
		if (ret == 0)
			break;
		if (depth >= skip) {
			char label[24];

			ksnprintf(label, sizeof(label), "  #%d ", depth - skip);
			print_sym(label, ret);
		}
		if (next <= fp || next - fp > 1024 * 1024)
			break;
		fp = next;
	}
}
