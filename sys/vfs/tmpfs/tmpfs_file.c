/*
 * tmpfs file data: a sparse index of physical pages.
 *
 * A regular file is a size and a radix tree (tmpfs_radix.c) from page
 * index (byte offset / PAGE_SIZE) to the vm_page holding those bytes.
 * Pages are reached through the kernel's direct map (PHYS_TO_DMAP), so
 * no mapping is ever made or torn down.  A page that is not in the tree
 * is a hole: it reads as zeros and uses no memory.
 *
 * Invariants (the token holds them between handlers):
 *  (1) No page lies wholly at or beyond the size: every page in the tree
 *	has index < ceil(size / PAGE_SIZE).
 *  (2) The bytes of a page at offsets >= size are zero.  Pages are
 *	allocated zeroed unless the write fills them entirely, a write
 *	extends the size to cover what it wrote, and a truncate down zeroes
 *	the tail of the page it cuts.  So a truncate up only changes the
 *	size: the new range reads as zeros without touching any page.
 *  (3) tn_npages is the number of pages in the tree; tm_pages_used is the
 *	sum over the mount, and never exceeds tm_pages_max.
 *
 * Running out.  A write allocates page by page: a page (vm_page_alloc;
 * NULL when physical memory is exhausted), then its slot in the tree (at
 * most two kmalloc'd tree nodes).  When either fails, or the mount's page
 * limit is reached, the write stops at that page boundary with ENOSPC:
 * the bytes before it are written and counted in the size, uio_resid
 * tells the caller how many were not, and the file is as sound as after
 * any shorter write.  Nothing already stored is ever given up.
 *
 * Largest offset: TMPFS_MAXFILESIZE (2^62).  A write that reaches it
 * stops there with EFBIG, writing what fits below it.
 *
 * Everything here runs with the mount's token held and never blocks.
 * Reads and writes are atomic with respect to each other and to
 * truncation (the token), which a test relies on.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <vm/vm_page.h>
#include <vfs/tmpfs/tmpfs.h>

CTASSERT((TMPFS_MAXFILESIZE & PAGE_MASK) == 0);

/* What a hole reads as (read-only data: a stray write would fault). */
static const char tmpfs_zeroes[PAGE_SIZE] __aligned(PAGE_SIZE);

