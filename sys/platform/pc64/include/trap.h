/*
 * Exception vectors and the trap catcher.
 */
#ifndef _MACHINE_TRAP_H_
#define _MACHINE_TRAP_H_

#include <sys/types.h>

#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BPT		3
#define T_OVERFLOW	4
#define T_BOUND		5
#define T_INVOP		6
#define T_DNA		7
#define T_DOUBLEFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STKFLT	12
#define T_PROTFLT	13
#define T_PAGEFLT	14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMD		19
#define T_SYSCALL	256	/* tf_trapno of a syscall frame (not a vector) */

/* Page fault error code bits. */
#define PGEX_P		0x01	/* protection violation (else not present) */
#define PGEX_W		0x02	/* write */
#define PGEX_U		0x04	/* user mode */
#define PGEX_I		0x10	/* instruction fetch */

/*
 * A trap catcher lets kernel code survive one expected exception: when
 * the running CPU takes an exception while its catcher is armed, the
 * trap handler records what happened, disarms the catcher and resumes at
 * tc_resume instead of panicking.  Armed and disarmed by the code that
 * expects the trap, on its own CPU, in a critical section.
 */
struct trapcatch {
	uint64_t	tc_resume;	/* where to continue */
	int		tc_vector;	/* out: exception vector */
	uint64_t	tc_err;		/* out: error code */
	uint64_t	tc_rip;		/* out: faulting instruction */
	uint64_t	tc_addr;	/* out: %cr2 for page faults */
	bool		tc_caught;	/* out */
};

void	trap_catch_arm(struct trapcatch *tc, uint64_t resume);
void	trap_catch_disarm(void);
const char *trap_name(int vec);

#endif /* !_MACHINE_TRAP_H_ */
