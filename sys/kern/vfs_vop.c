/*
 * VOP messages: how an operation on a vnode reaches its filesystem.
 *
 * Every mount has a port (mnt_port).  The synchronous API below
 * (vop_getattr, vop_read, ...) builds a struct vop_msg on the caller's
 * stack and lwkt_domsg()s it to the port of the vnode's mount.  The
 * port's putport, vop_putport, decides where the operation runs:
 *
 *   1. In the caller's context, when the caller is itself one of the
 *	mount's service threads (a filesystem that releases one of its own
 *	vnodes must not wait for itself), or when the mount has no service
 *	threads ("threads=0").
 *   2. In the caller's context through the filesystem's fast path
 *	(vop_fast), which completes what it can without blocking (the
 *	cached case: a lookup of a name it has, a read of resident data)
 *	and returns EASYNC for everything else.  This is what makes the
 *	common operations cost a function call instead of two switches.
 *   3. Otherwise the message is forwarded to a service thread's port and
 *	putport returns EASYNC; domsg then sleeps on the caller's own
 *	thread port until the service thread replies.  A mount has one
 *	service thread by default, N with "threads=N" (an operation goes to
 *	thread hash(vnode) mod N, so operations on one vnode stay in
 *	order), or one per CPU with "threads=percpu" (an operation goes to
 *	the caller's CPU: no IPI on the way in or out).
 *
 * The filesystem sees the same message in all three cases; its handlers
 * must protect their own data (see sys/sys/mount.h).  Costs (TCG
 * instructions, docs/BENCHMARKS.md): case 2 is the domsg fast path plus
 * the handler; case 3 adds a wakeup, two switches and the reply.
 *
 * Service threads are created at mount time and stopped at unmount by a
 * VOP_SVC_EXIT message each, which is the last message they take (the
 * VFS has no other user of the mount by then).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/msgport.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#define VOP_SVC_EXIT	(VOP_NOPS + 1)	/* stop the receiving thread */

MALLOC_DEFINE(M_VFSSVC, "vfssvc", "filesystem service threads");

/*
 * Run one operation's handler.  Any context in which the filesystem's
 * handlers may run: a service thread, or the caller (cases 1 and 2).
 */
static int
vop_dispatch(struct mount *mp, struct vop_msg *vm)
{
	int op = vm->vm_msg.ms_cmd;
	int (*fn)(struct vop_msg *);

	if (op <= 0 || op >= VOP_NOPS)
		return (EINVAL);
	fn = mp->mnt_vops->vop_op[op];
	if (fn == NULL)
		return (op == VOP_OPEN || op == VOP_CLOSE ||
		    op == VOP_INACTIVE ? 0 : EINVAL);
	return (fn(vm));
}

/*
 * putport of a mount's port.  Called by domsg with the message owned by
 * the target; never blocks (a handler run in case 1 or 2 may block: that
 * is the caller's own context).  Returns the result, or EASYNC when a
 * service thread took the message.
 */
static int
vop_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	struct mount *mp = port->mp_private;
	struct vop_msg *vm = (struct vop_msg *)msg;
	thread_t svc;
	lwkt_port_t sport;
	int error;

	if (curthread->td_svcmount == mp || mp->mnt_nthreads == 0)
		return (vop_dispatch(mp, vm));
	if (mp->mnt_vops->vop_fast != NULL) {
		error = mp->mnt_vops->vop_fast(vm);
		if (error != EASYNC) {
			__atomic_add_fetch(&mp->mnt_nfast, 1, __ATOMIC_RELAXED);
			return (error);
		}
	}
	if (mp->mnt_percpu)
		svc = mp->mnt_threads[mycpuid];
	else
		svc = mp->mnt_threads[((uintptr_t)vm->vm_vp >> 6) %
		    (unsigned)mp->mnt_nthreads];
	__atomic_add_fetch(&mp->mnt_nqueued, 1, __ATOMIC_RELAXED);
	sport = &svc->td_msgport;
	msg->ms_target_port = sport;
	return (sport->mp_putport(sport, msg));
}

/*
 * A service thread: take operations from its own port, run them, reply.
 * Runs at TDPRI_KERN on its CPU; blocks only in waitport and in handlers
 * that block.
 */
static void
vop_service(void *arg)
{
	struct mount *mp = arg;
	thread_t td = curthread;
	lwkt_msg_t msg;
	int error;

	KKASSERT(td->td_svcmount == mp);
	for (;;) {
		msg = lwkt_waitport(&td->td_msgport, 0);
		if (msg == NULL)
			continue;
		if (msg->ms_cmd == VOP_SVC_EXIT) {
			lwkt_replymsg(msg, 0);
			lwkt_exit();
		}
		error = vop_dispatch(mp, (struct vop_msg *)msg);
		lwkt_replymsg(msg, error);
	}
}

