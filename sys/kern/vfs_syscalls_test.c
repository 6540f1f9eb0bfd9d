/*
 * In-kernel tests of the file API (sys/kern/vfs_syscalls.c,
 * vfs_syscalls_io.c, vfs_vnops.c) on the tmpfs root.
 *
 *   file_open_flags	the open flag matrix: access modes, O_ACCMODE,
 *			O_CREAT (mode, owner), O_CREAT|O_EXCL (also on a
 *			dangling symlink), O_TRUNC, O_DIRECTORY,
 *			O_NOFOLLOW, EISDIR, trailing slashes, O_CLOEXEC
 *   file_append	O_APPEND through two descriptors: every write lands
 *			at the end, whatever the positions say
 *   file_rw		FREAD/FWRITE (EBADF), EISDIR reading a directory,
 *			pread/pwrite leave the position alone, negative
 *			offsets, reads at and past the end
 *   file_offset64	64-bit offsets: pwrite at 2^40, the size, holes
 *			read as zeros, lseek edges (SEEK_END, negative and
 *			overflowing results, bad whence), end overflow
 *   file_stat		stat/lstat/fstat agree, st_dev is the mount id,
 *			symlinks (lstat, readlink: no NUL, truncation,
 *			EINVAL), symlink target limits
 *   file_nsops		mkdir/unlink/rmdir/link/symlink errors: EEXIST,
 *			EISDIR, ENOTDIR, ENOTEMPTY, EPERM, ENOENT
 *   file_readdir	every name once, the position is the cookie
 *			(lseek back replays), EINVAL for a tiny buffer,
 *			ENOTDIR
 *   file_truncate	truncate/ftruncate: grow with zeros, shrink,
 *			EINVAL, EISDIR, a descriptor not open for writing
 *   file_chmod_chown	modes and owners as root: masks, -1 keeps,
 *			set-user-id cleared by chown, symlinks followed
 *
 * The permission, current-directory, rename, link-count, unlink-of-an-
 * open-file and leak tests are in vfs_syscalls_ns_test.c.  Each test works
 * in its own directory under the root and removes it at the end.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/ktest.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

MALLOC_DECLARE(M_TEMP);

/* --- helpers --- */

/* Read up to len bytes of path from offset 0. */
static int
vt_readfile(const char *path, void *buf, size_t len, size_t *donep)
{
	int fd, error;

	error = kern_open(path, O_RDONLY, 0, &fd);
	if (error != 0)
		return (error);
	error = kern_pread(fd, buf, len, 0, donep);
	kern_close(fd);
	return (error);
}

/* --- file_open_flags --- */

#define OD	"/t_open"

