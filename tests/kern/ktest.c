/*
 * ktest: the host side of the in-kernel tests.
 *
 * This is a host program (Linux, plain libc) that speaks the test-program
 * protocol of ATF so that kyua can run every in-kernel test as a test case
 * of its own, with its own timeout and its own result.  It never runs test
 * code itself: it reads the list of tests out of the kernel image and, to
 * run one, boots the kernel under QEMU with "ktest=NAME smp=N" and judges
 * what comes out of the serial port and how QEMU exits.
 *
 * The protocol, as kyua 0.13/0.14 drives it (engine/atf*.cpp):
 *
 *   ktest [-v var=value]... -l
 *	Print "Content-Type: application/X-atf-tp; version=\"1\"", a blank
 *	line, then one block per test case: "ident: NAME", then property
 *	lines "name: value" (descr, timeout), blocks separated by a blank
 *	line.  kyua passes the test suite's configuration variables here as
 *	well, glued to the option ("-vkernel=/x").
 *   ktest [-v var=value]... [-s srcdir] [-r resfile] CASE[:body]
 *	Run one case and write a single newline-terminated line to resfile
 *	(stdout without -r): "passed", "failed: why", "broken: why",
 *	"skipped: why" or "expected_failure: why".  kyua cross-checks the
 *	exit status: passed, skipped and expected_failure must exit 0,
 *	failed must exit 1; broken may exit with anything (we use 1).
 *
 * Configuration variables (kyua: test_suites.dfly.NAME):
 *   kernel	  kernel image; default BUILD/kernel.elf, found from where
 *		  this program lives (BUILD/tests/kern/ktest)
 *   accel	  QEMU accelerator list, default "kvm:tcg"
 *   qemu	  QEMU binary, default "qemu-system-x86_64" (tests use a fake)
 *   hang_timeout seconds; overrides every test's own limit
 *
 * Test list.  The kernel's non-loaded section ".ktest_meta" holds lines
 * "name\tcpus\txfail\ttimeout\tdescription\n" (sys/sys/ktest.h).  A name
 * with one CPU count becomes case "name"; a list "1,4" becomes cases
 * "name_smp1" and "name_smp4".  The image is untrusted input: every
 * offset and size is checked before use.  A bad image (or a bad variable)
 * yields one synthetic case, "kernel_metadata", that reports broken with
 * the reason
 * (kyua turns a listing that fails, or merely writes to stderr, into a
 * pseudo-case "__test_cases_list__" and drops the text, so this is the
 * only way to get the reason into the report).
 *
 * Judging a run.  The serial log is copied to stdout as it arrives, so
 * kyua keeps it, and parsed on the fly (one line at a time, bounded
 * memory).  Checked in this order:
 *   (1) a "panic:" line (optionally "cpuN: panic:")	failed: panic: MSG
 *   (2) "KVM internal error" from QEMU (nested KVM)	broken
 *   (3) no exit within the limit (QEMU is killed)	broken: hang: ...
 *   (4) QEMU killed by a signal or not runnable		broken
 *   (5) exit status 0 (triple fault or reset)		broken
 *   (6) exit status other than 33 (pass) or 65 (fail)	broken
 *   (7) KTAP: "KTAP version 1", plan "1..1", exactly one result line
 *	 "ok 1 NAME" or "not ok 1 NAME", optionally "# SKIP why"	broken
 *	 otherwise
 *   (8) result and exit status agree: ok+33 passed (or skipped), not
 *	 ok+65 failed: first "# FAIL" diagnostic; any mix is broken.
 * A test marked xfail turns failed and broken into expected_failure
 * (trouble of the host, such as QEMU not starting, stays broken) and
 * passed into failed.
 *
 * Cost: one QEMU boot per case; the limit is the test's timeout plus
 * KT_BOOT_SLACK, and kyua's own timeout is larger still so that ours,
 * which can say what the guest was doing, always fires first.
 */

#define _GNU_SOURCE		/* pipe2, strcasestr */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define KT_MAXIMAGE	(256L * 1024 * 1024)	/* largest image read */
#define KT_MAXMETA	(4L * 1024 * 1024)	/* largest .ktest_meta */
#define KT_MAXCASES	4096
#define KT_MAXNAME	64			/* test name length */
#define KT_MAXDESC	512			/* description length */
#define KT_MAXCPUS	255			/* largest CPU count */
#define KT_MAXCPULIST	16			/* CPU counts per test */
#define KT_MAXTIMEOUT	86400
#define KT_BOOT_SLACK	10	/* seconds added to a test's timeout */
#define KT_KYUA_SLACK	30	/* and again for kyua's timeout */
#define KT_LINEMAX	1024	/* serial line kept for analysis */
#define KT_SNIPPET	160	/* serial text quoted in a reason */
#define KT_REASONMAX	600
#define KT_EXIT_PASS	33	/* isa-debug-exit 0x10 */
#define KT_EXIT_FAIL	65	/* isa-debug-exit 0x20 */
#define KT_EXIT_EXEC	127	/* our child could not exec QEMU */
#define KT_GRACE_MS	2000	/* output drain after QEMU exits */
#define KT_SLICE_MS	100	/* poll slice */

#define KT_META_SECTION	".ktest_meta"
#define KT_META_CASE	"kernel_metadata"

