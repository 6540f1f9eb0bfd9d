/*
 * ktest: the userland tests.  See ktest.c for the harness as a whole.
 *
 * A userland test is a program (or a scripted shell session) in the
 * initrd under /usr/tests.  The harness boots the kernel with
 * "utest=NAME smp=N"; the kernel starts /sbin/init with "-t NAME", and
 * init runs the test with the console as its descriptors and reports it
 * in KTAP exactly like an in-kernel test ("KTAP version 1", "1..1", then
 * "ok 1 NAME" or "not ok 1 NAME"), then leaves QEMU with status 33 or 65.
 * So a userland case is judged by the same steps (1) to (8), and then by
 * its expected output, if it has one.
 *
 * The list of tests is the MANIFEST (tests/user/MANIFEST, installed as
 * BUILD/uroot/usr/tests/MANIFEST), one test a line:
 *
 *	NAME CPUS TIMEOUT DESCRIPTION...
 *
 * fields separated by blanks (spaces or tabs); the description is the
 * rest of the line.  NAME is letters, digits and '_' (not a leading
 * digit, at most KT_MAXNAME bytes); CPUS a CPU count or a list "1,4";
 * TIMEOUT seconds.  Empty lines and lines starting with '#' are ignored.
 * Case names are "user_NAME", or "user_NAME_smpN" for a list, so they
 * never meet the kernel's own.  The file is untrusted input: a bad line
 * drops every userland case and lists one synthetic case, user_manifest,
 * that reports the line and the reason when run (the kernel's cases are
 * unaffected).  A missing MANIFEST means no userland tests.
 *
 * Scripted sessions.  NAME.in next to the MANIFEST is typed into the
 * console (QEMU's stdin, "-serial stdio"); NAME.expect lists lines that
 * must appear in the serial output, each as part of a line, in that
 * order.  Typing starts once the KTAP plan is out (init prints it before
 * it starts the test, so the guest is up and reading the console by
 * then; earlier bytes could be lost when the kernel resets the UART) and
 * goes one line, at most KT_FEED_CHUNK bytes, every KT_FEED_MS.  QEMU
 * only takes bytes from the pipe when the UART has room, so nothing is
 * lost on the host side; the guest keeps what its reader has not taken
 * yet in a 256-byte ring, and the pacing keeps that from overflowing
 * while a command runs.  The pipe stays open until QEMU exits (the
 * session ends itself, with "exit").
 */

#define _GNU_SOURCE

#include "ktest.h"

/*
 * Read the regular file path (at most max bytes) into a NUL-terminated
 * buffer.  Returns 0 with *bufp and *lenp, 1 if the file does not exist,
 * -1 with err otherwise.
 */
static int
kt_slurp(const char *path, long max, char **bufp, size_t *lenp, char *err,
    size_t errlen)
{
	struct stat st;
	size_t done;
	ssize_t n;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return (1);
	if (fd < 0) {
		kt_seterr(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > max) {
		kt_seterr(err, errlen, "%s is not a regular file of at most "
		    "%ld bytes", path, max);
		close(fd);
		return (-1);
	}
	buf = malloc((size_t)st.st_size + 1);
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
		if (n <= 0)
			break;		/* shrank under us: take what is there */
		done += (size_t)n;
	}
	close(fd);
	buf[done] = '\0';
	*bufp = buf;
	*lenp = done;
	return (0);
}

/* Next blank-separated field of *pp, terminated in place; "" at the end. */
static char *
kt_field(char **pp)
{
	char *p, *start;

	p = *pp;
	while (*p == ' ' || *p == '\t')
		p++;
	start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return (start);
}

/*
 * Check one MANIFEST line (NUL-terminated, without its newline) and
 * append its cases.  Blank lines and comments add nothing.
 */
