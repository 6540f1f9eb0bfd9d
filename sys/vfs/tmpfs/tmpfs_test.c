/*
 * In-kernel tests of tmpfs semantics, through the in-kernel file API
 * (kern_*) and, where a test needs the filesystem's own view, through
 * VOP calls on vnodes.  Each test mounts a fresh tmpfs on a directory of
 * its own and unmounts it at the end (which also checks that nothing
 * still holds a vnode of it).
 *
 *   tmpfs_truncate	truncate down frees pages and zeroes the cut page's
 *			tail, up makes a hole without allocating; the 2^62
 *			limit (EFBIG, short writes); O_TRUNC; EISDIR/EINVAL
 *   tmpfs_times	atime on read, mtime+ctime on write and truncate,
 *			ctime only on chmod/chown/link, directories' times
 *			on create/unlink, explicit times, bad times refused
 *   tmpfs_attrs	modes and owners (kern_chmod/kern_chown) in stat and
 *			in the vnode's cache; file types; inode numbers
 *   tmpfs_links	hard link counts, directory link counts (2 + subdirs),
 *			an open file outlives its last name and is freed at
 *			the last close
 *   tmpfs_symlink	symlink targets: exact contents, short reads, long
 *			and over-long targets, following
 *   tmpfs_rename	rename over a file keeps the target's readdir slot;
 *			directory over empty directory in another parent and
 *			in the same one: link counts and ".." follow
 *   tmpfs_readdir	listings hold exactly the entries, "." and ".."
 *			first; while entries are added and removed between
 *			calls every entry present throughout comes exactly
 *			once; cookies resume (lseek); a big directory (hash
 *			growth); a removed directory lists "." and ".."
 *   tmpfs_fastpath	reads, getattr and resident writes complete in the
 *			caller (mnt_nfast); extending writes are queued;
 *			with 2+ CPUs, a busy token sends reads to the service
 *			thread too, and they still complete
 *   tmpfs_options	mount options: size=, nodes=, ro; bad ones are EINVAL
 *
 * Sizes are small enough for this machine's KVM (about 0.6 M kernel
 * instructions per second); nothing asserts on time.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/time.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <vfs/tmpfs/tmpfs.h>
#include <vfs/tmpfs/tmpfs_test.h>

#define TT_MAXOFF	((off_t)1 << 62)

static bool
ts_after(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec));
}

static bool
ts_equal(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec);
}

/* Spin until the clock has passed ts, so that "now" differs from it. */
static void
ts_wait_past(const struct timespec *ts)
{
	struct timespec now;

	do {
		getnanotime(&now);
	} while (!ts_after(&now, ts));
}

/* vop_setattr on path's vnode. */
static int
tt_setattr(const char *path, struct vattr *va)
{
	struct vnode *vp = tt_vnode(path);
	int error;

	if (vp == NULL)
		return (ENOENT);
	error = vop_setattr(vp, va);
	vrele(vp);
	return (error);
}

/* --- truncate --- */

static void
tr_body(void)
{
	const char *f = "/ttr/f";
	uint8_t *buf;
	struct stat st;
	size_t done;
	int fd;

	buf = kmalloc(32768, M_TMPFSTEST, 0);
	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(tt_mkfile(f, 10000, 1), 0);
	KT_CHECK(vtu_size(f) == 10000 && tt_blocks(f) == 3 * 8);

	/* Down into the middle of page 1. */
	KT_ASSERT_EQ(kern_truncate(f, 5000), 0);
	KT_CHECK(vtu_size(f) == 5000 && tt_blocks(f) == 2 * 8);
	KT_CHECK(tt_holds(f, 5000, 1));

	/* Up: a hole, no new page; the old tail of page 1 reads as zeros. */
	KT_ASSERT_EQ(kern_truncate(f, 20000), 0);
	KT_CHECK(vtu_size(f) == 20000 && tt_blocks(f) == 2 * 8);
	KT_ASSERT_EQ(kern_open(f, O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_pread(fd, buf, 32768, 0, &done) == 0 && done == 20000);
	KT_CHECK(tt_check(buf, 5000, 1));
	KT_CHECK(tt_iszero(buf + 5000, 15000));

	/* A byte far out: one more page, the gap reads as zeros. */
	KT_CHECK(kern_pwrite(fd, "X", 1, 30000, &done) == 0 && done == 1);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == 30001 &&
	    st.st_blocks == 3 * 8);
	KT_CHECK(kern_pread(fd, buf, 32768, 0, &done) == 0 && done == 30001);
	KT_CHECK(tt_iszero(buf + 5000, 25000) && buf[30000] == 'X');

	KT_CHECK(kern_ftruncate(fd, 0) == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == 0 &&
	    st.st_blocks == 0);
	KT_CHECK(kern_pread(fd, buf, 100, 0, &done) == 0 && done == 0);

	/* The largest size, and beyond. */
	KT_CHECK(kern_ftruncate(fd, TT_MAXOFF) == 0);
	KT_CHECK(kern_ftruncate(fd, TT_MAXOFF + 1) == EFBIG);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == TT_MAXOFF &&
	    st.st_blocks == 0);
	KT_CHECK(kern_pread(fd, buf, 100, TT_MAXOFF - 10, &done) == 0 &&
	    done == 10 && tt_iszero(buf, 10));
	KT_CHECK(kern_pread(fd, buf, 100, TT_MAXOFF, &done) == 0 &&
	    done == 0);
	KT_CHECK(kern_pwrite(fd, "y", 1, TT_MAXOFF, &done) == EFBIG &&
	    done == 0);
	/* A write that straddles the limit stops at it. */
	memset(buf, 'z', 20);
	KT_CHECK(kern_pwrite(fd, buf, 20, TT_MAXOFF - 10, &done) == 0 &&
	    done == 10);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == TT_MAXOFF &&
	    st.st_blocks == 8);
	KT_CHECK(kern_pread(fd, buf, 100, TT_MAXOFF - 12, &done) == 0 &&
	    done == 12 && buf[0] == 0 && buf[1] == 0 && buf[2] == 'z' &&
	    buf[11] == 'z');
	KT_CHECK(kern_close(fd) == 0);

	/* O_TRUNC empties the file. */
	KT_ASSERT_EQ(kern_open(f, O_RDWR | O_TRUNC, 0, &fd), 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == 0 &&
	    st.st_blocks == 0);
	KT_CHECK(kern_close(fd) == 0);

	/* Not for directories or symlinks. */
	{
		struct vattr va;

		KT_ASSERT_EQ(kern_mkdir("/ttr/d", 0755), 0);
		KT_ASSERT_EQ(kern_symlink("f", "/ttr/l"), 0);
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_SIZE;
		KT_CHECK(tt_setattr("/ttr/d", &va) == EISDIR);
		KT_CHECK(tt_setattr("/ttr/l", &va) == EINVAL);
		KT_CHECK(kern_truncate("/ttr/d", 0) == EISDIR);
		KT_CHECK(kern_rmdir("/ttr/d") == 0 && kern_unlink("/ttr/l") == 0);
	}
	KT_CHECK(kern_unlink(f) == 0);
	kfree(buf, M_TMPFSTEST);
}

