/*
 * Character devices and their names in /dev (sys/vfs/devfs/devfs.c).
 *
 * A driver describes its entry points in a struct cdevsw and calls
 * make_dev() once per device it wants to appear in /dev.  The device
 * list is global: a device made before devfs is mounted appears when it
 * is mounted, one made afterwards appears at once in every mounted
 * devfs.  destroy_dev() removes the name again.
 *
 * Calling context of the entry points: the thread that called
 * open/close/read/write, with no lock or token of devfs held.  Many
 * threads may be inside one device at the same time, on any CPUs, and a
 * call may block (a console read waits for input): each driver provides
 * its own sleeping and its own MP safety.  A missing d_open or d_close
 * counts as success; a missing d_read or d_write fails with ENODEV.
 *
 *   d_open(dev, fflag)	      every open of the device node (fflag:
 *			      FREAD | FWRITE | ...); an error fails it.
 *   d_close(dev, fflag)      every close of such an open.
 *   d_read(dev, uio, ioflag) move data into uio from uio_offset, advance
 *			      it with uiomove(); moving nothing means end
 *			      of file.
 *   d_write(dev, uio, ioflag) the same, out of uio.
 */
#ifndef _SYS_DEVICE_H_
#define _SYS_DEVICE_H_

#include <sys/types.h>

struct cdev;
struct uio;

struct cdevsw {
	const char	*d_name;	/* driver name (diagnostics) */
	int		(*d_open)(struct cdev *dev, int fflag);
	int		(*d_close)(struct cdev *dev, int fflag);
	int		(*d_read)(struct cdev *dev, struct uio *uio,
			    int ioflag);
	int		(*d_write)(struct cdev *dev, struct uio *uio,
			    int ioflag);
};

#define SPECNAMELEN	31		/* bytes in a device name */

/*
 * A device.  si_drv1 is the driver's; everything else belongs to devfs.
 * The name is usable as soon as make_dev returns, so a driver that sets
 * si_drv1 afterwards must not depend on it in a call that comes first.
 */
struct cdev {
	const struct cdevsw *si_devsw;	/* [I] */
	void		*si_drv1;	/* [driver] private data */
	uint64_t	si_rdev;	/* [I] device number (va_rdev) */
	uint32_t	si_mode;	/* [I] initial mode of its nodes */
	uint32_t	si_uid;		/* [I] initial owner */
	uint32_t	si_gid;		/* [I] */
	volatile int	si_refs;	/* [a] device list + devfs nodes */
	volatile int	si_busy;	/* [a] calls into the driver running */
	volatile int	si_gone;	/* [a] destroy_dev was called */
	struct cdev	*si_next;	/* [devfs token] global device list */
	char		si_name[SPECNAMELEN + 1]; /* [I] */
};

/*
 * Make a device named name (one path component: 1 to SPECNAMELEN bytes,
 * no '/', not "." or "..") with the initial mode (permission bits),
 * owner and group of its /dev node.  Returns 0 and *devp, or EINVAL (bad
 * name, csw NULL), EEXIST (the name is taken), ENOMEM.  Thread context;
 * does not block.
 */
int	make_dev_p(const struct cdevsw *csw, const char *name, uint32_t mode,
	    uint32_t uid, uint32_t gid, struct cdev **devp);
/* The same, returning the device or NULL on any of those errors. */
struct cdev *make_dev(const struct cdevsw *csw, const char *name,
	    uint32_t mode, uint32_t uid, uint32_t gid);
/*
 * Remove dev's name from every devfs and wait until no call into its
 * driver is running.  Opens of the name that are still in use keep their
 * vnode, but open/read/write on it then fail with ENXIO and close no
 * longer reaches the driver: after destroy_dev returns, the driver is
 * never called again for dev.  A driver whose calls may sleep for long
 * (waiting for input) must wake them first, or destroy_dev waits as
 * long.  Thread context; may block.
 */
void	destroy_dev(struct cdev *dev);

/*
 * Devices every system has: null, zero, console (devfs_devices.c).
 * Made by the first devfs mount.
 */
void	devfs_devices_init(void);
/* devfs nodes in existence, over all mounts (tests: leaks). */
int	devfs_node_count(void);

#endif /* !_SYS_DEVICE_H_ */