/* One kyua test case: a kernel test at one CPU count. */
struct kt_case {
	const char	*kc_base;	/* test name, as the kernel has it */
	char		kc_ident[KT_MAXNAME + 16]; /* kyua case name */
	const char	*kc_desc;
	int		kc_cpus;
	int		kc_xfail;
	int		kc_timeout;	/* seconds, from the image */
	bool		kc_multi;	/* test has several CPU counts */
};

/* The parsed test list; all strings point into km_text. */
struct kt_meta {
	char		*km_text;	/* NUL-terminated copy, split up */
	struct kt_case	*km_cases;
	size_t		km_ncases;
};

struct kt_config {
	const char	*cf_kernel;
	const char	*cf_qemu;
	const char	*cf_accel;
	const char	*cf_resfile;
	const char	*cf_srcdir;
	int		cf_hang_timeout;	/* 0: the test's own */
	char		cf_error[KT_REASONMAX / 2]; /* bad -v */
	char		cf_kernelbuf[PATH_MAX];
};

enum kt_res {
	KT_PASSED,
	KT_FAILED,
	KT_BROKEN,
	KT_SKIPPED,
	KT_XFAIL
};

struct kt_outcome {
	enum kt_res	ko_res;
	bool		ko_infra;	/* not the guest's doing */
	char		ko_reason[KT_REASONMAX];
};

/* State of the streaming KTAP parser over the serial log. */
struct kt_ktap {
	char	kp_line[KT_LINEMAX];	/* line being assembled */
	size_t	kp_len;
	size_t	kp_bytes;		/* total bytes seen */
	bool	kp_version;		/* saw "KTAP version 1" */
	char	kp_badversion[KT_SNIPPET]; /* another "KTAP version" */
	int	kp_nplans;
	long	kp_plan;
	int	kp_nresults;
	bool	kp_ok;			/* first result line */
	long	kp_num;
	char	kp_name[KT_SNIPPET];
	char	kp_directive[KT_SNIPPET];
	bool	kp_hasdirective;
	bool	kp_hasfail;
	char	kp_fail[KT_REASONMAX / 2];
	bool	kp_haspanic;
	char	kp_panic[KT_REASONMAX / 2];
	char	kp_last[KT_SNIPPET];	/* last non-empty line */
};

/* What happened to one QEMU process. */
struct kt_run {
	struct kt_ktap	kr_ktap;
	bool		kr_timedout;
	bool		kr_kvmerror;	/* "KVM internal error" */
	int		kr_limit;	/* seconds */
	int		kr_status;	/* wait status */
	/* QEMU's stderr: the line chosen for reasons, the one in progress. */
	char		kr_errline[KT_SNIPPET];
	bool		kr_errline_iserror;
	char		kr_errbuf[KT_SNIPPET];
	size_t		kr_errlen;
};

static volatile sig_atomic_t kt_gotsig;

