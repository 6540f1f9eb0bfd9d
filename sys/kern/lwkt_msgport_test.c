/*
 * In-kernel tests of LWKT messages and ports (sys/kern/lwkt_msgport.c).
 *
 * Each test runs with 1 and with 4 CPUs (with 1, what crosses CPUs
 * degrades to the same CPU).  Servers are threads made with lwkt_create
 * that serve their own thread port (or a shared spin port) until they
 * receive MT_QUIT.  Workers (senders, collectors) get a start message on
 * their thread port and reply it when done, to a spin port the test body
 * waits on: the tests use the messaging they test to learn when work is
 * over, so a lost message shows as a hang (the harness reports it).
 * Sizes are small so that each test stays well under 30 s even under the
 * slow nested KVM of our CI machines.
 *
 *   msg_domsg_sync	 domsg to a free serializer port completes in the
 *			 caller's context: result, no switch, msg_sync
 *   msg_domsg_async	 domsg to a thread port served by a server thread,
 *			 same CPU and remote: caller blocks, gets the result
 *   msg_sendmsg_remote	 sendmsg to a server on CPU 1; replies to a thread
 *			 port on CPU 2, collected there with waitport
 *   msg_many_senders	 senders on every CPU to one thread, spin or
 *			 serializer port; every reply exactly once, to the
 *			 right port, with the right payload
 *   msg_sendmsg_sync	 sendmsg completed synchronously still delivers the
 *			 reply on the reply port; a serializer's holder
 *			 drains what was queued while it held it
 *   msg_dropmsg	 dropmsg from spin and (remote) thread ports, and
 *			 its EINVAL / ENOENT cases
 *   msg_violation	 ownership and usage violations, caught by an armed
 *			 catcher, change nothing
 *   msg_violation_panic an unarmed violation panics (expected failure)
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/globaldata.h>
#include <sys/malloc.h>
#include <sys/msgport.h>
#include <sys/thread.h>
#include <sys/ktest.h>

#define MT_WORK		1	/* compute mt_result(ms_arg[0]) */
#define MT_QUIT		2	/* server: reply and exit */
#define MT_START	3	/* worker: start; replied when done */
#define MT_FAIL		4	/* dispatch: fail with ENOENT */
#define MT_NEST		5	/* dispatch: also send ms_arg[2] to our port */

/* The result a server computes for a payload, and the error it returns. */
static uint64_t
mt_result(uint64_t arg)
{
	return (arg * 3 + 1);
}

static int
mt_error(uint64_t arg)
{
	return (arg % 5 == 3 ? EIO : 0);
}

/*
 * Serve one MT_WORK request: results in ms_arg[1], the serving CPU in
 * ms_arg[2], ms_arg[3] counts how often it was served.  Returns the
 * error to reply with.
 */
static int
mt_serve(lwkt_msg_t msg)
{
	KT_CHECK(msg->ms_owner == MSO_TARGET);
	KT_CHECK((msg->ms_flags & (MSGF_QUEUED | MSGF_DONE | MSGF_REPLY)) ==
	    0);
	msg->ms_arg[1] = mt_result(msg->ms_arg[0]);
	msg->ms_arg[2] = mycpuid;
	msg->ms_arg[3]++;
	return (mt_error(msg->ms_arg[0]));
}

static bool
mt_contains(const char *s, const char *sub)
{
	size_t n = strlen(sub);

	for (; *s != '\0'; s++)
		if (strncmp(s, sub, n) == 0)
			return (true);
	return (false);
}

static uint64_t
mt_count(bool sync)
{
	struct lwkt_stats *c = &mycpu->gd_cnt;

	return (sync ? c->msg_sync : c->msg_async);
}

/* --- servers --- */

struct mt_server {
	lwkt_port_t	sv_port;	/* port served */
	volatile int	sv_served;	/* [a] MT_WORK requests served */
	volatile int	sv_sync;	/* [a] of which had MSGF_SYNC */
};

/*
 * Serve sv->sv_port until MT_QUIT.  After replying MT_QUIT it no longer
 * touches sv (the test may be gone).
 */
static void
mt_server_main(void *arg)
{
	struct mt_server *sv = arg;
	lwkt_msg_t msg;

	for (;;) {
		msg = lwkt_waitport(sv->sv_port, 0);
		if (msg == NULL) {
			KT_CHECK(msg != NULL);
			return;
		}
		if (msg->ms_cmd == MT_QUIT) {
			lwkt_replymsg(msg, 0);
			return;
		}
		KT_CHECK(msg->ms_cmd == MT_WORK);
		__atomic_add_fetch(&sv->sv_served, 1, __ATOMIC_RELAXED);
		if (msg->ms_flags & MSGF_SYNC)
			__atomic_add_fetch(&sv->sv_sync, 1, __ATOMIC_RELAXED);
		lwkt_replymsg(msg, mt_serve(msg));
	}
}

