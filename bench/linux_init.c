/*
 * linux_init: /init of the Linux peer's initramfs (tools/linuxpeer.sh),
 * the Linux side of tools/bench_compare.sh.  Built on the host with
 * musl-gcc -static; x86_64 only (rdtsc).  It is not a program for our
 * kernel, but the Makefile builds every C file of bench/ with our libc, so
 * everything Linux-specific is under #ifdef __linux__ and our build gets
 * a stub that only says so.
 *
 * What it does, in order:
 *  1. reads the TSC; that is its first statement.  Under QEMU TCG with
 *     -icount shift=0 the TSC counts guest instructions since reset, so
 *     the value is the instruction count from reset to the first user
 *     instruction of init, plus musl's few hundred start-up instructions
 *     (__libc_start_main runs before main) which we accept;
 *  2. makes sure fds 0, 1, 2 are the console (mounting devtmpfs on /dev
 *     if the kernel could not open /dev/console for us);
 *  3. mounts tmpfs on /tmp and proc on /proc, as the benchmarks expect a
 *     writable tmpfs /tmp like on our kernel;
 *  4. prints "BENCH boot_to_user <tsc> 1 ...";
 *  5. runs /lbench with init's own arguments: Linux hands init the
 *     kernel command-line words after "--", so "-- -s 5" runs
 *     "/lbench -s 5" and "-- -s 5 pipe_rt" only that operation;
 *     then waits for it;
 *  6. powers the machine off (QEMU then exits with status 0).
 *
 * It prints nothing else, except a diagnostic line on stderr when a
 * step fails; the harness judges a run by lbench's BENCH-END line.
 */

#ifdef __linux__

#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LBENCH_PATH	"/lbench"
#define MAXARGS		32	/* arguments passed on to lbench */

static inline unsigned long long
read_tsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (((unsigned long long)hi << 32) | lo);
}

/* Write a whole string to fd (no stdio streams: nothing to flush). */
static void
say(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
warn_errno(const char *what)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "linux_init: %s: %s\n", what,
	    strerror(errno));
	say(2, buf);
}

/*
 * If fd 1 is not open (no /dev/console in the initramfs), mount devtmpfs
 * on /dev and open the console ourselves as fds 0, 1 and 2.
 */
static void
setup_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) != -1)
		return;
	(void)mkdir("/dev", 0755);
	(void)mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;		/* nowhere to report it */
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		(void)close(fd);
}

/* Mount a fresh FSTYPE on DIR (created if missing); 0 or -1. */
static int
mount_fs(const char *fstype, const char *dir, unsigned long flags,
    const char *data)
{
	if (mkdir(dir, 01777) != 0 && errno != EEXIST) {
		warn_errno(dir);
		return (-1);
	}
	if (mount(fstype, dir, fstype, flags, data) != 0) {
		warn_errno(dir);
		return (-1);
	}
	return (0);
}

/*
 * Fork, exec /lbench with init's own arguments (Linux hands init the
 * kernel command-line words after "--": "-s N" and optionally the names
 * of the operations to run), wait for it.
 */
static void
run_lbench(int argc, char **argv)
{
	char *args[MAXARGS + 2];
	char *envp[] = { "PATH=/", NULL };
	pid_t pid;
	int i, status;

	args[0] = LBENCH_PATH;
	for (i = 1; i < argc && i <= MAXARGS; i++)
		args[i] = argv[i];
	args[i] = NULL;
	pid = fork();
	if (pid < 0) {
		warn_errno("fork");
		return;
	}
	if (pid == 0) {
		if (chdir("/") != 0)
			_exit(126);
		execve(LBENCH_PATH, args, envp);
		warn_errno("execve " LBENCH_PATH);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			warn_errno("waitpid");
			return;
		}
	}
}

int
main(int argc, char **argv)
{
	unsigned long long tsc = read_tsc();
	char line[160];

	setup_console();
	(void)mount_fs("tmpfs", "/tmp", 0, "mode=1777");
	(void)mount_fs("proc", "/proc", 0, NULL);
	snprintf(line, sizeof(line), "BENCH boot_to_user %llu 1 boot to the "
	    "first user instruction (reset to init)\n", tsc);
	say(1, line);
	run_lbench(argc, argv);
	sync();
	reboot(RB_POWER_OFF);
	warn_errno("reboot");
	for (;;)
		pause();
}

#else /* !__linux__ */

#include <unistd.h>

/* Built against our libc by the bench/NAME.c rule: nothing to do. */
int
main(void)
{
	static const char msg[] = "linux_init: runs only as Linux's /init\n";

	(void)write(2, msg, sizeof(msg) - 1);
	return (1);
}

#endif /* __linux__ */