static void	kt_seterr(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
static void	kt_setreason(struct kt_outcome *, enum kt_res, const char *,
		    ...) __attribute__((__format__(__printf__, 3, 4)));

static void
kt_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Set an outcome.  The reason is made safe for kyua's result file: one
 * line of printable ASCII, never empty.
 */
static void
kt_setreason(struct kt_outcome *ko, enum kt_res res, const char *fmt, ...)
{
	va_list ap;
	char *p;

	ko->ko_res = res;
	va_start(ap, fmt);
	vsnprintf(ko->ko_reason, sizeof(ko->ko_reason), fmt, ap);
	va_end(ap);
	for (p = ko->ko_reason; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	}
	if (ko->ko_reason[0] == '\0')
		snprintf(ko->ko_reason, sizeof(ko->ko_reason), "no reason");
}

static long
kt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * Parse a decimal number in [lo, hi] that is the whole of s (no sign, no
 * spaces, no leading zeros except "0").  Returns -1 if it is not.
 */
static long
kt_parsenum(const char *s, size_t len, long lo, long hi)
{
	long v;
	size_t i;

	if (len == 0 || len > 9 || (len > 1 && s[0] == '0'))
		return (-1);
	v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return (-1);
	return (v);
}

/* Copy at most dstlen - 1 bytes and terminate; a cut is marked "...". */
static void
kt_strlcpy(char *dst, const char *src, size_t dstlen)
{
	size_t n;

	n = strlen(src);
	if (n < dstlen) {
		memcpy(dst, src, n + 1);
		return;
	}
	memcpy(dst, src, dstlen - 1);
	dst[dstlen - 1] = '\0';
	if (dstlen > 4)
		memcpy(dst + dstlen - 4, "...", 3);
}

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

static bool
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
static int
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

/* Append the cases of one metadata line, already split into fields. */
static int
kt_meta_addline(struct kt_meta *km, char **f, size_t lineno, char *err,
    size_t errlen)
{
	struct kt_case *kc;
	const char *p;
	int cpus[KT_MAXCPULIST];
	long xfail, timeout;
	int ncpus, i;
	size_t j;

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
	if (km->km_ncases + ncpus > KT_MAXCASES) {
		kt_seterr(err, errlen, "%s: more than %d test cases",
		    KT_META_SECTION, KT_MAXCASES);
		return (-1);
	}
	for (i = 0; i < ncpus; i++) {
		kc = &km->km_cases[km->km_ncases];
		kc->kc_base = f[0];
		kc->kc_desc = f[4];
		kc->kc_cpus = cpus[i];
		kc->kc_xfail = (int)xfail;
		kc->kc_timeout = (int)timeout;
		kc->kc_multi = ncpus > 1;
		if (ncpus == 1)
			snprintf(kc->kc_ident, sizeof(kc->kc_ident), "%s",
			    f[0]);
		else
			snprintf(kc->kc_ident, sizeof(kc->kc_ident), "%s_smp%d",
			    f[0], cpus[i]);
		for (j = 0; j < km->km_ncases; j++) {
			if (strcmp(km->km_cases[j].kc_ident,
			    kc->kc_ident) == 0) {
				kt_seterr(err, errlen, "%s line %zu: test case "
				    "name '%s' is used twice", KT_META_SECTION,
				    lineno, kc->kc_ident);
				return (-1);
			}
		}
		km->km_ncases++;
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

static void
kt_meta_free(struct kt_meta *km)
{

	free(km->km_text);
	free(km->km_cases);
	km->km_text = NULL;
	km->km_cases = NULL;
	km->km_ncases = 0;
}

/* Read the test list out of the kernel image at path. */
static int
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

static const struct kt_case *
kt_meta_find(const struct kt_meta *km, const char *ident)
{
	size_t i;

	for (i = 0; i < km->km_ncases; i++) {
		if (strcmp(km->km_cases[i].kc_ident, ident) == 0)
			return (&km->km_cases[i]);
	}
	return (NULL);
}

/*
 * Streaming KTAP parser.  Bytes go in as they come off the serial port;
 * each complete line is judged and dropped, so memory stays bounded
 * however much the guest prints.
 */

/* Copy the text after "prefix" when line starts with it. */
static bool
kt_prefix(const char *line, const char *prefix, const char **restp)
{
	size_t n;

	n = strlen(prefix);
	if (strncmp(line, prefix, n) != 0)
		return (false);
	if (restp != NULL)
		*restp = line + n;
	return (true);
}

/* A panic line: "panic: MSG" or "cpuN: panic: MSG". */
static bool
kt_ispanic(const char *line, const char **msgp)
{
	const char *p;

	p = line;
	if (kt_prefix(p, "cpu", &p)) {
		if (*p < '0' || *p > '9')
			return (false);
		while (*p >= '0' && *p <= '9')
			p++;
		if (!kt_prefix(p, ": ", &p))
			return (false);
	}
	if (!kt_prefix(p, "panic:", &p))
		return (false);
	while (*p == ' ')
		p++;
	*msgp = p;
	return (true);
}

/* Parse a result line "ok N name # directive" (after the "ok "). */
static void
kt_ktap_result(struct kt_ktap *kp, bool ok, const char *p)
{
	const char *start, *hash;
	size_t n;

	kp->kp_nresults++;
	if (kp->kp_nresults > 1)
		return;
	kp->kp_ok = ok;
	start = p;
	while (*p >= '0' && *p <= '9')
		p++;
	kp->kp_num = kt_parsenum(start, (size_t)(p - start), 0, 999999999);
	while (*p == ' ')
		p++;
	hash = strstr(p, " #");
	n = hash != NULL ? (size_t)(hash - p) : strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n >= sizeof(kp->kp_name))
		n = sizeof(kp->kp_name) - 1;
	memcpy(kp->kp_name, p, n);
	kp->kp_name[n] = '\0';
	if (hash != NULL) {
		hash += 2;
		while (*hash == ' ')
			hash++;
		kp->kp_hasdirective = true;
		kt_strlcpy(kp->kp_directive, hash, sizeof(kp->kp_directive));
	}
}

static void
kt_ktap_line(struct kt_ktap *kp, char *line, size_t len)
{
	const char *rest;

	while (len > 0 && line[len - 1] == '\r')
		len--;
	line[len] = '\0';
	if (len == 0)
		return;
	kt_strlcpy(kp->kp_last, line, sizeof(kp->kp_last));
	if (!kp->kp_haspanic && kt_ispanic(line, &rest)) {
		kp->kp_haspanic = true;
		kt_strlcpy(kp->kp_panic, rest, sizeof(kp->kp_panic));
	}
	if (strcmp(line, "KTAP version 1") == 0) {
		kp->kp_version = true;
		return;
	}
	if (!kp->kp_version) {
		/* Boot messages come first; only note a wrong version. */
		if (kt_prefix(line, "KTAP version ", NULL) &&
		    kp->kp_badversion[0] == '\0')
			kt_strlcpy(kp->kp_badversion, line,
			    sizeof(kp->kp_badversion));
		return;
	}
	if (kt_prefix(line, "1..", &rest) &&
	    kt_parsenum(rest, strlen(rest), 0, 999999999) >= 0) {
		kp->kp_nplans++;
		kp->kp_plan = kt_parsenum(rest, strlen(rest), 0, 999999999);
	} else if (kt_prefix(line, "ok ", &rest))
		kt_ktap_result(kp, true, rest);
	else if (kt_prefix(line, "not ok ", &rest))
		kt_ktap_result(kp, false, rest);
	else if (!kp->kp_hasfail && kt_prefix(line, "# FAIL ", &rest)) {
		kp->kp_hasfail = true;
		kt_strlcpy(kp->kp_fail, rest, sizeof(kp->kp_fail));
	}
}

/*
 * Feed raw serial bytes.  Control bytes other than CR and LF become '?'
 * and tabs spaces, so everything quoted later is printable.  An
 * over-long line is cut for analysis (the raw log is unaffected).
 */
static void
kt_ktap_feed(struct kt_ktap *kp, const char *buf, size_t n)
{
	unsigned char c;
	size_t i;

	kp->kp_bytes += n;
	for (i = 0; i < n; i++) {
		c = (unsigned char)buf[i];
		if (c == '\n') {
			kt_ktap_line(kp, kp->kp_line, kp->kp_len);
			kp->kp_len = 0;
			continue;
		}
		if (c == '\t')
			c = ' ';
		else if (c != '\r' && (c < 0x20 || c >= 0x7f))
			c = '?';
		if (kp->kp_len < sizeof(kp->kp_line) - 1)
			kp->kp_line[kp->kp_len++] = (char)c;
	}
}

static void
kt_ktap_finish(struct kt_ktap *kp)
{

	if (kp->kp_len > 0)
		kt_ktap_line(kp, kp->kp_line, kp->kp_len);
	kp->kp_len = 0;
}

/*
 * QEMU's stderr: pass it through and remember one line for reasons, the
 * first that mentions an error, else the first one.
 */
static void
kt_errline(struct kt_run *kr)
{
	char *l;
	size_t len;

	l = kr->kr_errbuf;
	len = kr->kr_errlen;
	while (len > 0 && (l[len - 1] == '\r' || l[len - 1] == ' '))
		len--;
	l[len] = '\0';
	kr->kr_errlen = 0;
	if (len == 0 || kr->kr_errline_iserror)
		return;
	if (strstr(l, "KVM internal error") != NULL)
		kr->kr_kvmerror = true;
	if (strcasestr(l, "error") != NULL || strcasestr(l, "cannot") != NULL) {
		kr->kr_errline_iserror = true;
		kt_strlcpy(kr->kr_errline, l, sizeof(kr->kr_errline));
	} else if (kr->kr_errline[0] == '\0')
		kt_strlcpy(kr->kr_errline, l, sizeof(kr->kr_errline));
}

static void
kt_err_feed(struct kt_run *kr, const char *buf, size_t n)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)buf[i];
		if (c == '\n') {
			kt_errline(kr);
			continue;
		}
		if (c < 0x20 || c >= 0x7f)
			c = '?';
		if (kr->kr_errlen < sizeof(kr->kr_errbuf) - 1)
			kr->kr_errbuf[kr->kr_errlen++] = (char)c;
	}
}