/*
 * Start a server thread on cpu.  If port is NULL it serves its own
 * thread port.  Returns the thread, NULL (and a failure) if none.
 */
static struct thread *
mt_server_start(struct mt_server *sv, lwkt_port_t port, int cpu,
    int flags)
{
	struct thread *td;

	td = lwkt_create(mt_server_main, sv, cpu, TDPRI_KERN, 0,
	    LWKT_CREATE_NOSCHED, "mt_server");
	if (td == NULL) {
		KT_CHECK(td != NULL);
		return (NULL);
	}
	sv->sv_port = port != NULL ? port : &td->td_msgport;
	if ((flags & LWKT_CREATE_NOSCHED) == 0)
		lwkt_schedule(td);
	return (td);
}

/* Stop the server(s) of port: one MT_QUIT each, waited for. */
static void
mt_server_stop(lwkt_port_t port, int n)
{
	struct lwkt_msg quit;

	for (int i = 0; i < n; i++) {
		lwkt_initmsg(&quit, &curthread->td_msgport, MT_QUIT);
		KT_CHECK(lwkt_domsg(port, &quit, 0) == 0);
	}
}

/* --- workers --- */

struct mt_worker {
	struct lwkt_msg	w_start;	/* MT_START, replied when done */
	struct thread	*w_td;
	void		(*w_func)(struct mt_worker *);
	void		*w_arg;		/* the test's shared state */
	int		w_id;
};

/* A worker's first message must be its start message. */
static void
mt_worker_getstart(struct mt_worker *w)
{
	lwkt_msg_t msg = lwkt_waitport(&curthread->td_msgport, 0);

	KT_CHECK(msg == &w->w_start);
}

static void
mt_worker_main(void *arg)
{
	struct mt_worker *w = arg;

	w->w_func(w);
	/* Last touch of w: the test may free it once this arrives. */
	lwkt_replymsg(&w->w_start, 0);
}

static bool
mt_worker_start(struct mt_worker *w, int cpu, lwkt_port_t done,
    void (*func)(struct mt_worker *), void *arg, int id)
{
	w->w_func = func;
	w->w_arg = arg;
	w->w_id = id;
	w->w_td = lwkt_create(mt_worker_main, w, cpu, TDPRI_KERN, 0, 0,
	    "mt_worker");
	if (w->w_td == NULL) {
		KT_CHECK(w->w_td != NULL);
		return (false);
	}
	lwkt_initmsg(&w->w_start, done, MT_START);
	lwkt_sendmsg(&w->w_td->td_msgport, &w->w_start);
	return (true);
}

/* Wait for n workers' start messages to come back on done. */
static void
mt_workers_wait(lwkt_port_t done, int n)
{
	for (int i = 0; i < n; i++) {
		lwkt_msg_t msg = lwkt_waitport(done, 0);

		KT_CHECK(msg != NULL && msg->ms_cmd == MT_START);
		KT_CHECK(msg != NULL && msg->ms_owner == MSO_SENDER);
	}
	KT_CHECK(lwkt_getport(done) == NULL);
}

/* --- msg_domsg_sync --- */

struct mt_sync {
	int		st_calls;
	struct thread	*st_td;		/* context dispatch ran in */
	int		st_flags;	/* ms_flags seen by dispatch */
	int		st_owner;	/* ms_owner seen by dispatch */
};

static int
mt_sync_dispatch(lwkt_port_t port, lwkt_msg_t msg)
{
	struct mt_sync *st = port->mp_private;

	st->st_calls++;
	st->st_td = curthread;
	st->st_flags = msg->ms_flags;
	st->st_owner = msg->ms_owner;
	if (msg->ms_cmd == MT_FAIL)
		return (ENOENT);
	return (mt_serve(msg));
}

