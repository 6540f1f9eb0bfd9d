/*
 * In-kernel tests of nullfs (null_vfsops.c, null_vnops.c), through the
 * kern_* file API.  Each test builds its own lower tree in the root
 * tmpfs (lower/a = "alpha", lower/d/f = "foxtrot", lower/l -> a, and an
 * empty lower/e), mounts layers on it and checks at the end that the
 * layers' vnodes are all gone again.
 *
 *   nullfs_ro		a read-only layer refuses every kind of change with
 *			EROFS (open for write, create, mkdir, unlink, rmdir,
 *			rename, link, symlink, truncate, chmod, chown) and
 *			nothing changes below; reads, stat, readdir and
 *			readlink show the lower files
 *   nullfs_rw		changes through the layer appear below and changes
 *			below appear through the layer, including names
 *			both sides had already looked up
 *   nullfs_samevnode	the same lower file opened twice through the layer
 *			(also by two names: hard links, "..") gives the
 *			same upper vnode, which wraps the lower one
 *   nullfs_busy	a layer in use cannot be unmounted, nor can the
 *			filesystem below a layer; unmount returns every
 *			vnode
 *   nullfs_stack	layers on layers: reads through two levels, writes
 *			through a rw layer over a rw layer, EROFS from a ro
 *			layer over a rw one
 *   nullfs_nofast	the same with "nofast" (service threads), a nofast
 *			layer on a nofast layer (no deadlock), and the
 *			counters showing where operations ran
 *   nullfs_devfs	a layer over /dev: device I/O passes through, a
 *			device made or destroyed below shows through the
 *			layer at once; the ro layer refuses writes
 *   nullfs_hostile	bad sources and options fail cleanly; a layer
 *			mounted on its own source directory works
 *   nullfs_stress	every CPU opens, reads, creates and removes files
 *			through one layer while the namecache is pruned
 *			(upper vnodes die and are recreated under lookups);
 *			no error, one upper vnode per lower file at any
 *			time, no leak
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
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/kern_syscall.h>
#include <sys/device.h>
#include <sys/vfs_testutil.h>
#include <vfs/nullfs/null.h>

#define SEC		1000000000UL
#define NT_MAXNAMES	16

/* Check that an errno-returning call gives want; say what it gave. */
#define NT_EQ(exp, want) do {						\
	int __e = (exp), __w = (want);					\
	if (__e != __w)							\
		ktest_fail(__FILE__, __LINE__, "%s: %d, not %d", #exp,	\
		    __e, __w);						\
} while (0)

/* --- helpers --- */

/* Append text to the existing file path. */
static int
nt_append(const char *path, const char *text)
{
	return (vtu_writefile(path, O_APPEND, 0, text, strlen(text)));
}

/* The names nt_names collects (the first NT_MAXNAMES). */
struct nt_namelist {
	char	nl_names[NT_MAXNAMES][32];
	int	nl_n;
};

/* vtu_readdir_each callback of nt_names. */
static int
nt_names_add(const struct dirent *dp, void *arg)
{
	struct nt_namelist *nl = arg;

	if (nl->nl_n < NT_MAXNAMES)
		strlcpy(nl->nl_names[nl->nl_n++], dp->d_name,
		    sizeof(nl->nl_names[0]));
	return (0);
}

/* Sorted, comma-joined names of a directory (without . and ..). */
static int
nt_names(const char *path, char *out, size_t outlen)
{
	struct nt_namelist nl;
	char (*names)[32] = nl.nl_names;
	int n, error;

	out[0] = '\0';
	nl.nl_n = 0;
	error = vtu_readdir_each(path, nt_names_add, &nl, NULL);
	n = nl.nl_n;
	for (int i = 1; i < n; i++) {		/* insertion sort */
		char t[32];
		int j;

		strlcpy(t, names[i], sizeof(t));
		for (j = i; j > 0 && strcmp(names[j - 1], t) > 0; j--)
			strlcpy(names[j], names[j - 1], sizeof(t));
		strlcpy(names[j], t, sizeof(t));
	}
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strlcpy(out + strlen(out), ",", outlen - strlen(out));
		strlcpy(out + strlen(out), names[i], outlen - strlen(out));
	}
	return (error);
}

/* The vnode an open descriptor refers to (no reference kept). */
static struct vnode *
nt_fdvp(int fd)
{
	struct file *fp;
	struct vnode *vp;

	if (fget(curproc, fd, &fp) != 0)
		return (NULL);
	vp = fp->f_vp;
	fdrop(fp);
	return (vp);
}