KTEST(tmpfs_truncate, "tmpfs truncate: down frees and zeroes the cut page, up is a hole; 2^62 limit and EFBIG; O_TRUNC")
{
	KT_ASSERT_EQ(tt_mount("/ttr", "size=1m"), 0);
	tr_body();
	KT_CHECK(tt_unmount("/ttr") == 0);
}

/* --- times --- */

static void
tm_body(void)
{
	const char *f = "/ttm/f", *d = "/ttm";
	struct stat st, st0, dst0, dst;
	struct vattr va;
	char c;
	size_t done;
	int fd;

	KT_ASSERT_EQ(kern_stat(d, &dst0), 0);
	ts_wait_past(&dst0.st_mtim);
	KT_ASSERT_EQ(tt_mkfile(f, 0, 0), 0);
	KT_ASSERT_EQ(kern_stat(f, &st0), 0);
	KT_CHECK(ts_equal(&st0.st_atim, &st0.st_mtim) &&
	    ts_equal(&st0.st_mtim, &st0.st_ctim));
	/* Creating a name changed the directory. */
	KT_CHECK(kern_stat(d, &dst) == 0 &&
	    ts_after(&dst.st_mtim, &dst0.st_mtim) &&
	    ts_after(&dst.st_ctim, &dst0.st_ctim));

	/* Explicit times; ctime becomes now. */
	memset(&va, 0, sizeof(va));
	va.va_mask = VA_ATIME | VA_MTIME;
	va.va_atime.tv_sec = 1000;
	va.va_atime.tv_nsec = 5;
	va.va_mtime = va.va_atime;
	ts_wait_past(&st0.st_ctim);
	KT_ASSERT_EQ(tt_setattr(f, &va), 0);
	KT_ASSERT_EQ(kern_stat(f, &st), 0);
	KT_CHECK(ts_equal(&st.st_atim, &va.va_atime) &&
	    ts_equal(&st.st_mtim, &va.va_mtime));
	KT_CHECK(ts_after(&st.st_ctim, &st0.st_ctim));

	/* A bad time changes nothing. */
	va.va_mtime.tv_nsec = 1000000000;
	KT_CHECK(tt_setattr(f, &va) == EINVAL);
	va.va_mtime.tv_nsec = -1;
	KT_CHECK(tt_setattr(f, &va) == EINVAL);
	KT_CHECK(kern_stat(f, &st0) == 0 && ts_equal(&st0.st_ctim,
	    &st.st_ctim) && st0.st_mtim.tv_sec == 1000);

	/* Write: mtime and ctime; read: atime only. */
	KT_ASSERT_EQ(kern_open(f, O_RDWR, 0, &fd), 0);
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_pwrite(fd, "w", 1, 10, &done) == 0 && done == 1);
	KT_CHECK(kern_fstat(fd, &st) == 0);
	KT_CHECK(ts_after(&st.st_mtim, &st0.st_mtim) &&
	    ts_after(&st.st_ctim, &st0.st_ctim) &&
	    ts_equal(&st.st_atim, &st0.st_atim));
	st0 = st;
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_pread(fd, &c, 1, 10, &done) == 0 && done == 1 &&
	    c == 'w');
	KT_CHECK(kern_fstat(fd, &st) == 0);
	KT_CHECK(ts_after(&st.st_atim, &st0.st_atim) &&
	    ts_equal(&st.st_mtim, &st0.st_mtim) &&
	    ts_equal(&st.st_ctim, &st0.st_ctim));

	/* chmod, chown, link: ctime only. */
	st0 = st;
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_chmod(f, 0600) == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && ts_after(&st.st_ctim,
	    &st0.st_ctim) && ts_equal(&st.st_mtim, &st0.st_mtim));
	st0 = st;
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_chown(f, 7, 8) == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && ts_after(&st.st_ctim,
	    &st0.st_ctim) && ts_equal(&st.st_mtim, &st0.st_mtim));
	st0 = st;
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_link(f, "/ttm/g") == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && ts_after(&st.st_ctim,
	    &st0.st_ctim) && ts_equal(&st.st_mtim, &st0.st_mtim));

	/* Truncate: mtime and ctime. */
	st0 = st;
	ts_wait_past(&st0.st_ctim);
	KT_CHECK(kern_ftruncate(fd, 3) == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && ts_after(&st.st_ctim,
	    &st0.st_ctim) && ts_after(&st.st_mtim, &st0.st_mtim));
	KT_CHECK(kern_close(fd) == 0);

	/* Removing a name changes the directory. */
	KT_ASSERT_EQ(kern_stat(d, &dst0), 0);
	ts_wait_past(&dst0.st_ctim);
	KT_CHECK(kern_unlink("/ttm/g") == 0);
	KT_CHECK(kern_stat(d, &dst) == 0 &&
	    ts_after(&dst.st_mtim, &dst0.st_mtim));
	KT_CHECK(kern_unlink(f) == 0);
}

KTEST(tmpfs_times, "tmpfs timestamps: atime on read, mtime+ctime on write/truncate, ctime on chmod/chown/link, dirs on create/unlink")
{
	KT_ASSERT_EQ(tt_mount("/ttm", "size=1m"), 0);
	tm_body();
	KT_CHECK(tt_unmount("/ttm") == 0);
}

/* --- attributes --- */

