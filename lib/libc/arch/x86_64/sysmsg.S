/*
 * The machine-dependent bottom of the C library: the one instruction that
 * enters the kernel, and the signal restorer.
 *
 * The ABI is <sys/sysmsg.h>: %rax = primitive (SYSP_*), %rdi and %rsi =
 * its two arguments; the kernel returns a value in %rax and 0 or an errno
 * in %rdx, clobbers %rcx and %r11 and keeps every other register.
 *
 * This file is assembled, so it cannot include <sys/sysmsg.h> (the header
 * declares C structures).  The few constants used here are repeated
 * below and checked against the header at compile time by
 * lib/libc/sys/msgcall.c (_Static_assert), so a change there breaks the
 * build instead of signals.
 */

#define SYSP_DOMSG	1
#define SYSP_DOMSG_REG	5
#define SYS_SIGRETURN	10
#define SYSMSG_SIZE	64	/* sizeof(struct sysmsg) */
#define SM_CMD		0	/* offsetof(struct sysmsg, sm_cmd) */
#define SM_SIZE		4
#define SM_ARG0		24	/* offsetof(struct sysmsg, sm_arg) */

	.text

/*
 * long __sysmsg_prim(long prim, long a0, long a1, int *errp)
 *
 * Issue primitive prim with arguments a0, a1.  Returns %rax; stores %rdx
 * (0 or an errno) into *errp unless errp is NULL.  Arrives as SysV:
 * %rdi = prim, %rsi = a0, %rdx = a1, %rcx = errp.  errp is moved to %r8,
 * which the kernel preserves, because `syscall' overwrites %rcx.
 */
	.globl	__sysmsg_prim
	.type	__sysmsg_prim,@function
	.p2align 4
__sysmsg_prim:
	movq	%rcx, %r8
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	syscall
	testq	%r8, %r8
	jz	1f
	movl	%edx, (%r8)
1:	ret
	.size	__sysmsg_prim, . - __sysmsg_prim

/*
 * void __sigreturn_tramp(void)	-- never called, only returned into.
 *
 * Registered with SYS_SIGSETUP by sigaction().  The kernel delivers a
 * signal by building a struct sigframe on the user stack whose first
 * word (sf_retaddr) is this address, and calling the handler; when the
 * handler returns, its `ret' pops sf_retaddr, so on entry here %rsp
 * points at sf_signo and the frame begins at %rsp - 8.
 *
 * We build a SYS_SIGRETURN message below the frame (never over it),
 * with sm_arg[0] = the frame address, and send it with SYSP_DOMSG.  On
 * success the kernel resumes the interrupted context and this code never
 * continues.  If the kernel refuses the frame there is nothing sane to
 * return to: ud2 makes the process die by SIGILL.
 */
/*
 * long __sm_call(unsigned cmd, a0, a1, a2, a3, a4): a synchronous
 * message carried in registers (SYSP_DOMSG_REG: %rdi = cmd, %rsi %rdx
 * %r10 %r8 %r9 = arguments).  The result, or -1 with errno set.
 */
	.globl	__sm_call
	.type	__sm_call,@function
	.p2align 4
__sm_call:
	movq	%rcx, %r10
	movl	$SYSP_DOMSG_REG, %eax
	syscall
	testq	%rdx, %rdx
	jnz	1f
	ret
1:	movl	%edx, errno(%rip)
	movq	$-1, %rax
	ret
	.size	__sm_call, . - __sm_call

/*
 * long __sm_call_raw(unsigned cmd, a0, a1, a2, int *errp): the same with
 * three arguments, the error stored through errp (0 on success) and
 * errno untouched.
 */
	.globl	__sm_call_raw
	.type	__sm_call_raw,@function
	.p2align 4
__sm_call_raw:
	pushq	%r8			/* errp */
	movq	%rcx, %r10
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	movl	$SYSP_DOMSG_REG, %eax
	syscall
	popq	%r8
	movl	%edx, (%r8)
	ret
	.size	__sm_call_raw, . - __sm_call_raw

	.globl	__sigreturn_tramp
	.type	__sigreturn_tramp,@function
	.p2align 4
__sigreturn_tramp:
	leaq	-8(%rsp), %rbx		/* the struct sigframe */
	leaq	-SYSMSG_SIZE(%rbx), %rsp
	andq	$-16, %rsp
	xorl	%eax, %eax		/* zero the message */
	movq	%rax, 0(%rsp)
	movq	%rax, 8(%rsp)
	movq	%rax, 16(%rsp)
	movq	%rax, 24(%rsp)
	movq	%rax, 32(%rsp)
	movq	%rax, 40(%rsp)
	movq	%rax, 48(%rsp)
	movq	%rax, 56(%rsp)
	movl	$SYS_SIGRETURN, SM_CMD(%rsp)
	movl	$SYSMSG_SIZE, SM_SIZE(%rsp)
	movq	%rbx, SM_ARG0(%rsp)
	movl	$SYSP_DOMSG, %eax
	movq	%rsp, %rdi
	xorl	%esi, %esi
	syscall
	ud2
	.size	__sigreturn_tramp, . - __sigreturn_tramp

	.section .note.GNU-stack,"",@progbits