KTEST_SMP(msg_domsg_sync, "1,4",
    "domsg to a free serializer port completes in the caller's context")
{
	struct thread *td = curthread;
	struct lwkt_port port;
	struct lwkt_msg msg;
	struct mt_sync st;
	uint64_t sync0, async0, sw0;
	const int n = 16;

	memset(&st, 0, sizeof(st));
	lwkt_initport_serialize(&port, mt_sync_dispatch);
	port.mp_private = &st;
	sync0 = mt_count(true);
	async0 = mt_count(false);
	sw0 = td->td_switches;
	for (int i = 0; i < n; i++) {
		lwkt_initmsg(&msg, &td->td_msgport, MT_WORK);
		msg.ms_arg[0] = i;
		KT_ASSERT_EQ(lwkt_domsg(&port, &msg, 0), mt_error(i));
		KT_ASSERT_EQ(msg.ms_error, mt_error(i));
		KT_ASSERT_EQ(msg.ms_arg[1], mt_result(i));
		KT_ASSERT_EQ(msg.ms_arg[3], 1);
		KT_ASSERT_EQ(msg.ms_owner, MSO_SENDER);
		KT_ASSERT(lwkt_checkmsg(&msg));
		KT_ASSERT_EQ(msg.ms_flags & (MSGF_QUEUED | MSGF_REPLY), 0);
		/* Collected already: waitmsg returns at once. */
		KT_ASSERT_EQ(lwkt_waitmsg(&msg, 0), mt_error(i));
		KT_ASSERT(st.st_td == td);
		KT_ASSERT(st.st_flags & MSGF_SYNC);
		KT_ASSERT_EQ(st.st_owner, MSO_TARGET);
	}
	lwkt_initmsg(&msg, &td->td_msgport, MT_FAIL);
	KT_ASSERT_EQ(lwkt_domsg(&port, &msg, 0), ENOENT);
	KT_ASSERT_EQ(msg.ms_error, ENOENT);
	KT_ASSERT_EQ(st.st_calls, n + 1);
	/* Nothing went through the reply port and we never blocked. */
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
	KT_ASSERT_EQ(td->td_switches, sw0);
	KT_ASSERT_EQ(mt_count(true) - sync0, n + 1);
	KT_ASSERT_EQ(mt_count(false) - async0, 0);
	KT_ASSERT_EQ(port.mp_busy, 0);
}

/* --- msg_domsg_async --- */

static void
mt_domsg_async_on(int cpu)
{
	struct thread *td = curthread;
	struct mt_server sv;
	struct lwkt_msg msg;
	uint64_t sync0, async0;
	const int n = 20;

	memset(&sv, 0, sizeof(sv));
	if (mt_server_start(&sv, NULL, cpu, 0) == NULL)
		return;
	sync0 = mt_count(true);
	async0 = mt_count(false);
	for (int i = 0; i < n; i++) {
		uint64_t arg = 1000 * cpu + i;

		lwkt_initmsg(&msg, &td->td_msgport, MT_WORK);
		msg.ms_arg[0] = arg;
		KT_ASSERT_EQ(lwkt_domsg(sv.sv_port, &msg, 0), mt_error(arg));
		KT_ASSERT_EQ(msg.ms_arg[1], mt_result(arg));
		KT_ASSERT_EQ(msg.ms_arg[2], cpu);
		KT_ASSERT_EQ(msg.ms_arg[3], 1);
		KT_ASSERT_EQ(msg.ms_owner, MSO_SENDER);
		KT_ASSERT_EQ(msg.ms_flags & (MSGF_DONE | MSGF_REPLY |
		    MSGF_QUEUED), MSGF_DONE | MSGF_REPLY);
	}
	KT_ASSERT_EQ(mt_count(true) - sync0, 0);
	KT_ASSERT_EQ(mt_count(false) - async0, n);
	KT_ASSERT_EQ(sv.sv_served, n);
	KT_ASSERT_EQ(sv.sv_sync, n);
	/* SYNC replies are never queued on the reply port. */
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
	mt_server_stop(sv.sv_port, 1);
}

KTEST_SMP(msg_domsg_async, "1,4",
    "domsg to a thread port served by a thread blocks and gets its result")
{
	mt_domsg_async_on(mycpuid);
	if (ncpus > 1)
		mt_domsg_async_on(ncpus - 1);
}

/* --- msg_sendmsg_remote --- */

#define MT_REMOTE_N	32

struct mt_remote {
	struct lwkt_msg	rm_msg[MT_REMOTE_N];
	int		rm_seen[MT_REMOTE_N];	/* replies collected */
	int		rm_cpu;			/* collector's CPU */
	int		rm_bad;
};

/* The collector: waitport for every reply (and the start message). */
static void
mt_collect(struct mt_worker *w)
{
	struct mt_remote *rm = w->w_arg;
	bool started = false;
	int got = 0;

	while (got < MT_REMOTE_N || !started) {
		lwkt_msg_t msg = lwkt_waitport(&curthread->td_msgport, 0);
		size_t i = msg - rm->rm_msg;

		if (msg == &w->w_start) {
			started = true;
			continue;
		}
		if (msg < rm->rm_msg || i >= MT_REMOTE_N) {
			rm->rm_bad++;
			continue;
		}
		rm->rm_seen[i]++;
		got++;
		if (msg->ms_owner != MSO_SENDER ||
		    msg->ms_error != mt_error(msg->ms_arg[0]) ||
		    msg->ms_arg[1] != mt_result(msg->ms_arg[0]) ||
		    (msg->ms_flags & (MSGF_DONE | MSGF_REPLY | MSGF_QUEUED)) !=
		    (MSGF_DONE | MSGF_REPLY))
			rm->rm_bad++;
	}
	rm->rm_cpu = mycpuid;
	if (lwkt_getport(&curthread->td_msgport) != NULL)
		rm->rm_bad++;
}

