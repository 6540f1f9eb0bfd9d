/*
 * In-kernel tests of path resolution (vfs_nlookup.c) and the namecache
 * (vfs_cache.c), through the kern_* file API.
 *
 *   nl_paths		"/", "//a///b/", ".", ".." at the root, empty path,
 *			trailing slashes on files
 *   nl_toolong		NAME_MAX and PATH_MAX limits, exactly at and one past
 *   nl_symlinks	loops (ELOOP), the MAXSYMLINKS limit exactly, dangling
 *			links, relative and absolute targets, trailing '/'
 *   nl_mountdotdot	".." out of a mount point, cwd inside a mount,
 *			getcwd across mounts
 *   nl_negative	a failed lookup leaves a negative entry that answers
 *			the next lookup without asking the filesystem;
 *			create, unlink and mount invalidate it
 *   nl_prune		unused entries are freed; referenced ones are not
 *   nl_perm		a non-root process needs search permission
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/proc.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

MALLOC_DECLARE(M_TEMP);

KTEST(nl_paths, "path forms: /, //a///b/, ., .. at the root, empty, trailing slash")
{
	struct stat st;
	int fd;

	KT_ASSERT_EQ(kern_stat("/", &st), 0);
	KT_ASSERT(S_ISDIR(st.st_mode));
	KT_ASSERT_EQ(kern_mkdir("/a", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/a/b", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/a/b/f", "x"), 0);
	KT_ASSERT(vtu_fileid("//a///b/") != 0);
	KT_ASSERT_EQ(vtu_fileid("//a///b/"), vtu_fileid("/a/b"));
	KT_ASSERT_EQ(vtu_fileid("/a/b/."), vtu_fileid("/a/b"));
	KT_ASSERT_EQ(vtu_fileid("/a/b/.."), vtu_fileid("/a"));
	KT_ASSERT_EQ(vtu_fileid("/a/./b/../b/f"), vtu_fileid("/a/b/f"));
	/* ".." at the root is the root, however many. */
	KT_ASSERT_EQ(vtu_fileid("/.."), vtu_fileid("/"));
	KT_ASSERT_EQ(vtu_fileid("/../../.."), vtu_fileid("/"));
	KT_ASSERT_EQ(vtu_fileid("/../a"), vtu_fileid("/a"));
	/* Relative paths start at the current directory. */
	KT_ASSERT_EQ(kern_chdir("/a"), 0);
	KT_ASSERT_EQ(vtu_fileid("."), vtu_fileid("/a"));
	KT_ASSERT_EQ(vtu_fileid("b/f"), vtu_fileid("/a/b/f"));
	KT_ASSERT_EQ(vtu_fileid(".."), vtu_fileid("/"));
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	/* Empty path. */
	KT_ASSERT_EQ(kern_stat("", &st), ENOENT);
	KT_ASSERT_EQ(kern_open("", O_RDONLY, 0, &fd), ENOENT);
	/* Trailing slashes: fine on directories, ENOTDIR on files. */
	KT_ASSERT_EQ(kern_stat("/a/b/", &st), 0);
	KT_ASSERT_EQ(kern_stat("/a/b//", &st), 0);
	KT_ASSERT_EQ(kern_stat("/a/b/f/", &st), ENOTDIR);
	KT_ASSERT_EQ(kern_open("/a/b/f/", O_RDONLY, 0, &fd), ENOTDIR);
	KT_ASSERT_EQ(kern_stat("/a/b/f/.", &st), ENOTDIR);
	KT_ASSERT_EQ(kern_stat("/a/b/f/x", &st), ENOTDIR);
	KT_ASSERT_EQ(kern_stat("/a/b/nope/x", &st), ENOENT);
	KT_ASSERT_EQ(kern_unlink("/a/b/f/"), ENOTDIR);
	/* mkdir with a trailing slash is fine. */
	KT_ASSERT_EQ(kern_mkdir("/a/c/", 0755), 0);
	KT_ASSERT_EQ(kern_stat("/a/c", &st), 0);
	KT_ASSERT(S_ISDIR(st.st_mode));
	/* "." and ".." cannot be removed or renamed; the root is busy. */
	KT_ASSERT_EQ(kern_rmdir("/a/c/."), EINVAL);
	KT_ASSERT_EQ(kern_rmdir("/a/c/.."), EINVAL);
	KT_ASSERT_EQ(kern_rename("/a/c/.", "/a/d"), EINVAL);
	KT_ASSERT_EQ(kern_rmdir("/"), EBUSY);
	KT_ASSERT_EQ(kern_mkdir("/", 0755), EEXIST);
	KT_ASSERT_EQ(kern_mkdir("/a/.", 0755), EEXIST);
}

/* Fill buf with a path of exactly len bytes naming "/" via "/./././". */
static void
nt_dotpath(char *buf, size_t len)
{
	size_t i;

	buf[0] = '/';
	for (i = 1; i < len; i++)
		buf[i] = (i % 2 == 1) ? '.' : '/';
	buf[len] = '\0';
}

KTEST(nl_toolong, "NAME_MAX and PATH_MAX: exactly at the limit works, one past is ENAMETOOLONG")
{
	char *buf = kmalloc(PATH_MAX + 64, M_TEMP, 0);
	char name[NAME_MAX + 3];
	struct stat st;
	int fd;

	KT_ASSERT(buf != NULL);
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX);
	name[NAME_MAX + 1] = '\0';
	KT_CHECK(vtu_mkfile(name, "ok") == 0);
	KT_CHECK(kern_stat(name, &st) == 0);
	name[NAME_MAX + 1] = 'n';
	name[NAME_MAX + 2] = '\0';
	KT_CHECK(kern_open(name, O_CREAT | O_WRONLY, 0644, &fd) ==
	    ENAMETOOLONG);
	KT_CHECK(kern_stat(name, &st) == ENAMETOOLONG);
	KT_CHECK(kern_mkdir(name, 0755) == ENAMETOOLONG);
	/* PATH_MAX counts the NUL: 1023 bytes is the longest path. */
	nt_dotpath(buf, PATH_MAX - 1);
	KT_CHECK(kern_stat(buf, &st) == 0);
	nt_dotpath(buf, PATH_MAX);
	KT_CHECK(kern_stat(buf, &st) == ENAMETOOLONG);
	nt_dotpath(buf, PATH_MAX + 40);
	KT_CHECK(kern_stat(buf, &st) == ENAMETOOLONG);
	/* A symlink whose expansion passes PATH_MAX. */
	nt_dotpath(buf, PATH_MAX - 10);
	KT_CHECK(kern_symlink(buf, "/long") == 0);
	KT_CHECK(kern_stat("/long", &st) == 0);
	KT_CHECK(kern_stat("/long/./././././././././.", &st) ==
	    ENAMETOOLONG);
	kfree(buf, M_TEMP);
}

KTEST(nl_symlinks, "symlinks: loops give ELOOP, MAXSYMLINKS exactly, dangling, relative, absolute")
{
	char from[32], to[32];
	struct stat st;
	size_t n;
	char buf[64];
	int i, fd;

	KT_ASSERT_EQ(kern_mkdir("/s", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/s/d", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/s/d/f", "data"), 0);
	/* Loops. */
	KT_ASSERT_EQ(kern_symlink("self", "/s/self"), 0);
	KT_CHECK(kern_stat("/s/self", &st) == ELOOP);
	KT_CHECK(kern_lstat("/s/self", &st) == 0 && S_ISLNK(st.st_mode));
	KT_ASSERT_EQ(kern_symlink("b", "/s/a"), 0);
	KT_ASSERT_EQ(kern_symlink("a", "/s/b"), 0);
	KT_CHECK(kern_stat("/s/a", &st) == ELOOP);
	KT_CHECK(kern_stat("/s/a/x", &st) == ELOOP);
	KT_CHECK(kern_open("/s/b", O_RDONLY, 0, &fd) == ELOOP);
	/* A chain of exactly MAXSYMLINKS links resolves; one more fails. */
	for (i = 0; i <= MAXSYMLINKS; i++) {
		ksnprintf(from, sizeof(from), "/s/l%d", i);
		if (i == 0)
			strlcpy(to, "d/f", sizeof(to));
		else
			ksnprintf(to, sizeof(to), "l%d", i - 1);
		KT_ASSERT_EQ(kern_symlink(to, from), 0);
	}
	ksnprintf(from, sizeof(from), "/s/l%d", MAXSYMLINKS - 1);
	KT_CHECK(kern_stat(from, &st) == 0 && S_ISREG(st.st_mode));
	ksnprintf(from, sizeof(from), "/s/l%d", MAXSYMLINKS);
	KT_CHECK(kern_stat(from, &st) == ELOOP);
	/* Dangling. */
	KT_ASSERT_EQ(kern_symlink("/s/nowhere", "/s/dang"), 0);
	KT_CHECK(kern_stat("/s/dang", &st) == ENOENT);
	KT_CHECK(kern_lstat("/s/dang", &st) == 0);
	KT_CHECK(kern_readlink("/s/dang", buf, sizeof(buf), &n) == 0 &&
	    n == strlen("/s/nowhere") && memcmp(buf, "/s/nowhere", n) == 0);
	KT_CHECK(kern_readlink("/s/d", buf, sizeof(buf), &n) == EINVAL);
	/* The dangling link starts working when its target appears. */
	KT_ASSERT_EQ(vtu_mkfile("/s/nowhere", NULL), 0);
	KT_CHECK(kern_stat("/s/dang", &st) == 0);
	/* Relative targets resolve from the link's directory. */
	KT_ASSERT_EQ(kern_symlink("../d", "/s/d/up"), 0);
	KT_CHECK(vtu_fileid("/s/d/up/f") == vtu_fileid("/s/d/f"));
	KT_ASSERT_EQ(kern_symlink("/s/d", "/s/abs"), 0);
	KT_CHECK(vtu_fileid("/s/abs/f") == vtu_fileid("/s/d/f"));
	/* A trailing slash follows a last-component link. */
	KT_CHECK(kern_lstat("/s/abs/", &st) == 0 && S_ISDIR(st.st_mode));
	KT_CHECK(kern_lstat("/s/abs", &st) == 0 && S_ISLNK(st.st_mode));
	/* A link to a file with a trailing slash: ENOTDIR. */
	KT_ASSERT_EQ(kern_symlink("d/f", "/s/tofile"), 0);
	KT_CHECK(kern_stat("/s/tofile/", &st) == ENOTDIR);
	/* O_NOFOLLOW refuses a link. */
	KT_CHECK(kern_open("/s/abs", O_RDONLY | O_NOFOLLOW, 0, &fd) == ELOOP);
	/* Unlinking a link removes the link, not its target. */
	KT_CHECK(kern_unlink("/s/abs") == 0);
	KT_CHECK(kern_stat("/s/d/f", &st) == 0);
}

