/*
 * lbench: the operating-system benchmarks compared with Linux (issue 6,
 * docs/BENCHMARKS.md).  One portable POSIX program, built twice: with
 * our libc into the initrd as /usr/bench/lbench (init runs it for
 * `ubench=lbench benchscale=N`) and with `musl-gcc -static` into
 * build/linux/lbench for the Linux peer (bench/bench.mk).  Nothing in
 * it may depend on either kernel: the same source must measure the
 * same work on both.
 *
 *	lbench [-s SCALE] [name ...]	run the operations (all, or those
 *					named), SCALE percent of the default
 *					iteration counts (default 100)
 *	lbench -x			exit at once (the child of
 *					fork_exec_wait)
 *
 * Method.  Each operation has an untimed setup (files to stat or unlink,
 * the echo process of the pipe round trip), a timed body doing the
 * operation n times, and an untimed cleanup.  One warm-up pass with
 * n / 10 iterations comes first; then RUNS passes, each timed with
 * clock_gettime(CLOCK_MONOTONIC) around the body alone.  A pass's figure
 * is its elapsed nanoseconds divided by n, rounded; the figure printed
 * is the median of the RUNS passes.  Under QEMU TCG with
 * `-icount shift=0,sleep=off` a virtual nanosecond is one guest
 * instruction, so there the figure counts instructions per operation.
 *
 * Output: one line per operation,
 *	BENCH <name> <value> <runs> <description>
 * where value is an integer, or the word n/a when the operation could
 * not be measured (the description then says which step failed and
 * why; a failure never prints 0); then a last line BENCH-END.
 *
 * Costs and limits: the file names are made before timing so that
 * snprintf (different in each libc) is not measured; the 64 KiB buffer
 * of write_1m/read_1m is static.  At most MAXFILES files per pass.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define RUNS		5		/* timed passes per operation (odd) */
#define MAXFILES	20000		/* files one pass may create */
#define NAMELEN		48		/* room for one /tmp file name */
#define CHUNK		(64 * 1024)	/* write_1m/read_1m transfer size */
#define MIB		(1024 * 1024)
#define TMPDIR		"/tmp"

/*
 * One operation.  setup and cleanup run untimed around each pass (either
 * may be NULL); body does the operation n times.  setup and body return
 * 0, or -1 with errno set and lb_step naming what failed; cleanup must
 * undo whatever a setup (even a failed one) and a body left behind.
 */
struct lb_op {
	const char	*name;
	long		defn;		/* iterations at SCALE 100 */
	int		(*setup)(long n);
	int		(*body)(long n);
	void		(*cleanup)(long n);
	const char	*desc;
};

static const char *lb_step;		/* the step that failed */
static const char *lb_self;		/* this program's path, for exec */
static char (*lb_names)[NAMELEN];	/* the file names of one pass */
static char lb_file[NAMELEN];		/* the file of stat and 1 MiB ops */
static int lb_fd = -1;			/* lb_file open for write_1m/read_1m */
static char lb_buf[CHUNK];

/* pipe_rt: the pipes (parent to child, child to parent), the child. */
static int lb_p2c[2] = { -1, -1 }, lb_c2p[2] = { -1, -1 };
static pid_t lb_child = -1;

/* Fail with errno as it is, naming the step. */
static int
lb_fail(const char *step)
{
	lb_step = step;
	return (-1);
}

/* Fail with the given errno value, naming the step. */
static int
lb_failerr(const char *step, int err)
{
	errno = err;
	return (lb_fail(step));
}

static int
lb_now(int64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return (lb_fail("clock_gettime"));
	*ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return (0);
}

