/*
 * Concurrency stress of the namecache, nlookup and tmpfs.
 *
 *   vfs_stress		workers on every CPU (two per CPU, at least four)
 *			create, write, rename (between directories and over
 *			each other), link, unlink, mkdir, rmdir and look up
 *			names in the same three directories for a while.
 *			Each worker owns its names, so it knows exactly
 *			what every operation must return (a model), while
 *			all of them share the directories, hash chains,
 *			generation counters and the filesystem's lock.  They
 *			also look up each other's names, which may exist or
 *			not but must never give another error.  Afterwards
 *			the directories list exactly what the models say,
 *			link counts and contents match, and once everything
 *			is removed and the cache pruned, vnodes, namecache
 *			entries and open files are back to their baseline.
 *   vfs_stress_queued	the same with every VOP sent to two service
 *			threads (tmpfs fast=none,threads=2)
 *   vfs_stress_percpu	the same with a service thread per CPU and only
 *			reads in the fast path (fast=read,threads=percpu)
 *
 * The run is sized by a time budget (this machine's KVM runs kernel code
 * about a hundred times slower than TCG) with a minimum operation count.
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
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/namecache.h>
#include <sys/vnode.h>
#include <sys/proc.h>
#include <sys/kern_syscall.h>
#include <sys/vfs_testutil.h>

#define ST_NDIRS	3
#define ST_K		12		/* file names per worker */
#define ST_MAXW		16
#define ST_BUDGET_NS	1500000000UL
#define ST_MINOPS	40

struct st_worker {
	int		w_id;
	struct proc	*w_proc;
	uint64_t	w_rand;
	int8_t		w_loc[ST_K];	/* directory of name k, -1 absent */
	uint32_t	w_ver[ST_K];	/* content version of name k */
	int8_t		w_lloc[ST_K];	/* directory of k's link, -1 none */
	uint32_t	w_lver[ST_K];	/* content version of the link */
	bool		w_lsame[ST_K];	/* link and name share the file */
	int8_t		w_dloc;		/* directory of the worker's dir */
	uint64_t	w_ops;
	uint64_t	w_bad;		/* results the model did not expect */
	uint64_t	w_foreign;	/* lookups of others' names */
};

static struct st_worker st_w[ST_MAXW];
static int st_nw;
static volatile int st_running;
static uint64_t st_deadline;

static uint32_t
st_rand(struct st_worker *w)
{
	uint64_t x = w->w_rand;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	w->w_rand = x;
	return ((uint32_t)(x >> 16));
}

static void
st_name(char *buf, size_t len, int dir, int w, int k, char kind)
{
	if (kind == 'D')
		ksnprintf(buf, len, "/st/d%d/w%d_D", dir, w);
	else if (kind == 'L')
		ksnprintf(buf, len, "/st/d%d/w%d_%dL", dir, w, k);
	else
		ksnprintf(buf, len, "/st/d%d/w%d_%d", dir, w, k);
}

static void
st_content(char *buf, size_t len, int w, int k, uint32_t ver)
{
	ksnprintf(buf, len, "w%d k%d v%u", w, k, ver);
}

#define ST_EXPECT(w, cond, ...) do {					\
	if (__predict_false(!(cond))) {					\
		if ((w)->w_bad++ < 4)					\
			ktest_log(__VA_ARGS__);				\
	}								\
} while (0)

/* Write content version ver to path (creating it if excl). */
static int
st_write(const char *path, int w, int k, uint32_t ver, bool excl)
{
	char text[48];

	st_content(text, sizeof(text), w, k, ver);
	return (vtu_writefile(path, excl ? O_CREAT | O_EXCL : O_TRUNC, 0644,
	    text, strlen(text)));
}

/* 0 if path holds version ver of (w, k), else an errno or EIO. */
static int
st_check(const char *path, int w, int k, uint32_t ver)
{
	char text[48];

	st_content(text, sizeof(text), w, k, ver);
	return (vtu_cmpfile(path, text, strlen(text)));
}