static int
kt_user_line(struct kt_meta *km, char *line, size_t lineno, char *err,
    size_t errlen)
{
	char *p, *name, *cpulist, *tmo, why[KT_REASONMAX / 4];
	int cpus[KT_MAXCPULIST], ncpus;
	size_t len;
	long timeout;

	len = strlen(line);
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
	    line[len - 1] == '\t'))
		line[--len] = '\0';
	for (p = line; *p != '\0'; p++) {
		if (*p == '\t')
			continue;
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
			kt_seterr(err, errlen, "line %zu has a non-printable "
			    "byte %#x", lineno, (unsigned char)*p);
			return (-1);
		}
	}
	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return (0);
	name = kt_field(&p);
	cpulist = kt_field(&p);
	tmo = kt_field(&p);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		kt_seterr(err, errlen, "line %zu does not have 4 fields (name, "
		    "cpus, timeout, description)", lineno);
		return (-1);
	}
	if (!kt_validname(name) || strcmp(name, "manifest") == 0) {
		kt_seterr(err, errlen, "line %zu: bad test name '%.*s'",
		    lineno, KT_MAXNAME, name);
		return (-1);
	}
	ncpus = kt_parsecpus(cpulist, cpus);
	if (ncpus < 0) {
		kt_seterr(err, errlen, "line %zu (%s): bad CPU list '%.*s' "
		    "(want up to %d distinct counts in 1..%d, comma-separated)",
		    lineno, name, 40, cpulist, KT_MAXCPULIST, KT_MAXCPUS);
		return (-1);
	}
	timeout = kt_parsenum(tmo, strlen(tmo), 1, KT_MAXTIMEOUT);
	if (timeout < 0) {
		kt_seterr(err, errlen, "line %zu (%s): bad timeout '%.*s' "
		    "(want 1..%d seconds)", lineno, name, 20, tmo,
		    KT_MAXTIMEOUT);
		return (-1);
	}
	if (strlen(p) > KT_MAXDESC) {
		kt_seterr(err, errlen, "line %zu (%s): description longer "
		    "than %d bytes", lineno, name, KT_MAXDESC);
		return (-1);
	}
	for (len = 0; p[len] != '\0'; len++) {
		if (p[len] == '\t')
			p[len] = ' ';
	}
	if (kt_meta_addcases(km, name, p, cpus, ncpus, 0, (int)timeout,
	    true, why, sizeof(why)) != 0) {
		kt_seterr(err, errlen, "line %zu: %s", lineno, why);
		return (-1);
	}
	return (0);
}

/* Parse the MANIFEST text (km_utext, len bytes) into cases. */
static int
kt_user_parse(struct kt_meta *km, size_t len, char *err, size_t errlen)
{
	char *p, *end, *nl;
	size_t lineno;

	if (strlen(km->km_utext) != len) {
		kt_seterr(err, errlen, "contains a NUL byte");
		return (-1);
	}
	p = km->km_utext;
	end = p + len;
	for (lineno = 1; p < end; lineno++) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (kt_user_line(km, p, lineno, err, errlen) != 0)
			return (-1);
		if (nl == NULL)
			break;		/* a last line without a newline */
		p = nl + 1;
	}
	return (0);
}

/*
 * Append the userland cases of the MANIFEST at path to km (the kernel's
 * cases are already there).  Never fails: a MANIFEST that cannot be
 * read or has a bad line adds no case at all and leaves the reason in
 * km_uerr, for the synthetic case user_manifest.
 */
void
kt_user_load(struct kt_meta *km, const char *path)
{
	char why[KT_REASONMAX / 4];
	size_t nkernel, len;
	int rv;

	km->km_uerr[0] = '\0';
	if (path == NULL || path[0] == '\0')
		return;
	nkernel = km->km_ncases;
	rv = kt_slurp(path, KT_MAXMANIFEST, &km->km_utext, &len, why,
	    sizeof(why));
	if (rv == 1)
		return;
	if (rv != 0) {
		kt_seterr(km->km_uerr, sizeof(km->km_uerr), "userland test "
		    "manifest: %s", why);
		return;
	}
	if (kt_user_parse(km, len, why, sizeof(why)) != 0) {
		kt_seterr(km->km_uerr, sizeof(km->km_uerr), "userland test "
		    "manifest %s: %s", path, why);
		km->km_ncases = nkernel;
	}
}

/*
 * Sessions.
 */

