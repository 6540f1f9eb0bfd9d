/*
 * In-kernel tests of rename (kern_rename, cache_rename, the filesystem's
 * VOP_NRENAME).
 *
 *   rn_file		file over file: the target is replaced atomically,
 *			an open descriptor of the old target still reads it
 *   rn_dir		directory over an empty directory; over a full one
 *			(ENOTEMPTY); type mismatches (EISDIR, ENOTDIR);
 *			".." and link counts follow the move
 *   rn_subtree		a directory into its own subtree is EINVAL
 *   rn_xdev		across mounts is EXDEV
 *   rn_cwd		a current directory inside a moved tree follows it
 *   rn_same		renaming a name to itself or to another name of the
 *			same file does nothing
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

KTEST(rn_file, "rename file over file: atomic replace, the old target stays readable while open")
{
	struct stat st, st2;
	char buf[16];
	size_t n;
	int fd;

	KT_ASSERT_EQ(kern_mkdir("/rf", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rf/a", "AAAA"), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rf/b", "BB"), 0);
	KT_ASSERT_EQ(kern_stat("/rf/a", &st), 0);
	KT_ASSERT_EQ(kern_open("/rf/b", O_RDONLY, 0, &fd), 0);
	KT_ASSERT_EQ(kern_rename("/rf/a", "/rf/b"), 0);
	KT_CHECK(kern_stat("/rf/a", &st2) == ENOENT);
	KT_CHECK(kern_stat("/rf/b", &st2) == 0 && st2.st_ino == st.st_ino);
	KT_CHECK(vtu_holds("/rf/b", "AAAA"));
	/* The replaced file lives on through the descriptor. */
	KT_CHECK(kern_read(fd, buf, sizeof(buf), &n) == 0 && n == 2 &&
	    memcmp(buf, "BB", 2) == 0);
	KT_CHECK(kern_fstat(fd, &st2) == 0 && st2.st_nlink == 0);
	KT_CHECK(kern_close(fd) == 0);
	/* Into another directory, and back. */
	KT_ASSERT_EQ(kern_mkdir("/rf/d", 0755), 0);
	KT_CHECK(kern_rename("/rf/b", "/rf/d/c") == 0);
	KT_CHECK(vtu_holds("/rf/d/c", "AAAA"));
	KT_CHECK(kern_stat("/rf/b", &st2) == ENOENT);
	KT_CHECK(kern_rename("/rf/d/c", "/rf/b") == 0);
	KT_CHECK(vtu_holds("/rf/b", "AAAA"));
	/* Errors. */
	KT_CHECK(kern_rename("/rf/none", "/rf/x") == ENOENT);
	KT_CHECK(kern_rename("/rf/b", "/rf/none/x") == ENOENT);
	KT_CHECK(kern_rename("/rf/b", "/rf/b/x") == ENOTDIR);
	KT_CHECK(vtu_holds("/rf/b", "AAAA"));
}

KTEST(rn_dir, "rename directories: over empty dir, ENOTEMPTY, EISDIR, ENOTDIR, '..' and link counts")
{
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/rd", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rd/p1", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rd/p2", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rd/p1/d", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rd/p1/d/f", "in d"), 0);
	KT_ASSERT_EQ(kern_mkdir("/rd/p2/empty", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rd/p2/full", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rd/p2/full/x", NULL), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rd/p2/file", NULL), 0);
	KT_CHECK(vtu_nlink("/rd/p1") == 3 && vtu_nlink("/rd/p2") == 4);
	KT_CHECK(kern_rename("/rd/p1/d", "/rd/p2/full") == ENOTEMPTY);
	KT_CHECK(kern_rename("/rd/p1/d", "/rd/p2/file") == ENOTDIR);
	KT_CHECK(kern_rename("/rd/p2/file", "/rd/p2/empty") == EISDIR);
	KT_CHECK(vtu_holds("/rd/p1/d/f", "in d"));
	/* Directory over an empty directory. */
	KT_ASSERT_EQ(kern_rename("/rd/p1/d", "/rd/p2/empty"), 0);
	KT_CHECK(kern_stat("/rd/p1/d", &st) == ENOENT);
	KT_CHECK(vtu_holds("/rd/p2/empty/f", "in d"));
	KT_CHECK(vtu_nlink("/rd/p1") == 2 && vtu_nlink("/rd/p2") == 4);
	/* ".." of the moved directory is its new parent. */
	KT_CHECK(kern_stat("/rd/p2/empty/..", &st) == 0);
	{
		struct stat pst;

		KT_CHECK(kern_stat("/rd/p2", &pst) == 0 &&
		    pst.st_ino == st.st_ino);
	}
	/* Plain move of a directory into another: counts move too. */
	KT_ASSERT_EQ(kern_rename("/rd/p2/empty", "/rd/p1/back"), 0);
	KT_CHECK(vtu_nlink("/rd/p1") == 3 && vtu_nlink("/rd/p2") == 3);
	KT_CHECK(vtu_holds("/rd/p1/back/f", "in d"));
	/* The old name, cached negative, does not resolve. */
	KT_CHECK(kern_stat("/rd/p2/empty/f", &st) == ENOENT);
}

KTEST(rn_subtree, "rename a directory into its own subtree: EINVAL, nothing changes")
{
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/rs", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rs/a", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rs/a/b", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rs/a/b/c", 0755), 0);
	KT_CHECK(kern_rename("/rs/a", "/rs/a/b/c/d") == EINVAL);
	KT_CHECK(kern_rename("/rs/a", "/rs/a/b/x") == EINVAL);
	KT_CHECK(kern_rename("/rs/a", "/rs/a/b") == EINVAL);
	KT_CHECK(kern_rename("/rs/a/b", "/rs/a/b/c/x") == EINVAL);
	KT_CHECK(kern_stat("/rs/a/b/c", &st) == 0);
	/* Through a symlinked path too. */
	KT_ASSERT_EQ(kern_symlink("/rs/a/b", "/rs/lnk"), 0);
	KT_CHECK(kern_rename("/rs/a", "/rs/lnk/y") == EINVAL);
	/* Upwards is fine. */
	KT_CHECK(kern_rename("/rs/a/b/c", "/rs/c") == 0);
	KT_CHECK(kern_stat("/rs/c", &st) == 0 && S_ISDIR(st.st_mode));
}