static void
st_op(struct st_worker *w)
{
	char p1[48], p2[48];
	struct stat st;
	int k = st_rand(w) % ST_K, k2, d, e;
	int id = w->w_id;

	d = st_rand(w) % ST_NDIRS;
	switch (st_rand(w) % 10) {
	case 0:
	case 1:		/* create, or rewrite */
		if (w->w_loc[k] < 0) {
			st_name(p1, sizeof(p1), d, id, k, 'F');
			e = st_write(p1, id, k, ++w->w_ver[k], true);
			ST_EXPECT(w, e == 0, "create %s: %d", p1, e);
			if (e == 0)
				w->w_loc[k] = d;
		} else {
			st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
			e = st_write(p1, id, k, ++w->w_ver[k], false);
			ST_EXPECT(w, e == 0, "rewrite %s: %d", p1, e);
			if (w->w_lsame[k])
				w->w_lver[k] = w->w_ver[k];
		}
		break;
	case 2:		/* unlink */
		if (w->w_loc[k] < 0)
			break;
		st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
		e = kern_unlink(p1);
		ST_EXPECT(w, e == 0, "unlink %s: %d", p1, e);
		w->w_loc[k] = -1;
		if (w->w_lsame[k]) {
			w->w_lsame[k] = false;
			st_name(p2, sizeof(p2), w->w_lloc[k], id, k, 'L');
			e = kern_stat(p2, &st);
			ST_EXPECT(w, e == 0 && st.st_nlink == 1,
			    "link %s after unlink: %d nlink %u", p2, e,
			    st.st_nlink);
		}
		break;
	case 3:
	case 4:		/* move to another directory */
		if (w->w_loc[k] < 0)
			break;
		st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
		st_name(p2, sizeof(p2), d, id, k, 'F');
		e = kern_rename(p1, p2);
		ST_EXPECT(w, e == 0, "rename %s %s: %d", p1, p2, e);
		if (e == 0)
			w->w_loc[k] = d;
		break;
	case 5:		/* rename over another of our names */
		k2 = (k + 1 + st_rand(w) % (ST_K - 1)) % ST_K;
		if (w->w_loc[k] < 0 || w->w_loc[k2] < 0 ||
		    w->w_lloc[k] >= 0 || w->w_lloc[k2] >= 0)
			break;
		st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
		st_name(p2, sizeof(p2), w->w_loc[k2], id, k2, 'F');
		e = kern_rename(p1, p2);
		ST_EXPECT(w, e == 0, "rename over %s %s: %d", p1, p2, e);
		if (e == 0) {
			/* k2's name now holds k's file (and k's content). */
			w->w_loc[k] = -1;
			e = st_check(p2, id, k, w->w_ver[k]);
			ST_EXPECT(w, e == 0, "content after rename over %s: %d",
			    p2, e);
			/* Rewrite it as k2's so the model stays simple. */
			e = st_write(p2, id, k2, ++w->w_ver[k2], false);
			ST_EXPECT(w, e == 0, "rewrite %s: %d", p2, e);
		}
		break;
	case 6:		/* hard link */
		if (w->w_loc[k] < 0 || w->w_lloc[k] >= 0)
			break;
		st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
		st_name(p2, sizeof(p2), d, id, k, 'L');
		e = kern_link(p1, p2);
		ST_EXPECT(w, e == 0, "link %s %s: %d", p1, p2, e);
		if (e == 0) {
			w->w_lloc[k] = d;
			w->w_lver[k] = w->w_ver[k];
			w->w_lsame[k] = true;
			e = kern_stat(p1, &st);
			ST_EXPECT(w, e == 0 && st.st_nlink == 2,
			    "nlink of %s: %d %u", p1, e, st.st_nlink);
		}
		break;
	case 7:		/* drop the link */
		if (w->w_lloc[k] < 0)
			break;
		st_name(p2, sizeof(p2), w->w_lloc[k], id, k, 'L');
		e = kern_unlink(p2);
		ST_EXPECT(w, e == 0, "unlink link %s: %d", p2, e);
		w->w_lloc[k] = -1;
		w->w_lsame[k] = false;
		break;
	case 8:		/* our directory: create, move or remove */
		if (w->w_dloc < 0) {
			st_name(p1, sizeof(p1), d, id, 0, 'D');
			e = kern_mkdir(p1, 0755);
			ST_EXPECT(w, e == 0, "mkdir %s: %d", p1, e);
			if (e != 0)
				break;
			w->w_dloc = d;
			strlcpy(p2, p1, sizeof(p2));
			strlcpy(p2 + strlen(p2), "/in", sizeof(p2) - strlen(p2));
			e = st_write(p2, id, 99, 1, true);
			ST_EXPECT(w, e == 0, "create %s: %d", p2, e);
		} else if (st_rand(w) % 2 == 0) {
			st_name(p1, sizeof(p1), w->w_dloc, id, 0, 'D');
			st_name(p2, sizeof(p2), d, id, 0, 'D');
			e = kern_rename(p1, p2);
			ST_EXPECT(w, e == 0, "rename dir %s %s: %d", p1, p2, e);
			if (e == 0)
				w->w_dloc = d;
			strlcpy(p2 + strlen(p2), "/in", sizeof(p2) - strlen(p2));
			e = st_check(p2, id, 99, 1);
			ST_EXPECT(w, e == 0, "check %s: %d", p2, e);
		} else {
			st_name(p1, sizeof(p1), w->w_dloc, id, 0, 'D');
			e = kern_rmdir(p1);
			ST_EXPECT(w, e == ENOTEMPTY, "rmdir full %s: %d", p1, e);
			strlcpy(p2, p1, sizeof(p2));
			strlcpy(p2 + strlen(p2), "/in", sizeof(p2) - strlen(p2));
			e = kern_unlink(p2);
			ST_EXPECT(w, e == 0, "unlink %s: %d", p2, e);
			e = kern_rmdir(p1);
			ST_EXPECT(w, e == 0, "rmdir %s: %d", p1, e);
			w->w_dloc = -1;
		}
		break;
	default:	/* look-ups: ours exactly, others' loosely */
		for (d = 0; d < ST_NDIRS; d++) {
			st_name(p1, sizeof(p1), d, id, k, 'F');
			e = kern_stat(p1, &st);
			ST_EXPECT(w, e == (w->w_loc[k] == d ? 0 : ENOENT),
			    "stat %s: %d (model %d)", p1, e, w->w_loc[k]);
		}
		if (w->w_loc[k] >= 0) {
			st_name(p1, sizeof(p1), w->w_loc[k], id, k, 'F');
			e = st_check(p1, id, k, w->w_ver[k]);
			ST_EXPECT(w, e == 0, "check %s: %d", p1, e);
		}
		st_name(p1, sizeof(p1), st_rand(w) % ST_NDIRS,
		    st_rand(w) % st_nw, k, 'F');
		e = kern_stat(p1, &st);
		ST_EXPECT(w, e == 0 || e == ENOENT, "stat foreign %s: %d", p1,
		    e);
		w->w_foreign++;
		break;
	}
	w->w_ops++;
}

