/*
 * Concurrency test of tmpfs: the mount's token, the fast path racing the
 * service threads, and readdir under concurrent changes.
 *
 *   tmpfs_smp		workers on every CPU (two per CPU, at least four)
 *			share one tmpfs mounted with a service thread per
 *			CPU ("threads=percpu"), so handlers really run in
 *			parallel and the fast path meets a busy token.  Each
 *			worker, for a while, at random:
 *			- rewrites an 8 KiB slot of a shared file with one
 *			  byte value (resident pages: fast path), or reads
 *			  a slot and checks every byte is the same (a read
 *			  never sees half a write);
 *			- appends a 64-byte record to a shared log through
 *			  O_APPEND (extends: service threads);
 *			- writes, truncates and reads pages of its own file
 *			  against a model (holes, truncation zeroing);
 *			- creates and removes its own names in a shared
 *			  directory, and lists that directory in small
 *			  batches: no name twice, its own present names
 *			  exactly once, its absent ones never.
 *			Afterwards: the log holds every record whole and in
 *			each worker's order, the directory and files match
 *			the models, and once everything is removed and the
 *			mount gone, tmpfs's memory is back to its baseline.
 *
 * Sized by a time budget with a minimum operation count (this machine's
 * KVM runs kernel code about a hundred times slower than TCG).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/thread.h>
#include <sys/globaldata.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>
#include <vm/vm_page.h>
#include <vfs/tmpfs/tmpfs.h>
#include <vfs/tmpfs/tmpfs_test.h>

#define SM_MAXW		16
#define SM_K		16		/* names per worker in the shared dir */
#define SM_NSLOT	16		/* 8 KiB slots in the shared file */
#define SM_SLOT		8192
#define SM_OWNPAGES	64		/* pages of a worker's own file */
#define SM_REC		64		/* log record bytes */
#define SM_BUDGET_NS	1500000000UL
#define SM_MINOPS	40
#define SM_LOGMAX	((size_t)4 << 20)

struct sm_worker {
	int		w_id;
	struct proc	*w_proc;
	uint64_t	w_rand;
	uint32_t	w_seq;			/* log records appended */
	bool		w_present[SM_K];	/* own names in the shared dir */
	uint64_t	w_size;			/* own file: size */
	uint32_t	w_ver[SM_OWNPAGES];	/* own file: 0 hole, else tag */
	uint64_t	w_ops;
	uint64_t	w_bad;
	uint8_t		w_buf[SM_SLOT];
	uint8_t		w_cmp[SM_SLOT];
};

static struct sm_worker *sm_w;		/* [I during the run] */
static int sm_nw;
static volatile int sm_running;		/* [a] */
static uint64_t sm_deadline;

#define SM_EXPECT(w, cond, ...) do {					\
	if (__predict_false(!(cond))) {					\
		if ((w)->w_bad++ < 4)					\
			ktest_log(__VA_ARGS__);				\
	}								\
} while (0)

static uint64_t
sm_tag(int w, int page, uint32_t ver)
{
	return (((uint64_t)w << 40) | ((uint64_t)page << 24) | ver);
}

static void
sm_dirname(char *buf, size_t len, int w, int k)
{
	ksnprintf(buf, len, "/tsm/dir/w%02d_%02d", w, k);
}

/* A record: magic, worker, sequence, and a check word. */
static void
sm_record(uint64_t *rec, int w, uint32_t seq)
{
	int i;

	rec[0] = 0x7265636f72640000ULL | (uint64_t)w;
	rec[1] = (uint64_t)w;
	rec[2] = seq;
	for (i = 3; i < SM_REC / 8; i++)
		rec[i] = rec[0] ^ ((uint64_t)seq * 0x9e3779b97f4a7c15ULL) ^ i;
}

