/*
 * The PVH boot ABI: the start-of-day structure a PVH loader (QEMU here)
 * passes in %ebx.  Layout per the Xen "HVM direct boot" ABI, version 1.
 */
#ifndef _MACHINE_PVH_H_
#define _MACHINE_PVH_H_

#include <sys/types.h>

#define HVM_START_MAGIC		0x336ec578

struct hvm_start_info {
	uint32_t	magic;
	uint32_t	version;
	uint32_t	flags;
	uint32_t	nr_modules;
	uint64_t	modlist_paddr;
	uint64_t	cmdline_paddr;
	uint64_t	rsdp_paddr;
	/* version >= 1 */
	uint64_t	memmap_paddr;
	uint32_t	memmap_entries;
	uint32_t	reserved;
};
CTASSERT(sizeof(struct hvm_start_info) == 56);

struct hvm_modlist_entry {
	uint64_t	paddr;
	uint64_t	size;
	uint64_t	cmdline_paddr;
	uint64_t	reserved;
};

struct hvm_memmap_entry {
	uint64_t	addr;
	uint64_t	size;
	uint32_t	type;		/* E820 type: 1 = RAM */
	uint32_t	reserved;
};
#define HVM_MEMMAP_RAM	1

#endif /* !_MACHINE_PVH_H_ */
