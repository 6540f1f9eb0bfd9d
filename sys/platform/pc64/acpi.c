/*
 * ACPI, as far as starting the machine needs it: find the RSDP, walk the
 * XSDT (or RSDT) to the MADT and extract the local APIC ids of the
 * enabled CPUs, the I/O APICs and the ISA interrupt overrides.
 *
 * Firmware tables are input from outside the kernel: every table is
 * checked (signature, length bounds, checksum, entries inside the table)
 * before it is used, and a bad one is reported and skipped, never
 * trusted.  Tables are read through the direct map, which covers at
 * least the first 4 GiB.  Boot only, BSP, no locking.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <machine/vmparam.h>
#include <machine/md_var.h>

struct acpi_rsdp {
	char		signature[8];	/* "RSD PTR " */
	uint8_t		checksum;
	char		oemid[6];
	uint8_t		revision;
	uint32_t	rsdt_pa;
	uint32_t	length;		/* revision >= 2 */
	uint64_t	xsdt_pa;
	uint8_t		xchecksum;
	uint8_t		reserved[3];
} __packed;

struct acpi_sdt {
	char		signature[4];
	uint32_t	length;
	uint8_t		revision;
	uint8_t		checksum;
	char		oemid[6];
	char		oemtable[8];
	uint32_t	oemrev;
	uint32_t	creator;
	uint32_t	creatorrev;
} __packed;
CTASSERT(sizeof(struct acpi_sdt) == 36);

struct acpi_madt {
	struct acpi_sdt	hdr;
	uint32_t	lapic_pa;
	uint32_t	flags;
} __packed;

#define ACPI_MAXTABLE	(1U << 20)

struct madt_info madt;

static vm_paddr_t acpi_limit;	/* tables must end below this */

static bool
acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return (sum == 0);
}

/* Map and validate a table; NULL (with a message) if it is bad. */
static const struct acpi_sdt *
acpi_table(vm_paddr_t pa, const char *sig)
{
	const struct acpi_sdt *t;

	if (pa == 0 || pa + sizeof(*t) > acpi_limit) {
		kprintf("acpi: %s table address %#lx out of range\n", sig, pa);
		return (NULL);
	}
	t = (const void *)PHYS_TO_DMAP(pa);
	if (sig != NULL && memcmp(t->signature, sig, 4) != 0)
		return (NULL);
	if (t->length < sizeof(*t) || t->length > ACPI_MAXTABLE ||
	    pa + t->length > acpi_limit) {
		kprintf("acpi: table %.4s has bad length %u\n", t->signature,
		    t->length);
		return (NULL);
	}
	if (!acpi_checksum(t, t->length)) {
		kprintf("acpi: table %.4s has a bad checksum\n", t->signature);
		return (NULL);
	}
	return (t);
}

static const struct acpi_rsdp *
acpi_find_rsdp(vm_paddr_t rsdp_pa, bool scan)
{
	const struct acpi_rsdp *r;

	if (rsdp_pa != 0 && rsdp_pa + sizeof(*r) <= acpi_limit) {
		r = (const void *)PHYS_TO_DMAP(rsdp_pa);
		if (memcmp(r->signature, "RSD PTR ", 8) == 0 &&
		    acpi_checksum(r, 20))
			return (r);
		kprintf("acpi: RSDP at %#lx is invalid\n", rsdp_pa);
	}
	if (!scan)
		return (NULL);
	/* The BIOS area, 16-byte aligned. */
	for (vm_paddr_t pa = 0xe0000; pa < 0x100000; pa += 16) {
		r = (const void *)PHYS_TO_DMAP(pa);
		if (memcmp(r->signature, "RSD PTR ", 8) == 0 &&
		    acpi_checksum(r, 20))
			return (r);
	}
	return (NULL);
}

static const struct acpi_sdt *
acpi_find(const struct acpi_rsdp *rsdp, const char *sig)
{
	const struct acpi_sdt *root;
	bool x = false;
	size_t n, esz;

	if (rsdp->revision >= 2 && rsdp->xsdt_pa != 0 &&
	    acpi_checksum(rsdp, MIN(rsdp->length, sizeof(*rsdp))) &&
	    (root = acpi_table(rsdp->xsdt_pa, "XSDT")) != NULL) {
		x = true;
	} else if ((root = acpi_table(rsdp->rsdt_pa, "RSDT")) == NULL) {
		return (NULL);
	}
	esz = x ? 8 : 4;
	n = (root->length - sizeof(*root)) / esz;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * esz;
		vm_paddr_t pa = 0;
		const struct acpi_sdt *t;

		memcpy(&pa, e, esz);
		if (pa == 0 || pa + sizeof(*t) > acpi_limit)
			continue;
		t = (const void *)PHYS_TO_DMAP(pa);
		if (memcmp(t->signature, sig, 4) == 0)
			return (acpi_table(pa, sig));
	}
	return (NULL);
}