/* base/lower with a, d/f, l -> a, e/; base/upper empty. */
static int
nt_setup(const char *base)
{
	char p[64];
	int error;

	if ((error = kern_mkdir(base, 0755)) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower", base);
	if ((error = kern_mkdir(p, 0755)) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/upper", base);
	if ((error = kern_mkdir(p, 0755)) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower/a", base);
	if ((error = vtu_mkfile(p, "alpha")) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower/d", base);
	if ((error = kern_mkdir(p, 0755)) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower/e", base);
	if ((error = kern_mkdir(p, 0755)) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower/d/f", base);
	if ((error = vtu_mkfile(p, "foxtrot")) != 0)
		return (error);
	ksnprintf(p, sizeof(p), "%s/lower/l", base);
	return (kern_symlink("a", p));
}

/* --- read-only layer --- */

/* Every kind of change through upper (a ro layer over base/lower). */
static void
nt_check_rofs(const char *up)
{
	char p[64], q[64];
	int fd;

#define P(s)	(ksnprintf(p, sizeof(p), "%s/%s", up, s), p)
#define Q(s)	(ksnprintf(q, sizeof(q), "%s/%s", up, s), q)
	NT_EQ(kern_open(P("a"), O_WRONLY, 0, &fd), EROFS);
	NT_EQ(kern_open(P("a"), O_RDWR, 0, &fd), EROFS);
	NT_EQ(kern_open(P("a"), O_WRONLY | O_TRUNC, 0, &fd), EROFS);
	NT_EQ(kern_open(P("a"), O_WRONLY | O_APPEND, 0, &fd), EROFS);
	NT_EQ(kern_open(P("new"), O_CREAT | O_WRONLY, 0644, &fd), EROFS);
	NT_EQ(kern_open(P("new"), O_CREAT | O_RDONLY, 0644, &fd), EROFS);
	NT_EQ(kern_open(P("d/f"), O_RDWR, 0, &fd), EROFS);
	NT_EQ(kern_mkdir(P("nd"), 0755), EROFS);
	NT_EQ(kern_mkdir(P("d/nd"), 0755), EROFS);
	NT_EQ(kern_unlink(P("a")), EROFS);
	NT_EQ(kern_unlink(P("l")), EROFS);
	NT_EQ(kern_unlink(P("d/f")), EROFS);
	NT_EQ(kern_rmdir(P("e")), EROFS);
	NT_EQ(kern_rename(P("a"), Q("b")), EROFS);
	NT_EQ(kern_rename(P("a"), Q("d/f")), EROFS);
	NT_EQ(kern_rename(P("e"), Q("d/e")), EROFS);
	NT_EQ(kern_link(P("a"), Q("a2")), EROFS);
	NT_EQ(kern_symlink("a", P("sl")), EROFS);
	NT_EQ(kern_truncate(P("a"), 0), EROFS);
	NT_EQ(kern_truncate(P("a"), 100), EROFS);
	NT_EQ(kern_chmod(P("a"), 0600), EROFS);
	NT_EQ(kern_chmod(P("d"), 0700), EROFS);
	NT_EQ(kern_chmod(up, 0700), EROFS);
	NT_EQ(kern_chown(P("a"), 1, 1), EROFS);
#undef P
#undef Q
}

/* The layer shows base/lower as set up by nt_setup. */
static void
nt_check_reads(const char *up, const char *low)
{
	struct stat su, sl, sroot;
	char p[64], q[64], buf[32], names[128];
	size_t done;

#define P(s)	(ksnprintf(p, sizeof(p), "%s/%s", up, s), p)
#define L(s)	(ksnprintf(q, sizeof(q), "%s/%s", low, s), q)
	KT_CHECK(vtu_holds(P("a"), "alpha"));
	KT_CHECK(vtu_holds(P("d/f"), "foxtrot"));
	KT_CHECK(vtu_holds(P("l"), "alpha"));
	KT_CHECK(vtu_holds(P("d/../a"), "alpha"));
	KT_CHECK(kern_readlink(P("l"), buf, sizeof(buf), &done) == 0 &&
	    done == 1 && buf[0] == 'a');
	NT_EQ(kern_readlink(P("a"), buf, sizeof(buf), &done), EINVAL);
	KT_CHECK(kern_stat(up, &sroot) == 0 && S_ISDIR(sroot.st_mode));
	KT_CHECK(kern_stat(P("a"), &su) == 0 && kern_stat(L("a"), &sl) == 0);
	KT_CHECK(S_ISREG(su.st_mode) && su.st_size == 5);
	KT_CHECK(su.st_ino == sl.st_ino && su.st_mode == sl.st_mode &&
	    su.st_nlink == sl.st_nlink && su.st_size == sl.st_size);
	KT_CHECK(su.st_dev == sroot.st_dev && su.st_dev != sl.st_dev);
	KT_CHECK(kern_lstat(P("l"), &su) == 0 && S_ISLNK(su.st_mode));
	KT_CHECK(kern_stat(P("d"), &su) == 0 && S_ISDIR(su.st_mode));
	NT_EQ(kern_stat(P("nonesuch"), &su), ENOENT);
	NT_EQ(kern_stat(P("a/x"), &su), ENOTDIR);
	NT_EQ(nt_names(up, names, sizeof(names)), 0);
	KT_CHECK(strcmp(names, "a,d,e,l") == 0);
	NT_EQ(nt_names(P("d"), names, sizeof(names)), 0);
	KT_CHECK(strcmp(names, "f") == 0);
#undef P
#undef L
}

KTEST(nullfs_ro, "a read-only layer refuses every change with EROFS, nothing changes below, reads go through")
{
	struct stat st0, st1;
	char names[128];
	int base = nullfs_node_count();

	KT_ASSERT_EQ(nt_setup("/nft_ro"), 0);
	KT_ASSERT_EQ(kern_stat("/nft_ro/lower/a", &st0), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_ro/lower", "/nft_ro/upper",
	    "ro"), 0);
	KT_CHECK(nullfs_node_count() == base + 1);	/* its root */
	nt_check_reads("/nft_ro/upper", "/nft_ro/lower");
	nt_check_rofs("/nft_ro/upper");
	/* Nothing changed underneath. */
	KT_CHECK(nt_names("/nft_ro/lower", names, sizeof(names)) == 0 &&
	    strcmp(names, "a,d,e,l") == 0);
	KT_CHECK(nt_names("/nft_ro/lower/d", names, sizeof(names)) == 0 &&
	    strcmp(names, "f") == 0);
	KT_CHECK(vtu_holds("/nft_ro/lower/a", "alpha"));
	NT_EQ(kern_stat("/nft_ro/lower/a", &st1), 0);
	KT_CHECK(st1.st_mode == st0.st_mode && st1.st_uid == st0.st_uid &&
	    st1.st_size == 5 && st1.st_nlink == 1);
	/* The reads did go through (and still do after the refusals). */
	nt_check_reads("/nft_ro/upper", "/nft_ro/lower");
	NT_EQ(kern_unmount("/nft_ro/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
	/* The covered directory is back. */
	KT_CHECK(nt_names("/nft_ro/upper", names, sizeof(names)) == 0 &&
	    names[0] == '\0');
}

/* --- read-write coherence --- */

/*
 * Changes through up appear in low and the reverse; both sides look
 * every name up before it changes, so that cached answers (positive and
 * negative) are put to the test.
 */
static void
nt_check_coherent(const char *up, const char *low)
{
	struct stat su, sl;
	char p[64], q[64], p2[64], q2[64], buf[32];
	size_t done;

	/* One buffer per macro: two uses in one call must not share. */
#define P(s)	(ksnprintf(p, sizeof(p), "%s/%s", up, s), p)
#define L(s)	(ksnprintf(q, sizeof(q), "%s/%s", low, s), q)
#define P2(s)	(ksnprintf(p2, sizeof(p2), "%s/%s", up, s), p2)
#define L2(s)	(ksnprintf(q2, sizeof(q2), "%s/%s", low, s), q2)
	/* Upper to lower. */
	NT_EQ(kern_stat(P("n1"), &su), ENOENT);
	NT_EQ(kern_stat(L("n1"), &sl), ENOENT);
	NT_EQ(vtu_mkfile(P("n1"), "one"), 0);
	KT_CHECK(vtu_holds(L("n1"), "one"));
	NT_EQ(nt_append(P("n1"), "+up"), 0);
	KT_CHECK(vtu_holds(L("n1"), "one+up"));
	KT_CHECK(kern_stat(P("n1"), &su) == 0 && kern_stat(L("n1"), &sl) == 0 &&
	    su.st_ino == sl.st_ino && su.st_size == 6 && sl.st_size == 6);
	NT_EQ(kern_stat(L("n2"), &sl), ENOENT);
	NT_EQ(kern_rename(P("n1"), P2("n2")), 0);
	NT_EQ(kern_stat(L("n1"), &sl), ENOENT);
	KT_CHECK(vtu_holds(L("n2"), "one+up"));
	NT_EQ(kern_chmod(P("n2"), 0600), 0);
	KT_CHECK(kern_stat(L("n2"), &sl) == 0 &&
	    (sl.st_mode & ALLPERMS) == 0600);
	NT_EQ(kern_truncate(P("n2"), 3), 0);
	KT_CHECK(vtu_holds(L("n2"), "one"));
	NT_EQ(kern_link(P("n2"), P2("d/n2link")), 0);
	KT_CHECK(kern_stat(L("d/n2link"), &sl) == 0 && sl.st_nlink == 2);
	NT_EQ(kern_unlink(P("n2")), 0);
	NT_EQ(kern_stat(L("n2"), &sl), ENOENT);
	KT_CHECK(vtu_holds(L("d/n2link"), "one"));
	NT_EQ(kern_unlink(P("d/n2link")), 0);
	NT_EQ(kern_stat(L("d/n2link"), &sl), ENOENT);
	NT_EQ(kern_stat(L("nd"), &sl), ENOENT);
	NT_EQ(kern_mkdir(P("nd"), 0750), 0);
	KT_CHECK(kern_stat(L("nd"), &sl) == 0 && S_ISDIR(sl.st_mode) &&
	    (sl.st_mode & ALLPERMS) == 0750);
	NT_EQ(kern_symlink("../a", P("nd/sl")), 0);
	KT_CHECK(kern_readlink(L("nd/sl"), buf, sizeof(buf), &done) == 0 &&
	    done == 4 && memcmp(buf, "../a", 4) == 0);
	KT_CHECK(vtu_holds(L("nd/sl"), "alpha"));
	NT_EQ(kern_rmdir(P("nd")), ENOTEMPTY);
	NT_EQ(kern_unlink(P("nd/sl")), 0);
	NT_EQ(kern_rmdir(P("nd")), 0);
	NT_EQ(kern_stat(L("nd"), &sl), ENOENT);

	/* Lower to upper. */
	NT_EQ(kern_stat(P("n3"), &su), ENOENT);
	NT_EQ(vtu_mkfile(L("n3"), "three"), 0);
	KT_CHECK(vtu_holds(P("n3"), "three"));
	NT_EQ(nt_append(L("n3"), "+low"), 0);
	KT_CHECK(vtu_holds(P("n3"), "three+low"));
	NT_EQ(kern_stat(P("n4"), &su), ENOENT);
	NT_EQ(kern_rename(L("n3"), L2("n4")), 0);
	NT_EQ(kern_stat(P("n3"), &su), ENOENT);
	KT_CHECK(vtu_holds(P("n4"), "three+low"));
	NT_EQ(kern_chmod(L("n4"), 0604), 0);
	KT_CHECK(kern_stat(P("n4"), &su) == 0 &&
	    (su.st_mode & ALLPERMS) == 0604);
	NT_EQ(kern_unlink(L("n4")), 0);
	NT_EQ(kern_stat(P("n4"), &su), ENOENT);
	NT_EQ(kern_stat(P("e/sub"), &su), ENOENT);
	NT_EQ(kern_mkdir(L("e/sub"), 0755), 0);
	KT_CHECK(kern_stat(P("e/sub"), &su) == 0 && S_ISDIR(su.st_mode));
	NT_EQ(kern_rmdir(L("e/sub")), 0);
	NT_EQ(kern_stat(P("e/sub"), &su), ENOENT);
#undef P
#undef L
#undef P2
#undef L2
}

KTEST(nullfs_rw, "a read-write layer: changes through it appear below, and changes below appear through it")
{
	int base = nullfs_node_count();

	KT_ASSERT_EQ(nt_setup("/nft_rw"), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_rw/lower", "/nft_rw/upper",
	    ""), 0);
	nt_check_reads("/nft_rw/upper", "/nft_rw/lower");
	nt_check_coherent("/nft_rw/upper", "/nft_rw/lower");
	NT_EQ(kern_unmount("/nft_rw/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
}

/* --- one upper vnode per lower vnode --- */

KTEST(nullfs_samevnode, "the same lower file opened twice through the layer gives the same upper vnode")
{
	struct vnode *u1, *u2, *u3, *l1;
	struct mount *ump;
	int fd1, fd2, fd3, fdl, base = nullfs_node_count();

	KT_ASSERT_EQ(nt_setup("/nft_same"), 0);
	KT_ASSERT_EQ(kern_link("/nft_same/lower/a", "/nft_same/lower/d/hard"),
	    0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_same/lower", "/nft_same/upper",
	    ""), 0);
	ump = vtu_mountof("/nft_same/upper");
	KT_ASSERT(ump != NULL && strcmp(ump->mnt_fstype, "nullfs") == 0);

	KT_ASSERT_EQ(kern_open("/nft_same/upper/a", O_RDONLY, 0, &fd1), 0);
	KT_ASSERT_EQ(kern_open("/nft_same/upper/d/../a", O_RDWR, 0, &fd2), 0);
	KT_ASSERT_EQ(kern_open("/nft_same/upper/d/hard", O_RDONLY, 0, &fd3), 0);
	KT_ASSERT_EQ(kern_open("/nft_same/lower/a", O_RDONLY, 0, &fdl), 0);
	u1 = nt_fdvp(fd1);
	u2 = nt_fdvp(fd2);
	u3 = nt_fdvp(fd3);
	l1 = nt_fdvp(fdl);
	KT_ASSERT(u1 != NULL && u2 != NULL && u3 != NULL && l1 != NULL);
	KT_CHECK(u1 == u2);
	KT_CHECK(u1 == u3);		/* a hard link: the same lower vnode */
	KT_CHECK(u1 != l1);
	KT_CHECK(u1->v_mount == ump && l1->v_mount != ump);
	KT_CHECK(u1->v_type == VREG);
	KT_CHECK(NULLVPTOLOWERVP(u1) == l1);
	/* Data written through one is read through the other, and below. */
	{
		char buf[8];
		size_t done;

		NT_EQ(kern_pwrite(fd2, "ALPHA", 5, 0, &done), 0);
		KT_CHECK(kern_read(fd1, buf, sizeof(buf), &done) == 0 &&
		    done == 5 && memcmp(buf, "ALPHA", 5) == 0);
		KT_CHECK(vtu_holds("/nft_same/lower/d/hard", "ALPHA"));
	}
	kern_close(fd1);
	kern_close(fd2);
	kern_close(fd3);
	kern_close(fdl);
	/* Directories too: the root and "d/..". */
	KT_ASSERT_EQ(kern_open("/nft_same/upper", O_RDONLY, 0, &fd1), 0);
	KT_ASSERT_EQ(kern_open("/nft_same/upper/d/..", O_RDONLY, 0, &fd2), 0);
	KT_CHECK(nt_fdvp(fd1) == nt_fdvp(fd2));
	KT_CHECK(nt_fdvp(fd1) == ump->mnt_rootvp);
	KT_CHECK((nt_fdvp(fd1)->v_flag & VF_ROOT) != 0);
	kern_close(fd1);
	kern_close(fd2);
	NT_EQ(kern_unmount("/nft_same/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
}

/* --- busy layers, busy lower filesystems, leaks --- */

KTEST(nullfs_busy, "a layer in use and the filesystem below a layer cannot be unmounted; unmount returns every vnode")
{
	struct stat st;
	int fd, base = nullfs_node_count();

	KT_ASSERT_EQ(kern_mkdir("/nft_busy", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/nft_busy/t", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/nft_busy/upper", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "t", "/nft_busy/t", ""), 0);
	KT_ASSERT_EQ(kern_mkdir("/nft_busy/t/dir", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/nft_busy/t/dir/f", "busy"), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_busy/t/dir", "/nft_busy/upper",
	    ""), 0);
	/* The layer keeps the filesystem below busy. */
	NT_EQ(kern_unmount("/nft_busy/t"), EBUSY);
	/* An open file, then a current directory, keep the layer busy. */
	KT_ASSERT_EQ(kern_open("/nft_busy/upper/f", O_RDONLY, 0, &fd), 0);
	NT_EQ(kern_unmount("/nft_busy/upper"), EBUSY);
	kern_close(fd);
	KT_ASSERT_EQ(kern_chdir("/nft_busy/upper"), 0);
	NT_EQ(kern_unmount("/nft_busy/upper"), EBUSY);
	KT_CHECK(vtu_holds("f", "busy"));
	KT_ASSERT_EQ(kern_chdir("/"), 0);
	/* Many vnodes through the layer, then all returned. */
	for (int i = 0; i < 20; i++) {
		char p[48];

		ksnprintf(p, sizeof(p), "/nft_busy/upper/g%d", i);
		NT_EQ(vtu_mkfile(p, "x"), 0);
		NT_EQ(kern_stat(p, &st), 0);
	}
	KT_CHECK(nullfs_node_count() >= base + 21);
	NT_EQ(kern_unmount("/nft_busy/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
	KT_CHECK(vtu_holds("/nft_busy/t/dir/g19", "x"));
	NT_EQ(kern_unmount("/nft_busy/t"), 0);
	NT_EQ(kern_stat("/nft_busy/t/dir", &st), ENOENT);
}

/* --- stacking --- */

static void
nt_stack(const char *base, const char *opts)
{
	char low[48], u1[48], u2[48], u3[48], names[128];
	int nodes0 = nullfs_node_count();

	ksnprintf(low, sizeof(low), "%s/lower", base);
	ksnprintf(u1, sizeof(u1), "%s/upper", base);
	ksnprintf(u2, sizeof(u2), "%s/u2", base);
	ksnprintf(u3, sizeof(u3), "%s/u3", base);
	KT_ASSERT_EQ(nt_setup(base), 0);
	KT_ASSERT_EQ(kern_mkdir(u2, 0755), 0);
	KT_ASSERT_EQ(kern_mkdir(u3, 0755), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", low, u1, opts), 0);
	/* A ro layer and a rw layer on the rw layer. */
	{
		char o[32];

		ksnprintf(o, sizeof(o), "ro%s%s", opts[0] != '\0' ? "," : "",
		    opts);
		KT_ASSERT_EQ(kern_mount("nullfs", u1, u2, o), 0);
	}
	KT_ASSERT_EQ(kern_mount("nullfs", u1, u3, opts), 0);
	nt_check_reads(u2, low);
	nt_check_reads(u3, low);
	nt_check_rofs(u2);
	/* Changes through the top rw layer, seen everywhere. */
	nt_check_coherent(u3, low);
	nt_check_coherent(u3, u1);
	KT_CHECK(nt_names(u2, names, sizeof(names)) == 0 &&
	    strcmp(names, "a,d,e,l") == 0);
	/* The middle layer is busy while layers sit on it. */
	NT_EQ(kern_unmount(u1), EBUSY);
	NT_EQ(kern_unmount(u2), 0);
	NT_EQ(kern_unmount(u1), EBUSY);
	NT_EQ(kern_unmount(u3), 0);
	NT_EQ(kern_unmount(u1), 0);
	KT_CHECK(nullfs_node_count() == nodes0);
}

KTEST(nullfs_stack, "layers on layers: reads through two levels, rw over rw, EROFS from ro over rw")
{
	nt_stack("/nft_stack", "");
}

KTEST(nullfs_nofast, "nofast layers run in service threads, stacked too, with the same results")
{
	struct mount *mp;
	uint64_t q0;
	int base = nullfs_node_count();

	/* Where operations run: the default layer never queues. */
	KT_ASSERT_EQ(nt_setup("/nft_q"), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_q/lower", "/nft_q/upper", ""),
	    0);
	mp = vtu_mountof("/nft_q/upper");
	KT_ASSERT(mp != NULL);
	q0 = mp->mnt_nqueued;
	nt_check_reads("/nft_q/upper", "/nft_q/lower");
	KT_CHECK(mp->mnt_nqueued == q0 && mp->mnt_nfast > 0);
	NT_EQ(kern_unmount("/nft_q/upper"), 0);
	/* nofast: everything goes through the service thread. */
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_q/lower", "/nft_q/upper",
	    "nofast"), 0);
	mp = vtu_mountof("/nft_q/upper");
	KT_ASSERT(mp != NULL);
	nt_check_reads("/nft_q/upper", "/nft_q/lower");
	nt_check_coherent("/nft_q/upper", "/nft_q/lower");
	KT_CHECK(mp->mnt_nqueued > 0 && mp->mnt_nfast == 0);
	NT_EQ(kern_unmount("/nft_q/upper"), 0);
	/* Several service threads. */
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_q/lower", "/nft_q/upper",
	    "nofast,threads=3"), 0);
	nt_check_coherent("/nft_q/upper", "/nft_q/lower");
	NT_EQ(kern_unmount("/nft_q/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
	/* nofast layers on a nofast layer: service threads wait in a chain. */
	nt_stack("/nft_qstack", "nofast");
}

/* --- over devfs --- */

KTEST(nullfs_devfs, "a layer over /dev passes device I/O through, shows devices coming and going; a ro one refuses writes")
{
	static const struct cdevsw nt_cdevsw = { .d_name = "ntdev" };
	struct stat sd, su;
	struct cdev *dev;
	char buf[16];
	size_t done;
	int fd, base = nullfs_node_count();

	KT_ASSERT_EQ(kern_mkdir("/nft_dev", 0755), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/dev", "/nft_dev", "ro"), 0);
	KT_CHECK(kern_stat("/dev/zero", &sd) == 0 &&
	    kern_stat("/nft_dev/zero", &su) == 0);
	KT_CHECK(S_ISCHR(su.st_mode) && su.st_rdev == sd.st_rdev &&
	    su.st_dev != sd.st_dev);
	KT_ASSERT_EQ(kern_open("/nft_dev/zero", O_RDONLY, 0, &fd), 0);
	memset(buf, 1, sizeof(buf));
	KT_CHECK(kern_read(fd, buf, sizeof(buf), &done) == 0 &&
	    done == sizeof(buf) && buf[0] == 0 && buf[15] == 0);
	kern_close(fd);
	NT_EQ(kern_open("/nft_dev/null", O_WRONLY, 0, &fd), EROFS);
	KT_CHECK(kern_open("/nft_dev/x", O_CREAT | O_WRONLY, 0600, &fd) ==
	    EROFS);
	NT_EQ(kern_unmount("/nft_dev"), 0);
	/* Read-write: writes reach the device, namespace rules are devfs's. */
	KT_ASSERT_EQ(kern_mount("nullfs", "/dev", "/nft_dev", ""), 0);
	KT_ASSERT_EQ(kern_open("/nft_dev/null", O_WRONLY, 0, &fd), 0);
	KT_CHECK(kern_write(fd, "gone", 4, &done) == 0 && done == 4);
	kern_close(fd);
	NT_EQ(kern_unlink("/nft_dev/null"), EPERM);
	KT_CHECK(kern_open("/nft_dev/x", O_CREAT | O_WRONLY, 0600, &fd) ==
	    EPERM);
	/* A device made or destroyed below shows at once, cached or not. */
	NT_EQ(kern_stat("/nft_dev/ntdev", &su), ENOENT);
	dev = make_dev(&nt_cdevsw, "ntdev", 0600, 0, 0);
	KT_ASSERT(dev != NULL);
	KT_CHECK(kern_stat("/nft_dev/ntdev", &su) == 0 && S_ISCHR(su.st_mode));
	destroy_dev(dev);
	NT_EQ(kern_stat("/nft_dev/ntdev", &su), ENOENT);
	NT_EQ(kern_stat("/dev/ntdev", &su), ENOENT);
	NT_EQ(kern_unmount("/nft_dev"), 0);
	NT_EQ(kern_rmdir("/nft_dev"), 0);
	KT_CHECK(nullfs_node_count() == base);
}

/* --- hostile input --- */

KTEST(nullfs_hostile, "bad sources and options fail cleanly; a layer on its own source directory works")
{
	char names[128];
	int base = nullfs_node_count();

	KT_ASSERT_EQ(nt_setup("/nft_bad"), 0);
	NT_EQ(kern_mount("nullfs", "", "/nft_bad/upper", ""), EINVAL);
	NT_EQ(kern_mount("nullfs", "/nft_bad/nonesuch", "/nft_bad/upper",
	    ""), ENOENT);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower/a", "/nft_bad/upper",
	    ""), ENOTDIR);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower/a/x", "/nft_bad/upper",
	    ""), ENOTDIR);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/upper",
	    "bogus"), EINVAL);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/upper",
	    "ro,ro,"), 0);
	NT_EQ(kern_unmount("/nft_bad/upper"), 0);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/upper",
	    "ro,nofastx"), EINVAL);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/upper",
	    "threads=x"), EINVAL);
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/lower/a",
	    ""), ENOTDIR);
	/* A source path longer than PATH_MAX. */
	{
		char *longp = kmalloc(PATH_MAX + 16, M_TEMP, 0);

		KT_ASSERT(longp != NULL);
		for (int i = 0; i < PATH_MAX + 8; i++)
			longp[i] = (i % 2 == 0) ? '/' : '.';
		longp[PATH_MAX + 8] = '\0';
		NT_EQ(kern_mount("nullfs", longp, "/nft_bad/upper", ""),
		    ENAMETOOLONG);
		kfree(longp, M_TEMP);
	}
	KT_CHECK(nullfs_node_count() == base);
	/* Through a symlink to the source. */
	KT_ASSERT_EQ(kern_symlink("lower", "/nft_bad/tolower"), 0);
	NT_EQ(kern_mount("nullfs", "/nft_bad/tolower", "/nft_bad/upper",
	    ""), 0);
	KT_CHECK(vtu_holds("/nft_bad/upper/a", "alpha"));
	NT_EQ(kern_unmount("/nft_bad/upper"), 0);
	/* Mounted on its own source: shows what it covers. */
	NT_EQ(kern_mount("nullfs", "/nft_bad/lower", "/nft_bad/lower",
	    ""), 0);
	KT_CHECK(nt_names("/nft_bad/lower", names, sizeof(names)) == 0 &&
	    strcmp(names, "a,d,e,l") == 0);
	NT_EQ(vtu_mkfile("/nft_bad/lower/self", "s"), 0);
	NT_EQ(kern_unmount("/nft_bad/lower"), 0);
	KT_CHECK(vtu_holds("/nft_bad/lower/self", "s"));
	KT_CHECK(nullfs_node_count() == base);
}