KTEST(nl_mountdotdot, "'..' out of a mount point, cwd in a mount, getcwd across mounts")
{
	char buf[128];
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/m", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/m/mp", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/m/under", NULL), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "t", "/m/mp", ""), 0);
	KT_ASSERT_EQ(kern_mkdir("/m/mp/in", 0755), 0);
	/* The mount root differs from the covered directory. */
	KT_CHECK(kern_stat("/m/mp", &st) == 0 && S_ISDIR(st.st_mode));
	KT_CHECK(vtu_fileid("/m/mp/..") == vtu_fileid("/m"));
	KT_CHECK(vtu_fileid("/m/mp/in/../..") == vtu_fileid("/m"));
	KT_CHECK(vtu_fileid("/m/mp/../under") == vtu_fileid("/m/under"));
	KT_CHECK(vtu_fileid("/m/mp/in/../../mp/in") == vtu_fileid("/m/mp/in"));
	KT_ASSERT_EQ(kern_chdir("/m/mp/in"), 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "/m/mp/in") == 0);
	KT_CHECK(vtu_fileid("../..") == vtu_fileid("/m"));
	KT_ASSERT_EQ(kern_chdir("../.."), 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 && strcmp(buf, "/m") == 0);
	KT_CHECK(kern_getcwd(buf, 2) == ERANGE);
	/* Busy while something inside is referenced (our cwd). */
	KT_ASSERT_EQ(kern_chdir("/m/mp"), 0);
	KT_CHECK(kern_unmount("/m/mp") == EBUSY);
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	/* A mount point cannot be removed or renamed. */
	KT_CHECK(kern_rmdir("/m/mp") == EBUSY);
	KT_CHECK(kern_rename("/m/mp", "/m/mp2") == EBUSY);
	KT_ASSERT_EQ(kern_rmdir("/m/mp/in"), 0);
	KT_CHECK(kern_unmount("/m") == EINVAL);
	KT_ASSERT_EQ(kern_unmount("/m/mp"), 0);
	/* The covered directory is back, empty. */
	KT_CHECK(kern_stat("/m/mp/in", &st) == ENOENT);
	KT_CHECK(kern_rmdir("/m/mp") == 0);
	KT_CHECK(kern_unmount("/") == EBUSY);
	KT_CHECK(kern_mount("nosuchfs", "", "/m", "") == ENODEV);
	KT_CHECK(kern_mount("tmpfs", "", "/m/under", "") == ENOTDIR);
	KT_CHECK(kern_mount("tmpfs", "", "/m/none", "") == ENOENT);
	KT_CHECK(kern_mount("tmpfs", "", "/m", "threads=x") == EINVAL);
	KT_CHECK(kern_mount("tmpfs", "", "/m", "threads=65") == EINVAL);
}

KTEST(nl_negative, "negative entries: cached misses, invalidated by create, unlink and mount")
{
	struct nc_stats s0, s1;
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/n", 0755), 0);
	KT_ASSERT_EQ(kern_stat("/n/x", &st), ENOENT);
	/* The second miss is answered by the negative entry. */
	cache_stats(&s0);
	KT_ASSERT_EQ(kern_stat("/n/x", &st), ENOENT);
	cache_stats(&s1);
	KT_CHECK(s1.ns_resolves == s0.ns_resolves);
	KT_CHECK(s1.ns_hits > s0.ns_hits);
	/* Create turns it positive. */
	KT_ASSERT_EQ(vtu_mkfile("/n/x", NULL), 0);
	KT_ASSERT_EQ(kern_stat("/n/x", &st), 0);
	cache_stats(&s0);
	KT_ASSERT_EQ(kern_stat("/n/x", &st), 0);
	cache_stats(&s1);
	KT_CHECK(s1.ns_resolves == s0.ns_resolves);
	/* Unlink turns it negative again; so does rename away. */
	KT_ASSERT_EQ(kern_unlink("/n/x"), 0);
	KT_CHECK(kern_stat("/n/x", &st) == ENOENT);
	KT_ASSERT_EQ(vtu_mkfile("/n/y", NULL), 0);
	KT_ASSERT_EQ(kern_rename("/n/y", "/n/x"), 0);
	KT_CHECK(kern_stat("/n/y", &st) == ENOENT);
	KT_CHECK(kern_stat("/n/x", &st) == 0);
	KT_ASSERT_EQ(kern_unlink("/n/x"), 0);
	/* Mount: a cached miss under the covered directory is not used. */
	KT_ASSERT_EQ(kern_mkdir("/n/m", 0755), 0);
	KT_CHECK(kern_stat("/n/m/z", &st) == ENOENT);
	KT_ASSERT_EQ(kern_mount("tmpfs", "", "/n/m", ""), 0);
	KT_CHECK(kern_stat("/n/m/z", &st) == ENOENT);
	KT_ASSERT_EQ(vtu_mkfile("/n/m/z", NULL), 0);
	KT_CHECK(kern_stat("/n/m/z", &st) == 0);
	KT_ASSERT_EQ(kern_unmount("/n/m"), 0);
	KT_CHECK(kern_stat("/n/m/z", &st) == ENOENT);
	/* And a file created under the covered directory reappears. */
	KT_ASSERT_EQ(vtu_mkfile("/n/m/under", NULL), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "", "/n/m", ""), 0);
	KT_CHECK(kern_stat("/n/m/under", &st) == ENOENT);
	KT_ASSERT_EQ(kern_unmount("/n/m"), 0);
	KT_CHECK(kern_stat("/n/m/under", &st) == 0);
}