static void
sm_op_slot(struct sm_worker *w, int fd, bool write)
{
	int s = (int)(tt_rand(&w->w_rand) % SM_NSLOT);
	size_t done;
	int error;

	if (write) {
		memset(w->w_buf, (int)(tt_rand(&w->w_rand) & 0xff), SM_SLOT);
		error = kern_pwrite(fd, w->w_buf, SM_SLOT, (off_t)s * SM_SLOT,
		    &done);
		SM_EXPECT(w, error == 0 && done == SM_SLOT,
		    "w%d slot write %d: %d %zu", w->w_id, s, error, done);
		return;
	}
	error = kern_pread(fd, w->w_buf, SM_SLOT, (off_t)s * SM_SLOT, &done);
	memset(w->w_cmp, w->w_buf[0], SM_SLOT);
	SM_EXPECT(w, error == 0 && done == SM_SLOT &&
	    tt_memeq(w->w_buf, w->w_cmp, SM_SLOT),
	    "w%d slot %d read torn or short: %d %zu", w->w_id, s, error, done);
}

static void
sm_op_append(struct sm_worker *w, int fd)
{
	uint64_t rec[SM_REC / 8];
	size_t done;
	int error;

	sm_record(rec, w->w_id, w->w_seq);
	error = kern_write(fd, rec, SM_REC, &done);
	SM_EXPECT(w, error == 0 && done == SM_REC, "w%d append: %d %zu",
	    w->w_id, error, done);
	if (error == 0 && done == SM_REC)
		w->w_seq++;
}

/* Write, truncate or read-and-check the worker's own file. */
static void
sm_op_own(struct sm_worker *w, int fd)
{
	uint64_t r = tt_rand(&w->w_rand);
	int p = (int)((r >> 8) % SM_OWNPAGES);
	off_t off = (off_t)p * PAGE_SIZE;
	size_t done;
	int error, i;

	switch (r % 4) {
	case 0:
	case 1:
		w->w_ver[p] = (uint32_t)(r >> 40) | 1;
		tt_fill(w->w_buf, PAGE_SIZE, sm_tag(w->w_id, p, w->w_ver[p]));
		error = kern_pwrite(fd, w->w_buf, PAGE_SIZE, off, &done);
		SM_EXPECT(w, error == 0 && done == PAGE_SIZE,
		    "w%d own write %d: %d", w->w_id, p, error);
		w->w_size = MAX(w->w_size, (uint64_t)(p + 1) * PAGE_SIZE);
		break;
	case 2:
		error = kern_ftruncate(fd, off);
		SM_EXPECT(w, error == 0, "w%d truncate: %d", w->w_id, error);
		for (i = p; i < SM_OWNPAGES; i++)
			w->w_ver[i] = 0;
		w->w_size = (uint64_t)off;
		break;
	default:
		error = kern_pread(fd, w->w_buf, PAGE_SIZE, off, &done);
		if ((uint64_t)off >= w->w_size)
			SM_EXPECT(w, error == 0 && done == 0,
			    "w%d read past end %d: %zu", w->w_id, p, done);
		else if (w->w_ver[p] == 0)
			SM_EXPECT(w, error == 0 && done == PAGE_SIZE &&
			    tt_iszero(w->w_buf, PAGE_SIZE),
			    "w%d hole %d not zero", w->w_id, p);
		else
			SM_EXPECT(w, error == 0 && done == PAGE_SIZE &&
			    tt_check(w->w_buf, PAGE_SIZE, sm_tag(w->w_id, p,
			    w->w_ver[p])), "w%d page %d wrong", w->w_id, p);
		break;
	}
}

static void
sm_op_name(struct sm_worker *w)
{
	char path[48];
	int k = (int)(tt_rand(&w->w_rand) % SM_K);
	int error;

	sm_dirname(path, sizeof(path), w->w_id, k);
	if (!w->w_present[k]) {
		error = tt_mkfile(path, 0, 0);
		SM_EXPECT(w, error == 0, "w%d create %s: %d", w->w_id, path,
		    error);
		w->w_present[k] = (error == 0);
	} else {
		error = kern_unlink(path);
		SM_EXPECT(w, error == 0, "w%d unlink %s: %d", w->w_id, path,
		    error);
		w->w_present[k] = (error != 0);
	}
}

