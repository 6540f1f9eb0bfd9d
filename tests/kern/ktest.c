/*
 * ktest: the host side of the in-kernel tests.
 *
 * This is a host program (Linux, plain libc) that speaks the test-program
 * protocol of ATF so that kyua can run every in-kernel test as a test case
 * of its own, with its own timeout and its own result.  It never runs test
 * code itself: it reads the list of tests out of the kernel image and, to
 * run one, boots the kernel under QEMU with "ktest=NAME smp=N" and judges
 * what comes out of the serial port and how QEMU exits.  The userland
 * tests (ktest_user.c) are cases too: listed in a MANIFEST file, booted
 * with "utest=NAME smp=N", judged the same way.
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
 *   initrd	  boot initrd, passed with -initrd; "" for none; default
 *		  initrd.cpio next to the kernel image if there is one
 *   utests	  the userland tests' MANIFEST; "" for none; default
 *		  uroot/usr/tests/MANIFEST next to the kernel image (none
 *		  if it is not there)
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
 * only way to get the reason into the report).  Userland tests follow the
 * kernel's as "user_NAME" (or "user_NAME_smpN"); a bad MANIFEST yields
 * the synthetic case "user_manifest" instead of them.
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
 *	 ok+65 failed: first "# FAIL" diagnostic (else the last "# "
 *	 line); any mix is broken.
 *   (9) userland only: a pass fails if a line of NAME.expect is missing.
 * A test marked xfail turns failed and broken into expected_failure
 * (trouble of the host, such as QEMU not starting, stays broken) and
 * passed into failed.
 *
 * Cost: one QEMU boot per case; the limit is the test's timeout plus
 * KT_BOOT_SLACK, and kyua's own timeout is larger still so that ours,
 * which can say what the guest was doing, always fires first.
 */

#define _GNU_SOURCE		/* pipe2, strcasestr */

#include "ktest.h"

static volatile sig_atomic_t kt_gotsig;


void
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
void
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
long
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
void
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
 * with us, stdin from infd (or /dev/null if it is -1), stdout and stderr
 * into our pipes.  Never returns.
 */
static void
kt_child(char **argv, int infd, int outfd, int errfd, pid_t parent)
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
	fd = infd >= 0 ? infd : open("/dev/null", O_RDONLY);
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
 * Type the next piece of the session input into QEMU's stdin: once the
 * KTAP plan has been seen, at most one line of at most KT_FEED_CHUNK
 * bytes every KT_FEED_MS (see ktest_user.c).  fd is non-blocking; a full
 * pipe just means later.  Returns false once there is nothing more to
 * write, or nobody to read it.
 */
static bool
kt_feed(int fd, struct kt_run *kr, long now)
{
	const char *p, *nl;
	size_t n;
	ssize_t w;

	if (kr->kr_feedoff >= kr->kr_feedlen)
		return (false);
	if (kr->kr_ktap.kp_nplans == 0 || now < kr->kr_feednext)
		return (true);
	p = kr->kr_feed + kr->kr_feedoff;
	n = kr->kr_feedlen - kr->kr_feedoff;
	if (n > KT_FEED_CHUNK)
		n = KT_FEED_CHUNK;
	nl = memchr(p, '\n', n);
	if (nl != NULL)
		n = (size_t)(nl - p) + 1;
	w = write(fd, p, n);
	if (w < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR);
	kr->kr_feedoff += (size_t)w;
	kr->kr_feednext = now + KT_FEED_MS;
	return (kr->kr_feedoff < kr->kr_feedlen);
}