/* --- stress --- */

struct nt_stress {
	uint64_t	end;
	volatile int	running;
	volatile int	errors;
	volatile int	ops;
	volatile int	prunes;
	char		first[96];
};

static void
nt_stress_fail(struct nt_stress *s, const char *what, int error)
{
	if (__atomic_fetch_add(&s->errors, 1, __ATOMIC_RELAXED) == 0)
		ksnprintf(s->first, sizeof(s->first), "cpu%d: %s: %d",
		    mycpuid, what, error);
}

static void
nt_stress_worker(void *arg)
{
	struct nt_stress *s = arg;
	struct stat st;
	char p[48];
	int fd1, fd2, i = 0, error;

	ksnprintf(p, sizeof(p), "/nft_st/upper/w%d", mycpuid);
	while (nanouptime() < s->end) {
		/* Two opens of one file at once: one upper vnode. */
		error = kern_open("/nft_st/upper/a", O_RDONLY, 0, &fd1);
		if (error == 0) {
			error = kern_open("/nft_st/upper/d/../a", O_RDONLY, 0,
			    &fd2);
			if (error == 0) {
				if (nt_fdvp(fd1) != nt_fdvp(fd2))
					nt_stress_fail(s, "two vnodes", 0);
				kern_close(fd2);
			}
			kern_close(fd1);
		}
		if (error != 0)
			nt_stress_fail(s, "open", error);
		if (!vtu_holds("/nft_st/upper/d/f", "foxtrot"))
			nt_stress_fail(s, "read", 0);
		/* A private file, created and removed through the layer. */
		if ((i++ & 1) == 0)
			error = vtu_mkfile(p, "w");
		else
			error = kern_unlink(p);
		if (error != 0)
			nt_stress_fail(s, "create/unlink", error);
		if (kern_stat("/nft_st/upper/l", &st) != 0 || st.st_size != 5)
			nt_stress_fail(s, "stat", 0);
		__atomic_add_fetch(&s->ops, 1, __ATOMIC_RELAXED);
		lwkt_yield();		/* no time slices: let the others in */
	}
	if ((i & 1) != 0)
		(void)kern_unlink(p);
	if (__atomic_sub_fetch(&s->running, 1, __ATOMIC_RELEASE) == 0)
		wakeup(s);
}

