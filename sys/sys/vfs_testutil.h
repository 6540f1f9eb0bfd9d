/*
 * Helpers shared by the in-kernel VFS tests (sys/kern/vfs_testutil.c):
 * make a file holding some text, check what a file holds, one field of
 * a path's lstat, walk the records of a directory, remove a tree, start
 * a test in a fresh directory.  Test code only: nothing but *_test.c
 * files and test helpers uses them.
 *
 * Every helper works through the kern_* file API in the calling
 * thread's process (its descriptor table, credentials, root and current
 * directory), may block, returns errno values (or says what it returns
 * instead), asserts nothing and leaves no descriptor open.
 */
#ifndef _SYS_VFS_TESTUTIL_H_
#define _SYS_VFS_TESTUTIL_H_

#include <sys/types.h>

struct dirent;
struct mount;

/* --- files --- */

/*
 * Open path with O_WRONLY | oflags (mode is used if the open creates
 * it), write len bytes of data unless data is NULL, close.  A short
 * write is EIO.
 */
int	vtu_writefile(const char *path, int oflags, int mode,
	    const void *data, size_t len);
/* A new file (O_CREAT | O_EXCL, 0644) holding text; text NULL: empty. */
int	vtu_mkfile(const char *path, const char *text);
/* Create or truncate path (mode if created) and write text into it. */
int	vtu_putfile(const char *path, const char *text, int mode);
/*
 * 0 if path holds exactly the len bytes at data; the error of open or
 * read; EIO if the contents differ (or the file is longer or shorter).
 */
int	vtu_cmpfile(const char *path, const void *data, size_t len);
/* True if path holds exactly text. */
bool	vtu_holds(const char *path, const char *text);

/* --- one field of lstat (a final symlink is not followed) --- */

bool	vtu_exists(const char *path);
/* st_nlink, or -1 if path cannot be lstat'ed. */
int	vtu_nlink(const char *path);
/* st_size, or -1. */
int64_t	vtu_size(const char *path);
/*
 * Which file path names: the same value for two paths exactly when they
 * name the same file (st_dev and st_ino, both in one number); 0 if path
 * cannot be lstat'ed.
 */
uint64_t vtu_fileid(const char *path);
/* The mount path lies in (symlinks followed); no reference is kept. */
struct mount *vtu_mountof(const char *path);

/* --- directories --- */

#define VTU_READDIR_BUFSIZE	2048	/* bytes per kern_readdir call */
#define VTU_READDIR_MAXCALLS	4096	/* more: the listing never ends */

/*
 * Call fn(dp, arg) for each record of directory dir except "." and
 * "..", in the order kern_readdir gives them, reading VTU_READDIR_BUFSIZE
 * bytes per call.  A nonzero result of fn stops the walk and is
 * returned.  fn may be NULL (count only).  *countp (if not NULL) is set
 * to the number of records handed to fn, also on an error.
 *
 * Errors: those of open and kern_readdir, ENOMEM, and EIO for a
 * malformed record (a length that is not DIRENT_RECLEN(d_namlen), that
 * runs past the data, a name without its NUL) or a listing that needs
 * more than VTU_READDIR_MAXCALLS calls: a broken readdir fails the test
 * instead of hanging it.
 *
 * NOTE: dp points into a buffer that the next call of kern_readdir
 * overwrites; fn copies what it keeps.  fn may change the directory
 * (vtu_rmtree removes each child as it sees it); what the rest of the
 * walk then shows is the filesystem's readdir-under-change behaviour.
 */
int	vtu_readdir_each(const char *dir,
	    int (*fn)(const struct dirent *dp, void *arg), void *arg,
	    int *countp);
/*
 * The same for every record, "." and ".." included, with bufsize bytes
 * per kern_readdir call (a small buffer makes many calls).
 */
int	vtu_readdir_all(const char *dir, size_t bufsize,
	    int (*fn)(const struct dirent *dp, void *arg), void *arg,
	    int *countp);

/*
 * Remove path and everything below it; symlinks are removed, not
 * followed.  Returns ENOENT if path does not exist, else the result of
 * the final kern_unlink or kern_rmdir of path itself (so a mount point
 * below path, emptied but still mounted, shows as ENOTEMPTY or EBUSY).
 */
int	vtu_rmtree(const char *path);
/* A fresh, empty test directory: vtu_rmtree, then kern_mkdir 0755. */
int	vtu_begin(const char *dir);

/* True under KVM (CPUID signature): size volume tests down there. */
bool	vtu_kvm(void);

#endif /* !_SYS_VFS_TESTUTIL_H_ */
