/*
 * The console terminal: a canonical line discipline on top of the UART's
 * input ring (sys/dev/uart), used by reads of /dev/console.
 *
 * Canonical mode (the default): typed bytes are echoed and collected
 * into a line; backspace or DEL erases the last byte, ^U the whole line,
 * CR and LF end it (delivered as "\n"), ^D delivers what is there
 * without a newline (at the start of a line: end of file, a 0-byte
 * read).  A read returns at most one line; what it could not take
 * stays for the next read.  Lines longer than TTY_LINEMAX are cut: the
 * extra bytes are dropped (and not echoed).
 *
 * Raw mode (ttycons_setraw, kernel tests): no echo, no editing; a read
 * waits for one byte and returns what is buffered.
 *
 * Reads sleep interruptibly: a signal, the process's exit or an abort
 * of the asynchronous message ends the wait with EINTR (unless some
 * bytes were already delivered).
 *
 * Locking: tc_lock (a sleep lock) serialises readers, so one line goes
 * to one reader; the line buffer is [tc_lock].  Echo goes through the
 * console lock like every console write.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/uio.h>
#include <sys/cons.h>
#include <sys/tty.h>

#define TTY_LINEMAX	1024

static struct {
	struct klock	tc_lock;
	bool		tc_init;		/* [boot] */
	volatile bool	tc_raw;			/* [a] */
	char		tc_line[TTY_LINEMAX];	/* [tc_lock] */
	size_t		tc_len;			/* [tc_lock] bytes in the line */
	size_t		tc_off;			/* [tc_lock] bytes delivered */
	bool		tc_ready;		/* [tc_lock] line complete */
} tc;

static void
tc_setup(void)
{
	/* First use is from thread context before any concurrency matters. */
	if (!tc.tc_init) {
		klock_init(&tc.tc_lock, "ttycons");
		tc.tc_init = true;
	}
}

void
ttycons_setraw(bool raw)
{
	__atomic_store_n(&tc.tc_raw, raw, __ATOMIC_RELEASE);
}

static void
echo(const char *s, size_t n)
{
	bool nested;
	uint64_t rf = cons_lock(&nested);

	for (size_t i = 0; i < n; i++)
		cons_putc(s[i]);
	cons_unlock(rf, nested);
}

/* Edit the line with one typed byte; true when it is complete. */
static bool
tc_input(int ch)
{
	char c = (char)ch;

	switch (ch) {
	case '\r':
	case '\n':
		echo("\r\n", 2);
		if (tc.tc_len < TTY_LINEMAX)
			tc.tc_line[tc.tc_len++] = '\n';
		else
			tc.tc_line[TTY_LINEMAX - 1] = '\n';
		return (true);
	case 0x04:			/* ^D */
		return (true);
	case 0x08:
	case 0x7f:
		if (tc.tc_len > 0) {
			tc.tc_len--;
			echo("\b \b", 3);
		}
		return (false);
	case 0x15:			/* ^U */
		while (tc.tc_len > 0) {
			tc.tc_len--;
			echo("\b \b", 3);
		}
		return (false);
	default:
		if (tc.tc_len < TTY_LINEMAX - 1) {
			tc.tc_line[tc.tc_len++] = c;
			echo(&c, 1);
		}
		return (false);
	}
}

static int
ttycons_read_raw(struct uio *uio)
{
	int ch, error;
	char c;

	ch = cons_getc_wait_intr(&error);
	if (ch < 0)
		return (error);
	do {
		c = (char)ch;
		uiomove(&c, 1, uio);
	} while (uio->uio_resid > 0 && (ch = cons_getc()) >= 0);
	return (0);
}

int
ttycons_read(struct uio *uio)
{
	size_t n;
	int ch, error = 0;

	if (uio->uio_resid == 0)
		return (0);
	if (__atomic_load_n(&tc.tc_raw, __ATOMIC_ACQUIRE))
		return (ttycons_read_raw(uio));
	tc_setup();
	klock_acquire(&tc.tc_lock);
	while (!tc.tc_ready) {
		ch = cons_getc_wait_intr(&error);
		if (ch < 0)
			goto out;
		tc.tc_ready = tc_input(ch);
	}
	n = uiomove(tc.tc_line + tc.tc_off, tc.tc_len - tc.tc_off, uio);
	tc.tc_off += n;
	if (tc.tc_off == tc.tc_len) {
		tc.tc_len = tc.tc_off = 0;
		tc.tc_ready = false;
	}
out:
	klock_release(&tc.tc_lock);
	return (error);
}