/*
 * Index of "wAA_BB" (AA < sm_nw, BB < SM_K), -1 for "." and "..", -2 for
 * anything else.
 */
static int
sm_parse(const char *name)
{
	int a, b;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return (-1);
	if (strlen(name) != 6 || name[0] != 'w' || name[3] != '_')
		return (-2);
	a = (name[1] - '0') * 10 + (name[2] - '0');
	b = (name[4] - '0') * 10 + (name[5] - '0');
	if (a < 0 || a >= sm_nw || b < 0 || b >= SM_K)
		return (-2);
	return (a * SM_K + b);
}

/* What sm_list counts, and its vtu_readdir_all callback. */
struct sm_listing {
	uint8_t		*l_seen;	/* times each index was listed */
	int		*l_nseen;	/* names listed */
	int		l_dots;		/* "." and ".." listed */
	bool		l_unknown;	/* stopped at a name nobody makes */
};

static int
sm_list_one(const struct dirent *d, void *arg)
{
	struct sm_listing *l = arg;
	int idx;

	idx = sm_parse(d->d_name);
	if (idx == -1) {
		l->l_dots++;
	} else if (idx < 0) {
		ktest_log("listing: unknown \"%s\"", d->d_name);
		l->l_unknown = true;
		return (EINVAL);
	} else {
		if (l->l_seen[idx] < 255)
			l->l_seen[idx]++;
		(*l->l_nseen)++;
	}
	return (0);
}

/*
 * List the shared directory in batches of a few records, counting each
 * name.  false on a malformed listing (bad record, unknown name, a
 * listing that does not end, "." and ".." not exactly twice in all).  A
 * name that another worker removes and makes again during the listing
 * may rightly come twice (two entries, two cookies); the caller judges
 * only names that stay put.
 */
static bool
sm_list(uint8_t *seen, int *nseen)
{
	struct sm_listing l = { seen, nseen, 0, false };
	int error;

	memset(seen, 0, SM_MAXW * SM_K);
	*nseen = 0;
	error = vtu_readdir_all("/tsm/dir", 3 * DIRENT_RECLEN(8), sm_list_one,
	    &l, NULL);
	if (error != 0 && !l.l_unknown)
		ktest_log("listing: error %d", error);
	if (l.l_dots != 2)
		ktest_log("listing: %d dots", l.l_dots);
	return (error == 0 && l.l_dots == 2);
}

static void
sm_op_list(struct sm_worker *w, uint8_t *seen)
{
	int k, n;

	SM_EXPECT(w, sm_list(seen, &n), "w%d: malformed listing", w->w_id);
	for (k = 0; k < SM_K; k++)
		SM_EXPECT(w, seen[w->w_id * SM_K + k] == w->w_present[k],
		    "w%d: own name %d listed %d times, present %d", w->w_id,
		    k, seen[w->w_id * SM_K + k], w->w_present[k]);
}

static void
sm_worker_main(void *arg)
{
	struct sm_worker *w = arg;
	uint8_t seen[SM_MAXW * SM_K];
	char path[32];
	int dfd = -1, lfd = -1, ofd = -1;
	uint64_t r;

	ksnprintf(path, sizeof(path), "/tsm/own%02d", w->w_id);
	if (kern_open("/tsm/data", O_RDWR, 0, &dfd) != 0 ||
	    kern_open("/tsm/log", O_WRONLY | O_APPEND, 0, &lfd) != 0 ||
	    kern_open(path, O_CREAT | O_EXCL | O_RDWR, 0644, &ofd) != 0) {
		w->w_bad++;
		goto out;
	}
	while (w->w_ops < SM_MINOPS || nanouptime() < sm_deadline) {
		r = tt_rand(&w->w_rand) % 10;
		if (r < 2)
			sm_op_slot(w, dfd, true);
		else if (r < 4)
			sm_op_slot(w, dfd, false);
		else if (r < 5)
			sm_op_append(w, lfd);
		else if (r < 7)
			sm_op_own(w, ofd);
		else if (r < 9)
			sm_op_name(w);
		else
			sm_op_list(w, seen);
		w->w_ops++;
		if (w->w_bad > 16)
			break;
	}
out:
	if (dfd >= 0)
		kern_close(dfd);
	if (lfd >= 0)
		kern_close(lfd);
	if (ofd >= 0)
		kern_close(ofd);
	countdown_done(&sm_running);
}

