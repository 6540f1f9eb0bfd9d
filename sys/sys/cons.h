/*
 * The kernel console: a byte sink for kprintf and a line source for the
 * console monitor.  Implemented by the COM1 driver (sys/dev/uart).
 */
#ifndef _SYS_CONS_H_
#define _SYS_CONS_H_

#include <sys/types.h>

void	cons_init(void);		/* early: polled output only */
void	cons_intr_init(void);		/* route the receive interrupt */
void	cons_putc(int c);		/* polled; any context */
int	cons_getc(void);		/* -1 if no input is buffered */
/* Sleep until a byte of input is buffered and take it.  Thread context. */
int	cons_getc_wait(void);
int	cons_getc_wait_intr(int *errp);	/* EINTR: thread interrupted */
/* Tests: loop the console back on itself (output becomes input). */
void	cons_loopback(bool on);

/* Exclusive use of the console across several kprintf calls. */
uint64_t cons_lock(bool *nested);
void	cons_unlock(uint64_t rflags, bool nested);

/* Non-NULL once the system has panicked (sys/kern/kern_panic.c). */
extern const char * volatile panicstr;

#endif /* !_SYS_CONS_H_ */
