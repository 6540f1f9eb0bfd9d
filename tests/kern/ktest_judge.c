/*
 * ktest: the streaming KTAP parser over the serial log, and judging a
 * run from the log and QEMU's exit.  See ktest.c.
 */

#define _GNU_SOURCE		/* pipe2, strcasestr */

#include "ktest.h"

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
	/* NAME.expect: each line matched by a later serial line. */
	if (kp->kp_nmatched < kp->kp_nexp &&
	    strstr(line, kp->kp_exp[kp->kp_nmatched]) != NULL)
		kp->kp_nmatched++;
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
	} else if (kp->kp_nresults == 0 && kt_prefix(line, "# ", &rest))
		kt_strlcpy(kp->kp_diag, rest, sizeof(kp->kp_diag));
}

/*
 * Feed raw serial bytes.  Control bytes other than CR and LF become '?'
 * and tabs spaces, so everything quoted later is printable.  An
 * over-long line is cut for analysis (the raw log is unaffected).
 */
void
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

void
kt_ktap_finish(struct kt_ktap *kp)
{

	if (kp->kp_len > 0)
		kt_ktap_line(kp, kp->kp_line, kp->kp_len);
	kp->kp_len = 0;
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
bool
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
void
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
		else if (kp->kp_diag[0] != '\0')
			kt_setreason(ko, KT_FAILED, "not ok, without a "
			    "'# FAIL' diagnostic; last diagnostic: %s",
			    kp->kp_diag);
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

const char *
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
void
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
