/*
 * Host unit tests of the initrd parser (sys/kern/subr_initrd.c) under
 * AddressSanitizer and UBSan.
 *
 * The in-kernel tests (sys/kern/vfs_initrd_test.c) check what the parser
 * decides; these check how it reads: every archive handed to it here
 * sits in a heap block of exactly its length, so a read one byte past
 * the end, anywhere, stops the test.  Inputs: the real boot archive
 * (build/initrd.cpio) and its prefixes, every prefix of a small archive,
 * random bit flips and byte changes of it, random bytes, and records
 * built from random but tricky field values and names.  Rejections must
 * come with a reason and an offset inside the input; acceptances with a
 * sound index (shim/initrd_shim.c checks it).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "shim/host_api.h"

#define NEWC_HDR	110
#define nitems_(a)	(sizeof(a) / sizeof((a)[0]))

struct arch {
	unsigned char	*a_buf;
	size_t		a_len;
	size_t		a_cap;
};

static void
a_bytes(struct arch *a, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (a->a_len + n > a->a_cap) {
		a->a_cap = (a->a_len + n) * 2;
		a->a_buf = realloc(a->a_buf, a->a_cap);
		ATF_REQUIRE(a->a_buf != NULL);
	}
	memcpy(a->a_buf + a->a_len, p, n);
	a->a_len += n;
}

static void
a_pad(struct arch *a)
{
	static const unsigned char zero[4];

	a_bytes(a, zero, (4 - a->a_len % 4) % 4);
}

/* A record with the given fields; namesize counts the NUL. */
static void
a_rec(struct arch *a, unsigned ino, unsigned mode, unsigned nlink,
    const char *name, unsigned namesize, const void *data, unsigned size,
    unsigned declsize)
{
	char h[NEWC_HDR + 1];

	snprintf(h, sizeof(h), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x"
	    "%08x%08x%08x%08x", ino, mode, 0u, 0u, nlink, 0u, declsize, 0u,
	    0u, 0u, 0u, namesize, 0u);
	a_bytes(a, h, NEWC_HDR);
	a_bytes(a, name, strlen(name) + 1);
	a_pad(a);
	a_bytes(a, data, size);
	a_pad(a);
}

static void
a_ent(struct arch *a, const char *name, unsigned mode, const char *data)
{
	static unsigned ino = 100;
	size_t n = data == NULL ? 0 : strlen(data);

	a_rec(a, ino++, mode, 1, name, (unsigned)strlen(name) + 1, data,
	    (unsigned)n, (unsigned)n);
}

static void
a_small(struct arch *a)
{
	memset(a, 0, sizeof(*a));
	a_ent(a, "a", 040755, NULL);
	a_ent(a, "a/f", 0100644, "12345");
	a_ent(a, "a/l", 0120777, "f");
	a_rec(a, 7, 0100644, 2, "h1", 3, NULL, 0, 0);
	a_rec(a, 7, 0100644, 2, "h2", 3, "data", 4, 4);
	a_ent(a, "dev/zero", 020666, NULL);
	a_ent(a, "TRAILER!!!", 0, NULL);
}

/* The parser's index lives in kmalloc memory: give it 16 MiB of "RAM". */
static void
setup(void)
{
	const uint64_t base = 1UL << 20;
	const size_t npages = 4096;

	host_vm_setup(base, npages);
	vm_phys_add_free(base, base + npages * HOST_PAGE_SIZE);
	kmalloc_init();
}

struct verdict {
	int		v_error;
	size_t		v_nents;
};

/*
 * Parse a copy of buf[0, len) in a block of exactly len bytes and judge:
 * a rejection needs a reason and an offset within the input, an
 * acceptance a sound index.
 */
