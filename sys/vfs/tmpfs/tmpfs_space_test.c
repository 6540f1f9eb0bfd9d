/*
 * In-kernel tests of tmpfs storage: large sparse files, running out of
 * space (the mount's limit and the machine's pages) and giving memory
 * back.
 *
 *   tmpfs_large	64 MiB in 16 KiB chunks at random offsets (page
 *			aligned or not) spread over the whole 2^62 range:
 *			everything reads back, the holes around each chunk
 *			read as zeros, st_blocks counts exactly the pages
 *			touched; a truncate into the middle keeps what is
 *			before, and after growing again the cut range and
 *			everything after read as zeros with no new page
 *   tmpfs_enospc_size	size= limit: fill to ENOSPC (the last write short,
 *			the next one refused), existing files intact, writes
 *			that need no page still work, truncate up still
 *			works, names can still be made; unlink gives the
 *			space back; statfs agrees at every step
 *   tmpfs_enospc_vm	nearly all free pages taken with vm_page_alloc
 *			first: writes stop with ENOSPC below the limit,
 *			nothing written before is lost, and writing works
 *			again once the pages are released
 *   tmpfs_memory	a fresh mount used for files, holes, directories,
 *			links, symlinks, renames and an open unlinked file,
 *			then emptied and unmounted: tmpfs's kmalloc counters
 *			return exactly to where they were, and the free page
 *			count to within a small slack (kmalloc's caches)
 *
 * Time.  Under TCG tmpfs_large always moves the full 64 MiB (about a
 * second).  This machine's KVM runs kernel code about a hundred times
 * slower, so under KVM (detected by the CPUID hypervisor signature) the
 * write phase stops after LG_KVM_BUDGET_NS with at least LG_MINCHUNKS
 * chunks; every chunk written is still checked.  The chunk layout is the
 * same either way.  Nothing asserts on time; rates are logged.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/kern_syscall.h>
#include <vm/vm_page.h>
#include <vfs/tmpfs/tmpfs.h>
#include <vfs/tmpfs/tmpfs_test.h>

#define LG_CHUNK	16384
#define LG_TOTAL	((size_t)64 << 20)
#define LG_NCHUNK	(LG_TOTAL / LG_CHUNK)		/* 4096 */
#define LG_SLOT		(TMPFS_MAXFILESIZE / LG_NCHUNK)	/* 2^50 */
#define LG_CUT		5000		/* truncate point inside a chunk */
#define LG_HOLE		1024		/* hole bytes checked per side */
#define LG_KVM_BUDGET_NS 8000000000UL
#define LG_MINCHUNKS	64

/* Pages that [off, off + len) touches. */
static uint64_t
lg_pages(uint64_t off, uint64_t len)
{
	return (((off + len - 1) >> PAGE_SHIFT) - (off >> PAGE_SHIFT) + 1);
}

static uint64_t
ms_since(uint64_t t0)
{
	return ((nanouptime() - t0) / 1000000 + 1);
}

/* Check the pages that the VFS reports for path's mount. */
static bool
lg_used(const char *path, uint64_t pages)
{
	struct statfs sb;

	if (tt_statfs(path, &sb) != 0)
		return (false);
	if (sb.f_blocks - sb.f_bfree != pages)
		ktest_log("statfs: %lu pages used, expected %lu",
		    sb.f_blocks - sb.f_bfree, pages);
	return (sb.f_blocks - sb.f_bfree == pages);
}

/*
 * Chunk c holds the 2048 pattern words that start at word c of one
 * pattern of LG_PATWORDS words: no two chunks hold the same bytes at the
 * same place, and writing or checking a chunk costs one copy or compare
 * (string instructions), not a loop per word.
 */
#define LG_PATWORDS	(LG_NCHUNK + LG_CHUNK / 8)
#define LG_DATA(pat, c)	((const uint8_t *)((pat) + (c)))

