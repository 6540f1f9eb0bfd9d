/*
 * In-kernel tests of descriptor tables and open files
 * (sys/kern/kern_descrip.c, sys/kern/kern_proc.c).
 *
 *   fd_lowest		new descriptors take the lowest free slot, the
 *			table grows past its first size, dup shares the
 *			file and drops close-on-exec
 *   fd_emfile		EMFILE at FD_MAXFILES for dup and open (an
 *			O_CREAT open creates nothing then), recovery after
 *			a close, everything returned afterwards
 *   fd_dup_offset	dup'ed descriptors share one position (read,
 *			write, lseek); closing one leaves the other working
 *   fd_close_ref	a close while another reference exists (an
 *			operation in progress, another process's table)
 *			keeps the file alive and usable until the last drop
 *   fd_hostile		-1, INT_MIN, INT_MAX, FD_MAXFILES, huge, closed and
 *			reserved descriptors give EBADF from every call
 *   fd_proc		kproc_alloc: own table, parent's cwd and
 *			credentials; kproc_free closes what is left open
 *   fd_dup2		dup2 replaces an open slot atomically, grows the
 *			table, drops close-on-exec, same fd only checks,
 *			EBADF for bad descriptors, EBUSY on a reserved slot
 *   fd_fcntl		F_DUPFD lowest at or above the bound (EINVAL,
 *			EMFILE), F_GETFD/F_SETFD, F_GETFL/F_SETFL change
 *			only O_NONBLOCK and O_APPEND of the shared file
 *   fd_fdcopy		a copied table (fork) shares files and positions,
 *			keeps UF_ flags and cwd, drops reserved slots;
 *			fdcloseexec closes only the close-on-exec ones
 *   fd_smp		threads on every CPU share one table: concurrent
 *			open/dup/close never hand one slot to two threads;
 *			writes through one shared descriptor never overlap
 *			(f_offlock); a close racing reads is safe; nothing
 *			leaks
 *
 * Tests run their file work inside a fresh process (kproc_alloc), so
 * descriptor numbers start at 0 whatever proc0 holds, and remove what
 * they created.  Loops that could be long are bounded by a nanouptime()
 * budget (this machine's KVM runs kernel code ~100x slower than TCG).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/namecache.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>
#include <sys/sysmsg.h>

MALLOC_DECLARE(M_FILE);
MALLOC_DECLARE(M_FILEDESC);
MALLOC_DECLARE(M_PROC);

#define FT_BUDGET_NS	300000000UL	/* stress loops run this long */

/* --- helpers --- */

struct ft_job {
	void		(*j_fn)(void *);
	void		*j_arg;
	volatile int	*j_left;
};

static void
ft_trampoline(void *arg)
{
	struct ft_job *job = arg;

	job->j_fn(job->j_arg);
	countdown_done(job->j_left);
}

/*
 * Start fn(arg) in a new thread on cpu that belongs to process p; the
 * job's j_left counter is counted down when it returns.  False if no
 * thread could be made (the counter is then counted down already).
 */
static bool
ft_start(struct ft_job *job, struct proc *p, int cpu)
{
	thread_t td;

	td = lwkt_create(ft_trampoline, job, cpu, TDPRI_KERN, 0,
	    LWKT_CREATE_NOSCHED, "fdtest");
	if (td == NULL) {
		ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
		countdown_done(job->j_left);
		return (false);
	}
	td->td_proc = p;
	lwkt_schedule(td);
	return (true);
}

/* Run fn(arg) in a thread of p and wait for it. */
static void
ft_run_in(struct proc *p, void (*fn)(void *), void *arg)
{
	volatile int left = 1;
	struct ft_job job = { fn, arg, &left };

	ft_start(&job, p, -1);
	countdown_wait(&left, "ftrun");
}

static int64_t
ft_inuse(struct malloc_type *type)
{
	int64_t inuse, memuse;

	kmalloc_type_stats(type, &inuse, &memuse);
	return (inuse);
}

/* The test directory, made fresh. */
#define FT_DIR	"/fdtest"

static void
ft_setup(void)
{
	(void)kern_unlink(FT_DIR "/f");
	(void)kern_unlink(FT_DIR "/g");
	(void)kern_unlink(FT_DIR "/new");
	(void)kern_unlink(FT_DIR "/smp");
	(void)kern_rmdir(FT_DIR);
	KT_CHECK(kern_mkdir(FT_DIR, 0755) == 0);
	KT_CHECK(vtu_putfile(FT_DIR "/f", "abcdefghij", 0644) == 0);
}

static void
ft_teardown(void)
{
	KT_CHECK(kern_unlink(FT_DIR "/f") == 0);
	(void)kern_unlink(FT_DIR "/g");
	(void)kern_unlink(FT_DIR "/smp");
	KT_CHECK(kern_rmdir(FT_DIR) == 0);
}

/* --- fd_lowest --- */

