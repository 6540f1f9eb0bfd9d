/*
 * PVH entry and the switch to long mode.
 *
 * QEMU finds the 32-bit entry point in the ELF note "Xen", type 18
 * (XEN_ELFNOTE_PHYS32_ENTRY), and jumps to it in 32-bit protected mode
 * with paging off and %ebx holding the physical address of the
 * hvm_start_info structure.  We load a boot GDT, turn on PAE and long
 * mode with static page tables that map the first 1 GiB three times
 * (identity, direct map at DMAP_BASE, kernel at KERNBASE), then jump to
 * the higher half and call kmain(start_info_pa) on the boot stack.
 *
 * The note is 4-byte aligned and the entry is a .quad: with 8-byte note
 * alignment QEMU 7.2 reads the wrong address.
 */

#define PG_P	0x001
#define PG_RW	0x002
#define PG_PS	0x080

	.section .note.Xen, "a", @note
	.p2align 2
	.long	4			/* name size */
	.long	8			/* desc size */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.p2align 2
	.quad	pvh_start32

	.section .boot.text, "ax", @progbits
	.code32
	.globl	pvh_start32
pvh_start32:
	cli
	cld
	movl	%ebx, %edi		/* hvm_start_info, kept for kmain */
	lgdt	boot_gdtr

	movl	%cr4, %eax
	orl	$0x20, %eax		/* CR4.PAE */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$0x100, %eax		/* EFER.LME */
	wrmsr
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax	/* clear CD, NW */
	orl	$0x80000001, %eax	/* PG, PE */
	movl	%eax, %cr0
	ljmp	$0x08, $boot64

	.code64
boot64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp
	movabsq	$kmain, %rax
	pushq	$0			/* fake return address ends backtraces */
	jmp	*%rax

	.section .boot.data, "aw", @progbits
	.p2align 12
	/* Static boot page tables; the kernel builds its own in pmap.c. */
	.globl	boot_pml4
boot_pml4:
	.quad	boot_pdpt_low + PG_P + PG_RW
	.fill	255, 8, 0
	.quad	boot_pdpt_low + PG_P + PG_RW	/* DMAP_BASE, slot 256 */
	.fill	254, 8, 0
	.quad	boot_pdpt_high + PG_P + PG_RW	/* KERNBASE, slot 511 */
boot_pdpt_low:
	.quad	boot_pd + PG_P + PG_RW
	.fill	511, 8, 0
boot_pdpt_high:
	.fill	510, 8, 0
	.quad	boot_pd + PG_P + PG_RW		/* -2 GiB */
	.quad	0
boot_pd:
	.set	i, 0
	.rept	512
	.quad	(i << 21) + PG_P + PG_RW + PG_PS
	.set	i, i + 1
	.endr

	.p2align 3
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdtr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.bss
	.p2align 12
	.globl	boot_stack
boot_stack:
	.space	16384
	.globl	boot_stack_top
boot_stack_top:
