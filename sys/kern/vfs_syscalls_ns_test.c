/*
 * In-kernel tests of the file API, part 2: processes, permissions and
 * the namespace (sys/kern/vfs_syscalls.c and friends).
 *
 *   file_perm		a uid 1000 process (kproc_alloc): EACCES for
 *			reading, writing, creating, removing and searching
 *			without permission, EPERM for chmod/chown of others'
 *			files and in sticky directories; what it may do, it
 *			can; root passes
 *   file_cwd		chdir/fchdir/getcwd: relative lookups, "..",
 *			symlinks, ENOTDIR, ENOENT, ERANGE, a renamed and a
 *			removed cwd, a cwd inside another mount
 *   file_rename	rename errors (EXDEV across mounts, EINVAL into its
 *			own subtree and for . and .., ENOTDIR, EISDIR,
 *			ENOTEMPTY, EBUSY on mount points, ENOENT) change
 *			nothing; successes move files and whole subtrees,
 *			replace atomically, same file is a no-op
 *   file_rename_race	threads on every CPU rename their own files over
 *			one target at once: no rename fails (a target
 *			replaced between lookup and lock is looked up again)
 *   file_nlink		link counts after link, unlink, rename (over a
 *			link, of a directory between parents), mkdir, rmdir,
 *			unlink of an open file
 *   file_unlink_open	an unlinked open file stays readable and writable
 *			through its descriptors; its storage is freed at the
 *			last close (file_count, the tmpfs statfs)
 *   file_noleak	a mixed workload (files, directories, links,
 *			renames, errors, processes) returns files, vnodes,
 *			namecache entries, tmpfs pages and every malloc type
 *			involved to their baseline
 *
 * Tests that need another process or other credentials run their body
 * in a thread of a process from kproc_alloc (td_proc set before the
 * thread first runs).  Each test works in its own directory.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/ktest.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>
#include <sys/globaldata.h>
#include <sys/md.h>
#include <sys/vfs_testutil.h>

MALLOC_DECLARE(M_TEMP);
MALLOC_DECLARE(M_FILE);
MALLOC_DECLARE(M_FILEDESC);
MALLOC_DECLARE(M_PROC);
MALLOC_DECLARE(M_NLOOKUP);
MALLOC_DECLARE(M_NAMECACHE);
MALLOC_DECLARE(M_VNODE);
MALLOC_DECLARE(M_TMPFS);
MALLOC_DECLARE(M_TMPFS_DIRENT);
MALLOC_DECLARE(M_TMPFS_RADIX);

/* --- helpers --- */

struct nt_job {
	void		(*j_fn)(void *);
	void		*j_arg;
	volatile int	j_left;
};

static void
nt_trampoline(void *arg)
{
	struct nt_job *job = arg;

	job->j_fn(job->j_arg);
	countdown_done(&job->j_left);
}

/* Run fn(arg) in a new thread of process p and wait for it. */
static void
nt_run_in(struct proc *p, void (*fn)(void *), void *arg)
{
	struct nt_job job = { fn, arg, 1 };
	thread_t td;

	td = lwkt_create(nt_trampoline, &job, -1, TDPRI_KERN, 0,
	    LWKT_CREATE_NOSCHED, "nstest");
	if (td == NULL) {
		ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
		return;
	}
	td->td_proc = p;
	lwkt_schedule(td);
	countdown_wait(&job.j_left, "ntrun");
}

/* Nodes and file pages in use on mp (tmpfs statfs). */
static void
nt_usage(struct mount *mp, uint64_t *files, uint64_t *pages)
{
	struct statfs sb;

	*files = *pages = UINT64_MAX;
	if (mp == NULL || mp->mnt_op->vfs_statfs(mp, &sb) != 0)
		return;
	*files = sb.f_files;
	*pages = sb.f_blocks - sb.f_bfree;
}

/* --- file_perm --- */

#define PD	"/t_perm"