/* The log holds sum(w_seq) whole records, each worker's in order. */
static void
sm_check_log(void)
{
	uint32_t next[SM_MAXW] = { 0 };
	uint64_t rec[SM_REC / 8], *log;
	size_t total = 0, done, i;
	int fd, w;

	for (w = 0; w < sm_nw; w++)
		total += (size_t)sm_w[w].w_seq * SM_REC;
	KT_ASSERT(total <= SM_LOGMAX);
	KT_ASSERT_EQ(vtu_size("/tsm/log"), total);
	log = kmalloc(total + SM_REC, M_TMPFSTEST, 0);
	KT_ASSERT(log != NULL);
	KT_ASSERT_EQ(kern_open("/tsm/log", O_RDONLY, 0, &fd), 0);
	KT_CHECK(kern_read(fd, log, total + SM_REC, &done) == 0 &&
	    done == total);
	kern_close(fd);
	for (i = 0; i < total / SM_REC; i++) {
		uint64_t *r = log + i * (SM_REC / 8);

		w = (int)r[1];
		KT_CHECK(w >= 0 && w < sm_nw);
		if (w < 0 || w >= sm_nw)
			break;
		sm_record(rec, w, next[w]);
		KT_CHECK(memcmp(r, rec, SM_REC) == 0);
		if (memcmp(r, rec, SM_REC) != 0)
			break;
		next[w]++;
	}
	for (w = 0; w < sm_nw; w++)
		KT_CHECK(next[w] == sm_w[w].w_seq);
	kfree(log, M_TMPFSTEST);
}

/* Own files and shared names match the models; then remove them. */
static void
sm_check_models(void)
{
	uint8_t seen[SM_MAXW * SM_K], *buf;
	char path[48];
	size_t done;
	int w, k, p, n, fd;

	KT_ASSERT(sm_list(seen, &n));
	for (w = 0; w < sm_nw; w++) {
		for (k = 0; k < SM_K; k++) {
			KT_CHECK(seen[w * SM_K + k] == sm_w[w].w_present[k]);
			sm_dirname(path, sizeof(path), w, k);
			if (sm_w[w].w_present[k])
				KT_CHECK(kern_unlink(path) == 0);
		}
	}
	buf = sm_w[0].w_buf;
	for (w = 0; w < sm_nw; w++) {
		struct sm_worker *wk = &sm_w[w];

		ksnprintf(path, sizeof(path), "/tsm/own%02d", w);
		KT_CHECK(vtu_size(path) == (int64_t)wk->w_size);
		KT_ASSERT_EQ(kern_open(path, O_RDONLY, 0, &fd), 0);
		for (p = 0; (uint64_t)p * PAGE_SIZE < wk->w_size; p++) {
			KT_CHECK(kern_pread(fd, buf, PAGE_SIZE,
			    (off_t)p * PAGE_SIZE, &done) == 0 &&
			    done == PAGE_SIZE);
			if (wk->w_ver[p] == 0)
				KT_CHECK(tt_iszero(buf, PAGE_SIZE));
			else
				KT_CHECK(tt_check(buf, PAGE_SIZE,
				    sm_tag(w, p, wk->w_ver[p])));
		}
		kern_close(fd);
		KT_CHECK(kern_unlink(path) == 0);
	}
	/* Every slot holds one byte value. */
	KT_ASSERT_EQ(kern_open("/tsm/data", O_RDONLY, 0, &fd), 0);
	for (k = 0; k < SM_NSLOT; k++) {
		KT_CHECK(kern_pread(fd, sm_w[0].w_buf, SM_SLOT,
		    (off_t)k * SM_SLOT, &done) == 0 && done == SM_SLOT);
		memset(sm_w[0].w_cmp, sm_w[0].w_buf[0], SM_SLOT);
		KT_CHECK(tt_memeq(sm_w[0].w_buf, sm_w[0].w_cmp, SM_SLOT));
	}
	kern_close(fd);
}