/*
 * Running QEMU.
 */

static void
kt_writeall(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;		/* nobody is listening */
		buf += w;
		n -= (size_t)w;
	}
}

static void
kt_onsignal(int sig)
{

	kt_gotsig = sig;
}

/*
 * The child: own process group (so the whole tree can be killed), dies
 * with us, stdin from /dev/null, stdout and stderr into our pipes.
 * Never returns.
 */
static void
kt_child(char **argv, int outfd, int errfd, pid_t parent)
{
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(KT_EXIT_EXEC);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(outfd, 1) < 0 ||
	    dup2(errfd, 2) < 0)
		_exit(KT_EXIT_EXEC);
	execvp(argv[0], argv);
	dprintf(2, "ktest: cannot execute %s: %s\n", argv[0], strerror(errno));
	_exit(KT_EXIT_EXEC);
}

/* Read what is there on fd; returns false at end of file. */
static bool
kt_pump(int fd, struct kt_run *kr, bool serial)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK);
		if (n == 0)
			return (false);
		if (serial) {
			kt_writeall(1, buf, (size_t)n);
			kt_ktap_feed(&kr->kr_ktap, buf, (size_t)n);
		} else {
			kt_writeall(2, buf, (size_t)n);
			kt_err_feed(kr, buf, (size_t)n);
		}
	}
}

/*
 * Run argv with a limit of kr->kr_limit seconds.  On return the whole
 * process group is dead and reaped; kr holds what was seen.  Returns -1
 * only if the process could not be started at all (err says why).
 *
 * NOTE: the leader is only observed with WNOWAIT until its group has been
 * killed, so the group id cannot be reused by then.
 *
 * NOTE: after "KVM internal error" QEMU stops the guest and waits forever;
 * that is cut short after KT_GRACE_MS (for the register dump).
 */
static int
kt_spawn(char **argv, struct kt_run *kr, char *err, size_t errlen)
{
	struct pollfd pfd[2];
	siginfo_t si;
	long start, now, deadline, exited_at, kvm_at;
	int outp[2], errp[2], nfd, i, st;
	bool live[2], exited;
	pid_t pid, self;

	if (pipe2(outp, O_CLOEXEC) != 0) {
		kt_seterr(err, errlen, "pipe: %s", strerror(errno));
		return (-1);
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		kt_seterr(err, errlen, "pipe: %s", strerror(errno));
		close(outp[0]);
		close(outp[1]);
		return (-1);
	}
	fflush(stdout);
	fflush(stderr);
	self = getpid();
	pid = fork();
	if (pid < 0) {
		kt_seterr(err, errlen, "fork: %s", strerror(errno));
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		return (-1);
	}
	if (pid == 0)
		kt_child(argv, outp[1], errp[1], self);
	(void)setpgid(pid, pid);	/* races the child's own call */
	close(outp[1]);
	close(errp[1]);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	live[0] = live[1] = true;
	exited = false;
	exited_at = kvm_at = 0;
	start = kt_now_ms();
	deadline = start + (long)kr->kr_limit * 1000;
	for (;;) {
		now = kt_now_ms();
		if (kt_gotsig != 0)
			break;
		if (!exited) {
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)pid, &si,
			    WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    si.si_pid == pid) {
				exited = true;
				exited_at = now;
			}
		}
		if (exited && ((!live[0] && !live[1]) ||
		    now - exited_at >= KT_GRACE_MS))
			break;
		if (!exited && now >= deadline) {
			kr->kr_timedout = true;
			break;
		}
		if (kr->kr_kvmerror && kvm_at == 0)
			kvm_at = now;
		if (!exited && kvm_at != 0 && now - kvm_at >= KT_GRACE_MS)
			break;
		nfd = 0;
		for (i = 0; i < 2; i++) {
			if (!live[i])
				continue;
			pfd[nfd].fd = i == 0 ? outp[0] : errp[0];
			pfd[nfd].events = POLLIN;
			pfd[nfd].revents = 0;
			nfd++;
		}
		(void)poll(pfd, (nfds_t)nfd, KT_SLICE_MS);
		if (live[0])
			live[0] = kt_pump(outp[0], kr, true);
		if (live[1])
			live[1] = kt_pump(errp[0], kr, false);
	}
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kr->kr_status = st;
	/* Whatever the dead wrote last is still in the pipes. */
	if (live[0])
		(void)kt_pump(outp[0], kr, true);
	if (live[1])
		(void)kt_pump(errp[0], kr, false);
	close(outp[0]);
	close(errp[0]);
	kt_ktap_finish(&kr->kr_ktap);
	if (kr->kr_errlen > 0)
		kt_errline(kr);
	return (0);
}

