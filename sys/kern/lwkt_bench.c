/*
 * Benchmarks of serializing tokens and message round trips (see
 * <sys/kbench.h> and kern_bench.c for the method).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/errno.h>
#include <sys/kbench.h>

KBENCH(token, "uncontended lwkt_gettoken + lwkt_reltoken")
{
	static struct lwkt_token tok = LWKT_TOKEN_INITIALIZER("bench");
	uint64_t n = 50000, t0 = kbench_now();

	for (uint64_t i = 0; i < n; i++) {
		lwkt_gettoken(&tok);
		lwkt_reltoken(&tok);
	}
	kbench_report("token", kbench_now() - t0, n,
	    "uncontended exclusive get+release");
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++) {
		lwkt_gettoken_shared(&tok);
		lwkt_reltoken(&tok);
	}
	kbench_report("token_shared", kbench_now() - t0, n,
	    "uncontended shared get+release");
}

/* A serializer port completes in the caller's context when it is free. */
static int
bench_dispatch(lwkt_port_t port, lwkt_msg_t msg)
{
	msg->ms_arg[0]++;
	return (0);
}

KBENCH(domsg_sync, "lwkt_domsg completed synchronously")
{
	static struct lwkt_port port;
	struct lwkt_msg msg;
	uint64_t n = 50000, t0;

	lwkt_initport_serialize(&port, bench_dispatch);
	lwkt_initmsg(&msg, &curthread->td_msgport, 1);
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++)
		lwkt_domsg(&port, &msg, 0);
	kbench_report("domsg_sync", kbench_now() - t0, n,
	    "domsg to a free serializer port (no queueing)");
}

/* A server thread that replies to every message on its thread port. */

static void
bench_server(void *arg)
{
	lwkt_port_t port = &curthread->td_msgport;
	volatile lwkt_port_t *out = arg;

	*out = port;
	wakeup(arg);
	for (;;) {
		lwkt_msg_t msg = lwkt_waitport(port, 0);

		if (msg->ms_cmd == 0) {
			lwkt_replymsg(msg, 0);
			break;
		}
		lwkt_replymsg(msg, 0);
	}
}

static void
bench_domsg_async(const char *name, int cpu, const char *desc)
{
	static volatile lwkt_port_t srvport;
	struct lwkt_msg msg;
	uint64_t n = 5000, t0;

	srvport = NULL;
	if (lwkt_create(bench_server, (void *)&srvport, cpu, TDPRI_KERN, 0, 0,
	    "bench_srv") == NULL) {
		kprintf("BENCH %s n/a 0 no memory\n", name);
		return;
	}
	while (srvport == NULL)
		tsleep((void *)&srvport, 0, "bench", 1000000UL);
	lwkt_initmsg(&msg, &curthread->td_msgport, 1);
	t0 = kbench_now();
	for (uint64_t i = 0; i < n; i++)
		lwkt_domsg(srvport, &msg, 0);
	kbench_report(name, kbench_now() - t0, n, desc);
	lwkt_initmsg(&msg, &curthread->td_msgport, 0);
	lwkt_domsg(srvport, &msg, 0);		/* stop the server */
}

KBENCH(domsg_async, "lwkt_domsg via EASYNC, same CPU and across CPUs")
{
	bench_domsg_async("domsg_easync", 0,
	    "domsg to a server thread on the same CPU (EASYNC, 2 switches)");
	if (ncpus < 2) {
		kprintf("BENCH domsg_xcpu n/a 0 needs 2 CPUs\n");
		return;
	}
	bench_domsg_async("domsg_xcpu", 1,
	    "domsg to a server thread on another CPU (EASYNC, IPIs)");
}
