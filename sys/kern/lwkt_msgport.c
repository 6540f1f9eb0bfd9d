/*
 * LWKT messages and ports.
 *
 * A message (struct lwkt_msg) is built by a sender, sent to a target
 * port, acted on by whoever serves that port, and replied to the
 * message's reply port, where the sender collects it.  The target
 * port's putport function decides how a message is handled: it may
 * complete it at once, in the caller's context, and return the result
 * (any value but EASYNC), or queue it and return EASYNC, in which case
 * the reply arrives later on the reply port.  Every call is built on
 * that one decision:
 *
 *   lwkt_domsg	 sets MSGF_SYNC (a hint: the sender is about to block)
 *		 and calls putport; only on EASYNC does it block, in the
 *		 reply port's waitmsg, for the reply.  Returns the result.
 *   lwkt_sendmsg clears MSGF_SYNC and calls putport; if the target
 *		 completed the message synchronously the sender replies it
 *		 itself, so the reply always turns up on the reply port.
 *   lwkt_replymsg records the result and hands the message to the reply
 *		 port's replyport: queued there, or, for a SYNC message,
 *		 only marked done and its waiter woken.
 *
 * Three kinds of port, each a table of functions (illegal entries are
 * explicit stubs that report a violation):
 *
 *   thread port	 owned by one thread (mp_td).  No lock: its queue and
 *			 mp_flags are touched only on the owner's CPU, in a
 *			 critical section or in IPI context there.  A putport
 *			 or replyport from another CPU is forwarded to the
 *			 owner's CPU with an IPI message, and the enqueue and
 *			 the wakeup (lwkt_schedule) happen there.  Only the
 *			 owner may receive from it or wait on it.
 *   spin port		 queue under mp_spin; any thread may receive or wait,
 *			 sleeping with tsleep_interlock + tsleep so that no
 *			 wakeup is lost.  Each arrival wakes one sleeper
 *			 (the waiter of that reply, else one receiver), not
 *			 all of them.
 *   serializer port	 putport runs the port's dispatch function at once,
 *			 in the caller's context, when no one else is running
 *			 it, and returns its result; otherwise it queues the
 *			 message and returns EASYNC.  Whoever holds the
 *			 serializer runs (and replies) the queued messages
 *			 before letting go of it.  Cannot be a reply port.
 *
 * Ownership.  A message belongs to one party at a time (ms_owner):
 * SENDER (built, or collected after its reply), TARGET (sent; the port
 * and whoever serves it own it), REPLYQ (replied, on its way to or
 * waiting on the reply port).  Each transition is an atomic
 * compare-and-swap from the expected owner, so two CPUs that race to
 * send or reply the same message cannot both win, and a loser is caught
 * with a message naming the call and the rule.  A violation panics,
 * unless a test has armed a catcher (lwkt_msg_violation_arm): then it is
 * counted and the call returns having changed nothing.
 *
 * Rules:
 *  (1) Only the owner writes a message, and ms_flags has one writer at a
 *      time (the owner, or the port code acting for it under the port's
 *      protection); flag changes are release stores, so a reader that
 *      sees MSGF_DONE sees the result with it.
 *  (2) Ownership moves SENDER -> TARGET (send), TARGET -> REPLYQ (reply),
 *      REPLYQ -> SENDER (collect), TARGET -> SENDER (synchronous
 *      completion, lwkt_dropmsg).  Nothing else.
 *  (3) A port's queue is protected by the port: its owner's CPU (thread
 *      port) or mp_spin (spin and serializer ports).  MSGF_QUEUED says a
 *      message is on some queue; ms_next/ms_prev belong to that queue.
 *  (4) After handing a message to a port (putport, replyport) the caller
 *      no longer touches it: its sender may already have it back and
 *      have reused or freed it.
 *  (5) Waiting (lwkt_domsg, lwkt_waitmsg, lwkt_waitport) happens only in
 *      thread context, never in an interrupt, an IPI function or the idle
 *      thread.  The owner of a thread port must not migrate while the
 *      port is in use.
 *
 * Cost: a synchronous completion is two compare-and-swaps (send, take
 * back) and an indirect call, plus, for a free serializer, one
 * compare-and-swap to take it and one to let it go.  A thread port on the
 * same CPU costs a critical section and, if the owner sleeps, an
 * lwkt_schedule; across CPUs, one IPI message each way.  A spin port
 * costs a spin lock round trip and, when someone sleeps, one wakeup() of
 * one sleeper.  gd_cnt.msg_sync and gd_cnt.msg_async count, on the
 * sending CPU, the sends completed synchronously and those that went
 * EASYNC.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/globaldata.h>
#include <sys/spinlock.h>
#include <sys/msgport.h>
#include <sys/thread.h>
#include <machine/cpufunc.h>

/* The armed catcher, or NULL: violations panic. [a] */
static struct lwkt_msg_violation * volatile msg_catcher;