/* Wait for pid; 0 if it exited with status 0. */
static int
lb_reap(pid_t pid, const char *step)
{
	int st;

	while (waitpid(pid, &st, 0) != pid) {
		if (errno != EINTR)
			return (lb_fail(step));
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return (lb_failerr(step, ECHILD));
	return (0);
}

/* ---- null_syscall ---- */

static int
b_null(long n)
{
	for (long i = 0; i < n; i++) {
		if (getppid() <= 0)
			return (lb_fail("getppid"));
	}
	return (0);
}

/* ---- pipe_rt: the child echoes n bytes, the parent times them ---- */

static void
pipe_close(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

static int
s_pipe(long n)
{
	char c;

	if (pipe(lb_p2c) != 0 || pipe(lb_c2p) != 0)
		return (lb_fail("pipe"));
	fflush(stdout);
	if ((lb_child = fork()) < 0)
		return (lb_fail("fork"));
	if (lb_child == 0) {
		close(lb_p2c[1]);
		close(lb_c2p[0]);
		for (long i = 0; i < n; i++) {
			if (read(lb_p2c[0], &c, 1) != 1 ||
			    write(lb_c2p[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(lb_p2c[0]);
	close(lb_c2p[1]);
	lb_p2c[0] = lb_c2p[1] = -1;
	return (0);
}

static int
b_pipe(long n)
{
	char c = 'x';
	ssize_t r;

	for (long i = 0; i < n; i++) {
		if ((r = write(lb_p2c[1], &c, 1)) != 1)
			return (lb_failerr("write", r < 0 ? errno : EIO));
		if ((r = read(lb_c2p[0], &c, 1)) != 1)
			return (lb_failerr("read", r < 0 ? errno : EPIPE));
	}
	return (0);
}

/* Closing our ends makes a child still reading see end of file. */
static void
c_pipe(long n)
{
	pipe_close(lb_p2c);
	pipe_close(lb_c2p);
	if (lb_child > 0)
		(void)waitpid(lb_child, NULL, 0);
	lb_child = -1;
}

/* ---- file_create, file_unlink: n files named before timing ---- */

static int
s_names(long n)
{
	if (n > MAXFILES)
		return (lb_failerr("too many files", EINVAL));
	for (long i = 0; i < n; i++) {
		snprintf(lb_names[i], NAMELEN, "%s/lb.%ld.%ld", TMPDIR,
		    (long)getpid(), i);
		(void)unlink(lb_names[i]);
	}
	return (0);
}

static int
b_create(long n)
{
	int fd;

	for (long i = 0; i < n; i++) {
		fd = open(lb_names[i], O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return (lb_fail("open O_CREAT|O_EXCL"));
		if (close(fd) != 0)
			return (lb_fail("close"));
	}
	return (0);
}

static void
c_names(long n)
{
	for (long i = 0; i < n && i < MAXFILES; i++)
		(void)unlink(lb_names[i]);
}

static int
s_unlink(long n)
{
	if (s_names(n) != 0)
		return (-1);
	if (b_create(n) != 0)
		return (lb_fail("create the files"));
	return (0);
}

static int
b_unlink(long n)
{
	for (long i = 0; i < n; i++) {
		if (unlink(lb_names[i]) != 0)
			return (lb_fail("unlink"));
	}
	return (0);
}

/* ---- file_stat ---- */

/* Create lb_file, empty, and leave it open in lb_fd. */
static int
s_file(long n)
{
	snprintf(lb_file, sizeof(lb_file), "%s/lb.%ld.data", TMPDIR,
	    (long)getpid());
	(void)unlink(lb_file);
	lb_fd = open(lb_file, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (lb_fd < 0)
		return (lb_fail("open O_CREAT|O_EXCL"));
	return (0);
}

static int
b_stat(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++) {
		if (stat(lb_file, &st) != 0)
			return (lb_fail("stat"));
	}
	return (0);
}

static void
c_file(long n)
{
	if (lb_fd >= 0)
		close(lb_fd);
	lb_fd = -1;
	if (lb_file[0] != '\0')
		(void)unlink(lb_file);
	lb_file[0] = '\0';
}

/* ---- write_1m, read_1m: n MiB in 64 KiB transfers ---- */

static int
b_write(long n)
{
	ssize_t r;

	for (long i = 0; i < n * (MIB / CHUNK); i++) {
		if ((r = write(lb_fd, lb_buf, CHUNK)) != CHUNK)
			return (lb_failerr("write", r < 0 ? errno : EIO));
	}
	return (0);
}

/* The file to read: n MiB, written untimed, offset back at 0. */
static int
s_read(long n)
{
	if (s_file(n) != 0)
		return (-1);
	if (b_write(n) != 0)
		return (-1);
	if (lseek(lb_fd, 0, SEEK_SET) != 0)
		return (lb_fail("lseek"));
	return (0);
}

static int
b_read(long n)
{
	ssize_t r;

	for (long i = 0; i < n * (MIB / CHUNK); i++) {
		if ((r = read(lb_fd, lb_buf, CHUNK)) != CHUNK)
			return (lb_failerr("read", r < 0 ? errno : EIO));
	}
	return (0);
}

/* ---- fork_exit_wait, fork_exec_wait ---- */

static int
b_fork(long n)
{
	pid_t pid;

	for (long i = 0; i < n; i++) {
		if ((pid = fork()) < 0)
			return (lb_fail("fork"));
		if (pid == 0)
			_exit(0);
		if (lb_reap(pid, "waitpid") != 0)
			return (-1);
	}
	return (0);
}

static int
s_exec(long n)
{
	if (lb_self == NULL)
		return (lb_failerr("find own path (tried argv[0], "
		    "/usr/bench/lbench, /lbench)", ENOENT));
	fflush(stdout);
	return (0);
}

/* The child exits 127 when execv fails: reported as ECHILD. */
static int
b_exec(long n)
{
	char *argv[] = { "lbench", "-x", NULL };
	pid_t pid;

	for (long i = 0; i < n; i++) {
		if ((pid = fork()) < 0)
			return (lb_fail("fork"));
		if (pid == 0) {
			execv(lb_self, argv);
			_exit(127);
		}
		if (lb_reap(pid, "exec or wait (child status)") != 0)
			return (-1);
	}
	return (0);
}

static const struct lb_op lb_ops[] = {
	{ "null_syscall", 20000, NULL, b_null, NULL,
	    "getppid()" },
	{ "pipe_rt", 2000, s_pipe, b_pipe, c_pipe,
	    "1-byte round trip between two processes, 2 pipes" },
	{ "file_create", 1000, s_names, b_create, c_names,
	    "open(O_CREAT|O_EXCL)+close of a new file in " TMPDIR },
	{ "file_stat", 5000, s_file, b_stat, c_file,
	    "stat() of an existing file in " TMPDIR },
	{ "file_unlink", 1000, s_unlink, b_unlink, c_names,
	    "unlink() of a file in " TMPDIR },
	{ "write_1m", 16, s_file, b_write, c_file,
	    "1 MiB sequential write to a new " TMPDIR " file (64 KiB writes), "
	    "per MiB" },
	{ "read_1m", 16, s_read, b_read, c_file,
	    "1 MiB sequential read of it (64 KiB reads), per MiB" },
	{ "fork_exit_wait", 200, NULL, b_fork, NULL,
	    "fork + _exit(0) + waitpid" },
	{ "fork_exec_wait", 100, s_exec, b_exec, NULL,
	    "fork + execve(lbench -x) + waitpid" },
};

/*
 * One pass of op with n iterations: setup, timed body, cleanup.  The
 * per-operation cost goes to *cost.  0, or -1 with errno and lb_step.
 */
static int
lb_pass(const struct lb_op *op, long n, int64_t *cost)
{
	int64_t t0, t1;
	int rc, err;

	errno = 0;
	rc = op->setup != NULL ? op->setup(n) : 0;
	if (rc == 0)
		rc = lb_now(&t0);
	if (rc == 0)
		rc = op->body(n);
	if (rc == 0)
		rc = lb_now(&t1);
	err = errno;
	if (op->cleanup != NULL)
		op->cleanup(n);
	errno = err;
	if (rc != 0)
		return (-1);
	*cost = (t1 - t0 + n / 2) / n;
	return (0);
}

static int
lb_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Warm up, time RUNS passes, print the BENCH line of op. */
static void
lb_run(const struct lb_op *op, long scale)
{
	int64_t v[RUNS];
	long n, warm;
	int r;

	n = op->defn * scale / 100;
	if (n < 1)
		n = 1;
	warm = n / 10 > 0 ? n / 10 : 1;
	fflush(stdout);
	if (lb_pass(op, warm, &v[0]) != 0)
		goto fail;
	for (r = 0; r < RUNS; r++) {
		if (lb_pass(op, n, &v[r]) != 0)
			goto fail;
	}
	qsort(v, RUNS, sizeof(v[0]), lb_cmp);
	if (v[RUNS / 2] <= 0) {
		printf("BENCH %s n/a %d %s (n/a: below the clock's "
		    "resolution at n=%ld)\n", op->name, RUNS, op->desc, n);
	} else {
		printf("BENCH %s %lld %d %s\n", op->name,
		    (long long)v[RUNS / 2], RUNS, op->desc);
	}
	fflush(stdout);
	return;
fail:
	printf("BENCH %s n/a %d %s (n/a: %s: %s)\n", op->name, RUNS, op->desc,
	    lb_step != NULL ? lb_step : "?", strerror(errno));
	fflush(stdout);
}

/* This program's own path: argv[0] if it has a '/', else a known one. */
static const char *
lb_findself(const char *argv0)
{
	static const char *known[] = { "/usr/bench/lbench", "/lbench" };

	if (argv0 != NULL && strchr(argv0, '/') != NULL)
		return (argv0);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (access(known[i], X_OK) == 0)
			return (known[i]);
	}
	return (NULL);
}

static int
lb_wanted(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return (1);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], name) == 0)
			return (1);
	}
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: lbench [-s scale] [name ...]\n"
	    "       lbench -x\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *argv0 = argv[0];
	long scale = 100;
	char *end;
	int c;

	/* fork_exec_wait's child: as little as possible before leaving. */
	if (argc == 2 && strcmp(argv[1], "-x") == 0)
		_exit(0);
	while ((c = getopt(argc, argv, "s:x")) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			scale = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    scale < 1 || scale > 100000)
				usage();
			break;
		case 'x':
			_exit(0);
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	for (int i = 0; i < argc; i++) {
		size_t k;

		for (k = 0; k < sizeof(lb_ops) / sizeof(lb_ops[0]); k++) {
			if (strcmp(argv[i], lb_ops[k].name) == 0)
				break;
		}
		if (k == sizeof(lb_ops) / sizeof(lb_ops[0])) {
			fprintf(stderr, "lbench: no operation %s\n", argv[i]);
			usage();
		}
	}
	lb_self = lb_findself(argv0);
	lb_names = malloc(sizeof(*lb_names) * MAXFILES);
	memset(lb_buf, 'b', sizeof(lb_buf));
	/* A dead pipe peer must be an error (EPIPE), not our death. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t k = 0; k < sizeof(lb_ops) / sizeof(lb_ops[0]); k++) {
		if (!lb_wanted(lb_ops[k].name, argc, argv))
			continue;
		if (lb_names == NULL) {
			printf("BENCH %s n/a %d %s (n/a: malloc: %s)\n",
			    lb_ops[k].name, RUNS, lb_ops[k].desc,
			    strerror(ENOMEM));
			continue;
		}
		lb_run(&lb_ops[k], scale);
	}
	printf("BENCH-END\n");
	fflush(stdout);
	return (0);
}
