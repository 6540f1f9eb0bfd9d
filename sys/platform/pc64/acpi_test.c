/*
 * Hostile-input tests of the ACPI MADT parser: tables built in kernel
 * memory, some valid, most broken (bad checksums, zero and overlong entry
 * lengths, tables larger than allowed or running past the readable
 * limit, pointers out of range, too many CPUs, duplicates).  Each must be
 * rejected or trimmed with a message, never trusted and never a fault.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/ktest.h>
#include <machine/vmparam.h>
#include <machine/md_var.h>

#define RSDP_OFF	0
#define XSDT_OFF	64
#define MADT_OFF	256

static uint8_t at_buf[8192] __aligned(4096);
static size_t at_madt_len;
static struct madt_info at_mi;

#define AT_PA(off)	((vm_paddr_t)(uint64_t)&at_buf[(off)] - KERNBASE)

static void
put32(size_t off, uint32_t v)
{
	memcpy(&at_buf[off], &v, 4);
}

static void
put64(size_t off, uint64_t v)
{
	memcpy(&at_buf[off], &v, 8);
}

/* Make the bytes [off, off+len) sum to zero through the byte at ck. */
static void
fix_sum(size_t off, size_t len, size_t ck)
{
	uint8_t sum = 0;

	at_buf[ck] = 0;
	for (size_t i = 0; i < len; i++)
		sum += at_buf[off + i];
	at_buf[ck] = (uint8_t)-sum;
}

static void
sdt_header(size_t off, const char *sig, uint32_t len)
{
	memcpy(&at_buf[off], sig, 4);
	put32(off + 4, len);
	at_buf[off + 8] = 1;
}

/* RSDP (revision 2) -> XSDT with one entry -> MADT with no entries. */
static void
at_build(void)
{
	memset(at_buf, 0, sizeof(at_buf));
	memcpy(&at_buf[RSDP_OFF], "RSD PTR ", 8);
	at_buf[RSDP_OFF + 15] = 2;
	put32(RSDP_OFF + 20, 36);
	put64(RSDP_OFF + 24, AT_PA(XSDT_OFF));
	fix_sum(RSDP_OFF, 20, RSDP_OFF + 8);
	fix_sum(RSDP_OFF, 36, RSDP_OFF + 32);
	sdt_header(XSDT_OFF, "XSDT", 36 + 8);
	put64(XSDT_OFF + 36, AT_PA(MADT_OFF));
	fix_sum(XSDT_OFF, 44, XSDT_OFF + 9);
	at_madt_len = 44;
}

static void
madt_entry(const uint8_t *e, size_t len)
{
	memcpy(&at_buf[MADT_OFF + at_madt_len], e, len);
	at_madt_len += len;
}

static void
madt_lapic(uint8_t id, uint32_t flags)
{
	uint8_t e[8] = { 0, 8, id, id };

	memcpy(&e[4], &flags, 4);
	madt_entry(e, sizeof(e));
}

static void
madt_x2apic(uint32_t id, uint32_t flags)
{
	uint8_t e[16] = { 9, 16 };

	memcpy(&e[4], &id, 4);
	memcpy(&e[8], &flags, 4);
	madt_entry(e, sizeof(e));
}

/* Write the MADT header for the entries so far (or a forced length). */
static void
madt_finish(uint32_t forced_len)
{
	uint32_t len = forced_len != 0 ? forced_len : (uint32_t)at_madt_len;

	sdt_header(MADT_OFF, "APIC", len);
	put32(MADT_OFF + 36, 0xfee00000);
	fix_sum(MADT_OFF, at_madt_len, MADT_OFF + 9);
}

static int
at_parse(void)
{
	return (acpi_madt_parse_from(AT_PA(RSDP_OFF), false,
	    AT_PA(sizeof(at_buf)), &at_mi));
}