/* The state of one run. */
struct lg_run {
	uint64_t	*off;		/* chunk offsets */
	const uint64_t	*pat;		/* the pattern (LG_DATA) */
	uint8_t		*buf;		/* one chunk */
	uint8_t		*hole;		/* LG_HOLE bytes */
	size_t		n;		/* chunks written */
	uint64_t	pages;		/* pages they touch */
	bool		kvm;
	int		fd;
};

/* Lay the chunks out (one per 2^50-byte slot, even ones page aligned). */
static void
lg_layout(struct lg_run *r)
{
	uint64_t seed = 0x243f6a8885a308d3ULL, s = seed;
	size_t c;

	for (c = 0; c < LG_NCHUNK; c++) {
		r->off[c] = c * LG_SLOT + PAGE_SIZE +
		    tt_rand(&s) % (LG_SLOT - 2 * LG_CHUNK - 2 * PAGE_SIZE);
		if ((c & 1) == 0)
			r->off[c] &= ~(uint64_t)PAGE_MASK;
	}
	ktest_log("seed %#lx, %s", seed, r->kvm ? "KVM: time budget" :
	    "full 64 MiB");
}

/* Write the chunks in order (all, or under KVM until the budget ends). */
static void
lg_write(struct lg_run *r)
{
	uint64_t t0 = nanouptime(), end = t0 + LG_KVM_BUDGET_NS;
	struct stat st;
	size_t done, n;

	for (n = 0; n < LG_NCHUNK; n++) {
		if (r->kvm && n >= LG_MINCHUNKS && nanouptime() > end)
			break;
		if (kern_pwrite(r->fd, LG_DATA(r->pat, n), LG_CHUNK,
		    (off_t)r->off[n], &done) != 0 || done != LG_CHUNK) {
			KT_CHECK(done == LG_CHUNK);
			break;
		}
		r->pages += lg_pages(r->off[n], LG_CHUNK);
	}
	r->n = n;
	ktest_log("wrote %zu chunks (%zu KiB) in %lu ms", n,
	    n * LG_CHUNK / 1024, ms_since(t0));
	KT_ASSERT(n >= LG_MINCHUNKS);
	KT_CHECK(kern_fstat(r->fd, &st) == 0 &&
	    (uint64_t)st.st_size == r->off[n - 1] + LG_CHUNK &&
	    (uint64_t)st.st_blocks == r->pages * (PAGE_SIZE / 512));
	KT_CHECK(lg_used("/tlg", r->pages));
}

/* True if [off, off + LG_HOLE) reads as LG_HOLE zero bytes. */
static bool
lg_hole(struct lg_run *r, uint64_t off)
{
	size_t done;

	return (kern_pread(r->fd, r->hole, LG_HOLE, (off_t)off, &done) == 0 &&
	    done == LG_HOLE && tt_iszero(r->hole, LG_HOLE));
}

/* True if chunk c reads back whole (its first len bytes if len given). */
static bool
lg_chunk(struct lg_run *r, size_t c, size_t len)
{
	size_t done;

	return (kern_pread(r->fd, r->buf, LG_CHUNK, (off_t)r->off[c],
	    &done) == 0 && done == len &&
	    tt_memeq(r->buf, LG_DATA(r->pat, c), len));
}

/* Every chunk reads back; the bytes around it are zeros. */
static void
lg_verify(struct lg_run *r)
{
	uint64_t t0 = nanouptime(), *off = r->off;
	size_t c;

	for (c = 0; c < r->n && !ktest_failed(); c++) {
		KT_CHECK(lg_chunk(r, c, LG_CHUNK));
		KT_CHECK(lg_hole(r, off[c] - LG_HOLE));
		if (c + 1 < r->n) {
			KT_CHECK(lg_hole(r, off[c] + LG_CHUNK));
			/* Halfway to the next chunk. */
			KT_CHECK(lg_hole(r, off[c] + LG_CHUNK +
			    (off[c + 1] - off[c] - LG_CHUNK) / 2));
		}
	}
	ktest_log("read back and checked in %lu ms", ms_since(t0));
}

