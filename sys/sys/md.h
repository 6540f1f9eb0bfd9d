/*
 * Services every platform provides to machine-independent code.
 */
#ifndef _SYS_MD_H_
#define _SYS_MD_H_

#include <sys/types.h>

/* Stop every other CPU (NMI): used by panic.  Any context. */
void	md_stop_other_cpus(void);
/* Disable interrupts on this CPU (for good: panic paths). */
void	md_intr_disable(void);
void	md_intr_enable(void);
/*
 * Wait for the next interrupt with interrupts enabled (sti; hlt).  The
 * caller re-checks its condition afterwards.
 */
void	md_idle_wait(void);
/* Halt this CPU for good, interrupts off. */
void	md_halt(void) __dead2;
/*
 * Leave the machine with a status: under QEMU through isa-debug-exit
 * (0x10 pass, 0x20 fail: QEMU exits with status (code << 1) | 1).
 * Falls back to md_halt() if the device is not there.
 */
void	md_exit(int code) __dead2;
/* Print the call chain starting at frame pointer fp, symbolized. */
void	md_backtrace(uint64_t fp, int skip);

/* Interrupt CPU cpu so that it processes its IPI queues. Any context. */
void	md_send_ipiq(int cpu);

/* Monotonic nanoseconds since boot; any context, any CPU. */
uint64_t nanouptime(void);
/* Busy-wait (calibrated TSC); any context. */
void	delay_us(uint64_t us);

/*
 * The boot module (the initrd) where the loader left it, read through the
 * kernel's mapping of physical memory: true with *bufp and *lenp set if
 * there is one that lies wholly in RAM, false otherwise.  The memory is
 * never handed out by the page allocator.  Any context, after boot.
 */
bool	md_initrd(const void **bufp, size_t *lenp);

/* Symbol lookup in the embedded table (sys/kern/kern_ksyms.c). */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#define EXIT_PASS	0x10
#define EXIT_FAIL	0x20

#endif /* !_SYS_MD_H_ */