KTEST(acpi_madt_valid, "a well-formed MADT: CPUs, I/O APIC, overrides")
{
	uint8_t ioapic[12] = { 1, 12, 7, 0 }, ovr[10] = { 2, 10, 0, 0 };

	at_build();
	madt_lapic(0, 1);
	madt_lapic(5, 1);
	madt_lapic(9, 0);			/* disabled: not counted */
	memcpy(&ioapic[4], &(uint32_t){ 0xfec00000 }, 4);
	madt_entry(ioapic, sizeof(ioapic));
	memcpy(&ovr[4], &(uint32_t){ 2 }, 4);	/* IRQ 0 -> GSI 2 */
	madt_entry(ovr, sizeof(ovr));
	madt_x2apic(300, 1);
	madt_x2apic(5, 1);			/* listed twice: once */
	madt_finish(0);
	KT_ASSERT_EQ(at_parse(), 0);
	KT_ASSERT_EQ(at_mi.ncpu, 3);
	KT_ASSERT_EQ(at_mi.cpu_apicid[0], 0);
	KT_ASSERT_EQ(at_mi.cpu_apicid[1], 5);
	KT_ASSERT_EQ(at_mi.cpu_apicid[2], 300);
	KT_ASSERT_EQ(at_mi.nioapic, 1);
	KT_ASSERT_EQ(at_mi.ioapic_pa[0], 0xfec00000);
	KT_ASSERT_EQ(at_mi.isa_gsi[0], 2);
	KT_ASSERT_EQ(at_mi.isa_gsi[4], 4);
}

KTEST(acpi_madt_hostile, "broken ACPI tables are rejected or trimmed, never trusted")
{
	/* Bad MADT checksum. */
	at_build();
	madt_lapic(1, 1);
	madt_finish(0);
	at_buf[MADT_OFF + 44] ^= 0x40;
	KT_ASSERT_EQ(at_parse(), -1);

	/* Bad RSDP checksum (no BIOS-area scan in the test). */
	at_build();
	madt_lapic(1, 1);
	madt_finish(0);
	at_buf[RSDP_OFF + 9] ^= 1;
	KT_ASSERT_EQ(at_parse(), -1);

	/* A zero-length entry ends the walk; what came before counts. */
	at_build();
	madt_lapic(1, 1);
	madt_entry((const uint8_t []){ 0, 0, 0, 0, 0, 0, 0, 0 }, 8);
	madt_lapic(2, 1);
	madt_finish(0);
	KT_ASSERT_EQ(at_parse(), 0);
	KT_ASSERT_EQ(at_mi.ncpu, 1);

	/* An entry whose length runs past the table's end is not read. */
	at_build();
	madt_lapic(1, 1);
	madt_entry((const uint8_t []){ 0, 200, 3, 3, 1, 0, 0, 0 }, 8);
	madt_finish(0);
	KT_ASSERT_EQ(at_parse(), 0);
	KT_ASSERT_EQ(at_mi.ncpu, 1);

	/* Short entries of each kind are ignored. */
	at_build();
	madt_entry((const uint8_t []){ 0, 4, 7, 7 }, 4);
	madt_entry((const uint8_t []){ 1, 6, 0, 0, 0, 0 }, 6);
	madt_entry((const uint8_t []){ 9, 8, 0, 0, 1, 0, 0, 0 }, 8);
	madt_finish(0);
	KT_ASSERT_EQ(at_parse(), -1);
	KT_ASSERT_EQ(at_mi.nioapic, 0);

	/* A table claiming 16 MiB, or running past the readable limit. */
	at_build();
	madt_lapic(1, 1);
	madt_finish(16u << 20);
	KT_ASSERT_EQ(at_parse(), -1);
	at_build();
	madt_lapic(1, 1);
	madt_finish((uint32_t)(sizeof(at_buf) - MADT_OFF + 64));
	KT_ASSERT_EQ(at_parse(), -1);

	/* A MADT shorter than its own header. */
	at_build();
	madt_finish(20);
	KT_ASSERT_EQ(at_parse(), -1);

	/* An XSDT entry pointing far outside memory. */
	at_build();
	madt_lapic(1, 1);
	madt_finish(0);
	put64(XSDT_OFF + 36, 0xfffffffffff00000UL);
	fix_sum(XSDT_OFF, 44, XSDT_OFF + 9);
	KT_ASSERT_EQ(at_parse(), -1);

	/* More enabled CPUs than MAXCPU: the rest are ignored. */
	at_build();
	for (int i = 0; i < MAXCPU + 6; i++)
		madt_lapic((uint8_t)i, 1);
	madt_finish(0);
	KT_ASSERT_EQ(at_parse(), 0);
	KT_ASSERT_EQ(at_mi.ncpu, MAXCPU);
}
