/*
 * qsort and bsearch.
 *
 * qsort is an introsort: quicksort with a median-of-three pivot (so
 * sorted and reverse-sorted input split evenly), insertion sort for
 * ranges of at most QSORT_SMALL elements, and heapsort for any range
 * reached after 2*log2(n) levels of partitioning, which bounds the worst
 * case at O(n log n) comparisons.  The larger side of each partition is
 * iterated, the smaller recursed into, so the stack depth is O(log n).
 * Not stable.  Elements are swapped bytewise (in 8-byte words when the
 * size and base allow), so any element size works.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define QSORT_SMALL	8

typedef int (*qsort_cmp_t)(const void *, const void *);
typedef uint64_t __attribute__((__may_alias__)) qsort_word_t;

static void
qsort_swap(char *a, char *b, size_t size)
{
	qsort_word_t t;
	char c;

	if (a == b)
		return;
	if ((((uintptr_t)a | (uintptr_t)b | size) & 7) == 0) {
		for (; size > 0; size -= 8, a += 8, b += 8) {
			t = *(qsort_word_t *)a;
			*(qsort_word_t *)a = *(qsort_word_t *)b;
			*(qsort_word_t *)b = t;
		}
		return;
	}
	for (; size > 0; size--, a++, b++) {
		c = *a;
		*a = *b;
		*b = c;
	}
}

static void
qsort_insertion(char *base, size_t n, size_t size, qsort_cmp_t cmp)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		for (j = i; j > 0 &&
		    cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			qsort_swap(base + (j - 1) * size, base + j * size,
			    size);
	}
}

/* Restore the max-heap property below node i of the heap base[0..n). */
static void
qsort_sift(char *base, size_t i, size_t n, size_t size, qsort_cmp_t cmp)
{
	size_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + i * size, base + child * size) >= 0)
			return;
		qsort_swap(base + i * size, base + child * size, size);
		i = child;
	}
}

static void
qsort_heap(char *base, size_t n, size_t size, qsort_cmp_t cmp)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		qsort_sift(base, i, n, size, cmp);
	for (i = n - 1; i > 0; i--) {
		qsort_swap(base, base + i * size, size);
		qsort_sift(base, 0, i, size, cmp);
	}
}

/*
 * Partition base[0..n) (n > QSORT_SMALL) around the median of its first,
 * middle and last elements.  Returns the pivot's final index p: all of
 * [0, p) compare <= pivot, all of (p, n) >= pivot.  The first and last
 * elements act as sentinels for the two inner scans.
 */
static size_t
qsort_partition(char *base, size_t n, size_t size, qsort_cmp_t cmp)
{
	char *lo = base, *mid = base + (n / 2) * size;
	char *hi = base + (n - 1) * size;
	size_t i, j;

	/* Order lo <= mid <= hi, then park the pivot (mid) at n - 2. */
	if (cmp(mid, lo) < 0)
		qsort_swap(mid, lo, size);
	if (cmp(hi, mid) < 0) {
		qsort_swap(hi, mid, size);
		if (cmp(mid, lo) < 0)
			qsort_swap(mid, lo, size);
	}
	qsort_swap(mid, base + (n - 2) * size, size);
	mid = base + (n - 2) * size;
	i = 0;
	j = n - 2;
	for (;;) {
		while (cmp(base + (++i) * size, mid) < 0)
			;
		while (cmp(base + (--j) * size, mid) > 0)
			;
		if (i >= j)
			break;
		qsort_swap(base + i * size, base + j * size, size);
	}
	qsort_swap(base + i * size, mid, size);
	return (i);
}

static void
qsort_intro(char *base, size_t n, size_t size, qsort_cmp_t cmp, int depth)
{
	size_t p;

	while (n > QSORT_SMALL) {
		if (depth-- == 0) {
			qsort_heap(base, n, size, cmp);
			return;
		}
		p = qsort_partition(base, n, size, cmp);
		if (p < n - p - 1) {
			qsort_intro(base, p, size, cmp, depth);
			base += (p + 1) * size;
			n -= p + 1;
		} else {
			qsort_intro(base + (p + 1) * size, n - p - 1, size, cmp,
			    depth);
			n = p;
		}
	}
	qsort_insertion(base, n, size, cmp);
}

void
qsort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	int depth = 0;
	size_t m;

	if (n < 2 || size == 0)
		return;
	for (m = n; m > 1; m >>= 1)
		depth += 2;
	qsort_intro(base, n, size, cmp, depth);
}

/*
 * Binary search of the sorted array base[0..n) for key.  Returns a
 * matching element (any of several equal ones) or NULL.
 */
void *
bsearch(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	const char *p;
	size_t lo = 0, hi = n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		p = (const char *)base + mid * size;
		r = cmp(key, p);
		if (r == 0)
			return ((void *)p);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}