static void
st_worker_main(void *arg)
{
	struct st_worker *w = arg;

	while (nanouptime() < st_deadline || w->w_ops < ST_MINOPS)
		st_op(w);
	countdown_done(&st_running);
}

struct st_list {
	bool		(*l_seen)(const char *name, int dir);
	int		l_dir;
	bool		l_bad;		/* a name the model does not have */
};

/* vtu_readdir_each callback of st_listdir: judge one name, go on. */
static int
st_listone(const struct dirent *dp, void *arg)
{
	struct st_list *l = arg;

	if (!l->l_seen(dp->d_name, l->l_dir))
		l->l_bad = true;
	return (0);
}

/*
 * Names listed in directory /st/dDIR, each checked by the caller's
 * model; EIO if the model lacks one of them.
 */
static int
st_listdir(int dir, bool (*seen)(const char *name, int dir), int *nentp)
{
	struct st_list l = { seen, dir, false };
	char path[24];
	int error;

	ksnprintf(path, sizeof(path), "/st/d%d", dir);
	error = vtu_readdir_each(path, st_listone, &l, nentp);
	if (error == 0 && l.l_bad)
		error = EIO;
	return (error);
}

/* Is name (listed in dir) what some worker's model has there? */
static bool
st_seen(const char *name, int dir)
{
	char exp[48];
	struct st_worker *w;
	int i, k;

	for (i = 0; i < st_nw; i++) {
		w = &st_w[i];
		for (k = 0; k < ST_K; k++) {
			if (w->w_loc[k] == dir) {
				ksnprintf(exp, sizeof(exp), "w%d_%d", i, k);
				if (strcmp(exp, name) == 0)
					return (true);
			}
			if (w->w_lloc[k] == dir) {
				ksnprintf(exp, sizeof(exp), "w%d_%dL", i, k);
				if (strcmp(exp, name) == 0)
					return (true);
			}
		}
		if (w->w_dloc == dir) {
			ksnprintf(exp, sizeof(exp), "w%d_D", i);
			if (strcmp(exp, name) == 0)
				return (true);
		}
	}
	ktest_log("unexpected entry %s in d%d", name, dir);
	return (false);
}

