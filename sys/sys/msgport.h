/*
 * LWKT messages and ports (sys/kern/lwkt_msgport.c).
 *
 * You build a message, send it to a port and later wait for the reply on
 * your reply port.  The target port's putport decides: it may act on the
 * message at once in the caller's context and return the result (any
 * value but EASYNC), or queue it and return EASYNC, in which case the
 * reply comes later through the reply port.
 *
 * Ownership: a message belongs to exactly one party at a time, recorded
 * in ms_owner and asserted at every transition:
 *	MSO_SENDER	built or replied-and-collected; the sender may touch it
 *	MSO_TARGET	sent; the target (port, its thread) owns it
 *	MSO_REPLYQ	replied and queued on its reply port, not yet collected
 * putport requires SENDER and moves it to TARGET; replymsg requires
 * TARGET; collecting the reply (waitmsg, getport on the reply port)
 * moves it back to SENDER.  So does a synchronous completion (putport
 * returned anything but EASYNC) and lwkt_dropmsg.
 *
 * The port functions (for whoever writes a new kind of port):
 *   mp_putport	  called by domsg/sendmsg with the message already owned
 *		  by MSO_TARGET.  Returns EASYNC if the port kept it (someone
 *		  will lwkt_replymsg it), else the result of completing it
 *		  now, and the caller takes it back.  Must not block.
 *   mp_replyport called by lwkt_replymsg with the message MSO_REPLYQ and
 *		  ms_error set: set MSGF_DONE | MSGF_REPLY, queue it unless
 *		  MSGF_SYNC, wake the waiter.  Must not block.
 *   mp_waitmsg	  wait for MSGF_DONE, unqueue, move REPLYQ -> SENDER.
 *   mp_getport, mp_waitport  take the next message; a reply (MSGF_REPLY)
 *		  goes REPLYQ -> SENDER, a request stays MSO_TARGET.
 *   mp_dropmsg	  unqueue a request not yet received: TARGET -> SENDER.
 */
#ifndef _SYS_MSGPORT_H_
#define _SYS_MSGPORT_H_

#include <sys/types.h>
#include <sys/_spinlock.h>

struct lwkt_msg;
struct lwkt_port;
struct lwkt_waiter;
struct thread;
typedef struct lwkt_msg *lwkt_msg_t;
typedef struct lwkt_port *lwkt_port_t;

struct lwkt_msg {
	struct lwkt_msg	*ms_next;	/* [port] queue link while queued */
	struct lwkt_msg	*ms_prev;	/* [port] */
	lwkt_port_t	ms_target_port;	/* [owner] last port sent to */
	lwkt_port_t	ms_reply_port;	/* [owner] where the reply goes */
	int		ms_cmd;		/* [owner] command */
	volatile int	ms_flags;	/* [a] MSGF_* */
	int		ms_error;	/* [owner] result */
	volatile int	ms_owner;	/* [a] MSO_* */
	uint64_t	ms_arg[4];	/* [owner] small payload */
};

#define MSGF_DONE	0x0001	/* reply is complete */
#define MSGF_REPLY	0x0002	/* replied (and queued unless SYNC) */
#define MSGF_QUEUED	0x0004	/* on some port's queue */
#define MSGF_SYNC	0x0008	/* sender waits synchronously (domsg) */
#define MSGF_DROPABLE	0x0010	/* may be dropped from a target queue */

#define MSO_SENDER	1
#define MSO_TARGET	2
#define MSO_REPLYQ	3

struct lwkt_port {
	/*
	 * Queue and flags: [port] = the owner's CPU in a critical section
	 * (thread port) or mp_spin (spin and serializer ports).
	 */
	struct lwkt_msg	*mp_qhead;	/* [port] queue, oldest first */
	struct lwkt_msg	*mp_qtail;	/* [port] */
	int		mp_flags;	/* [port] MSGPORTF_* */
	int		mp_kind;	/* [I] MSGPORT_* */
	int		(*mp_putport)(lwkt_port_t, lwkt_msg_t);
	int		(*mp_waitmsg)(lwkt_msg_t, int flags);
	lwkt_msg_t	(*mp_waitport)(lwkt_port_t, int flags);
	void		(*mp_replyport)(lwkt_port_t, lwkt_msg_t);
	int		(*mp_dropmsg)(lwkt_port_t, lwkt_msg_t);
	lwkt_msg_t	(*mp_getport)(lwkt_port_t);
	/* Serializer ports: the service function run on each message. */
	int		(*mp_dispatch)(lwkt_port_t, lwkt_msg_t);
	struct thread	*mp_td;		/* [I] thread port: the owner */
	struct spinlock	mp_spin;	/* spin and serializer ports */
	struct lwkt_waiter *mp_waiters;	/* [mp_spin] spin port: sleepers */
	volatile int	mp_busy;	/* [a] serializer state: 0 free */
	void		*mp_private;	/* [I] user data */
};

#define MSGPORTF_WAITING	0x0001	/* thread port: the owner sleeps on it */

#define MSGPORT_THREAD		1
#define MSGPORT_SPIN		2
#define MSGPORT_SERIALIZE	3
#define MSGPORT_REPLYONLY	4	/* reserved: not implemented */

void	lwkt_initport_thread(lwkt_port_t port, struct thread *td);
void	lwkt_initport_spin(lwkt_port_t port);
void	lwkt_initport_serialize(lwkt_port_t port,
	    int (*dispatch)(lwkt_port_t, lwkt_msg_t));
void	lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t reply_port, int cmd);

int	lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg, int flags);
void	lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg);
void	lwkt_replymsg(lwkt_msg_t msg, int error);
int	lwkt_waitmsg(lwkt_msg_t msg, int flags);
bool	lwkt_checkmsg(lwkt_msg_t msg);
lwkt_msg_t lwkt_getport(lwkt_port_t port);
lwkt_msg_t lwkt_waitport(lwkt_port_t port, int flags);
int	lwkt_dropmsg(lwkt_msg_t msg);

/*
 * Violations of the ownership and usage rules (sending a message the
 * sender does not own, replying one the target does not own, waiting on
 * another thread's thread port, ...) panic with a message that names the
 * call and the rule.  A test can arm a catcher instead: while one is
 * armed, every violation, on any CPU, is counted in it (the first one's
 * text kept) and the offending call returns without changing anything
 * (EINVAL, NULL, or nothing for void calls).  One catcher at a time;
 * armed and disarmed from thread context.
 */
struct lwkt_msg_violation {
	volatile int	mv_count;	/* [a] violations caught while armed */
	char		mv_first[128];	/* [written by the first one only] */
};

void	lwkt_msg_violation_arm(struct lwkt_msg_violation *mv);
void	lwkt_msg_violation_disarm(void);

#endif /* !_SYS_MSGPORT_H_ */
