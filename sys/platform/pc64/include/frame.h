/*
 * The register frame built by alltraps (exception.S).  Field order must
 * match the push order there; the offsets used in assembly are checked.
 */
#ifndef _MACHINE_FRAME_H_
#define _MACHINE_FRAME_H_

#include <sys/types.h>

struct trapframe {
	uint64_t	tf_r15, tf_r14, tf_r13, tf_r12, tf_r11, tf_r10;
	uint64_t	tf_r9, tf_r8, tf_rbp, tf_rdi, tf_rsi, tf_rdx;
	uint64_t	tf_rcx, tf_rbx, tf_rax;
	uint64_t	tf_trapno;	/* pushed by the stub */
	uint64_t	tf_err;		/* by the CPU, or 0 by the stub */
	uint64_t	tf_rip, tf_cs, tf_rflags, tf_rsp, tf_ss;
};
CTASSERT(offsetof(struct trapframe, tf_rbp) == 64);
CTASSERT(offsetof(struct trapframe, tf_rip) == 136);
CTASSERT(offsetof(struct trapframe, tf_cs) == 144);
CTASSERT(sizeof(struct trapframe) == 176);

#endif /* !_MACHINE_FRAME_H_ */