static void
ft_lowest_body(void *arg)
{
	struct file *fp;
	int fd, fds[40], i, n;

	for (i = 0; i < 40; i++) {
		KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fds[i]), 0);
		KT_ASSERT_EQ(fds[i], i);
	}
	/* Holes are refilled lowest first, then the end is used again. */
	KT_ASSERT_EQ(kern_close(17), 0);
	KT_ASSERT_EQ(kern_close(3), 0);
	KT_ASSERT_EQ(kern_close(30), 0);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 3);
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_ASSERT_EQ(fd, 17);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY | O_CLOEXEC, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 30);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 40);
	/* dup shares the file; O_CLOEXEC is per slot and not copied. */
	KT_ASSERT_EQ(kern_close(5), 0);
	KT_ASSERT_EQ(kern_dup(30, &fd), 0);
	KT_ASSERT_EQ(fd, 5);
	struct filedesc *fdt = curproc->p_fd;
	KT_CHECK(fdt->fd_fflags[30] == UF_EXCLOSE);
	KT_CHECK(fdt->fd_fflags[5] == 0);
	KT_ASSERT_EQ(fget(curproc, 5, &fp), 0);
	KT_CHECK(fp == fdt->fd_files[30]);
	KT_CHECK(fp->f_refs == 3);	/* two slots and ours */
	fdrop(fp);
	KT_CHECK(fdt->fd_nfiles >= 41);
	for (i = 0, n = 0; i <= 40; i++)
		if (kern_close(i) == 0)
			n++;
	KT_CHECK(n == 41);
	KT_CHECK(fdt->fd_freefile == 0);
}

KTEST(fd_lowest, "descriptors: lowest free slot, table growth, dup shares "
    "the file and drops close-on-exec")
{
	int files = file_count();
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_lowest");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_lowest_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_emfile --- */

static void
ft_emfile_body(void *arg)
{
	struct stat st;
	int fd, i, n;

	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 0);
	/* dup is cheap: fill the table with it. */
	for (n = 1; n < FD_MAXFILES; n++) {
		KT_ASSERT_EQ(kern_dup(0, &fd), 0);
		KT_ASSERT_EQ(fd, n);
	}
	KT_ASSERT_EQ(kern_dup(0, &fd), EMFILE);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), EMFILE);
	KT_CHECK(fd == -1);
	/* A failed O_CREAT open must not leave a file behind. */
	KT_ASSERT_EQ(kern_open(FT_DIR "/new", O_RDWR | O_CREAT, 0644, &fd),
	    EMFILE);
	KT_ASSERT_EQ(kern_stat(FT_DIR "/new", &st), ENOENT);
	KT_CHECK(file_count() >= 1);
	/* Recovery: one close makes exactly one slot. */
	KT_ASSERT_EQ(kern_close(500), 0);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 500);
	KT_ASSERT_EQ(kern_dup(3, &fd), EMFILE);
	for (i = 0; i < FD_MAXFILES; i++)
		KT_ASSERT_EQ(kern_close(i), 0);
	KT_ASSERT_EQ(kern_close(0), EBADF);
}

KTEST(fd_emfile, "descriptors: EMFILE at FD_MAXFILES for dup and open (no "
    "file created), recovery after a close, no leak")
{
	int files = file_count();
	int64_t mfile = ft_inuse(M_FILE), mfdt = ft_inuse(M_FILEDESC);
	int64_t mproc = ft_inuse(M_PROC);
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_emfile");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_emfile_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(ft_inuse(M_FILE), mfile);
	KT_ASSERT_EQ(ft_inuse(M_FILEDESC), mfdt);
	KT_ASSERT_EQ(ft_inuse(M_PROC), mproc);
}

/* --- fd_dup_offset --- */