/* --- violations, ownership, flags --- */

/*
 * Report a violation of the rules.  Panics with the message unless a
 * catcher is armed; then counts it and returns EINVAL, and the caller
 * backs out without changing anything.  Any context.
 */
static int __printflike(1, 2)
msg_violation(const char *fmt, ...)
{
	struct lwkt_msg_violation *mv;
	char buf[sizeof(mv->mv_first)];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mv = __atomic_load_n(&msg_catcher, __ATOMIC_ACQUIRE);
	if (mv == NULL)
		panic("%s", buf);
	if (__atomic_fetch_add(&mv->mv_count, 1, __ATOMIC_ACQ_REL) == 0)
		strlcpy(mv->mv_first, buf, sizeof(mv->mv_first));
	return (EINVAL);
}

void
lwkt_msg_violation_arm(struct lwkt_msg_violation *mv)
{
	struct lwkt_msg_violation *none = NULL;

	mv->mv_count = 0;
	mv->mv_first[0] = '\0';
	if (!__atomic_compare_exchange_n(&msg_catcher, &none, mv, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		panic("lwkt_msg_violation_arm: a catcher is already armed");
}

void
lwkt_msg_violation_disarm(void)
{
	__atomic_store_n(&msg_catcher, NULL, __ATOMIC_RELEASE);
}

static const char *
msg_owner_name(int owner)
{
	switch (owner) {
	case MSO_SENDER:
		return ("sender");
	case MSO_TARGET:
		return ("target");
	case MSO_REPLYQ:
		return ("reply queue");
	default:
		return ("none: not initialised?");
	}
}

/*
 * Move msg from owner `from' to owner `to' if `from' owns it.  Returns
 * the owner found: the move happened if and only if that is `from'.
 */
static int
msg_own_move(lwkt_msg_t msg, int from, int to)
{
	int old = from;

	__atomic_compare_exchange_n(&msg->ms_owner, &old, to, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return (old);
}

/* Rule (1): one writer at a time, so a release store is enough. */
static inline void
msg_flags_set(lwkt_msg_t msg, int bits)
{
	__atomic_store_n(&msg->ms_flags, msg->ms_flags | bits,
	    __ATOMIC_RELEASE);
}

static inline void
msg_flags_clear(lwkt_msg_t msg, int bits)
{
	__atomic_store_n(&msg->ms_flags, msg->ms_flags & ~bits,
	    __ATOMIC_RELEASE);
}

static inline int
msg_flags(lwkt_msg_t msg)
{
	return (__atomic_load_n(&msg->ms_flags, __ATOMIC_ACQUIRE));
}

/* Count a send on this CPU: completed synchronously or queued. */
static void
msg_count(bool sync)
{
	struct thread *td = curthread;

	crit_enter_td(td);
	if (sync)
		mycpu->gd_cnt.msg_sync++;
	else
		mycpu->gd_cnt.msg_async++;
	crit_exit_td(td);
}

/* Rule (5): may the current context block? */
static bool
msg_can_block(void)
{
	struct globaldata *gd = mycpu;

	return (gd->gd_intr_nesting == 0 &&
	    (gd->gd_curthread->td_flags & TDF_IDLE) == 0);
}

/*
 * The sender takes back a replied message (REPLYQ -> SENDER).  Called
 * by whoever collects the reply, after taking it off the reply queue if
 * it was queued.
 */
static void
msg_collect(lwkt_msg_t msg, const char *fn)
{
	int old = msg_own_move(msg, MSO_REPLYQ, MSO_SENDER);

	if (old != MSO_REPLYQ)
		msg_violation("%s: collected reply %p not in the reply queue "
		    "(owner %s)", fn, msg, msg_owner_name(old));
}

/*
 * A message just taken off a port's queue: a reply goes back to its
 * sender; a request stays with the target.
 */
static lwkt_msg_t
msg_received(lwkt_msg_t msg, const char *fn)
{
	if (msg_flags(msg) & MSGF_REPLY)
		msg_collect(msg, fn);
	return (msg);
}

/* --- port queues (protected as rule (3) says) --- */

static void
msgq_append(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT((msg->ms_flags & MSGF_QUEUED) == 0,
	    ("msgq_append: message %p already queued", msg));
	msg->ms_next = NULL;
	msg->ms_prev = port->mp_qtail;
	if (port->mp_qtail == NULL)
		port->mp_qhead = msg;
	else
		port->mp_qtail->ms_next = msg;
	port->mp_qtail = msg;
	msg_flags_set(msg, MSGF_QUEUED);
}

static void
msgq_remove(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT(msg->ms_flags & MSGF_QUEUED,
	    ("msgq_remove: message %p not queued", msg));
	if (msg->ms_prev == NULL)
		port->mp_qhead = msg->ms_next;
	else
		msg->ms_prev->ms_next = msg->ms_next;
	if (msg->ms_next == NULL)
		port->mp_qtail = msg->ms_prev;
	else
		msg->ms_next->ms_prev = msg->ms_prev;
	msg->ms_next = msg->ms_prev = NULL;
	msg_flags_clear(msg, MSGF_QUEUED);
}

/* Take the first message off the queue, or NULL. */
static lwkt_msg_t
msgq_pop(lwkt_port_t port)
{
	lwkt_msg_t msg = port->mp_qhead;

	if (msg != NULL)
		msgq_remove(port, msg);
	return (msg);
}

/*
 * Remove msg from port's queue if it is there as a request the target
 * has not received yet, and give it back to its sender.  0 or ENOENT.
 * Under the port's protection.
 */
static int
msgq_drop(lwkt_port_t port, lwkt_msg_t msg)
{
	int old;

	if ((msg_flags(msg) & (MSGF_QUEUED | MSGF_REPLY)) != MSGF_QUEUED ||
	    msg->ms_target_port != port)
		return (ENOENT);
	old = msg_own_move(msg, MSO_TARGET, MSO_SENDER);
	if (old != MSO_TARGET)
		return (msg_violation("lwkt_dropmsg: queued message %p not "
		    "owned by target (owner %s)", msg, msg_owner_name(old)));
	msgq_remove(port, msg);
	return (0);
}

/* --- stubs for operations a port kind does not support --- */

static void
port_noreply(lwkt_port_t port, lwkt_msg_t msg)
{
	msg_violation("lwkt_replymsg: port %p (kind %d) cannot take the "
	    "reply to message %p", port, port->mp_kind, msg);
}

static int
port_nowaitmsg(lwkt_msg_t msg, int flags)
{
	return (msg_violation("lwkt_waitmsg: reply port %p of message %p "
	    "(kind %d) cannot be waited on", msg->ms_reply_port, msg,
	    msg->ms_reply_port->mp_kind));
}

static lwkt_msg_t
port_nowaitport(lwkt_port_t port, int flags)
{
	msg_violation("lwkt_waitport: port %p (kind %d) cannot be waited on",
	    port, port->mp_kind);
	return (NULL);
}

static lwkt_msg_t
port_nogetport(lwkt_port_t port)
{
	msg_violation("lwkt_getport: port %p (kind %d) has no queue to read",
	    port, port->mp_kind);
	return (NULL);
}

static int
port_nodispatch(lwkt_port_t port, lwkt_msg_t msg)
{
	panic("serializer port %p has no dispatch function", port);
}

/* --- thread ports --- */

/*
 * Wake the owner if it sleeps on this port.  Owner's CPU, critical
 * section or IPI context.
 */
static void
thread_port_wake(lwkt_port_t port)
{
	if (port->mp_flags & MSGPORTF_WAITING) {
		port->mp_flags &= ~MSGPORTF_WAITING;
		lwkt_schedule(port->mp_td);
	}
}

/*
 * Block the owner until something arrives on the port.  Owner, in a
 * critical section (entered by the caller, held across the switch):
 * arrivals are made on this CPU and cannot slip in between the caller's
 * test and the deschedule.
 */
static void
thread_port_sleep(lwkt_port_t port)
{
	port->mp_flags |= MSGPORTF_WAITING;
	lwkt_deschedule_self();
	lwkt_switch();
}

/*
 * Run local(port, msg) on the port owner's CPU: directly if we are on it
 * (in a critical section), else as the IPI message ipi(port, msg).  Any
 * context but FAST interrupts.
 */
static void
thread_port_on_owner(lwkt_port_t port, lwkt_msg_t msg,
    void (*local)(lwkt_port_t, lwkt_msg_t), ipifunc_t ipi)
{
	struct globaldata *gd = port->mp_td->td_gd;
	struct thread *td = curthread;

	crit_enter_td(td);
	if (gd == mycpu)
		local(port, msg);
	else
		lwkt_send_ipiq(gd, ipi, port, (uint64_t)msg);
	crit_exit_td(td);
}

/* A request arrives.  Owner's CPU, critical section or IPI context. */
static void
thread_port_arrive(lwkt_port_t port, lwkt_msg_t msg)
{
	msgq_append(port, msg);
	thread_port_wake(port);
}

static void
thread_putport_ipi(void *arg1, uint64_t arg2)
{
	thread_port_arrive(arg1, (lwkt_msg_t)arg2);
}

/*
 * putport of a thread port: always queues, on the owner's CPU; the
 * caller's CPU forwards it there by IPI.  Returns EASYNC.  Any context
 * but FAST interrupts.
 */
static int
thread_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	thread_port_on_owner(port, msg, thread_port_arrive, thread_putport_ipi);
	return (EASYNC);
}

/*
 * A reply arrives.  A SYNC message's waiter (the owner, in lwkt_domsg)
 * only needs MSGF_DONE and a wakeup; others are queued.  Owner's CPU,
 * critical section or IPI context.
 */
static void
thread_reply_arrive(lwkt_port_t port, lwkt_msg_t msg)
{
	if ((msg->ms_flags & MSGF_SYNC) == 0)
		msgq_append(port, msg);
	msg_flags_set(msg, MSGF_DONE | MSGF_REPLY);
	thread_port_wake(port);
}

static void
thread_replyport_ipi(void *arg1, uint64_t arg2)
{
	thread_reply_arrive(arg1, (lwkt_msg_t)arg2);
}

static void
thread_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	thread_port_on_owner(port, msg, thread_reply_arrive,
	    thread_replyport_ipi);
}

/* Only the owner reads or waits on a thread port. */
static bool
thread_port_owned(lwkt_port_t port, const char *fn)
{
	struct thread *td = curthread;

	if (port->mp_td == td)
		return (true);
	msg_violation("%s: thread port %p belongs to %s, not to %s", fn, port,
	    port->mp_td->td_name, td->td_name);
	return (false);
}

static int
thread_waitmsg(lwkt_msg_t msg, int flags)
{
	lwkt_port_t port = msg->ms_reply_port;
	struct thread *td = curthread;

	if (!thread_port_owned(port, "lwkt_waitmsg"))
		return (EINVAL);
	crit_enter_td(td);
	while ((msg->ms_flags & MSGF_DONE) == 0)
		thread_port_sleep(port);
	if (msg->ms_flags & MSGF_QUEUED)
		msgq_remove(port, msg);
	crit_exit_td(td);
	msg_collect(msg, "lwkt_waitmsg");
	return (msg->ms_error);
}

static lwkt_msg_t
thread_getport(lwkt_port_t port)
{
	struct thread *td = curthread;
	lwkt_msg_t msg;

	if (!thread_port_owned(port, "lwkt_getport"))
		return (NULL);
	crit_enter_td(td);
	msg = msgq_pop(port);
	crit_exit_td(td);
	return (msg == NULL ? NULL : msg_received(msg, "lwkt_getport"));
}

static lwkt_msg_t
thread_waitport(lwkt_port_t port, int flags)
{
	struct thread *td = curthread;
	lwkt_msg_t msg;

	if (!thread_port_owned(port, "lwkt_waitport"))
		return (NULL);
	crit_enter_td(td);
	while ((msg = msgq_pop(port)) == NULL)
		thread_port_sleep(port);
	crit_exit_td(td);
	return (msg_received(msg, "lwkt_waitport"));
}

/* A drop request carried to the owner's CPU; the sender spins on done. */
struct thread_dropreq {
	lwkt_port_t	dr_port;
	lwkt_msg_t	dr_msg;
	int		dr_error;	/* written before dr_done */
	volatile int	dr_done;	/* [a] */
};

static void
thread_dropmsg_ipi(void *arg1, uint64_t arg2)
{
	struct thread_dropreq *dr = arg1;

	dr->dr_error = msgq_drop(dr->dr_port, dr->dr_msg);
	__atomic_store_n(&dr->dr_done, 1, __ATOMIC_RELEASE);
}

/*
 * Drop from a thread port: done on the owner's CPU.  From another CPU
 * the caller spins until that CPU has done it, running its own incoming
 * IPI messages meanwhile (so two CPUs dropping from each other's ports
 * cannot deadlock).  Never blocks.
 */
static int
thread_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	struct globaldata *gd = port->mp_td->td_gd;
	struct thread *td = curthread;
	struct thread_dropreq dr;
	int error;

	crit_enter_td(td);
	if (gd == mycpu) {
		error = msgq_drop(port, msg);
	} else {
		dr.dr_port = port;
		dr.dr_msg = msg;
		dr.dr_error = 0;
		dr.dr_done = 0;
		lwkt_send_ipiq(gd, thread_dropmsg_ipi, &dr, 0);
		while (__atomic_load_n(&dr.dr_done, __ATOMIC_ACQUIRE) == 0) {
			lwkt_process_ipiq();
			cpu_pause();
		}
		error = dr.dr_error;
	}
	crit_exit_td(td);
	return (error);
}

