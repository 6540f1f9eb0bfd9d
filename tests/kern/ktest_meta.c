/*
 * ktest: the kernel image (ELF64, untrusted) and its test list
 * (.ktest_meta).  See ktest.c.
 */

#define _GNU_SOURCE		/* pipe2, strcasestr */

#include "ktest.h"

/*
 * Image reading and ELF section lookup.
 */

/* Read a whole regular file of at most KT_MAXIMAGE bytes. */
static int
kt_readfile(const char *path, unsigned char **bufp, size_t *lenp, char *err,
    size_t errlen)
{
	struct stat st;
	unsigned char *buf;
	size_t done;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kt_seterr(err, errlen, "cannot open kernel image %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		kt_seterr(err, errlen, "kernel image %s is not a regular file",
		    path);
		close(fd);
		return (-1);
	}
	if (st.st_size > KT_MAXIMAGE) {
		kt_seterr(err, errlen, "kernel image %s is too large (%lld "
		    "bytes)", path, (long long)st.st_size);
		close(fd);
		return (-1);
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		kt_seterr(err, errlen, "out of memory");
		close(fd);
		return (-1);
	}
	done = 0;
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			kt_seterr(err, errlen, "cannot read kernel image "
			    "%s: %s", path, n < 0 ? strerror(errno) :
			    "short read");
			free(buf);
			close(fd);
			return (-1);
		}
		done += (size_t)n;
	}
	close(fd);
	*bufp = buf;
	*lenp = done;
	return (0);
}

/* True if [off, off + size) lies inside a file of len bytes. */
static bool
kt_inside(uint64_t off, uint64_t size, size_t len)
{

	return (off <= len && size <= len - off);
}

/* Load section header i; the caller checked the table's bounds. */
static void
kt_shdr(const unsigned char *buf, uint64_t shoff, uint64_t i, Elf64_Shdr *sh)
{

	memcpy(sh, buf + shoff + i * sizeof(*sh), sizeof(*sh));
}

/*
 * Find the section called name in an ELF64 x86-64 image.  Everything is
 * checked against the image size; headers are copied out with memcpy, so
 * misaligned tables are fine.  Returns 0 with the section's offset and
 * size in *offp and *sizep, or -1 with a reason in err.
 */