static void
ft_dup_body(void *arg)
{
	char buf[8];
	size_t done;
	off_t pos;
	int a, b;

	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDWR, 0, &a), 0);
	KT_ASSERT_EQ(kern_dup(a, &b), 0);
	KT_ASSERT(a != b);
	KT_ASSERT_EQ(kern_read(a, buf, 2, &done), 0);
	KT_ASSERT_EQ(done, 2);
	KT_ASSERT_EQ(kern_read(b, buf, 2, &done), 0);
	KT_ASSERT_EQ(done, 2);
	KT_ASSERT(memcmp(buf, "cd", 2) == 0);
	KT_ASSERT_EQ(kern_lseek(a, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 4);
	/* A write through one moves the shared position too. */
	KT_ASSERT_EQ(kern_write(b, "XY", 2, &done), 0);
	KT_ASSERT_EQ(kern_lseek(a, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 6);
	KT_ASSERT_EQ(kern_lseek(b, 1, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_close(b), 0);
	KT_ASSERT_EQ(kern_read(a, buf, 6, &done), 0);
	KT_ASSERT_EQ(done, 6);
	KT_ASSERT(memcmp(buf, "bcdXYg", 6) == 0);
	KT_ASSERT_EQ(kern_close(a), 0);
}

KTEST(fd_dup_offset, "descriptors: dup shares the position through read, "
    "write and lseek; closing one leaves the other working")
{
	int files = file_count();
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_dup");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_dup_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_close_ref --- */

struct ft_share {
	int	fd;		/* in the second process */
	int	error;
	char	buf[16];
	size_t	done;
};

static void
ft_share_reader(void *arg)
{
	struct ft_share *sh = arg;

	sh->error = kern_pread(sh->fd, sh->buf, sizeof(sh->buf), 0,
	    &sh->done);
}

KTEST(fd_close_ref, "files: a close while another reference exists (an "
    "operation in progress, another process) keeps the file usable")
{
	int files = file_count();
	struct ft_share sh;
	struct proc *p2;
	struct file *fp;
	struct uio uio;
	char buf[4];
	int fd, fd2;

	ft_setup();
	/* In proc0: an operation's reference outlives the descriptor. */
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(file_count(), files + 1);
	KT_ASSERT_EQ(fget(curproc, fd, &fp), 0);
	KT_ASSERT_EQ(kern_close(fd), 0);
	KT_CHECK(fget(curproc, fd, &(struct file *){ NULL }) == EBADF);
	KT_ASSERT_EQ(file_count(), files + 1);
	KT_ASSERT_EQ(fp->f_refs, 1);
	uio.uio_buf = buf;
	uio.uio_resid = 4;
	uio.uio_offset = 3;
	uio.uio_rw = UIO_READ;
	KT_ASSERT_EQ(fp->f_ops->fo_read(fp, &uio), 0);
	KT_ASSERT(uio.uio_resid == 0 && memcmp(buf, "defg", 4) == 0);
	fdrop(fp);
	KT_ASSERT_EQ(file_count(), files);

	/* Shared by two tables: close in one, use in the other. */
	p2 = kproc_alloc(NULL, "fd_share");
	KT_ASSERT(p2 != NULL);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fget(curproc, fd, &fp), 0);
	KT_ASSERT_EQ(fdalloc(p2, fp, 0, &fd2), 0);	/* our ref moves */
	KT_ASSERT_EQ(fd2, 0);
	KT_ASSERT_EQ(kern_close(fd), 0);
	KT_ASSERT_EQ(file_count(), files + 1);
	memset(&sh, 0, sizeof(sh));
	sh.fd = fd2;
	ft_run_in(p2, ft_share_reader, &sh);
	KT_ASSERT_EQ(sh.error, 0);
	KT_ASSERT_EQ(sh.done, 10);
	KT_ASSERT(memcmp(sh.buf, "abcdefghij", 10) == 0);
	kproc_free(p2);		/* closes the last descriptor */
	KT_ASSERT_EQ(file_count(), files);
	ft_teardown();
}

/* --- fd_hostile --- */

static const int ft_badfds[] = {
	-1, -2, INT32_MIN, INT32_MAX, FD_MAXFILES, FD_MAXFILES + 1,
	1 << 30, 7 /* closed */, 2 /* reserved */,
};

static void
ft_hostile_body(void *arg)
{
	struct stat st;
	char buf[64];
	size_t done;
	off_t pos;
	int fd, reserved, i, bad;

	/* 0 and 1 open, 2 reserved (an open in progress), 7 closed. */
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDWR, 0, &fd), 0);
	KT_ASSERT_EQ(kern_open(FT_DIR, O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fdreserve(curproc, &reserved), 0);
	KT_ASSERT_EQ(reserved, 2);
	for (i = 0; i < (int)nitems(ft_badfds); i++) {
		bad = ft_badfds[i];
		done = 99;
		KT_CHECK(kern_read(bad, buf, 4, &done) == EBADF && done == 0);
		KT_CHECK(kern_write(bad, "x", 1, &done) == EBADF && done == 0);
		KT_CHECK(kern_pread(bad, buf, 4, 0, &done) == EBADF);
		KT_CHECK(kern_pwrite(bad, "x", 1, 0, &done) == EBADF);
		KT_CHECK(kern_lseek(bad, 0, SEEK_SET, &pos) == EBADF);
		KT_CHECK(kern_fstat(bad, &st) == EBADF);
		KT_CHECK(kern_readdir(bad, buf, sizeof(buf), &done) == EBADF);
		KT_CHECK(kern_ftruncate(bad, 0) == EBADF);
		KT_CHECK(kern_fchdir(bad) == EBADF);
		KT_CHECK(kern_dup(bad, &fd) == EBADF);
		KT_CHECK(kern_close(bad) == EBADF);
		if (ktest_failed()) {
			ktest_log("failing descriptor: %d", bad);
			break;
		}
	}
	/* The reserved slot is still reserved, and is not handed out. */
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_ASSERT_EQ(fd, 3);
	fdunreserve(curproc, reserved);
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_ASSERT_EQ(fd, 2);
	for (i = 0; i < 4; i++)
		KT_CHECK(kern_close(i) == 0);
}

KTEST(fd_hostile, "descriptors: -1, INT_MIN, INT_MAX, FD_MAXFILES, huge, "
    "closed and reserved descriptors give EBADF everywhere")
{
	int files = file_count();
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_hostile");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_hostile_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_proc --- */

static void
ft_proc_body(void *arg)
{
	struct proc *p = curproc;
	int fd;

	KT_CHECK(p == arg);
	KT_CHECK(p->p_cred.cr_uid == 1000 && p->p_cred.cr_gid == 100);
	KT_ASSERT_EQ(kern_chdir(FT_DIR), 0);
	/* Relative names start at the new cwd; descriptors at 0. */
	KT_ASSERT_EQ(kern_open("f", O_RDONLY, 0, &fd), 0);
	KT_CHECK(fd == 0);
	/* Left open on purpose: kproc_free must close it. */
}

static void
ft_child_body(void *arg)
{
	char buf[64];

	/* The child started in the parent's cwd: FT_DIR. */
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 &&
	    strcmp(buf, FT_DIR) == 0);
	KT_CHECK(curproc->p_cred.cr_uid == 1000);
}

KTEST(fd_proc, "processes: kproc_alloc gives an own table with the "
    "parent's cwd and credentials; kproc_free closes what is left")
{
	int files = file_count();
	int64_t mproc = ft_inuse(M_PROC), mfdt = ft_inuse(M_FILEDESC);
	struct proc *p, *c;
	char buf[64];

	ft_setup();
	p = kproc_alloc(NULL, "fd_proc");
	KT_ASSERT(p != NULL);
	KT_CHECK(p->p_pid > 0 && p->p_pptr == &proc0);
	KT_CHECK(p->p_fd != NULL && p->p_fd != proc0.p_fd);
	p->p_cred.cr_uid = 1000;
	p->p_cred.cr_gid = 100;
	ft_run_in(p, ft_proc_body, p);
	KT_CHECK(file_count() == files + 1);
	c = kproc_alloc(p, "fd_child");
	KT_ASSERT(c != NULL);
	KT_CHECK(c->p_pid != p->p_pid && c->p_pptr == p);
	ft_run_in(c, ft_child_body, NULL);
	/* proc0's cwd did not move. */
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 && strcmp(buf, "/") == 0);
	kproc_free(c);
	kproc_free(p);
	KT_CHECK(file_count() == files);
	KT_CHECK(ft_inuse(M_PROC) == mproc);
	KT_CHECK(ft_inuse(M_FILEDESC) == mfdt);
	KT_CHECK(curproc == &proc0);
	ft_teardown();
}

