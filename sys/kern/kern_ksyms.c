/*
 * The embedded kernel symbol table.
 *
 * The build links the kernel twice (see the Makefile): the table of text
 * symbols produced from the first link by tools/mksyms.sh is linked into
 * the second, in .ksyms, sorted by address.  ksym_lookup() binary-searches
 * it.  Immutable after link, so it needs no locking and is safe in a
 * panic on any CPU.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/md.h>

struct ksym {
	uint64_t	ks_addr;
	const char	*ks_name;
};

extern const uint64_t ksym_count;
extern const struct ksym ksym_table[];
extern const char __kernel_text[], __kernel_etext[];

/*
 * Name of the function containing addr and the offset into it, or NULL
 * if addr is not in the kernel's text.
 */
const char *
ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksym_count;

	if (addr < (uint64_t)__kernel_text || addr >= (uint64_t)__kernel_etext)
		return (NULL);
	if (hi == 0 || addr < ksym_table[0].ks_addr)
		return (NULL);
	/* Find the last entry with ks_addr <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].ks_addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset != NULL)
		*offset = addr - ksym_table[lo].ks_addr;
	return (ksym_table[lo].ks_name);
}
