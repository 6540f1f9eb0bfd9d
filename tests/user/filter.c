/*
 * filter - SYS_FILTER command-class deny sets.
 *
 * Every case runs in a child, because a filter can never be removed.
 * (1) deny SMC_FSCREATE: open(O_CREAT) and mkdir fail with EPERM and
 *     create nothing, SYS_FILTERSTAT counts each refusal, reading and
 *     writing existing descriptors still work;
 * (2) SYS_FILTER(0) does not clear it, and the result still names it;
 * (3) a forked child and an exec'd image (this program run again with
 *     argv[1] = "inherited") are still filtered;
 * (4) deny SMC_FORK: fork fails with EPERM; SMC_BASIC cannot be denied
 *     (getpid still works).
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/msgcall.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "utest.h"

#define VICTIM	"/tmp/ut_filter_file"
#define VDIR	"/tmp/ut_filter_dir"
#define SELF	"/usr/tests/filter"

static long
sys_filter(long deny)
{
	struct sysmsg m;

	sysmsg_init(&m, SYS_FILTER);
	m.sm_arg[0] = (unsigned long)deny;
	return (sysmsg_do(&m));
}

static long
sys_filterstat(void)
{
	struct sysmsg m;

	sysmsg_init(&m, SYS_FILTERSTAT);
	return (sysmsg_do(&m));
}

/* The checks made in a filtered process (also after exec). */
static void
creation_denied(void)
{
	long n0;

	n0 = sys_filterstat();
	CHECK(n0 >= 0);
	CHECK_ERR(open(VICTIM, O_WRONLY | O_CREAT, 0644), EPERM);
	CHECK_ERR(mkdir(VDIR, 0755), EPERM);
	CHECK_EQ(sys_filterstat(), n0 + 2);
	/* Clearing is impossible. */
	CHECK(sys_filter(0) & SMC_FSCREATE);
	CHECK_ERR(mkdir(VDIR, 0755), EPERM);
	CHECK_EQ(sys_filterstat(), n0 + 3);
}

static void
reading_works(void)
{
	char buf[4];
	int fd;

	fd = open(SELF, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, 4), 4);
	CHECK(memcmp(buf, "\177ELF", 4) == 0);
	CHECK_OK(close(fd));
}

static void
fscreate_child(void)
{
	char *av[3], *ev[1];
	int pid;

	CHECK(sys_filter(SMC_FSCREATE) & SMC_FSCREATE);
	creation_denied();
	reading_works();
	UT_LOG("child: creation refused, reading works");
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		creation_denied();
		_exit(0);
	}
	CHECK_EXIT(pid, 0);
	UT_LOG("child: forked grandchild inherited the filter");
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		av[0] = "filter";
		av[1] = "inherited";
		av[2] = NULL;
		ev[0] = NULL;
		execve(SELF, av, ev);
		_exit(50);
	}
	CHECK_EXIT(pid, 0);
	UT_LOG("child: exec'd image inherited the filter");
}

static void
fork_child(void)
{
	long deny;

	deny = sys_filter(SMC_FORK | SMC_BASIC);
	CHECK(deny & SMC_FORK);
	CHECK(getpid() > 0);
	CHECK_ERR(fork(), EPERM);
	CHECK_ERR(fork(), EPERM);
	CHECK(sys_filterstat() >= 2);
	UT_LOG("child: fork refused");
}

int
main(int argc, char **argv)
{
	struct stat st;
	int pid;

	UT_INIT();
	if (argc > 1 && strcmp(argv[1], "inherited") == 0) {
		creation_denied();
		reading_works();
		return (0);
	}
	(void)unlink(VICTIM);
	(void)rmdir(VDIR);
	/* Unfiltered, we are allowed to create. */
	CHECK_EQ(sys_filter(0) & SMC_FSCREATE, 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		fscreate_child();
		_exit(0);
	}
	CHECK_EXIT(pid, 0);
	CHECK_ERR(stat(VICTIM, &st), ENOENT);
	CHECK_ERR(stat(VDIR, &st), ENOENT);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		fork_child();
		_exit(0);
	}
	CHECK_EXIT(pid, 0);
	/* The parent was never filtered. */
	CHECK_OK(mkdir(VDIR, 0755));
	CHECK_OK(rmdir(VDIR));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK_EXIT(pid, 0);
	return (0);
}