/*
 * Make port the thread port of td.  Any context; nothing may be using
 * the port.  Called for every thread's td_msgport when it is created.
 */
void
lwkt_initport_thread(lwkt_port_t port, struct thread *td)
{
	memset(port, 0, sizeof(*port));
	port->mp_kind = MSGPORT_THREAD;
	port->mp_td = td;
	port->mp_putport = thread_putport;
	port->mp_waitmsg = thread_waitmsg;
	port->mp_waitport = thread_waitport;
	port->mp_replyport = thread_replyport;
	port->mp_dropmsg = thread_dropmsg;
	port->mp_getport = thread_getport;
	port->mp_dispatch = port_nodispatch;
	spin_init(&port->mp_spin);
}

/* --- spin ports --- */

/*
 * A thread sleeping on a spin port, on its own stack, linked on
 * mp_waiters while it sleeps.  It sleeps on its own address, so an
 * arrival wakes exactly one thread: the lwkt_waitmsg waiter of that very
 * message if there is one, otherwise one lwkt_waitport waiter (the
 * classic signal-per-item condition variable: each woken waiter rechecks
 * the queue, so no item is stranded while a waiter sleeps).
 */
struct lwkt_waiter {
	struct lwkt_waiter *w_next;	/* [mp_spin] */
	struct lwkt_waiter *w_prev;	/* [mp_spin] */
	lwkt_msg_t	w_msg;		/* [I] awaited reply; NULL: any message */
	bool		w_linked;	/* [mp_spin] on mp_waiters */
};

