/*
 * The devices every system has, made by the first devfs mount
 * (devfs_devices_init):
 *
 *   null	read: end of file at once.  write: everything is accepted
 *		and reported written, and thrown away.
 *   zero	read: as many zero bytes as asked for.  write: like null.
 *   console	write: the bytes go to the kernel console (COM1), each "\n"
 *		sent as "\r\n" (a terminal's output processing), under the
 *		console lock so a write of up to CONS_CHUNK bytes does not
 *		interleave with kprintf from other CPUs.  read: through the
 *		console terminal's line discipline (sys/kern/tty_cons.c):
 *		a line at a time with echo and editing, or raw bytes in raw
 *		mode; interruptible.
 *
 * All three keep no state of their own, so they need no locking: many
 * readers and writers may use them at once.  Console readers share the
 * UART's input ring, each byte going to one of them (sys/dev/uart).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/uio.h>
#include <sys/cons.h>
#include <sys/device.h>
#include <sys/tty.h>

#define CONS_CHUNK	128	/* bytes written under one console lock */

static char zeros[512];		/* [I] */

/* Accept everything in uio and drop it. */
static void
uio_discard(struct uio *uio)
{
	uio->uio_buf = (char *)uio->uio_buf + uio->uio_resid;
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
}

static int
null_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (0);
}

static int
null_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	uio_discard(uio);
	return (0);
}

static int
zero_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	while (uio->uio_resid > 0)
		uiomove(zeros, sizeof(zeros), uio);
	return (0);
}

static int
console_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[CONS_CHUNK];
	uint64_t rf;
	bool nested;
	size_t n;

	while (uio->uio_resid > 0) {
		n = uiomove(buf, sizeof(buf), uio);
		rf = cons_lock(&nested);
		for (size_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				cons_putc('\r');
			cons_putc(buf[i]);
		}
		cons_unlock(rf, nested);
	}
	return (0);
}

static int
console_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (ttycons_read(uio));
}

static const struct cdevsw null_cdevsw = {
	.d_name = "null",
	.d_read = null_read,
	.d_write = null_write,
};

static const struct cdevsw zero_cdevsw = {
	.d_name = "zero",
	.d_read = zero_read,
	.d_write = null_write,
};

static const struct cdevsw console_cdevsw = {
	.d_name = "console",
	.d_read = console_read,
	.d_write = console_write,
};

static const struct {
	const struct cdevsw *csw;
	const char	*name;
	uint32_t	mode;
} devfs_std[] = {
	{ &null_cdevsw, "null", 0666 },
	{ &zero_cdevsw, "zero", 0666 },
	{ &console_cdevsw, "console", 0600 },
};

/* Called once, by the first devfs mount.  Thread context. */
void
devfs_devices_init(void)
{
	struct cdev *dev;
	int error;

	for (size_t i = 0; i < nitems(devfs_std); i++) {
		error = make_dev_p(devfs_std[i].csw, devfs_std[i].name,
		    devfs_std[i].mode, 0, 0, &dev);
		if (error != 0)
			kprintf("devfs: cannot make /dev/%s: %d\n",
			    devfs_std[i].name, error);
	}
}