static inline char *
tmpfs_page_va(struct vm_page *m)
{
	return ((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

/*
 * Read from uio_offset up to the size (a short read at the end; none at
 * or beyond it).  EINVAL for a negative offset.  Updates atime.
 */
int
tmpfs_file_read(struct tmpfs_node *node, struct uio *uio)
{
	struct vm_page *m;
	uint64_t off, pgoff, n;

	if (uio->uio_offset < 0)
		return (EINVAL);
	while (uio->uio_resid > 0 &&
	    (uint64_t)uio->uio_offset < node->tn_size) {
		off = (uint64_t)uio->uio_offset;
		pgoff = off & PAGE_MASK;
		n = MIN(PAGE_SIZE - pgoff, node->tn_size - off);
		m = tmpfs_radix_lookup(&node->tn_pages, off >> PAGE_SHIFT);
		if (m != NULL)
			uiomove(tmpfs_page_va(m) + pgoff, n, uio);
		else
			uiomove((void *)(uintptr_t)tmpfs_zeroes, n, uio);
	}
	tmpfs_node_touch(node, TMPFS_ATIME);
	return (0);
}

/*
 * True if a write of uio needs neither a new page nor a larger size:
 * the fast path may then do it without allocating.  Not for IO_APPEND
 * (it writes at the size, so it always extends).
 */
bool
tmpfs_file_write_resident(struct tmpfs_node *node, const struct uio *uio,
    int ioflag)
{
	uint64_t off, idx, last;

	if ((ioflag & IO_APPEND) != 0 || uio->uio_offset < 0)
		return (false);
	if (uio->uio_resid == 0)
		return (true);
	off = (uint64_t)uio->uio_offset;
	if (off > node->tn_size || uio->uio_resid > node->tn_size - off)
		return (false);
	last = (off + uio->uio_resid - 1) >> PAGE_SHIFT;
	for (idx = off >> PAGE_SHIFT; idx <= last; idx++) {
		if (tmpfs_radix_lookup(&node->tn_pages, idx) == NULL)
			return (false);
	}
	return (true);
}

/*
 * Find or make the page with index idx.  A new page is zeroed unless the
 * caller is about to overwrite all of it (full).  ENOSPC when the mount's
 * limit is reached, no page is free, or the tree cannot grow; the file is
 * then unchanged.
 */
static int
tmpfs_file_getpage(struct tmpfs_mount *tm, struct tmpfs_node *node,
    uint64_t idx, bool full, struct vm_page **mp)
{
	struct vm_page *m;

	m = tmpfs_radix_lookup(&node->tn_pages, idx);
	if (m != NULL) {
		*mp = m;
		return (0);
	}
	if (tm->tm_pages_used >= tm->tm_pages_max)
		return (ENOSPC);
	m = vm_page_alloc(full ? 0 : VM_ALLOC_ZERO);
	if (m == NULL)
		return (ENOSPC);
	if (tmpfs_radix_insert(&node->tn_pages, idx, m) != 0) {
		vm_page_free(m);
		return (ENOSPC);
	}
	node->tn_npages++;
	tm->tm_pages_used++;
	*mp = m;
	return (0);
}

/*
 * Write uio at uio_offset (IO_APPEND: at the size, and uio_offset is set
 * to it).  Extends the size over what was written.  Returns 0, ENOSPC or
 * EFBIG after writing what it could (uio_resid counts the rest), EINVAL
 * for a negative offset.  Refreshes mtime and ctime when bytes were
 * written.
 */
int
tmpfs_file_write(struct tmpfs_mount *tm, struct tmpfs_node *node,
    struct uio *uio, int ioflag)
{
	struct vm_page *m;
	uint64_t off, pgoff, n;
	size_t start = uio->uio_resid;
	int error = 0;

	if ((ioflag & IO_APPEND) != 0)
		uio->uio_offset = (off_t)node->tn_size;
	if (uio->uio_offset < 0)
		return (EINVAL);
	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		if (off >= TMPFS_MAXFILESIZE) {
			error = EFBIG;
			break;
		}
		pgoff = off & PAGE_MASK;
		n = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		error = tmpfs_file_getpage(tm, node, off >> PAGE_SHIFT,
		    pgoff == 0 && n == PAGE_SIZE, &m);
		if (error != 0)
			break;
		uiomove(tmpfs_page_va(m) + pgoff, n, uio);
		if ((uint64_t)uio->uio_offset > node->tn_size)
			node->tn_size = (uint64_t)uio->uio_offset;
	}
	if (uio->uio_resid != start)
		tmpfs_node_touch(node, TMPFS_MTIME | TMPFS_CTIME);
	return (error);
}

/* Give every page with index >= first back to the page allocator. */
static void
tmpfs_file_free_from(struct tmpfs_mount *tm, struct tmpfs_node *node,
    uint64_t first)
{
	struct vm_page *m;
	uint64_t idx;

	while ((m = tmpfs_radix_lookup_ge(&node->tn_pages, first, &idx)) !=
	    NULL) {
		tmpfs_radix_remove(&node->tn_pages, idx);
		vm_page_free(m);
		KKASSERT(node->tn_npages > 0 && tm->tm_pages_used > 0);
		node->tn_npages--;
		tm->tm_pages_used--;
	}
}

/*
 * Set the size.  Down: free the pages past it and zero the tail of the
 * page it cuts (invariant 2).  Up: only the size changes (the new range
 * is a hole).  EFBIG beyond TMPFS_MAXFILESIZE; never fails otherwise and
 * never allocates.  Times are the caller's.
 */
int
tmpfs_file_truncate(struct tmpfs_mount *tm, struct tmpfs_node *node,
    uint64_t size)
{
	struct vm_page *m;
	uint64_t pgoff;

	if (size > TMPFS_MAXFILESIZE)
		return (EFBIG);
	if (size < node->tn_size) {
		tmpfs_file_free_from(tm, node,
		    (size + PAGE_MASK) >> PAGE_SHIFT);
		pgoff = size & PAGE_MASK;
		if (pgoff != 0) {
			m = tmpfs_radix_lookup(&node->tn_pages,
			    size >> PAGE_SHIFT);
			if (m != NULL)
				memset(tmpfs_page_va(m) + pgoff, 0,
				    PAGE_SIZE - pgoff);
		}
	}
	node->tn_size = size;
	return (0);
}

/* Free all of a file's pages (the node is going away). */
void
tmpfs_file_destroy(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	tmpfs_file_free_from(tm, node, 0);
	KKASSERT(node->tn_npages == 0 && tmpfs_radix_empty(&node->tn_pages));
}