static void
spin_waiter_unlink(lwkt_port_t port, struct lwkt_waiter *w)
{
	if (w->w_prev == NULL)
		port->mp_waiters = w->w_next;
	else
		w->w_prev->w_next = w->w_next;
	if (w->w_next != NULL)
		w->w_next->w_prev = w->w_prev;
	w->w_linked = false;
}

/*
 * Pick the one waiter to wake for msg, which has just been queued on
 * port or (a SYNC reply) marked done without queueing, and unlink it.
 * Under mp_spin; the caller calls wakeup(w) after dropping the lock.
 */
static struct lwkt_waiter *
spin_port_signal(lwkt_port_t port, lwkt_msg_t msg)
{
	struct lwkt_waiter *w;

	if (msg->ms_flags & MSGF_DONE)
		for (w = port->mp_waiters; w != NULL; w = w->w_next)
			if (w->w_msg == msg)
				goto found;
	if ((msg->ms_flags & MSGF_QUEUED) == 0)
		return (NULL);
	for (w = port->mp_waiters; w != NULL; w = w->w_next)
		if (w->w_msg == NULL)
			goto found;
	return (NULL);
found:
	spin_waiter_unlink(port, w);
	return (w);
}

/*
 * Sleep until signalled (or woken spuriously: the caller rechecks).
 * Called and returns with mp_spin held.  The interlock is taken before
 * the lock is dropped, so a signal given in between is not lost.
 */