KTEST(rn_xdev, "rename and link across mounts: EXDEV, nothing moves")
{
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/rx", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rx/mnt", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rx/f", "x"), 0);
	KT_ASSERT_EQ(kern_mkdir("/rx/d", 0755), 0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "", "/rx/mnt", ""), 0);
	KT_CHECK(kern_rename("/rx/f", "/rx/mnt/f") == EXDEV);
	KT_CHECK(kern_rename("/rx/d", "/rx/mnt/d") == EXDEV);
	KT_CHECK(kern_link("/rx/f", "/rx/mnt/f") == EXDEV);
	KT_CHECK(kern_stat("/rx/f", &st) == 0 && kern_stat("/rx/d", &st) == 0);
	KT_CHECK(kern_stat("/rx/mnt/f", &st) == ENOENT);
	KT_ASSERT_EQ(vtu_mkfile("/rx/mnt/g", "y"), 0);
	KT_CHECK(kern_rename("/rx/mnt/g", "/rx/g") == EXDEV);
	KT_CHECK(kern_unlink("/rx/mnt/g") == 0);
	KT_CHECK(kern_unmount("/rx/mnt") == 0);
}

KTEST(rn_cwd, "a current directory inside a renamed tree follows it (getcwd, relative lookups)")
{
	char buf[64];
	struct stat st;

	KT_ASSERT_EQ(kern_mkdir("/rc", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rc/old", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/rc/old/sub", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rc/old/sub/f", "f"), 0);
	KT_ASSERT_EQ(kern_chdir("/rc/old/sub"), 0);
	KT_ASSERT_EQ(kern_rename("/rc/old", "/rc/new"), 0);
	KT_CHECK(kern_getcwd(buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "/rc/new/sub") == 0);
	KT_CHECK(vtu_holds("f", "f"));
	KT_CHECK(kern_stat("../../new", &st) == 0);
	KT_CHECK(kern_stat("../../old", &st) == ENOENT);
	/* Its directory removed, the cwd resolves nothing new. */
	KT_ASSERT_EQ(kern_unlink("f"), 0);
	KT_ASSERT_EQ(kern_rmdir("/rc/new/sub"), 0);
	KT_CHECK(vtu_mkfile("g", NULL) == ENOENT);
	KT_ASSERT_EQ(kern_chdir("/"), 0);
}

KTEST(rn_same, "rename to itself or to another link of the same file does nothing")
{
	KT_ASSERT_EQ(kern_mkdir("/rm", 0755), 0);
	KT_ASSERT_EQ(vtu_mkfile("/rm/a", "a"), 0);
	KT_CHECK(kern_rename("/rm/a", "/rm/a") == 0);
	KT_CHECK(vtu_holds("/rm/a", "a"));
	KT_ASSERT_EQ(kern_link("/rm/a", "/rm/b"), 0);
	KT_CHECK(vtu_nlink("/rm/a") == 2);
	KT_CHECK(kern_rename("/rm/a", "/rm/b") == 0);
	KT_CHECK(vtu_holds("/rm/a", "a") && vtu_holds("/rm/b", "a"));
	KT_CHECK(vtu_nlink("/rm/b") == 2);
	KT_ASSERT_EQ(kern_mkdir("/rm/d", 0755), 0);
	KT_CHECK(kern_rename("/rm/d", "/rm/d") == 0);
	/* POSIX allows EINVAL or EBUSY for a "." target. */
	{
		int e = kern_rename("/rm/d", "/rm/d/.");

		KT_CHECK(e == EINVAL || e == EBUSY);
	}
}
