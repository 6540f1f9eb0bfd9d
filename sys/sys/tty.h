/*
 * The console terminal's line discipline (sys/kern/tty_cons.c).
 */
#ifndef _SYS_TTY_H_
#define _SYS_TTY_H_

#include <sys/types.h>

struct uio;

/*
 * Read from the console: one line in canonical mode (echo and editing),
 * what is buffered in raw mode.  Sleeps until input arrives; EINTR if
 * the thread is interrupted first (thread_intr_pending).  Thread
 * context, may block.
 */
int	ttycons_read(struct uio *uio);
/* Raw mode on or off (kernel tests that loop the UART back). */
void	ttycons_setraw(bool raw);

#endif /* !_SYS_TTY_H_ */