/*
 * Truncate into chunk k = n/2: what is before stays (all chunks under
 * TCG; under KVM, where lg_verify already read them all, every eighth and
 * the last), nothing reads past the cut.  Grow back: no page comes
 * back, and the cut range reads as zeros.
 */
static void
lg_truncate(struct lg_run *r)
{
	uint64_t t0 = nanouptime(), *off = r->off, cut, cutpages = 0;
	size_t c, k = r->n / 2, done;
	struct stat st;

	cut = off[k] + LG_CUT;
	for (c = 0; c < k; c++)
		cutpages += lg_pages(off[c], LG_CHUNK);
	cutpages += lg_pages(off[k], LG_CUT);
	KT_ASSERT_EQ(kern_ftruncate(r->fd, (off_t)cut), 0);
	KT_CHECK(kern_fstat(r->fd, &st) == 0 && (uint64_t)st.st_size == cut &&
	    (uint64_t)st.st_blocks == cutpages * (PAGE_SIZE / 512));
	KT_CHECK(lg_used("/tlg", cutpages));
	for (c = 0; c < k && !ktest_failed(); c += r->kvm ? 8 : 1)
		KT_CHECK(lg_chunk(r, c, LG_CHUNK));
	KT_CHECK(lg_chunk(r, k - 1, LG_CHUNK));
	KT_CHECK(lg_chunk(r, k, LG_CUT));
	KT_CHECK(kern_pread(r->fd, r->buf, LG_CHUNK, (off_t)cut, &done) ==
	    0 && done == 0);

	KT_ASSERT_EQ(kern_ftruncate(r->fd, (off_t)(off[r->n - 1] + LG_CHUNK)),
	    0);
	KT_CHECK(kern_fstat(r->fd, &st) == 0 &&
	    (uint64_t)st.st_blocks == cutpages * (PAGE_SIZE / 512));
	KT_CHECK(kern_pread(r->fd, r->buf, LG_CHUNK, (off_t)off[k], &done) ==
	    0 && done == LG_CHUNK &&
	    tt_memeq(r->buf, LG_DATA(r->pat, k), LG_CUT) &&
	    tt_iszero(r->buf + LG_CUT, LG_CHUNK - LG_CUT));
	for (c = k + 1; c < r->n && !ktest_failed(); c += 1 + r->n / 64) {
		KT_CHECK(kern_pread(r->fd, r->buf, LG_CHUNK, (off_t)off[c],
		    &done) == 0 && done == LG_CHUNK &&
		    tt_iszero(r->buf, LG_CHUNK));
	}
	KT_CHECK(lg_used("/tlg", cutpages));
	ktest_log("truncate phase in %lu ms", ms_since(t0));
}

static void
lg_body(struct lg_run *r)
{
	uint64_t t0;

	lg_layout(r);
	KT_ASSERT_EQ(kern_open("/tlg/f", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &r->fd), 0);
	lg_write(r);
	if (!ktest_failed())
		lg_verify(r);
	if (!ktest_failed())
		lg_truncate(r);
	t0 = nanouptime();
	KT_CHECK(kern_close(r->fd) == 0);
	KT_CHECK(kern_unlink("/tlg/f") == 0);
	KT_CHECK(lg_used("/tlg", 0));
	ktest_log("unlink in %lu ms", ms_since(t0));
}

