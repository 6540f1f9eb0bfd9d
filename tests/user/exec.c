/*
 * exec - execve() of a real program and its failures.
 *
 * (1) fork + execve("/usr/tests/exec_helper", argv, envp): the helper
 *     checks its argv, environment and that a close-on-exec descriptor
 *     is closed, and exits with 100 + N + argc (see exec_helper.c);
 * (2) errors, sent as raw SYS_EXECVE messages so libc's ENOEXEC-to-/bin/sh
 *     fallback does not interfere: ENOENT (missing file), EACCES (a file
 *     without execute permission), ENOEXEC (garbage with mode 755),
 *     E2BIG (an argv of several MiB); a failed exec returns and the
 *     process carries on;
 * (3) libc execve() of a missing file: -1 with ENOENT.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/msgcall.h>
#include <sys/stat.h>

#include "utest.h"

#define HELPER	"/usr/tests/exec_helper"
#define NOEXEC	"/tmp/ut_exec_noperm"
#define GARBAGE	"/tmp/ut_exec_garbage"

static char *envv[] = { "UT_ONE=1", "UT_TWO=two=2", NULL };

static void
run_helper(void)
{
	char fdbuf[16];
	char *av[7];
	int fd, pid;

	fd = open(HELPER, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
	av[0] = "exec_helper";
	av[1] = "alpha";
	av[2] = "beta gamma";
	av[3] = "";
	av[4] = "7";
	av[5] = fdbuf;
	av[6] = NULL;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execve(HELPER, av, envv);
		printf("# child: execve failed errno %d\n", errno);
		_exit(1);
	}
	CHECK_EXIT(pid, 100 + 7 + 6);
	/* Still open in the parent. */
	CHECK(fcntl(fd, F_GETFD) != -1);
	close(fd);
	UT_LOG("exec_helper ran with the right argv/envp, cloexec fd closed");
}

/* SYS_EXECVE without libc's help: returns only on failure. */
static long
raw_execve(const char *path, char **av, char **ev)
{
	struct sysmsg m;

	sysmsg_init(&m, SYS_EXECVE);
	m.sm_arg[0] = (unsigned long)path;
	m.sm_arg[1] = (unsigned long)av;
	m.sm_arg[2] = (unsigned long)ev;
	return (sysmsg_do(&m));
}

static void
make_file(const char *path, int mode, const char *data, size_t len)
{
	int fd;

	(void)unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, data, len), (long)len);
	CHECK_OK(close(fd));
	CHECK_OK(chmod(path, mode));
}

static void
errors(void)
{
	static const char garbage[] =
	    "\x01\x02\x03 this is not an ELF file \x7f"
	    "ELX\x00\x00 neither a script";
	char *av[3];
	char **big, *s;
	int i, n;

	av[0] = "x";
	av[1] = NULL;
	CHECK_ERR(raw_execve("/usr/tests/no_such_program", av, envv), ENOENT);
	CHECK_ERR(execve("/usr/tests/no_such_program", av, envv), ENOENT);

	make_file(NOEXEC, 0644, "#!/bin/sh\nexit 0\n", 17);
	CHECK_ERR(raw_execve(NOEXEC, av, envv), EACCES);
	UT_LOG("ENOENT, EACCES ok");

	make_file(GARBAGE, 0755, garbage, sizeof(garbage));
	CHECK_ERR(raw_execve(GARBAGE, av, envv), ENOEXEC);
	UT_LOG("ENOEXEC ok");

	/* 4096 strings of 2 KiB: 8 MiB of arguments. */
	n = 4096;
	s = malloc(2048);
	big = malloc((n + 1) * sizeof(char *));
	CHECK(s != NULL && big != NULL);
	memset(s, 'a', 2047);
	s[2047] = '\0';
	for (i = 0; i < n; i++)
		big[i] = s;
	big[n] = NULL;
	CHECK_ERR(raw_execve(HELPER, big, envv), E2BIG);
	CHECK_ERR(raw_execve(HELPER, av, big), E2BIG);
	free(big);
	free(s);
	UT_LOG("E2BIG ok");

	CHECK_OK(unlink(NOEXEC));
	CHECK_OK(unlink(GARBAGE));
	/* The process is intact after the failed execs. */
	CHECK(getpid() > 0);
}

int
main(void)
{
	UT_INIT();
	run_helper();
	errors();
	run_helper();
	return (0);
}
