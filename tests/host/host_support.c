/*
 * Test-side support for the host unit tests: what the kernel sources
 * expect from the rest of the kernel (panic, kprintf; the string
 * functions are libc's), plus helpers shared by the test programs.
 *
 * panic() prints "panic: <message>" on stderr and aborts, so a test that
 * wants to see a panic runs the offending code in a child process with
 * host_expect_panic() and checks both the signal and the message.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "shim/host_api.h"

void	panic(const char *fmt, ...) __attribute__((__noreturn__,
	    __format__(__printf__, 1, 2)));
int	kprintf(const char *fmt, ...) __attribute__((__format__(__printf__,
	    1, 2)));

/* Kept so that LeakSanitizer sees them as reachable. */
static void		*host_ram_buf;
static struct vm_page	*host_page_array;

/*
 * libatf-c does not free its test-case list when it lists the cases
 * (-l); keep LeakSanitizer's eyes on our own code.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_options(void)
{
	return ("print_suppressions=0");
}

const char *
__lsan_default_suppressions(void)
{
	return ("leak:libatf-c.so\n");
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

struct vm_page *
host_vm_setup(uint64_t base, size_t npages)
{
	ATF_REQUIRE(base % HOST_PAGE_SIZE == 0);
	ATF_REQUIRE(host_ram_buf == NULL);
	host_ram_buf = aligned_alloc(HOST_PAGE_SIZE, npages * HOST_PAGE_SIZE);
	ATF_REQUIRE(host_ram_buf != NULL);
	/* Garbage, so that VM_ALLOC_ZERO and M_ZERO have work to do. */
	memset(host_ram_buf, 0xa5, npages * HOST_PAGE_SIZE);
	host_page_array = calloc(npages, host_vm_page_sizeof());
	ATF_REQUIRE(host_page_array != NULL);
	host_ram_base = (uintptr_t)host_ram_buf - (uintptr_t)base;
	host_cpu_attach(0);
	vm_phys_init(host_page_array, base, npages);
	return (host_page_array);
}

void *
host_dmap(uint64_t pa)
{
	return ((void *)(host_ram_base + (uintptr_t)pa));
}

void
host_expect_panic(void (*fn)(void *), void *arg, const char *substr)
{
	char buf[4096];
	size_t len;
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	fflush(stdout);
	fflush(stderr);
	ATF_REQUIRE(pipe(fds) == 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	len = 0;
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	/* ATF wants one-line reasons. */
	for (n = 0; n < (ssize_t)len; n++) {
		if (buf[n] == '\n')
			buf[n] = ' ';
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "expected a panic containing \"%s\"; child status %#x, "
	    "output: %s", substr, status, buf);
	ATF_REQUIRE_MSG(strstr(buf, "panic: ") != NULL &&
	    strstr(buf, substr) != NULL,
	    "expected a panic containing \"%s\", got: %s", substr, buf);
}

uint64_t
host_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (x * 0x2545f4914f6cdd1dULL);
}