KTEST_SMP(msg_sendmsg_remote, "1,4",
    "sendmsg to a server on cpu1, replies collected by a thread on cpu2")
{
	int scpu = MIN(1, ncpus - 1), ccpu = MIN(2, ncpus - 1);
	struct mt_remote *rm;
	struct mt_server sv;
	struct mt_worker w;
	struct lwkt_port done;
	uint64_t async0;

	rm = kmalloc(sizeof(*rm), M_TEMP, M_ZERO);
	KT_ASSERT(rm != NULL);
	memset(&sv, 0, sizeof(sv));
	lwkt_initport_spin(&done);
	if (mt_server_start(&sv, NULL, scpu, 0) == NULL ||
	    !mt_worker_start(&w, ccpu, &done, mt_collect, rm, 0)) {
		kfree(rm, M_TEMP);
		return;
	}
	async0 = mt_count(false);
	for (int i = 0; i < MT_REMOTE_N; i++) {
		lwkt_initmsg(&rm->rm_msg[i], &w.w_td->td_msgport, MT_WORK);
		rm->rm_msg[i].ms_arg[0] = 7 * i;
		lwkt_sendmsg(sv.sv_port, &rm->rm_msg[i]);
	}
	KT_CHECK(mt_count(false) - async0 == MT_REMOTE_N);
	mt_workers_wait(&done, 1);
	mt_server_stop(sv.sv_port, 1);
	KT_CHECK(sv.sv_served == MT_REMOTE_N);
	KT_CHECK(sv.sv_sync == 0);
	KT_CHECK(rm->rm_bad == 0);
	KT_CHECK(rm->rm_cpu == ccpu);
	for (int i = 0; i < MT_REMOTE_N; i++) {
		KT_CHECK(rm->rm_seen[i] == 1);
		KT_CHECK(rm->rm_msg[i].ms_arg[2] == (uint64_t)scpu);
		KT_CHECK(rm->rm_msg[i].ms_arg[3] == 1);
	}
	kfree(rm, M_TEMP);
}

/* --- msg_many_senders --- */

#define MT_SENDERS_PER_CPU 2
#define MT_MSGS		24	/* per sender */
#define MT_WINDOW	4	/* sendmsg outstanding at once */

struct mt_many {
	lwkt_port_t	mm_port;	/* the one target */
	lwkt_port_t	mm_rport;	/* shared reply port, or NULL: own */
	volatile int	mm_bad;		/* [a] */
	volatile int	mm_inside;	/* [a] serializer: dispatches running */
	volatile int	mm_overlap;	/* [a] serializer: exclusion broken */
	volatile int	mm_dispatched;	/* [a] */
};

struct mt_sender {
	struct mt_worker s_w;
	struct lwkt_msg	s_msg[MT_MSGS];
	int		s_replies[MT_MSGS];
};

/* Check a collected reply of sender s; count it. */
static void
mt_sender_check(struct mt_sender *s, struct mt_many *mm, lwkt_msg_t msg)
{
	size_t i = msg - s->s_msg;

	if (msg < s->s_msg || i >= MT_MSGS) {
		__atomic_add_fetch(&mm->mm_bad, 1, __ATOMIC_RELAXED);
		return;
	}
	s->s_replies[i]++;
	if (msg->ms_owner != MSO_SENDER ||
	    msg->ms_arg[0] != ((uint64_t)s->s_w.w_id << 32 | i) ||
	    msg->ms_arg[1] != mt_result(msg->ms_arg[0]) ||
	    msg->ms_arg[3] != 1 ||
	    msg->ms_error != mt_error(msg->ms_arg[0]) ||
	    (msg->ms_flags & MSGF_DONE) == 0)
		__atomic_add_fetch(&mm->mm_bad, 1, __ATOMIC_RELAXED);
}

/*
 * Collect one outstanding reply: with our own reply port, whichever
 * comes first (waitport); with a shared one, the oldest of ours
 * (waitmsg), since the others on that port are not ours to take.
 */
static void
mt_collect_one(struct mt_sender *s, struct mt_many *mm, lwkt_port_t rport,
    int *ring, int *head)
{
	lwkt_msg_t msg;

	if (mm->mm_rport == NULL) {
		mt_sender_check(s, mm, lwkt_waitport(rport, 0));
		return;
	}
	msg = &s->s_msg[ring[*head % MT_WINDOW]];
	(*head)++;
	if (lwkt_waitmsg(msg, 0) != msg->ms_error)
		__atomic_add_fetch(&mm->mm_bad, 1, __ATOMIC_RELAXED);
	mt_sender_check(s, mm, msg);
}

/*
 * A sender: every fourth message by domsg, the others by sendmsg with up
 * to MT_WINDOW outstanding, collected on its own thread port or on the
 * shared reply port.
 */