/*
 * Set up mp's port and start its service threads (mnt_nthreads, or one
 * per CPU if mnt_percpu).  ENOMEM if threads cannot be created (those
 * created are stopped again).  Thread context; called by kern_mount
 * after the filesystem's vfs_mount succeeded.
 */
int
vop_port_start(struct mount *mp)
{
	thread_t td;
	int i, n;

	lwkt_initport_spin(&mp->mnt_port);
	mp->mnt_port.mp_putport = vop_putport;
	mp->mnt_port.mp_private = mp;
	if (mp->mnt_percpu)
		mp->mnt_nthreads = ncpus;
	n = mp->mnt_nthreads;
	if (n == 0)
		return (0);
	mp->mnt_threads = kmalloc(n * sizeof(thread_t), M_VFSSVC, M_ZERO);
	if (mp->mnt_threads == NULL) {
		mp->mnt_nthreads = 0;
		return (ENOMEM);
	}
	for (i = 0; i < n; i++) {
		td = lwkt_create(vop_service, mp, mp->mnt_percpu ? i :
		    i % ncpus, TDPRI_KERN, 0, LWKT_CREATE_NOSCHED,
		    mp->mnt_fstype);
		if (td == NULL) {
			mp->mnt_nthreads = i;
			vop_port_stop(mp);
			return (ENOMEM);
		}
		td->td_svcmount = mp;
		mp->mnt_threads[i] = td;
		lwkt_schedule(td);
	}
	return (0);
}

/*
 * Stop mp's service threads: each gets VOP_SVC_EXIT and replies before it
 * exits.  The caller guarantees no other operation is in flight on mp.
 * Thread context, may block.
 */
void
vop_port_stop(struct mount *mp)
{
	struct lwkt_msg msg;
	int i;

	for (i = 0; i < mp->mnt_nthreads; i++) {
		lwkt_initmsg(&msg, &curthread->td_msgport, VOP_SVC_EXIT);
		lwkt_domsg(&mp->mnt_threads[i]->td_msgport, &msg, 0);
	}
	kfree(mp->mnt_threads, M_VFSSVC);
	mp->mnt_threads = NULL;
	mp->mnt_nthreads = 0;
}

/* --- the synchronous API --- */

/*
 * Namespace operations bump their directories' generation afterwards
 * (success or not), which invalidates cached entries of them in every
 * namespace that shows them (vfs_cache.c).  The new value is left in the
 * thread for the namecache update that follows (cache_setvp,
 * cache_rename) if nothing else bumped it since g0 was read before the
 * operation; else 0, which makes the updated entry revalidate once.
 */
static void
vop_nsbump(int slot, struct vnode *dvp, uint32_t g0)
{
	thread_t td = curthread;
	uint32_t n;

	n = __atomic_add_fetch(dvp->v_nsgenp, 1, __ATOMIC_ACQ_REL);
	td->td_nsdir[slot] = dvp;
	td->td_nsgen[slot] = n == g0 + 1 ? n : 0;
}

/* Read dvp's generation before a namespace operation; forget old ones. */
static inline uint32_t
vop_nsgen(struct vnode *dvp)
{
	curthread->td_nsdir[0] = curthread->td_nsdir[1] = NULL;
	return (__atomic_load_n(dvp->v_nsgenp, __ATOMIC_ACQUIRE));
}

/* Send vm (op on vp) to vp's mount and wait for the result. */
static inline int
vop_send(struct vop_msg *vm, int op, struct vnode *vp)
{
	lwkt_initmsg(&vm->vm_msg, &curthread->td_msgport, op);
	vm->vm_vp = vp;
	return (lwkt_domsg(&vp->v_mount->mnt_port, &vm->vm_msg, 0));
}

int
vop_nresolve(struct vnode *dvp, const char *name, size_t nlen,
    struct vnode **vpp)
{
	struct vop_msg vm;

	*vpp = NULL;
	vm.vm_u.nresolve.name = name;
	vm.vm_u.nresolve.nlen = nlen;
	vm.vm_u.nresolve.vpp = vpp;
	return (vop_send(&vm, VOP_NRESOLVE, dvp));
}

int
vop_getattr(struct vnode *vp, struct vattr *vap)
{
	struct vop_msg vm;

	vm.vm_u.attr.vap = vap;
	return (vop_send(&vm, VOP_GETATTR, vp));
}

int
vop_setattr(struct vnode *vp, struct vattr *vap)
{
	struct vop_msg vm;

	vm.vm_u.attr.vap = vap;
	return (vop_send(&vm, VOP_SETATTR, vp));
}

int
vop_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct vop_msg vm;

	vm.vm_u.rw.uio = uio;
	vm.vm_u.rw.ioflag = ioflag;
	return (vop_send(&vm, VOP_READ, vp));
}

