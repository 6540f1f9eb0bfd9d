/*
 * Process entry point.  The kernel starts a program at _start with %rsp
 * (16-byte aligned) pointing at:
 *
 *	argc			8 bytes
 *	argv[0..argc-1]		then NULL
 *	envp[0..]		then NULL
 *
 * _start sets environ (defined in lib/libc/stdlib/environ.c), calls
 * main(argc, argv, envp) on a 16-byte aligned stack as the SysV ABI
 * requires before a call, and passes its result to exit(), which runs
 * the atexit handlers and flushes stdio.  %rbp is zeroed so that frame
 * walkers stop here.
 */
	.text
	.globl	_start
	.type	_start,@function
_start:
	xorl	%ebp, %ebp
	movq	0(%rsp), %rdi			/* argc */
	leaq	8(%rsp), %rsi			/* argv */
	leaq	16(%rsp,%rdi,8), %rdx	/* envp = &argv[argc + 1] */
	movq	%rdx, environ(%rip)
	andq	$-16, %rsp
	call	main
	movl	%eax, %edi
	call	exit
	ud2					/* exit does not return */
	.size	_start, . - _start

	.section .note.GNU-stack,"",@progbits
