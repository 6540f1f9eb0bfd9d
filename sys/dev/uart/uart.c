/*
 * COM1 (16550 UART at I/O port 0x3f8) as the kernel console.
 *
 * Output is polled: cons_putc() waits for the transmit holding register
 * and writes one byte, so it works from any context, including panics
 * and trap handlers, without buffering.  Input is interrupt driven once
 * cons_intr_init() has routed IRQ 4 through the I/O APIC: the handler
 * moves received bytes into a ring that cons_getc() drains.
 *
 * The ring is single-producer (the interrupt handler on the BSP) single-
 * consumer (the console monitor); head and tail are each written by one
 * side only, with release/acquire ordering.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cons.h>
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
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

#define UART_IRQ	4
#define RXRING		256

static char rxring[RXRING];
static volatile uint32_t rxhead;	/* written by the interrupt handler */
static volatile uint32_t rxtail;	/* written by cons_getc() */

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
	while (inb(COM1 + UART_LSR) & LSR_DR) {
		char c = (char)inb(COM1 + UART_RBR);
		uint32_t h = rxhead;

		if (h - __atomic_load_n(&rxtail, __ATOMIC_ACQUIRE) < RXRING) {
			rxring[h % RXRING] = c;
			__atomic_store_n(&rxhead, h + 1, __ATOMIC_RELEASE);
		}
		/* else: ring full, the byte is dropped. */
	}
}

void
cons_intr_init(void)
{
	intr_establish_isa(UART_IRQ, uart_intr, NULL);
	outb(COM1 + UART_IER, 0x01);		/* received data available */
}

int
cons_getc(void)
{
	uint32_t t = rxtail;
	int c;

	if (t == __atomic_load_n(&rxhead, __ATOMIC_ACQUIRE))
		return (-1);
	c = (unsigned char)rxring[t % RXRING];
	__atomic_store_n(&rxtail, t + 1, __ATOMIC_RELEASE);
	return (c);
}
