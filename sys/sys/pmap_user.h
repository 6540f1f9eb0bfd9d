/*
 * User address spaces, machine-independent interface to the platform's
 * page tables (sys/platform/pc64/pmap_user.c).
 *
 * A pmap is one process's page tables: the user half is its own, the
 * kernel half is shared with every other pmap (the kernel's top-level
 * entries are copied at creation and never change after boot).  The pmap
 * records translations only; which physical pages are mapped, and their
 * reference counts, belong to the caller (sys/vm/vm_map.c).
 *
 * Rules:
 *  (1) Every call that changes a pmap is made with the owning vmspace's
 *      token held (vm_map.c), so the pmap needs no lock of its own.
 *  (2) A call that removes or lowers a translation returns only when no
 *      CPU can still use the old one: it shoots down the TLBs of every
 *      CPU that has the pmap loaded (pm_active), through lwkt_cpusync.
 *      Thread context, no spin lock held.
 *  (3) pm_active has a CPU's bit while that CPU's %cr3 holds the pmap;
 *      kernel threads leave the last user pmap loaded (lazy), so a pmap
 *      is unloaded everywhere before it is destroyed.
 */
#ifndef _SYS_PMAP_USER_H_
#define _SYS_PMAP_USER_H_

#include <sys/types.h>

struct pmap;
struct thread;
struct globaldata;

/* The user half: [VM_MIN_USER, VM_MAX_USER). */
#define VM_MIN_USER	0x0000000000010000UL	/* nothing below 64 KiB */
#define VM_MAX_USER	0x00007ffffffff000UL	/* last page left unmapped */

/* Protections (the values of PROT_* in <sys/sysmsg.h>). */
#define VMP_READ	0x1
#define VMP_WRITE	0x2
#define VMP_EXEC	0x4

/* A new, empty pmap, or NULL if memory is short.  May allocate. */
struct pmap *pmap_create(void);
/*
 * Free pm's page-table pages.  Every user translation must be removed
 * already; the pmap is unloaded from every CPU first.  Thread context.
 */
void	pmap_destroy(struct pmap *pm);

/*
 * Map the page va to pa with prot (VMP_*), replacing any translation
 * (then shot down, rule 2).  0, or ENOMEM if a page-table page cannot be
 * had (nothing changed).  *oldpa receives the physical page replaced,
 * or (vm_paddr_t)-1.
 */
int	pmap_enter(struct pmap *pm, vm_offset_t va, vm_paddr_t pa, int prot,
	    vm_paddr_t *oldpa);
/* True if va is mapped; then *pap and *protp (VMP_*, 0 for PROT_NONE). */
bool	pmap_lookup(struct pmap *pm, vm_offset_t va, vm_paddr_t *pap,
	    int *protp);
/*
 * Remove the translations of [sva, eva), calling drop(pa, arg) for each
 * page that was mapped, after the shootdown.
 */
void	pmap_remove(struct pmap *pm, vm_offset_t sva, vm_offset_t eva,
	    void (*drop)(vm_paddr_t pa, void *arg), void *arg);
/* Lower the translations of [sva, eva) to at most prot. */
void	pmap_protect(struct pmap *pm, vm_offset_t sva, vm_offset_t eva,
	    int prot);
/*
 * Fork: give dst every translation src has in [sva, eva).  Unless
 * shared, both end up read-only (a write faults, and the fault handler
 * copies or upgrades).  hold(pa, arg) is called for each page entered in
 * dst.  0 or ENOMEM (dst holds what was entered so far).
 */
int	pmap_copy(struct pmap *dst, struct pmap *src, vm_offset_t sva,
	    vm_offset_t eva, bool shared,
	    void (*hold)(vm_paddr_t pa, void *arg), void *arg);

/*
 * Scheduler hook (lwkt_switch, critical section): load ntd's pmap on
 * this CPU if it has one and it is not loaded.
 */
void	pmap_switch(struct globaldata *gd, struct thread *ntd);
/* Load the kernel's page tables on this CPU (exit path).  Critical section. */
void	pmap_unload_self(void);

#endif /* !_SYS_PMAP_USER_H_ */