static void
at_body(void)
{
	struct stat st, st2, rst;
	struct vnode *vp;
	int fd;

	KT_ASSERT_EQ(kern_open("/tat/f", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &fd), 0);
	KT_CHECK(kern_close(fd) == 0);
	KT_ASSERT_EQ(kern_stat("/tat/f", &st), 0);
	KT_CHECK(S_ISREG(st.st_mode) && (st.st_mode & ALLPERMS) == 0644);
	KT_CHECK(st.st_uid == 0 && st.st_gid == 0 && st.st_nlink == 1);

	KT_CHECK(kern_chmod("/tat/f", 0640) == 0);
	KT_CHECK(kern_stat("/tat/f", &st) == 0 &&
	    st.st_mode == (S_IFREG | 0640));
	KT_CHECK(kern_chmod("/tat/f", 07755) == 0);
	KT_CHECK(kern_stat("/tat/f", &st) == 0 &&
	    st.st_mode == (S_IFREG | 07755));
	KT_CHECK(kern_chown("/tat/f", 123, 456) == 0);
	KT_CHECK(kern_stat("/tat/f", &st) == 0 && st.st_uid == 123 &&
	    st.st_gid == 456);
	KT_CHECK(kern_chown("/tat/f", -1, 789) == 0);
	KT_CHECK(kern_stat("/tat/f", &st) == 0 && st.st_uid == 123 &&
	    st.st_gid == 789);
	/* The vnode's cached attributes follow (vnode.h rule 4). */
	vp = tt_vnode("/tat/f");
	KT_ASSERT(vp != NULL);
	KT_CHECK(vp->v_mode == (st.st_mode & ALLPERMS) && vp->v_uid == 123 &&
	    vp->v_gid == 789);
	KT_CHECK(kern_chmod("/tat/f", 0604) == 0);
	KT_CHECK(vp->v_mode == 0604);
	vrele(vp);

	/* Types, inode numbers, the mount's device. */
	KT_ASSERT_EQ(kern_mkdir("/tat/d", 0700), 0);
	KT_ASSERT_EQ(kern_symlink("f", "/tat/l"), 0);
	KT_CHECK(kern_stat("/tat/d", &st2) == 0 &&
	    st2.st_mode == (S_IFDIR | 0700) && st2.st_nlink == 2);
	KT_CHECK(st2.st_ino != st.st_ino && st2.st_dev == st.st_dev);
	KT_CHECK(kern_lstat("/tat/l", &st2) == 0 && S_ISLNK(st2.st_mode) &&
	    st2.st_size == 1 && st2.st_ino != st.st_ino);
	KT_CHECK(kern_stat("/tat/l", &st2) == 0 && st2.st_ino == st.st_ino);
	KT_CHECK(kern_stat("/", &rst) == 0 && rst.st_dev != st.st_dev);
	KT_CHECK(kern_stat("/tat", &st2) == 0 && S_ISDIR(st2.st_mode) &&
	    (st2.st_mode & ALLPERMS) == 0755 && st2.st_uid == 0);

	KT_CHECK(kern_unlink("/tat/l") == 0);
	KT_CHECK(kern_rmdir("/tat/d") == 0);
	KT_CHECK(kern_unlink("/tat/f") == 0);
}

KTEST(tmpfs_attrs, "tmpfs modes and owners via kern_chmod/kern_chown, in stat and the vnode cache; types; inode numbers")
{
	KT_ASSERT_EQ(tt_mount("/tat", "size=1m"), 0);
	at_body();
	KT_CHECK(tt_unmount("/tat") == 0);
}

/* --- hard links and link counts --- */