/* --- fd_dup2 --- */

static void
ft_dup2_body(void *arg)
{
	struct filedesc *fdt = curproc->p_fd;
	int files = file_count();
	struct file *fp;
	char buf[4];
	size_t done;
	int fd, res, reserved;

	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY | O_CLOEXEC, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 0);
	KT_ASSERT_EQ(kern_open(FT_DIR, O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 1);
	KT_ASSERT_EQ(file_count(), files + 2);
	/* Onto an open slot: its file is closed, the slot shares fd 0's. */
	KT_ASSERT_EQ(kern_dup2(0, 1, &res), 0);
	KT_ASSERT_EQ(res, 1);
	KT_CHECK(file_count() == files + 1);
	KT_CHECK(fdt->fd_files[1] == fdt->fd_files[0]);
	KT_CHECK(fdt->fd_fflags[0] == UF_EXCLOSE && fdt->fd_fflags[1] == 0);
	KT_ASSERT_EQ(kern_read(1, buf, 2, &done), 0);
	KT_ASSERT_EQ(kern_read(0, buf, 2, &done), 0);
	KT_CHECK(memcmp(buf, "cd", 2) == 0);	/* one shared position */
	/* Same descriptor: only checked; flags untouched. */
	KT_ASSERT_EQ(kern_dup2(0, 0, &res), 0);
	KT_CHECK(res == 0 && fdt->fd_fflags[0] == UF_EXCLOSE);
	/* Beyond the table: it grows; the hole below stays free. */
	KT_ASSERT_EQ(kern_dup2(0, 700, &res), 0);
	KT_CHECK(res == 700 && fdt->fd_nfiles > 700);
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_CHECK(fd == 2);
	KT_ASSERT_EQ(fget(curproc, 700, &fp), 0);
	KT_CHECK(fp == fdt->fd_files[0] && fp->f_refs == 5);
	fdrop(fp);
	/* Bad descriptors. */
	KT_CHECK(kern_dup2(0, -1, &res) == EBADF && res == -1);
	KT_CHECK(kern_dup2(0, FD_MAXFILES, &res) == EBADF);
	KT_CHECK(kern_dup2(0, INT32_MAX, &res) == EBADF);
	KT_CHECK(kern_dup2(5, 6, &res) == EBADF);
	KT_CHECK(kern_dup2(-1, 6, &res) == EBADF);
	KT_CHECK(kern_dup2(5, 5, &res) == EBADF);
	KT_CHECK(fget(curproc, 6, &(struct file *){ NULL }) == EBADF);
	/* A slot reserved by an open in progress is not taken. */
	KT_ASSERT_EQ(fdreserve(curproc, &reserved), 0);
	KT_ASSERT_EQ(reserved, 3);
	KT_CHECK(kern_dup2(0, 3, &res) == EBUSY);
	fdunreserve(curproc, reserved);
	KT_ASSERT_EQ(kern_dup2(0, FD_MAXFILES - 1, &res), 0);
	KT_CHECK(res == FD_MAXFILES - 1);
	KT_CHECK(kern_close(FD_MAXFILES - 1) == 0);
	KT_CHECK(kern_close(700) == 0);
	for (fd = 0; fd < 3; fd++)
		KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(file_count() == files);
}

