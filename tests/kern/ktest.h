/*
 * Shared declarations of the in-kernel test harness (ktest.c: protocol,
 * QEMU and main; ktest_meta.c: kernel image and test list; ktest_judge.c:
 * KTAP parsing and judging a run; ktest_user.c: the userland tests'
 * manifest and scripted sessions).  See ktest.c for the design.
 */
#ifndef KTEST_H
#define KTEST_H

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
#define KT_USER_PREFIX	"user_"		/* kyua name of a userland test */
#define KT_MANIFEST_CASE "user_manifest"	/* reports a bad manifest */
#define KT_MAXMANIFEST	(1L * 1024 * 1024)	/* largest MANIFEST */
#define KT_MAXSESSION	(1L * 1024 * 1024)	/* largest NAME.in, .expect */
#define KT_FEED_CHUNK	64	/* bytes typed at once, at most one line */
#define KT_FEED_MS	100	/* between two chunks */

/* One kyua test case: a kernel test at one CPU count. */
struct kt_case {
	const char	*kc_base;	/* test name, as the kernel has it */
	char		kc_ident[KT_MAXNAME + 16]; /* kyua case name */
	const char	*kc_desc;
	int		kc_cpus;
	int		kc_xfail;
	int		kc_timeout;	/* seconds, from the image */
	bool		kc_multi;	/* test has several CPU counts */
	bool		kc_user;	/* userland test: boot "utest=NAME" */
};

/*
 * The parsed test list: the kernel's cases, then the userland ones; all
 * strings point into km_text or km_utext.
 */
struct kt_meta {
	char		*km_text;	/* NUL-terminated copy, split up */
	char		*km_utext;	/* the MANIFEST, split up */
	struct kt_case	*km_cases;
	size_t		km_ncases;
	char		km_uerr[KT_REASONMAX / 2]; /* bad MANIFEST: why */
};

/* A scripted session of a userland test: NAME.in and NAME.expect. */
struct kt_session {
	char		*ks_in;		/* bytes to type; NULL: none */
	size_t		ks_inlen;
	char		*ks_exptext;	/* NAME.expect, split into lines */
	const char	**ks_exp;	/* its non-empty lines, in order */
	size_t		ks_nexp;
};

struct kt_config {
	const char	*cf_kernel;
	const char	*cf_qemu;
	const char	*cf_accel;
	const char	*cf_resfile;
	const char	*cf_srcdir;
	const char	*cf_initrd;	/* NULL: not given; "": none */
	const char	*cf_utests;	/* MANIFEST; NULL: not given; "": none */
	int		cf_hang_timeout;	/* 0: the test's own */
	char		cf_error[KT_REASONMAX / 2]; /* bad -v */
	char		cf_kernelbuf[PATH_MAX];
	char		cf_initrdbuf[PATH_MAX];
	char		cf_utestsbuf[PATH_MAX];
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
	char	kp_diag[KT_SNIPPET];	/* last "# " line after the header */
	const char *const *kp_exp;	/* expected lines (NAME.expect) */
	size_t	kp_nexp;
	size_t	kp_nmatched;		/* kp_exp[0..n-1] seen, in order */
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
	/* Console input to type (NAME.in), once the KTAP plan is out. */
	const char	*kr_feed;
	size_t		kr_feedlen;
	size_t		kr_feedoff;	/* bytes written so far */
	long		kr_feednext;	/* ms: no chunk before this */
};

/* ktest.c */
long	kt_parsenum(const char *s, size_t len, long lo, long hi);
void	kt_seterr(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
void	kt_setreason(struct kt_outcome *ko, enum kt_res res, const char *fmt,
	    ...) __attribute__((__format__(__printf__, 3, 4)));
void	kt_strlcpy(char *dst, const char *src, size_t dstlen);

/* ktest_meta.c */
int	kt_meta_addcases(struct kt_meta *km, const char *base,
	    const char *desc, const int *cpus, int ncpus, int xfail,
	    int timeout, bool user, char *err, size_t errlen);
const struct kt_case *kt_meta_find(const struct kt_meta *km,
	    const char *ident);
void	kt_meta_free(struct kt_meta *km);
int	kt_meta_load(struct kt_meta *km, const char *path, char *err,
	    size_t errlen);
int	kt_parsecpus(const char *s, int *cpus);
bool	kt_validname(const char *s);

/* ktest_judge.c */
void	kt_apply_xfail(const struct kt_case *kc, struct kt_outcome *ko);
bool	kt_judge_exit(const struct kt_run *kr, struct kt_outcome *ko);
void	kt_judge_ktap(const struct kt_run *kr, const struct kt_case *kc,
	    struct kt_outcome *ko);
void	kt_ktap_feed(struct kt_ktap *kp, const char *buf, size_t n);
void	kt_ktap_finish(struct kt_ktap *kp);
const char *kt_resname(enum kt_res res);

/* ktest_user.c */
void	kt_judge_expect(const struct kt_run *kr, struct kt_outcome *ko);
void	kt_session_free(struct kt_session *ks);
int	kt_session_load(struct kt_session *ks, const char *manifest,
	    const char *name, char *err, size_t errlen);
void	kt_user_load(struct kt_meta *km, const char *manifest);

#endif /* !KTEST_H */