static void
ln_body(void)
{
	struct statfs sb0, sb;
	struct stat st, st2;
	char buf[8];
	size_t done;
	int fd;

	KT_CHECK(vtu_nlink("/tln") == 2);
	KT_ASSERT_EQ(kern_mkdir("/tln/d", 0755), 0);
	KT_CHECK(vtu_nlink("/tln") == 3 && vtu_nlink("/tln/d") == 2);
	KT_ASSERT_EQ(kern_mkdir("/tln/d/x", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/tln/d/y", 0755), 0);
	KT_CHECK(vtu_nlink("/tln/d") == 4);
	KT_CHECK(kern_rmdir("/tln/d/x") == 0 && vtu_nlink("/tln/d") == 3);
	/* Files do not count in a directory's links. */
	KT_ASSERT_EQ(tt_mkfile("/tln/a", 64, 3), 0);
	KT_CHECK(vtu_nlink("/tln") == 3);

	KT_ASSERT_EQ(kern_link("/tln/a", "/tln/b"), 0);
	KT_ASSERT_EQ(kern_link("/tln/a", "/tln/d/c"), 0);
	KT_CHECK(vtu_nlink("/tln/a") == 3 && vtu_nlink("/tln/b") == 3);
	KT_CHECK(kern_stat("/tln/a", &st) == 0 &&
	    kern_stat("/tln/d/c", &st2) == 0 && st.st_ino == st2.st_ino);
	KT_CHECK(kern_link("/tln/a", "/tln/b") == EEXIST);
	KT_CHECK(kern_link("/tln/d", "/tln/e") != 0);
	KT_CHECK(kern_stat("/tln/e", &st2) == ENOENT);
	KT_CHECK(vtu_nlink("/tln/d") == 3);

	/* A write through one name shows through the others. */
	KT_ASSERT_EQ(kern_open("/tln/b", O_WRONLY, 0, &fd), 0);
	KT_CHECK(kern_pwrite(fd, "LINK", 4, 0, &done) == 0 && done == 4);
	KT_CHECK(kern_close(fd) == 0);
	KT_ASSERT_EQ(kern_open("/tln/d/c", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_read(fd, buf, 4, &done) == 0 && done == 4 &&
	    memcmp(buf, "LINK", 4) == 0);
	KT_CHECK(kern_close(fd) == 0);

	KT_CHECK(kern_unlink("/tln/a") == 0 && vtu_nlink("/tln/b") == 2);
	KT_CHECK(kern_unlink("/tln/d/c") == 0 && vtu_nlink("/tln/b") == 1);
	KT_CHECK(vtu_size("/tln/b") == 64);

	/* An open file outlives its last name; the last close frees it. */
	KT_ASSERT_EQ(tt_statfs("/tln", &sb0), 0);
	KT_ASSERT_EQ(kern_open("/tln/b", O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_unlink("/tln/b") == 0);
	KT_CHECK(kern_stat("/tln/b", &st) == ENOENT);
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_nlink == 0 &&
	    st.st_size == 64);
	KT_CHECK(kern_pwrite(fd, "more", 4, 8192, &done) == 0 && done == 4);
	KT_CHECK(kern_pread(fd, buf, 4, 8192, &done) == 0 && done == 4 &&
	    memcmp(buf, "more", 4) == 0);
	KT_CHECK(tt_statfs("/tln", &sb) == 0 && sb.f_files == sb0.f_files &&
	    sb.f_bfree == sb0.f_bfree - 1);
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(tt_statfs("/tln", &sb) == 0 &&
	    sb.f_files == sb0.f_files - 1 && sb.f_bfree == sb.f_blocks);

	KT_CHECK(kern_rmdir("/tln/d/y") == 0);
	KT_CHECK(kern_rmdir("/tln/d") == 0 && vtu_nlink("/tln") == 2);
}

KTEST(tmpfs_links, "tmpfs hard links and link counts (dirs: 2 + subdirs); an unlinked open file is freed at the last close")
{
	KT_ASSERT_EQ(tt_mount("/tln", "size=1m"), 0);
	ln_body();
	KT_CHECK(tt_unmount("/tln") == 0);
}

/* --- symlinks --- */

static void
sl_body(void)
{
	char *buf, *target;
	struct stat st;
	size_t done;

	buf = kmalloc(2 * PATH_MAX, M_TMPFSTEST, 0);
	target = kmalloc(PATH_MAX + 1, M_TMPFSTEST, 0);
	KT_ASSERT(buf != NULL && target != NULL);

	KT_ASSERT_EQ(kern_symlink("some/target", "/tsl/l"), 0);
	KT_CHECK(kern_readlink("/tsl/l", buf, 100, &done) == 0 &&
	    done == 11 && memcmp(buf, "some/target", 11) == 0);
	KT_CHECK(kern_readlink("/tsl/l", buf, 4, &done) == 0 && done == 4 &&
	    memcmp(buf, "some", 4) == 0);
	KT_CHECK(kern_lstat("/tsl/l", &st) == 0 && S_ISLNK(st.st_mode) &&
	    st.st_size == 11 && st.st_nlink == 1 && st.st_blocks == 0);
	KT_CHECK(kern_symlink("x", "/tsl/l") == EEXIST);
	KT_CHECK(kern_readlink("/tsl", buf, 100, &done) == EINVAL);

	/* Long targets: PATH_MAX - 1 bytes fit, PATH_MAX do not. */
	memset(target, 'a', PATH_MAX);
	target[PATH_MAX - 1] = '\0';
	KT_CHECK(kern_symlink(target, "/tsl/long") == 0);
	KT_CHECK(kern_readlink("/tsl/long", buf, 2 * PATH_MAX, &done) == 0 &&
	    done == PATH_MAX - 1 && memcmp(buf, target, done) == 0);
	target[PATH_MAX - 1] = 'a';
	target[PATH_MAX] = '\0';
	KT_CHECK(kern_symlink(target, "/tsl/toolong") == ENAMETOOLONG);
	KT_CHECK(kern_lstat("/tsl/toolong", &st) == ENOENT);

	/* Following, relative and absolute. */
	KT_ASSERT_EQ(tt_mkfile("/tsl/file", 300, 4), 0);
	KT_CHECK(kern_symlink("file", "/tsl/rel") == 0);
	KT_CHECK(kern_symlink("/tsl/file", "/tsl/abs") == 0);
	KT_CHECK(tt_holds("/tsl/rel", 300, 4) && tt_holds("/tsl/abs", 300, 4));

	KT_CHECK(kern_unlink("/tsl/l") == 0 && kern_unlink("/tsl/long") == 0);
	KT_CHECK(kern_unlink("/tsl/rel") == 0 && kern_unlink("/tsl/abs") == 0);
	KT_CHECK(kern_unlink("/tsl/file") == 0);
	kfree(target, M_TMPFSTEST);
	kfree(buf, M_TMPFSTEST);
}

KTEST(tmpfs_symlink, "tmpfs symlinks: exact targets, short readlink, PATH_MAX limit, following")
{
	KT_ASSERT_EQ(tt_mount("/tsl", "size=1m"), 0);
	sl_body();
	KT_CHECK(tt_unmount("/tsl") == 0);
}

/* --- directory listings --- */

#define RD_MAX		768
#define RD_NAMELEN	16

struct rd_ent {
	char		name[RD_NAMELEN];
	uint64_t	ino;
	int64_t		off;
	int		seen;
};

struct rd_list {
	struct rd_ent	e[RD_MAX];
	int		n;
	bool		bad;		/* malformed record or overflow */
};

/*
 * Read up to bufsize bytes of records from fd and append them to l.
 * Returns the bytes read, or -errno.
 */
static long
rd_batch(int fd, struct rd_list *l, size_t bufsize)
{
	uint8_t buf[512] __aligned(8);
	struct dirent *d;
	size_t done, pos;
	int error;

	error = kern_readdir(fd, buf, MIN(bufsize, sizeof(buf)), &done);
	if (error != 0)
		return (-error);
	for (pos = 0; pos < done; pos += d->d_reclen) {
		d = (struct dirent *)(buf + pos);
		if (d->d_reclen < DIRENT_RECLEN(0) || pos + d->d_reclen > done ||
		    d->d_reclen != DIRENT_RECLEN(d->d_namlen) ||
		    d->d_name[d->d_namlen] != '\0' ||
		    d->d_namlen >= RD_NAMELEN || l->n >= RD_MAX) {
			l->bad = true;
			return ((long)done);
		}
		memcpy(l->e[l->n].name, d->d_name, d->d_namlen + 1);
		l->e[l->n].ino = d->d_ino;
		l->e[l->n].off = d->d_off;
		l->e[l->n].seen = 0;
		l->n++;
	}
	return ((long)done);
}

/* Read the rest of the directory; false on an error. */
static bool
rd_rest(int fd, struct rd_list *l, size_t bufsize)
{
	long r = 0;

	/* A listing that never ends overflows l (bad): no hang. */
	while (!l->bad && (r = rd_batch(fd, l, bufsize)) > 0)
		;
	return (r == 0 && !l->bad);
}

/* Times name occurs in l. */
static int
rd_count(const struct rd_list *l, const char *name)
{
	int i, c = 0;

	for (i = 0; i < l->n; i++)
		c += strcmp(l->e[i].name, name) == 0;
	return (c);
}

/* The entry called name, or NULL. */
static const struct rd_ent *
rd_find(const struct rd_list *l, const char *name)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->e[i].name, name) == 0)
			return (&l->e[i]);
	}
	return (NULL);
}