KTEST(file_open_flags, "open: access modes, O_CREAT, O_EXCL (also on a "
    "dangling symlink), O_TRUNC, O_DIRECTORY, O_NOFOLLOW, EISDIR, "
    "trailing slashes, O_CLOEXEC")
{
	int files = file_count();
	const struct ucred *cred = &curproc->p_cred;
	struct stat st;
	char buf[16];
	size_t done;
	int fd, fd2;

	KT_ASSERT_EQ(vtu_begin(OD), 0);
	KT_ASSERT_EQ(vtu_putfile(OD "/f", "0123456789", 0644), 0);
	KT_ASSERT_EQ(kern_mkdir(OD "/d", 0755), 0);
	KT_ASSERT_EQ(kern_symlink("f", OD "/lf"), 0);
	KT_ASSERT_EQ(kern_symlink("d", OD "/ld"), 0);
	KT_ASSERT_EQ(kern_symlink("nothere", OD "/dangle"), 0);

	/* Access modes. */
	fd = 7;
	KT_ASSERT_EQ(kern_open(OD "/f", O_ACCMODE, 0, &fd), EINVAL);
	KT_ASSERT_EQ(fd, -1);
	KT_ASSERT_EQ(kern_open(OD "/none", O_RDONLY, 0, &fd), ENOENT);
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_write(fd, "x", 1, &done), EBADF);
	KT_ASSERT_EQ(kern_read(fd, buf, 4, &done), 0);
	KT_ASSERT_EQ(done, 4);
	kern_close(fd);
	KT_ASSERT_EQ(kern_open(OD "/f", O_WRONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_read(fd, buf, 4, &done), EBADF);
	KT_ASSERT_EQ(kern_write(fd, "AB", 2, &done), 0);
	kern_close(fd);
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDWR, 0, &fd), 0);
	KT_ASSERT_EQ(kern_read(fd, buf, 3, &done), 0);
	KT_ASSERT(done == 3 && memcmp(buf, "AB2", 3) == 0);
	kern_close(fd);

	/* O_CREAT: type bits in mode are ignored; owner is the caller. */
	KT_ASSERT_EQ(kern_open(OD "/new", O_RDWR | O_CREAT, S_IFDIR | 0640,
	    &fd), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_mode == (S_IFREG | 0640));
	KT_CHECK(st.st_uid == cred->cr_uid && st.st_gid == cred->cr_gid);
	KT_CHECK(st.st_size == 0 && st.st_nlink == 1);
	kern_close(fd);
	/* O_CREAT on an existing file opens it, contents untouched. */
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDWR | O_CREAT, 0600, &fd), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_size == 10 && (st.st_mode & ALLPERMS) == 0644);
	kern_close(fd);
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDWR | O_CREAT | O_EXCL, 0600, &fd),
	    EEXIST);
	KT_ASSERT_EQ(kern_open(OD "/d", O_RDONLY | O_CREAT | O_EXCL, 0600,
	    &fd), EEXIST);
	/* O_EXCL never follows: a dangling symlink is a name that exists. */
	KT_ASSERT_EQ(kern_open(OD "/dangle", O_WRONLY | O_CREAT | O_EXCL,
	    0600, &fd), EEXIST);
	KT_ASSERT_EQ(kern_stat(OD "/nothere", &st), ENOENT);
	/* Without O_EXCL the link is followed and its target created. */
	KT_ASSERT_EQ(kern_open(OD "/dangle", O_WRONLY | O_CREAT, 0600, &fd),
	    0);
	kern_close(fd);
	KT_ASSERT_EQ(kern_lstat(OD "/nothere", &st), 0);
	KT_CHECK(S_ISREG(st.st_mode));
	/* A file created without permissions can still be opened RW once. */
	KT_ASSERT_EQ(kern_open(OD "/zero", O_RDWR | O_CREAT, 0, &fd), 0);
	KT_ASSERT_EQ(kern_write(fd, "z", 1, &done), 0);
	kern_close(fd);

	/* O_TRUNC: only for a regular file opened for writing. */
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDONLY | O_TRUNC, 0, &fd), 0);
	kern_close(fd);
	KT_CHECK(vtu_size(OD "/f") == 10);
	KT_ASSERT_EQ(kern_open(OD "/f", O_WRONLY | O_TRUNC, 0, &fd), 0);
	KT_CHECK(vtu_size(OD "/f") == 0);
	KT_ASSERT_EQ(kern_write(fd, "hello", 5, &done), 0);
	kern_close(fd);
	KT_CHECK(vtu_size(OD "/f") == 5);

	/* O_DIRECTORY. */
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDONLY | O_DIRECTORY, 0, &fd),
	    ENOTDIR);
	KT_ASSERT_EQ(kern_open(OD "/lf", O_RDONLY | O_DIRECTORY, 0, &fd),
	    ENOTDIR);
	KT_ASSERT_EQ(kern_open(OD "/ld", O_RDONLY | O_DIRECTORY, 0, &fd), 0);
	kern_close(fd);

	/* O_NOFOLLOW: only the last component. */
	KT_ASSERT_EQ(kern_open(OD "/lf", O_RDONLY | O_NOFOLLOW, 0, &fd),
	    ELOOP);
	KT_ASSERT_EQ(kern_open(OD "/lf", O_RDWR | O_CREAT | O_NOFOLLOW, 0600,
	    &fd), ELOOP);
	KT_ASSERT_EQ(kern_open(OD "/ld", O_RDONLY | O_NOFOLLOW, 0, &fd),
	    ELOOP);
	KT_ASSERT_EQ(kern_open(OD "/ld/", O_RDONLY | O_NOFOLLOW, 0, &fd), 0);
	kern_close(fd);
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDONLY | O_NOFOLLOW, 0, &fd), 0);
	kern_close(fd);

	/* Directories: reading only. */
	KT_ASSERT_EQ(kern_open(OD "/d", O_WRONLY, 0, &fd), EISDIR);
	KT_ASSERT_EQ(kern_open(OD "/d", O_RDWR, 0, &fd), EISDIR);
	KT_ASSERT_EQ(kern_open(OD "/d", O_RDONLY | O_TRUNC, 0, &fd), EISDIR);
	KT_ASSERT_EQ(kern_open(OD "/d", O_RDONLY | O_CREAT, 0644, &fd),
	    EISDIR);
	KT_ASSERT_EQ(kern_open(OD "/ld", O_WRONLY, 0, &fd), EISDIR);
	KT_ASSERT_EQ(kern_open(OD "/d", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_read(fd, buf, 4, &done), EISDIR);
	kern_close(fd);

	/* Trailing slashes. */
	KT_ASSERT_EQ(kern_open(OD "/f/", O_RDONLY, 0, &fd), ENOTDIR);
	KT_ASSERT_EQ(kern_open(OD "/lf/", O_RDONLY, 0, &fd), ENOTDIR);
	KT_ASSERT_EQ(kern_open(OD "/brand/", O_RDWR | O_CREAT, 0644, &fd),
	    EISDIR);
	KT_ASSERT_EQ(kern_stat(OD "/brand", &st), ENOENT);
	KT_ASSERT_EQ(kern_open(OD "/d/", O_RDONLY, 0, &fd), 0);
	kern_close(fd);

	/* O_CLOEXEC marks the slot, not the file. */
	KT_ASSERT_EQ(kern_open(OD "/f", O_RDONLY | O_CLOEXEC, 0, &fd), 0);
	KT_ASSERT_EQ(kern_dup(fd, &fd2), 0);
	KT_CHECK(curproc->p_fd->fd_fflags[fd] == UF_EXCLOSE);
	KT_CHECK(curproc->p_fd->fd_fflags[fd2] == 0);
	kern_close(fd2);
	kern_close(fd);

	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(OD), 0);
}

