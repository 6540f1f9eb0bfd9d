/*
 * In-kernel tests of user processes as a whole: a user program runs
 * (kern_spawn, as a child of proc0) and afterwards every kernel
 * resource it used must be back where it was: files, user pages,
 * commitment, async messages, processes, threads.  The programs are
 * the userland tests of the initrd, so what they exercise (async
 * messages in flight at exit, memory exhaustion, a fork bomb) is
 * checked for leaks here.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/file.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/vm_map.h>

struct snapshot {
	int	files;
	size_t	upages;
	size_t	committed;
	int	async;
	int	procs;
	int	threads;
};

static void
snap(struct snapshot *s)
{
	s->files = file_count();
	s->upages = vm_upages_count();
	s->committed = vm_committed_total;
	s->async = sysmsg_async_count();
	s->procs = nprocs;
	s->threads = lwkt_thread_count();
}

/* Run path; its wait status, or -1 if it could not start. */
static int
run(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { "PATH=/bin:/sbin", NULL };
	int pid, status, error;

	error = kern_spawn(path, argv, envp, &pid);
	if (error != 0) {
		ktest_log("spawn %s: error %d", path, error);
		return (-1);
	}
	error = kern_spawn_wait(pid, &status);
	if (error != 0) {
		ktest_log("wait %s: error %d", path, error);
		return (-1);
	}
	return (status);
}

/* Threads end asynchronously (reaped after they switch out): wait. */
static bool
settled(const struct snapshot *a)
{
	struct snapshot b;

	for (int i = 0; i < 200; i++) {
		snap(&b);
		if (b.threads == a->threads)
			break;
		tsleep(&b, 0, "settle", 10000000UL);
	}
	snap(&b);
	if (b.files != a->files || b.upages != a->upages ||
	    b.committed != a->committed || b.async != a->async ||
	    b.procs != a->procs || b.threads != a->threads) {
		ktest_log("before: files %d upages %zu committed %zu async %d "
		    "procs %d threads %d", a->files, a->upages, a->committed,
		    a->async, a->procs, a->threads);
		ktest_log("after:  files %d upages %zu committed %zu async %d "
		    "procs %d threads %d", b.files, b.upages, b.committed,
		    b.async, b.procs, b.threads);
		return (false);
	}
	return (true);
}

static void
run_clean(const char *path)
{
	struct snapshot a;
	int status;

	snap(&a);
	status = run(path);
	ktest_log("%s: wait status %#x", path, status);
	KT_CHECK(status == 0);
	KT_CHECK(settled(&a));
}

KTEST_DEFINE(proc_async_noleak, "1,4", 0, 240, "a program exiting with async "
    "messages in flight (tests/user/async) leaves no message, file, page, "
    "thread or process behind")
{
	run_clean("/usr/tests/async");
}

KTEST_DEFINE(proc_memexhaust_noleak, "1", 0, 300, "memory exhaustion by a program "
    "(tests/user/memexhaust): every page and all commitment return")
{
	run_clean("/usr/tests/memexhaust");
}

KTEST_DEFINE(proc_hostile_noleak, "1", 0, 240, "the hostile-input program leaves nothing "
    "behind")
{
	run_clean("/usr/tests/hostile");
}

KTEST(proc_spawn_errors, "spawning a missing, a non-ELF and a directory "
    "path fails cleanly with ENOENT, ENOEXEC/EACCES, EACCES")
{
	struct snapshot a;
	char *argv[] = { "x", NULL };
	int pid, error;

	snap(&a);
	KT_ASSERT_EQ(kern_spawn("/no/such", argv, NULL, &pid), ENOENT);
	error = kern_spawn("/etc/motd", argv, NULL, &pid);
	KT_CHECK(error == EACCES || error == ENOEXEC);
	KT_ASSERT_EQ(kern_spawn("/usr", argv, NULL, &pid), EACCES);
	KT_CHECK(settled(&a));
}