static void
spin_port_sleep(lwkt_port_t port, struct lwkt_waiter *w, const char *wmesg)
{
	w->w_prev = NULL;
	w->w_next = port->mp_waiters;
	if (w->w_next != NULL)
		w->w_next->w_prev = w;
	port->mp_waiters = w;
	w->w_linked = true;
	tsleep_interlock(w);
	spin_unlock(&port->mp_spin);
	tsleep(w, PINTERLOCKED, wmesg, 0);
	spin_lock(&port->mp_spin);
	if (w->w_linked)
		spin_waiter_unlink(port, w);
}

static int
spin_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	struct lwkt_waiter *w;

	spin_lock(&port->mp_spin);
	msgq_append(port, msg);
	w = spin_port_signal(port, msg);
	spin_unlock(&port->mp_spin);
	/* The waiter may be gone already: w is only a channel now. */
	if (w != NULL)
		wakeup(w);
	return (EASYNC);
}

static void
spin_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	struct lwkt_waiter *w;

	spin_lock(&port->mp_spin);
	if ((msg->ms_flags & MSGF_SYNC) == 0)
		msgq_append(port, msg);
	msg_flags_set(msg, MSGF_DONE | MSGF_REPLY);
	w = spin_port_signal(port, msg);
	spin_unlock(&port->mp_spin);
	/* The sender may have the message back already: w only. */
	if (w != NULL)
		wakeup(w);
}

static int
spin_waitmsg(lwkt_msg_t msg, int flags)
{
	lwkt_port_t port = msg->ms_reply_port;
	struct lwkt_waiter w = { .w_msg = msg };

	spin_lock(&port->mp_spin);
	while ((msg->ms_flags & MSGF_DONE) == 0)
		spin_port_sleep(port, &w, "waitmsg");
	if (msg->ms_flags & MSGF_QUEUED)
		msgq_remove(port, msg);
	spin_unlock(&port->mp_spin);
	msg_collect(msg, "lwkt_waitmsg");
	return (msg->ms_error);
}

static lwkt_msg_t
spin_getport(lwkt_port_t port)
{
	lwkt_msg_t msg;

	spin_lock(&port->mp_spin);
	msg = msgq_pop(port);
	spin_unlock(&port->mp_spin);
	return (msg == NULL ? NULL : msg_received(msg, "lwkt_getport"));
}

