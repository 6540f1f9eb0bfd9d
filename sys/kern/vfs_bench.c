/*
 * VFS benchmarks (make bench): the cost of the common file operations
 * through the in-kernel API, measured from the caller (so including
 * nlookup, the namecache, the VOP message and tmpfs).  Under TCG with
 * icount the figures are instructions per operation.  The Linux figures
 * in issue 4 are measured from user space and include a system call and
 * the benchmark's loop, so they are an upper bound to aim under; the
 * like-for-like comparison comes with user processes.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kbench.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>
#include <sys/mount.h>

static void
vb_setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	(void)kern_mkdir("/vb", 0755);
	(void)kern_mkdir("/vb/a", 0755);
	(void)kern_mkdir("/vb/a/b", 0755);
	(void)kern_mkdir("/vb/a/b/c", 0755);
	(void)kern_mkdir("/vb/a/b/c/d", 0755);
	(void)kern_mkdir("/vb/files", 0755);
}

KBENCH(vfs_stat, "kern_stat of a cached 5-component path")
{
	struct stat st;
	uint64_t n = 20000, t0;
	int fd;

	vb_setup();
	if (kern_open("/vb/a/b/c/d/e", O_CREAT | O_WRONLY, 0644, &fd) == 0)
		kern_close(fd);
	kern_stat("/vb/a/b/c/d/e", &st);
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++)
		kern_stat("/vb/a/b/c/d/e", &st);
	kbench_report("vfs_stat", kbench_now() - t0, n,
	    "stat /vb/a/b/c/d/e (cached, 5 components)");
}

KBENCH(vfs_create, "create (open O_CREAT|O_EXCL + close) and unlink")
{
	char name[32];
	uint64_t n = 2000, t0, t1;
	uint64_t i;
	int fd;

	vb_setup();
	t0 = kbench_now();
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "/vb/files/f%llu",
		    (unsigned long long)i);
		if (kern_open(name, O_CREAT | O_EXCL | O_WRONLY, 0644,
		    &fd) == 0)
			kern_close(fd);
	}
	t1 = kbench_now();
	kbench_report("vfs_create", t1 - t0, n,
	    "open(O_CREAT|O_EXCL) + close of a new file (incl. name format)");
	t0 = kbench_now();
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "/vb/files/f%llu",
		    (unsigned long long)i);
		kern_unlink(name);
	}
	t1 = kbench_now();
	kbench_report("vfs_unlink", t1 - t0, n,
	    "unlink of a file (incl. name format)");
}

KBENCH(vfs_rw4k, "4 KiB pread and pwrite of a cached file")
{
	static char buf[4096];
	uint64_t n = 5000, t0;
	size_t done;
	int fd;

	vb_setup();
	if (kern_open("/vb/rw", O_CREAT | O_RDWR, 0644, &fd) != 0)
		return;
	kern_pwrite(fd, buf, sizeof(buf), 0, &done);
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++)
		kern_pread(fd, buf, sizeof(buf), 0, &done);
	kbench_report("vfs_read4k", kbench_now() - t0, n,
	    "pread 4 KiB at offset 0 of a resident file");
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++)
		kern_pwrite(fd, buf, sizeof(buf), 0, &done);
	kbench_report("vfs_write4k", kbench_now() - t0, n,
	    "pwrite 4 KiB at offset 0 of a resident file (overwrite)");
	kern_close(fd);
}

KBENCH(vfs_nchit, "nlookup of one component: namecache hit and miss")
{
	struct nlookupdata nd;
	char name[32];
	uint64_t n = 5000, t0;
	uint64_t i;

	vb_setup();
	t0 = kbench_now();
	for (i = 0; i < n; i++) {
		if (nlookup_init(&nd, "/vb", 0) == 0)
			nlookup(&nd);
		nlookup_done(&nd);
	}
	kbench_report("nc_hit", kbench_now() - t0, n,
	    "nlookup /vb (positive entry cached)");
	t0 = kbench_now();
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "/vb/m%llu",
		    (unsigned long long)i);
		if (nlookup_init(&nd, name, 0) == 0)
			nlookup(&nd);
		nlookup_done(&nd);
	}
	kbench_report("nc_miss", kbench_now() - t0, n,
	    "nlookup /vb/mN, new name: entry created, VOP_NRESOLVE, ENOENT "
	    "(incl. name format)");
}

KBENCH(vfs_queued, "stat and create on a tmpfs whose VOPs all go to its service thread")
{
	struct stat st;
	char name[32];
	uint64_t n = 2000, t0, i;
	int fd;

	if (kern_mkdir("/vq", 0755) != 0 ||
	    kern_mount("tmpfs", "bench", "/vq", "fast=none") != 0)
		return;
	(void)kern_mkdir("/vq/a", 0755);
	(void)kern_mkdir("/vq/a/b", 0755);
	(void)kern_mkdir("/vq/a/b/c", 0755);
	(void)kern_mkdir("/vq/a/b/c/d", 0755);
	if (kern_open("/vq/a/b/c/d/e", O_CREAT | O_WRONLY, 0644, &fd) == 0)
		kern_close(fd);
	kern_stat("/vq/a/b/c/d/e", &st);
	t0 = kbench_now();
	for (i = 0; i < n; i++)
		kern_stat("/vq/a/b/c/d/e", &st);
	kbench_report("vfs_stat_queued", kbench_now() - t0, n,
	    "stat /vq/a/b/c/d/e, tmpfs fast=none (GETATTR via the thread)");
	t0 = kbench_now();
	for (i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "/vq/f%llu",
		    (unsigned long long)i);
		if (kern_open(name, O_CREAT | O_EXCL | O_WRONLY, 0644,
		    &fd) == 0)
			kern_close(fd);
	}
	kbench_report("vfs_create_queued", kbench_now() - t0, n,
	    "create + close, tmpfs fast=none (every VOP via the thread)");
}
