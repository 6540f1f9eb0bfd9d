/*
 * Memory mappings.  PROT_* and MAP_* are the kernel's (<sys/sysmsg.h>).
 * Only anonymous mappings exist for now (fd must be -1).
 */
#ifndef _SYS_MMAN_H_
#define _SYS_MMAN_H_

#include <sys/types.h>
#include <sys/sysmsg.h>		/* PROT_*, MAP_* */

#define MAP_FAILED	((void *)-1)

void	*mmap(void *, size_t, int, int, int, off_t);
int	munmap(void *, size_t);
int	mprotect(void *, size_t, int);

#endif /* !_SYS_MMAN_H_ */
