/*
 * ps: list processes.
 *
 *   ps
 *
 * One line per process: PID, PPID, STATE (R running/runnable, S
 * sleeping, Z zombie, ? unknown), NTHR (threads) and COMM (the command
 * name).  The kernel describes processes through SYS_PSINFO, a native
 * message (sys/msgcall.h) that fills a tagged element list (struct
 * sysel, PS_* tags of sys/sysmsg.h) for the first process whose pid is
 * >= the one asked for, and fails with ESRCH past the last; ps starts at
 * pid 0 and asks again from the described pid + 1.  A tag the kernel
 * does not know comes back with el_len 0 and is shown as "-".
 *
 * The listing is not a snapshot: processes may come and go between
 * calls, so one that exits early in the walk is missing, and one that is
 * created with a pid already passed is not shown.  ps runs only on our
 * kernel (there is no host equivalent of SYS_PSINFO).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/msgcall.h>
#include <sys/sysmsg.h>

/* Positions in the element list. */
enum { EL_PID, EL_PPID, EL_STATE, EL_NTHR, EL_COMM, EL_COUNT };

/* A scalar element as a number, or -1 when the kernel left it out. */
static long long
ps_val(const struct sysel *el)
{
	return (el->el_len == 0 ? -1 : (long long)el->el_val);
}

static char
ps_state(long long s)
{
	switch (s) {
	case PS_RUN:
		return ('R');
	case PS_SLEEP:
		return ('S');
	case PS_ZOMBIE:
		return ('Z');
	}
	return ('?');
}

/*
 * Describe the first process with pid >= pid into el and comm.  Returns
 * the pid described, or -1 with errno set (ESRCH past the last).
 */
static long
ps_info(long pid, struct sysel *el, char *comm, size_t commsize)
{
	struct sysmsg m;

	memset(el, 0, EL_COUNT * sizeof(*el));
	el[EL_PID].el_tag = PS_PID;
	el[EL_PPID].el_tag = PS_PPID;
	el[EL_STATE].el_tag = PS_STATE;
	el[EL_NTHR].el_tag = PS_NTHREADS;
	el[EL_COMM].el_tag = PS_COMM;
	el[EL_COMM].el_val = (uintptr_t)comm;
	el[EL_COMM].el_len = commsize;
	comm[0] = '\0';
	sysmsg_init(&m, SYS_PSINFO);
	m.sm_arg[0] = pid;
	m.sm_arg[1] = (uintptr_t)el;
	m.sm_arg[2] = EL_COUNT;
	return (sysmsg_do(&m));
}

int
main(int argc, char **argv)
{
	struct sysel el[EL_COUNT];
	char comm[64];
	long pid;

	if (argc > 1) {
		fprintf(stderr, "usage: ps\n");
		return (1);
	}
	printf("%5s %5s %5s %4s %s\n", "PID", "PPID", "STATE", "NTHR",
	    "COMM");
	for (pid = 0;; pid++) {
		pid = ps_info(pid, el, comm, sizeof(comm));
		if (pid < 0)
			break;
		comm[sizeof(comm) - 1] = '\0';
		printf("%5ld %5lld %5c %4lld %s\n", pid,
		    ps_val(&el[EL_PPID]), ps_state(ps_val(&el[EL_STATE])),
		    ps_val(&el[EL_NTHR]), el[EL_COMM].el_len == 0 ? "-" :
		    comm);
	}
	if (errno != ESRCH) {
		fprintf(stderr, "ps: psinfo: %s\n", strerror(errno));
		return (1);
	}
	return (0);
}