static void
nt_perm_user(void *arg)
{
	struct stat st;
	size_t done;
	char buf[8];
	int fd;

	KT_ASSERT(curproc->p_cred.cr_uid == 1000);
	/* Reading and writing files. */
	KT_ASSERT_EQ(kern_open(PD "/ro", O_RDONLY, 0, &fd), 0);
	kern_close(fd);
	KT_CHECK(kern_open(PD "/ro", O_WRONLY, 0, &fd) == EACCES);
	KT_CHECK(kern_open(PD "/ro", O_RDWR, 0, &fd) == EACCES);
	KT_CHECK(kern_open(PD "/ro", O_WRONLY | O_TRUNC, 0, &fd) == EACCES);
	KT_CHECK(kern_open(PD "/ro", O_WRONLY | O_APPEND, 0, &fd) == EACCES);
	KT_CHECK(kern_truncate(PD "/ro", 0) == EACCES);
	KT_CHECK(kern_open(PD "/secret", O_RDONLY, 0, &fd) == EACCES);
	KT_CHECK(kern_stat(PD "/secret", &st) == 0);	/* stat needs none */
	/* Searching and listing directories. */
	KT_CHECK(kern_stat(PD "/priv/f", &st) == EACCES);
	KT_CHECK(kern_chdir(PD "/priv") == EACCES);
	KT_CHECK(kern_open(PD "/priv", O_RDONLY, 0, &fd) == EACCES);
	KT_CHECK(kern_stat(PD "/xonly/f", &st) == 0);	/* search, no read */
	KT_CHECK(kern_open(PD "/xonly", O_RDONLY, 0, &fd) == EACCES);
	KT_CHECK(kern_chdir(PD "/xonly") == 0);
	KT_CHECK(kern_chdir("/") == 0);
	/* Changing a directory it may not write. */
	KT_CHECK(kern_open(PD "/new", O_RDWR | O_CREAT, 0644, &fd) == EACCES);
	KT_CHECK(kern_mkdir(PD "/nd", 0755) == EACCES);
	KT_CHECK(kern_symlink("ro", PD "/sl") == EACCES);
	KT_CHECK(kern_link(PD "/ro", PD "/l2") == EACCES);
	KT_CHECK(kern_unlink(PD "/ro") == EACCES);
	KT_CHECK(kern_rmdir(PD "/priv") == EACCES);
	KT_CHECK(kern_rename(PD "/ro", PD "/pub/x") == EACCES);
	KT_CHECK(!vtu_exists(PD "/new") && !vtu_exists(PD "/nd"));
	/* Linking a file it can see into a directory it may write: fine. */
	KT_CHECK(kern_link(PD "/ro", PD "/pub/l") == 0);
	KT_CHECK(kern_rename(PD "/pub/l", PD "/l3") == EACCES);
	/* Attributes of a file it does not own. */
	KT_CHECK(kern_chmod(PD "/ro", 0666) == EPERM);
	KT_CHECK(kern_chown(PD "/ro", 1000, -1) == EPERM);
	KT_CHECK(kern_chown(PD "/ro", -1, 100) == EPERM);
	/* Its own file. */
	KT_ASSERT_EQ(kern_open(PD "/pub/mine", O_RDWR | O_CREAT, 0644, &fd),
	    0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_uid == 1000 && st.st_gid == 100);
	KT_CHECK(kern_write(fd, "mine", 4, &done) == 0 && done == 4);
	kern_close(fd);
	KT_CHECK(kern_chmod(PD "/pub/mine", 02600) == 0);
	KT_CHECK(kern_stat(PD "/pub/mine", &st) == 0 &&
	    (st.st_mode & ALLPERMS) == 02600);
	KT_CHECK(kern_chown(PD "/pub/mine", 0, -1) == EPERM);
	KT_CHECK(kern_chown(PD "/pub/mine", -1, 5) == EPERM);
	KT_CHECK(kern_chown(PD "/pub/mine", 1000, 100) == 0);
	/* Without read permission even the owner cannot read (not root). */
	KT_CHECK(kern_chmod(PD "/pub/mine", 0200) == 0);
	KT_CHECK(kern_open(PD "/pub/mine", O_RDONLY, 0, &fd) == EACCES);
	KT_CHECK(kern_open(PD "/pub/mine", O_WRONLY, 0, &fd) == 0);
	kern_close(fd);
	/* Sticky directory: others' names are off limits. */
	KT_CHECK(kern_unlink(PD "/tmp/rootf") == EPERM);
	KT_CHECK(kern_rename(PD "/tmp/rootf", PD "/tmp/x") == EPERM);
	KT_CHECK(kern_rename(PD "/pub/mine", PD "/tmp/rootf") == EPERM);
	KT_CHECK(kern_open(PD "/tmp/rootf", O_RDWR, 0, &fd) == 0);
	kern_close(fd);
	KT_CHECK(vtu_putfile(PD "/tmp/u", "u", 0644) == 0);
	KT_CHECK(kern_rename(PD "/tmp/u", PD "/tmp/u2") == 0);
	KT_CHECK(kern_unlink(PD "/tmp/u2") == 0);
	KT_CHECK(kern_pread(-1, buf, 1, 0, &done) == EBADF);
}