/* A whole listing of path with a buffer of bufsize bytes. */
static bool
rd_list(const char *path, struct rd_list *l, size_t bufsize)
{
	int fd;
	bool ok;

	l->n = 0;
	l->bad = false;
	if (kern_open(path, O_RDONLY | O_DIRECTORY, 0, &fd) != 0)
		return (false);
	ok = rd_rest(fd, l, bufsize);
	kern_close(fd);
	return (ok);
}

static void
rd_name(char *buf, char prefix, int i)
{
	ksnprintf(buf, RD_NAMELEN, "%c%03d", prefix, i);
}

static void
rd_path(char *buf, size_t len, const char *dir, char prefix, int i)
{
	ksnprintf(buf, len, "%s/%c%03d", dir, prefix, i);
}

/* Empty directories list "." and ".."; the root's ".." is itself. */
static void
rd_empty(struct rd_list *l)
{
	struct stat dst, rst;

	KT_ASSERT_EQ(kern_stat("/trd/d", &dst), 0);
	KT_ASSERT_EQ(kern_stat("/trd", &rst), 0);
	KT_ASSERT(rd_list("/trd/d", l, 512));
	KT_CHECK(l->n == 2 && strcmp(l->e[0].name, ".") == 0 &&
	    strcmp(l->e[1].name, "..") == 0);
	KT_CHECK(l->e[0].ino == dst.st_ino && l->e[1].ino == rst.st_ino);
	KT_ASSERT(rd_list("/trd", l, 512));
	KT_CHECK(l->n == 3 && l->e[0].ino == rst.st_ino &&
	    l->e[1].ino == rst.st_ino && rd_count(l, "d") == 1);
}

/* n files: a listing in small batches has each once, in cookie order. */
static void
rd_full(struct rd_list *l, int n)
{
	char name[RD_NAMELEN], path[64];
	int i;

	for (i = 0; i < n; i++) {
		rd_path(path, sizeof(path), "/trd/d", 'f', i);
		KT_ASSERT_EQ(tt_mkfile(path, 0, 0), 0);
	}
	KT_ASSERT(rd_list("/trd/d", l, 7 * DIRENT_RECLEN(4)));
	KT_CHECK(l->n == n + 2 && strcmp(l->e[0].name, ".") == 0 &&
	    strcmp(l->e[1].name, "..") == 0);
	for (i = 0; i < n; i++) {
		rd_name(name, 'f', i);
		KT_CHECK(rd_count(l, name) == 1);
	}
	for (i = 1; i < l->n; i++)
		KT_CHECK(l->e[i].off > l->e[i - 1].off);
}

/*
 * Changes between calls.  Read a third, then remove every third entry
 * (listed or not) and add twenty; the rest of the listing must hold
 * every survivor not yet listed and every new entry, once, and none of
 * the removed ones it had not reached.
 */
static void
rd_churn(struct rd_list *l2, int n)
{
	char name[RD_NAMELEN], path[64];
	int i, j, fd, first, early;

	KT_ASSERT_EQ(kern_open("/trd/d", O_RDONLY | O_DIRECTORY, 0, &fd), 0);
	l2->n = 0;
	l2->bad = false;
	while (l2->n < n / 3 && rd_batch(fd, l2, 5 * DIRENT_RECLEN(4)) > 0)
		;
	KT_CHECK(l2->n >= n / 3);
	first = l2->n;
	for (i = 0; i < n; i += 3) {
		rd_path(path, sizeof(path), "/trd/d", 'f', i);
		KT_CHECK(kern_unlink(path) == 0);
	}
	for (i = 0; i < 20; i++) {
		rd_path(path, sizeof(path), "/trd/d", 'g', i);
		KT_CHECK(tt_mkfile(path, 0, 0) == 0);
	}
	KT_CHECK(rd_rest(fd, l2, 5 * DIRENT_RECLEN(4)));
	KT_CHECK(kern_close(fd) == 0);
	for (i = 0; i < n; i++) {
		rd_name(name, 'f', i);
		for (early = 0, j = 0; j < first; j++)
			early += strcmp(l2->e[j].name, name) == 0;
		if (i % 3 == 0)		/* removed: only if listed before */
			KT_CHECK(rd_count(l2, name) == early);
		else
			KT_CHECK(rd_count(l2, name) == 1);
	}
	for (i = 0; i < 20; i++) {
		rd_name(name, 'g', i);
		KT_CHECK(rd_count(l2, name) == 1);
	}
	KT_CHECK(rd_count(l2, ".") == 1 && rd_count(l2, "..") == 1);
}

/*
 * Cookies are stable: a survivor keeps its d_off (l is the listing from
 * before the churn); lseek to a cookie resumes there, or at the next
 * survivor if that entry is gone.
 */