/*
 * Judging a run.
 */

/* "; last line: X" or "; no serial output", for reasons. */
static void
kt_lastline(const struct kt_run *kr, char *buf, size_t len)
{

	if (kr->kr_ktap.kp_bytes == 0)
		snprintf(buf, len, "; no serial output");
	else
		snprintf(buf, len, "; last line: %s", kr->kr_ktap.kp_last);
	if (kr->kr_errline[0] != '\0')
		snprintf(buf + strlen(buf), len - strlen(buf),
		    "; qemu stderr: %s", kr->kr_errline);
}

/* Steps (1) to (6): how QEMU ended.  Returns true if that decided it. */
static bool
kt_judge_exit(const struct kt_run *kr, struct kt_outcome *ko)
{
	const struct kt_ktap *kp;
	char last[KT_REASONMAX / 2];
	int code;

	kp = &kr->kr_ktap;
	kt_lastline(kr, last, sizeof(last));
	code = WIFEXITED(kr->kr_status) ? WEXITSTATUS(kr->kr_status) : -1;
	if (kp->kp_haspanic) {
		if (kr->kr_timedout)
			kt_setreason(ko, KT_FAILED, "panic: %s (then no exit "
			    "after %ds)", kp->kp_panic, kr->kr_limit);
		else if (code == KT_EXIT_FAIL)
			kt_setreason(ko, KT_FAILED, "panic: %s", kp->kp_panic);
		else if (code == 0)
			kt_setreason(ko, KT_FAILED, "panic: %s (then triple "
			    "fault or reset)", kp->kp_panic);
		else if (code >= 0)
			kt_setreason(ko, KT_FAILED, "panic: %s (then qemu exit "
			    "status %d)", kp->kp_panic, code);
		else
			kt_setreason(ko, KT_FAILED, "panic: %s (then qemu "
			    "killed by signal %d)", kp->kp_panic,
			    WTERMSIG(kr->kr_status));
		return (true);
	}
	if (kr->kr_kvmerror) {
		/*
		 * The nested KVM of DESIGN 4 gives up on some instructions,
		 * and also on a guest that faults with no usable IDT (where
		 * TCG shows a triple fault): so this can be the expected
		 * death of an xfail test, and is not marked ko_infra.
		 */
		kt_setreason(ko, KT_BROKEN, "KVM internal error, guest stopped "
		    "(try accel=tcg)%s", last);
		return (true);
	}
	if (kr->kr_timedout) {
		kt_setreason(ko, KT_BROKEN, "hang: no %s after %ds%s",
		    kp->kp_nresults > 0 ? "exit" : "result", kr->kr_limit,
		    last);
		return (true);
	}
	if (code < 0) {
		kt_setreason(ko, KT_BROKEN, "qemu killed by signal %d%s",
		    WTERMSIG(kr->kr_status), last);
		return (true);
	}
	if (code == KT_EXIT_EXEC && kp->kp_bytes == 0) {
		ko->ko_infra = true;
		kt_setreason(ko, KT_BROKEN, "cannot run qemu%s", last);
		return (true);
	}
	if (code == 0) {
		kt_setreason(ko, KT_BROKEN, "triple fault or reset: qemu "
		    "exited with status 0%s", last);
		return (true);
	}
	if (code != KT_EXIT_PASS && code != KT_EXIT_FAIL) {
		/*
		 * QEMU's own errors (bad option, no KVM) exit 1 before the
		 * guest says anything; a guest writing 0 to isa-debug-exit
		 * also exits 1, but without a message from QEMU.
		 */
		if (code == 1 && kp->kp_bytes == 0 &&
		    kr->kr_errline[0] != '\0') {
			ko->ko_infra = true;
			kt_setreason(ko, KT_BROKEN, "qemu failed to start: %s",
			    kr->kr_errline);
		} else
			kt_setreason(ko, KT_BROKEN, "qemu exit status %d, "
			    "expected %d (pass) or %d (fail)%s", code,
			    KT_EXIT_PASS, KT_EXIT_FAIL, last);
		return (true);
	}
	return (false);
}