static int
kt_elf_section(const unsigned char *buf, size_t len, const char *name,
    uint64_t *offp, uint64_t *sizep, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strsh;
	uint64_t shnum, shstrndx, i, found, nlen;
	const char *strs;

	if (len < sizeof(eh)) {
		kt_seterr(err, errlen, "not an ELF file (only %zu bytes)", len);
		return (-1);
	}
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
		kt_seterr(err, errlen, "not an ELF file (bad magic)");
		return (-1);
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_ident[EI_VERSION] != EV_CURRENT ||
	    eh.e_machine != EM_X86_64) {
		kt_seterr(err, errlen, "not a little-endian ELF64 x86-64 "
		    "image (class %u, data %u, version %u, machine %u)",
		    eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA],
		    eh.e_ident[EI_VERSION], eh.e_machine);
		return (-1);
	}
	if (eh.e_shoff == 0) {
		kt_seterr(err, errlen, "ELF image has no section headers");
		return (-1);
	}
	if (eh.e_shentsize != sizeof(Elf64_Shdr)) {
		kt_seterr(err, errlen, "ELF section header size is %u, not %zu",
		    eh.e_shentsize, sizeof(Elf64_Shdr));
		return (-1);
	}
	if (!kt_inside(eh.e_shoff, sizeof(Elf64_Shdr), len)) {
		kt_seterr(err, errlen, "ELF section headers at offset %#llx "
		    "lie outside the %zu-byte image",
		    (unsigned long long)eh.e_shoff, len);
		return (-1);
	}
	/* Extended numbering keeps the real counts in section 0. */
	kt_shdr(buf, eh.e_shoff, 0, &sh);
	shnum = eh.e_shnum != 0 ? eh.e_shnum : sh.sh_size;
	shstrndx = eh.e_shstrndx != SHN_XINDEX ? eh.e_shstrndx : sh.sh_link;
	if (shnum == 0 || shnum > (len - eh.e_shoff) / sizeof(Elf64_Shdr)) {
		kt_seterr(err, errlen, "ELF section count %llu does not fit "
		    "the %zu-byte image", (unsigned long long)shnum, len);
		return (-1);
	}
	if (shstrndx == SHN_UNDEF || shstrndx >= shnum) {
		kt_seterr(err, errlen, "ELF section name table index %llu is "
		    "invalid (%llu sections)", (unsigned long long)shstrndx,
		    (unsigned long long)shnum);
		return (-1);
	}
	kt_shdr(buf, eh.e_shoff, shstrndx, &strsh);
	if (strsh.sh_type != SHT_STRTAB ||
	    !kt_inside(strsh.sh_offset, strsh.sh_size, len)) {
		kt_seterr(err, errlen, "ELF section name table is not a "
		    "string table inside the image");
		return (-1);
	}
	strs = (const char *)buf + strsh.sh_offset;
	nlen = strlen(name);
	found = 0;
	for (i = 1; i < shnum; i++) {	/* section 0 is reserved */
		kt_shdr(buf, eh.e_shoff, i, &sh);
		if (sh.sh_name >= strsh.sh_size ||
		    strsh.sh_size - sh.sh_name < nlen + 1 ||
		    memcmp(strs + sh.sh_name, name, nlen + 1) != 0)
			continue;
		if (found != 0) {
			kt_seterr(err, errlen, "ELF image has two %s sections "
			    "(%llu and %llu)", name, (unsigned long long)found,
			    (unsigned long long)i);
			return (-1);
		}
		found = i;
		if (sh.sh_type != SHT_PROGBITS) {
			kt_seterr(err, errlen, "ELF section %s has type %u, "
			    "not PROGBITS", name, sh.sh_type);
			return (-1);
		}
		if (!kt_inside(sh.sh_offset, sh.sh_size, len)) {
			kt_seterr(err, errlen, "ELF section %s (offset %#llx, "
			    "size %#llx) lies outside the %zu-byte image",
			    name, (unsigned long long)sh.sh_offset,
			    (unsigned long long)sh.sh_size, len);
			return (-1);
		}
		*offp = sh.sh_offset;
		*sizep = sh.sh_size;
	}
	if (found == 0) {
		kt_seterr(err, errlen, "ELF image has no %s section (kernel "
		    "built without tests?)", name);
		return (-1);
	}
	return (0);
}

/*
 * Test list parsing.
 */

/* A test name: letters, digits and '_', not starting with a digit. */
bool
kt_validname(const char *s)
{
	size_t i;

	if (s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
		return (false);
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= KT_MAXNAME)
			return (false);
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return (false);
	}
	return (true);
}

/* Parse "1,2,4" into cpus[]; returns the count or -1. */
int
kt_parsecpus(const char *s, int *cpus)
{
	const char *comma;
	size_t len;
	long v;
	int n, j;

	n = 0;
	for (;;) {
		comma = strchr(s, ',');
		len = comma != NULL ? (size_t)(comma - s) : strlen(s);
		v = kt_parsenum(s, len, 1, KT_MAXCPUS);
		if (v < 0 || n == KT_MAXCPULIST)
			return (-1);
		for (j = 0; j < n; j++) {
			if (cpus[j] == v)
				return (-1);
		}
		cpus[n++] = (int)v;
		if (comma == NULL)
			return (n);
		s = comma + 1;
	}
}

/* Split line at tabs into exactly nf fields; returns false otherwise. */
static bool
kt_split(char *line, char **f, int nf)
{
	int i;

	for (i = 0; i < nf; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (i == nf - 1)
			return (line == NULL);
		if (line == NULL)
			return (false);
		*line++ = '\0';
	}
	return (true);
}

