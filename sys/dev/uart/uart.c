/*
 * COM1 (16550 UART at I/O port 0x3f8) as the kernel console.
 *
 * Output is polled: cons_putc() waits for the transmit holding register
 * and writes one byte, so it works from any context, including panics
 * and trap handlers, without buffering.  Input is interrupt driven once
 * cons_intr_init() has routed IRQ 4 through the I/O APIC: the handler
 * moves received bytes into a ring that cons_getc() drains.
 *
 * The ring has a single producer (the interrupt handler on the BSP);
 * head is written only by it, with release ordering.  Consumers (the
 * console monitor, readers of /dev/console) may be several: each takes a
 * byte by advancing tail with a compare-and-swap after reading it, so a
 * byte goes to exactly one of them.
 *
 * Blocking input (cons_getc_wait): a reader registers on the sleep
 * channel &rxhead, checks the ring and sleeps.  The handler wakes it
 * when it stored bytes, but only when the thread it interrupted is
 * outside any critical section (the rule hardclock follows for timer
 * callbacks): wakeup touches the CPU's sleep queues and IPI FIFOs, which
 * code in a critical section may be in the middle of changing.  If the
 * interrupted thread was in a critical section the wakeup is skipped and
 * the reader's 10 ms sleep timeout picks the byte up: never later than
 * the console monitor's polling, and at once in the common case.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/cons.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>

#define COM1		0x3f8
#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define MCR_LOOP	0x10	/* loopback: transmitted bytes are received */
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */

#define UART_IRQ	4
#define RXRING		4096

static char rxring[RXRING];
static volatile uint32_t rxhead;	/* written by the interrupt handler */
static volatile uint32_t rxtail;	/* [a] advanced by consumers (CAS) */

#define RXWAIT_NS	10000000UL	/* backstop poll of a blocked reader */

void
cons_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);		/* DLAB */
	outb(COM1 + 0, 0x01);			/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	outb(COM1 + UART_FCR, 0x07);		/* enable and clear FIFOs */
	outb(COM1 + UART_MCR, 0x0b);		/* DTR, RTS, OUT2 (IRQ gate) */
}

void
cons_putc(int c)
{
	for (int spins = 0; spins < 100000; spins++) {
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
		cpu_pause();
	}
	outb(COM1 + UART_THR, (uint8_t)c);
}

/* IRQ 4 handler: called in trap context on the BSP. */
static void
uart_intr(void *arg)
{
	struct globaldata *gd = mycpu;
	struct thread *td = gd->gd_curthread;
	bool stored = false;

	while (inb(COM1 + UART_LSR) & LSR_DR) {
		char c = (char)inb(COM1 + UART_RBR);
		uint32_t h = rxhead;

		if (h - __atomic_load_n(&rxtail, __ATOMIC_ACQUIRE) < RXRING) {
			rxring[h % RXRING] = c;
			__atomic_store_n(&rxhead, h + 1, __ATOMIC_RELEASE);
			stored = true;
		}
		/* else: ring full, the byte is dropped. */
	}
	/* See the note at the top: only outside a critical section. */
	if (stored && td->td_critcount == 0 && gd->gd_intr_nesting == 1) {
		crit_enter_td(td);
		wakeup(&rxhead);
		crit_exit_td(td);
	}
}

void
cons_intr_init(void)
{
	intr_establish_isa(UART_IRQ, uart_intr, NULL);
	outb(COM1 + UART_IER, 0x01);		/* received data available */
}

/*
 * Take one byte, or -1 if the ring is empty.  Any context.  The byte is
 * read before the CAS claims it: while tail still equals t the producer
 * cannot reuse slot t, so a successful CAS proves the byte was intact.
 */
int
cons_getc(void)
{
	uint32_t t;
	int c;

	for (;;) {
		t = __atomic_load_n(&rxtail, __ATOMIC_ACQUIRE);
		if (t == __atomic_load_n(&rxhead, __ATOMIC_ACQUIRE))
			return (-1);
		c = (unsigned char)rxring[t % RXRING];
		if (__atomic_compare_exchange_n(&rxtail, &t, t + 1, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return (c);
	}
}

/*
 * Take one byte, sleeping until one arrives.  Thread context; may block.
 * The interlock puts us on the channel before the ring is checked, so a
 * byte stored in between wakes us (or the timeout does, see the top).
 */
int
cons_getc_wait(void)
{
	int c;

	while ((c = cons_getc()) < 0) {
		tsleep_interlock(&rxhead);
		if ((c = cons_getc()) >= 0)
			break;
		tsleep(&rxhead, PINTERLOCKED, "consin", RXWAIT_NS);
	}
	return (c);
}

/*
 * cons_getc_wait, interruptibly: -1 with *errp = EINTR when the thread
 * should stop waiting (thread_intr_pending), else the byte.
 */
int
cons_getc_wait_intr(int *errp)
{
	int c;

	*errp = 0;
	while ((c = cons_getc()) < 0) {
		tsleep_interlock(&rxhead);
		if ((c = cons_getc()) >= 0)
			break;
		if (tsleep(&rxhead, PINTERLOCKED | PCATCH, "consin",
		    RXWAIT_NS) == EINTR) {
			*errp = EINTR;
			return (-1);
		}
	}
	return (c);
}

/*
 * Loop the UART back on itself (tests): transmitted bytes are received,
 * raise the receive interrupt and land in the ring; nothing reaches the
 * serial line meanwhile.  Thread context.
 */
void
cons_loopback(bool on)
{
	uint64_t rf;
	bool nested;

	/* Let the byte in the transmitter leave before the mode changes. */
	rf = cons_lock(&nested);
	for (int spins = 0; spins < 100000; spins++) {
		if (inb(COM1 + UART_LSR) & LSR_TEMT)
			break;
		cpu_pause();
	}
	outb(COM1 + UART_MCR, on ? 0x0b | MCR_LOOP : 0x0b);
	cons_unlock(rf, nested);
}