KTEST_SMP(nullfs_stress, "1,4", "every CPU works through one layer while the namecache is pruned: no error, one vnode per file, no leak")
{
	struct nt_stress *s;
	int base = nullfs_node_count();

	s = kmalloc(sizeof(*s), M_TEMP, M_ZERO);
	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(nt_setup("/nft_st"), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/nft_st/lower", "/nft_st/upper",
	    ""), 0);
	s->end = nanouptime() + 2 * SEC;
	s->running = ncpus;
	for (int cpu = 0; cpu < ncpus; cpu++)
		KT_ASSERT(lwkt_create(nt_stress_worker, s, cpu, TDPRI_KERN, 0,
		    0, "ntstress") != NULL);
	/* Unused entries go, and with them the upper vnodes they held. */
	while (nanouptime() < s->end) {
		cache_prune(-1);
		s->prunes++;
		tsleep(s, 0, "ntprune", 1000000UL);
	}
	while (__atomic_load_n(&s->running, __ATOMIC_ACQUIRE) != 0)
		tsleep(s, 0, "ntstress", 10000000UL);
	ktest_log("%d operations, %d prunes, %d upper vnodes at the end",
	    s->ops, s->prunes, nullfs_node_count() - base);
	if (s->errors != 0)
		ktest_log("first error: %s", s->first);
	KT_CHECK(s->errors == 0);
	KT_CHECK(s->ops > 0);
	NT_EQ(kern_unmount("/nft_st/upper"), 0);
	KT_CHECK(nullfs_node_count() == base);
	kfree(s, M_TEMP);
}