/* --- file_append --- */

#define AD	"/t_append"

KTEST(file_append, "O_APPEND through two descriptors: each write lands at "
    "the end, pwrite too; the position follows the data")
{
	int files = file_count();
	char buf[32];
	size_t done;
	off_t pos;
	int a, b, plain;

	KT_ASSERT_EQ(vtu_begin(AD), 0);
	KT_ASSERT_EQ(vtu_putfile(AD "/f", "1234", 0644), 0);
	KT_ASSERT_EQ(kern_open(AD "/f", O_WRONLY | O_APPEND, 0, &a), 0);
	KT_ASSERT_EQ(kern_open(AD "/f", O_RDWR | O_APPEND, 0, &b), 0);
	KT_ASSERT_EQ(kern_open(AD "/f", O_RDWR, 0, &plain), 0);
	KT_ASSERT_EQ(kern_write(a, "AAAA", 4, &done), 0);
	KT_ASSERT_EQ(kern_lseek(a, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 8);
	/* b's position is 0, yet its data goes after a's. */
	KT_ASSERT_EQ(kern_write(b, "BBB", 3, &done), 0);
	KT_ASSERT_EQ(kern_lseek(b, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 11);
	/* An lseek does not defeat O_APPEND. */
	KT_ASSERT_EQ(kern_lseek(a, 0, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_write(a, "CC", 2, &done), 0);
	/* A plain descriptor overwrites where it is. */
	KT_ASSERT_EQ(kern_write(plain, "p", 1, &done), 0);
	/* pwrite on an O_APPEND descriptor appends (Linux, BSD). */
	KT_ASSERT_EQ(kern_pwrite(b, "D", 1, 0, &done), 0);
	KT_ASSERT_EQ(kern_pread(plain, buf, sizeof(buf), 0, &done), 0);
	KT_ASSERT_EQ(done, 14);
	KT_ASSERT(memcmp(buf, "p234AAAABBBCCD", 14) == 0);
	/* Reads through an append descriptor still use its position. */
	KT_ASSERT_EQ(kern_lseek(b, 4, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_read(b, buf, 4, &done), 0);
	KT_ASSERT(done == 4 && memcmp(buf, "AAAA", 4) == 0);
	kern_close(a);
	kern_close(b);
	kern_close(plain);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(AD), 0);
}

/* --- file_rw --- */

#define RD	"/t_rw"

KTEST(file_rw, "read/write: FREAD/FWRITE, EISDIR, pread/pwrite keep the "
    "position, negative offsets, reads at and past the end")
{
	int files = file_count();
	char buf[32];
	size_t done;
	off_t pos;
	int fd, dfd;

	KT_ASSERT_EQ(vtu_begin(RD), 0);
	KT_ASSERT_EQ(vtu_putfile(RD "/f", "abcdefgh", 0644), 0);
	KT_ASSERT_EQ(kern_open(RD "/f", O_RDWR, 0, &fd), 0);
	KT_ASSERT_EQ(kern_read(fd, buf, 3, &done), 0);
	KT_ASSERT_EQ(done, 3);
	/* pread/pwrite: explicit offset, the position stays at 3. */
	KT_ASSERT_EQ(kern_pread(fd, buf, 2, 6, &done), 0);
	KT_ASSERT(done == 2 && memcmp(buf, "gh", 2) == 0);
	KT_ASSERT_EQ(kern_pwrite(fd, "XY", 2, 0, &done), 0);
	KT_ASSERT_EQ(done, 2);
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 3);
	KT_ASSERT_EQ(kern_pread(fd, buf, 2, -1, &done), EINVAL);
	KT_ASSERT_EQ(kern_pwrite(fd, "q", 1, -5, &done), EINVAL);
	KT_ASSERT_EQ(kern_pread(fd, buf, 8, 0, &done), 0);
	KT_ASSERT(done == 8 && memcmp(buf, "XYcdefgh", 8) == 0);
	/* Short read at the end, then 0 bytes; past the end 0 bytes. */
	KT_ASSERT_EQ(kern_read(fd, buf, 32, &done), 0);
	KT_ASSERT_EQ(done, 5);
	KT_ASSERT_EQ(kern_read(fd, buf, 32, &done), 0);
	KT_ASSERT_EQ(done, 0);
	KT_ASSERT_EQ(kern_pread(fd, buf, 4, 1000, &done), 0);
	KT_ASSERT_EQ(done, 0);
	/* A zero-length read or write moves nothing. */
	KT_ASSERT_EQ(kern_write(fd, buf, 0, &done), 0);
	KT_ASSERT_EQ(done, 0);
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 8);
	kern_close(fd);
	/* A directory cannot be read as a file. */
	KT_ASSERT_EQ(kern_open(RD, O_RDONLY, 0, &dfd), 0);
	KT_ASSERT_EQ(kern_read(dfd, buf, 4, &done), EISDIR);
	KT_ASSERT_EQ(kern_pread(dfd, buf, 4, 0, &done), EISDIR);
	KT_ASSERT_EQ(kern_write(dfd, buf, 4, &done), EBADF);
	kern_close(dfd);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(RD), 0);
}