KTEST_DEFINE(tmpfs_large, "1", 0, 240, "tmpfs large sparse file: 64 MiB at random 64-bit offsets, holes read zero, st_blocks exact, truncate in the middle")
{
	struct lg_run r;
	uint64_t *pat;

	memset(&r, 0, sizeof(r));
	r.kvm = tt_kvm();
	r.off = kmalloc(LG_NCHUNK * sizeof(*r.off), M_TMPFSTEST, 0);
	pat = kmalloc(LG_PATWORDS * sizeof(*pat), M_TMPFSTEST, 0);
	r.buf = kmalloc(LG_CHUNK, M_TMPFSTEST, 0);
	r.hole = kmalloc(LG_HOLE, M_TMPFSTEST, 0);
	KT_ASSERT(r.off != NULL && pat != NULL && r.buf != NULL &&
	    r.hole != NULL);
	tt_fill(pat, LG_PATWORDS * sizeof(*pat), 0x1a);
	r.pat = pat;
	KT_ASSERT_EQ(tt_mount("/tlg", "size=128m"), 0);
	lg_body(&r);
	KT_CHECK(tt_unmount("/tlg") == 0);
	kfree(r.hole, M_TMPFSTEST);
	kfree(r.buf, M_TMPFSTEST);
	kfree(pat, M_TMPFSTEST);
	kfree(r.off, M_TMPFSTEST);
}

/* --- ENOSPC from the size= limit --- */

#define SZ_PAGES	256		/* size=1m */
#define SZ_APAGES	25		/* file a: 100 KiB */

static bool
sz_free(uint64_t pages)
{
	struct statfs sb;

	if (tt_statfs("/tsz", &sb) != 0)
		return (false);
	if (sb.f_bfree != pages)
		ktest_log("f_bfree %lu, expected %lu", sb.f_bfree, pages);
	return (sb.f_blocks == SZ_PAGES && sb.f_bfree == pages);
}

static void
sz_body(uint8_t *buf)
{
	const size_t chunk = 64 * 1024;
	struct stat st;
	size_t done, total;
	int fd, fd2, error;

	KT_CHECK(sz_free(SZ_PAGES));
	KT_ASSERT_EQ(tt_mkfile("/tsz/a", SZ_APAGES * PAGE_SIZE, 1), 0);
	KT_CHECK(sz_free(SZ_PAGES - SZ_APAGES));

	/* Fill: the last write is short, the next one gets ENOSPC. */
	tt_fill(buf, SZ_PAGES * PAGE_SIZE, 2);
	KT_ASSERT_EQ(kern_open("/tsz/b", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &fd), 0);
	total = 0;
	for (;;) {
		error = kern_write(fd, buf + total, chunk, &done);
		total += done;
		if (error != 0 || done < chunk || total > SZ_PAGES * PAGE_SIZE)
			break;
	}
	KT_CHECK(error == 0 && done < chunk);
	KT_CHECK(total == (SZ_PAGES - SZ_APAGES) * PAGE_SIZE);
	KT_CHECK(kern_write(fd, buf + total, chunk, &done) == ENOSPC &&
	    done == 0);
	KT_CHECK(kern_fstat(fd, &st) == 0 && (size_t)st.st_size == total &&
	    (size_t)st.st_blocks == total / 512);
	KT_CHECK(sz_free(0));

	/* Nothing was lost. */
	KT_CHECK(tt_holds("/tsz/a", SZ_APAGES * PAGE_SIZE, 1));
	KT_CHECK(tt_holds("/tsz/b", total, 2));

	/* What needs no page still works. */
	KT_CHECK(kern_pwrite(fd, buf, PAGE_SIZE + 100, 0, &done) == 0 &&
	    done == PAGE_SIZE + 100);
	KT_CHECK(kern_truncate("/tsz/a", 1L << 30) == 0);
	KT_CHECK(tt_blocks("/tsz/a") == SZ_APAGES * (PAGE_SIZE / 512));
	KT_ASSERT_EQ(kern_open("/tsz/a", O_RDWR, 0, &fd2), 0);
	KT_CHECK(kern_pwrite(fd2, "x", 1, 1L << 29, &done) == ENOSPC &&
	    done == 0);
	KT_CHECK(kern_close(fd2) == 0);
	KT_CHECK(kern_truncate("/tsz/a", SZ_APAGES * PAGE_SIZE) == 0);
	KT_CHECK(tt_holds("/tsz/a", SZ_APAGES * PAGE_SIZE, 1));
	KT_CHECK(tt_mkfile("/tsz/empty", 0, 0) == 0);
	KT_CHECK(kern_mkdir("/tsz/dir", 0755) == 0);
	KT_CHECK(kern_symlink("a", "/tsz/link") == 0);
	KT_CHECK(sz_free(0));

	/* Unlink gives the space back; a big write then stops exactly. */
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(kern_unlink("/tsz/b") == 0);
	KT_CHECK(sz_free(SZ_PAGES - SZ_APAGES));
	KT_CHECK(tt_mkfile("/tsz/c", 10 * PAGE_SIZE, 3) == 0);
	KT_CHECK(sz_free(SZ_PAGES - SZ_APAGES - 10));
	KT_ASSERT_EQ(kern_open("/tsz/d", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &fd), 0);
	KT_CHECK(kern_write(fd, buf, SZ_PAGES * PAGE_SIZE, &done) == 0 &&
	    done == (SZ_PAGES - SZ_APAGES - 10) * PAGE_SIZE);
	KT_CHECK(kern_write(fd, buf, 1, &done) == ENOSPC);
	KT_CHECK(sz_free(0));
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(tt_holds("/tsz/d", (SZ_PAGES - SZ_APAGES - 10) * PAGE_SIZE,
	    2));
	KT_CHECK(tt_holds("/tsz/c", 10 * PAGE_SIZE, 3));

	KT_CHECK(kern_unlink("/tsz/d") == 0 && kern_unlink("/tsz/c") == 0);
	KT_CHECK(kern_unlink("/tsz/a") == 0 && kern_unlink("/tsz/empty") == 0);
	KT_CHECK(kern_unlink("/tsz/link") == 0 && kern_rmdir("/tsz/dir") == 0);
	KT_CHECK(sz_free(SZ_PAGES));
}