KTEST(nullfs_pinned_mountpoint, "a mount point stays reachable and unmountable when its directory is removed through another namespace")
{
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/pm_lo", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/pm_up", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/pm_lo/d", 0755), 0);
	KT_ASSERT_EQ(kern_mount("nullfs", "/pm_lo", "/pm_up", ""), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "", "/pm_up/d", ""), 0);
	KT_ASSERT_EQ(vtu_mkfile("/pm_up/d/inside", "x"), 0);
	/* In its own namespace the mount point is busy ... */
	KT_CHECK(kern_rmdir("/pm_up/d") == EBUSY);
	/* ... but below, /pm_lo/d is a plain empty directory. */
	KT_ASSERT_EQ(kern_rmdir("/pm_lo/d"), 0);
	KT_CHECK(kern_stat("/pm_lo/d", &st) == ENOENT);
	/* The mount is still where it was, and can be unmounted. */
	KT_CHECK(kern_stat("/pm_up/d/inside", &st) == 0);
	KT_CHECK(kern_unmount("/pm_up/d") == 0);
	/* Uncovered, the upper entry catches up with the lower one. */
	KT_CHECK(kern_stat("/pm_up/d", &st) == ENOENT);
	KT_CHECK(kern_unmount("/pm_up") == 0);
}