static lwkt_msg_t
spin_waitport(lwkt_port_t port, int flags)
{
	struct lwkt_waiter w = { .w_msg = NULL };
	lwkt_msg_t msg;

	spin_lock(&port->mp_spin);
	while ((msg = msgq_pop(port)) == NULL)
		spin_port_sleep(port, &w, "waitport");
	spin_unlock(&port->mp_spin);
	return (msg_received(msg, "lwkt_waitport"));
}

static int
spin_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	spin_lock(&port->mp_spin);
	error = msgq_drop(port, msg);
	spin_unlock(&port->mp_spin);
	return (error);
}

/* Make port a spin port.  Any context; nothing may be using the port. */
void
lwkt_initport_spin(lwkt_port_t port)
{
	memset(port, 0, sizeof(*port));
	port->mp_kind = MSGPORT_SPIN;
	port->mp_putport = spin_putport;
	port->mp_waitmsg = spin_waitmsg;
	port->mp_waitport = spin_waitport;
	port->mp_replyport = spin_replyport;
	port->mp_dropmsg = spin_dropmsg;
	port->mp_getport = spin_getport;
	port->mp_dispatch = port_nodispatch;
	spin_init(&port->mp_spin);
}

/* --- serializer ports --- */

/*
 * The serializer state is one word, mp_busy: SER_BUSY while someone runs
 * the dispatch function, SER_QUEUED while messages wait on the queue.
 * The free case costs one compare-and-swap to take it and one to let it
 * go, with no lock.  Queueing happens under mp_spin and sets SER_QUEUED
 * with a compare-and-swap that fails if the holder let go in the
 * meantime (the sender then retries the free case); letting go succeeds
 * without the lock only while SER_QUEUED is clear, and SER_QUEUED is
 * cleared only under mp_spin by the holder that empties the queue.  So a
 * message is never queued behind a serializer nobody holds.
 */
#define SER_BUSY	0x1
#define SER_QUEUED	0x2

/*
 * Let go of the serializer, first running (and replying, unless dispatch
 * kept the message: EASYNC) what others queued meanwhile.  Holder of the
 * serializer.
 *
 * WARNING: the holder keeps draining as long as others keep queueing; a
 * caller of putport may run many messages besides its own.
 */
static void
serialize_release(lwkt_port_t port)
{
	lwkt_msg_t msg;
	int error, busy = SER_BUSY;

	for (;;) {
		if (__atomic_compare_exchange_n(&port->mp_busy, &busy, 0, false,
		    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return;
		spin_lock(&port->mp_spin);
		msg = msgq_pop(port);
		if (port->mp_qhead == NULL)
			__atomic_store_n(&port->mp_busy, SER_BUSY,
			    __ATOMIC_RELAXED);
		spin_unlock(&port->mp_spin);
		if (msg != NULL) {
			error = port->mp_dispatch(port, msg);
			if (error != EASYNC)
				lwkt_replymsg(msg, error);
		}
		busy = SER_BUSY;
	}
}

/*
 * putport of a serializer port.  If the serializer is free, take it, run
 * dispatch(port, msg) here and return its result (EASYNC if dispatch
 * kept the message to reply later), after draining what others queued
 * meanwhile.  If it is held, queue the message for the holder and return
 * EASYNC.  Never sleeps itself; dispatch runs in the caller's context and
 * should not sleep either (the design's "act synchronously only if that
 * does not block").
 *
 * WARNING: a dispatch function that domsg()s to its own port deadlocks:
 * the message is queued for the holder, which is the caller.
 */
static int
serialize_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	int error, busy;

	for (;;) {
		busy = 0;
		if (__atomic_compare_exchange_n(&port->mp_busy, &busy,
		    SER_BUSY, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			/* Free: run it here, in the caller's context. */
			error = port->mp_dispatch(port, msg);
			serialize_release(port);
			return (error);
		}
		spin_lock(&port->mp_spin);
		if (busy != 0 && __atomic_compare_exchange_n(&port->mp_busy,
		    &busy, SER_BUSY | SER_QUEUED, false, __ATOMIC_ACQ_REL,
		    __ATOMIC_RELAXED)) {
			msgq_append(port, msg);
			spin_unlock(&port->mp_spin);
			return (EASYNC);
		}
		spin_unlock(&port->mp_spin);
	}
}

static int
serialize_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	spin_lock(&port->mp_spin);
	error = msgq_drop(port, msg);
	spin_unlock(&port->mp_spin);
	return (error);
}

/*
 * Make port a serializer port whose messages are served by dispatch,
 * which returns the result or EASYNC (then it has kept the message and
 * must lwkt_replymsg it later).  Any context; nothing may be using the
 * port.
 */
void
lwkt_initport_serialize(lwkt_port_t port,
    int (*dispatch)(lwkt_port_t, lwkt_msg_t))
{
	memset(port, 0, sizeof(*port));
	port->mp_kind = MSGPORT_SERIALIZE;
	port->mp_putport = serialize_putport;
	port->mp_waitmsg = port_nowaitmsg;
	port->mp_waitport = port_nowaitport;
	port->mp_replyport = port_noreply;
	port->mp_dropmsg = serialize_dropmsg;
	port->mp_getport = port_nogetport;
	port->mp_dispatch = dispatch != NULL ? dispatch : port_nodispatch;
	spin_init(&port->mp_spin);
}

/* --- messages --- */

/*
 * Build a message owned by its sender, to be replied to reply_port.
 * Any context.  The message must not be in use.
 */
void
lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t reply_port, int cmd)
{
	memset(msg, 0, sizeof(*msg));
	msg->ms_reply_port = reply_port;
	msg->ms_cmd = cmd;
	msg->ms_owner = MSO_SENDER;
}

