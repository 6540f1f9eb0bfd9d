/*
 * init: the first user process (pid 1), started by the kernel with the
 * console as descriptors 0, 1 and 2.
 *
 * Normal mode: run /etc/rc with /bin/sh if it exists, then keep an
 * interactive shell on the console (restarted when it exits), reaping
 * every orphan the kernel hands us in the meantime.
 *
 * Test mode (-t NAME, from utest=NAME on the kernel command line): run
 * the userland test /usr/tests/NAME and report it as KTAP on the console
 * the way the in-kernel tests do ("KTAP version 1", "1..1", "ok 1 NAME"
 * or "not ok 1 NAME"), then power off with the verdict (isa-debug-exit:
 * the host harness, tests/kern/ktest, judges it).  A test that has a
 * scripted session (/usr/tests/NAME.in, typed by the host into the
 * console) is an interactive /bin/sh instead; its exit status decides.
 *
 * Bench mode (-b NAME [-s SCALE]): run /usr/bench/NAME (with "-s SCALE",
 * an iteration scale, when given) the same way; its output is the
 * benchmark figures.
 */

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/msgcall.h>
#include <sys/stat.h>
#include <sys/sysmsg.h>
#include <sys/wait.h>

static char *const shell_env[] = { "PATH=/bin:/sbin", "HOME=/",
	"TERM=dumb", "USER=root", NULL };

/* Power off with status (0 pass): SYS_REBOOT, init only. */
static void
poweroff(int status)
{
	struct sysmsg m;

	fflush(stdout);
	sysmsg_init(&m, SYS_REBOOT);
	m.sm_arg[0] = RB_POWEROFF;
	m.sm_arg[1] = (unsigned)status;
	sysmsg_do(&m);
	fprintf(stderr, "init: reboot failed: %s\n", strerror(errno));
	_exit(1);
}

/* Start path with argv; its pid, or -1. */
static pid_t
spawn(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return (-1);
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execve(path, argv, shell_env);
		fprintf(stderr, "init: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	return (pid);
}

/* Wait for pid, reaping any other child on the way; its wait status. */
static int
wait_for(pid_t pid)
{
	int status;
	pid_t r;

	for (;;) {
		r = wait(&status);
		if (r == pid)
			return (status);
		if (r < 0 && errno != EINTR)
			return (-1);
	}
}

static void
describe(int status)
{
	if (status == -1)
		printf("# lost the child\n");
	else if (WIFSIGNALED(status))
		printf("# killed by signal %d\n", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		printf("# exit status %d\n", WEXITSTATUS(status));
}

static char *bench_scale;	/* -s: passed on to the benchmark as -s */

/* Test or bench mode: run one program, report, power off. */
static void
run_one(const char *dir, const char *name, bool ktap)
{
	char path[256], in[256];
	char *argv[4];
	struct stat st;
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(in, sizeof(in), "%s/%s.in", dir, name);
	if (ktap)
		printf("KTAP version 1\n1..1\n");
	fflush(stdout);
	if (stat(in, &st) == 0) {
		argv[0] = "sh";
		argv[1] = NULL;
		pid = spawn("/bin/sh", argv);
	} else {
		argv[0] = (char *)name;
		argv[1] = argv[2] = argv[3] = NULL;
		if (!ktap && bench_scale != NULL) {
			argv[1] = "-s";
			argv[2] = bench_scale;
		}
		pid = spawn(path, argv);
	}
	status = pid < 0 ? -1 : wait_for(pid);
	if (ktap) {
		/* A session's shell may have left a prompt on the line. */
		printf("\n");
		describe(status);
		printf("%s 1 %s\n", status == 0 ? "ok" : "not ok", name);
	}
	poweroff(status == 0 ? 0 : 1);
}

int
main(int argc, char **argv)
{
	char *shargv[] = { "sh", NULL, NULL };
	int c;

	if (getpid() != 1) {
		fprintf(stderr, "init: not process 1\n");
		return (1);
	}
	char *test = NULL, *bench = NULL;

	while ((c = getopt(argc, argv, "t:b:s:")) != -1) {
		switch (c) {
		case 't':
			test = optarg;
			break;
		case 'b':
			bench = optarg;
			break;
		case 's':
			bench_scale = optarg;
			break;
		default:
			fprintf(stderr, "usage: init [-t test | -b bench "
			    "[-s scale]]\n");
			break;
		}
	}
	if (test != NULL)
		run_one("/usr/tests", test, true);
	if (bench != NULL)
		run_one("/usr/bench", bench, false);
	/* Orphans: the kernel hands them to us; wait() reaps them. */
	signal(SIGINT, SIG_IGN);
	if (access("/etc/rc", R_OK) == 0) {
		shargv[1] = "/etc/rc";
		(void)wait_for(spawn("/bin/sh", shargv));
	}
	shargv[1] = NULL;
	for (;;) {
		pid_t pid = spawn("/bin/sh", shargv);

		if (pid < 0) {
			sleep(1);
			continue;
		}
		(void)wait_for(pid);
		printf("init: shell exited; starting a new one\n");
	}
}