static void
rd_cookies(struct rd_list *l, struct rd_list *l2, int n)
{
	char name[RD_NAMELEN], path[64];
	const struct rd_ent *a, *b;
	off_t pos;
	int i, fd;

	KT_ASSERT(rd_list("/trd/d", l2, 512));
	for (i = 1; i < n; i += 3) {
		rd_name(name, 'f', i);
		a = rd_find(l, name);
		b = rd_find(l2, name);
		KT_CHECK(a != NULL && b != NULL && a->off == b->off);
	}
	KT_ASSERT((a = rd_find(l, "f001")) != NULL);
	KT_ASSERT((b = rd_find(l, "f003")) != NULL);
	KT_ASSERT_EQ(kern_open("/trd/d", O_RDONLY | O_DIRECTORY, 0, &fd), 0);
	KT_CHECK(kern_lseek(fd, a->off, SEEK_SET, &pos) == 0);
	l2->n = 0;
	KT_CHECK(rd_batch(fd, l2, DIRENT_RECLEN(4)) > 0 && l2->n == 1 &&
	    strcmp(l2->e[0].name, "f002") == 0);
	/* f003's own cookie is one below its d_off; f003 is gone. */
	KT_CHECK(kern_lseek(fd, b->off - 1, SEEK_SET, &pos) == 0);
	l2->n = 0;
	KT_CHECK(rd_batch(fd, l2, DIRENT_RECLEN(4)) > 0 && l2->n == 1 &&
	    strcmp(l2->e[0].name, "f004") == 0);
	/* A buffer too small for the next record. */
	KT_CHECK(rd_batch(fd, l2, 8) == -EINVAL);
	KT_CHECK(kern_close(fd) == 0);

	/* Clean up: everything left goes. */
	KT_ASSERT(rd_list("/trd/d", l2, 512));
	for (i = 2; i < l2->n; i++) {
		ksnprintf(path, sizeof(path), "/trd/d/%s", l2->e[i].name);
		KT_CHECK(kern_unlink(path) == 0);
	}
	KT_ASSERT(rd_list("/trd/d", l2, 512));
	KT_CHECK(l2->n == 2);
}

/*
 * A big directory: the name hash grows as it fills and shrinks as it
 * empties, and every name is found all along.  Removed while open, it
 * still lists "." and "..".
 */
static void
rd_big(struct rd_list *l, int nbig)
{
	char path[64];
	int i, fd;

	KT_ASSERT_EQ(kern_mkdir("/trd/big", 0755), 0);
	for (i = 0; i < nbig && !ktest_failed(); i++) {
		rd_path(path, sizeof(path), "/trd/big", 'b', i);
		KT_CHECK(tt_mkfile(path, 0, 0) == 0);
	}
	for (i = nbig - 1; i >= 0 && !ktest_failed(); i--) {
		rd_path(path, sizeof(path), "/trd/big", 'b', i);
		KT_CHECK(vtu_size(path) == 0);
	}
	KT_ASSERT(rd_list("/trd/big", l, 512));
	KT_CHECK(l->n == nbig + 2);
	for (i = 0; i < nbig && !ktest_failed(); i++) {
		rd_path(path, sizeof(path), "/trd/big", 'b', i);
		KT_CHECK(kern_unlink(path) == 0);
		/* Every so often, the last names are still found. */
		if (i % 64 == 0 || i > nbig - 8) {
			rd_path(path, sizeof(path), "/trd/big", 'b', nbig - 1);
			KT_CHECK(i == nbig - 1 || vtu_size(path) == 0);
		}
	}
	KT_ASSERT_EQ(kern_open("/trd/big", O_RDONLY | O_DIRECTORY, 0, &fd),
	    0);
	KT_CHECK(kern_rmdir("/trd/big") == 0);
	l->n = 0;
	l->bad = false;
	KT_CHECK(rd_rest(fd, l, 512) && l->n == 2);
	KT_CHECK(kern_close(fd) == 0);
}

KTEST(tmpfs_readdir, "tmpfs readdir: exact listings, stable cookies while entries come and go between calls, lseek resume, big dirs")
{
	struct rd_list *l, *l2;

	int n = tt_kvm() ? 60 : 150, nbig = tt_kvm() ? 200 : 700;

	l = kmalloc(sizeof(*l), M_TMPFSTEST, M_ZERO);
	l2 = kmalloc(sizeof(*l2), M_TMPFSTEST, M_ZERO);
	KT_ASSERT(l != NULL && l2 != NULL);
	KT_ASSERT_EQ(tt_mount("/trd", "size=1m"), 0);
	KT_ASSERT_EQ(kern_mkdir("/trd/d", 0755), 0);
	rd_empty(l);
	if (!ktest_failed())
		rd_full(l, n);
	if (!ktest_failed())
		rd_churn(l2, n);
	if (!ktest_failed())
		rd_cookies(l, l2, n);
	if (!ktest_failed())
		rd_big(l, nbig);
	KT_CHECK(kern_rmdir("/trd/d") == 0);
	KT_CHECK(tt_unmount("/trd") == 0);
	kfree(l, M_TMPFSTEST);
	kfree(l2, M_TMPFSTEST);
}

/* --- rename at the tmpfs level --- */

