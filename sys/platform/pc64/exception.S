/*
 * Trap and interrupt entry stubs.
 *
 * Every one of the 256 IDT vectors has a 16-byte stub at
 * idt_stubs + 16 * vector that pushes a dummy error code when the CPU
 * does not push one, pushes the vector number and jumps to alltraps.
 * alltraps saves the general registers into a struct trapframe
 * (<machine/frame.h>), builds a fake call frame whose return address is
 * the interrupted %rip (so backtraces walk through traps), and calls
 * trap(frame).  swapgs is done only when the trap came from user mode.
 */

#define TF_R11	32
#define TF_RBP	64
#define TF_RCX	96
#define TF_RIP	136
#define TF_CS	144
#define TF_RFLAGS 152

/* Checked in user_machdep.c. */
#define GD_USCRATCH	1616
#define GD_KSTACK_TOP	1624
#define T_SYSCALL	256
#define USER_CS		0x2b
#define USER_SS		0x23
#define VM_MAX_USER	0x00007ffffffff000

/*
 * RFLAGS.AC through popfq rather than stac/clac: the nested hypervisor
 * of our build machines (DESIGN.md) runs the kernel deprivileged and
 * cannot emulate stac/clac ("KVM internal error"), while popfq of AC is
 * an ordinary flag write everywhere.  SMAP honours AC however it is set.
 */

/* The general registers in struct trapframe order (<machine/frame.h>). */
.macro SAVE_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro RESTORE_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
.endm

#define SET_AC		pushfq; orl $0x40000, (%rsp); popfq
#define CLEAR_AC	pushfq; andl $~0x40000, (%rsp); popfq

	.text
	.p2align 4
	.globl	idt_stubs
idt_stubs:
	.set	vec, 0
	.rept	256
	.p2align 4
	.if (vec == 8 || vec == 10 || vec == 11 || vec == 12 || vec == 13 || vec == 14 || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$vec
	.else
	pushq	$0
	pushq	$vec
	.endif
	jmp	alltraps
	.set	vec, vec + 1
	.endr

	.p2align 4
alltraps:
	testb	$3, 24(%rsp)		/* CS of the interrupted context */
	jz	1f
	swapgs
1:
	testb	$1, smap_enabled(%rip)
	jz	1f
	CLEAR_AC			/* AC may be set from user mode */
1:
	SAVE_GPRS
	cld
	movq	%rsp, %rdi
	pushq	TF_RIP(%rdi)		/* fake frame: "called" from the trap site */
	pushq	TF_RBP(%rdi)
	movq	%rsp, %rbp
	call	trap
	addq	$16, %rsp
	.globl	doreti_pop
doreti_pop:
	RESTORE_GPRS
	testb	$3, 24(%rsp)
	jz	2f
	swapgs
2:
	addq	$16, %rsp		/* vector and error code */
	iretq

/*
 * cpu_user_enter(tf): leave for user mode with the register state *tf,
 * which is the frame at the top of the current thread's kernel stack.
 * Used by a new user thread's first run (exec, fork, thread creation).
 */
	.globl	cpu_user_enter
cpu_user_enter:
	cli
	movq	%rdi, %rsp
	jmp	doreti_pop

/*
 * The `syscall' instruction lands here (MSR_LSTAR), interrupts off
 * (MSR_SFMASK clears IF, TF, DF, AC, NT), still on the user stack with
 * the user's %gs.  Build a struct trapframe at the top of the thread's
 * kernel stack, exactly where an interrupt from user mode would, so
 * that signals, fork and exec see one frame format; then call
 * syscall_handler(frame).  Return with sysretq when the frame still
 * says "return after the syscall" (%rcx = %rip, %r11 = %rflags, user
 * selectors, a canonical user %rip); anything else (exec, sigreturn,
 * signal delivery) goes out through iretq.
 *
 * NOTE: sysretq with a non-canonical %rip would fault in ring 0 on the
 * user's stack; the VM_MAX_USER test rules that out.
 */
	.globl	syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:GD_USCRATCH
	movq	%gs:GD_KSTACK_TOP, %rsp
	pushq	$USER_SS
	pushq	%gs:GD_USCRATCH
	pushq	%r11
	pushq	$USER_CS
	pushq	%rcx
	pushq	$0
	pushq	$T_SYSCALL
	SAVE_GPRS
	sti
	movq	%rsp, %rdi
	pushq	TF_RIP(%rdi)
	pushq	TF_RBP(%rdi)
	movq	%rsp, %rbp
	call	syscall_handler
	addq	$16, %rsp
	cli
	movq	TF_RIP(%rsp), %rcx
	cmpq	TF_RCX(%rsp), %rcx
	jne	doreti_pop
	movq	TF_RFLAGS(%rsp), %r11
	cmpq	TF_R11(%rsp), %r11
	jne	doreti_pop
	cmpq	$USER_CS, TF_CS(%rsp)
	jne	doreti_pop
	movabsq	$VM_MAX_USER, %rax
	cmpq	%rax, %rcx
	jae	doreti_pop
	RESTORE_GPRS
	/* trapno, err, rip, cs, rflags, rsp, ss */
	swapgs
	movq	40(%rsp), %rsp
	sysretq

/*
 * copy_user(dst, src, len, &td->td_onfault): the copy loop of
 * copyin/copyout (user_machdep.c), which validated the user range.  A
 * fault on a user page the VM cannot resolve resumes at 1: (trap.c
 * sets %rip to td_onfault) and returns EFAULT; else 0.
 */
	.globl	copy_user
copy_user:
	movq	%rcx, %r8
	leaq	1f(%rip), %rax
	movq	%rax, (%r8)
	testb	$1, smap_enabled(%rip)
	jz	2f
	SET_AC
2:
	movq	%rdx, %rcx		/* whole quadwords, then the rest */
	shrq	$3, %rcx
	rep movsq
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	testb	$1, smap_enabled(%rip)
	jz	3f
	CLEAR_AC
3:
	movq	$0, (%r8)
	xorl	%eax, %eax
	ret
1:
	testb	$1, smap_enabled(%rip)
	jz	4f
	CLEAR_AC
4:
	movq	$0, (%r8)
	movl	$14, %eax		/* EFAULT */
	ret