/* --- file_offset64 --- */

#define XD	"/t_off64"
#define TB	((off_t)1 << 40)

KTEST(file_offset64, "64-bit offsets: pwrite at 2^40, size, holes read as "
    "zeros, lseek edges (SEEK_END, negative, overflow, bad whence)")
{
	int files = file_count();
	struct stat st;
	char buf[16];
	size_t done;
	off_t pos;
	int fd;

	KT_ASSERT_EQ(vtu_begin(XD), 0);
	KT_ASSERT_EQ(kern_open(XD "/big", O_RDWR | O_CREAT, 0644, &fd), 0);
	KT_ASSERT_EQ(kern_pwrite(fd, "hello", 5, TB, &done), 0);
	KT_ASSERT_EQ(done, 5);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_ASSERT_EQ(st.st_size, TB + 5);
	KT_CHECK(st.st_blocks <= 64);		/* sparse: one page or so */
	memset(buf, 'x', sizeof(buf));
	KT_ASSERT_EQ(kern_pread(fd, buf, 8, TB - 3, &done), 0);
	KT_ASSERT_EQ(done, 8);
	KT_ASSERT(memcmp(buf, "\0\0\0hello", 8) == 0);
	KT_ASSERT_EQ(kern_pread(fd, buf, 8, 12345, &done), 0);
	KT_ASSERT(done == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
	/* The position is 64 bits wide too. */
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_END, &pos), 0);
	KT_ASSERT_EQ(pos, TB + 5);
	KT_ASSERT_EQ(kern_lseek(fd, -5, SEEK_END, &pos), 0);
	KT_ASSERT_EQ(pos, TB);
	KT_ASSERT_EQ(kern_read(fd, buf, 16, &done), 0);
	KT_ASSERT(done == 5 && memcmp(buf, "hello", 5) == 0);
	KT_ASSERT_EQ(kern_lseek(fd, (off_t)3 << 33, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_write(fd, "mid", 3, &done), 0);
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, ((off_t)3 << 33) + 3);
	KT_ASSERT_EQ(kern_pread(fd, buf, 3, (off_t)3 << 33, &done), 0);
	KT_ASSERT(done == 3 && memcmp(buf, "mid", 3) == 0);
	/* Seeking past the end is fine; the size does not change. */
	KT_ASSERT_EQ(kern_lseek(fd, 100, SEEK_END, &pos), 0);
	KT_ASSERT_EQ(pos, TB + 105);
	KT_ASSERT_EQ(kern_read(fd, buf, 4, &done), 0);
	KT_ASSERT_EQ(done, 0);
	KT_ASSERT_EQ(vtu_size(XD "/big"), TB + 5);
	/* Edges: negative or overflowing results fail, position kept. */
	KT_ASSERT_EQ(kern_lseek(fd, 7, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_lseek(fd, -1, SEEK_SET, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, -8, SEEK_CUR, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, -(TB + 6), SEEK_END, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, INT64_MAX, SEEK_END, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, INT64_MIN, SEEK_CUR, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, 0, 3, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, 0, -1, &pos), EINVAL);
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_CUR, &pos), 0);
	KT_ASSERT_EQ(pos, 7);
	KT_ASSERT_EQ(kern_lseek(fd, INT64_MAX, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_lseek(fd, 1, SEEK_CUR, &pos), EINVAL);
	/* A transfer whose end would pass INT64_MAX: EINVAL, nothing moved. */
	KT_ASSERT_EQ(kern_write(fd, "ab", 2, &done), EINVAL);
	KT_ASSERT_EQ(done, 0);
	KT_ASSERT_EQ(kern_pwrite(fd, "ab", 2, INT64_MAX - 1, &done), EINVAL);
	KT_ASSERT_EQ(kern_pread(fd, buf, 2, INT64_MAX, &done), EINVAL);
	KT_ASSERT_EQ(vtu_size(XD "/big"), TB + 5);
	/* Truncating back frees the storage. */
	KT_ASSERT_EQ(kern_ftruncate(fd, 0), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_size == 0 && st.st_blocks == 0);
	kern_close(fd);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(XD), 0);
}