KTEST(tmpfs_enospc_size, "tmpfs size= limit: fill to ENOSPC, files intact, no-alloc writes still work, unlink frees, statfs agrees")
{
	uint8_t *buf;

	buf = kmalloc(SZ_PAGES * PAGE_SIZE, M_TMPFSTEST, 0);
	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(tt_mount("/tsz", "size=1m"), 0);
	sz_body(buf);
	KT_CHECK(tt_unmount("/tsz") == 0);
	kfree(buf, M_TMPFSTEST);
}

/* --- ENOSPC when the machine runs out of pages --- */

#define VMX_KEEP	256		/* pages left free */
#define VMX_RUN		1024		/* pages per contiguous grab */
#define VMX_BUF		((size_t)4 << 20)

/* Grabbed runs are chained through their first words. */
struct vmx_link {
	vm_paddr_t	vl_next;
	size_t		vl_npages;
};

static vm_paddr_t
vmx_grab(size_t keep, size_t *grabbed)
{
	vm_paddr_t head = (vm_paddr_t)-1;
	struct vm_page *m;
	struct vmx_link *l;
	size_t run;

	*grabbed = 0;
	for (run = VMX_RUN; run >= 1; run /= 2) {
		while (vm_phys_free_count() >= keep + run) {
			m = (run > 1) ? vm_page_alloc_contig(run, 0) :
			    vm_page_alloc(0);
			if (m == NULL)
				break;
			l = (struct vmx_link *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
			l->vl_next = head;
			l->vl_npages = run;
			head = VM_PAGE_TO_PHYS(m);
			*grabbed += run;
		}
	}
	return (head);
}

static void
vmx_release(vm_paddr_t head)
{
	struct vmx_link *l;
	vm_paddr_t next;

	while (head != (vm_paddr_t)-1) {
		l = (struct vmx_link *)PHYS_TO_DMAP(head);
		next = l->vl_next;
		if (l->vl_npages > 1)
			vm_page_free_contig(PHYS_TO_VM_PAGE(head),
			    l->vl_npages);
		else
			vm_page_free(PHYS_TO_VM_PAGE(head));
		head = next;
	}
}

static void
vmx_body(uint8_t *buf)
{
	const size_t chunk = 16 * 1024;
	struct statfs sb;
	struct stat st;
	vm_paddr_t head;
	size_t grabbed, total, done;
	int fd, error;

	KT_ASSERT_EQ(tt_mkfile("/tvm/a", 64 * 1024, 5), 0);
	tt_fill(buf, VMX_BUF, 6);
	KT_ASSERT_EQ(kern_open("/tvm/b", O_CREAT | O_EXCL | O_RDWR, 0644,
	    &fd), 0);

	head = vmx_grab(VMX_KEEP, &grabbed);
	ktest_log("grabbed %zu pages, %zu left free", grabbed,
	    vm_phys_free_count());
	total = 0;
	do {
		error = kern_write(fd, buf + total, chunk, &done);
		total += done;
	} while (error == 0 && total + chunk <= VMX_BUF);
	vmx_release(head);
	ktest_log("wrote %zu bytes before %d", total, error);

	KT_CHECK(error == ENOSPC);
	KT_CHECK(total > 0 && total < VMX_BUF);
	/* The page allocator ran out, not the mount's limit. */
	KT_CHECK(tt_statfs("/tvm", &sb) == 0 &&
	    sb.f_blocks - sb.f_bfree < sb.f_blocks / 2);
	KT_CHECK(kern_fstat(fd, &st) == 0 && (size_t)st.st_size == total &&
	    (size_t)st.st_blocks == howmany(total, PAGE_SIZE) *
	    (PAGE_SIZE / 512));
	KT_CHECK(tt_holds("/tvm/b", total, 6));
	KT_CHECK(tt_holds("/tvm/a", 64 * 1024, 5));

	/* Pages are back: writing works again. */
	KT_CHECK(kern_write(fd, buf + total, chunk, &done) == 0 &&
	    done == chunk);
	KT_CHECK(tt_holds("/tvm/b", total + chunk, 6));
	KT_CHECK(kern_close(fd) == 0);
	KT_CHECK(kern_unlink("/tvm/a") == 0 && kern_unlink("/tvm/b") == 0);
	KT_CHECK(tt_statfs("/tvm", &sb) == 0 && sb.f_bfree == sb.f_blocks);
}

KTEST(tmpfs_enospc_vm, "tmpfs out of physical pages (grabbed first): writes stop with ENOSPC, nothing lost, work again after release")
{
	uint8_t *buf;

	buf = kmalloc(VMX_BUF, M_TMPFSTEST, 0);
	KT_ASSERT(buf != NULL);
	KT_ASSERT_EQ(tt_mount("/tvm", ""), 0);
	vmx_body(buf);
	KT_CHECK(tt_unmount("/tvm") == 0);
	kfree(buf, M_TMPFSTEST);
}

/* --- memory returns to its baseline --- */

static void
mem_body(uint8_t *buf)
{
	char path[64], p2[64];
	struct statfs sb;
	size_t done;
	int d, i, fd;

	KT_ASSERT_EQ(kern_mkdir("/tmem/m/x", 0755), 0);
	for (d = 0; d < 3; d++) {
		ksnprintf(path, sizeof(path), "/tmem/m/d%d", d);
		KT_ASSERT_EQ(kern_mkdir(path, 0755), 0);
		for (i = 0; i < 8; i++) {
			ksnprintf(path, sizeof(path), "/tmem/m/d%d/f%d", d, i);
			KT_ASSERT_EQ(tt_mkfile(path, (size_t)i * 9000, i), 0);
		}
		ksnprintf(path, sizeof(path), "/tmem/m/d%d/l", d);
		KT_ASSERT_EQ(kern_symlink("f1", path), 0);
		ksnprintf(p2, sizeof(p2), "/tmem/m/d%d/f2", d);
		ksnprintf(path, sizeof(path), "/tmem/m/x/h%d", d);
		KT_ASSERT_EQ(kern_link(p2, path), 0);
	}
	/* A sparse file with pages far apart. */
	KT_ASSERT_EQ(kern_open("/tmem/m/sparse", O_CREAT | O_RDWR, 0644, &fd),
	    0);
	for (i = 0; i < 40; i++)
		KT_CHECK(kern_pwrite(fd, buf, 5000, (off_t)i << 55 | i * 7777,
		    &done) == 0 && done == 5000);
	KT_CHECK(kern_ftruncate(fd, (off_t)20 << 55) == 0);
	KT_CHECK(kern_close(fd) == 0);
	/* Renames: file over file, directory over empty directory. */
	KT_CHECK(kern_rename("/tmem/m/d0/f3", "/tmem/m/d1/f4") == 0);
	KT_CHECK(kern_mkdir("/tmem/m/d2/e", 0755) == 0);
	KT_CHECK(kern_rename("/tmem/m/x", "/tmem/m/d2/e") == 0);
	/* An open file whose last name goes. */
	KT_ASSERT_EQ(kern_open("/tmem/m/d1/f7", O_RDWR, 0, &fd), 0);
	KT_CHECK(kern_unlink("/tmem/m/d1/f7") == 0);
	KT_CHECK(kern_pwrite(fd, buf, 5000, 1 << 20, &done) == 0);
	KT_CHECK(tt_statfs("/tmem/m", &sb) == 0 && sb.f_bfree < sb.f_blocks);
	KT_CHECK(kern_close(fd) == 0);

	/* Remove everything. */
	KT_CHECK(kern_unlink("/tmem/m/sparse") == 0);
	for (d = 0; d < 3; d++) {
		for (i = 0; i < 8; i++) {
			ksnprintf(path, sizeof(path), "/tmem/m/d%d/f%d", d, i);
			(void)kern_unlink(path);	/* some moved away */
		}
		ksnprintf(path, sizeof(path), "/tmem/m/d%d/l", d);
		KT_CHECK(kern_unlink(path) == 0);
		ksnprintf(path, sizeof(path), "/tmem/m/d2/e/h%d", d);
		KT_CHECK(kern_unlink(path) == 0);
	}
	KT_CHECK(kern_rmdir("/tmem/m/d2/e") == 0);
	for (d = 0; d < 3; d++) {
		ksnprintf(path, sizeof(path), "/tmem/m/d%d", d);
		KT_CHECK(kern_rmdir(path) == 0);
	}
	KT_CHECK(tt_statfs("/tmem/m", &sb) == 0 && sb.f_files == 1 &&
	    sb.f_bfree == sb.f_blocks);
}

KTEST(tmpfs_memory, "tmpfs memory returns to baseline (kmalloc types exact, free pages) after emptying and unmounting a mount")
{
	struct tt_mem m0, m1;
	uint8_t *buf;
	int round;

	buf = kmalloc(8192, M_TMPFSTEST, 0);
	KT_ASSERT(buf != NULL);
	tt_fill(buf, 8192, 9);
	KT_ASSERT_EQ(kern_mkdir("/tmem", 0755), 0);
	KT_ASSERT_EQ(kern_mkdir("/tmem/m", 0755), 0);
	/* Round 0 warms kmalloc's caches up; round 1 is measured. */
	for (round = 0; round < 2 && !ktest_failed(); round++) {
		tt_mem_get(&m0);
		KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/tmem/m", "size=8m"),
		    0);
		mem_body(buf);
		KT_CHECK(kern_unmount("/tmem/m") == 0);
		tt_mem_get(&m1);
		ktest_log("round %d: free pages %zu -> %zu", round,
		    m0.m_freepages, m1.m_freepages);
		KT_CHECK(tt_mem_same(&m0, &m1, round == 0 ? 256 : 16));
	}
	KT_CHECK(kern_rmdir("/tmem/m") == 0 && kern_rmdir("/tmem") == 0);
	kfree(buf, M_TMPFSTEST);
}
