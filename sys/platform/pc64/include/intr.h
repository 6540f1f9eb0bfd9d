/*
 * Interrupt vectors and handler registration on pc64.
 *
 * Vector map:
 *   0x00-0x1f	CPU exceptions
 *   0x20	local APIC timer (FAST: runs in trap context)
 *   0x30-0x4f	I/O APIC pins (GSI 0-31), vector = 0x30 + GSI
 *   0xf0	IPI message queue (lwkt_ipiq.c)
 *   0xfe	APIC error
 *   0xff	spurious
 * Panic stops other CPUs with NMIs, not a vector.
 */
#ifndef _MACHINE_INTR_H_
#define _MACHINE_INTR_H_

#include <sys/types.h>

#define IDT_TIMER	0x20
#define IDT_IOAPIC_BASE	0x30
#define IDT_IOAPIC_MAX	32
#define IDT_IPIQ	0xf0
#define IDT_APIC_ERROR	0xfe
#define IDT_SPURIOUS	0xff

typedef void intr_handler_t(void *arg);

/*
 * Register a handler for a vector (all CPUs).  Handlers run in trap
 * context with interrupts disabled and must not block; the EOI is sent
 * after they return.  Called at boot from thread context.
 */
void	intr_establish_vector(int vec, intr_handler_t *fn, void *arg);
/* Route ISA IRQ irq (MADT overrides applied) to the BSP and register fn. */
void	intr_establish_isa(int irq, intr_handler_t *fn, void *arg);

#endif /* !_MACHINE_INTR_H_ */
