/*
 * Helpers of the in-kernel VFS tests (declared in <sys/vfs_testutil.h>):
 * the small file, attribute and directory chores that the tests of the
 * namecache, nlookup, the file API, descriptors, rename, the initrd,
 * tmpfs, devfs and nullfs all need, written once.
 *
 * What they are.  Thin layers over the kern_* file API, run in the
 * calling thread's process: the same entry points, descriptor table,
 * credentials and current directory that the test itself uses, so a
 * helper called from a uid 1000 process is refused what that process is
 * refused.  They do not assert; they return what happened (an errno, a
 * bool, -1 or 0 as each contract says) and the test decides.
 *
 * What they guarantee.  No descriptor stays open and no memory stays
 * allocated when a helper returns, error or not.  The directory walk
 * (vtu_readdir_each, vtu_readdir_all) checks every record it is given
 * and bounds the number of kern_readdir calls, so a filesystem whose
 * readdir is broken (bad record lengths, a listing that never ends)
 * makes a test fail with EIO rather than read garbage or hang.
 * vtu_rmtree lists a directory again after a pass that removed something,
 * so it does not depend on how a filesystem's cookies behave while the
 * directory shrinks under an open descriptor.
 *
 * What they cost.  One open and close per call; vtu_readdir_* allocate
 * one buffer per walk (VTU_READDIR_BUFSIZE bytes by default) from
 * M_VFSTEST.  vtu_rmtree recurses once per directory level and each
 * level holds, while it walks, a PATH_MAX buffer, a readdir buffer and a
 * descriptor: tests keep their trees a few levels deep, and must not
 * call it with the descriptor table nearly full.  Buffers live on the
 * heap, so a level costs only a small stack frame.
 */

#include <sys/types.h>
#include <machine/cpufunc.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/vnode.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

MALLOC_DEFINE(M_VFSTEST, "vfstest", "VFS test helpers");

/* --- files --- */

/*
 * data NULL makes no write call at all; data with len 0 makes one write
 * of zero bytes (a write like any other as far as the filesystem knows).
 */
int
vtu_writefile(const char *path, int oflags, int mode, const void *data,
    size_t len)
{
	size_t done;
	int fd, error;

	error = kern_open(path, O_WRONLY | oflags, mode, &fd);
	if (error != 0)
		return (error);
	if (data != NULL) {
		error = kern_write(fd, data, len, &done);
		if (error == 0 && done != len)
			error = EIO;
	}
	kern_close(fd);
	return (error);
}

int
vtu_mkfile(const char *path, const char *text)
{
	return (vtu_writefile(path, O_CREAT | O_EXCL, 0644, text,
	    text != NULL ? strlen(text) : 0));
}

int
vtu_putfile(const char *path, const char *text, int mode)
{
	return (vtu_writefile(path, O_CREAT | O_TRUNC, mode, text,
	    strlen(text)));
}

/*
 * Read the file in small pieces, comparing as it goes, until end of
 * file.  Reading stops at the first byte that differs or lies past len,
 * so a file that never ends (a device) costs at most len + 1 bytes.
 */
int
vtu_cmpfile(const char *path, const void *data, size_t len)
{
	const char *want = data;
	char buf[64];
	size_t off = 0, n;
	int fd, error;

	error = kern_open(path, O_RDONLY, 0, &fd);
	if (error != 0)
		return (error);
	for (;;) {
		error = kern_read(fd, buf, sizeof(buf), &n);
		if (error != 0)
			break;
		if (n == 0) {
			error = off == len ? 0 : EIO;
			break;
		}
		if (n > len - off || memcmp(buf, want + off, n) != 0) {
			error = EIO;
			break;
		}
		off += n;
	}
	kern_close(fd);
	return (error);
}

bool
vtu_holds(const char *path, const char *text)
{
	return (vtu_cmpfile(path, text, strlen(text)) == 0);
}

/* --- one field of lstat --- */

bool
vtu_exists(const char *path)
{
	struct stat st;

	return (kern_lstat(path, &st) == 0);
}

int
vtu_nlink(const char *path)
{
	struct stat st;

	return (kern_lstat(path, &st) == 0 ? (int)st.st_nlink : -1);
}

int64_t
vtu_size(const char *path)
{
	struct stat st;

	return (kern_lstat(path, &st) == 0 ? st.st_size : -1);
}

/*
 * st_dev goes into the top 16 bits, above any inode number the
 * filesystems here hand out (they start at 1 or 2, so an id is not 0).
 */
uint64_t
vtu_fileid(const char *path)
{
	struct stat st;

	if (kern_lstat(path, &st) != 0)
		return (0);
	return (st.st_ino ^ ((uint64_t)st.st_dev << 48));
}

struct mount *
vtu_mountof(const char *path)
{
	struct vnode *vp;
	struct mount *mp;

	if (nlookup_vp(path, false, &vp, NULL) != 0)
		return (NULL);
	mp = vp->v_mount;
	vrele(vp);
	return (mp);
}

/* --- directories --- */