static void
rn_body(struct rd_list *l)
{
	struct stat sa, sp2, st;
	int64_t offb, offc;

	KT_ASSERT_EQ(kern_mkdir("/trn/r", 0755), 0);
	KT_ASSERT_EQ(tt_mkfile("/trn/r/a", 100, 11), 0);
	KT_ASSERT_EQ(tt_mkfile("/trn/r/b", 200, 12), 0);
	KT_ASSERT_EQ(tt_mkfile("/trn/r/c", 300, 13), 0);
	KT_ASSERT_EQ(kern_stat("/trn/r/a", &sa), 0);
	KT_ASSERT(rd_list("/trn/r", l, 512));
	KT_ASSERT(rd_find(l, "b") != NULL && rd_find(l, "c") != NULL);
	offb = rd_find(l, "b")->off;
	offc = rd_find(l, "c")->off;

	/* Over a file: the target's entry now names the moved file. */
	KT_ASSERT_EQ(kern_rename("/trn/r/a", "/trn/r/b"), 0);
	KT_ASSERT(rd_list("/trn/r", l, 512));
	KT_CHECK(l->n == 4 && rd_count(l, "a") == 0);
	KT_CHECK(rd_find(l, "b") != NULL && rd_find(l, "b")->off == offb &&
	    rd_find(l, "b")->ino == sa.st_ino);
	KT_CHECK(rd_find(l, "c") != NULL && rd_find(l, "c")->off == offc);
	KT_CHECK(tt_holds("/trn/r/b", 100, 11) && vtu_nlink("/trn/r/b") == 1);
	/* To a new name: a new slot after the others. */
	KT_ASSERT_EQ(kern_rename("/trn/r/c", "/trn/r/z"), 0);
	KT_ASSERT(rd_list("/trn/r", l, 512));
	KT_CHECK(l->n == 4 && rd_count(l, "c") == 0 &&
	    strcmp(l->e[3].name, "z") == 0 && l->e[3].off > offc);
	KT_CHECK(tt_holds("/trn/r/z", 300, 13));

	/* A directory over an empty one in another parent. */
	KT_ASSERT_EQ(kern_mkdir("/trn/p1", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/trn/p2", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/trn/p1/d", 0755), 0);
	KT_ASSERT_EQ(tt_mkfile("/trn/p1/d/f", 50, 14), 0);
	KT_ASSERT_EQ(kern_mkdir("/trn/p2/e", 0755), 0);
	KT_CHECK(vtu_nlink("/trn/p1") == 3 && vtu_nlink("/trn/p2") == 3);
	KT_CHECK(vtu_nlink("/trn") == 5);
	KT_ASSERT_EQ(kern_rename("/trn/p1/d", "/trn/p2/e"), 0);
	KT_CHECK(vtu_nlink("/trn/p1") == 2 && vtu_nlink("/trn/p2") == 3);
	KT_CHECK(vtu_nlink("/trn/p2/e") == 2 && vtu_nlink("/trn") == 5);
	KT_CHECK(tt_holds("/trn/p2/e/f", 50, 14));
	KT_CHECK(kern_stat("/trn/p1/d", &st) == ENOENT);
	KT_ASSERT_EQ(kern_stat("/trn/p2", &sp2), 0);
	KT_ASSERT(rd_list("/trn/p2/e", l, 512));
	KT_CHECK(rd_find(l, "..") != NULL &&
	    rd_find(l, "..")->ino == sp2.st_ino && rd_count(l, "f") == 1);

	/* ... and in the same parent. */
	KT_ASSERT_EQ(kern_mkdir("/trn/p2/g", 0755), 0);
	KT_CHECK(vtu_nlink("/trn/p2") == 4);
	KT_ASSERT_EQ(kern_rename("/trn/p2/e", "/trn/p2/g"), 0);
	KT_CHECK(vtu_nlink("/trn/p2") == 3 && vtu_nlink("/trn/p2/g") == 2);
	KT_CHECK(tt_holds("/trn/p2/g/f", 50, 14));
	/* A directory moves to a new name in another parent. */
	KT_ASSERT_EQ(kern_rename("/trn/p2/g", "/trn/p1/h"), 0);
	KT_CHECK(vtu_nlink("/trn/p1") == 3 && vtu_nlink("/trn/p2") == 2);
	KT_CHECK(tt_holds("/trn/p1/h/f", 50, 14));
	/* Not into itself, not over a full directory. */
	KT_ASSERT_EQ(kern_mkdir("/trn/p2/full", 0755), 0);
	KT_ASSERT_EQ(tt_mkfile("/trn/p2/full/x", 0, 0), 0);
	KT_CHECK(kern_rename("/trn/p1/h", "/trn/p2/full") == ENOTEMPTY);
	KT_CHECK(kern_rename("/trn/p1", "/trn/p1/h/in") == EINVAL);
	KT_CHECK(vtu_nlink("/trn/p1") == 3 && vtu_nlink("/trn/p2") == 3);

	KT_CHECK(kern_unlink("/trn/p2/full/x") == 0);
	KT_CHECK(kern_rmdir("/trn/p2/full") == 0);
	KT_CHECK(kern_unlink("/trn/p1/h/f") == 0);
	KT_CHECK(kern_rmdir("/trn/p1/h") == 0);
	KT_CHECK(kern_rmdir("/trn/p1") == 0 && kern_rmdir("/trn/p2") == 0);
	KT_CHECK(kern_unlink("/trn/r/b") == 0 && kern_unlink("/trn/r/z") == 0);
	KT_CHECK(kern_rmdir("/trn/r") == 0);
	KT_CHECK(vtu_nlink("/trn") == 2);
}

KTEST(tmpfs_rename, "tmpfs rename: over a file keeps the readdir slot; dir over empty dir (other/same parent): links and '..' follow")
{
	struct rd_list *l;
	struct statfs sb;

	l = kmalloc(sizeof(*l), M_TMPFSTEST, M_ZERO);
	KT_ASSERT(l != NULL);
	KT_ASSERT_EQ(tt_mount("/trn", "size=1m"), 0);
	rn_body(l);
	/* Every replaced node was freed: only the root is left. */
	KT_CHECK(tt_statfs("/trn", &sb) == 0 && sb.f_files == 1 &&
	    sb.f_bfree == sb.f_blocks);
	KT_CHECK(tt_unmount("/trn") == 0);
	kfree(l, M_TMPFSTEST);
}

/* --- fast path --- */

static volatile int fp_state;		/* [a] 1 holding, 2 released */

/*
 * Hold the mount's token, without blocking, until a VOP was queued to a
 * service thread (or 20 s passed): the fast path must have failed.
 */
static void
fp_holder(void *arg)
{
	struct mount *mp = arg;
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	uint64_t base = __atomic_load_n(&mp->mnt_nqueued, __ATOMIC_RELAXED);
	uint64_t end = nanouptime() + 20000000000UL;

	lwkt_gettoken(&tm->tm_token);
	__atomic_store_n(&fp_state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&mp->mnt_nqueued, __ATOMIC_RELAXED) == base &&
	    nanouptime() < end)
		cpu_pause();
	lwkt_reltoken(&tm->tm_token);
	__atomic_store_n(&fp_state, 2, __ATOMIC_RELEASE);
	wakeup(&fp_state);
}