int
vop_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct vop_msg vm;

	vm.vm_u.rw.uio = uio;
	vm.vm_u.rw.ioflag = ioflag;
	return (vop_send(&vm, VOP_WRITE, vp));
}

int
vop_ncreate(struct vnode *dvp, const char *name, size_t nlen,
    struct vattr *vap, const char *target, struct vnode **vpp)
{
	struct vop_msg vm;
	uint32_t g0;
	int error;

	*vpp = NULL;
	vm.vm_u.ncreate.name = name;
	vm.vm_u.ncreate.nlen = nlen;
	vm.vm_u.ncreate.vap = vap;
	vm.vm_u.ncreate.target = target;
	vm.vm_u.ncreate.vpp = vpp;
	g0 = vop_nsgen(dvp);
	error = vop_send(&vm, VOP_NCREATE, dvp);
	vop_nsbump(0, dvp, g0);
	return (error);
}

static int
vop_nname(int op, struct vnode *dvp, const char *name, size_t nlen,
    struct vnode *vp)
{
	struct vop_msg vm;
	uint32_t g0;
	int error;

	vm.vm_u.nname.name = name;
	vm.vm_u.nname.nlen = nlen;
	vm.vm_u.nname.vp = vp;
	g0 = vop_nsgen(dvp);
	error = vop_send(&vm, op, dvp);
	vop_nsbump(0, dvp, g0);
	return (error);
}

int
vop_nremove(struct vnode *dvp, const char *name, size_t nlen,
    struct vnode *vp)
{
	return (vop_nname(VOP_NREMOVE, dvp, name, nlen, vp));
}

int
vop_nrmdir(struct vnode *dvp, const char *name, size_t nlen,
    struct vnode *vp)
{
	return (vop_nname(VOP_NRMDIR, dvp, name, nlen, vp));
}

int
vop_nlink(struct vnode *dvp, const char *name, size_t nlen,
    struct vnode *vp)
{
	return (vop_nname(VOP_NLINK, dvp, name, nlen, vp));
}

int
vop_nrename(struct vnode *fdvp, const char *fname, size_t fnlen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tnlen,
    struct vnode *tvp)
{
	struct vop_msg vm;
	uint32_t g0, g1;
	int error;

	vm.vm_u.nrename.fname = fname;
	vm.vm_u.nrename.fnlen = fnlen;
	vm.vm_u.nrename.fvp = fvp;
	vm.vm_u.nrename.tdvp = tdvp;
	vm.vm_u.nrename.tname = tname;
	vm.vm_u.nrename.tnlen = tnlen;
	vm.vm_u.nrename.tvp = tvp;
	g0 = vop_nsgen(fdvp);
	g1 = vop_nsgen(tdvp);
	error = vop_send(&vm, VOP_NRENAME, fdvp);
	vop_nsbump(0, fdvp, g0);
	if (tdvp != fdvp)
		vop_nsbump(1, tdvp, g1);
	else
		curthread->td_nsdir[1] = NULL;
	return (error);
}

int
vop_readlink(struct vnode *vp, struct uio *uio)
{
	struct vop_msg vm;

	vm.vm_u.rd.uio = uio;
	vm.vm_u.rd.eofp = NULL;
	return (vop_send(&vm, VOP_READLINK, vp));
}

int
vop_readdir(struct vnode *vp, struct uio *uio, int *eofp)
{
	struct vop_msg vm;
	int eof = 0;
	int error;

	vm.vm_u.rd.uio = uio;
	vm.vm_u.rd.eofp = &eof;
	error = vop_send(&vm, VOP_READDIR, vp);
	if (eofp != NULL)
		*eofp = eof;
	return (error);
}

int
vop_open(struct vnode *vp, int fflag)
{
	struct vop_msg vm;

	vm.vm_u.oc.fflag = fflag;
	return (vop_send(&vm, VOP_OPEN, vp));
}

int
vop_close(struct vnode *vp, int fflag)
{
	struct vop_msg vm;

	vm.vm_u.oc.fflag = fflag;
	return (vop_send(&vm, VOP_CLOSE, vp));
}

/*
 * The last reference to vp is gone (vrele): tell its filesystem.  The
 * message cannot fail to be delivered; a handler error is ignored.
 */
void
vop_inactive(struct vnode *vp)
{
	struct vop_msg vm;

	(void)vop_send(&vm, VOP_INACTIVE, vp);
}

/*
 * Send a copy of msg (same operation and arguments) to lvp's mount and
 * return its result.  The caller (a stacking filesystem's handler) has
 * already mapped any other vnode argument in msg to the lower layer.
 */
int
vop_forward(struct vop_msg *msg, struct vnode *lvp)
{
	struct vop_msg vm;

	vm.vm_u = msg->vm_u;
	return (vop_send(&vm, msg->vm_msg.ms_cmd, lvp));
}