KTEST(fd_dup2, "descriptors: dup2 replaces an open slot, grows the table, "
    "drops close-on-exec, EBADF and EBUSY cases")
{
	int files = file_count();
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_dup2");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_dup2_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_fcntl --- */

static void
ft_fcntl_body(void *arg)
{
	struct filedesc *fdt = curproc->p_fd;
	char buf[16];
	size_t done;
	long res;
	int fd, i;

	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDWR, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 0);
	/* F_DUPFD: the lowest free at or above the bound. */
	KT_ASSERT_EQ(kern_fcntl(0, F_DUPFD, 10, &res), 0);
	KT_CHECK(res == 10);
	KT_ASSERT_EQ(kern_fcntl(0, F_DUPFD, 10, &res), 0);
	KT_CHECK(res == 11);
	KT_ASSERT_EQ(kern_fcntl(0, F_DUPFD, 0, &res), 0);
	KT_CHECK(res == 1);
	KT_ASSERT_EQ(kern_fcntl(0, F_DUPFD, 100, &res), 0);
	KT_CHECK(res == 100 && fdt->fd_nfiles > 100);
	/* The slots skipped over are still handed out, lowest first. */
	KT_ASSERT_EQ(kern_dup(0, &fd), 0);
	KT_CHECK(fd == 2);
	KT_CHECK(kern_fcntl(0, F_DUPFD, -1, &res) == EINVAL && res == -1);
	KT_CHECK(kern_fcntl(0, F_DUPFD, FD_MAXFILES, &res) == EINVAL);
	KT_ASSERT_EQ(kern_fcntl(0, F_DUPFD, FD_MAXFILES - 1, &res), 0);
	KT_CHECK(res == FD_MAXFILES - 1);
	KT_CHECK(kern_fcntl(0, F_DUPFD, FD_MAXFILES - 1, &res) == EMFILE);
	KT_CHECK(kern_close(FD_MAXFILES - 1) == 0);
	/* F_GETFD / F_SETFD: per slot. */
	KT_CHECK(kern_fcntl(10, F_GETFD, 0, &res) == 0 && res == 0);
	KT_ASSERT_EQ(kern_fcntl(10, F_SETFD, FD_CLOEXEC, &res), 0);
	KT_CHECK(kern_fcntl(10, F_GETFD, 0, &res) == 0 && res == FD_CLOEXEC);
	KT_CHECK(fdt->fd_fflags[10] == UF_EXCLOSE && fdt->fd_fflags[11] == 0);
	KT_ASSERT_EQ(kern_fcntl(10, F_SETFD, 0, &res), 0);
	KT_CHECK(fdt->fd_fflags[10] == 0);
	/* F_GETFL / F_SETFL: per file, only O_NONBLOCK and O_APPEND. */
	KT_CHECK(kern_fcntl(0, F_GETFL, 0, &res) == 0 && res == O_RDWR);
	KT_ASSERT_EQ(kern_fcntl(0, F_SETFL,
	    O_RDONLY | O_NONBLOCK | O_APPEND | O_CREAT | O_TRUNC, &res), 0);
	KT_CHECK(kern_fcntl(11, F_GETFL, 0, &res) == 0 &&
	    res == (O_RDWR | O_NONBLOCK | O_APPEND));
	/* O_APPEND now in force: the write goes to the end. */
	KT_ASSERT_EQ(kern_write(1, "Z", 1, &done), 0);
	KT_ASSERT_EQ(kern_pread(0, buf, sizeof(buf), 0, &done), 0);
	KT_CHECK(done == 11 && memcmp(buf, "abcdefghijZ", 11) == 0);
	KT_ASSERT_EQ(kern_fcntl(0, F_SETFL, 0, &res), 0);
	KT_CHECK(kern_fcntl(0, F_GETFL, 0, &res) == 0 && res == O_RDWR);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_WRONLY | O_APPEND, 0, &fd), 0);
	KT_CHECK(kern_fcntl(fd, F_GETFL, 0, &res) == 0 &&
	    res == (O_WRONLY | O_APPEND));
	KT_CHECK(kern_close(fd) == 0);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_fcntl(fd, F_GETFL, 0, &res) == 0 && res == O_RDONLY);
	KT_CHECK(kern_close(fd) == 0);
	/* Unknown commands; bad descriptors first. */
	KT_CHECK(kern_fcntl(0, 99, 0, &res) == EINVAL);
	KT_CHECK(kern_fcntl(0, -1, 0, &res) == EINVAL);
	KT_CHECK(kern_fcntl(50, 99, 0, &res) == EBADF);
	KT_CHECK(kern_fcntl(-1, F_GETFD, 0, &res) == EBADF);
	KT_CHECK(kern_fcntl(FD_MAXFILES, F_GETFL, 0, &res) == EBADF);
	for (i = 0; i < FD_MAXFILES; i++)
		(void)kern_close(i);
	KT_CHECK(fdt->fd_freefile == 0);
}