/* --- file_stat --- */

#define SD	"/t_stat"

KTEST(file_stat, "stat/lstat/fstat agree; st_dev is the mount id; "
    "symlinks: lstat, readlink (no NUL, truncation, EINVAL), target limits")
{
	int files = file_count();
	struct stat st, lst, fst;
	char buf[16], *longt;
	size_t done;
	int fd;

	KT_ASSERT_EQ(vtu_begin(SD), 0);
	KT_ASSERT_EQ(vtu_putfile(SD "/f", "0123456789", 0644), 0);
	KT_ASSERT_EQ(kern_symlink("f", SD "/l"), 0);
	KT_ASSERT_EQ(kern_stat(SD "/f", &st), 0);
	KT_CHECK(S_ISREG(st.st_mode) && st.st_size == 10 && st.st_nlink == 1);
	KT_CHECK(st.st_dev == rootmount->mnt_id);
	KT_CHECK(st.st_blksize > 0 && st.st_blocks > 0);
	KT_ASSERT_EQ(kern_open(SD "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &fst), 0);
	kern_close(fd);
	KT_CHECK(fst.st_ino == st.st_ino && fst.st_dev == st.st_dev &&
	    fst.st_mode == st.st_mode && fst.st_size == st.st_size);
	/* stat follows the link, lstat does not. */
	KT_ASSERT_EQ(kern_stat(SD "/l", &lst), 0);
	KT_CHECK(lst.st_ino == st.st_ino);
	KT_ASSERT_EQ(kern_lstat(SD "/l", &lst), 0);
	KT_CHECK(S_ISLNK(lst.st_mode) && lst.st_size == 1 &&
	    lst.st_ino != st.st_ino && lst.st_dev == st.st_dev);
	KT_ASSERT_EQ(kern_stat(SD, &st), 0);
	KT_CHECK(S_ISDIR(st.st_mode) && st.st_nlink == 2);
	KT_ASSERT_EQ(kern_stat(SD "/none", &st), ENOENT);
	KT_ASSERT_EQ(kern_stat(SD "/f/x", &st), ENOTDIR);

	/* readlink: no NUL added, truncation, errors. */
	KT_ASSERT_EQ(kern_symlink("some/target", SD "/l2"), 0);
	memset(buf, '#', sizeof(buf));
	KT_ASSERT_EQ(kern_readlink(SD "/l2", buf, sizeof(buf), &done), 0);
	KT_ASSERT_EQ(done, 11);
	KT_ASSERT(memcmp(buf, "some/target#", 12) == 0);
	memset(buf, '#', sizeof(buf));
	KT_ASSERT_EQ(kern_readlink(SD "/l2", buf, 4, &done), 0);
	KT_ASSERT_EQ(done, 4);
	KT_ASSERT(memcmp(buf, "some#", 5) == 0);
	KT_ASSERT_EQ(kern_readlink(SD "/f", buf, sizeof(buf), &done), EINVAL);
	KT_ASSERT_EQ(kern_readlink(SD, buf, sizeof(buf), &done), EINVAL);
	KT_ASSERT_EQ(kern_readlink(SD "/l2", buf, 0, &done), EINVAL);
	KT_ASSERT_EQ(kern_readlink(SD "/none", buf, sizeof(buf), &done),
	    ENOENT);

	/* Target limits: PATH_MAX - 1 bytes fit, PATH_MAX do not. */
	longt = kmalloc(PATH_MAX + 1, M_TEMP, 0);
	KT_ASSERT(longt != NULL);
	memset(longt, 'a', PATH_MAX);
	longt[PATH_MAX] = '\0';
	KT_CHECK(kern_symlink(longt, SD "/long") == ENAMETOOLONG);
	longt[PATH_MAX - 1] = '\0';
	KT_CHECK(kern_symlink(longt, SD "/long") == 0);
	KT_CHECK(kern_lstat(SD "/long", &lst) == 0 &&
	    lst.st_size == PATH_MAX - 1);
	kfree(longt, M_TEMP);
	KT_ASSERT_EQ(kern_symlink("", SD "/empty"), ENOENT);
	KT_ASSERT_EQ(kern_lstat(SD "/empty", &lst), ENOENT);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(SD), 0);
}

/* --- file_nsops --- */

#define ND	"/t_nsops"

KTEST(file_nsops, "mkdir/unlink/rmdir/link/symlink errors: EEXIST, EISDIR, "
    "ENOTDIR, ENOTEMPTY, EPERM, ENOENT, EBUSY")
{
	int files = file_count();
	struct stat st;

	KT_ASSERT_EQ(vtu_begin(ND), 0);
	KT_ASSERT_EQ(vtu_putfile(ND "/f", "x", 0644), 0);
	KT_ASSERT_EQ(kern_symlink("nothere", ND "/dangle"), 0);
	/* mkdir. */
	KT_ASSERT_EQ(kern_mkdir(ND "/d", 0750), 0);
	KT_ASSERT_EQ(kern_stat(ND "/d", &st), 0);
	KT_CHECK(st.st_mode == (S_IFDIR | 0750));
	KT_ASSERT_EQ(kern_mkdir(ND "/d", 0755), EEXIST);
	KT_ASSERT_EQ(kern_mkdir(ND "/f", 0755), EEXIST);
	KT_ASSERT_EQ(kern_mkdir(ND "/dangle", 0755), EEXIST);
	KT_ASSERT_EQ(kern_stat(ND "/nothere", &st), ENOENT);
	KT_ASSERT_EQ(kern_mkdir(ND "/d2/", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(ND "/none/sub", 0755), ENOENT);
	KT_ASSERT_EQ(kern_mkdir(ND "/f/sub", 0755), ENOTDIR);
	KT_ASSERT_EQ(kern_mkdir("/", 0755), EEXIST);
	/* unlink. */
	KT_ASSERT_EQ(kern_unlink(ND "/d"), EISDIR);
	KT_ASSERT_EQ(kern_unlink(ND "/d/"), EISDIR);
	KT_ASSERT_EQ(kern_unlink(ND "/none"), ENOENT);
	KT_ASSERT_EQ(kern_unlink(ND "/f/"), ENOTDIR);
	KT_ASSERT_EQ(kern_unlink(ND "/dangle"), 0);	/* the link itself */
	KT_ASSERT_EQ(kern_lstat(ND "/dangle", &st), ENOENT);
	/* rmdir. */
	KT_ASSERT_EQ(vtu_putfile(ND "/d/inner", "y", 0644), 0);
	KT_ASSERT_EQ(kern_rmdir(ND "/d"), ENOTEMPTY);
	KT_ASSERT_EQ(kern_rmdir(ND "/f"), ENOTDIR);
	KT_ASSERT_EQ(kern_rmdir(ND "/none"), ENOENT);
	KT_ASSERT_EQ(kern_rmdir(ND "/d/."), EINVAL);
	KT_ASSERT_EQ(kern_rmdir("/"), EBUSY);
	KT_ASSERT_EQ(kern_unlink(ND "/d/inner"), 0);
	KT_ASSERT_EQ(kern_rmdir(ND "/d/"), 0);
	KT_ASSERT_EQ(kern_stat(ND "/d", &st), ENOENT);
	KT_ASSERT_EQ(kern_rmdir(ND "/d"), ENOENT);
	/* link. */
	KT_ASSERT_EQ(kern_link(ND "/d2", ND "/dl"), EPERM);
	KT_ASSERT_EQ(kern_link(ND "/f", ND "/d2"), EEXIST);
	KT_ASSERT_EQ(kern_link(ND "/f", ND "/f"), EEXIST);
	KT_ASSERT_EQ(kern_link(ND "/none", ND "/x"), ENOENT);
	KT_ASSERT_EQ(kern_link(ND "/f", ND "/none/x"), ENOENT);
	KT_ASSERT_EQ(kern_link(ND "/f", ND "/newl/"), ENOENT);
	KT_ASSERT_EQ(kern_link(ND "/f", ND "/hard"), 0);
	/* A link to a symlink names the symlink, not its target. */
	KT_ASSERT_EQ(kern_symlink("f", ND "/sl"), 0);
	KT_ASSERT_EQ(kern_link(ND "/sl", ND "/sl2"), 0);
	KT_ASSERT_EQ(kern_lstat(ND "/sl2", &st), 0);
	KT_CHECK(S_ISLNK(st.st_mode) && st.st_nlink == 2);
	/* symlink. */
	KT_ASSERT_EQ(kern_symlink("x", ND "/f"), EEXIST);
	KT_ASSERT_EQ(kern_symlink("x", ND "/sl"), EEXIST);
	KT_ASSERT_EQ(kern_symlink("x", ND "/news/"), ENOENT);
	KT_ASSERT_EQ(kern_symlink("x", ND "/none/s"), ENOENT);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(ND), 0);
}

/* --- file_readdir --- */

#define DD	"/t_readdir"
#define DN	50

/* Parse one buffer of records; mark names "nNN" in seen. */
static int
vt_scan(const char *buf, size_t len, int *seen, int *dots, char *first)
{
	const struct dirent *dp;
	size_t off;
	int bad = 0, n;

	for (off = 0; off < len; off += dp->d_reclen) {
		dp = (const struct dirent *)(buf + off);
		if (dp->d_reclen < DIRENT_RECLEN(0) || off + dp->d_reclen > len ||
		    dp->d_reclen != DIRENT_RECLEN(dp->d_namlen) ||
		    strlen(dp->d_name) != dp->d_namlen)
			return (bad + 1);
		if (off == 0 && first != NULL)
			strlcpy(first, dp->d_name, 8);
		if (strcmp(dp->d_name, ".") == 0 ||
		    strcmp(dp->d_name, "..") == 0) {
			(*dots)++;
			bad += dp->d_type != DT_DIR;
			continue;
		}
		n = (dp->d_name[1] - '0') * 10 + (dp->d_name[2] - '0');
		if (dp->d_name[0] != 'n' || dp->d_namlen != 3 || n < 0 ||
		    n >= DN || dp->d_type != (n == 7 ? DT_DIR : DT_REG)) {
			bad++;
			continue;
		}
		seen[n]++;
	}
	return (bad);
}

KTEST(file_readdir, "readdir: every name once with its type, the position "
    "is the cookie (lseek back replays), EINVAL tiny buffer, ENOTDIR")
{
	int files = file_count();
	char path[64], first[8], again[8], *buf;
	int seen[DN], dots = 0, bad = 0, fd, ffd, i, rounds = 0;
	size_t done;
	off_t cookie, pos;

	KT_ASSERT_EQ(vtu_begin(DD), 0);
	for (i = 0; i < DN; i++) {
		ksnprintf(path, sizeof(path), DD "/n%02d", i);
		if (i == 7)
			KT_ASSERT_EQ(kern_mkdir(path, 0755), 0);
		else
			KT_ASSERT_EQ(vtu_putfile(path, "", 0644), 0);
	}
	buf = kmalloc(512, M_TEMP, 0);
	KT_ASSERT(buf != NULL);
	memset(seen, 0, sizeof(seen));
	KT_ASSERT_EQ(kern_open(DD, O_RDONLY | O_DIRECTORY, 0, &fd), 0);
	/* A buffer too small for one record. */
	KT_CHECK(kern_readdir(fd, buf, 8, &done) == EINVAL);
	for (;;) {
		KT_ASSERT_EQ(kern_readdir(fd, buf, 512, &done), 0);
		if (done == 0)
			break;
		bad += vt_scan(buf, done, seen, &dots, NULL);
		if (++rounds > 100)
			break;
	}
	KT_CHECK(bad == 0);
	KT_CHECK(dots == 2);
	for (i = 0; i < DN; i++)
		KT_CHECK(seen[i] == 1);
	KT_CHECK(rounds > 1);		/* 512 bytes hold fewer than 52 */
	/* At the end: 0 bytes again. */
	KT_ASSERT_EQ(kern_readdir(fd, buf, 512, &done), 0);
	KT_ASSERT_EQ(done, 0);
	/* Restart; remember the cookie after the first batch; replay. */
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_readdir(fd, buf, 512, &done), 0);
	KT_ASSERT(done > 0);
	bad = vt_scan(buf, done, seen, &dots, first);
	KT_CHECK(bad == 0 && strcmp(first, ".") == 0);
	KT_ASSERT_EQ(kern_lseek(fd, 0, SEEK_CUR, &cookie), 0);
	KT_ASSERT_EQ(kern_readdir(fd, buf, 512, &done), 0);
	KT_ASSERT(done > 0);
	vt_scan(buf, done, seen, &dots, first);
	KT_ASSERT_EQ(kern_lseek(fd, cookie, SEEK_SET, &pos), 0);
	KT_ASSERT_EQ(kern_readdir(fd, buf, 512, &done), 0);
	KT_ASSERT(done > 0);
	vt_scan(buf, done, seen, &dots, again);
	KT_CHECK(strcmp(first, again) == 0);
	kern_close(fd);
	/* Not a directory. */
	KT_ASSERT_EQ(kern_open(DD "/n00", O_RDONLY, 0, &ffd), 0);
	KT_ASSERT_EQ(kern_readdir(ffd, buf, 512, &done), ENOTDIR);
	kern_close(ffd);
	kfree(buf, M_TEMP);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(DD), 0);
}