static struct verdict
parse(const void *buf, size_t len, const char *what)
{
	struct verdict v;
	char reason[256], insane[256];
	unsigned char *copy;
	size_t off;

	copy = malloc(len == 0 ? 1 : len);
	ATF_REQUIRE(copy != NULL);
	if (len > 0)
		memcpy(copy, buf, len);
	v.v_error = host_initrd_parse(copy, len, 0, &v.v_nents, &off, reason,
	    sizeof(reason), insane, sizeof(insane));
	free(copy);
	if (v.v_error == 0)
		ATF_REQUIRE_MSG(insane[0] == '\0', "%s: accepted with an "
		    "unsound index: %s", what, insane);
	else {
		ATF_REQUIRE_MSG(v.v_error == EINVAL, "%s: error %d", what,
		    v.v_error);
		ATF_REQUIRE_MSG(reason[0] != '\0', "%s: rejected without a "
		    "reason", what);
		ATF_REQUIRE_MSG(off <= len, "%s: offset %zu past the end %zu",
		    what, off, len);
	}
	return (v);
}

static unsigned char *
load_boot_archive(const atf_tc_t *tc, size_t *lenp)
{
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/../../initrd.cpio",
	    atf_tc_get_config_var(tc, "srcdir"));
	f = fopen(path, "rb");
	ATF_REQUIRE_MSG(f != NULL, "cannot open %s (is the build complete?)",
	    path);
	ATF_REQUIRE(fseek(f, 0, SEEK_END) == 0);
	n = ftell(f);
	ATF_REQUIRE(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	ATF_REQUIRE(buf != NULL);
	ATF_REQUIRE(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*lenp = (size_t)n;
	return (buf);
}

ATF_TC(boot_archive);
ATF_TC_HEAD(boot_archive, tc)
{
	atf_tc_set_md_var(tc, "descr", "The boot archive built by tools/mkcpio "
	    "parses; its prefixes (all of the first 16 KiB, then a sample) are "
	    "rejected without reading past their end");
}
ATF_TC_BODY(boot_archive, tc)
{
	unsigned char *buf;
	size_t len, p;
	struct verdict v;
	char what[64];

	setup();
	buf = load_boot_archive(tc, &len);
	v = parse(buf, len, "the boot archive");
	ATF_REQUIRE_EQ(v.v_error, 0);
	ATF_REQUIRE(v.v_nents >= 10);
	for (p = 0; p < len; p += p < 16384 ? 1 : 4099) {
		snprintf(what, sizeof(what), "prefix %zu", p);
		v = parse(buf, p, what);
		ATF_REQUIRE_MSG(v.v_error == EINVAL, "%s accepted", what);
	}
	free(buf);
}

ATF_TC_WITHOUT_HEAD(truncations);
ATF_TC_BODY(truncations, tc)
{
	struct arch a;
	struct verdict v;
	char what[64];

	setup();

	a_small(&a);
	ATF_REQUIRE_EQ(parse(a.a_buf, a.a_len, "whole").v_error, 0);
	for (size_t p = 0; p < a.a_len; p++) {
		snprintf(what, sizeof(what), "prefix %zu", p);
		v = parse(a.a_buf, p, what);
		ATF_REQUIRE_MSG(v.v_error == EINVAL, "%s accepted", what);
	}
	free(a.a_buf);
}

ATF_TC(mutations);
ATF_TC_HEAD(mutations, tc)
{
	atf_tc_set_md_var(tc, "descr", "Bit flips and byte changes of a small "
	    "archive: rejected with a reason, or accepted with a sound index");
}
ATF_TC_BODY(mutations, tc)
{
	static const unsigned char interesting[] = {
		0, '0', '9', 'a', 'f', 'F', 'g', '/', '.', 0xff, 0x80, ' ', 'x'
	};
	uint64_t seed = 12345;
	unsigned char *m;
	struct arch a;
	int accepted = 0;
	char what[64];

	setup();

	a_small(&a);
	m = malloc(a.a_len);
	ATF_REQUIRE(m != NULL);
	for (int i = 0; i < 100000; i++) {
		int n = 1 + (int)(host_rand(&seed) % 4);

		memcpy(m, a.a_buf, a.a_len);
		for (int k = 0; k < n; k++) {
			size_t at = host_rand(&seed) % a.a_len;

			if (host_rand(&seed) % 2 == 0)
				m[at] ^= (unsigned char)(1 <<
				    (host_rand(&seed) % 8));
			else
				m[at] = interesting[host_rand(&seed) %
				    sizeof(interesting)];
		}
		snprintf(what, sizeof(what), "mutation %d", i);
		if (parse(m, a.a_len, what).v_error == 0)
			accepted++;
	}
	printf("%d of 100000 mutations accepted\n", accepted);
	ATF_REQUIRE(accepted > 0);
	free(m);
	free(a.a_buf);
}

ATF_TC_WITHOUT_HEAD(random_bytes);
ATF_TC_BODY(random_bytes, tc)
{
	uint64_t seed = 777;
	unsigned char buf[2048];
	char what[64];

	setup();

	for (int i = 0; i < 50000; i++) {
		size_t len = host_rand(&seed) % sizeof(buf);

		for (size_t k = 0; k < len; k++)
			buf[k] = (unsigned char)host_rand(&seed);
		if (i % 2 == 1 && len >= 6)
			memcpy(buf, "070701", 6);
		if (i % 4 == 3)		/* hex digits after the magic */
			for (size_t k = 6; k < len && k < NEWC_HDR; k++)
				buf[k] = "0123456789abcdef"[buf[k] % 16];
		snprintf(what, sizeof(what), "random buffer %d", i);
		ATF_REQUIRE_MSG(parse(buf, len, what).v_error == EINVAL,
		    "%s accepted", what);
	}
}

ATF_TC(random_records);
ATF_TC_HEAD(random_records, tc)
{
	atf_tc_set_md_var(tc, "descr", "Well-framed records with random tricky "
	    "sizes, modes, inode numbers and names, with or without a trailer");
}
ATF_TC_BODY(random_records, tc)
{
	static const char *const names[] = {
		"a", "a/b", "/a", "./a", "a/", "a//b", ".", "..", "a/..",
		"../a", "...", "a/./b", "", "/", "//", "TRAILER!!!", "b",
		"a/b/c", "x\001y", "lnk", "lnk/x",
	};
	static const unsigned modes[] = {
		0100644, 040755, 0120777, 020666, 060666, 010644, 0140777, 0,
		0170000, 0110644, 0100000 | 07777, 0x80000000u | 0100644,
	};
	static const unsigned sizes[] = {
		0, 1, 2, 3, 4, 5, 1023, 1024, 0x7fffffffu, 0xffffffffu
	};
	static char data[2048];
	uint64_t seed = 4242;
	struct arch a;
	int accepted = 0;
	char what[64];

	setup();

	memset(data, 'd', sizeof(data));
	for (int i = 0; i < 30000; i++) {
		int nrec = (int)(host_rand(&seed) % 6);

		memset(&a, 0, sizeof(a));
		for (int r = 0; r < nrec; r++) {
			const char *nm =
			    names[host_rand(&seed) % nitems_(names)];
			unsigned sz = sizes[host_rand(&seed) % nitems_(sizes)];
			unsigned real = sz > sizeof(data) ? 8 : sz;
			unsigned ns = (unsigned)strlen(nm) + 1;

			if (host_rand(&seed) % 8 == 0)
				ns = (unsigned)sizes[host_rand(&seed) %
				    nitems_(sizes)];
			a_rec(&a, (unsigned)(host_rand(&seed) % 3),
			    modes[host_rand(&seed) % nitems_(modes)],
			    (unsigned)(host_rand(&seed) % 3), nm, ns, data,
			    real, host_rand(&seed) % 4 == 0 ? sz : real);
		}
		if (host_rand(&seed) % 4 != 0)
			a_ent(&a, "TRAILER!!!", 0, NULL);
		snprintf(what, sizeof(what), "record set %d", i);
		if (parse(a.a_buf, a.a_len, what).v_error == 0)
			accepted++;
		free(a.a_buf);
	}
	printf("%d of 30000 record sets accepted\n", accepted);
	ATF_REQUIRE(accepted > 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, boot_archive);
	ATF_TP_ADD_TC(tp, truncations);
	ATF_TP_ADD_TC(tp, mutations);
	ATF_TP_ADD_TC(tp, random_bytes);
	ATF_TP_ADD_TC(tp, random_records);
	return (atf_no_error());
}