KTEST(file_perm, "permissions: a uid 1000 process gets EACCES without "
    "read, write or search permission, EPERM on others' attributes and "
    "sticky names; root passes")
{
	int files = file_count();
	struct proc *p;
	int fd;

	KT_ASSERT_EQ(vtu_begin(PD), 0);
	KT_ASSERT_EQ(vtu_putfile(PD "/ro", "ro", 0644), 0);
	KT_ASSERT_EQ(vtu_putfile(PD "/secret", "s", 0600), 0);
	KT_ASSERT_EQ(kern_mkdir(PD "/priv", 0700), 0);
	KT_ASSERT_EQ(vtu_putfile(PD "/priv/f", "f", 0644), 0);
	KT_ASSERT_EQ(kern_mkdir(PD "/xonly", 0711), 0);
	KT_ASSERT_EQ(vtu_putfile(PD "/xonly/f", "f", 0644), 0);
	KT_ASSERT_EQ(kern_mkdir(PD "/pub", 0777), 0);
	KT_ASSERT_EQ(kern_mkdir(PD "/tmp", 01777), 0);
	KT_ASSERT_EQ(vtu_putfile(PD "/tmp/rootf", "r", 0666), 0);

	p = kproc_alloc(NULL, "file_perm");
	KT_ASSERT(p != NULL);
	p->p_cred.cr_uid = 1000;
	p->p_cred.cr_gid = 100;
	nt_run_in(p, nt_perm_user, NULL);
	kproc_free(p);

	/* Root: no permission bit stops it. */
	KT_ASSERT_EQ(kern_chmod(PD "/secret", 0), 0);
	KT_ASSERT_EQ(kern_open(PD "/secret", O_RDWR, 0, &fd), 0);
	kern_close(fd);
	KT_ASSERT_EQ(kern_chown(PD "/pub/mine", 0, 0), 0);
	KT_ASSERT_EQ(kern_open(PD "/pub/mine", O_RDWR, 0, &fd), 0);
	kern_close(fd);
	KT_CHECK(vtu_holds(PD "/pub/mine", "mine"));
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(PD), 0);
}

/* --- file_cwd --- */

#define CW	"/t_cwd"

static bool
nt_cwd_is(const char *want)
{
	char buf[128];
	int error;

	error = kern_getcwd(buf, sizeof(buf));
	if (error != 0 || strcmp(buf, want) != 0) {
		ktest_log("getcwd: %d, \"%s\", want \"%s\"", error,
		    error == 0 ? buf : "", want);
		return (false);
	}
	return (true);
}

