/*
 * In-kernel tests of devfs (devfs.c) and its standard devices
 * (devfs_devices.c), through the kern_* file API.
 *
 *   devfs_list		/dev lists exactly ".", "..", console, null, zero,
 *			in one call and one record at a time; stat of each
 *   devfs_null		/dev/null: writes vanish and count as written,
 *			reads are at end of file
 *   devfs_zero		/dev/zero: reads give zeros, writes vanish
 *   devfs_console_write  a write to /dev/console reaches the console
 *   devfs_console_read	a reader of /dev/console blocks until input
 *			arrives (the UART looped back on itself: what is
 *			written comes back through the receive interrupt),
 *			then gets it raw; nothing may print meanwhile
 *   devfs_namespace	names cannot be created, removed, renamed or
 *			linked; errnos as documented; nothing changes
 *   devfs_setattr	chmod and chown of nodes work (and stay local to
 *			their mount)
 *   devfs_makedev	make_dev after the mount, bad names, destroy_dev
 *			with the device open and with a call blocked in it
 *   devfs_mount2	a second devfs shows the same devices; unmount
 *			frees its nodes
 *   devfs_stress	threads on every CPU read, write, stat and list
 *			/dev while a device comes and goes; no leak
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/md.h>
#include <sys/ktest.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <sys/cons.h>
#include <sys/tty.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/namecache.h>
#include <sys/device.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

#define DT_MAXNAMES	16
#define SEC		1000000000UL

struct dt_listing {
	int	n;
	char	names[DT_MAXNAMES][NAME_MAX + 1];
	uint8_t	types[DT_MAXNAMES];
	int	records;		/* over all calls */
};

/* vtu_readdir_all callback of dt_list. */
static int
dt_list_add(const struct dirent *dp, void *arg)
{
	struct dt_listing *l = arg;

	if (l->n < DT_MAXNAMES) {
		strlcpy(l->names[l->n], dp->d_name, sizeof(l->names[0]));
		l->types[l->n] = dp->d_type;
		l->n++;
	}
	return (0);
}

/*
 * Read the whole directory, "." and ".." included, with a buffer of
 * bufsize bytes per call.  Returns 0 or the first error.
 */
static int
dt_list(const char *path, size_t bufsize, struct dt_listing *l)
{
	memset(l, 0, sizeof(*l));
	return (vtu_readdir_all(path, bufsize, dt_list_add, l, &l->records));
}

/* How many times name appears in the listing (and with which type). */
static int
dt_count(const struct dt_listing *l, const char *name, uint8_t *type)
{
	int n = 0;

	for (int i = 0; i < l->n; i++) {
		if (strcmp(l->names[i], name) == 0) {
			n++;
			if (type != NULL)
				*type = l->types[i];
		}
	}
	return (n);
}

/* The listing is exactly ".", "..", and the names given (each once). */
static bool
dt_exactly(const struct dt_listing *l, const char *const *names, int n)
{
	uint8_t t;

	if (l->records != n + 2 || dt_count(l, ".", &t) != 1 || t != DT_DIR ||
	    dt_count(l, "..", &t) != 1 || t != DT_DIR)
		return (false);
	for (int i = 0; i < n; i++)
		if (dt_count(l, names[i], &t) != 1 || t != DT_CHR)
			return (false);
	return (true);
}

static const char *const dt_std[] = { "console", "null", "zero" };

