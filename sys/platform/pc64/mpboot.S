/*
 * Application processor start-up trampoline.
 *
 * mp_machdep.c copies tramp_start..tramp_end to physical TRAMP_BASE
 * (0x8000) and fills in the data words at the end before each
 * INIT-SIPI-SIPI.  The AP starts in real mode at TRAMP_BASE, loads a
 * small GDT, enters protected mode, enables PAE and long mode on the boot
 * page tables (which identity-map the first 1 GiB and map the kernel at
 * KERNBASE) and jumps to ap_start64 in the kernel's higher half, which
 * switches to the kernel page tables and the AP's own stack, then calls
 * ap_entry(gd).  All code here is position-dependent on TRAMP_BASE.
 */

#define TRAMP_BASE	0x8000
#define T(x)		((x) - tramp_start + TRAMP_BASE)

	.section .trampoline, "ax", @progbits
	.code16
	.globl	tramp_start
tramp_start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	T(tramp_gdtr)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	$0x08, $T(tramp32)

	.code32
tramp32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$0x20, %eax			/* PAE */
	movl	%eax, %cr4
	movl	T(tramp_cr3), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx		/* EFER */
	rdmsr
	orl	$0x100, %eax			/* LME */
	orl	T(tramp_efer), %eax		/* NXE when used */
	wrmsr
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax		/* caches on */
	orl	$0x80010000, %eax		/* PG, WP */
	movl	%eax, %cr0
	ljmp	$0x18, $T(tramp64)

	.code64
tramp64:
	movq	T(tramp_gd), %rdi
	movq	T(tramp_stack), %rsi
	movq	T(tramp_entry), %rax
	jmp	*%rax

	.p2align 3
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tramp_gdtr:
	.word	tramp_gdtr - tramp_gdt - 1
	.long	T(tramp_gdt)

	.p2align 3
	.globl	tramp_cr3, tramp_efer, tramp_gd, tramp_stack, tramp_entry
tramp_cr3:	.long	0	/* boot page tables (below 4 GiB) */
tramp_efer:	.long	0
tramp_gd:	.quad	0
tramp_stack:	.quad	0
tramp_entry:	.quad	0
	.globl	tramp_end
tramp_end:

	.text
	.code64
/* In the higher half, on the boot page tables; %rdi = gd, %rsi = stack. */
	.globl	ap_start64
ap_start64:
	movq	kernel_cr3(%rip), %rax
	movq	%rax, %cr3
	movq	%rsi, %rsp
	xorl	%ebp, %ebp
	pushq	$0
	jmp	ap_entry