static void
mt_send_many(struct mt_worker *w)
{
	struct mt_sender *s = (struct mt_sender *)w;
	struct mt_many *mm = w->w_arg;
	lwkt_port_t rport;
	int ring[MT_WINDOW], head = 0, out = 0;

	rport = mm->mm_rport != NULL ? mm->mm_rport : &curthread->td_msgport;
	mt_worker_getstart(w);
	for (int i = 0; i < MT_MSGS; i++) {
		lwkt_msg_t msg = &s->s_msg[i];

		lwkt_initmsg(msg, rport, MT_WORK);
		msg->ms_arg[0] = (uint64_t)w->w_id << 32 | i;
		if (i % 4 == 3) {
			if (lwkt_domsg(mm->mm_port, msg, 0) !=
			    mt_error(msg->ms_arg[0]))
				__atomic_add_fetch(&mm->mm_bad, 1,
				    __ATOMIC_RELAXED);
			mt_sender_check(s, mm, msg);
			continue;
		}
		ring[(head + out) % MT_WINDOW] = i;
		lwkt_sendmsg(mm->mm_port, msg);
		if (++out == MT_WINDOW) {
			mt_collect_one(s, mm, rport, ring, &head);
			out--;
		}
	}
	while (out-- > 0)
		mt_collect_one(s, mm, rport, ring, &head);
	if (mm->mm_rport == NULL && lwkt_getport(rport) != NULL)
		__atomic_add_fetch(&mm->mm_bad, 1, __ATOMIC_RELAXED);
}

static int
mt_many_dispatch(lwkt_port_t port, lwkt_msg_t msg)
{
	struct mt_many *mm = port->mp_private;
	int error;

	if (__atomic_fetch_add(&mm->mm_inside, 1, __ATOMIC_ACQ_REL) != 0)
		__atomic_add_fetch(&mm->mm_overlap, 1, __ATOMIC_RELAXED);
	error = mt_serve(msg);
	__atomic_add_fetch(&mm->mm_dispatched, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&mm->mm_inside, 1, __ATOMIC_ACQ_REL);
	return (error);
}

/* Run the senders against mm->mm_port; returns requests served. */
static void
mt_many_run(struct mt_many *mm, const char *what)
{
	int nsend = ncpus * MT_SENDERS_PER_CPU;
	struct mt_sender *s;
	struct lwkt_port done;
	int started = 0;

	s = kmalloc(sizeof(*s) * nsend, M_TEMP, M_ZERO);
	KT_ASSERT(s != NULL);
	lwkt_initport_spin(&done);
	for (int i = 0; i < nsend; i++)
		if (mt_worker_start(&s[i].s_w, i % ncpus, &done, mt_send_many,
		    mm, i))
			started++;
	mt_workers_wait(&done, started);
	for (int i = 0; i < started; i++)
		for (int j = 0; j < MT_MSGS; j++)
			if (s[i].s_replies[j] != 1) {
				ktest_fail(__FILE__, __LINE__, "%s: sender %d "
				    "message %d replied %d times", what, i, j,
				    s[i].s_replies[j]);
				i = started;
				break;
			}
	if (mm->mm_bad != 0)
		ktest_fail(__FILE__, __LINE__, "%s: %d bad replies", what,
		    mm->mm_bad);
	ktest_log("%s: %d senders x %d messages", what, started, MT_MSGS);
	kfree(s, M_TEMP);
}

KTEST_SMP(msg_many_senders, "1,4",
    "senders on all CPUs to one port: every reply once, to the right port")
{
	int total = ncpus * MT_SENDERS_PER_CPU * MT_MSGS;
	struct mt_server sv[MAXCPU];
	struct lwkt_port port, rport;
	struct mt_many mm;
	int served;

	/* One server thread on the last CPU, its own thread port. */
	memset(&mm, 0, sizeof(mm));
	memset(&sv[0], 0, sizeof(sv[0]));
	if (mt_server_start(&sv[0], NULL, ncpus - 1, 0) == NULL)
		return;
	mm.mm_port = sv[0].sv_port;
	mt_many_run(&mm, "thread port");
	mt_server_stop(mm.mm_port, 1);
	KT_CHECK(sv[0].sv_served == total);

	/* A spin port with one server per CPU. */
	memset(&mm, 0, sizeof(mm));
	lwkt_initport_spin(&port);
	mm.mm_port = &port;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		memset(&sv[cpu], 0, sizeof(sv[cpu]));
		if (mt_server_start(&sv[cpu], &port, cpu, 0) == NULL)
			return;
	}
	mt_many_run(&mm, "spin port");

	/*
	 * The same, with one spin reply port shared by all senders, each
	 * waiting for its own replies there (waitmsg) while the servers
	 * wait for requests on the target spin port.
	 */
	lwkt_initport_spin(&rport);
	mm.mm_rport = &rport;
	mt_many_run(&mm, "spin port, shared spin reply port");
	KT_CHECK(lwkt_getport(&rport) == NULL && rport.mp_waiters == NULL);
	mt_server_stop(&port, ncpus);
	served = 0;
	for (int cpu = 0; cpu < ncpus; cpu++)
		served += sv[cpu].sv_served;
	KT_CHECK(served == 2 * total);
	KT_CHECK(lwkt_getport(&port) == NULL && port.mp_waiters == NULL);

	/* A serializer port: dispatch in the senders' contexts, one at once. */
	memset(&mm, 0, sizeof(mm));
	lwkt_initport_serialize(&port, mt_many_dispatch);
	port.mp_private = &mm;
	mm.mm_port = &port;
	mt_many_run(&mm, "serializer port");
	KT_CHECK(mm.mm_dispatched == total);
	KT_CHECK(mm.mm_overlap == 0);
	KT_CHECK(port.mp_busy == 0 && port.mp_qhead == NULL);
}