static void
sm_body(void)
{
	struct statfs sb;
	uint64_t ops = 0, bad = 0;
	thread_t td;
	int i;

	KT_ASSERT_EQ(kern_mkdir("/tsm/dir", 0755), 0);
	KT_ASSERT_EQ(tt_mkfile("/tsm/data", SM_NSLOT * SM_SLOT, 1), 0);
	KT_ASSERT_EQ(tt_mkfile("/tsm/log", 0, 0), 0);
	/* Make every slot uniform to begin with. */
	for (i = 0; i < SM_NSLOT; i++) {
		int fd;
		size_t done;

		memset(sm_w[0].w_buf, i, SM_SLOT);
		KT_ASSERT_EQ(kern_open("/tsm/data", O_WRONLY, 0, &fd), 0);
		KT_CHECK(kern_pwrite(fd, sm_w[0].w_buf, SM_SLOT,
		    (off_t)i * SM_SLOT, &done) == 0 && done == SM_SLOT);
		kern_close(fd);
	}

	sm_nw = MAX(4, MIN(SM_MAXW, 2 * ncpus));
	sm_running = sm_nw;
	sm_deadline = nanouptime() + SM_BUDGET_NS;
	for (i = 0; i < sm_nw; i++) {
		struct sm_worker *w = &sm_w[i];

		w->w_id = i;
		w->w_rand = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		w->w_proc = kproc_alloc(NULL, "tmpfs_smp");
		KT_ASSERT(w->w_proc != NULL);
		td = lwkt_create(sm_worker_main, w, i % ncpus, TDPRI_KERN, 0,
		    LWKT_CREATE_NOSCHED, "tmpfssmp");
		KT_ASSERT(td != NULL);
		td->td_proc = w->w_proc;
		lwkt_schedule(td);
	}
	countdown_wait(&sm_running, "tsmjoin");
	for (i = 0; i < sm_nw; i++) {
		ops += sm_w[i].w_ops;
		bad += sm_w[i].w_bad;
		kproc_free(sm_w[i].w_proc);
	}
	{
		struct vnode *vp = tt_vnode("/tsm");

		if (vp != NULL) {
			ktest_log("%d workers on %d CPUs: %lu operations; "
			    "fast %lu, queued %lu", sm_nw, ncpus, ops,
			    vp->v_mount->mnt_nfast, vp->v_mount->mnt_nqueued);
			vrele(vp);
		}
	}
	KT_CHECK(bad == 0);

	sm_check_log();
	sm_check_models();
	KT_CHECK(kern_unlink("/tsm/log") == 0 && kern_unlink("/tsm/data") == 0);
	KT_CHECK(kern_rmdir("/tsm/dir") == 0);
	KT_CHECK(vtu_nlink("/tsm") == 2);
	KT_CHECK(tt_statfs("/tsm", &sb) == 0 && sb.f_files == 1 &&
	    sb.f_bfree == sb.f_blocks);
}

KTEST_SMP(tmpfs_smp, "1,4", "tmpfs on every CPU with a thread per CPU: fast path vs service threads, atomic writes and appends, readdir under churn, no leaks")
{
	struct tt_mem m0, m1;

	sm_w = kmalloc(SM_MAXW * sizeof(*sm_w), M_TMPFSTEST, M_ZERO);
	KT_ASSERT(sm_w != NULL);
	KT_ASSERT_EQ(kern_mkdir("/tsm", 0755), 0);
	tt_mem_get(&m0);
	KT_ASSERT_EQ(kern_mount("tmpfs", "tmpfs", "/tsm",
	    "threads=percpu,size=64m"), 0);
	sm_body();
	KT_CHECK(kern_unmount("/tsm") == 0);
	tt_mem_get(&m1);
	KT_CHECK(tt_mem_same(&m0, &m1, 64));
	KT_CHECK(kern_rmdir("/tsm") == 0);
	kfree(sm_w, M_TMPFSTEST);
}