void
kt_session_free(struct kt_session *ks)
{

	free(ks->ks_in);
	free(ks->ks_exptext);
	free(ks->ks_exp);
	memset(ks, 0, sizeof(*ks));
}

/* "DIR/NAME.ext" for the MANIFEST at manifest. */
static int
kt_sidefile(char *buf, size_t len, const char *manifest, const char *name,
    const char *ext)
{
	const char *slash;
	int n;

	slash = strrchr(manifest, '/');
	if (slash == NULL)
		n = snprintf(buf, len, "%s%s", name, ext);
	else
		n = snprintf(buf, len, "%.*s/%s%s", (int)(slash - manifest),
		    manifest, name, ext);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}

/*
 * Split NAME.expect into its non-empty lines, made comparable with the
 * serial lines the KTAP parser sees: CR at the end dropped, tabs as
 * spaces, other control bytes as '?'.
 */
static int
kt_expect_split(struct kt_session *ks, size_t len, const char *path,
    char *err, size_t errlen)
{
	char *p, *end, *nl;
	size_t n, i, lineno;

	if (strlen(ks->ks_exptext) != len) {
		kt_seterr(err, errlen, "%s contains a NUL byte", path);
		return (-1);
	}
	ks->ks_exp = calloc(len / 2 + 2, sizeof(*ks->ks_exp));
	if (ks->ks_exp == NULL) {
		kt_seterr(err, errlen, "out of memory");
		return (-1);
	}
	p = ks->ks_exptext;
	end = p + len;
	for (lineno = 1; p < end; lineno++, p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = end;
		*nl = '\0';
		n = (size_t)(nl - p);
		while (n > 0 && p[n - 1] == '\r')
			p[--n] = '\0';
		if (n == 0)
			continue;
		if (n >= KT_LINEMAX) {
			kt_seterr(err, errlen, "%s line %zu is longer than %d "
			    "bytes", path, lineno, KT_LINEMAX - 1);
			return (-1);
		}
		for (i = 0; i < n; i++) {
			if (p[i] == '\t')
				p[i] = ' ';
			else if (p[i] == '\r' || (unsigned char)p[i] < 0x20 ||
			    (unsigned char)p[i] >= 0x7f)
				p[i] = '?';
		}
		ks->ks_exp[ks->ks_nexp++] = p;
	}
	return (0);
}

/*
 * Load the session files of test name, next to the MANIFEST: NAME.in
 * and NAME.expect, each optional.  Returns -1 with err if one exists but
 * cannot be used.
 */
int
kt_session_load(struct kt_session *ks, const char *manifest,
    const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t len;
	int rv;

	memset(ks, 0, sizeof(*ks));
	if (kt_sidefile(path, sizeof(path), manifest, name, ".in") != 0) {
		kt_seterr(err, errlen, "path of %s.in is too long", name);
		return (-1);
	}
	rv = kt_slurp(path, KT_MAXSESSION, &ks->ks_in, &ks->ks_inlen, err,
	    errlen);
	if (rv < 0)
		return (-1);
	if (kt_sidefile(path, sizeof(path), manifest, name, ".expect") != 0) {
		kt_seterr(err, errlen, "path of %s.expect is too long", name);
		return (-1);
	}
	rv = kt_slurp(path, KT_MAXSESSION, &ks->ks_exptext, &len, err,
	    errlen);
	if (rv < 0)
		return (-1);
	if (rv == 0 && kt_expect_split(ks, len, path, err, errlen) != 0)
		return (-1);
	return (0);
}

/*
 * After steps (1) to (8): a run that passed fails if a line of
 * NAME.expect did not show up (the KTAP parser matched them as the
 * serial lines went by).  Any other verdict already says more.
 */
void
kt_judge_expect(const struct kt_run *kr, struct kt_outcome *ko)
{
	const struct kt_ktap *kp;

	kp = &kr->kr_ktap;
	if (ko->ko_res != KT_PASSED || kp->kp_nmatched >= kp->kp_nexp)
		return;
	kt_setreason(ko, KT_FAILED, "expected output missing: %s",
	    kp->kp_exp[kp->kp_nmatched]);
}
