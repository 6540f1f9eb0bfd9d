/*
 * Helpers for the tmpfs in-kernel tests (declared in tmpfs_test.h):
 * fresh mounts, statfs, a cheap self-checking data pattern, file helpers
 * and memory snapshots.  Test code only.  What is not about tmpfs (make
 * a file of some text, link counts, sizes, directory walks) is in
 * <sys/vfs_testutil.h>.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/nlookup.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/ktest.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>
#include <vm/vm_page.h>
#include <machine/cpufunc.h>
#include <vfs/tmpfs/tmpfs.h>
#include <vfs/tmpfs/tmpfs_test.h>

MALLOC_DEFINE(M_TMPFSTEST, "tmpfstest", "tmpfs test buffers");

int
tt_mount(const char *path, const char *opts)
{
	int error;

	error = kern_mkdir(path, 0755);
	if (error != 0 && error != EEXIST)
		return (error);
	return (kern_mount("tmpfs", "tmpfs", path, opts));
}

int
tt_unmount(const char *path)
{
	int error;

	error = kern_unmount(path);
	if (error == 0)
		error = kern_rmdir(path);
	return (error);
}

struct vnode *
tt_vnode(const char *path)
{
	struct vnode *vp;

	if (nlookup_vp(path, true, &vp, NULL) != 0)
		return (NULL);
	return (vp);
}

int
tt_statfs(const char *path, struct statfs *sb)
{
	struct vnode *vp;
	int error;

	vp = tt_vnode(path);
	if (vp == NULL)
		return (ENOENT);
	error = vp->v_mount->mnt_op->vfs_statfs(vp->v_mount, sb);
	vrele(vp);
	return (error);
}

/* Under KVM?  (vtu_kvm, sys/kern/vfs_testutil.c) */
bool
tt_kvm(void)
{
	return (vtu_kvm());
}

uint64_t
tt_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return (x);
}

/*
 * Word j of pattern tag is base(tag) + j * K: one add per word, and every
 * word is odd (base odd, K even), so no word of a pattern is ever zero.
 */
#define TT_K	0x9e3779b97f4a7c16ULL

static inline uint64_t
tt_base(uint64_t tag)
{
	return ((tag * 0xd1b54a32d192ed03ULL) | 1);
}

void
tt_fill(void *buf, size_t len, uint64_t tag)
{
	uint64_t *w = buf, v = tt_base(tag);
	size_t i, n = len / 8;

	for (i = 0; i < n; i++, v += TT_K)
		w[i] = v;
	if ((len & 7) != 0)
		memcpy(&w[n], &v, len & 7);
}

bool
tt_check(const void *buf, size_t len, uint64_t tag)
{
	const uint64_t *w = buf;
	uint64_t v = tt_base(tag);
	size_t i, n = len / 8;

	for (i = 0; i < n; i++, v += TT_K) {
		if (w[i] != v)
			return (false);
	}
	return ((len & 7) == 0 || memcmp(&w[n], &v, len & 7) == 0);
}

/*
 * Comparisons as string instructions: this machine's KVM emulates kernel
 * code one instruction at a time, and a "repe cmpsq" is one instruction
 * however long the buffers are, where a loop costs several per word.
 */
bool
tt_memeq(const void *a, const void *b, size_t len)
{
	const void *p = a, *q = b;
	size_t n = len / 8;
	bool ne;

	if (n > 0) {
		__asm__ __volatile__("repe cmpsq"
		    : "+S"(p), "+D"(q), "+c"(n), "=@ccnz"(ne) : : "memory");
		if (ne)
			return (false);
	}
	return (memcmp((const char *)a + (len & ~(size_t)7),
	    (const char *)b + (len & ~(size_t)7), len & 7) == 0);
}

bool
tt_iszero(const void *buf, size_t len)
{
	const void *p = buf;
	size_t n = len / 8;
	const uint8_t *t;
	bool ne;

	if (n > 0) {
		__asm__ __volatile__("repe scasq"
		    : "+D"(p), "+c"(n), "=@ccnz"(ne) : "a"(0UL) : "memory");
		if (ne)
			return (false);
	}
	for (t = (const uint8_t *)buf + (len & ~(size_t)7);
	    t < (const uint8_t *)buf + len; t++) {
		if (*t != 0)
			return (false);
	}
	return (true);
}

int
tt_mkfile(const char *path, size_t len, uint64_t tag)
{
	void *buf = NULL;
	int error;

	if (len > 0) {
		buf = kmalloc(len, M_TMPFSTEST, 0);
		if (buf == NULL)
			return (ENOMEM);
		tt_fill(buf, len, tag);
	}
	error = vtu_writefile(path, O_CREAT | O_EXCL, 0644, buf, len);
	kfree(buf, M_TMPFSTEST);
	return (error);
}

bool
tt_holds(const char *path, size_t len, uint64_t tag)
{
	uint8_t *buf;
	size_t done;
	bool ok = false;
	int fd;

	buf = kmalloc(len + 16, M_TMPFSTEST, 0);
	if (buf == NULL)
		return (false);
	if (kern_open(path, O_RDONLY, 0, &fd) == 0) {
		ok = kern_read(fd, buf, len + 16, &done) == 0 &&
		    done == len && tt_check(buf, len, tag);
		kern_close(fd);
	}
	kfree(buf, M_TMPFSTEST);
	return (ok);
}

int64_t
tt_blocks(const char *path)
{
	struct stat st;

	return (kern_lstat(path, &st) == 0 ? st.st_blocks : -1);
}

void
tt_mem_get(struct tt_mem *m)
{
	struct malloc_type *types[3] = { M_TMPFS, M_TMPFS_DIRENT,
	    M_TMPFS_RADIX };
	int i;

	for (i = 0; i < 3; i++)
		kmalloc_type_stats(types[i], &m->m_inuse[i], &m->m_memuse[i]);
	m->m_freepages = vm_phys_free_count();
}

bool
tt_mem_same(const struct tt_mem *a, const struct tt_mem *b, size_t slack)
{
	static const char *const names[3] = { "tmpfs", "tmpfs_dirent",
	    "tmpfs_radix" };
	bool same = true;
	int i;

	for (i = 0; i < 3; i++) {
		if (a->m_inuse[i] != b->m_inuse[i] ||
		    a->m_memuse[i] != b->m_memuse[i]) {
			ktest_log("%s: %ld objects / %ld bytes, was %ld / %ld",
			    names[i], b->m_inuse[i], b->m_memuse[i],
			    a->m_inuse[i], a->m_memuse[i]);
			same = false;
		}
	}
	if (b->m_freepages + slack < a->m_freepages) {
		ktest_log("free pages %zu, was %zu", b->m_freepages,
		    a->m_freepages);
		same = false;
	}
	return (same);
}
