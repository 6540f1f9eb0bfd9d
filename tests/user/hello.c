/*
 * hello - the smallest userland test: the process starts with a sane
 * argv, environment and pid, and can print.
 */
#include <string.h>
#include <unistd.h>

#include "utest.h"

int
main(int argc, char **argv)
{
	const char *path, *base;

	UT_INIT();
	printf("hello\n");
	CHECK(argc >= 1);
	CHECK(argv[0] != NULL);
	CHECK(argv[argc] == NULL);
	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	UT_LOG("argv[0] = %s", argv[0]);
	CHECK(strcmp(base, "hello") == 0);
	path = getenv("PATH");
	CHECK(path != NULL);
	CHECK(path[0] != '\0');
	UT_LOG("PATH = %s", path);
	CHECK(environ != NULL);
	CHECK(getpid() > 0);
	CHECK(getppid() > 0);
	CHECK_EQ(getpid(), getpid());
	UT_LOG("pid %d ppid %d", getpid(), getppid());
	return (0);
}