/* Steps (7) and (8): the KTAP stream and its agreement with the status. */
static void
kt_judge_ktap(const struct kt_run *kr, const struct kt_case *kc,
    struct kt_outcome *ko)
{
	const struct kt_ktap *kp;
	const char *why;
	bool passcode;

	kp = &kr->kr_ktap;
	passcode = WEXITSTATUS(kr->kr_status) == KT_EXIT_PASS;
	if (!kp->kp_version) {
		if (kp->kp_badversion[0] != '\0')
			kt_setreason(ko, KT_BROKEN, "unsupported KTAP header "
			    "'%s', expected 'KTAP version 1'",
			    kp->kp_badversion);
		else
			kt_setreason(ko, KT_BROKEN, "no 'KTAP version 1' line "
			    "on the serial console%s%s",
			    kp->kp_bytes == 0 ? "" : "; last line: ",
			    kp->kp_bytes == 0 ? "" : kp->kp_last);
		return;
	}
	if (kp->kp_nplans == 0) {
		kt_setreason(ko, KT_BROKEN, "no KTAP plan line ('1..1')");
		return;
	}
	if (kp->kp_nplans > 1) {
		kt_setreason(ko, KT_BROKEN, "%d KTAP plan lines, expected one",
		    kp->kp_nplans);
		return;
	}
	if (kp->kp_plan != 1) {
		kt_setreason(ko, KT_BROKEN, "KTAP plan is '1..%ld', expected "
		    "'1..1'%s", kp->kp_plan, kp->kp_plan == 0 ?
		    " (does the kernel know a test called this?)" : "");
		return;
	}
	if (kp->kp_nresults == 0) {
		kt_setreason(ko, KT_BROKEN, "no KTAP result line ('ok 1 %s')",
		    kc->kc_base);
		return;
	}
	if (kp->kp_nresults > 1) {
		kt_setreason(ko, KT_BROKEN, "%d KTAP result lines, expected "
		    "one", kp->kp_nresults);
		return;
	}
	if (kp->kp_num != 1 || strcmp(kp->kp_name, kc->kc_base) != 0) {
		kt_setreason(ko, KT_BROKEN, "KTAP result is for test %ld '%s', "
		    "expected test 1 '%s'", kp->kp_num, kp->kp_name,
		    kc->kc_base);
		return;
	}
	if (kp->kp_ok != passcode) {
		kt_setreason(ko, KT_BROKEN, "KTAP result '%s' disagrees with "
		    "qemu exit status %d (%s)", kp->kp_ok ? "ok" : "not ok",
		    WEXITSTATUS(kr->kr_status), passcode ? "pass" : "fail");
		return;
	}
	if (kp->kp_hasdirective) {
		why = kp->kp_directive + 4;
		if (!kp->kp_ok ||
		    strncasecmp(kp->kp_directive, "SKIP", 4) != 0 ||
		    (*why != '\0' && *why != ' ')) {
			kt_setreason(ko, KT_BROKEN, "unsupported KTAP "
			    "directive '# %s' on a%s result", kp->kp_directive,
			    kp->kp_ok ? "n ok" : " not ok");
			return;
		}
		while (*why == ' ')
			why++;
		kt_setreason(ko, KT_SKIPPED, "%s", *why != '\0' ? why :
		    "skipped by the kernel");
		return;
	}
	if (!kp->kp_ok) {
		if (kp->kp_hasfail)
			kt_setreason(ko, KT_FAILED, "%s", kp->kp_fail);
		else
			kt_setreason(ko, KT_FAILED, "not ok, without a "
			    "'# FAIL' diagnostic");
		return;
	}
	if (kp->kp_hasfail) {
		kt_setreason(ko, KT_BROKEN, "KTAP result ok, but a failure was "
		    "reported: %s", kp->kp_fail);
		return;
	}
	ko->ko_res = KT_PASSED;
	ko->ko_reason[0] = '\0';
}

static const char *
kt_resname(enum kt_res res)
{

	switch (res) {
	case KT_PASSED:
		return ("passed");
	case KT_FAILED:
		return ("failed");
	case KT_BROKEN:
		return ("broken");
	case KT_SKIPPED:
		return ("skipped");
	case KT_XFAIL:
		return ("expected_failure");
	}
	return ("broken");
}

/* Apply the xfail mark: failure is expected, success is the surprise. */
static void
kt_apply_xfail(const struct kt_case *kc, struct kt_outcome *ko)
{
	char why[KT_REASONMAX];

	if (!kc->kc_xfail || ko->ko_infra)
		return;
	if (ko->ko_res == KT_FAILED || ko->ko_res == KT_BROKEN) {
		snprintf(why, sizeof(why), "%s: %s", kt_resname(ko->ko_res),
		    ko->ko_reason);
		kt_setreason(ko, KT_XFAIL, "%s", why);
	} else if (ko->ko_res == KT_PASSED)
		kt_setreason(ko, KT_FAILED, "expected this test to fail, but "
		    "it passed");
}

/*
 * Configuration and the two modes.
 */

/* Default kernel: BUILD/kernel.elf for this program at BUILD/tests/kern. */
static const char *
kt_default_kernel(struct kt_config *cf)
{
	char self[PATH_MAX];
	const char *dir;
	char *slash;
	ssize_t n;

	if (cf->cf_srcdir != NULL)
		dir = cf->cf_srcdir;
	else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0)
			return ("kernel.elf");
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash == NULL)
			return ("kernel.elf");
		*slash = '\0';
		dir = self;
	}
	snprintf(cf->cf_kernelbuf, sizeof(cf->cf_kernelbuf),
	    "%s/../../kernel.elf", dir);
	return (cf->cf_kernelbuf);
}