static void
fp_body(int mode)
{
	struct vnode *vp;
	struct mount *mp;
	struct stat st;
	uint64_t f0, q0;
	char buf[4096];
	size_t done;
	int fd;

	KT_ASSERT_EQ(tt_mkfile("/tfp/f", 8192, 21), 0);
	vp = tt_vnode("/tfp/f");
	KT_ASSERT(vp != NULL);
	mp = vp->v_mount;
	vrele(vp);
	KT_ASSERT_EQ(kern_open("/tfp/f", O_RDWR, 0, &fd), 0);

	f0 = mp->mnt_nfast;
	q0 = mp->mnt_nqueued;
	KT_CHECK(kern_pread(fd, buf, sizeof(buf), 0, &done) == 0 &&
	    done == sizeof(buf) && tt_check(buf, sizeof(buf), 21));
	KT_CHECK(kern_fstat(fd, &st) == 0 && st.st_size == 8192);
	tt_fill(buf, sizeof(buf), 22);
	KT_CHECK(kern_pwrite(fd, buf, sizeof(buf), 4000, &done) == 0 &&
	    done == sizeof(buf));
	if (mode == TMPFS_FAST_NONE) {
		KT_CHECK(mp->mnt_nfast == f0 && mp->mnt_nqueued == q0 + 3);
	} else {
		KT_CHECK(mp->mnt_nfast == f0 + 3 && mp->mnt_nqueued == q0);
	}
	/* Extending (a new page, a larger size): fast only with fast=all. */
	KT_CHECK(kern_pwrite(fd, buf, 10, 8190, &done) == 0 && done == 10);
	if (mode == TMPFS_FAST_READ)
		KT_CHECK(mp->mnt_nfast == f0 + 3 &&
		    mp->mnt_nqueued == q0 + 1);
	else if (mode == TMPFS_FAST_ALL)
		KT_CHECK(mp->mnt_nfast == f0 + 4 && mp->mnt_nqueued == q0);
	else
		KT_CHECK(mp->mnt_nfast == f0 && mp->mnt_nqueued == q0 + 4);
	KT_CHECK(kern_pread(fd, buf, sizeof(buf), 4000, &done) == 0 &&
	    done == sizeof(buf) && tt_check(buf, sizeof(buf), 22));

	/* A busy token: the read is queued, and completes once free. */
	if (ncpus > 1) {
		thread_t td;

		fp_state = 0;
		td = lwkt_create(fp_holder, mp, 1, TDPRI_KERN, 0, 0, "fphold");
		KT_ASSERT(td != NULL);
		while (__atomic_load_n(&fp_state, __ATOMIC_ACQUIRE) == 0)
			lwkt_yield();
		q0 = mp->mnt_nqueued;
		KT_CHECK(kern_pread(fd, buf, 100, 0, &done) == 0 && done == 100);
		KT_CHECK(mp->mnt_nqueued == q0 + 1);
		while (__atomic_load_n(&fp_state, __ATOMIC_ACQUIRE) != 2)
			tsleep(&fp_state, 0, "fpwait", 10000000);
	}
	ktest_log("fast %lu, queued %lu", mp->mnt_nfast, mp->mnt_nqueued);
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(kern_unlink("/tfp/f") == 0);
}

KTEST_SMP(tmpfs_fastpath, "1,2", "tmpfs fast path: fast=read, fast=all, fast=none send exactly the expected operations to the service thread; a busy token queues")
{
	KT_ASSERT_EQ(tt_mount("/tfp", "size=1m,fast=read"), 0);
	fp_body(TMPFS_FAST_READ);
	KT_CHECK(tt_unmount("/tfp") == 0);
	KT_ASSERT_EQ(tt_mount("/tfp", "size=1m"), 0);
	fp_body(TMPFS_FAST_ALL);
	KT_CHECK(tt_unmount("/tfp") == 0);
	KT_ASSERT_EQ(tt_mount("/tfp", "size=1m,fast=none"), 0);
	fp_body(TMPFS_FAST_NONE);
	KT_CHECK(tt_unmount("/tfp") == 0);
}

/* --- mount options --- */

KTEST(tmpfs_options, "tmpfs mount options: size= (suffixes, limits), nodes=, ro; malformed options are EINVAL")
{
	static const char *const bad[] = {
		"size=", "size=0", "size=abc", "size=12q", "size=1kk",
		"size=99999999999999999999999", "size=-1", "nodes=0",
		"nodes=1k", "frob", "size=1m,frob", "sizes=1m",
		"size=0x100", "fast=", "fast=some", "fast",
	};
	struct statfs sb;
	unsigned i;
	int fd;

	KT_ASSERT_EQ(kern_mkdir("/top", 0755), 0);
	for (i = 0; i < nitems(bad); i++) {
		int error = kern_mount("tmpfs", "tmpfs", "/top", bad[i]);

		if (error != EINVAL)
			ktest_log("\"%s\": %d", bad[i], error);
		KT_CHECK(error == EINVAL);
	}

	KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/top", "size=10m"), 0);
	KT_CHECK(tt_statfs("/top", &sb) == 0 && sb.f_blocks == 2560 &&
	    sb.f_bfree == 2560 && sb.f_files == 1 && sb.f_bsize == PAGE_SIZE &&
	    strcmp(sb.f_fstypename, "tmpfs") == 0);
	KT_CHECK(kern_unmount("/top") == 0);

	KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/top", ",size=5000,,rw,"
	    "nodes=3"), 0);
	KT_CHECK(tt_statfs("/top", &sb) == 0 && sb.f_blocks == 2);
	KT_CHECK(tt_mkfile("/top/a", 0, 0) == 0);
	KT_CHECK(kern_mkdir("/top/b", 0755) == 0);
	KT_CHECK(tt_mkfile("/top/c", 0, 0) == ENOSPC);
	KT_CHECK(kern_symlink("a", "/top/c") == ENOSPC);
	KT_CHECK(tt_statfs("/top", &sb) == 0 && sb.f_files == 3);
	KT_CHECK(kern_unlink("/top/a") == 0);
	KT_CHECK(tt_mkfile("/top/c", 0, 0) == 0);
	KT_CHECK(kern_unlink("/top/c") == 0 && kern_rmdir("/top/b") == 0);
	KT_CHECK(kern_unmount("/top") == 0);

	/* The default: half of RAM. */
	KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/top", "threads=2"), 0);
	KT_CHECK(tt_statfs("/top", &sb) == 0 &&
	    sb.f_blocks == vm_phys_total_count() / 2);
	KT_CHECK(kern_unmount("/top") == 0);

	/* Read-only refuses every change. */
	KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/top", "ro,size=1g"), 0);
	KT_CHECK(kern_open("/top/f", O_CREAT | O_RDWR, 0644, &fd) == EROFS);
	KT_CHECK(kern_mkdir("/top/d", 0755) == EROFS);
	KT_CHECK(kern_symlink("x", "/top/l") == EROFS);
	KT_CHECK(kern_chmod("/top", 0700) == EROFS);
	KT_CHECK(tt_statfs("/top", &sb) == 0 && sb.f_blocks == 262144);
	KT_CHECK(kern_unmount("/top") == 0);
	KT_CHECK(kern_rmdir("/top") == 0);
}