static void
nt_cwd_body(void *arg)
{
	char buf[16];
	int fd, dfd;

	KT_CHECK(nt_cwd_is("/"));
	KT_ASSERT_EQ(kern_chdir(CW "/a"), 0);
	KT_CHECK(nt_cwd_is(CW "/a"));
	KT_ASSERT_EQ(kern_open("f", O_RDONLY, 0, &fd), 0);
	kern_close(fd);
	KT_ASSERT_EQ(kern_chdir("b"), 0);
	KT_CHECK(nt_cwd_is(CW "/a/b"));
	KT_ASSERT_EQ(kern_chdir(".."), 0);
	KT_CHECK(nt_cwd_is(CW "/a"));
	KT_ASSERT_EQ(kern_chdir("./b/../../a/b"), 0);
	KT_CHECK(nt_cwd_is(CW "/a/b"));
	/* Failures leave the cwd alone. */
	KT_CHECK(kern_chdir(CW "/a/f") == ENOTDIR);
	KT_CHECK(kern_chdir(CW "/a/f/") == ENOTDIR);
	KT_CHECK(kern_chdir("none") == ENOENT);
	KT_CHECK(nt_cwd_is(CW "/a/b"));
	/* The cwd is a place, not a path: symlinks resolve to it. */
	KT_ASSERT_EQ(kern_chdir(CW "/la"), 0);
	KT_CHECK(nt_cwd_is(CW "/a"));
	/* fchdir. */
	KT_ASSERT_EQ(kern_open(CW "/a/b", O_RDONLY, 0, &dfd), 0);
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	KT_ASSERT_EQ(kern_fchdir(dfd), 0);
	KT_CHECK(nt_cwd_is(CW "/a/b"));
	KT_ASSERT_EQ(kern_open(CW "/a/f", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_fchdir(fd) == ENOTDIR);
	kern_close(fd);
	kern_close(dfd);
	/* getcwd sizes: exactly enough, one short, none. */
	KT_ASSERT_EQ(kern_chdir(CW "/a"), 0);
	KT_CHECK(kern_getcwd(buf, sizeof(CW "/a")) == 0);
	KT_CHECK(kern_getcwd(buf, sizeof(CW "/a") - 1) == ERANGE);
	KT_CHECK(kern_getcwd(buf, 1) == ERANGE);
	KT_CHECK(kern_getcwd(buf, 0) == EINVAL);
	/* A cwd follows its directory through a rename. */
	KT_ASSERT_EQ(kern_chdir("b"), 0);
	KT_ASSERT_EQ(kern_rename(CW "/a", CW "/z"), 0);
	KT_CHECK(nt_cwd_is(CW "/z/b"));
	KT_ASSERT_EQ(kern_open("../f", O_RDONLY, 0, &fd), 0);
	kern_close(fd);
	/* A removed cwd has no path and no room for new names. */
	KT_ASSERT_EQ(kern_rmdir(CW "/z/b"), 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == ENOENT);
	KT_CHECK(kern_open("new", O_RDWR | O_CREAT, 0644, &fd) == ENOENT);
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	KT_CHECK(nt_cwd_is("/"));
	/* Inside another mount. */
	KT_ASSERT_EQ(kern_chdir(CW "/m"), 0);
	KT_CHECK(nt_cwd_is(CW "/m"));
	KT_ASSERT_EQ(kern_mkdir("sub", 0755), 0);
	KT_ASSERT_EQ(kern_chdir("sub"), 0);
	KT_CHECK(nt_cwd_is(CW "/m/sub"));
	KT_ASSERT_EQ(kern_chdir("../.."), 0);
	KT_CHECK(nt_cwd_is(CW));
	KT_ASSERT_EQ(kern_rmdir(CW "/m/sub"), 0);
}

KTEST(file_cwd, "chdir/fchdir/getcwd: relative names, .., symlinks, "
    "ENOTDIR, ENOENT, ERANGE, renamed and removed cwd, another mount")
{
	int files = file_count();
	struct proc *p;

	KT_ASSERT_EQ(vtu_begin(CW), 0);
	KT_ASSERT_EQ(kern_mkdir(CW "/a", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(CW "/a/b", 0755), 0);
	KT_ASSERT_EQ(vtu_putfile(CW "/a/f", "f", 0644), 0);
	KT_ASSERT_EQ(kern_symlink("a", CW "/la"), 0);
	KT_ASSERT_EQ(kern_mkdir(CW "/m", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "cwdtest", CW "/m", ""), 0);
	p = kproc_alloc(NULL, "file_cwd");
	KT_ASSERT(p != NULL);
	nt_run_in(p, nt_cwd_body, NULL);
	kproc_free(p);
	KT_CHECK(nt_cwd_is("/"));	/* proc0's own cwd never moved */
	KT_CHECK(kern_unmount(CW "/m") == 0);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(CW), 0);
}

/* --- file_rename --- */

#define RN	"/t_rename"

/* The fixture is intact: what every failed rename must leave. */
static void
nt_rename_intact(int line)
{
	if (!vtu_holds(RN "/f1", "one") || !vtu_holds(RN "/f2", "two") ||
	    !vtu_holds(RN "/h1", "one") || !vtu_exists(RN "/d1/sub/deep") ||
	    !vtu_exists(RN "/d2") || !vtu_exists(RN "/d3/x") ||
	    vtu_nlink(RN "/f1") != 2)
		ktest_fail(__FILE__, line, "a failed rename changed something");
}

KTEST(file_rename, "rename: EXDEV across mounts, EINVAL into its subtree "
    "and for dots, ENOTDIR, EISDIR, ENOTEMPTY, EBUSY, ENOENT change "
    "nothing; moves and atomic replacement work")
{
	int files = file_count();
	uint64_t ino;
	int error;

	KT_ASSERT_EQ(vtu_begin(RN), 0);
	KT_ASSERT_EQ(vtu_putfile(RN "/f1", "one", 0644), 0);
	KT_ASSERT_EQ(vtu_putfile(RN "/f2", "two", 0644), 0);
	KT_ASSERT_EQ(kern_link(RN "/f1", RN "/h1"), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/d1", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/d1/sub", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/d1/sub/deep", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/d2", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/d3", 0755), 0);
	KT_ASSERT_EQ(vtu_putfile(RN "/d3/x", "x", 0644), 0);
	KT_ASSERT_EQ(kern_mkdir(RN "/mnt", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "renametest", RN "/mnt", ""), 0);
	KT_ASSERT_EQ(vtu_putfile(RN "/mnt/g", "g", 0644), 0);

	/* The same file under both names: nothing happens. */
	KT_CHECK(kern_rename(RN "/f1", RN "/f1") == 0);
	KT_CHECK(kern_rename(RN "/f1", RN "/h1") == 0);
	KT_CHECK(kern_rename(RN "/d2", RN "/d2/") == 0);
	nt_rename_intact(__LINE__);
	/* Into its own subtree, or "." and "..". */
	KT_CHECK(kern_rename(RN "/d1", RN "/d1/new") == EINVAL);
	KT_CHECK(kern_rename(RN "/d1", RN "/d1/sub/deep/new") == EINVAL);
	KT_CHECK(kern_rename(RN "/d1", RN "/d1/sub") == EINVAL);
	KT_CHECK(kern_rename(RN "/d1/.", RN "/x") == EINVAL);
	KT_CHECK(kern_rename(RN "/d1/..", RN "/x") == EINVAL);
	KT_CHECK(kern_rename(RN "/f1", RN "/d2/.") == EINVAL);
	KT_CHECK(kern_rename(RN "/f1", RN "/d2/..") == EINVAL);
	KT_CHECK(kern_rename(RN "/d2", RN "/d2/./") == EINVAL);
	/* Types. */
	KT_CHECK(kern_rename(RN "/d2", RN "/f2") == ENOTDIR);
	KT_CHECK(kern_rename(RN "/f2", RN "/d2") == EISDIR);
	KT_CHECK(kern_rename(RN "/f1", RN "/newname/") == ENOTDIR);
	KT_CHECK(kern_rename(RN "/f1/", RN "/x") == ENOTDIR);
	KT_CHECK(kern_rename(RN "/f1", RN "/f2/x") == ENOTDIR);
	error = kern_rename(RN "/d2", RN "/d3");
	KT_CHECK(error == ENOTEMPTY || error == EEXIST);
	/* Missing names. */
	KT_CHECK(kern_rename(RN "/none", RN "/x") == ENOENT);
	KT_CHECK(kern_rename(RN "/f1", RN "/none/x") == ENOENT);
	KT_CHECK(kern_rename("", RN "/x") == ENOENT);
	/* Mounts. */
	KT_CHECK(kern_rename(RN "/f1", RN "/mnt/f1") == EXDEV);
	KT_CHECK(kern_rename(RN "/mnt/g", RN "/g") == EXDEV);
	KT_CHECK(kern_link(RN "/f1", RN "/mnt/l") == EXDEV);
	KT_CHECK(kern_rename(RN "/mnt", RN "/mnt2") == EBUSY);
	KT_CHECK(kern_rename(RN "/d2", RN "/mnt") == EBUSY);
	KT_CHECK(kern_rename("/", RN "/x") == EBUSY);
	KT_CHECK(kern_rmdir(RN "/mnt") == EBUSY);
	KT_CHECK(vtu_exists(RN "/mnt/g") && !vtu_exists(RN "/g") &&
	    !vtu_exists(RN "/mnt/f1") && !vtu_exists(RN "/mnt2"));
	KT_CHECK(kern_rename(RN "/mnt/g", RN "/mnt/g2") == 0);
	nt_rename_intact(__LINE__);

	/* A file into a directory; then another replaces it atomically. */
	KT_ASSERT_EQ(kern_rename(RN "/f2", RN "/d2/f2"), 0);
	KT_CHECK(!vtu_exists(RN "/f2") && vtu_holds(RN "/d2/f2", "two"));
	ino = vtu_fileid(RN "/f1");
	KT_ASSERT_EQ(kern_rename(RN "/f1", RN "/d2/f2"), 0);
	KT_CHECK(!vtu_exists(RN "/f1") && vtu_holds(RN "/d2/f2", "one"));
	KT_CHECK(vtu_fileid(RN "/d2/f2") == ino && vtu_nlink(RN "/h1") == 2);
	/* A directory with its subtree, then between parents. */
	KT_ASSERT_EQ(kern_rename(RN "/d1", RN "/d4"), 0);
	KT_CHECK(!vtu_exists(RN "/d1") && !vtu_exists(RN "/d1/sub"));
	KT_CHECK(vtu_exists(RN "/d4/sub/deep"));
	KT_ASSERT_EQ(kern_rename(RN "/d4", RN "/d2/d4/"), 0);
	KT_CHECK(vtu_exists(RN "/d2/d4/sub/deep") && !vtu_exists(RN "/d4"));
	KT_ASSERT_EQ(kern_rename(RN "/d2/d4/sub/deep", RN "/deep"), 0);
	KT_CHECK(vtu_exists(RN "/deep") && !vtu_exists(RN "/d2/d4/sub/deep"));
	/* A directory over an empty directory. */
	KT_ASSERT_EQ(kern_mkdir(RN "/e1", 0755), 0);
	KT_ASSERT_EQ(vtu_putfile(RN "/e1/in", "in", 0644), 0);
	KT_ASSERT_EQ(kern_rename(RN "/e1", RN "/deep"), 0);
	KT_CHECK(!vtu_exists(RN "/e1") && vtu_holds(RN "/deep/in", "in"));
	/* A symlink is renamed, not its target. */
	KT_ASSERT_EQ(kern_symlink("h1", RN "/sl"), 0);
	KT_ASSERT_EQ(kern_rename(RN "/sl", RN "/sl2"), 0);
	KT_CHECK(vtu_exists(RN "/h1") && vtu_holds(RN "/sl2", "one"));

	KT_CHECK(kern_unmount(RN "/mnt") == 0);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(RN), 0);
}

/* --- file_rename_race --- */

#define RR	"/t_rrace"
#define RR_MAXW	16

static volatile int rr_left;
static volatile int rr_bad;
static uint64_t rr_end;
static uint64_t rr_done[RR_MAXW];

/* Make my own file, then rename it over the shared target. */
static void
nt_rr_worker(void *arg)
{
	int me = (int)(uintptr_t)arg, error;
	char src[32], data[32];
	uint64_t i;

	ksnprintf(src, sizeof(src), RR "/s%d", me);
	for (i = 0; i < 4 || nanouptime() < rr_end; i++) {
		ksnprintf(data, sizeof(data), "%d:%lu", me, i);
		error = vtu_putfile(src, data, 0644);
		if (error == 0)
			error = kern_rename(src, RR "/target");
		if (error != 0) {
			if (__atomic_add_fetch(&rr_bad, 1, __ATOMIC_RELAXED) <=
			    4)
				ktest_fail(__FILE__, __LINE__, "worker %d round "
				    "%lu: %d", me, i, error);
			break;
		}
		rr_done[me] = i + 1;
	}
	countdown_done(&rr_left);
}

KTEST_SMP(file_rename_race, "1,4", "rename: threads on every CPU rename "
    "their own files over one target at once; none fails (no spurious "
    "ENOENT), one file is left, nothing leaks")
{
	int files = file_count(), vnodes = vnode_count();
	int nw = MIN(RR_MAXW, MAX(2, 2 * ncpus)), i;
	uint64_t total = 0;
	char src[32];

	KT_ASSERT_EQ(vtu_begin(RR), 0);
	rr_bad = 0;
	rr_left = nw;
	memset(rr_done, 0, sizeof(rr_done));
	rr_end = nanouptime() + 300000000UL;
	for (i = 0; i < nw; i++) {
		if (lwkt_create(nt_rr_worker, (void *)(uintptr_t)i, i % ncpus,
		    TDPRI_KERN, 0, 0, "rrace") == NULL) {
			ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
			countdown_done(&rr_left);
		}
	}
	countdown_wait(&rr_left, "rrace");
	for (i = 0; i < nw; i++) {
		total += rr_done[i];
		ksnprintf(src, sizeof(src), RR "/s%d", i);
		KT_CHECK(!vtu_exists(src));
	}
	ktest_log("%d threads, %lu renames over one target", nw, total);
	KT_CHECK(rr_bad == 0);
	KT_CHECK(vtu_nlink(RR "/target") == 1);
	KT_CHECK(vtu_nlink(RR) == 2);
	KT_ASSERT_EQ(vtu_rmtree(RR), 0);
	KT_CHECK(file_count() == files);
	KT_CHECK(vnode_count() == vnodes);
}

/* --- file_nlink --- */

#define LD	"/t_nlink"

KTEST(file_nlink, "link counts after link, unlink, rename (over a link, of "
    "a directory between parents), mkdir, rmdir, unlink of an open file")
{
	int files = file_count();
	struct stat st;
	uint64_t ino;
	int fd;

	KT_ASSERT_EQ(vtu_begin(LD), 0);
	KT_ASSERT_EQ(vtu_nlink(LD), 2);
	KT_ASSERT_EQ(vtu_putfile(LD "/f", "f", 0644), 0);
	KT_ASSERT_EQ(vtu_nlink(LD "/f"), 1);
	KT_ASSERT_EQ(kern_link(LD "/f", LD "/g"), 0);
	KT_CHECK(vtu_nlink(LD "/f") == 2 && vtu_nlink(LD "/g") == 2);
	KT_CHECK(vtu_fileid(LD "/f") == vtu_fileid(LD "/g"));
	KT_ASSERT_EQ(kern_link(LD "/g", LD "/h"), 0);
	KT_CHECK(vtu_nlink(LD "/f") == 3);
	KT_ASSERT_EQ(kern_unlink(LD "/g"), 0);
	KT_CHECK(vtu_nlink(LD "/f") == 2 && vtu_nlink(LD "/h") == 2);
	/* Renaming one link over another of the same file: no change. */
	KT_ASSERT_EQ(kern_rename(LD "/h", LD "/f"), 0);
	KT_CHECK(vtu_exists(LD "/h") && vtu_nlink(LD "/f") == 2);
	KT_ASSERT_EQ(kern_rename(LD "/h", LD "/k"), 0);
	KT_CHECK(!vtu_exists(LD "/h") && vtu_nlink(LD "/k") == 2);
	/* Replacing a link drops one from the old file. */
	KT_ASSERT_EQ(vtu_putfile(LD "/o", "o", 0644), 0);
	ino = vtu_fileid(LD "/o");
	KT_ASSERT_EQ(kern_rename(LD "/o", LD "/k"), 0);
	KT_CHECK(vtu_fileid(LD "/k") == ino && vtu_nlink(LD "/k") == 1);
	KT_CHECK(vtu_nlink(LD "/f") == 1);
	/* Directories count "." and their subdirectories' "..". */
	KT_ASSERT_EQ(kern_mkdir(LD "/d", 0755), 0);
	KT_CHECK(vtu_nlink(LD) == 3 && vtu_nlink(LD "/d") == 2);
	KT_ASSERT_EQ(kern_mkdir(LD "/d/s", 0755), 0);
	KT_CHECK(vtu_nlink(LD "/d") == 3);
	KT_ASSERT_EQ(kern_rename(LD "/d/s", LD "/s"), 0);
	KT_CHECK(vtu_nlink(LD "/d") == 2 && vtu_nlink(LD) == 4);
	KT_ASSERT_EQ(kern_rename(LD "/d", LD "/s/d"), 0);
	KT_CHECK(vtu_nlink(LD) == 3 && vtu_nlink(LD "/s") == 3);
	KT_ASSERT_EQ(kern_rmdir(LD "/s/d"), 0);
	KT_CHECK(vtu_nlink(LD "/s") == 2);
	KT_ASSERT_EQ(kern_rmdir(LD "/s"), 0);
	KT_CHECK(vtu_nlink(LD) == 2);
	/* Files create no directory links; symlinks start at 1. */
	KT_ASSERT_EQ(kern_symlink("f", LD "/sl"), 0);
	KT_CHECK(vtu_nlink(LD "/sl") == 1 && vtu_nlink(LD) == 2);
	/* The last name of an open file. */
	KT_ASSERT_EQ(kern_open(LD "/f", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_unlink(LD "/f"), 0);
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_nlink == 0);
	kern_close(fd);
	KT_ASSERT_EQ(file_count(), files);
	KT_ASSERT_EQ(vtu_rmtree(LD), 0);
}

/* --- file_unlink_open --- */

#define UD	"/t_unlink"
#define UPAGES	64

KTEST(file_unlink_open, "unlink of an open file: still readable and "
    "writable through its descriptors; storage freed at the last close "
    "(file_count, tmpfs statfs)")
{
	int files = file_count();
	uint64_t f0, p0, f1, p1, f2, p2;
	struct mount *mp;
	struct stat st;
	char *buf;
	size_t done;
	int fd, fd2, i;

	KT_ASSERT_EQ(vtu_begin(UD), 0);
	KT_ASSERT_EQ(kern_mkdir(UD "/m", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "unlinktest", UD "/m", "size=1m"),
	    0);
	mp = vtu_mountof(UD "/m");
	KT_ASSERT(mp != NULL && mp != rootmount);
	buf = kmalloc(UPAGES * 4096, M_TEMP, 0);
	KT_ASSERT(buf != NULL);
	for (i = 0; i < UPAGES * 4096; i++)
		buf[i] = (char)(i * 7 + i / 4096);
	nt_usage(mp, &f0, &p0);
	KT_ASSERT_EQ(kern_open(UD "/m/f", O_RDWR | O_CREAT, 0644, &fd), 0);
	KT_ASSERT_EQ(kern_write(fd, buf, UPAGES * 4096, &done), 0);
	KT_ASSERT_EQ(done, UPAGES * 4096);
	KT_ASSERT_EQ(kern_dup(fd, &fd2), 0);
	nt_usage(mp, &f1, &p1);
	KT_CHECK(f1 == f0 + 1 && p1 == p0 + UPAGES);

	KT_ASSERT_EQ(kern_unlink(UD "/m/f"), 0);
	KT_CHECK(!vtu_exists(UD "/m/f"));
	KT_ASSERT_EQ(kern_fstat(fd, &st), 0);
	KT_CHECK(st.st_nlink == 0 && st.st_size == UPAGES * 4096);
	/* Still the same data, and still writable. */
	memset(buf, 0, 4096);
	KT_ASSERT_EQ(kern_pread(fd, buf, 4096, 5 * 4096, &done), 0);
	KT_CHECK(done == 4096 && buf[1] == (char)((5 * 4096 + 1) * 7 + 5));
	KT_ASSERT_EQ(kern_pwrite(fd2, "tail", 4, UPAGES * 4096, &done), 0);
	KT_ASSERT_EQ(kern_pread(fd, buf, 8, UPAGES * 4096, &done), 0);
	KT_CHECK(done == 4 && memcmp(buf, "tail", 4) == 0);
	/* The name is free again; the unlinked file keeps its storage. */
	KT_ASSERT_EQ(vtu_putfile(UD "/m/f", "new", 0644), 0);
	KT_CHECK(vtu_holds(UD "/m/f", "new"));
	KT_ASSERT_EQ(kern_unlink(UD "/m/f"), 0);
	nt_usage(mp, &f2, &p2);
	KT_CHECK(f2 == f0 + 1 && p2 == p0 + UPAGES + 1);
	/* Closing one descriptor is not enough; the last one frees it. */
	KT_ASSERT_EQ(kern_close(fd), 0);
	nt_usage(mp, &f2, &p2);
	KT_CHECK(f2 == f0 + 1 && p2 == p0 + UPAGES + 1);
	KT_ASSERT_EQ(file_count(), files + 1);
	KT_ASSERT_EQ(kern_close(fd2), 0);
	nt_usage(mp, &f2, &p2);
	KT_CHECK(f2 == f0 && p2 == p0);
	KT_ASSERT_EQ(file_count(), files);
	kfree(buf, M_TEMP);
	KT_CHECK(kern_unmount(UD "/m") == 0);
	KT_ASSERT_EQ(vtu_rmtree(UD), 0);
}

/* --- file_noleak --- */

#define LK	"/t_leak"

static struct malloc_type *const nt_types[] = {
	M_FILE, M_FILEDESC, M_PROC, M_NLOOKUP, M_NAMECACHE, M_VNODE,
	M_TMPFS, M_TMPFS_DIRENT, M_TMPFS_RADIX,
};

struct nt_snap {
	int		files, vnodes, ncache;
	uint64_t	nodes, pages;
	int64_t		inuse[nitems(nt_types)];
};

static void
nt_snapshot(struct nt_snap *s)
{
	int64_t memuse;

	cache_prune(-1);
	s->files = file_count();
	s->vnodes = vnode_count();
	s->ncache = cache_count();
	nt_usage(rootmount, &s->nodes, &s->pages);
	for (size_t i = 0; i < nitems(nt_types); i++)
		kmalloc_type_stats(nt_types[i], &s->inuse[i], &memuse);
}

static void
nt_workload(void *arg)
{
	char buf[64];
	size_t done;
	int fd, fd2, i;

	KT_CHECK(kern_mkdir(LK "/a", 0755) == 0);
	KT_CHECK(kern_mkdir(LK "/a/b", 0755) == 0);
	KT_CHECK(kern_chdir(LK "/a") == 0);
	for (i = 0; i < 8; i++) {
		ksnprintf(buf, sizeof(buf), "b/file%d", i);
		KT_CHECK(kern_open(buf, O_RDWR | O_CREAT, 0644, &fd) == 0);
		KT_CHECK(kern_pwrite(fd, buf, 8, (off_t)i << 20, &done) == 0);
		KT_CHECK(kern_dup(fd, &fd2) == 0);
		if (i & 1)
			kern_close(fd2);	/* the rest closed at exit */
		kern_close(fd);
	}
	KT_CHECK(kern_link("b/file0", "hard") == 0);
	KT_CHECK(kern_symlink("b/file1", "soft") == 0);
	KT_CHECK(kern_readlink("soft", buf, sizeof(buf), &done) == 0);
	KT_CHECK(kern_rename("b/file2", "moved") == 0);
	KT_CHECK(kern_rename("moved", "hard") == 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0);
	/* Error paths must not leak either. */
	KT_CHECK(kern_open("b/file3", O_RDWR | O_CREAT | O_EXCL, 0, &fd) ==
	    EEXIST);
	KT_CHECK(kern_open("none/x", O_RDONLY, 0, &fd) == ENOENT);
	KT_CHECK(kern_open("b", O_RDWR, 0, &fd) == EISDIR);
	KT_CHECK(kern_open("soft", O_RDONLY | O_NOFOLLOW, 0, &fd) == ELOOP);
	KT_CHECK(kern_rename("b", "b/c") == EINVAL);
	KT_CHECK(kern_mkdir("b", 0755) == EEXIST);
	KT_CHECK(kern_rmdir("b") == ENOTEMPTY);
	KT_CHECK(kern_unlink("b") == EISDIR);
	/* An unlinked file kept open past the process's end. */
	KT_CHECK(kern_open("b/file4", O_RDONLY, 0, &fd) == 0);
	KT_CHECK(kern_unlink("b/file4") == 0);
	KT_CHECK(kern_open(LK "/a/b", O_RDONLY, 0, &fd) == 0);
	KT_CHECK(kern_readdir(fd, buf, sizeof(buf), &done) == 0);
	KT_CHECK(kern_chdir("/") == 0);
}

KTEST(file_noleak, "no leaks: a mixed workload returns files, vnodes, "
    "namecache entries, tmpfs nodes and pages and every malloc type "
    "involved to their baseline")
{
	struct nt_snap a, b;
	struct proc *p;

	(void)vtu_rmtree(LK);
	nt_snapshot(&a);
	KT_ASSERT_EQ(kern_mkdir(LK, 0755), 0);
	p = kproc_alloc(NULL, "file_noleak");
	KT_ASSERT(p != NULL);
	nt_run_in(p, nt_workload, NULL);
	kproc_free(p);
	KT_ASSERT_EQ(vtu_rmtree(LK), 0);
	nt_snapshot(&b);
	KT_CHECK(a.files == b.files);
	KT_CHECK(a.vnodes == b.vnodes);
	KT_CHECK(a.ncache == b.ncache);
	KT_CHECK(a.nodes == b.nodes);
	KT_CHECK(a.pages == b.pages);
	for (size_t i = 0; i < nitems(nt_types); i++) {
		if (a.inuse[i] != b.inuse[i])
			ktest_fail(__FILE__, __LINE__, "malloc type %s: %ld "
			    "objects before, %ld after",
			    nt_types[i]->ks_shortdesc, a.inuse[i], b.inuse[i]);
	}
	if (ktest_failed())
		ktest_log("files %d/%d vnodes %d/%d ncache %d/%d nodes "
		    "%lu/%lu pages %lu/%lu", a.files, b.files, a.vnodes,
		    b.vnodes, a.ncache, b.ncache, a.nodes, b.nodes, a.pages,
		    b.pages);
}