/* A record of avail bytes at dp is well formed. */
static bool
vtu_record_ok(const struct dirent *dp, size_t avail)
{
	if (avail < offsetof(struct dirent, d_name))
		return (false);
	return (dp->d_reclen >= DIRENT_RECLEN(0) && dp->d_reclen <= avail &&
	    dp->d_reclen == DIRENT_RECLEN(dp->d_namlen) &&
	    dp->d_name[dp->d_namlen] == '\0');
}

static bool
vtu_isdot(const struct dirent *dp)
{
	return (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0);
}

/*
 * The walk behind vtu_readdir_each and vtu_readdir_all: dots says
 * whether "." and ".." go to fn.
 */
static int
vtu_readdir(const char *dir, size_t bufsize, bool dots,
    int (*fn)(const struct dirent *dp, void *arg), void *arg, int *countp)
{
	const struct dirent *dp;
	char *buf;
	size_t done, off;
	int fd, calls, n = 0, error;

	if (countp != NULL)
		*countp = 0;
	buf = kmalloc(bufsize, M_VFSTEST, 0);
	if (buf == NULL)
		return (ENOMEM);
	error = kern_open(dir, O_RDONLY | O_DIRECTORY, 0, &fd);
	if (error != 0) {
		kfree(buf, M_VFSTEST);
		return (error);
	}
	for (calls = 0; error == 0; calls++) {
		if (calls == VTU_READDIR_MAXCALLS) {
			error = EIO;		/* a listing that never ends */
			break;
		}
		error = kern_readdir(fd, buf, bufsize, &done);
		if (error != 0 || done == 0)
			break;
		for (off = 0; off < done; off += dp->d_reclen) {
			dp = (const struct dirent *)(buf + off);
			if (!vtu_record_ok(dp, done - off)) {
				error = EIO;
				break;
			}
			if (!dots && vtu_isdot(dp))
				continue;
			n++;
			if (fn != NULL && (error = fn(dp, arg)) != 0)
				break;
		}
	}
	kern_close(fd);
	kfree(buf, M_VFSTEST);
	if (countp != NULL)
		*countp = n;
	return (error);
}

int
vtu_readdir_each(const char *dir,
    int (*fn)(const struct dirent *dp, void *arg), void *arg, int *countp)
{
	return (vtu_readdir(dir, VTU_READDIR_BUFSIZE, false, fn, arg, countp));
}

int
vtu_readdir_all(const char *dir, size_t bufsize,
    int (*fn)(const struct dirent *dp, void *arg), void *arg, int *countp)
{
	return (vtu_readdir(dir, bufsize, true, fn, arg, countp));
}

struct vtu_rm {
	const char	*rm_dir;	/* the directory being emptied */
	char		*rm_child;	/* PATH_MAX bytes */
	int		rm_removed;	/* children removed in this pass */
};

/* vtu_readdir_each callback: remove one child (and what is below it). */
static int
vtu_rm_child(const struct dirent *dp, void *arg)
{
	struct vtu_rm *rm = arg;

	ksnprintf(rm->rm_child, PATH_MAX, "%s/%s", rm->rm_dir, dp->d_name);
	if (vtu_rmtree(rm->rm_child) == 0)
		rm->rm_removed++;
	return (0);
}

/*
 * Children are removed while the directory is listed; a pass that
 * removed something is followed by another, until a pass removes
 * nothing (the directory is empty, or what is left cannot go).  Errors
 * of the walk and of single children are not returned: the final
 * kern_rmdir says whether everything went.
 */
int
vtu_rmtree(const char *path)
{
	struct stat st;
	struct vtu_rm rm;
	int error;

	if (kern_lstat(path, &st) != 0)
		return (ENOENT);
	if (!S_ISDIR(st.st_mode))
		return (kern_unlink(path));
	rm.rm_dir = path;
	rm.rm_child = kmalloc(PATH_MAX, M_VFSTEST, 0);
	if (rm.rm_child == NULL)
		return (ENOMEM);
	do {
		rm.rm_removed = 0;
		error = vtu_readdir_each(path, vtu_rm_child, &rm, NULL);
	} while (error == 0 && rm.rm_removed > 0);
	kfree(rm.rm_child, M_VFSTEST);
	return (kern_rmdir(path));
}

int
vtu_begin(const char *dir)
{
	(void)vtu_rmtree(dir);
	return (kern_mkdir(dir, 0755));
}

/*
 * True when running under KVM ("KVMKVMKVM" in CPUID leaf 0x40000000,
 * behind the hypervisor bit).  This machine's KVM runs kernel code about
 * a hundred times slower than TCG, so tests that need volume to reach a
 * state size it down there and say so.
 */
bool
vtu_kvm(void)
{
	uint32_t r[4];

	cpuid_count(1, 0, r);
	if ((r[2] & (1u << 31)) == 0)
		return (false);
	cpuid_count(0x40000000, 0, r);
	return (r[1] == 0x4b4d564b && r[2] == 0x564b4d56 && r[3] == 0x4d);
}
