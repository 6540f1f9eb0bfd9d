/*
 * In-kernel tests of VOP message dispatch (vfs_vop.c), with a tiny test
 * filesystem, "voptestfs", whose handlers record where they ran.
 *
 *   vop_inline		threads=0: every operation runs in the caller
 *   vop_thread		threads=1: operations run in the mount's service
 *			thread; the fast path, when it answers, runs in the
 *			caller and is counted in mnt_nfast
 *   vop_percpu		threads=percpu: an operation sent from CPU k runs on
 *			CPU k's service thread
 *   vop_nthreads	threads=3: operations on one vnode always go to the
 *			same thread; slow operations on different vnodes
 *			overlap, on one thread they do not
 *   vop_selfsend	a handler that sends a VOP to its own mount (a vrele
 *			reaching zero) runs it inline instead of deadlocking
 *   vop_unmount	unmount stops the service threads (thread count back
 *			to what it was) and frees the mount
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/nlookup.h>
#include <sys/uio.h>
#include <sys/namecache.h>
#include <sys/kern_syscall.h>

#define VT_NFILES	4

struct vt_mount {
	struct vnode	*vm_root;
	struct vnode	*vm_files[VT_NFILES];	/* "f0".."f3" */
	volatile bool	vm_fastok;	/* vop_fast answers GETATTR */
	volatile int	vm_inactive;	/* VOP_INACTIVE calls */
	volatile int	vm_busy;	/* slow handlers running now */
	volatile int	vm_maxbusy;	/* most at once */
};

/* Where the last GETATTR of each vnode ran. */
struct vt_where {
	thread_t	w_td;
	int		w_cpu;
};

static struct vt_where vt_where[VT_NFILES + 1];
MALLOC_DEFINE(M_VOPTEST, "voptest", "voptestfs");

static int
vt_index(struct vnode *vp)
{
	return ((int)(uintptr_t)vp->v_data);
}

static int
vt_getattr(struct vop_msg *msg)
{
	struct vnode *vp = msg->vm_vp;
	struct vattr *va = msg->vm_u.attr.vap;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = 0755;
	va->va_nlink = 1;
	va->va_ino = vt_index(vp) + 1;
	va->va_mask = VA_ALL;
	vt_where[vt_index(vp)].w_td = curthread;
	vt_where[vt_index(vp)].w_cpu = mycpuid;
	return (0);
}

