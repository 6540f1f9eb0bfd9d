/*
 * utest.h - the checking macros shared by the userland tests.
 *
 * Every program in tests/user is one test: it prints diagnostics as lines
 * starting with "# " on stdout, and on the first failed check prints
 * "# FAIL file:line: what" and exits with status 1.  Exit status 0 means
 * every check passed.  The harness reads only the exit status; the lines
 * are for people.
 *
 * stdout is made unbuffered by UT_INIT() so that lines are not lost or
 * duplicated across fork() and _exit().  A check that fails in a forked
 * child ends the child with status 1; the parent must check the child's
 * status to see it.
 */
#ifndef _UTEST_H_
#define _UTEST_H_

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Call first in main(). */
#define UT_INIT()	setvbuf(stdout, NULL, _IONBF, 0)

/* A diagnostic line: "# " + printf-style text + newline. */
#define UT_LOG(...) do {						\
	printf("# ");							\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* Report a failure at this line and exit 1. */
#define UT_FAIL(...) do {						\
	printf("# FAIL %s:%d: ", __FILE__, __LINE__);			\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	exit(1);							\
} while (0)

/* cond must hold. */
#define CHECK(cond) do {						\
	if (!(cond))							\
		UT_FAIL("%s", #cond);					\
} while (0)

/* a == b, compared as 64-bit integers; both values printed on failure. */
#define CHECK_EQ(a, b) do {						\
	long long _ut_a = (long long)(a);				\
	long long _ut_b = (long long)(b);				\
	if (_ut_a != _ut_b)						\
		UT_FAIL("%s == %s: %lld (%#llx) != %lld (%#llx)",	\
		    #a, #b, _ut_a, (unsigned long long)_ut_a, _ut_b,	\
		    (unsigned long long)_ut_b);				\
} while (0)

/*
 * call must fail: return -1 (or MAP_FAILED, SIG_ERR: all ones) with
 * errno == err.
 */
#define CHECK_ERR(call, err) do {					\
	long long _ut_r;						\
	int _ut_e;							\
	errno = 0;							\
	_ut_r = (long long)(call);					\
	_ut_e = errno;							\
	if (_ut_r != -1 || _ut_e != (err))				\
		UT_FAIL("%s: want -1 errno %d (%s), got %lld errno %d",	\
		    #call, (int)(err), #err, _ut_r, _ut_e);		\
} while (0)

/* call must succeed: not -1; errno printed otherwise. */
#define CHECK_OK(call) do {						\
	long long _ut_r;						\
	errno = 0;							\
	_ut_r = (long long)(call);					\
	if (_ut_r == -1)						\
		UT_FAIL("%s failed: errno %d", #call, errno);		\
} while (0)

/*
 * Wait for child pid and return its status word, retrying when a signal
 * handler interrupts the wait; any other failure is a failed check.
 */
#define UT_WAIT(pid) ut_wait((pid), __FILE__, __LINE__)

#include <sys/wait.h>

static inline int
ut_wait(int pid, const char *file, int line)
{
	int st, r;

	st = -1;
	do
		r = waitpid(pid, &st, 0);
	while (r == -1 && errno == EINTR);	/* a handler ran */
	if (r != pid) {
		printf("# FAIL %s:%d: waitpid(%d) = %d errno %d\n", file,
		    line, pid, r, errno);
		exit(1);
	}
	return (st);
}

/* The child pid must have exited normally with code. */
#define CHECK_EXIT(pid, code) do {					\
	int _ut_st = UT_WAIT(pid);					\
	if (!WIFEXITED(_ut_st) || WEXITSTATUS(_ut_st) != (code))	\
		UT_FAIL("child %d: status %#x, want exit %d",		\
		    (int)(pid), _ut_st, (int)(code));			\
} while (0)

/* The child pid must have been killed by signal sig. */
#define CHECK_SIGNALED(pid, sig) do {					\
	int _ut_st = UT_WAIT(pid);					\
	if (!WIFSIGNALED(_ut_st) || WTERMSIG(_ut_st) != (sig))		\
		UT_FAIL("child %d: status %#x, want signal %d",		\
		    (int)(pid), _ut_st, (int)(sig));			\
} while (0)

#endif /* !_UTEST_H_ */
