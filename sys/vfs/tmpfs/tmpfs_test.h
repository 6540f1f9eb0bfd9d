/*
 * Helpers shared by the tmpfs in-kernel tests (tmpfs_testutil.c).  Test
 * code only: nothing outside the *_test.c files of this directory uses
 * them.
 */
#ifndef _VFS_TMPFS_TMPFS_TEST_H_
#define _VFS_TMPFS_TMPFS_TEST_H_

#include <sys/types.h>
#include <sys/malloc.h>

struct statfs;
struct vnode;

MALLOC_DECLARE(M_TMPFSTEST);

/* Make directory path (if needed) and mount a fresh tmpfs on it. */
int	tt_mount(const char *path, const char *opts);
/* Unmount path and remove the directory. */
int	tt_unmount(const char *path);
/* The filesystem's statfs for the mount that path lies in. */
int	tt_statfs(const char *path, struct statfs *sb);
/* Referenced vnode of path (no final symlink followed), or NULL. */
struct vnode *tt_vnode(const char *path);

/* True when running under KVM (CPUID hypervisor signature). */
bool	tt_kvm(void);
uint64_t tt_rand(uint64_t *state);

/* A recognizable pattern: word j of a buffer tagged tag. */
void	tt_fill(void *buf, size_t len, uint64_t tag);
bool	tt_check(const void *buf, size_t len, uint64_t tag);
bool	tt_iszero(const void *buf, size_t len);
/* len bytes at a and b are equal (string instructions: fast under KVM). */
bool	tt_memeq(const void *a, const void *b, size_t len);

/* Create path holding len bytes of pattern tag (O_EXCL). */
int	tt_mkfile(const char *path, size_t len, uint64_t tag);
/* True if path holds exactly len bytes of pattern tag. */
bool	tt_holds(const char *path, size_t len, uint64_t tag);
/* st_blocks of path (lstat), or -1; vtu_nlink and vtu_size for the rest. */
int64_t	tt_blocks(const char *path);

/* Memory held by tmpfs: its kmalloc types and the free page count. */
struct tt_mem {
	int64_t		m_inuse[3];
	int64_t		m_memuse[3];
	size_t		m_freepages;
};
void	tt_mem_get(struct tt_mem *m);
/* Same kmalloc figures, free pages within slack; logs differences. */
bool	tt_mem_same(const struct tt_mem *a, const struct tt_mem *b,
	    size_t slack);

#endif /* !_VFS_TMPFS_TMPFS_TEST_H_ */