/* Close the pipe ends in fds[0..n-1] that are open. */
static void
kt_closeall(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
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
 *
 * NOTE: with kr->kr_feed, QEMU's stdin is a pipe that we keep open until
 * QEMU is dead (an end of file on the console is not ours to give).
 */
static int
kt_spawn(char **argv, struct kt_run *kr, char *err, size_t errlen)
{
	struct pollfd pfd[2];
	siginfo_t si;
	long start, now, deadline, exited_at, kvm_at;
	int p[6], nfd, i, st;
	int *inp, *outp, *errp;
	bool live[2], exited, feeding;
	pid_t pid, self;

	/* p: stdin, serial and stderr pipes; -1 while not open. */
	for (i = 0; i < 6; i++)
		p[i] = -1;
	inp = &p[0];
	outp = &p[2];
	errp = &p[4];
	feeding = kr->kr_feed != NULL && kr->kr_feedlen > 0;
	if ((feeding && pipe2(inp, O_CLOEXEC) != 0) ||
	    pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		kt_seterr(err, errlen, "pipe: %s", strerror(errno));
		kt_closeall(p, 6);
		return (-1);
	}
	fflush(stdout);
	fflush(stderr);
	self = getpid();
	pid = fork();
	if (pid < 0) {
		kt_seterr(err, errlen, "fork: %s", strerror(errno));
		kt_closeall(p, 6);
		return (-1);
	}
	if (pid == 0)
		kt_child(argv, inp[0], outp[1], errp[1], self);
	(void)setpgid(pid, pid);	/* races the child's own call */
	kt_closeall(&inp[0], 1);
	kt_closeall(&outp[1], 1);
	kt_closeall(&errp[1], 1);
	if (feeding)
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
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
		if (feeding && !exited)
			feeding = kt_feed(inp[1], kr, now);
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
	kt_closeall(p, 6);
	kt_ktap_finish(&kr->kr_ktap);
	if (kr->kr_errlen > 0)
		kt_errline(kr);
	return (0);
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
	} else if (strncmp(arg, "initrd=", 7) == 0) {
		if (v[0] != '\0' && access(v, R_OK) != 0)
			kt_seterr(cf->cf_error, sizeof(cf->cf_error),
			    "variable initrd is '%s': %s", v, strerror(errno));
		cf->cf_initrd = v;
	} else if (strncmp(arg, "utests=", 7) == 0)
		cf->cf_utests = v;	/* checked by kt_user_load() */
	else if (strncmp(arg, "hang_timeout=", 13) == 0) {
		n = kt_parsenum(v, strlen(v), 1, KT_MAXTIMEOUT);
		if (n < 0)
			kt_seterr(cf->cf_error, sizeof(cf->cf_error),
			    "variable hang_timeout is '%s', not 1..%d seconds",
			    v, KT_MAXTIMEOUT);
		cf->cf_hang_timeout = n < 0 ? 0 : (int)n;
	}
}

/*
 * Default initrd: initrd.cpio in the kernel image's directory, if it is
 * there (the build puts both in BUILD/); none otherwise.
 */
static const char *
kt_default_initrd(struct kt_config *cf)
{
	const char *slash = strrchr(cf->cf_kernel, '/');
	int n;

	if (slash == NULL)
		n = snprintf(cf->cf_initrdbuf, sizeof(cf->cf_initrdbuf),
		    "initrd.cpio");
	else
		n = snprintf(cf->cf_initrdbuf, sizeof(cf->cf_initrdbuf),
		    "%.*s/initrd.cpio", (int)(slash - cf->cf_kernel),
		    cf->cf_kernel);
	if (n < 0 || (size_t)n >= sizeof(cf->cf_initrdbuf) ||
	    access(cf->cf_initrdbuf, R_OK) != 0)
		return ("");
	return (cf->cf_initrdbuf);
}

/*
 * Default MANIFEST of the userland tests: uroot/usr/tests/MANIFEST in
 * the kernel image's directory (where the build stages the initrd).
 */