/*
 * The stress run.  opts NULL: in the root tmpfs (fast path for
 * everything the token allows); else in a tmpfs mounted on /st with
 * those options.
 */
static void
st_run(const char *opts)
{
	struct st_worker *w;
	char p[48];
	struct stat st;
	thread_t td;
	int base_vn, base_nc, base_fp;
	int i, k, d, n, expect, nsub;
	uint64_t ops = 0, bad = 0;

	KT_ASSERT_EQ(kern_mkdir("/st", 0755), 0);
	if (opts != NULL)
		KT_ASSERT_EQ(kern_mount("tmpfs", "stress", "/st", opts), 0);
	for (d = 0; d < ST_NDIRS; d++) {
		ksnprintf(p, sizeof(p), "/st/d%d", d);
		KT_ASSERT_EQ(kern_mkdir(p, 0755), 0);
	}
	cache_prune(-1);
	base_vn = vnode_count();
	base_nc = cache_count();
	base_fp = file_count();

	st_nw = MAX(4, MIN(ST_MAXW, 2 * ncpus));
	st_running = st_nw;
	st_deadline = nanouptime() + ST_BUDGET_NS;
	for (i = 0; i < st_nw; i++) {
		w = &st_w[i];
		memset(w, 0, sizeof(*w));
		w->w_id = i;
		w->w_rand = 0x9e3779b97f4a7c15ULL * (i + 1);
		memset(w->w_loc, -1, sizeof(w->w_loc));
		memset(w->w_lloc, -1, sizeof(w->w_lloc));
		w->w_dloc = -1;
		w->w_proc = kproc_alloc(NULL, "stress");
		KT_ASSERT(w->w_proc != NULL);
		td = lwkt_create(st_worker_main, w, i % ncpus, TDPRI_KERN, 0,
		    LWKT_CREATE_NOSCHED, "vfsstress");
		KT_ASSERT(td != NULL);
		td->td_proc = w->w_proc;
		lwkt_schedule(td);
	}
	countdown_wait(&st_running, "stjoin");
	for (i = 0; i < st_nw; i++) {
		ops += st_w[i].w_ops;
		bad += st_w[i].w_bad;
		kproc_free(st_w[i].w_proc);
	}
	ktest_log("%d workers on %d CPUs: %llu operations", st_nw, ncpus,
	    (unsigned long long)ops);
	KT_CHECK(bad == 0);

	/* The directories hold exactly what the models say. */
	for (d = 0; d < ST_NDIRS; d++) {
		expect = 0;
		nsub = 0;
		for (i = 0; i < st_nw; i++) {
			w = &st_w[i];
			for (k = 0; k < ST_K; k++)
				expect += (w->w_loc[k] == d) +
				    (w->w_lloc[k] == d);
			nsub += w->w_dloc == d;
		}
		expect += nsub;
		KT_CHECK(st_listdir(d, st_seen, &n) == 0);
		KT_CHECK(n == expect);
		ksnprintf(p, sizeof(p), "/st/d%d", d);
		KT_CHECK(kern_stat(p, &st) == 0 &&
		    st.st_nlink == 2 + (uint32_t)nsub);
	}
	/* Contents and link counts; then remove everything. */
	for (i = 0; i < st_nw; i++) {
		w = &st_w[i];
		for (k = 0; k < ST_K; k++) {
			if (w->w_loc[k] >= 0) {
				st_name(p, sizeof(p), w->w_loc[k], i, k, 'F');
				KT_CHECK(st_check(p, i, k, w->w_ver[k]) == 0);
				KT_CHECK(kern_stat(p, &st) == 0 &&
				    st.st_nlink == (w->w_lsame[k] ? 2u : 1u));
				KT_CHECK(kern_unlink(p) == 0);
			}
			if (w->w_lloc[k] >= 0) {
				st_name(p, sizeof(p), w->w_lloc[k], i, k, 'L');
				KT_CHECK(kern_stat(p, &st) == 0 &&
				    st.st_nlink == 1);
				KT_CHECK(kern_unlink(p) == 0);
			}
		}
		if (w->w_dloc >= 0) {
			st_name(p, sizeof(p), w->w_dloc, i, 0, 'D');
			strlcpy(p + strlen(p), "/in", sizeof(p) - strlen(p));
			KT_CHECK(st_check(p, i, 99, 1) == 0);
			KT_CHECK(kern_unlink(p) == 0);
			st_name(p, sizeof(p), w->w_dloc, i, 0, 'D');
			KT_CHECK(kern_rmdir(p) == 0);
		}
	}
	for (d = 0; d < ST_NDIRS; d++) {
		KT_CHECK(st_listdir(d, st_seen, &n) == 0 && n == 0);
		ksnprintf(p, sizeof(p), "/st/d%d", d);
		KT_CHECK(kern_rmdir(p) == 0);
		KT_CHECK(kern_mkdir(p, 0755) == 0);
	}
	/* Back to the baseline. */
	cache_prune(-1);
	KT_CHECK(file_count() == base_fp);
	KT_CHECK(vnode_count() == base_vn);
	KT_CHECK(cache_count() == base_nc);
	ktest_log("vnodes %d/%d entries %d/%d files %d/%d", vnode_count(),
	    base_vn, cache_count(), base_nc, file_count(), base_fp);
	if (opts != NULL) {
		for (d = 0; d < ST_NDIRS; d++) {
			ksnprintf(p, sizeof(p), "/st/d%d", d);
			KT_CHECK(kern_rmdir(p) == 0);
		}
		KT_CHECK(kern_unmount("/st") == 0);
	}
}

KTEST_SMP(vfs_stress, "1,4", "all CPUs create/rename/link/unlink/look up in shared dirs; tree matches the models, no leaks")
{
	st_run(NULL);
}

KTEST_SMP(vfs_stress_queued, "1,4", "the stress run with every VOP queued to two tmpfs service threads (fast=none,threads=2)")
{
	st_run("fast=none,threads=2");
}

KTEST_SMP(vfs_stress_percpu, "1,4", "the stress run with one tmpfs service thread per CPU and the read-only fast path (fast=read,threads=percpu)")
{
	st_run("fast=read,threads=percpu");
}