/* --- msg_sendmsg_sync --- */

struct mt_nest {
	struct lwkt_msg	ns_inner;
	int		ns_order[4];	/* ms_arg[0] of each dispatch */
	int		ns_calls;
	int		ns_inner_put;	/* what the nested send returned */
};

static int
mt_nest_dispatch(lwkt_port_t port, lwkt_msg_t msg)
{
	struct mt_nest *ns = port->mp_private;
	uint64_t async0;

	if (ns->ns_calls < (int)nitems(ns->ns_order))
		ns->ns_order[ns->ns_calls] = (int)msg->ms_arg[0];
	ns->ns_calls++;
	if (msg->ms_cmd == MT_NEST) {
		/* We hold the serializer: this one must be queued. */
		async0 = mt_count(false);
		lwkt_sendmsg(port, &ns->ns_inner);
		ns->ns_inner_put = (int)(mt_count(false) - async0);
		KT_CHECK(!lwkt_checkmsg(&ns->ns_inner));
		KT_CHECK(port->mp_qhead == &ns->ns_inner);
	}
	return (mt_serve(msg));
}

KTEST_SMP(msg_sendmsg_sync, "1,4",
    "sendmsg completed synchronously still delivers the reply on the port")
{
	struct thread *td = curthread;
	struct lwkt_port port, sport;
	struct lwkt_msg msg, *got;
	struct mt_nest ns;
	uint64_t sync0, async0;

	memset(&ns, 0, sizeof(ns));
	lwkt_initport_serialize(&port, mt_nest_dispatch);
	port.mp_private = &ns;

	/* Reply port: our thread port. */
	sync0 = mt_count(true);
	lwkt_initmsg(&msg, &td->td_msgport, MT_WORK);
	msg.ms_arg[0] = 8;
	lwkt_sendmsg(&port, &msg);
	KT_ASSERT_EQ(mt_count(true) - sync0, 1);
	KT_ASSERT(lwkt_checkmsg(&msg));
	KT_ASSERT_EQ(msg.ms_owner, MSO_REPLYQ);
	KT_ASSERT(msg.ms_flags & MSGF_QUEUED);
	got = lwkt_getport(&td->td_msgport);
	KT_ASSERT(got == &msg);
	KT_ASSERT_EQ(msg.ms_owner, MSO_SENDER);
	KT_ASSERT_EQ(msg.ms_error, mt_error(8));
	KT_ASSERT_EQ(msg.ms_arg[1], mt_result(8));
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);

	/* Reply port: a spin port, collected with waitmsg. */
	lwkt_initport_spin(&sport);
	lwkt_initmsg(&msg, &sport, MT_WORK);
	msg.ms_arg[0] = 9;
	lwkt_sendmsg(&port, &msg);
	KT_ASSERT_EQ(lwkt_waitmsg(&msg, 0), mt_error(9));
	KT_ASSERT_EQ(msg.ms_owner, MSO_SENDER);
	KT_ASSERT(lwkt_getport(&sport) == NULL);

	/*
	 * A dispatch that sends to its own port: the nested message is
	 * queued (EASYNC), and the holder runs and replies it before it
	 * lets the serializer go, so both replies are there on return.
	 */
	ns.ns_calls = 0;
	lwkt_initmsg(&ns.ns_inner, &td->td_msgport, MT_WORK);
	ns.ns_inner.ms_arg[0] = 2;
	lwkt_initmsg(&msg, &td->td_msgport, MT_NEST);
	msg.ms_arg[0] = 1;
	sync0 = mt_count(true);
	async0 = mt_count(false);
	lwkt_sendmsg(&port, &msg);
	KT_ASSERT_EQ(ns.ns_calls, 2);
	KT_ASSERT_EQ(ns.ns_order[0], 1);
	KT_ASSERT_EQ(ns.ns_order[1], 2);
	KT_ASSERT_EQ(ns.ns_inner_put, 1);
	KT_ASSERT_EQ(mt_count(true) - sync0, 1);
	KT_ASSERT_EQ(mt_count(false) - async0, 1);
	KT_ASSERT_EQ(port.mp_busy, 0);
	/* The inner one was replied first (by the holder, in the drain). */
	KT_ASSERT(lwkt_getport(&td->td_msgport) == &ns.ns_inner);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == &msg);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
	KT_ASSERT_EQ(ns.ns_inner.ms_error, mt_error(2));
	KT_ASSERT_EQ(ns.ns_inner.ms_arg[1], mt_result(2));
	KT_ASSERT_EQ(msg.ms_arg[1], mt_result(1));
}

