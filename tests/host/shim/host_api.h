/*
 * The kernel as the host unit tests see it.
 *
 * The test programs (tests/host/NAME_test.c) are ordinary Linux programs
 * built against libc and ATF; they must not include the kernel's own
 * headers, whose <sys/types.h> and friends would shadow libc's.  This
 * header declares, with standard C types only, the kernel functions
 * they call (compiled from the real sys/vm sources, see host.mk), the
 * kernel-environment shim (shim/host_shim.c) and the test-side support
 * (host_support.c: panic, kprintf, RAM setup, panic checks).
 *
 * Kernel structures stay opaque here; the shim offers accessors.  The
 * constants below duplicate kernel ones; host_shim.c includes this
 * header next to the kernel's and checks that they agree.
 */
#ifndef _HOST_API_H_
#define _HOST_API_H_

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct vm_page;
struct malloc_type;

#define HOST_PAGE_SIZE		4096UL
#define HOST_MAXCPU		64
#define HOST_VM_NFREEORDER	11
#define HOST_VM_MAXBLOCK	(1UL << (HOST_VM_NFREEORDER - 1))
#define HOST_VM_ALLOC_ZERO	0x01
#define HOST_M_ZERO		0x0001
#define HOST_M_NOWAIT		0x0002

/*
 * Kernel functions (sys/vm/vm_page.c, sys/vm/kern_malloc.c).
 */
void	vm_phys_init(struct vm_page *array, uint64_t base, size_t npages);
void	vm_phys_add_free(uint64_t start, uint64_t end);
struct vm_page *vm_page_alloc(int flags);
void	vm_page_free(struct vm_page *m);
struct vm_page *vm_page_alloc_contig(size_t npages, int flags);
void	vm_page_free_contig(struct vm_page *m, size_t npages);
struct vm_page *PHYS_TO_VM_PAGE(uint64_t pa);
size_t	vm_phys_free_count(void);
size_t	vm_phys_total_count(void);

void	*kmalloc(size_t size, struct malloc_type *type, int flags);
void	kfree(void *ptr, struct malloc_type *type);
void	kmalloc_type_stats(struct malloc_type *type, int64_t *inuse,
	    int64_t *memuse);
void	kmalloc_init(void);

/*
 * Kernel-environment shim (shim/host_shim.c).
 */
/* Physical address pa is at host_ram_base + pa (the host "direct map"). */
extern uintptr_t host_ram_base;
/* Make the calling thread CPU cpu (0 .. HOST_MAXCPU-1). */
void	host_cpu_attach(int cpu);
/* Set ncpus and smp_active_mask. */
void	host_set_ncpus(int n);
/* Critical-section depth of the calling thread's CPU. */
int	host_crit_count(void);
size_t	host_vm_page_sizeof(void);
struct vm_page *host_vm_page_at(struct vm_page *array, size_t i);
uint64_t host_vm_page_phys(const struct vm_page *m);
/* Malloc types: 0 .. 3 are test types, -1 is M_TEMP. */
struct malloc_type *host_mtype(int i);

/*
 * The initrd parser (sys/kern/subr_initrd.c) through shim/initrd_shim.c:
 * initrd_parse() of buf[0, len); 0 or an errno.  *nentsp entries;
 * rejected: *offp and reason (the parser's).  Accepted: insane is empty
 * unless the index is unsound (data outside, bad names or fields).
 */
int	host_initrd_parse(const void *buf, size_t len, size_t prefixlen,
	    size_t *nentsp, size_t *offp, char *reason, size_t reasonlen,
	    char *insane, size_t insanelen);

/*
 * Test-side support (host_support.c).
 */
/*
 * Back physical pages [base, base + npages * HOST_PAGE_SIZE) with host
 * memory, allocate their vm_page array and call vm_phys_init().  Adds no
 * RAM: call vm_phys_add_free() for that.  Also attaches the caller as
 * CPU 0.  Returns the array.
 */
struct vm_page *host_vm_setup(uint64_t base, size_t npages);
/* Host address of physical address pa. */
void	*host_dmap(uint64_t pa);
/*
 * Run fn(arg) in a child process and require that it panics (SIGABRT)
 * with a message containing substr.
 */
void	host_expect_panic(void (*fn)(void *), void *arg, const char *substr);
/* xorshift64* step; *state must not be 0. */
uint64_t host_rand(uint64_t *state);

#endif /* !_HOST_API_H_ */
