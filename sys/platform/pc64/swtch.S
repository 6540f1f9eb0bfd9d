/*
 * Thread switch.
 *
 * cpu_switch_to(old, new) saves the callee-saved registers and the flags
 * on old's stack, stores the stack pointer in old->td_sp, makes new the
 * CPU's current thread, loads new->td_sp and pops new's registers and
 * flags.  Interrupts are disabled from the moment the old state is saved
 * until new's own flags are restored, so no interrupt ever sees a thread
 * half switched.  Both threads are in critical sections (thread.h rule 2).
 *
 * A new thread's stack is prepared by cpu_thread_setup() (vm_machdep.c) so
 * that the pops land in lwkt_thread_trampoline with %rbx = the thread.
 */

#define TD_SP		24	/* offsetof(struct thread, td_sp), checked in C */
#define GD_CURTHREAD	8	/* offsetof(struct globaldata, gd_curthread) */

	.text
	.globl	cpu_switch_to
cpu_switch_to:
	pushfq
	cli
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TD_SP(%rdi)
	movq	%rsi, %gs:GD_CURTHREAD
	movq	TD_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popfq
	ret

/* First code a new thread runs; %rbx = the thread. */
	.globl	lwkt_thread_trampoline
lwkt_thread_trampoline:
	movq	%rbx, %rdi
	xorl	%ebp, %ebp
	call	lwkt_thread_start
	ud2				/* lwkt_thread_start does not return */