/* --- msg_dropmsg --- */

KTEST_SMP(msg_dropmsg, "1,4",
    "dropmsg takes back queued messages, EINVAL or ENOENT otherwise")
{
	struct thread *td = curthread, *std;
	struct lwkt_msg m[4], *got;
	struct lwkt_port port;
	struct mt_server sv;

	/* A spin port nobody serves: we act as its target ourselves. */
	lwkt_initport_spin(&port);
	for (int i = 0; i < 4; i++) {
		lwkt_initmsg(&m[i], &td->td_msgport, MT_WORK);
		m[i].ms_arg[0] = i;
		if (i < 3)
			m[i].ms_flags |= MSGF_DROPABLE;
	}
	KT_ASSERT_EQ(lwkt_dropmsg(&m[0]), EINVAL);	/* never sent */
	for (int i = 0; i < 4; i++)
		lwkt_sendmsg(&port, &m[i]);
	KT_ASSERT_EQ(lwkt_dropmsg(&m[1]), 0);
	KT_ASSERT_EQ(m[1].ms_owner, MSO_SENDER);
	KT_ASSERT_EQ(m[1].ms_flags & (MSGF_QUEUED | MSGF_DONE), 0);
	KT_ASSERT_EQ(lwkt_dropmsg(&m[1]), EINVAL);	/* ours again */
	KT_ASSERT_EQ(lwkt_dropmsg(&m[3]), EINVAL);	/* not DROPABLE */
	got = lwkt_getport(&port);
	KT_ASSERT(got == &m[0]);
	KT_ASSERT_EQ(lwkt_dropmsg(&m[0]), ENOENT);	/* received */
	lwkt_replymsg(&m[0], 5);
	KT_ASSERT_EQ(lwkt_dropmsg(&m[0]), EINVAL);	/* replied */
	KT_ASSERT(lwkt_getport(&port) == &m[2]);
	KT_ASSERT(lwkt_getport(&port) == &m[3]);
	KT_ASSERT(lwkt_getport(&port) == NULL);
	lwkt_replymsg(&m[2], 6);
	lwkt_replymsg(&m[3], 7);
	KT_ASSERT_EQ(lwkt_waitmsg(&m[0], 0), 5);
	KT_ASSERT_EQ(lwkt_waitmsg(&m[2], 0), 6);
	KT_ASSERT_EQ(lwkt_waitmsg(&m[3], 0), 7);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
	/* A dropped message can be sent again. */
	lwkt_sendmsg(&port, &m[1]);
	KT_ASSERT(lwkt_getport(&port) == &m[1]);
	lwkt_replymsg(&m[1], 8);
	KT_ASSERT_EQ(lwkt_waitmsg(&m[1], 0), 8);

	/*
	 * The thread port of a server on the last CPU that is not running
	 * yet: sends and the drop travel there by IPI.
	 */
	memset(&sv, 0, sizeof(sv));
	std = mt_server_start(&sv, NULL, ncpus - 1, LWKT_CREATE_NOSCHED);
	KT_ASSERT(std != NULL);
	for (int i = 0; i < 3; i++) {
		lwkt_initmsg(&m[i], &td->td_msgport, MT_WORK);
		m[i].ms_arg[0] = 10 + i;
		m[i].ms_flags |= MSGF_DROPABLE;
		lwkt_sendmsg(sv.sv_port, &m[i]);
	}
	KT_ASSERT_EQ(lwkt_dropmsg(&m[1]), 0);
	KT_ASSERT_EQ(m[1].ms_owner, MSO_SENDER);
	KT_ASSERT_EQ(lwkt_dropmsg(&m[1]), EINVAL);
	lwkt_schedule(std);
	KT_ASSERT_EQ(lwkt_waitmsg(&m[0], 0), mt_error(10));
	KT_ASSERT_EQ(lwkt_waitmsg(&m[2], 0), mt_error(12));
	KT_ASSERT_EQ(lwkt_dropmsg(&m[0]), EINVAL);
	mt_server_stop(sv.sv_port, 1);
	KT_ASSERT_EQ(sv.sv_served, 2);
	KT_ASSERT_EQ(m[1].ms_arg[3], 0);		/* never served */
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
}