static void
madt_add_cpu(struct madt_info *mi, uint32_t apicid, uint32_t flags)
{
	if ((flags & 1) == 0)
		return;			/* not enabled */
	for (int i = 0; i < mi->ncpu; i++)
		if (mi->cpu_apicid[i] == apicid)
			return;		/* listed twice (xAPIC and x2APIC) */
	if (mi->ncpu == MAXCPU) {
		kprintf("acpi: more than %d CPUs, ignoring APIC id %u\n",
		    MAXCPU, apicid);
		return;
	}
	mi->cpu_apicid[mi->ncpu++] = apicid;
}

/*
 * Fill *mi from the MADT reached from the RSDP at rsdp_pa (or, with scan,
 * found in the BIOS area), reading no table that does not end below
 * limit.  Returns 0, or -1 if there is no usable MADT (then mi describes
 * no CPU and no I/O APIC).  Every length and checksum is checked first:
 * hostile tables are reported and skipped, never trusted
 * (acpi_test.c feeds it some).
 */
int
acpi_madt_parse_from(vm_paddr_t rsdp_pa, bool scan, vm_paddr_t limit,
    struct madt_info *mi)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_madt *m;
	const uint8_t *p, *end;

	memset(mi, 0, sizeof(*mi));
	acpi_limit = limit;
	for (int i = 0; i < 16; i++)
		mi->isa_gsi[i] = (uint32_t)i;
	mi->lapic_pa = 0xfee00000;
	if ((rsdp = acpi_find_rsdp(rsdp_pa, scan)) == NULL)
		return (-1);
	m = (const void *)acpi_find(rsdp, "APIC");
	if (m == NULL || m->hdr.length < sizeof(*m))
		return (-1);
	mi->lapic_pa = m->lapic_pa;
	p = (const uint8_t *)(m + 1);
	end = (const uint8_t *)m + m->hdr.length;
	while (p + 2 <= end) {
		uint8_t type = p[0], len = p[1];

		if (len < 2 || p + len > end) {
			kprintf("acpi: MADT entry type %u has bad length %u\n",
			    type, len);
			break;
		}
		switch (type) {
		case 0:		/* processor local APIC */
			if (len >= 8) {
				uint32_t flags;

				memcpy(&flags, p + 4, 4);
				madt_add_cpu(mi, p[3], flags);
			}
			break;
		case 1:		/* I/O APIC */
			if (len >= 12 && mi->nioapic < MAXIOAPIC) {
				uint32_t pa, base;

				memcpy(&pa, p + 4, 4);
				memcpy(&base, p + 8, 4);
				mi->ioapic_pa[mi->nioapic] = pa;
				mi->ioapic_gsibase[mi->nioapic] = base;
				mi->nioapic++;
			}
			break;
		case 2:		/* interrupt source override */
			if (len >= 10 && p[2] == 0 && p[3] < 16) {
				uint32_t gsi;
				uint16_t fl;

				memcpy(&gsi, p + 4, 4);
				memcpy(&fl, p + 8, 2);
				mi->isa_gsi[p[3]] = gsi;
				mi->isa_activelow[p[3]] = (fl & 3) == 3;
				mi->isa_level[p[3]] = ((fl >> 2) & 3) == 3;
			}
			break;
		case 5:		/* local APIC address override */
			if (len >= 12)
				memcpy(&mi->lapic_pa, p + 4, 8);
			break;
		case 9:		/* processor local x2APIC */
			if (len >= 16) {
				uint32_t id, flags;

				memcpy(&id, p + 4, 4);
				memcpy(&flags, p + 8, 4);
				madt_add_cpu(mi, id, flags);
			}
			break;
		}
		p += len;
	}
	return (mi->ncpu > 0 ? 0 : -1);
}

/* The boot CPU's view: fill the global madt.  BSP, once. */
int
acpi_madt_parse(void)
{
	return (acpi_madt_parse_from(acpi_rsdp_pa, true,
	    MAX(phys_max, 1UL << 32), &madt));
}