KTEST(devfs_list, "/dev lists exactly . .. console null zero; stat of each node")
{
	struct dt_listing l;
	struct stat st, root, dev;
	uint64_t rdevs[3];
	int fd;

	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
	/* One record per call: the cookies resume correctly. */
	KT_ASSERT_EQ(dt_list("/dev", DIRENT_RECLEN(8), &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
	/* A buffer too small for one record. */
	KT_ASSERT_EQ(kern_open("/dev", O_RDONLY, 0, &fd), 0);
	{
		char small[8];
		size_t done;

		KT_CHECK(kern_readdir(fd, small, sizeof(small), &done) ==
		    EINVAL);
	}
	kern_close(fd);

	KT_ASSERT_EQ(kern_stat("/", &root), 0);
	KT_ASSERT_EQ(kern_stat("/dev", &dev), 0);
	KT_CHECK(S_ISDIR(dev.st_mode));
	KT_CHECK(dev.st_dev != root.st_dev);
	for (int i = 0; i < 3; i++) {
		char path[32];

		ksnprintf(path, sizeof(path), "/dev/%s", dt_std[i]);
		KT_ASSERT_EQ(kern_stat(path, &st), 0);
		KT_CHECK(S_ISCHR(st.st_mode));
		KT_CHECK(st.st_dev == dev.st_dev);
		KT_CHECK(st.st_nlink == 1);
		KT_CHECK(st.st_size == 0);
		KT_CHECK(st.st_rdev != 0);
		KT_CHECK(st.st_ino != dev.st_ino);
		rdevs[i] = st.st_rdev;
	}
	KT_CHECK(rdevs[0] != rdevs[1] && rdevs[1] != rdevs[2] &&
	    rdevs[0] != rdevs[2]);
	KT_CHECK(kern_stat("/dev/nonesuch", &st) == ENOENT);
	KT_CHECK(kern_stat("/dev/null/x", &st) == ENOTDIR);
	/* A device node cannot be listed. */
	KT_ASSERT_EQ(kern_open("/dev/null", O_RDONLY, 0, &fd), 0);
	{
		char buf[256];
		size_t done;

		KT_CHECK(kern_readdir(fd, buf, sizeof(buf), &done) == ENOTDIR);
	}
	kern_close(fd);
}

KTEST(devfs_null, "/dev/null: writes vanish and count as written, reads are at EOF")
{
	static char buf[3000];
	size_t done;
	int fd;

	memset(buf, 'x', sizeof(buf));
	KT_ASSERT_EQ(kern_open("/dev/null", O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_write(fd, buf, sizeof(buf), &done) == 0 &&
	    done == sizeof(buf));
	KT_CHECK(kern_write(fd, buf, 1, &done) == 0 && done == 1);
	KT_CHECK(kern_write(fd, buf, 0, &done) == 0 && done == 0);
	done = 99;
	KT_CHECK(kern_read(fd, buf, sizeof(buf), &done) == 0 && done == 0);
	KT_CHECK(buf[0] == 'x');
	KT_CHECK(kern_pread(fd, buf, 10, 12345, &done) == 0 && done == 0);
	KT_CHECK(kern_pwrite(fd, buf, 10, 12345, &done) == 0 && done == 10);
	KT_CHECK(kern_close(fd) == 0);
	/* Shells open it with O_TRUNC, and as append. */
	KT_ASSERT_EQ(kern_open("/dev/null", O_WRONLY | O_TRUNC | O_APPEND, 0,
	    &fd), 0);
	KT_CHECK(kern_write(fd, "abc", 3, &done) == 0 && done == 3);
	KT_CHECK(kern_close(fd) == 0);
	/* Write-only refuses reads, as for any file. */
	KT_ASSERT_EQ(kern_open("/dev/null", O_WRONLY, 0, &fd), 0);
	KT_CHECK(kern_read(fd, buf, 1, &done) == EBADF);
	KT_CHECK(kern_close(fd) == 0);
}

KTEST(devfs_zero, "/dev/zero: reads give as many zeros as asked, writes vanish")
{
	static char buf[5000];
	size_t done;
	bool zero = true;
	int fd;

	memset(buf, 0xa5, sizeof(buf));
	KT_ASSERT_EQ(kern_open("/dev/zero", O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_read(fd, buf, sizeof(buf) - 1, &done) == 0 &&
	    done == sizeof(buf) - 1);
	for (size_t i = 0; i < sizeof(buf) - 1; i++)
		zero = zero && buf[i] == 0;
	KT_CHECK(zero);
	KT_CHECK((uint8_t)buf[sizeof(buf) - 1] == 0xa5);	/* no overrun */
	KT_CHECK(kern_read(fd, buf, 0, &done) == 0 && done == 0);
	KT_CHECK(kern_write(fd, buf, sizeof(buf), &done) == 0 &&
	    done == sizeof(buf));
	KT_CHECK(kern_close(fd) == 0);
}

KTEST(devfs_console_write, "a write to /dev/console reaches the console")
{
	static const char msg[] = "# devfs_console_write: hello from "
	    "/dev/console\n";
	size_t done;
	int fd;

	KT_ASSERT_EQ(kern_open("/dev/console", O_WRONLY, 0, &fd), 0);
	KT_CHECK(kern_write(fd, msg, sizeof(msg) - 1, &done) == 0 &&
	    done == sizeof(msg) - 1);
	KT_CHECK(kern_close(fd) == 0);
}

/* --- console input, through the UART looped back on itself --- */

struct dt_reader {
	int		fd;
	char		buf[32];
	volatile size_t	got;		/* bytes read so far */
	volatile int	reads;		/* kern_read calls made */
	volatile int	error;
	volatile bool	started;
	volatile bool	done;
	size_t		want;
	thread_t	td;
};

static void
dt_reader_main(void *arg)
{
	struct dt_reader *r = arg;
	size_t n;

	r->td = curthread;
	__atomic_store_n(&r->started, true, __ATOMIC_RELEASE);
	while (r->got < r->want && r->error == 0) {
		r->error = kern_read(r->fd, r->buf + r->got, r->want - r->got,
		    &n);
		r->got += n;
		r->reads++;
		if (n == 0 && r->error == 0)
			r->error = EIO;		/* a blocking read returned 0 */
	}
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	wakeup(r);
}

/* Sleep in small steps until *flag or budget ns pass; true if set. */
static bool
dt_wait_flag(volatile bool *flag, uint64_t budget)
{
	uint64_t end = nanouptime() + budget;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (nanouptime() > end)
			return (false);
		tsleep(flag, 0, "dtwait", 2000000UL);
	}
	return (true);
}

/*
 * True once td is seen inside the console input wait.  td_wmesg is set
 * for the whole tsleep call, including the moment between its 10 ms
 * timeout firing and the thread running again; TDF_SLEEPING is not, and
 * a poller whose own timeouts fire on the same ticks may never see it.
 */
static bool
dt_wait_sleeping(thread_t td, uint64_t budget)
{
	uint64_t end = nanouptime() + budget;

	for (;;) {
		const char *wm = td->td_wmesg;

		if (wm != NULL && strcmp(wm, "consin") == 0)
			return (true);
		if (nanouptime() > end)
			return (false);
		tsleep(&end, 0, "dtwait", 1000000UL);
	}
}

KTEST_SMP(devfs_console_read, "1,4", "a /dev/console reader blocks until input arrives (the UART looped back), then gets it raw")
{
	static const char ping[] = "ping\n";	/* arrives as "ping\r\n" */
	struct dt_reader *r;
	bool started, slept, early, read_ok;
	size_t done, early_got;
	int wfd, error;

	r = kmalloc(sizeof(*r), M_TEMP, M_ZERO);
	KT_ASSERT(r != NULL);
	r->want = 6;
	/* Two opens: a blocked read holds its file's offset lock. */
	KT_ASSERT_EQ(kern_open("/dev/console", O_RDONLY, 0, &r->fd), 0);
	KT_ASSERT_EQ(kern_open("/dev/console", O_WRONLY, 0, &wfd), 0);
	/* Raw mode: bytes as they arrive, no echo into the loop. */
	ttycons_setraw(true);
	/* Drain input typed earlier, if any. */
	while (cons_getc() >= 0)
		;

	/*
	 * From here until loopback is off nothing may print: output would
	 * come back as input.  Results are kept and checked afterwards.
	 */
	cons_loopback(true);
	/* Output still queued in the emulated UART may loop back: drop it. */
	tsleep(r, 0, "dtdrain", 20000000UL);
	while (cons_getc() >= 0)
		;
	if (lwkt_create(dt_reader_main, r, ncpus - 1, TDPRI_KERN, 0, 0,
	    "dtreader") == NULL) {
		cons_loopback(false);
		ttycons_setraw(false);
		KT_ASSERT(!"no memory for the reader thread");
	}
	started = dt_wait_flag(&r->started, 30 * SEC);
	slept = started && dt_wait_sleeping(r->td, 30 * SEC);
	/* Still nothing read: the reader waits for input. */
	early_got = r->got;
	early = r->done;
	error = kern_write(wfd, ping, sizeof(ping) - 1, &done);
	read_ok = dt_wait_flag(&r->done, 30 * SEC);
	cons_loopback(false);
	ttycons_setraw(false);

	KT_CHECK(started);
	KT_CHECK(slept);
	KT_CHECK(early_got == 0 && !early);
	if (early_got != 0)
		ktest_log("read before the write: %zu bytes \"%.*s\"",
		    early_got, (int)early_got, r->buf);
	KT_CHECK(error == 0 && done == sizeof(ping) - 1);
	KT_CHECK(read_ok);
	if (!read_ok) {
		/* Unstick the reader so that the test can end. */
		cons_loopback(true);
		for (int i = 0; i < 8 && !r->done; i++)
			kern_write(wfd, "xxxxxx", 6, &done);
		dt_wait_flag(&r->done, 10 * SEC);
		cons_loopback(false);
		ttycons_setraw(false);
		return;
	}
	ktest_log("reader: %zu bytes in %d reads, error %d", (size_t)r->got,
	    r->reads, r->error);
	KT_CHECK(r->error == 0);
	KT_CHECK(r->got == 6 && memcmp(r->buf, "ping\r\n", 6) == 0);
	KT_CHECK(kern_close(r->fd) == 0);
	KT_CHECK(kern_close(wfd) == 0);
	kfree(r, M_TEMP);
}

KTEST(devfs_namespace, "/dev names cannot be created, removed, renamed or linked; nothing changes")
{
	struct dt_listing l;
	struct stat st;
	size_t done;
	char buf[16];
	int fd;

	KT_CHECK(kern_open("/dev/newfile", O_CREAT | O_RDWR, 0644, &fd) ==
	    EPERM);
	KT_CHECK(kern_open("/dev/null", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &fd) == EEXIST);
	KT_CHECK(kern_mkdir("/dev/dir", 0755) == EPERM);
	KT_CHECK(kern_symlink("null", "/dev/link") == EPERM);
	KT_CHECK(kern_unlink("/dev/null") == EPERM);
	KT_CHECK(kern_unlink("/dev/nonesuch") == ENOENT);
	KT_CHECK(kern_rmdir("/dev/null") == ENOTDIR);
	KT_CHECK(kern_rename("/dev/null", "/dev/null2") == EPERM);
	KT_CHECK(kern_rename("/dev/null", "/dev/zero") == EPERM);
	KT_CHECK(kern_rename("/dev/null", "/devfs_t_null") == EXDEV);
	KT_CHECK(kern_link("/dev/null", "/dev/null3") == EPERM);
	KT_CHECK(kern_mkdir("/dev/null/x", 0755) == ENOTDIR);
	KT_CHECK(kern_readlink("/dev/null", buf, sizeof(buf), &done) ==
	    EINVAL);
	KT_CHECK(kern_truncate("/dev/null", 0) == EINVAL);
	KT_CHECK(kern_open("/dev", O_WRONLY, 0, &fd) == EISDIR);
	KT_CHECK(kern_rmdir("/dev") == EBUSY);
	/* Nothing changed. */
	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
	KT_CHECK(kern_stat("/dev/null2", &st) == ENOENT);
	KT_CHECK(kern_stat("/devfs_t_null", &st) == ENOENT);
}

KTEST(devfs_setattr, "chmod and chown of device nodes and of /dev work")
{
	struct stat st;

	KT_ASSERT_EQ(kern_stat("/dev/zero", &st), 0);
	KT_CHECK((st.st_mode & ALLPERMS) == 0666);
	KT_ASSERT_EQ(kern_chmod("/dev/zero", 0640), 0);
	KT_ASSERT_EQ(kern_chown("/dev/zero", 12, 34), 0);
	KT_ASSERT_EQ(kern_stat("/dev/zero", &st), 0);
	KT_CHECK(S_ISCHR(st.st_mode) && (st.st_mode & ALLPERMS) == 0640);
	KT_CHECK(st.st_uid == 12 && st.st_gid == 34);
	KT_CHECK(st.st_ctim.tv_sec != 0 || st.st_ctim.tv_nsec != 0);
	/* The other nodes are untouched. */
	KT_ASSERT_EQ(kern_stat("/dev/null", &st), 0);
	KT_CHECK((st.st_mode & ALLPERMS) == 0666 && st.st_uid == 0);
	KT_ASSERT_EQ(kern_chmod("/dev/zero", 0666), 0);
	KT_ASSERT_EQ(kern_chown("/dev/zero", 0, 0), 0);
	KT_ASSERT_EQ(kern_stat("/dev/zero", &st), 0);
	KT_CHECK((st.st_mode & ALLPERMS) == 0666 && st.st_uid == 0);
	/* The directory. */
	KT_ASSERT_EQ(kern_chmod("/dev", 0700), 0);
	KT_ASSERT_EQ(kern_stat("/dev", &st), 0);
	KT_CHECK(S_ISDIR(st.st_mode) && (st.st_mode & ALLPERMS) == 0700);
	KT_ASSERT_EQ(kern_chmod("/dev", 0755), 0);
}

/* --- a test device --- */

struct dt_dev {
	volatile int	opens, closes, reads, writes;
	volatile bool	block;		/* d_read waits while set */
	volatile bool	inread;		/* a d_read is waiting */
};

static struct dt_dev dt_state;

static int
dt_open(struct cdev *dev, int fflag)
{
	__atomic_add_fetch(&dt_state.opens, 1, __ATOMIC_RELAXED);
	return (0);
}

static int
dt_close(struct cdev *dev, int fflag)
{
	__atomic_add_fetch(&dt_state.closes, 1, __ATOMIC_RELAXED);
	return (0);
}

static int
dt_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	char c = 'k';

	__atomic_add_fetch(&dt_state.reads, 1, __ATOMIC_RELAXED);
	if (dt_state.block) {
		__atomic_store_n(&dt_state.inread, true, __ATOMIC_RELEASE);
		wakeup(&dt_state.inread);
		while (__atomic_load_n(&dt_state.block, __ATOMIC_ACQUIRE))
			tsleep(&dt_state.block, 0, "dtblock", 2000000UL);
	}
	uiomove(&c, 1, uio);
	return (0);
}

static int
dt_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	__atomic_add_fetch(&dt_state.writes, 1, __ATOMIC_RELAXED);
	uio->uio_buf = (char *)uio->uio_buf + uio->uio_resid;
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

static const struct cdevsw dt_cdevsw = {
	.d_name = "devfstest",
	.d_open = dt_open,
	.d_close = dt_close,
	.d_read = dt_read,
	.d_write = dt_write,
};

static const struct cdevsw dt_bare_cdevsw = {
	.d_name = "bare",		/* no entry points at all */
};

struct dt_destroyer {
	struct cdev	*dev;
	volatile bool	done;
};

static void
dt_destroyer_main(void *arg)
{
	struct dt_destroyer *d = arg;

	destroy_dev(d->dev);
	__atomic_store_n(&d->done, true, __ATOMIC_RELEASE);
	wakeup(d);
}

static void
dt_blocked_reader(void *arg)
{
	struct dt_reader *r = arg;
	size_t n = 0;

	r->error = kern_read(r->fd, r->buf, 1, &n);
	r->got = n;
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
}

KTEST(devfs_makedev, "make_dev after the mount, bad names, destroy_dev while open and while a call blocks")
{
	static const char *const with_t[] = { "console", "null", "zero",
	    "dtest" };
	struct dt_destroyer dd = { 0 };
	struct dt_reader rd = { 0 };
	struct dt_listing l;
	struct cdev *dev, *bare;
	struct stat st;
	char buf[8], longname[SPECNAMELEN + 2];
	size_t done;
	int fd, nodes0;

	nodes0 = devfs_node_count();
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	KT_CHECK(make_dev_p(&dt_cdevsw, "", 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, "a/b", 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, ".", 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, "..", 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, longname, 0600, 0, 0, &dev) ==
	    EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, NULL, 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(NULL, "ok", 0600, 0, 0, &dev) == EINVAL);
	KT_CHECK(make_dev_p(&dt_cdevsw, "null", 0600, 0, 0, &dev) == EEXIST);
	KT_CHECK(make_dev(&dt_cdevsw, "zero", 0600, 0, 0) == NULL);
	KT_CHECK(devfs_node_count() == nodes0);

	dev = make_dev(&dt_cdevsw, "dtest", 0640, 5, 6);
	KT_ASSERT(dev != NULL);
	KT_CHECK(devfs_node_count() == nodes0 + 1);
	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, with_t, 4));
	KT_ASSERT_EQ(kern_stat("/dev/dtest", &st), 0);
	KT_CHECK(S_ISCHR(st.st_mode) && (st.st_mode & ALLPERMS) == 0640);
	KT_CHECK(st.st_uid == 5 && st.st_gid == 6);
	KT_CHECK(st.st_rdev == dev->si_rdev);

	/* Calls reach the driver. */
	KT_ASSERT_EQ(kern_open("/dev/dtest", O_RDWR, 0, &fd), 0);
	KT_CHECK(dt_state.opens == 1);
	KT_CHECK(kern_read(fd, buf, sizeof(buf), &done) == 0 && done == 1 &&
	    buf[0] == 'k');
	KT_CHECK(kern_write(fd, "abc", 3, &done) == 0 && done == 3);
	KT_CHECK(dt_state.reads == 1 && dt_state.writes == 1);

	/* Destroyed while open: the name goes, the open file gets ENXIO. */
	destroy_dev(dev);
	KT_CHECK(kern_stat("/dev/dtest", &st) == ENOENT);
	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
	KT_CHECK(kern_read(fd, buf, sizeof(buf), &done) == ENXIO);
	KT_CHECK(kern_write(fd, "abc", 3, &done) == ENXIO);
	KT_CHECK(kern_fstat(fd, &st) == 0 && S_ISCHR(st.st_mode));
	KT_CHECK(dt_state.reads == 1 && dt_state.writes == 1);
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(dt_state.closes == 0);		/* never reached the driver */
	KT_CHECK(devfs_node_count() == nodes0);

	/* The name can be made again. */
	dev = make_dev(&dt_cdevsw, "dtest", 0600, 0, 0);
	KT_ASSERT(dev != NULL);
	KT_ASSERT_EQ(kern_open("/dev/dtest", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(dt_state.opens == 2 && dt_state.closes == 1);

	/* destroy_dev waits for a call blocked in the driver. */
	dt_state.block = true;
	KT_ASSERT_EQ(kern_open("/dev/dtest", O_RDONLY, 0, &rd.fd), 0);
	KT_ASSERT(lwkt_create(dt_blocked_reader, &rd, ncpus - 1, TDPRI_KERN,
	    0, 0, "dtblocked") != NULL);
	KT_CHECK(dt_wait_flag(&dt_state.inread, 5 * SEC));
	dd.dev = dev;
	KT_ASSERT(lwkt_create(dt_destroyer_main, &dd, 0, TDPRI_KERN, 0, 0,
	    "dtdestroy") != NULL);
	/* The name goes at once; destroy_dev itself keeps waiting. */
	for (int i = 0; i < 50 && kern_stat("/dev/dtest", &st) == 0; i++)
		tsleep(&dd, 0, "dtwait", 2000000UL);
	KT_CHECK(kern_stat("/dev/dtest", &st) == ENOENT);
	tsleep(&dd, 0, "dtwait", 20000000UL);
	KT_CHECK(!dd.done && !rd.done);
	__atomic_store_n(&dt_state.block, false, __ATOMIC_RELEASE);
	wakeup(&dt_state.block);
	KT_CHECK(dt_wait_flag(&rd.done, 10 * SEC));
	KT_CHECK(dt_wait_flag(&dd.done, 10 * SEC));
	KT_CHECK(rd.error == 0 && rd.got == 1);
	KT_CHECK(kern_close(rd.fd) == 0);
	KT_CHECK(devfs_node_count() == nodes0);

	/* A device without entry points: open and close work, I/O ENODEV. */
	bare = make_dev(&dt_bare_cdevsw, "dtbare", 0666, 0, 0);
	KT_ASSERT(bare != NULL);
	KT_ASSERT_EQ(kern_open("/dev/dtbare", O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_read(fd, buf, 1, &done) == ENODEV);
	KT_CHECK(kern_write(fd, buf, 1, &done) == ENODEV);
	KT_CHECK(kern_close(fd) == 0);
	destroy_dev(bare);
	/* The namecache lets go of the node when it revalidates the name. */
	KT_CHECK(kern_stat("/dev/dtbare", &st) == ENOENT);
	KT_CHECK(devfs_node_count() == nodes0);
	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
}

KTEST(devfs_mount2, "a second devfs shows the same devices with its own attributes; unmount frees its nodes")
{
	static const char *const with_t[] = { "console", "null", "zero",
	    "dt2" };
	struct dt_listing l;
	struct stat st1, st2;
	struct cdev *dev;
	size_t done;
	char c = 1;
	int fd, nodes0;

	nodes0 = devfs_node_count();
	KT_ASSERT_EQ(kern_mkdir("/devfs_t2", 0755), 0);
	KT_ASSERT_EQ(kern_mount("devfs", "devfs", "/devfs_t2", ""), 0);
	KT_CHECK(devfs_node_count() == nodes0 + 4);	/* root + 3 */
	KT_ASSERT_EQ(dt_list("/devfs_t2", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, dt_std, 3));
	KT_ASSERT_EQ(kern_stat("/dev/zero", &st1), 0);
	KT_ASSERT_EQ(kern_stat("/devfs_t2/zero", &st2), 0);
	KT_CHECK(st1.st_rdev == st2.st_rdev && st1.st_dev != st2.st_dev);
	/* Attributes are per mount. */
	KT_ASSERT_EQ(kern_chmod("/devfs_t2/zero", 0600), 0);
	KT_ASSERT_EQ(kern_stat("/dev/zero", &st1), 0);
	KT_CHECK((st1.st_mode & ALLPERMS) == 0666);
	/* A device made now appears in both. */
	dev = make_dev(&dt_cdevsw, "dt2", 0600, 0, 0);
	KT_ASSERT(dev != NULL);
	KT_ASSERT_EQ(dt_list("/devfs_t2", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, with_t, 4));
	KT_ASSERT_EQ(dt_list("/dev", 4096, &l), 0);
	KT_CHECK(dt_exactly(&l, with_t, 4));
	/* Busy while a node is open. */
	KT_ASSERT_EQ(kern_open("/devfs_t2/zero", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_read(fd, &c, 1, &done) == 0 && done == 1 && c == 0);
	KT_CHECK(kern_unmount("/devfs_t2") == EBUSY);
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(kern_unmount("/devfs_t2") == 0);
	KT_CHECK(devfs_node_count() == nodes0 + 1);	/* dt2 in /dev */
	destroy_dev(dev);
	KT_CHECK(devfs_node_count() == nodes0);
	KT_CHECK(kern_rmdir("/devfs_t2") == 0);
}

/* --- stress --- */

struct dt_stress {
	uint64_t	end;		/* nanouptime() budget */
	volatile int	running;
	volatile int	errors;
	volatile int	ops;
	char		first[96];
};

static void
dt_stress_fail(struct dt_stress *s, const char *what, int error)
{
	if (__atomic_fetch_add(&s->errors, 1, __ATOMIC_RELAXED) == 0)
		ksnprintf(s->first, sizeof(s->first), "cpu%d: %s: %d",
		    mycpuid, what, error);
}

static void
dt_stress_worker(void *arg)
{
	struct dt_stress *s = arg;
	struct dt_listing *l;
	struct stat st;
	char buf[512];
	size_t done;
	int fd, error, i = 0;

	l = kmalloc(sizeof(*l), M_TEMP, 0);
	while (l != NULL && nanouptime() < s->end) {
		switch (i++ % 4) {
		case 0:
			error = kern_open("/dev/zero", O_RDONLY, 0, &fd);
			if (error == 0) {
				error = kern_read(fd, buf, sizeof(buf), &done);
				if (error == 0 && (done != sizeof(buf) ||
				    buf[0] != 0 || buf[511] != 0))
					error = EIO;
				kern_close(fd);
			}
			break;
		case 1:
			error = kern_open("/dev/null", O_WRONLY, 0, &fd);
			if (error == 0) {
				error = kern_write(fd, buf, sizeof(buf), &done);
				if (error == 0 && done != sizeof(buf))
					error = EIO;
				kern_close(fd);
			}
			break;
		case 2:
			error = kern_stat("/dev/console", &st);
			if (error == 0 && !S_ISCHR(st.st_mode))
				error = EIO;
			/* The coming and going device: either answer. */
			if (error == 0) {
				error = kern_stat("/dev/dtflip", &st);
				if (error == ENOENT)
					error = 0;
			}
			break;
		default:
			error = dt_list("/dev", 256, l);
			if (error == 0 && (dt_count(l, "null", NULL) != 1 ||
			    dt_count(l, "zero", NULL) != 1 ||
			    dt_count(l, "console", NULL) != 1))
				error = EIO;
			break;
		}
		if (error != 0)
			dt_stress_fail(s, "operation", error);
		__atomic_add_fetch(&s->ops, 1, __ATOMIC_RELAXED);
		lwkt_yield();		/* no time slices: let the others in */
	}
	kfree(l, M_TEMP);
	if (__atomic_sub_fetch(&s->running, 1, __ATOMIC_RELEASE) == 0)
		wakeup(s);
}

KTEST_SMP(devfs_stress, "1,4", "every CPU reads, writes, stats and lists /dev while a device comes and goes; no leak")
{
	struct dt_stress *s;
	struct cdev *dev;
	struct stat st;
	int nodes0, vnodes0, flips = 0;

	s = kmalloc(sizeof(*s), M_TEMP, M_ZERO);
	KT_ASSERT(s != NULL);
	nodes0 = devfs_node_count();
	vnodes0 = vnode_count();
	s->end = nanouptime() + 2 * SEC;
	s->running = ncpus;
	for (int cpu = 0; cpu < ncpus; cpu++)
		KT_ASSERT(lwkt_create(dt_stress_worker, s, cpu, TDPRI_KERN, 0,
		    0, "dtstress") != NULL);
	while (nanouptime() < s->end) {
		dev = make_dev(&dt_cdevsw, "dtflip", 0600, 0, 0);
		KT_CHECK(dev != NULL);
		lwkt_yield();
		if (dev != NULL)
			destroy_dev(dev);
		flips++;
		lwkt_yield();
	}
	while (__atomic_load_n(&s->running, __ATOMIC_ACQUIRE) != 0)
		tsleep(s, 0, "dtstress", 10000000UL);
	ktest_log("%d operations, %d device flips", s->ops, flips);
	if (s->errors != 0)
		ktest_log("first error: %s", s->first);
	KT_CHECK(s->errors == 0);
	KT_CHECK(s->ops > 0 && flips > 0);
	/* The namecache may still hold the last node: let it go. */
	KT_CHECK(kern_stat("/dev/dtflip", &st) == ENOENT);
	cache_prune(-1);
	KT_CHECK(devfs_node_count() == nodes0);
	/* Opened and listed vnodes are all released again. */
	KT_CHECK(vnode_count() <= vnodes0);
	kfree(s, M_TEMP);
}