/* --- msg_violation --- */

/* The catcher counted one more violation, whose text contains what. */
#define MT_CAUGHT(mv, n, what) do {					\
	KT_ASSERT_EQ((mv)->mv_count, (n));				\
	if ((n) == 1)							\
		KT_ASSERT(mt_contains((mv)->mv_first, (what)));		\
} while (0)

static void
mt_violations(struct lwkt_msg_violation *mv)
{
	struct thread *td = curthread;
	struct lwkt_port port, *other;
	struct lwkt_msg m, fresh;

	other = &mycpu->gd_idlethread.td_msgport;
	lwkt_initport_spin(&port);

	/* Double send: the second changes nothing. */
	lwkt_initmsg(&m, &td->td_msgport, MT_WORK);
	lwkt_sendmsg(&port, &m);
	lwkt_sendmsg(&port, &m);
	MT_CAUGHT(mv, 1, "lwkt_sendmsg: message");
	KT_ASSERT(mt_contains(mv->mv_first, "not owned by sender"));
	KT_ASSERT_EQ(m.ms_owner, MSO_TARGET);
	KT_ASSERT_EQ(lwkt_domsg(&port, &m, 0), EINVAL);
	MT_CAUGHT(mv, 2, "");

	/* Replying a message still queued on its target. */
	lwkt_replymsg(&m, 0);
	MT_CAUGHT(mv, 3, "");
	KT_ASSERT_EQ(m.ms_owner, MSO_TARGET);
	KT_ASSERT(port.mp_qhead == &m && port.mp_qtail == &m);

	/* Double reply. */
	KT_ASSERT(lwkt_getport(&port) == &m);
	lwkt_replymsg(&m, 4);
	lwkt_replymsg(&m, 5);
	MT_CAUGHT(mv, 4, "");
	KT_ASSERT_EQ(m.ms_error, 4);

	/* Reply of a message the target never got. */
	lwkt_initmsg(&fresh, &td->td_msgport, MT_WORK);
	lwkt_replymsg(&fresh, 0);
	MT_CAUGHT(mv, 5, "");
	KT_ASSERT_EQ(fresh.ms_owner, MSO_SENDER);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == &m);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);

	/* Waiting on, or reading, someone else's thread port. */
	KT_ASSERT(lwkt_waitport(other, 0) == NULL);
	MT_CAUGHT(mv, 6, "");
	KT_ASSERT(lwkt_getport(other) == NULL);
	MT_CAUGHT(mv, 7, "");
	lwkt_initmsg(&fresh, other, MT_WORK);
	KT_ASSERT_EQ(lwkt_domsg(&port, &fresh, 0), EINVAL);
	MT_CAUGHT(mv, 8, "");
	KT_ASSERT_EQ(fresh.ms_owner, MSO_SENDER);
	KT_ASSERT(port.mp_qhead == NULL);

	/* Waiting for a message that was never sent. */
	lwkt_initmsg(&fresh, &td->td_msgport, MT_WORK);
	KT_ASSERT_EQ(lwkt_waitmsg(&fresh, 0), EINVAL);
	MT_CAUGHT(mv, 9, "");

	/* A serializer port cannot be a reply port. */
	lwkt_initport_serialize(&port, mt_sync_dispatch);
	lwkt_initmsg(&fresh, &port, MT_WORK);
	lwkt_sendmsg(&td->td_msgport, &fresh);
	MT_CAUGHT(mv, 10, "");
	KT_ASSERT_EQ(fresh.ms_owner, MSO_SENDER);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);

	/* domsg to our own thread port would wait for ourselves. */
	lwkt_initmsg(&fresh, &td->td_msgport, MT_WORK);
	KT_ASSERT_EQ(lwkt_domsg(&td->td_msgport, &fresh, 0), EINVAL);
	MT_CAUGHT(mv, 11, "");
	KT_ASSERT_EQ(fresh.ms_owner, MSO_SENDER);
	KT_ASSERT(lwkt_getport(&td->td_msgport) == NULL);
}

KTEST_SMP(msg_violation, "1,4",
    "ownership violations are caught by an armed catcher and change nothing")
{
	struct lwkt_msg_violation mv;

	lwkt_msg_violation_arm(&mv);
	mt_violations(&mv);
	lwkt_msg_violation_disarm();
	ktest_log("first violation: %s", mv.mv_first);
	KT_ASSERT_EQ(mv.mv_count, 11);
}

KTEST_XFAIL(msg_violation_panic,
    "an unarmed ownership violation (double send) panics")
{
	struct lwkt_port port;
	struct lwkt_msg m;

	lwkt_initport_spin(&port);
	lwkt_initmsg(&m, &curthread->td_msgport, MT_WORK);
	lwkt_sendmsg(&port, &m);
	lwkt_sendmsg(&port, &m);
	ktest_log("the second send did not panic");
}