/*
 * Take one "-v name=value"; unknown names are kyua's business.  A bad
 * value is kept in cf_error, to be reported like a bad kernel image (a
 * listing must not fail or write to stderr, see kt_list()).
 */
static void
kt_setvar(struct kt_config *cf, const char *arg)
{
	const char *eq, *v;
	size_t i;
	long n;

	eq = strchr(arg, '=');
	if (eq == NULL) {
		kt_seterr(cf->cf_error, sizeof(cf->cf_error), "variable "
		    "'%s' is not name=value", arg);
		return;
	}
	v = eq + 1;
	if (strncmp(arg, "kernel=", 7) == 0)
		cf->cf_kernel = v;
	else if (strncmp(arg, "qemu=", 5) == 0) {
		if (v[0] == '\0')
			kt_seterr(cf->cf_error, sizeof(cf->cf_error),
			    "variable qemu is empty");
		cf->cf_qemu = v;
	} else if (strncmp(arg, "accel=", 6) == 0) {
		for (i = 0; v[i] != '\0'; i++) {
			if (strchr("abcdefghijklmnopqrstuvwxyz0123456789:_-",
			    v[i]) == NULL)
				break;
		}
		if (i == 0 || v[i] != '\0')
			kt_seterr(cf->cf_error, sizeof(cf->cf_error),
			    "variable accel is '%s', not a list like kvm:tcg",
			    v);
		cf->cf_accel = v;
	} else if (strncmp(arg, "hang_timeout=", 13) == 0) {
		n = kt_parsenum(v, strlen(v), 1, KT_MAXTIMEOUT);
		if (n < 0)
			kt_seterr(cf->cf_error, sizeof(cf->cf_error),
			    "variable hang_timeout is '%s', not 1..%d seconds",
			    v, KT_MAXTIMEOUT);
		cf->cf_hang_timeout = n < 0 ? 0 : (int)n;
	}
}

/* Our limit for one case, in seconds. */
static int
kt_limit(const struct kt_config *cf, const struct kt_case *kc)
{

	if (cf->cf_hang_timeout != 0)
		return (cf->cf_hang_timeout);
	return (kc->kc_timeout + KT_BOOT_SLACK);
}

static void
kt_list(const struct kt_config *cf)
{
	struct kt_meta km;
	const struct kt_case *kc;
	char err[KT_REASONMAX];
	size_t i;

	printf("Content-Type: application/X-atf-tp; version=\"1\"\n");
	if (cf->cf_error[0] != '\0' ||
	    kt_meta_load(&km, cf->cf_kernel, err, sizeof(err)) != 0) {
		/*
		 * NOTE: not a word on stderr: kyua turns a listing that
		 * writes to stderr into one broken pseudo-case and drops
		 * the text.  The synthetic case reports err when run.
		 */
		printf("\nident: %s\n", KT_META_CASE);
		printf("descr: Checks the harness's variables and reads the "
		    "list of tests out of the kernel image\n");
		printf("timeout: 60\n");
		return;
	}
	for (i = 0; i < km.km_ncases; i++) {
		kc = &km.km_cases[i];
		printf("\nident: %s\n", kc->kc_ident);
		printf("descr: %s", kc->kc_desc);
		if (kc->kc_multi)
			printf(" [%d CPU%s]", kc->kc_cpus,
			    kc->kc_cpus == 1 ? "" : "s");
		if (kc->kc_xfail)
			printf(" (expected to fail)");
		printf("\n");
		printf("timeout: %d\n", kt_limit(cf, kc) + KT_KYUA_SLACK);
	}
	kt_meta_free(&km);
}

/* Write the result line; returns the exit status kyua expects. */
static int
kt_report(const struct kt_config *cf, const char *ident,
    const struct kt_outcome *ko)
{
	FILE *fp;
	int rv;

	if (ko->ko_res == KT_PASSED)
		fprintf(stderr, "ktest: %s: passed\n", ident);
	else
		fprintf(stderr, "ktest: %s: %s: %s\n", ident,
		    kt_resname(ko->ko_res), ko->ko_reason);
	fp = cf->cf_resfile != NULL ? fopen(cf->cf_resfile, "w") : stdout;
	if (fp == NULL) {
		fprintf(stderr, "ktest: cannot create %s: %s\n",
		    cf->cf_resfile, strerror(errno));
		return (EXIT_FAILURE);
	}
	if (ko->ko_res == KT_PASSED)
		rv = fprintf(fp, "passed\n");
	else
		rv = fprintf(fp, "%s: %s\n", kt_resname(ko->ko_res),
		    ko->ko_reason);
	if (fp != stdout) {
		if (fclose(fp) != 0)
			rv = -1;
	} else if (fflush(fp) != 0)
		rv = -1;
	if (rv < 0) {
		fprintf(stderr, "ktest: cannot write the result\n");
		return (EXIT_FAILURE);
	}
	switch (ko->ko_res) {
	case KT_PASSED:
	case KT_SKIPPED:
	case KT_XFAIL:
		return (EXIT_SUCCESS);
	default:
		return (EXIT_FAILURE);
	}
}

/* Boot one case and judge it. */
static void
kt_run_case(const struct kt_config *cf, const struct kt_case *kc,
    struct kt_outcome *ko)
{
	struct kt_run *kr;
	char machine[128], smp[16], append[KT_MAXNAME + 32], err[256];
	char *argv[32];
	int n, i;

