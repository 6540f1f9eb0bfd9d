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

#define TF_RBP	64
#define TF_RIP	136
#define TF_CS	144

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
	cld
	movq	%rsp, %rdi
	pushq	TF_RIP(%rdi)		/* fake frame: "called" from the trap site */
	pushq	TF_RBP(%rdi)
	movq	%rsp, %rbp
	call	trap
	addq	$16, %rsp
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
	testb	$3, 24(%rsp)
	jz	2f
	swapgs
2:
	addq	$16, %rsp		/* vector and error code */
	iretq