static const char *
kt_default_utests(struct kt_config *cf)
{
	const char *slash = strrchr(cf->cf_kernel, '/');
	int n;

	if (slash == NULL)
		n = snprintf(cf->cf_utestsbuf, sizeof(cf->cf_utestsbuf),
		    "uroot/usr/tests/MANIFEST");
	else
		n = snprintf(cf->cf_utestsbuf, sizeof(cf->cf_utestsbuf),
		    "%.*s/uroot/usr/tests/MANIFEST",
		    (int)(slash - cf->cf_kernel), cf->cf_kernel);
	if (n < 0 || (size_t)n >= sizeof(cf->cf_utestsbuf))
		return ("");
	return (cf->cf_utestsbuf);
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
	kt_user_load(&km, cf->cf_utests);
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
	if (km.km_uerr[0] != '\0') {
		printf("\nident: %s\n", KT_MANIFEST_CASE);
		printf("descr: Reads the list of userland tests out of their "
		    "MANIFEST\n");
		printf("timeout: 60\n");
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

/*
 * Boot one case and judge it; ks is the case's scripted session (empty
 * for all but some userland tests).
 */
static void
kt_run_case(const struct kt_config *cf, const struct kt_case *kc,
    const struct kt_session *ks, struct kt_outcome *ko)
{
	struct kt_run *kr;
	char machine[128], smp[16], append[KT_MAXNAME + 32], err[256];
	char *argv[32];
	int n, i;

	n = 0;
	snprintf(machine, sizeof(machine), "q35,accel=%s", cf->cf_accel);
	snprintf(smp, sizeof(smp), "%d", kc->kc_cpus);
	snprintf(append, sizeof(append), "%s=%s smp=%d",
	    kc->kc_user ? "utest" : "ktest", kc->kc_base, kc->kc_cpus);
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
	if (cf->cf_initrd[0] != '\0') {
		argv[n++] = "-initrd";
		argv[n++] = (char *)cf->cf_initrd;
	}
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
	kr->kr_feed = ks->ks_in;
	kr->kr_feedlen = ks->ks_inlen;
	kr->kr_ktap.kp_exp = ks->ks_exp;
	kr->kr_ktap.kp_nexp = ks->ks_nexp;
	if (kt_spawn(argv, kr, err, sizeof(err)) != 0) {
		ko->ko_infra = true;
		kt_setreason(ko, KT_BROKEN, "cannot start qemu: %s", err);
	} else if (kt_gotsig == 0) {
		if (!kt_judge_exit(kr, ko)) {
			kt_judge_ktap(kr, kc, ko);
			kt_judge_expect(kr, ko);
		}
		kt_apply_xfail(kc, ko);
	}
	free(kr);
}

static int
kt_run(const struct kt_config *cf, const char *arg)
{
	struct kt_meta km;
	struct kt_outcome ko;
	struct kt_session ks;
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
	kt_user_load(&km, cf->cf_utests);
	kc = kt_meta_find(&km, ident);
	if (kc == NULL) {
		if (strcmp(ident, KT_MANIFEST_CASE) == 0 &&
		    km.km_uerr[0] != '\0')
			kt_setreason(&ko, KT_BROKEN, "%s", km.km_uerr);
		else
			kt_setreason(&ko, KT_BROKEN, "the kernel has no test "
			    "case '%s'", ident);
		kt_meta_free(&km);
		return (kt_report(cf, ident, &ko));
	}
	memset(&ks, 0, sizeof(ks));
	if (kc->kc_user && kt_session_load(&ks, cf->cf_utests, kc->kc_base,
	    err, sizeof(err)) != 0) {
		kt_setreason(&ko, KT_BROKEN, "%s", err);
		kt_session_free(&ks);
		kt_meta_free(&km);
		return (kt_report(cf, ident, &ko));
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kt_onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	kt_run_case(cf, kc, &ks, &ko);
	kt_session_free(&ks);
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
	    "variables: kernel=PATH initrd=PATH utests=PATH accel=LIST "
	    "qemu=PATH hang_timeout=SECONDS\n");
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
	if (cf.cf_initrd == NULL)
		cf.cf_initrd = kt_default_initrd(&cf);
	if (cf.cf_utests == NULL)
		cf.cf_utests = kt_default_utests(&cf);
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