/*
 * Append the cases of one test: "base" (user: "user_base") for a single
 * CPU count, else one "base_smpN" per count.  The strings must outlive
 * km.  Returns -1 (err says why, without a line number) if a case name
 * is taken or there are too many cases; km may then hold some of them.
 */
int
kt_meta_addcases(struct kt_meta *km, const char *base, const char *desc,
    const int *cpus, int ncpus, int xfail, int timeout, bool user, char *err,
    size_t errlen)
{
	struct kt_case *kc;
	const char *prefix;
	size_t j;
	int i;

	if (km->km_ncases + (size_t)ncpus > KT_MAXCASES) {
		kt_seterr(err, errlen, "more than %d test cases", KT_MAXCASES);
		return (-1);
	}
	prefix = user ? KT_USER_PREFIX : "";
	for (i = 0; i < ncpus; i++) {
		kc = &km->km_cases[km->km_ncases];
		memset(kc, 0, sizeof(*kc));
		kc->kc_base = base;
		kc->kc_desc = desc;
		kc->kc_cpus = cpus[i];
		kc->kc_xfail = xfail;
		kc->kc_timeout = timeout;
		kc->kc_multi = ncpus > 1;
		kc->kc_user = user;
		if (ncpus == 1)
			snprintf(kc->kc_ident, sizeof(kc->kc_ident), "%s%s",
			    prefix, base);
		else
			snprintf(kc->kc_ident, sizeof(kc->kc_ident),
			    "%s%s_smp%d", prefix, base, cpus[i]);
		for (j = 0; j < km->km_ncases; j++) {
			if (strcmp(km->km_cases[j].kc_ident,
			    kc->kc_ident) == 0) {
				kt_seterr(err, errlen, "test case name '%s' is "
				    "used twice", kc->kc_ident);
				return (-1);
			}
		}
		km->km_ncases++;
	}
	return (0);
}

/* Append the cases of one metadata line, already split into fields. */
static int
kt_meta_addline(struct kt_meta *km, char **f, size_t lineno, char *err,
    size_t errlen)
{
	const char *p;
	int cpus[KT_MAXCPULIST];
	char why[KT_REASONMAX / 2];
	long xfail, timeout;
	int ncpus;

	if (!kt_validname(f[0])) {
		kt_seterr(err, errlen, "%s line %zu: bad test name '%.*s'",
		    KT_META_SECTION, lineno, KT_MAXNAME, f[0]);
		return (-1);
	}
	ncpus = kt_parsecpus(f[1], cpus);
	if (ncpus < 0) {
		kt_seterr(err, errlen, "%s line %zu (%s): bad CPU list '%.*s' "
		    "(want up to %d distinct counts in 1..%d, comma-separated)",
		    KT_META_SECTION, lineno, f[0], 40, f[1], KT_MAXCPULIST,
		    KT_MAXCPUS);
		return (-1);
	}
	xfail = kt_parsenum(f[2], strlen(f[2]), 0, 1);
	if (xfail < 0) {
		kt_seterr(err, errlen, "%s line %zu (%s): bad xfail flag "
		    "'%.*s' (want 0 or 1)", KT_META_SECTION, lineno, f[0], 20,
		    f[2]);
		return (-1);
	}
	timeout = kt_parsenum(f[3], strlen(f[3]), 1, KT_MAXTIMEOUT);
	if (timeout < 0) {
		kt_seterr(err, errlen, "%s line %zu (%s): bad timeout '%.*s' "
		    "(want 1..%d seconds)", KT_META_SECTION, lineno, f[0], 20,
		    f[3], KT_MAXTIMEOUT);
		return (-1);
	}
	if (strlen(f[4]) > KT_MAXDESC) {
		kt_seterr(err, errlen, "%s line %zu (%s): description longer "
		    "than %d bytes", KT_META_SECTION, lineno, f[0], KT_MAXDESC);
		return (-1);
	}
	for (p = f[4]; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
			kt_seterr(err, errlen, "%s line %zu (%s): description "
			    "has a non-printable byte %#x", KT_META_SECTION,
			    lineno, f[0], (unsigned char)*p);
			return (-1);
		}
	}
	if (kt_meta_addcases(km, f[0], f[4], cpus, ncpus, (int)xfail,
	    (int)timeout, false, why, sizeof(why)) != 0) {
		kt_seterr(err, errlen, "%s line %zu: %s", KT_META_SECTION,
		    lineno, why);
		return (-1);
	}
	return (0);
}