/* A slow operation: READ sleeps 20 ms and counts overlap. */
static int
vt_read(struct vop_msg *msg)
{
	struct vt_mount *vm = msg->vm_vp->v_mount->mnt_data;
	int now, max;

	now = __atomic_add_fetch(&vm->vm_busy, 1, __ATOMIC_SEQ_CST);
	max = vm->vm_maxbusy;
	while (now > max && !__atomic_compare_exchange_n(&vm->vm_maxbusy,
	    &max, now, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	tsleep(vm, 0, "vtread", 20000000);
	__atomic_sub_fetch(&vm->vm_busy, 1, __ATOMIC_SEQ_CST);
	return (0);
}

static int
vt_nresolve(struct vop_msg *msg)
{
	struct vt_mount *vm = msg->vm_vp->v_mount->mnt_data;
	const char *name = msg->vm_u.nresolve.name;
	int i;

	if (msg->vm_u.nresolve.nlen != 2 || name[0] != 'f' ||
	    name[1] < '0' || name[1] >= '0' + VT_NFILES)
		return (ENOENT);
	i = name[1] - '0';
	vref(vm->vm_files[i]);
	*msg->vm_u.nresolve.vpp = vm->vm_files[i];
	return (0);
}

/*
 * SETATTR is the self-send test: it takes an extra reference on a file,
 * drops its own reference ... i.e. vrele from inside a handler reaching
 * zero on a scratch vnode of the same mount.
 */
static int
vt_setattr(struct vop_msg *msg)
{
	struct vnode *scratch;

	scratch = vnode_alloc(msg->vm_vp->v_mount, VREG,
	    (void *)(uintptr_t)VT_NFILES);
	if (scratch == NULL)
		return (ENOMEM);
	vrele(scratch);		/* -> VOP_INACTIVE on our own mount */
	return (0);
}

static int
vt_inactive(struct vop_msg *msg)
{
	struct vt_mount *vm = msg->vm_vp->v_mount->mnt_data;

	__atomic_add_fetch(&vm->vm_inactive, 1, __ATOMIC_SEQ_CST);
	if (vt_index(msg->vm_vp) == VT_NFILES)
		vnode_free(msg->vm_vp);
	return (0);
}

static int
vt_fast(struct vop_msg *msg)
{
	struct vt_mount *vm = msg->vm_vp->v_mount->mnt_data;

	if (msg->vm_msg.ms_cmd == VOP_GETATTR && vm->vm_fastok)
		return (vt_getattr(msg));
	return (EASYNC);
}

static const struct vop_ops vt_vops = {
	.vop_fast = vt_fast,
	.vop_op = {
		[VOP_NRESOLVE] = vt_nresolve,
		[VOP_GETATTR] = vt_getattr,
		[VOP_SETATTR] = vt_setattr,
		[VOP_READ] = vt_read,
		[VOP_INACTIVE] = vt_inactive,
	},
};

static int
vt_mount(struct mount *mp, const char *from, const char *opts)
{
	struct vt_mount *vm;
	int i;

	vm = kmalloc(sizeof(*vm), M_VOPTEST, M_ZERO);
	if (vm == NULL)
		return (ENOMEM);
	vm->vm_root = vnode_alloc(mp, VDIR, (void *)(uintptr_t)VT_NFILES);
	for (i = 0; i < VT_NFILES; i++)
		vm->vm_files[i] = vnode_alloc(mp, VREG, (void *)(uintptr_t)i);
	vm->vm_root->v_mode = 0755;
	mp->mnt_data = vm;
	vref(vm->vm_root);
	mp->mnt_rootvp = vm->vm_root;
	return (0);
}

static int
vt_unmount(struct mount *mp)
{
	struct vt_mount *vm = mp->mnt_data;
	int i;

	/* Our own references; counts reach 0 -> VOP_INACTIVE. */
	vrele(mp->mnt_rootvp);
	for (i = 0; i < VT_NFILES; i++) {
		vm->vm_files[i]->v_data = (void *)(uintptr_t)VT_NFILES;
		vrele(vm->vm_files[i]);
	}
	vm->vm_root->v_data = (void *)(uintptr_t)VT_NFILES;
	vrele(vm->vm_root);
	kfree(vm, M_VOPTEST);
	return (0);
}

static int
vt_statfs(struct mount *mp, struct statfs *sbp)
{
	memset(sbp, 0, sizeof(*sbp));
	strlcpy(sbp->f_fstypename, "voptestfs", sizeof(sbp->f_fstypename));
	return (0);
}

static const struct vfsops voptest_vfsops = {
	.vfs_name = "voptestfs",
	.vfs_mount = vt_mount,
	.vfs_unmount = vt_unmount,
	.vfs_statfs = vt_statfs,
	.vfs_vops = &vt_vops,
};
VFS_SET(voptest_vfsops);

/* Mount voptestfs on /vt with opts; return the mount. */
static struct mount *
vt_setup(const char *opts)
{
	struct vnode *vp;
	struct mount *mp;

	if (kern_mkdir("/vt", 0755) != 0 && kern_mkdir("/vt", 0755) != EEXIST)
		return (NULL);
	if (kern_mount("voptestfs", "", "/vt", opts) != 0)
		return (NULL);
	if (nlookup_vp("/vt", false, &vp, NULL) != 0)
		return (NULL);
	mp = vp->v_mount;
	vrele(vp);
	return (mp);
}

/* GETATTR on /vt/fN; returns the vnode index it ran for, -1 on error. */
static int
vt_stat(int n)
{
	struct vnode *vp;
	struct vattr va;
	char path[16];
	int error;

	ksnprintf(path, sizeof(path), "/vt/f%d", n);
	if (nlookup_vp(path, false, &vp, NULL) != 0)
		return (-1);
	error = vop_getattr(vp, &va);
	vrele(vp);
	return (error == 0 ? n : -1);
}

KTEST(vop_inline, "threads=0: every VOP runs in the caller's context")
{
	struct mount *mp = vt_setup("threads=0");

	KT_ASSERT(mp != NULL);
	KT_ASSERT_EQ(mp->mnt_nthreads, 0);
	KT_ASSERT_EQ(vt_stat(1), 1);
	KT_CHECK(vt_where[1].w_td == curthread);
	KT_CHECK(mp->mnt_nqueued == 0);
	KT_CHECK(kern_unmount("/vt") == 0);
}

KTEST(vop_thread, "threads=1: VOPs run in the service thread; the fast path runs in the caller")
{
	struct mount *mp = vt_setup("");
	struct vt_mount *vm;
	uint64_t q0, f0;

	KT_ASSERT(mp != NULL);
	vm = mp->mnt_data;
	KT_ASSERT_EQ(mp->mnt_nthreads, 1);
	q0 = mp->mnt_nqueued;
	KT_ASSERT_EQ(vt_stat(2), 2);
	KT_CHECK(vt_where[2].w_td == mp->mnt_threads[0]);
	KT_CHECK(vt_where[2].w_td != curthread);
	KT_CHECK(vt_where[2].w_td->td_svcmount == mp);
	KT_CHECK(mp->mnt_nqueued > q0);
	/* Now let the fast path answer. */
	vm->vm_fastok = true;
	f0 = mp->mnt_nfast;
	q0 = mp->mnt_nqueued;
	KT_ASSERT_EQ(vt_stat(2), 2);
	KT_CHECK(vt_where[2].w_td == curthread);
	KT_CHECK(mp->mnt_nfast > f0);
	KT_CHECK(mp->mnt_nqueued == q0);
	vm->vm_fastok = false;
	KT_CHECK(kern_unmount("/vt") == 0);
}

static volatile int vt_pc_left;
static volatile int vt_pc_bad;

static void
vt_percpu_worker(void *arg)
{
	struct mount *mp = arg;
	int cpu = mycpuid;

	if (vt_stat(cpu % VT_NFILES) != cpu % VT_NFILES ||
	    vt_where[cpu % VT_NFILES].w_cpu != cpu ||
	    vt_where[cpu % VT_NFILES].w_td != mp->mnt_threads[cpu])
		__atomic_add_fetch(&vt_pc_bad, 1, __ATOMIC_SEQ_CST);
	countdown_done(&vt_pc_left);
}

KTEST_SMP(vop_percpu, "1,4", "threads=percpu: a VOP sent from CPU k runs on CPU k's service thread")
{
	struct mount *mp = vt_setup("threads=percpu");
	int cpu;

	KT_ASSERT(mp != NULL);
	KT_ASSERT_EQ(mp->mnt_nthreads, ncpus);
	KT_ASSERT(mp->mnt_percpu);
	/* One CPU at a time (vt_where is shared). */
	for (cpu = 0; cpu < ncpus; cpu++) {
		vt_pc_left = 1;
		KT_ASSERT(lwkt_create(vt_percpu_worker, mp, cpu, TDPRI_KERN, 0,
		    0, "vtpc") != NULL);
		countdown_wait(&vt_pc_left, "vtpcw");
	}
	KT_CHECK(vt_pc_bad == 0);
	KT_CHECK(kern_unmount("/vt") == 0);
}

static volatile int vt_rd_left;

static void
vt_read_worker(void *arg)
{
	struct vnode *vp = arg;
	char buf[8];
	struct uio uio = { buf, sizeof(buf), 0, UIO_READ };

	vop_read(vp, &uio, 0);
	countdown_done(&vt_rd_left);
}

/* Four concurrent slow reads on the vnodes of files[]; max overlap. */
static int
vt_overlap(struct mount *mp, int *files)
{
	struct vt_mount *vm = mp->mnt_data;
	int i;

	vm->vm_maxbusy = 0;
	vt_rd_left = 4;
	for (i = 0; i < 4; i++)
		lwkt_create(vt_read_worker, vm->vm_files[files[i]], -1,
		    TDPRI_KERN, 0, 0, "vtrd");
	countdown_wait(&vt_rd_left, "vtrdw");
	return (vm->vm_maxbusy);
}

KTEST(vop_nthreads, "threads=3: one vnode stays on one thread; different vnodes overlap")
{
	struct mount *mp = vt_setup("threads=3");
	int same[4] = { 1, 1, 1, 1 };
	int spread[4] = { 0, 1, 2, 3 };
	int i, a, b;

	KT_ASSERT(mp != NULL);
	KT_ASSERT_EQ(mp->mnt_nthreads, 3);
	for (i = 0; i < 4; i++) {
		KT_ASSERT_EQ(vt_stat(3), 3);
		if (i == 0)
			vt_where[VT_NFILES].w_td = vt_where[3].w_td;
		KT_CHECK(vt_where[3].w_td == vt_where[VT_NFILES].w_td);
	}
	/* All four reads on one vnode: one thread, never two at once. */
	KT_CHECK(vt_overlap(mp, same) == 1);
	/* Reads on four vnodes: some use different threads and overlap. */
	a = vt_overlap(mp, spread);
	b = 0;
	for (i = 0; i < VT_NFILES; i++)
		b |= 1 << (((uintptr_t)((struct vt_mount *)
		    mp->mnt_data)->vm_files[i] >> 6) % 3);
	ktest_log("overlap %d, threads used mask %#x", a, b);
	KT_CHECK(b == 1 || b == 2 || b == 4 || a >= 2);
	KT_CHECK(a <= 3);
	KT_CHECK(kern_unmount("/vt") == 0);
}

KTEST(vop_selfsend, "a handler's VOP to its own mount runs inline (no deadlock)")
{
	struct mount *mp = vt_setup("threads=1");
	struct vt_mount *vm;
	struct vnode *vp;
	struct vattr va;
	int before;

	KT_ASSERT(mp != NULL);
	vm = mp->mnt_data;
	KT_ASSERT_EQ(nlookup_vp("/vt/f0", false, &vp, NULL), 0);
	before = vm->vm_inactive;
	memset(&va, 0, sizeof(va));
	KT_CHECK(vop_setattr(vp, &va) == 0);
	KT_CHECK(vm->vm_inactive == before + 1);
	vrele(vp);
	KT_CHECK(kern_unmount("/vt") == 0);
}

KTEST(vop_unmount, "unmount stops the service threads and runs VOP_INACTIVE for every vnode")
{
	struct mount *mp;
	int t0, vn0;

	(void)kern_mkdir("/vt", 0755);	/* its vnode is not the mount's */
	cache_prune(-1);
	t0 = lwkt_thread_count();
	vn0 = vnode_count();
	mp = vt_setup("threads=percpu");
	KT_ASSERT(mp != NULL);
	KT_CHECK(lwkt_thread_count() == t0 + ncpus);
	KT_ASSERT_EQ(vt_stat(0), 0);
	KT_CHECK(kern_unmount("/vt") == 0);
	/* Exited threads are reaped when their CPU switches: give it time. */
	for (int i = 0; i < 100 && lwkt_thread_count() != t0; i++)
		tsleep(&t0, 0, "vtreap", 10000000);
	KT_CHECK(lwkt_thread_count() == t0);
	KT_CHECK(vnode_count() == vn0);
}