KTEST(fd_fcntl, "descriptors: F_DUPFD bound, EINVAL and EMFILE; "
    "F_GETFD/F_SETFD; F_GETFL/F_SETFL change only O_NONBLOCK and O_APPEND")
{
	int files = file_count();
	struct proc *p;

	ft_setup();
	p = kproc_alloc(NULL, "fd_fcntl");
	KT_ASSERT(p != NULL);
	ft_run_in(p, ft_fcntl_body, NULL);
	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_fdcopy --- */

struct ft_copy {
	int	pfd[2];		/* a pipe made by the parent */
	int	reserved;
};

/* In the parent: files at 0 (pos 2), 1 (cloexec), 2 reserved, pipe. */
static void
ft_copy_parent(void *arg)
{
	struct ft_copy *fc = arg;
	char buf[4];
	size_t done;
	int fd, res;

	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_read(fd, buf, 2, &done), 0);
	KT_ASSERT_EQ(kern_open(FT_DIR "/f", O_RDONLY | O_CLOEXEC, 0, &fd), 0);
	KT_ASSERT_EQ(fd, 1);
	KT_ASSERT_EQ(fdreserve(curproc, &fc->reserved), 0);
	KT_ASSERT_EQ(fc->reserved, 2);
	KT_ASSERT_EQ(kern_pipe(fc->pfd, 0), 0);
	KT_ASSERT(fc->pfd[0] == 3 && fc->pfd[1] == 4);
	KT_ASSERT_EQ(kern_chdir(FT_DIR), 0);
	KT_ASSERT_EQ(kern_dup2(0, 100, &res), 0);	/* past 16 slots */
}

static void
ft_copy_child(void *arg)
{
	struct filedesc *fdt = curproc->p_fd;
	char buf[64];
	size_t done;
	int fd;

	KT_CHECK(fdt->fd_nfiles > 100);
	KT_CHECK(fdt->fd_fflags[1] == UF_EXCLOSE && fdt->fd_fflags[0] == 0);
	/* The parent's position, shared. */
	KT_CHECK(kern_read(0, buf, 2, &done) == 0 && done == 2 &&
	    memcmp(buf, "cd", 2) == 0);
	KT_CHECK(kern_read(100, buf, 1, &done) == 0 && buf[0] == 'e');
	/* The reserved slot came out free: the lowest. */
	KT_CHECK(fget(curproc, 2, &(struct file *){ NULL }) == EBADF);
	KT_CHECK(kern_open("f", O_RDONLY, 0, &fd) == 0 && fd == 2);
	KT_CHECK(kern_close(2) == 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 &&
	    strcmp(buf, FT_DIR) == 0);
	/* The pipe is shared: write here, the parent reads. */
	KT_CHECK(kern_write(4, "fork", 4, &done) == 0 && done == 4);
	/* exec: only the close-on-exec slot goes. */
	fdcloseexec(curproc);
	KT_CHECK(fget(curproc, 1, &(struct file *){ NULL }) == EBADF);
	KT_CHECK(fdt->fd_files[0] != NULL && fdt->fd_files[3] != NULL &&
	    fdt->fd_files[4] != NULL && fdt->fd_files[100] != NULL);
	KT_CHECK(fdt->fd_freefile <= 1);
}

static void
ft_copy_check(void *arg)
{
	struct ft_copy *fc = arg;
	struct file *fp;
	char buf[8];
	size_t done;
	off_t pos;

	KT_CHECK(kern_lseek(0, 0, SEEK_CUR, &pos) == 0 && pos == 5);
	KT_CHECK(kern_read(fc->pfd[0], buf, sizeof(buf), &done) == 0 &&
	    done == 4 && memcmp(buf, "fork", 4) == 0);
	/* The parent's close-on-exec slot survived the child's exec. */
	KT_CHECK(fget(curproc, 1, &fp) == 0);
	if (fp != NULL) {
		KT_CHECK(fp->f_refs == 2);	/* parent's slot and ours */
		fdrop(fp);
	}
}

