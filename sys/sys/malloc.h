/*
 * Kernel memory allocator.  See sys/vm/kern_malloc.c for the design note.
 *
 * kmalloc(size, type, flags) returns memory aligned to at least 16 bytes
 * (page aligned for sizes above the largest size class), or NULL when
 * memory is exhausted: callers must check.  It never panics on failure.
 * kfree(NULL, type) is a no-op.  Calling context: thread context or an
 * interrupt thread; never from a FAST interrupt handler or an IPI
 * function.  May not block (yet): there is no M_WAITOK.
 */
#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_

#include <sys/types.h>

struct malloc_type {
	const char	*ks_shortdesc;		/* [I] */
	/* Per-CPU counters, summed by kmalloc_type_stats(). [L] */
	int64_t		ks_inuse[MAXCPU];	/* objects allocated - freed */
	int64_t		ks_memuse[MAXCPU];	/* bytes allocated - freed */
};

#define MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = { { .ks_shortdesc = shortdesc } }
#define MALLOC_DECLARE(type)	extern struct malloc_type type[1]

#define M_ZERO		0x0001	/* zero the returned memory */
#define M_NOWAIT	0x0002	/* never block (the only mode for now) */

MALLOC_DECLARE(M_TEMP);

void	*kmalloc(size_t size, struct malloc_type *type, int flags);
void	kfree(void *ptr, struct malloc_type *type);

/* Sum of the per-CPU counters of a type (a snapshot). */
void	kmalloc_type_stats(struct malloc_type *type, int64_t *inuse,
	    int64_t *memuse);
/* Called once after vm_phys is populated. */
void	kmalloc_init(void);

#endif /* !_SYS_MALLOC_H_ */
