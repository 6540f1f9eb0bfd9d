/*
 * Machine-dependent thread set-up for LWKT.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <machine/md_var.h>

CTASSERT(offsetof(struct thread, td_sp) == 24);

extern char lwkt_thread_trampoline[];

/*
 * Lay out a new thread's stack so that cpu_switch_to() "returns" into
 * lwkt_thread_trampoline with %rbx = td and interrupts enabled.  The
 * frame below the trampoline's is 16-byte aligned as the ABI wants at a
 * call, and its return address is 0, which ends backtraces.
 */
void
cpu_thread_setup(struct thread *td)
{
	uint64_t *sp = (uint64_t *)(td->td_kstack + td->td_kstack_size);

	*--sp = 0;				/* alignment pad */
	*--sp = 0;				/* fake return address */
	*--sp = (uint64_t)lwkt_thread_trampoline;
	*--sp = 0x202;				/* rflags: IF */
	*--sp = 0;				/* rbp */
	*--sp = (uint64_t)td;			/* rbx */
	*--sp = 0;				/* r12 */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	td->td_sp = (uint64_t)sp;
}