/*
 * Checks common to lwkt_domsg and lwkt_sendmsg, before anything changes:
 * a target, and a reply port that can take the reply.
 */
static int
msg_check_send(lwkt_port_t port, lwkt_msg_t msg, const char *fn)
{
	lwkt_port_t rport = msg->ms_reply_port;

	if (port == NULL)
		return (msg_violation("%s: message %p sent to no port", fn,
		    msg));
	if (rport == NULL || rport->mp_replyport == port_noreply)
		return (msg_violation("%s: message %p has no reply port that "
		    "takes replies (%p)", fn, msg, rport));
	return (0);
}

/*
 * Hand msg to port: SENDER -> TARGET, then putport.  The commit point is
 * the compare-and-swap; between it and putport the sender still fills in
 * the message on the target's behalf (nobody else can see it yet).
 * Returns putport's result, or a caught violation's EINVAL with *sent
 * false.
 */
static int
msg_put(lwkt_port_t port, lwkt_msg_t msg, int syncflag, const char *fn,
    bool *sent)
{
	int old;

	*sent = false;
	old = msg_own_move(msg, MSO_SENDER, MSO_TARGET);
	if (old != MSO_SENDER)
		return (msg_violation("%s: message %p not owned by sender "
		    "(owner %s)", fn, msg, msg_owner_name(old)));
	*sent = true;
	msg->ms_target_port = port;
	msg->ms_next = msg->ms_prev = NULL;
	__atomic_store_n(&msg->ms_flags,
	    (msg->ms_flags & MSGF_DROPABLE) | syncflag, __ATOMIC_RELEASE);
	return (port->mp_putport(port, msg));
}

/*
 * Reply msg with error: TARGET -> REPLYQ, then the reply port's
 * replyport.  fn names the public call for violation messages.
 */
static void
msg_reply(lwkt_msg_t msg, int error, const char *fn)
{
	lwkt_port_t rport = msg->ms_reply_port;
	int old;

	old = __atomic_load_n(&msg->ms_owner, __ATOMIC_ACQUIRE);
	if (old != MSO_TARGET) {
		msg_violation("%s: message %p not owned by target (owner %s)",
		    fn, msg, msg_owner_name(old));
		return;
	}
	if (msg_flags(msg) & MSGF_QUEUED) {
		msg_violation("%s: message %p is still queued on port %p",
		    fn, msg, msg->ms_target_port);
		return;
	}
	/* Commit point: the move to REPLYQ. */
	old = msg_own_move(msg, MSO_TARGET, MSO_REPLYQ);
	if (old != MSO_TARGET) {
		msg_violation("%s: message %p not owned by target (owner %s)",
		    fn, msg, msg_owner_name(old));
		return;
	}
	msg->ms_error = error;
	rport->mp_replyport(rport, msg);
}

/*
 * Send msg to port and wait for the result.  MSGF_SYNC tells the target
 * we are about to block; if putport completes the message at once its
 * result is returned without blocking, otherwise we sleep in the reply
 * port's waitmsg.  On return the message is the sender's again, with
 * MSGF_DONE and ms_error set.  Thread context, may block; the reply port
 * must be one the caller may wait on (its own thread port, or a spin
 * port).  flags are passed to waitmsg (none defined yet: pass 0).
 */
int
lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg, int flags)
{
	lwkt_port_t rport = msg->ms_reply_port;
	bool sent;
	int error, old;

	if ((error = msg_check_send(port, msg, "lwkt_domsg")) != 0)
		return (error);
	if (!msg_can_block())
		return (msg_violation("lwkt_domsg: message %p sent from a "
		    "context that cannot block", msg));
	if (port->mp_kind == MSGPORT_THREAD && port->mp_td == curthread)
		return (msg_violation("lwkt_domsg: message %p sent to the "
		    "caller's own thread port %p would wait for itself", msg,
		    port));
	if (rport->mp_kind == MSGPORT_THREAD && rport->mp_td != curthread)
		return (msg_violation("lwkt_domsg: reply port %p of message "
		    "%p belongs to %s, not to the caller %s", rport, msg,
		    rport->mp_td->td_name, curthread->td_name));
	error = msg_put(port, msg, MSGF_SYNC, "lwkt_domsg", &sent);
	if (!sent)
		return (error);
	if (error == EASYNC) {
		msg_count(false);
		return (rport->mp_waitmsg(msg, flags));
	}
	/* Completed in our context: the message comes straight back. */
	msg_count(true);
	old = msg_own_move(msg, MSO_TARGET, MSO_SENDER);
	if (old != MSO_TARGET)
		return (msg_violation("lwkt_domsg: port %p completed message "
		    "%p synchronously but does not own it (owner %s)", port,
		    msg, msg_owner_name(old)));
	msg->ms_error = error;
	msg_flags_set(msg, MSGF_DONE);
	return (error);
}