KTEST(fd_fdcopy, "descriptors: fdcopy shares files and positions, keeps "
    "flags and cwd, drops reserved slots; fdcloseexec")
{
	int files = file_count();
	int64_t mfdt = ft_inuse(M_FILEDESC);
	struct filedesc *copy;
	struct ft_copy fc;
	struct proc *p, *c;

	ft_setup();
	p = kproc_alloc(NULL, "fd_parent");
	KT_ASSERT(p != NULL);
	c = kproc_alloc(p, "fd_child");
	KT_ASSERT(c != NULL);
	fc.reserved = -1;
	ft_run_in(p, ft_copy_parent, &fc);
	copy = ktest_failed() ? NULL : fdcopy(p);
	if (copy == NULL) {
		KT_CHECK(ktest_failed());	/* fdcopy failed otherwise */
		kproc_free(c);
		kproc_free(p);		/* a reserved slot is skipped */
		ft_teardown();
		return;
	}
	KT_CHECK(p->p_fd->fd_files[100] == p->p_fd->fd_files[0]);
	KT_CHECK(p->p_fd->fd_files[0]->f_refs == 4);
	KT_CHECK(file_count() == files + 4);	/* no file was made */
	/* Give the child the copy, as fork will. */
	fdfree(c->p_fd);
	c->p_fd = copy;
	ft_run_in(c, ft_copy_child, NULL);
	ft_run_in(p, ft_copy_check, &fc);
	kproc_free(c);
	KT_CHECK(p->p_fd->fd_files[0]->f_refs == 2);
	KT_CHECK(file_count() == files + 4);
	fdunreserve(p, fc.reserved);
	kproc_free(p);
	ft_teardown();
	KT_CHECK(ft_inuse(M_FILEDESC) == mfdt);
	KT_ASSERT_EQ(file_count(), files);
}

/* --- fd_smp --- */

#define FT_NREC		32	/* bytes per record in the shared-offset run */
#define FT_MAXW		16

struct ft_smp {
	volatile int	stop;
	volatile int	owner[FD_MAXFILES];	/* [a] thread holding fd + 1 */
	volatile int	dups;			/* [a] a slot given twice */
	volatile uint64_t ops;			/* [a] */
	int		wfd;			/* shared write descriptor */
	uint64_t	end;
	uint64_t	recs[FT_MAXW];		/* records per worker */
};

static struct ft_smp ft_smp;