/*
 * Parse the section's bytes into km.  NUL bytes between lines are
 * tolerated (alignment padding between input sections); a NUL inside a
 * line, a missing final newline or a line of the wrong shape is not.
 */
static int
kt_meta_parse(struct kt_meta *km, const unsigned char *sec, size_t size,
    char *err, size_t errlen)
{
	char *p, *end, *nl, *f[5];
	size_t lineno;

	if (size > KT_MAXMETA) {
		kt_seterr(err, errlen, "%s is too large (%zu bytes)",
		    KT_META_SECTION, size);
		return (-1);
	}
	km->km_text = malloc(size + 1);
	km->km_cases = calloc(KT_MAXCASES, sizeof(*km->km_cases));
	if (km->km_text == NULL || km->km_cases == NULL) {
		kt_seterr(err, errlen, "out of memory");
		return (-1);
	}
	memcpy(km->km_text, sec, size);
	km->km_text[size] = '\0';
	p = km->km_text;
	end = km->km_text + size;
	lineno = 0;
	while (p < end) {
		if (*p == '\0') {
			p++;
			continue;
		}
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			kt_seterr(err, errlen, "%s line %zu is not terminated "
			    "by a newline", KT_META_SECTION, lineno);
			return (-1);
		}
		*nl = '\0';
		if (strlen(p) != (size_t)(nl - p)) {
			kt_seterr(err, errlen, "%s line %zu contains a NUL "
			    "byte", KT_META_SECTION, lineno);
			return (-1);
		}
		if (!kt_split(p, f, 5)) {
			kt_seterr(err, errlen, "%s line %zu does not have 5 "
			    "tab-separated fields (name, cpus, xfail, timeout, "
			    "description)", KT_META_SECTION, lineno);
			return (-1);
		}
		if (kt_meta_addline(km, f, lineno, err, errlen) != 0)
			return (-1);
		p = nl + 1;
	}
	if (km->km_ncases == 0) {
		kt_seterr(err, errlen, "%s lists no tests", KT_META_SECTION);
		return (-1);
	}
	return (0);
}

void
kt_meta_free(struct kt_meta *km)
{

	free(km->km_text);
	free(km->km_utext);
	free(km->km_cases);
	km->km_text = NULL;
	km->km_utext = NULL;
	km->km_cases = NULL;
	km->km_ncases = 0;
}

/* Read the test list out of the kernel image at path. */
int
kt_meta_load(struct kt_meta *km, const char *path, char *err, size_t errlen)
{
	unsigned char *buf;
	uint64_t off, size;
	size_t len;
	char why[KT_REASONMAX / 2];
	int error;

	memset(km, 0, sizeof(*km));
	if (kt_readfile(path, &buf, &len, err, errlen) != 0)
		return (-1);
	error = kt_elf_section(buf, len, KT_META_SECTION, &off, &size, why,
	    sizeof(why));
	if (error != 0)
		kt_seterr(err, errlen, "%s: %s", path, why);
	else
		error = kt_meta_parse(km, buf + off, (size_t)size, err, errlen);
	free(buf);
	if (error != 0)
		kt_meta_free(km);
	return (error);
}

const struct kt_case *
kt_meta_find(const struct kt_meta *km, const char *ident)
{
	size_t i;

	for (i = 0; i < km->km_ncases; i++) {
		if (strcmp(km->km_cases[i].kc_ident, ident) == 0)
			return (&km->km_cases[i]);
	}
	return (NULL);
}