/*
 * Send msg to port without waiting.  The reply arrives on the reply port
 * in every case: if the target completed the message synchronously, we
 * reply it ourselves.  Collect it with lwkt_waitmsg, or lwkt_getport /
 * lwkt_waitport on the reply port.  Any context but FAST interrupts
 * (never blocks, but a serializer's dispatch runs in the caller's
 * context).
 */
void
lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	bool sent;
	int error;

	if (msg_check_send(port, msg, "lwkt_sendmsg") != 0)
		return;
	error = msg_put(port, msg, 0, "lwkt_sendmsg", &sent);
	if (!sent)
		return;
	if (error == EASYNC) {
		msg_count(false);
		return;
	}
	msg_count(true);
	msg_reply(msg, error, "lwkt_sendmsg");
}

/*
 * Reply msg with error (ms_error).  The target must own it and must have
 * taken it off its queue.  Afterwards the caller must not touch it.  Any
 * context but FAST interrupts.
 */
void
lwkt_replymsg(lwkt_msg_t msg, int error)
{
	msg_reply(msg, error, "lwkt_replymsg");
}

/*
 * Wait for msg's reply and collect it: on return the sender owns it
 * again; returns ms_error.  A message already collected (or completed
 * synchronously by lwkt_domsg) returns at once.  Thread context, may
 * block; the caller must be allowed to wait on the reply port.
 */
int
lwkt_waitmsg(lwkt_msg_t msg, int flags)
{
	int owner = __atomic_load_n(&msg->ms_owner, __ATOMIC_ACQUIRE);

	if (owner == MSO_SENDER) {
		if (msg_flags(msg) & MSGF_DONE)
			return (msg->ms_error);
		return (msg_violation("lwkt_waitmsg: message %p was never "
		    "sent (or was dropped)", msg));
	}
	if (owner != MSO_TARGET && owner != MSO_REPLYQ)
		return (msg_violation("lwkt_waitmsg: message %p has no owner "
		    "(%d): not initialised?", msg, owner));
	if (!msg_can_block())
		return (msg_violation("lwkt_waitmsg: message %p waited on from "
		    "a context that cannot block", msg));
	return (msg->ms_reply_port->mp_waitmsg(msg, flags));
}

/*
 * True if msg's reply has arrived (or it completed synchronously): then
 * lwkt_waitmsg will not block.  Does not collect it.  Any context.
 */
bool
lwkt_checkmsg(lwkt_msg_t msg)
{
	return ((msg_flags(msg) & MSGF_DONE) != 0);
}

/*
 * Take the next message off port without blocking, or NULL.  A request
 * stays owned by the target (the caller serves it and replies it); a
 * reply goes back to its sender (the caller).  A thread port may only be
 * read by its owner.
 */
lwkt_msg_t
lwkt_getport(lwkt_port_t port)
{
	return (port->mp_getport(port));
}

/*
 * lwkt_getport that sleeps until a message arrives.  Thread context, may
 * block.  flags: none defined yet, pass 0.
 */
lwkt_msg_t
lwkt_waitport(lwkt_port_t port, int flags)
{
	if (!msg_can_block()) {
		msg_violation("lwkt_waitport: port %p waited on from a "
		    "context that cannot block", port);
		return (NULL);
	}
	return (port->mp_waitport(port, flags));
}

/*
 * Take back a message that was sent and is still queued on its target
 * port, not yet received: it is the sender's again, never replied.
 * Returns 0; EINVAL if the target does not own the message (never sent,
 * already replied) or it lacks MSGF_DROPABLE; ENOENT if the target has
 * already received it.  Any context but FAST interrupts; never blocks
 * (a thread port on another CPU is asked by IPI and waited for).
 */
int
lwkt_dropmsg(lwkt_msg_t msg)
{
	lwkt_port_t port = msg->ms_target_port;

	if (__atomic_load_n(&msg->ms_owner, __ATOMIC_ACQUIRE) != MSO_TARGET ||
	    port == NULL)
		return (EINVAL);
	if ((msg_flags(msg) & MSGF_DROPABLE) == 0)
		return (EINVAL);
	return (port->mp_dropmsg(port, msg));
}