static void
ft_claim(int fd, int me)
{
	int expect = 0;

	if (fd < 0 || fd >= FD_MAXFILES)
		return;
	if (!__atomic_compare_exchange_n(&ft_smp.owner[fd], &expect, me + 1,
	    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		__atomic_add_fetch(&ft_smp.dups, 1, __ATOMIC_RELAXED);
}

static void
ft_unclaim(int fd)
{
	if (fd >= 0 && fd < FD_MAXFILES)
		__atomic_store_n(&ft_smp.owner[fd], 0, __ATOMIC_RELEASE);
}

/* Open, dup, check, close in a loop: no slot is ever shared. */
static void
ft_churn(void *arg)
{
	int me = (int)(uintptr_t)arg;
	struct stat st;
	int a, b, error;
	uint64_t i;

	for (i = 0; i < 4 || nanouptime() < ft_smp.end; i++) {
		error = kern_open(FT_DIR "/f", O_RDONLY, 0, &a);
		if (error != 0) {
			ktest_fail(__FILE__, __LINE__, "open: %d", error);
			return;
		}
		ft_claim(a, me);
		error = kern_dup(a, &b);
		if (error != 0) {
			ktest_fail(__FILE__, __LINE__, "dup: %d", error);
			return;
		}
		ft_claim(b, me);
		KT_CHECK(kern_fstat(b, &st) == 0 && st.st_size >= 10);
		ft_unclaim(a);
		KT_CHECK(kern_close(a) == 0);
		ft_unclaim(b);
		KT_CHECK(kern_close(b) == 0);
		__atomic_add_fetch(&ft_smp.ops, 1, __ATOMIC_RELAXED);
		if ((i & 7) == 7)
			lwkt_yield();
	}
}

/* Append fixed records through one shared (non-append) descriptor. */
static void
ft_writer(void *arg)
{
	int me = (int)(uintptr_t)arg;
	char rec[FT_NREC];
	size_t done;
	uint64_t i;

	for (i = 0; i < 4 || nanouptime() < ft_smp.end; i++) {
		memset(rec, 'a' + me, sizeof(rec));
		ksnprintf(rec, sizeof(rec), "%02d:%08lu", me, i);
		rec[FT_NREC - 1] = '\n';
		if (kern_write(ft_smp.wfd, rec, sizeof(rec), &done) != 0 ||
		    done != sizeof(rec)) {
			ktest_fail(__FILE__, __LINE__, "write failed");
			return;
		}
		ft_smp.recs[me] = i + 1;
		if ((i & 3) == 3)
			lwkt_yield();
	}
}

/* Check the shared-offset file: every record whole, each exactly once. */
static void
ft_check_records(int nw)
{
	uint64_t seen[FT_MAXW], total = 0, bad = 0;
	char rec[FT_NREC];
	struct stat st;
	size_t done;
	off_t off;
	int fd, w;

	memset(seen, 0, sizeof(seen));
	for (w = 0; w < nw; w++)
		total += ft_smp.recs[w];
	KT_ASSERT_EQ(kern_open(FT_DIR "/smp", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK((uint64_t)st.st_size == total * FT_NREC);
	for (off = 0; off < st.st_size; off += FT_NREC) {
		if (kern_pread(fd, rec, FT_NREC, off, &done) != 0 ||
		    done != FT_NREC) {
			bad++;
			break;
		}
		w = (rec[0] - '0') * 10 + (rec[1] - '0');
		if (w < 0 || w >= nw || rec[FT_NREC - 1] != '\n' ||
		    rec[FT_NREC - 2] != 'a' + w) {
			bad++;
			continue;
		}
		/* Records of one writer appear in its own order. */
		if (strtoul(rec + 3, NULL, 10) != seen[w])
			bad++;
		seen[w]++;
	}
	kern_close(fd);
	KT_CHECK(bad == 0);
	for (w = 0; w < nw; w++)
		KT_CHECK(seen[w] == ft_smp.recs[w]);
	ktest_log("shared offset: %d writers, %lu records", nw, total);
}

/* A reader that keeps using a descriptor another thread closes. */
static void
ft_racer(void *arg)
{
	int fd = (int)(uintptr_t)arg;
	char buf[8];
	size_t done;
	int error;

	for (;;) {
		error = kern_pread(fd, buf, sizeof(buf), 0, &done);
		if (error == EBADF)
			break;
		KT_CHECK(error == 0 && done == sizeof(buf));
		lwkt_yield();
	}
}

static void
ft_closer(void *arg)
{
	int fd = (int)(uintptr_t)arg;
	uint64_t end = nanouptime() + FT_BUDGET_NS / 4;

	while (nanouptime() < end)
		lwkt_yield();
	KT_CHECK(kern_close(fd) == 0);
}

static void
ft_spawn_wait(struct proc *p, void (*fn)(void *), int n, bool byid)
{
	static struct ft_job jobs[FT_MAXW + 1];
	volatile int left = n;

	for (int i = 0; i < n; i++) {
		jobs[i].j_fn = fn;
		jobs[i].j_arg = byid ? (void *)(uintptr_t)i :
		    (void *)(uintptr_t)ft_smp.wfd;
		jobs[i].j_left = &left;
		ft_start(&jobs[i], p, i % ncpus);
	}
	countdown_wait(&left, "ftsmp");
}

KTEST_SMP(fd_smp, "1,4", "descriptors: threads on every CPU share one "
    "table (no slot given twice), one offset (no write overlaps), and a "
    "close racing reads; nothing leaks")
{
	int files = file_count();
	int64_t mfile = ft_inuse(M_FILE);
	int nw = MIN(FT_MAXW, MAX(2, 2 * ncpus));
	volatile int left;
	struct ft_job jobs[2];
	struct file *fp;
	struct proc *p;
	int fd;

	ft_setup();
	p = kproc_alloc(NULL, "fd_smp");
	KT_ASSERT(p != NULL);
	memset(&ft_smp, 0, sizeof(ft_smp));

	/* 1: churn. */
	ft_smp.end = nanouptime() + FT_BUDGET_NS;
	ft_spawn_wait(p, ft_churn, nw, true);
	KT_CHECK(ft_smp.dups == 0);
	ktest_log("churn: %d threads, %lu open/dup/close rounds", nw,
	    ft_smp.ops);
	KT_CHECK(p->p_fd->fd_freefile == 0);

	/* 2: one shared offset (the descriptor is in p's table). */
	KT_ASSERT_EQ(kern_open(FT_DIR "/smp", O_RDWR | O_CREAT | O_TRUNC,
	    0644, &fd), 0);
	KT_ASSERT_EQ(fget(curproc, fd, &fp), 0);
	KT_ASSERT_EQ(fdalloc(p, fp, 0, &ft_smp.wfd), 0);	/* ref moves */
	KT_ASSERT_EQ(kern_close(fd), 0);
	ft_smp.end = nanouptime() + FT_BUDGET_NS;
	ft_spawn_wait(p, ft_writer, nw, true);
	ft_check_records(nw);

	/* 3: close racing reads of the same descriptor. */
	left = 2;
	jobs[0] = (struct ft_job){ ft_racer, (void *)(uintptr_t)ft_smp.wfd,
	    &left };
	jobs[1] = (struct ft_job){ ft_closer, (void *)(uintptr_t)ft_smp.wfd,
	    &left };
	ft_start(&jobs[0], p, 0);
	ft_start(&jobs[1], p, ncpus > 1 ? 1 : 0);
	countdown_wait(&left, "ftrace");

	kproc_free(p);
	ft_teardown();
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(ft_inuse(M_FILE), mfile);
}