	n = 0;
	snprintf(machine, sizeof(machine), "q35,accel=%s", cf->cf_accel);
	snprintf(smp, sizeof(smp), "%d", kc->kc_cpus);
	snprintf(append, sizeof(append), "ktest=%s smp=%d", kc->kc_base,
	    kc->kc_cpus);
	argv[n++] = (char *)cf->cf_qemu;
	argv[n++] = "-machine";
	argv[n++] = machine;
	argv[n++] = "-cpu";
	argv[n++] = "max";
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = "512M";
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-reboot";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-device";
	argv[n++] = "isa-debug-exit,iobase=0xf4,iosize=0x04";
	argv[n++] = "-kernel";
	argv[n++] = (char *)cf->cf_kernel;
	argv[n++] = "-append";
	argv[n++] = append;
	argv[n] = NULL;

	fprintf(stderr, "ktest: running:");
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, "\n");

	memset(ko, 0, sizeof(*ko));
	kr = calloc(1, sizeof(*kr));
	if (kr == NULL) {
		ko->ko_infra = true;
		kt_setreason(ko, KT_BROKEN, "out of memory");
		return;
	}
	kr->kr_limit = kt_limit(cf, kc);
	if (kt_spawn(argv, kr, err, sizeof(err)) != 0) {
		ko->ko_infra = true;
		kt_setreason(ko, KT_BROKEN, "cannot start qemu: %s", err);
	} else if (kt_gotsig == 0) {
		if (!kt_judge_exit(kr, ko))
			kt_judge_ktap(kr, kc, ko);
		kt_apply_xfail(kc, ko);
	}
	free(kr);
}

static int
kt_run(const struct kt_config *cf, const char *arg)
{
	struct kt_meta km;
	struct kt_outcome ko;
	const struct kt_case *kc;
	struct sigaction sa;
	char ident[KT_MAXNAME + 16], err[KT_REASONMAX];
	const char *colon;
	size_t n;
	int rv, sig;

	memset(&ko, 0, sizeof(ko));
	colon = strchr(arg, ':');
	n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	if (n >= sizeof(ident))
		n = sizeof(ident) - 1;
	memcpy(ident, arg, n);
	ident[n] = '\0';
	if (colon != NULL && strcmp(colon, ":cleanup") == 0)
		return (EXIT_SUCCESS);		/* nothing to undo */
	if (colon != NULL && strcmp(colon, ":body") != 0) {
		kt_setreason(&ko, KT_BROKEN, "bad test case part '%s'", colon);
		return (kt_report(cf, ident, &ko));
	}
	if (cf->cf_error[0] != '\0') {
		kt_setreason(&ko, KT_BROKEN, "%s", cf->cf_error);
		return (kt_report(cf, ident, &ko));
	}
	if (kt_meta_load(&km, cf->cf_kernel, err, sizeof(err)) != 0) {
		kt_setreason(&ko, KT_BROKEN, "%s", err);
		return (kt_report(cf, ident, &ko));
	}
	kc = kt_meta_find(&km, ident);
	if (kc == NULL) {
		kt_setreason(&ko, KT_BROKEN, "the kernel has no test case "
		    "'%s'", ident);
		kt_meta_free(&km);
		return (kt_report(cf, ident, &ko));
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kt_onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	kt_run_case(cf, kc, &ko);
	kt_meta_free(&km);
	if (kt_gotsig != 0) {
		/* Interrupted: QEMU is gone; die of the same signal. */
		sig = kt_gotsig;
		fprintf(stderr, "ktest: interrupted by signal %d\n", sig);
		signal(sig, SIG_DFL);
		raise(sig);
		return (EXIT_FAILURE);
	}
	rv = kt_report(cf, ident, &ko);
	return (rv);
}

/* Make sure fds 0-2 exist, so our pipes never land on them. */
static void
kt_stdfds(void)
{
	int fd;

	for (;;) {
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			return;
		if (fd > 2) {
			close(fd);
			return;
		}
	}
}

static void
kt_usage(void)
{

	fprintf(stderr,
	    "usage: ktest [-v var=value]... -l\n"
	    "       ktest [-v var=value]... [-s srcdir] [-r resfile] "
	    "case[:body]\n"
	    "variables: kernel=PATH accel=LIST qemu=PATH "
	    "hang_timeout=SECONDS\n");
	exit(EXIT_FAILURE);
}

int
main(int argc, char **argv)
{
	struct kt_config cf;
	bool list;
	int ch;

	kt_stdfds();
	signal(SIGPIPE, SIG_IGN);
	memset(&cf, 0, sizeof(cf));
	cf.cf_qemu = "qemu-system-x86_64";
	cf.cf_accel = "kvm:tcg";
	list = false;
	while ((ch = getopt(argc, argv, "lr:s:v:")) != -1) {
		switch (ch) {
		case 'l':
			list = true;
			break;
		case 'r':
			cf.cf_resfile = optarg;
			break;
		case 's':
			cf.cf_srcdir = optarg;
			break;
		case 'v':
			if (cf.cf_error[0] == '\0')
				kt_setvar(&cf, optarg);
			break;
		default:
			kt_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (cf.cf_kernel == NULL)
		cf.cf_kernel = kt_default_kernel(&cf);
	if (list) {
		if (argc != 0)
			kt_usage();
		kt_list(&cf);
		return (fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
	}
	if (argc != 1)
		kt_usage();
	return (kt_run(&cf, argv[0]));
}