/* --- file_truncate --- */

#define TD	"/t_trunc"

KTEST(file_truncate, "truncate/ftruncate: grow with zeros, shrink, EINVAL "
    "negative or not writable, EISDIR, ENOENT")
{
	int files = file_count();
	char buf[16];
	size_t done;
	int fd;

	KT_ASSERT_EQ(vtu_begin(TD), 0);
	KT_ASSERT_EQ(vtu_putfile(TD "/f", "abcdef", 0644), 0);
	KT_ASSERT_EQ(kern_truncate(TD "/f", 10000), 0);
	KT_ASSERT_EQ(vtu_size(TD "/f"), 10000);
	KT_ASSERT_EQ(kern_open(TD "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_pread(fd, buf, 8, 4, &done), 0);
	KT_ASSERT(done == 8 && memcmp(buf, "ef\0\0\0\0\0\0", 8) == 0);
	KT_ASSERT_EQ(kern_ftruncate(fd, 3), EINVAL);	/* not for writing */
	kern_close(fd);
	KT_ASSERT_EQ(kern_truncate(TD "/f", 3), 0);
	KT_ASSERT_EQ(vt_readfile(TD "/f", buf, sizeof(buf), &done), 0);
	KT_ASSERT(done == 3 && memcmp(buf, "abc", 3) == 0);
	/* Grow again: the cut bytes must not come back. */
	KT_ASSERT_EQ(kern_truncate(TD "/f", 6), 0);
	KT_ASSERT_EQ(vt_readfile(TD "/f", buf, sizeof(buf), &done), 0);
	KT_ASSERT(done == 6 && memcmp(buf, "abc\0\0\0", 6) == 0);
	KT_ASSERT_EQ(kern_truncate(TD "/f", -1), EINVAL);
	KT_ASSERT_EQ(kern_truncate(TD, 0), EISDIR);
	KT_ASSERT_EQ(kern_truncate(TD "/none", 0), ENOENT);
	KT_ASSERT_EQ(kern_open(TD "/f", O_WRONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_ftruncate(fd, -1), EINVAL);
	KT_ASSERT_EQ(kern_ftruncate(fd, 1), 0);
	kern_close(fd);
	KT_ASSERT_EQ(vtu_size(TD "/f"), 1);
	KT_ASSERT_EQ(kern_open(TD, O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_ftruncate(fd, 0), EINVAL);
	kern_close(fd);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(TD), 0);
}

/* --- file_chmod_chown --- */

#define CD	"/t_chown"

KTEST(file_chmod_chown, "chmod/chown as root: masks, -1 keeps, chown "
    "clears set-user-id, symlinks followed, ENOENT")
{
	struct stat st;

	KT_ASSERT_EQ(vtu_begin(CD), 0);
	KT_ASSERT_EQ(vtu_putfile(CD "/f", "x", 0644), 0);
	KT_ASSERT_EQ(kern_symlink("f", CD "/l"), 0);
	KT_ASSERT_EQ(kern_chmod(CD "/f", S_IFDIR | 04755), 0);
	KT_ASSERT_EQ(kern_stat(CD "/f", &st), 0);
	KT_CHECK(st.st_mode == (S_IFREG | 04755));
	KT_ASSERT_EQ(kern_chmod(CD "/l", 0600), 0);
	KT_ASSERT_EQ(kern_stat(CD "/f", &st), 0);
	KT_CHECK(st.st_mode == (S_IFREG | 0600));
	KT_ASSERT_EQ(kern_chmod(CD "/f", 04711), 0);
	KT_ASSERT_EQ(kern_chown(CD "/f", 5, 6), 0);
	KT_ASSERT_EQ(kern_stat(CD "/f", &st), 0);
	KT_CHECK(st.st_uid == 5 && st.st_gid == 6);
	KT_CHECK((st.st_mode & ALLPERMS) == 0711);	/* S_ISUID gone */
	KT_ASSERT_EQ(kern_chown(CD "/f", -1, -1), 0);
	KT_ASSERT_EQ(kern_chown(CD "/f", 7, -1), 0);
	KT_ASSERT_EQ(kern_stat(CD "/f", &st), 0);
	KT_CHECK(st.st_uid == 7 && st.st_gid == 6);
	KT_ASSERT_EQ(kern_chown(CD "/f", -1, 8), 0);
	KT_ASSERT_EQ(kern_stat(CD "/f", &st), 0);
	KT_CHECK(st.st_uid == 7 && st.st_gid == 8);
	KT_ASSERT_EQ(kern_chmod(CD "/none", 0644), ENOENT);
	KT_ASSERT_EQ(kern_chown(CD "/none", 0, 0), ENOENT);
	KT_ASSERT_EQ(kern_chmod(CD "/f/", 0644), ENOTDIR);
	KT_ASSERT_EQ(vtu_rmtree(CD), 0);
}