KTEST(nl_prune, "unreferenced entries are freed by pruning, referenced ones stay")
{
	char path[32];
	int i, before, after, fd;

	KT_ASSERT_EQ(kern_mkdir("/p", 0755), 0);
	cache_prune(-1);
	before = cache_count();
	for (i = 0; i < 200; i++) {
		ksnprintf(path, sizeof(path), "/p/f%d", i);
		KT_ASSERT_EQ(vtu_mkfile(path, NULL), 0);
	}
	KT_CHECK(cache_count() >= before + 200);
	KT_ASSERT_EQ(kern_open("/p/f7", O_RDONLY, 0, &fd), 0);
	cache_prune(-1);
	after = cache_count();
	/* The open file keeps its entry and its parents. */
	KT_CHECK(after >= 2 && after < before + 10);
	KT_CHECK(kern_close(fd) == 0);
	cache_prune(-1);
	KT_CHECK(cache_count() <= after);
	/* Everything still resolves after the cache was emptied. */
	for (i = 0; i < 200; i++) {
		ksnprintf(path, sizeof(path), "/p/f%d", i);
		KT_CHECK(vtu_fileid(path) != 0);
	}
}

KTEST(nl_perm, "a non-root process needs search permission on every directory")
{
	struct proc *p;
	struct stat st;
	thread_t td = curthread;
	struct proc *saved = td->td_proc;

	KT_ASSERT_EQ(kern_mkdir("/perm", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/perm/closed", 0700), 0);
	KT_ASSERT_EQ(vtu_mkfile("/perm/closed/f", NULL), 0);
	KT_ASSERT_EQ(kern_mkdir("/perm/open", 0755), 0);
	p = kproc_alloc(NULL, "perm");
	KT_ASSERT(p != NULL);
	p->p_cred.cr_uid = 1000;
	p->p_cred.cr_gid = 1000;
	td->td_proc = p;
	KT_CHECK(kern_stat("/perm/closed/f", &st) == EACCES);
	KT_CHECK(kern_stat("/perm/closed", &st) == 0);
	KT_CHECK(kern_stat("/perm/open", &st) == 0);
	KT_CHECK(kern_mkdir("/perm/open/x", 0755) == EACCES);
	KT_CHECK(kern_chdir("/perm/closed") == EACCES);
	td->td_proc = saved;
	kproc_free(p);
	KT_CHECK(kern_stat("/perm/closed/f", &st) == 0);
}

KTEST(nl_unmount_busy, "unmount refused by the filesystem (a vnode held without an entry) restores the mount intact")
{
	struct vnode *vp;
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/ub", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "", "/ub", ""), 0);
	KT_ASSERT_EQ(vtu_mkfile("/ub/f", "kept"), 0);
	KT_ASSERT_EQ(nlookup_vp("/ub/f", false, &vp, NULL), 0);
	cache_prune(-1);
	/* The namecache lets go, tmpfs sees the vnode is still used. */
	KT_CHECK(kern_unmount("/ub") == EBUSY);
	KT_CHECK(kern_stat("/ub/f", &st) == 0 && st.st_size == 4);
	KT_CHECK(vtu_fileid("/ub/..") == vtu_fileid("/"));
	vrele(vp);
	KT_CHECK(kern_unmount("/ub") == 0);
	KT_CHECK(kern_stat("/ub/f", &st) == ENOENT);
}

static volatile int nl_um_left;
static volatile int nl_um_ok;
static volatile int nl_um_other;

static void
nl_um_worker(void *arg)
{
	int error = kern_unmount("/um");

	if (error == 0)
		__atomic_add_fetch(&nl_um_ok, 1, __ATOMIC_SEQ_CST);
	else if (error != EINVAL)
		__atomic_add_fetch(&nl_um_other, 1, __ATOMIC_SEQ_CST);
	countdown_done(&nl_um_left);
}

KTEST_SMP(nl_unmount_race, "1,4", "threads on every CPU unmount the same mount at once: exactly one succeeds")
{
	int round, i, n = MAX(2, ncpus);

	KT_ASSERT_EQ(kern_mkdir("/um", 0755), 0);
	for (round = 0; round < 20; round++) {
		KT_ASSERT_EQ(kern_mount("tmpfs", "", "/um", ""), 0);
		nl_um_ok = nl_um_other = 0;
		nl_um_left = n;
		for (i = 0; i < n; i++)
			KT_ASSERT(lwkt_create(nl_um_worker, NULL, i % ncpus,
			    TDPRI_KERN, 0, 0, "umrace") != NULL);
		countdown_wait(&nl_um_left, "umjoin");
		KT_CHECK(nl_um_ok == 1);
		KT_CHECK(nl_um_other == 0);
	}
}

KTEST(nl_destroyed_cwd, "lookups from a current directory that was renamed over fail with ENOENT (no endless retry)")
{
	struct stat st;
	int fd;

	KT_ASSERT_EQ(kern_mkdir("/zA", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/zB", 0755), 0);
	KT_ASSERT_EQ(kern_chdir("/zB"), 0);
	KT_ASSERT_EQ(kern_rename("/zA", "/zB"), 0);
	KT_CHECK(kern_stat("x", &st) == ENOENT);
	KT_CHECK(kern_open("x", O_CREAT | O_WRONLY, 0644, &fd) == ENOENT);
	KT_CHECK(kern_mkdir("..", 0755) == EEXIST);
	KT_CHECK(kern_stat("/zB", &st) == 0);
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	KT_CHECK(kern_stat("/zA", &st) == ENOENT);
}

/*
 * Freeing an entry drops its parent, which may push the unused list
 * over its limit again; that prune must not nest inside the first (it
 * did: one stack frame per few entries, a stack overflow at about 3,000
 * directories).  The full size runs under TCG; under this machine's slow
 * KVM a tenth of it, which checks correctness but not the depth.
 */
KTEST(nl_prune_deep, "a small cache limit with many directories: pruning frees chains without recursing")
{
	char path[32];
	struct stat st;
	int i, old, n = vtu_kvm() ? 300 : 3000;

	KT_ASSERT_EQ(kern_mkdir("/pd", 0755), 0);
	for (i = 0; i < n; i++) {
		ksnprintf(path, sizeof(path), "/pd/d%d", i);
		KT_ASSERT_EQ(kern_mkdir(path, 0755), 0);
		ksnprintf(path, sizeof(path), "/pd/d%d/x", i);
		KT_ASSERT_EQ(kern_mkdir(path, 0755), 0);
	}
	old = cache_set_maxunused(16);
	for (i = 0; i < 4 * n; i++) {
		ksnprintf(path, sizeof(path), "/pd/d%d/x/n%d", i % n, i);
		KT_CHECK(kern_stat(path, &st) == ENOENT);
	}
	KT_CHECK(cache_count() < 200);
	cache_set_maxunused(old);
	for (i = 0; i < n; i++) {
		ksnprintf(path, sizeof(path), "/pd/d%d/x", i);
		KT_CHECK(kern_stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	}
}
