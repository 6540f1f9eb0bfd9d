/*
 * In-kernel tests of serializing tokens (sys/kern/lwkt_token.c).
 *
 *   tok_basic		one thread: recursion, mixed modes, upgrade and
 *			downgrade, release in any order, the reference limit
 *   tok_mutex		(a) threads on every CPU update a counter
 *			non-atomically under one token, some of them
 *			blocking (yield, tsleep) while holding it; the count
 *			is exact and nobody ever sees another inside
 *   tok_shared		(b) readers and writers: no writer runs while a
 *			reader does, and no two writers; upgrades and
 *			downgrades mixed in
 *   tok_order		(c) four tokens taken in every order, several at a
 *			time, on every CPU: everyone finishes, exclusion holds
 *   tok_livelock	(d) many threads fight for the same pair of tokens,
 *			half of them in each order: all of them finish their
 *			iterations; contention counters are logged
 *   tok_try		(e) lwkt_trytoken fails while a running thread holds
 *			the token, succeeds once it is released or its holder
 *			is blocked, and leaves nothing behind when it fails
 *   tok_block		(f) a holder blocks; another thread takes the
 *			token meanwhile; the first resumes holding it
 *			again, and only after the other released it
 *   tok_intr		an interrupt thread that preempts a holder cannot
 *			get the token (atomicity through preemption), and
 *			gets it before the holder can take it back (no
 *			barging)
 *
 * Worker threads are created with lwkt_create on every CPU; the test
 * body (the BSP's boot thread) sleeps until they are done.  Loops are
 * sized by a time budget with a minimum iteration count, because under
 * this machine's KVM the guest runs some hundred times slower than under
 * TCG: the tests finish in about a second under TCG and stay well inside
 * their limits under KVM.  Nothing asserts on time; timing-dependent
 * facts (how many readers overlapped, how fair the fight was) are logged.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <machine/cpufunc.h>

#define TT_BUDGET_NS	250000000UL	/* run loops this long ... */
#define TT_JOIN_NS	25000000000UL	/* ... and give up after this */
#define TT_MAXW		64		/* worker slots */

/* --- shared helpers --- */

/* One worker's identity and tallies. */
struct tt_worker {
	int		w_id;
	int		w_cpu;
	uint64_t	w_iters;	/* loop iterations done */
	uint64_t	w_segs;		/* protected updates done */
};

static struct tt_worker tt_w[TT_MAXW];
static volatile int tt_left;		/* [a] workers still running */
static volatile int tt_stop;		/* [a] the test gave up: bail out */
static volatile int tt_bad;		/* [a] invariant violations */
static uint64_t tt_end;			/* [I] end of the time budget */

/* Record a violation; the first few become test failures with a line. */
static void
tt_violation(int line, const char *what)
{
	if (__atomic_add_fetch(&tt_bad, 1, __ATOMIC_RELAXED) <= 4)
		ktest_fail(__FILE__, line, "%s (%s)", what,
		    curthread->td_name);
}
#define TT_EXPECT(e) do {						\
	if (__predict_false(!(e)))					\
		tt_violation(__LINE__, #e);				\
} while (0)

/* Burn a little time inside a critical region. */
static void
tt_work(int n)
{
	for (int i = 0; i < n; i++)
		cpu_ccfence();
}

/* Keep looping?  At least min iterations, then until the budget ends. */
static bool
tt_more(uint64_t i, uint64_t min)
{
	if (__atomic_load_n(&tt_stop, __ATOMIC_RELAXED))
		return (false);
	return (i < min || nanouptime() < tt_end);
}

static uint64_t
tt_contention(void)
{
	uint64_t sum = 0;

	for (int cpu = 0; cpu < ncpus; cpu++)
		sum += globaldata_find(cpu)->gd_cnt.tok_contention;
	return (sum);
}

static void
tt_done(void)
{
	if (__atomic_sub_fetch(&tt_left, 1, __ATOMIC_ACQ_REL) == 0)
		wakeup(&tt_left);
}

/* Reset the per-test state and start the time budget. */
static void
tt_begin(void)
{
	memset(tt_w, 0, sizeof(tt_w));
	tt_left = 0;
	tt_stop = 0;
	tt_bad = 0;
	tt_end = nanouptime() + TT_BUDGET_NS;
}

/*
 * Start n workers running fn, spread over the CPUs (worker i on CPU
 * i % ncpus), at priority pri.  Returns the number started.
 */
static int
tt_spawn(void (*fn)(void *), int n, const char *name)
{
	int started = 0;

	KKASSERT(n <= TT_MAXW);
	__atomic_add_fetch(&tt_left, n, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		struct tt_worker *w = &tt_w[i];

		w->w_id = i;
		w->w_cpu = i % ncpus;
		if (lwkt_create(fn, w, w->w_cpu, TDPRI_KERN, 0, 0, name) ==
		    NULL) {
			ktest_fail(__FILE__, __LINE__, "lwkt_create failed");
			tt_done();
			continue;
		}
		started++;
	}
	return (started);
}

/*
 * Sleep until every worker is done.  False (and a failure) if they are
 * not done within TT_JOIN_NS: then they are told to stop and given a
 * little more time, and the stragglers' progress is logged.
 */
static bool
tt_join(void)
{
	uint64_t deadline = nanouptime() + TT_JOIN_NS;
	bool late = false;

	while (__atomic_load_n(&tt_left, __ATOMIC_ACQUIRE) != 0) {
		if (nanouptime() > deadline) {
			if (late)
				break;
			late = true;
			ktest_fail(__FILE__, __LINE__,
			    "%d workers not done after %lu s", tt_left,
			    TT_JOIN_NS / 1000000000UL);
			for (int i = 0; i < TT_MAXW; i++)
				if (tt_w[i].w_iters != 0)
					ktest_log("worker %d cpu%d: %lu "
					    "iterations", i, tt_w[i].w_cpu,
					    tt_w[i].w_iters);
			lwkt_print_stats();
			__atomic_store_n(&tt_stop, 1, __ATOMIC_RELEASE);
			deadline = nanouptime() + 5000000000UL;
		}
		tsleep_interlock(&tt_left);
		if (__atomic_load_n(&tt_left, __ATOMIC_ACQUIRE) == 0)
			break;
		tsleep(&tt_left, PINTERLOCKED, "ttjoin", 50000000UL);
	}
	return (!late);
}

/* Log the spread of iterations over n workers. */
static void
tt_log_iters(const char *what, int n)
{
	uint64_t min = UINT64_MAX, max = 0, sum = 0;

	for (int i = 0; i < n; i++) {
		min = MIN(min, tt_w[i].w_iters);
		max = MAX(max, tt_w[i].w_iters);
		sum += tt_w[i].w_iters;
	}
	ktest_log("%s: %d threads, %lu iterations (min %lu, max %lu per "
	    "thread)", what, n, sum, min, max);
}

/*
 * A datum protected by a token, updated non-atomically: a segment reads
 * the count, marks itself inside, works, checks that nobody else came in
 * or changed the count, and writes count + 1.  Two threads running a
 * segment at the same time are caught by the owner or count check.
 */
struct tt_cell {
	volatile uint64_t c_count;
	struct thread * volatile c_owner;
};

static void
tt_segment(struct tt_cell *c, int work)
{
	thread_t me = curthread;
	uint64_t v = c->c_count;

	TT_EXPECT(c->c_owner == NULL);
	c->c_owner = me;
	tt_work(work);
	TT_EXPECT(c->c_owner == me);
	TT_EXPECT(c->c_count == v);
	c->c_count = v + 1;
	c->c_owner = NULL;
}

/* The token is free: no holder, no exclusive owner. */
#define TT_ASSERT_FREE(tok) do {					\
	KT_ASSERT_EQ((tok)->t_count & ~(1UL << 63), 0);		\
	KT_ASSERT((tok)->t_ref == NULL);				\
} while (0)

/* --- tok_basic --- */

KTEST(tok_basic,
    "recursion, mixed modes, upgrade, downgrade, release in any order")
{
	static struct lwkt_token a, b, c;
	thread_t td = curthread;
	int base = td->td_toks_count;
	uint64_t cont0 = mycpu->gd_cnt.tok_contention;

	lwkt_token_init(&a, "basic_a");
	lwkt_token_init(&b, "basic_b");
	lwkt_token_init(&c, "basic_c");

	/* Exclusive, then recursion in both modes: one hold. */
	lwkt_gettoken(&a);
	KT_ASSERT_EQ(a.t_count, TOK_EXCL);
	KT_ASSERT(a.t_ref == td);
	lwkt_gettoken(&a);
	lwkt_gettoken_shared(&a);
	KT_ASSERT_EQ(a.t_count, TOK_EXCL);
	KT_ASSERT_EQ(td->td_toks_count, base + 3);
	KT_ASSERT(lwkt_token_is_held(&a, true));
	KT_ASSERT(lwkt_token_is_held(&a, false));
	KT_ASSERT(!lwkt_token_is_held(&b, false));
	lwkt_reltoken(&a);
	lwkt_reltoken(&a);
	KT_ASSERT_EQ(a.t_count, TOK_EXCL);
	lwkt_reltoken(&a);
	TT_ASSERT_FREE(&a);
	KT_ASSERT(!lwkt_token_is_held(&a, false));
	KT_ASSERT_EQ(td->td_toks_count, base);

	/* Shared recursion counts one holder. */
	lwkt_gettoken_shared(&b);
	lwkt_gettoken_shared(&b);
	KT_ASSERT_EQ(b.t_count, TOK_SHINC);
	KT_ASSERT(b.t_ref == NULL);
	KT_ASSERT(lwkt_token_is_held(&b, false));
	KT_ASSERT(!lwkt_token_is_held(&b, true));

	/* Upgrade in place (only holder), then downgrade on release. */
	lwkt_gettoken(&b);
	KT_ASSERT_EQ(b.t_count, TOK_EXCL);
	KT_ASSERT(b.t_ref == td);
	KT_ASSERT(lwkt_token_is_held(&b, true));
	lwkt_reltoken(&b);
	KT_ASSERT_EQ(b.t_count, TOK_SHINC);
	KT_ASSERT(b.t_ref == NULL);
	KT_ASSERT(!lwkt_token_is_held(&b, true));
	lwkt_reltoken(&b);
	lwkt_reltoken(&b);
	TT_ASSERT_FREE(&b);

	/* An exclusive reference released first, a shared one remains. */
	lwkt_gettoken_shared(&c);
	lwkt_gettoken(&a);
	lwkt_gettoken(&c);
	lwkt_gettoken_shared(&b);
	KT_ASSERT_EQ(c.t_count, TOK_EXCL);
	/* Release out of order: c (exclusive, most recent), a, b, c. */
	lwkt_reltoken(&c);
	KT_ASSERT_EQ(c.t_count, TOK_SHINC);
	lwkt_reltoken(&a);
	TT_ASSERT_FREE(&a);
	KT_ASSERT_EQ(b.t_count, TOK_SHINC);
	lwkt_reltoken(&b);
	lwkt_reltoken(&c);
	TT_ASSERT_FREE(&b);
	TT_ASSERT_FREE(&c);
	KT_ASSERT_EQ(td->td_toks_count, base);

	/* Fill every slot, then release in a scrambled order. */
	for (int i = base; i < LWKT_MAXTOKENS; i++) {
		struct lwkt_token *t = i % 3 == 0 ? &a : i % 3 == 1 ? &b : &c;

		if (i & 1)
			lwkt_gettoken_shared(t);
		else
			lwkt_gettoken(t);
	}
	KT_ASSERT_EQ(td->td_toks_count, LWKT_MAXTOKENS);
	KT_ASSERT(lwkt_token_is_held(&a, false));
	for (int i = 0; td->td_toks_count > base; i++) {
		int k = base + (i * 7) % (td->td_toks_count - base);

		lwkt_reltoken(td->td_toks[k].tr_tok);
	}
	TT_ASSERT_FREE(&a);
	TT_ASSERT_FREE(&b);
	TT_ASSERT_FREE(&c);
	/* None of this met contention, not even a detour. */
	KT_ASSERT_EQ(a.t_collisions + b.t_collisions + c.t_collisions, 0);
	KT_ASSERT_EQ(mycpu->gd_cnt.tok_contention, cont0);

	/* Yielding with tokens held: they are held again afterwards. */
	lwkt_gettoken(&a);
	lwkt_gettoken_shared(&b);
	lwkt_yield();
	tsleep(&a, 0, "tokbas", 1000000UL);
	KT_ASSERT(lwkt_token_is_held(&a, true));
	KT_ASSERT(lwkt_token_is_held(&b, false));
	KT_ASSERT(a.t_ref == td);
	KT_ASSERT_EQ(b.t_count & ~(1UL << 63), TOK_SHINC);
	lwkt_reltoken(&a);
	lwkt_reltoken(&b);
	TT_ASSERT_FREE(&a);
	TT_ASSERT_FREE(&b);
}

/* --- (a) tok_mutex --- */

static struct lwkt_token mx_tok;
static struct tt_cell mx_cell;
static volatile uint64_t mx_segs;	/* [a] */
static int mx_chan;

static void
mx_worker(void *arg)
{
	struct tt_worker *w = arg;
	uint64_t i;

	for (i = 0; tt_more(i, 40); i++) {
		lwkt_gettoken(&mx_tok);
		tt_segment(&mx_cell, 64);
		w->w_segs++;
		if (i % 4 == 1 || (i % 64 == 3 && i < 200)) {
			/* Block while holding it, then use it again. */
			if (i % 4 == 1)
				lwkt_yield();
			else
				tsleep(&mx_chan, 0, "mxblk", 1000000UL);
			TT_EXPECT(lwkt_token_is_held(&mx_tok, true));
			TT_EXPECT(mx_tok.t_ref == curthread);
			tt_segment(&mx_cell, 64);
			w->w_segs++;
		}
		lwkt_reltoken(&mx_tok);
		if (i & 1)
			lwkt_yield();
		w->w_iters = i + 1;
	}
	TT_EXPECT(curthread->td_toks_count == 0);
	__atomic_add_fetch(&mx_segs, w->w_segs, __ATOMIC_RELAXED);
	tt_done();
}

KTEST_SMP(tok_mutex, "1,4",
    "(a) non-atomic counter under one token, all CPUs, holders block")
{
	uint64_t cont0 = tt_contention();
	int n = MIN(3 * ncpus, TT_MAXW);

	tt_begin();
	lwkt_token_init(&mx_tok, "mutex");
	memset(&mx_cell, 0, sizeof(mx_cell));
	mx_segs = 0;
	KT_ASSERT_EQ(tt_spawn(mx_worker, n, "tok_mx"), n);
	KT_ASSERT(tt_join());
	tt_log_iters("mutex", n);
	ktest_log("segments %lu, counter %lu, collisions %lu, contention %lu",
	    mx_segs, mx_cell.c_count, mx_tok.t_collisions,
	    tt_contention() - cont0);
	KT_ASSERT_EQ(tt_bad, 0);
	KT_ASSERT_EQ(mx_cell.c_count, mx_segs);
	TT_ASSERT_FREE(&mx_tok);
}

/* --- (b) tok_shared --- */

static struct lwkt_token sh_tok;
static volatile int sh_readers;		/* [a] readers inside */
static volatile int sh_maxreaders;	/* [a] most seen inside at once */
static struct thread * volatile sh_writer; /* [sh_tok excl] writer inside */
static struct tt_cell sh_cell;		/* [sh_tok excl] */
static volatile uint64_t sh_wsegs;	/* [a] writer segments */
static volatile uint64_t sh_rsegs;	/* [a] reader segments */
static volatile uint64_t sh_upgrades;	/* [a] */

/* A reader's stay inside: no writer may be running. */
static void
sh_read_segment(void)
{
	int r = __atomic_add_fetch(&sh_readers, 1, __ATOMIC_ACQ_REL);
	int m = __atomic_load_n(&sh_maxreaders, __ATOMIC_RELAXED);

	while (r > m && !__atomic_compare_exchange_n(&sh_maxreaders, &m, r,
	    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	TT_EXPECT(sh_writer == NULL);
	tt_work(64);
	TT_EXPECT(sh_writer == NULL);
	__atomic_sub_fetch(&sh_readers, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&sh_rsegs, 1, __ATOMIC_RELAXED);
}

/* A writer's stay inside: no reader and no other writer. */
static void
sh_write_segment(struct tt_worker *w)
{
	TT_EXPECT(__atomic_load_n(&sh_readers, __ATOMIC_ACQUIRE) == 0);
	TT_EXPECT(sh_writer == NULL);
	sh_writer = curthread;
	tt_segment(&sh_cell, 32);
	TT_EXPECT(__atomic_load_n(&sh_readers, __ATOMIC_ACQUIRE) == 0);
	TT_EXPECT(sh_writer == curthread);
	sh_writer = NULL;
	w->w_segs++;
}

static void
sh_reader(void *arg)
{
	struct tt_worker *w = arg;
	uint64_t i;

	for (i = 0; tt_more(i, 40); i++) {
		lwkt_gettoken_shared(&sh_tok);
		sh_read_segment();
		if (i % 8 == 2) {
			/* Block holding it shared; still shared after. */
			lwkt_yield();
			TT_EXPECT(lwkt_token_is_held(&sh_tok, false));
			sh_read_segment();
		} else if (i % 8 == 5) {
			/* Upgrade (may wait), write, downgrade, read. */
			lwkt_gettoken(&sh_tok);
			TT_EXPECT(lwkt_token_is_held(&sh_tok, true));
			sh_write_segment(w);
			lwkt_reltoken(&sh_tok);
			TT_EXPECT(!lwkt_token_is_held(&sh_tok, true));
			TT_EXPECT(lwkt_token_is_held(&sh_tok, false));
			sh_read_segment();
			__atomic_add_fetch(&sh_upgrades, 1, __ATOMIC_RELAXED);
		}
		lwkt_reltoken(&sh_tok);
		tt_work(64);
		if (i & 1)
			lwkt_yield();
		w->w_iters = i + 1;
	}
	__atomic_add_fetch(&sh_wsegs, w->w_segs, __ATOMIC_RELAXED);
	tt_done();
}

static void
sh_writer_main(void *arg)
{
	struct tt_worker *w = arg;
	uint64_t i;

	for (i = 0; tt_more(i, 20); i++) {
		lwkt_gettoken(&sh_tok);
		sh_write_segment(w);
		if (i % 4 == 1) {
			/* Recursion in shared mode keeps it exclusive. */
			lwkt_gettoken_shared(&sh_tok);
			TT_EXPECT(lwkt_token_is_held(&sh_tok, true));
			lwkt_yield();
			sh_write_segment(w);
			lwkt_reltoken(&sh_tok);
		}
		lwkt_reltoken(&sh_tok);
		tt_work(64);
		lwkt_yield();
		w->w_iters = i + 1;
	}
	__atomic_add_fetch(&sh_wsegs, w->w_segs, __ATOMIC_RELAXED);
	tt_done();
}

/* Workers 0 .. ncpus-1 write (one per CPU); the rest read. */
static void
sh_worker(void *arg)
{
	struct tt_worker *w = arg;

	if (w->w_id < ncpus)
		sh_writer_main(arg);
	else
		sh_reader(arg);
}

KTEST_SMP(tok_shared, "1,4",
    "(b) shared holders never run with an exclusive one; writers exclude all")
{
	uint64_t cont0 = tt_contention();
	int n = MIN(3 * ncpus, TT_MAXW);

	tt_begin();
	lwkt_token_init(&sh_tok, "shared");
	memset(&sh_cell, 0, sizeof(sh_cell));
	sh_readers = sh_maxreaders = 0;
	sh_writer = NULL;
	sh_wsegs = sh_rsegs = sh_upgrades = 0;
	KT_ASSERT_EQ(tt_spawn(sh_worker, n, "tok_sh"), n);
	KT_ASSERT(tt_join());
	tt_log_iters("writers", ncpus);
	ktest_log("reader segments %lu, writer segments %lu, upgrades %lu, "
	    "most readers at once %d", sh_rsegs, sh_wsegs, sh_upgrades,
	    sh_maxreaders);
	ktest_log("collisions %lu, contention %lu", sh_tok.t_collisions,
	    tt_contention() - cont0);
	KT_ASSERT_EQ(tt_bad, 0);
	KT_ASSERT_EQ(sh_cell.c_count, sh_wsegs);
	KT_ASSERT(sh_maxreaders >= 1);
	TT_ASSERT_FREE(&sh_tok);
}

/* --- (c) tok_order --- */

#define ORD_NTOK	4
static struct lwkt_token ord_tok[ORD_NTOK];
static struct tt_cell ord_cell[ORD_NTOK];
static volatile uint64_t ord_segs[ORD_NTOK];	/* [a] */

static void
ord_worker(void *arg)
{
	struct tt_worker *w = arg;
	uint64_t segs[ORD_NTOK] = { 0 };
	int idx[ORD_NTOK];
	uint64_t i;

	for (i = 0; tt_more(i, 30); i++) {
		/* 2 to 4 tokens, from a varying start, either direction. */
		int k = 2 + (int)((i + w->w_id) % 3);
		int start = (int)((i * 7 + w->w_id) % ORD_NTOK);
		int step = ((i + w->w_id) & 1) ? 1 : ORD_NTOK - 1;

		for (int m = 0; m < k; m++) {
			idx[m] = (start + m * step) % ORD_NTOK;
			lwkt_gettoken(&ord_tok[idx[m]]);
			if (m == 0)
				tt_work(32);	/* others grab the rest */
		}
		for (int m = 0; m < k; m++) {
			tt_segment(&ord_cell[idx[m]], 16);
			segs[idx[m]]++;
		}
		if (i % 4 == 0) {
			lwkt_yield();
			for (int m = 0; m < k; m++) {
				TT_EXPECT(lwkt_token_is_held(&ord_tok[idx[m]],
				    true));
				tt_segment(&ord_cell[idx[m]], 16);
				segs[idx[m]]++;
			}
		}
		/* Release LIFO on odd iterations, FIFO on even ones. */
		for (int m = 0; m < k; m++)
			lwkt_reltoken(&ord_tok[idx[(i & 1) ? k - 1 - m : m]]);
		w->w_iters = i + 1;
	}
	for (int t = 0; t < ORD_NTOK; t++)
		__atomic_add_fetch(&ord_segs[t], segs[t], __ATOMIC_RELAXED);
	tt_done();
}

KTEST_SMP(tok_order, "1,4",
    "(c) four tokens taken in all orders on all CPUs: no deadlock, exclusion")
{
	uint64_t cont0 = tt_contention();
	int n = MIN(3 * ncpus, TT_MAXW);

	tt_begin();
	for (int t = 0; t < ORD_NTOK; t++) {
		lwkt_token_init(&ord_tok[t], "order");
		memset(&ord_cell[t], 0, sizeof(ord_cell[t]));
		ord_segs[t] = 0;
	}
	KT_ASSERT_EQ(tt_spawn(ord_worker, n, "tok_ord"), n);
	KT_ASSERT(tt_join());
	tt_log_iters("order", n);
	for (int t = 0; t < ORD_NTOK; t++)
		ktest_log("token %d: segments %lu, collisions %lu", t,
		    ord_segs[t], ord_tok[t].t_collisions);
	ktest_log("contention %lu", tt_contention() - cont0);
	KT_ASSERT_EQ(tt_bad, 0);
	for (int t = 0; t < ORD_NTOK; t++) {
		KT_ASSERT_EQ(ord_cell[t].c_count, ord_segs[t]);
		TT_ASSERT_FREE(&ord_tok[t]);
	}
}

/* --- (d) tok_livelock --- */

static struct lwkt_token lv_a, lv_b;
static struct tt_cell lv_cell;
static volatile uint64_t lv_segs;	/* [a] */

static void
lv_worker(void *arg)
{
	struct tt_worker *w = arg;
	struct lwkt_token *first, *second;
	uint64_t i;

	/* Half the threads take a then b, the other half b then a. */
	first = (w->w_id & 1) ? &lv_b : &lv_a;
	second = (w->w_id & 1) ? &lv_a : &lv_b;
	for (i = 0; tt_more(i, 50); i++) {
		lwkt_gettoken(first);
		tt_work(16);		/* hold one, then want the other */
		lwkt_gettoken(second);
		tt_segment(&lv_cell, 16);
		w->w_segs++;
		lwkt_reltoken(second);
		lwkt_reltoken(first);
		w->w_iters = i + 1;
	}
	__atomic_add_fetch(&lv_segs, w->w_segs, __ATOMIC_RELAXED);
	tt_done();
}

KTEST_SMP(tok_livelock, "1,4",
    "(d) many threads fight for one pair of tokens in both orders: all finish")
{
	uint64_t cont0 = tt_contention();
	int n = MIN(4 * ncpus, TT_MAXW);

	tt_begin();
	lwkt_token_init(&lv_a, "pair_a");
	lwkt_token_init(&lv_b, "pair_b");
	memset(&lv_cell, 0, sizeof(lv_cell));
	lv_segs = 0;
	KT_ASSERT_EQ(tt_spawn(lv_worker, n, "tok_lv"), n);
	KT_ASSERT(tt_join());
	tt_log_iters("pair", n);
	ktest_log("collisions: a %lu, b %lu; contention %lu",
	    lv_a.t_collisions, lv_b.t_collisions, tt_contention() - cont0);
	KT_ASSERT_EQ(tt_bad, 0);
	for (int i = 0; i < n; i++)
		KT_ASSERT(tt_w[i].w_iters >= 50);
	KT_ASSERT_EQ(lv_cell.c_count, lv_segs);
	TT_ASSERT_FREE(&lv_a);
	TT_ASSERT_FREE(&lv_b);
}

/* --- (e) tok_try --- */

static struct lwkt_token try_tok;
static volatile int try_state;		/* [a] TRY_* */
#define TRY_IDLE	0
#define TRY_HELD	1	/* the helper holds try_tok */
#define TRY_RELEASE	2	/* the test asks it to release */
#define TRY_DONE	3	/* released */

/* Wait (sleeping, polling) until try_state reaches want. */
static bool
try_wait_state(int want)
{
	uint64_t deadline = nanouptime() + TT_JOIN_NS;

	while (__atomic_load_n(&try_state, __ATOMIC_ACQUIRE) < want) {
		if (nanouptime() > deadline)
			return (false);
		tsleep(&try_state, 0, "trywait", 1000000UL);
	}
	return (true);
}

/* Holds try_tok (shared if arg) while running, until told to release. */
static void
try_running_holder(void *arg)
{
	uint64_t give_up = nanouptime() + TT_JOIN_NS;

	if (arg != NULL)
		lwkt_gettoken_shared(&try_tok);
	else
		lwkt_gettoken(&try_tok);
	__atomic_store_n(&try_state, TRY_HELD, __ATOMIC_RELEASE);
	/* Spin without blocking: we are a running holder. */
	while (__atomic_load_n(&try_state, __ATOMIC_ACQUIRE) != TRY_RELEASE &&
	    nanouptime() < give_up)
		cpu_pause();
	lwkt_reltoken(&try_tok);
	__atomic_store_n(&try_state, TRY_DONE, __ATOMIC_RELEASE);
	tt_done();
}

/* Holds try_tok and blocks until told to release. */
static void
try_sleeping_holder(void *arg)
{
	lwkt_gettoken(&try_tok);
	__atomic_store_n(&try_state, TRY_HELD, __ATOMIC_RELEASE);
	while (__atomic_load_n(&try_state, __ATOMIC_ACQUIRE) != TRY_RELEASE &&
	    !tt_stop)
		tsleep(&try_state, 0, "tryhold", 1000000UL);
	/* We hold it again now that we run. */
	TT_EXPECT(lwkt_token_is_held(&try_tok, true));
	TT_EXPECT(try_tok.t_ref == curthread);
	lwkt_reltoken(&try_tok);
	__atomic_store_n(&try_state, TRY_DONE, __ATOMIC_RELEASE);
	tt_done();
}

KTEST_SMP(tok_try, "1,4",
    "(e) trytoken fails while a running thread holds the token, else succeeds")
{
	thread_t td = curthread;
	int base = td->td_toks_count;
	uint64_t coll;

	tt_begin();
	lwkt_token_init(&try_tok, "try");

	/* Free: succeeds; recursion succeeds; upgrade of a sole holder. */
	KT_ASSERT(lwkt_trytoken(&try_tok));
	KT_ASSERT(lwkt_trytoken(&try_tok));
	KT_ASSERT(lwkt_token_is_held(&try_tok, true));
	lwkt_reltoken(&try_tok);
	lwkt_reltoken(&try_tok);
	TT_ASSERT_FREE(&try_tok);
	lwkt_gettoken_shared(&try_tok);
	KT_ASSERT(lwkt_trytoken(&try_tok));
	KT_ASSERT_EQ(try_tok.t_count, TOK_EXCL);
	lwkt_reltoken(&try_tok);
	KT_ASSERT_EQ(try_tok.t_count, TOK_SHINC);
	lwkt_reltoken(&try_tok);
	TT_ASSERT_FREE(&try_tok);

	/* A blocked holder does not hold it: trytoken succeeds. */
	try_state = TRY_IDLE;
	tt_left = 1;
	KT_ASSERT(lwkt_create(try_sleeping_holder, NULL, 0, TDPRI_KERN, 0, 0,
	    "tok_tryslp") != NULL);
	KT_ASSERT(try_wait_state(TRY_HELD));
	KT_ASSERT(lwkt_trytoken(&try_tok));
	KT_ASSERT(try_tok.t_ref == td);
	lwkt_reltoken(&try_tok);
	__atomic_store_n(&try_state, TRY_RELEASE, __ATOMIC_RELEASE);
	wakeup(&try_state);
	KT_ASSERT(tt_join());
	KT_ASSERT_EQ(try_state, TRY_DONE);
	TT_ASSERT_FREE(&try_tok);

	if (ncpus < 2) {
		ktest_log("running-holder cases need 2 CPUs: skipped");
		KT_ASSERT_EQ(tt_bad, 0);
		return;
	}
	/* A running holder on another CPU, exclusive then shared. */
	for (int shared = 0; shared < 2; shared++) {
		try_state = TRY_IDLE;
		tt_left = 1;
		KT_ASSERT(lwkt_create(try_running_holder,
		    shared ? (void *)1 : NULL, 1, TDPRI_KERN, 0, 0,
		    "tok_tryrun") != NULL);
		KT_ASSERT(try_wait_state(TRY_HELD));
		coll = try_tok.t_collisions;
		KT_ASSERT(!lwkt_trytoken(&try_tok));
		KT_ASSERT(!lwkt_trytoken(&try_tok));
		KT_ASSERT_EQ(try_tok.t_collisions, coll + 2);
		KT_ASSERT_EQ(td->td_toks_count, base);
		KT_ASSERT(!lwkt_token_is_held(&try_tok, false));
		__atomic_store_n(&try_state, TRY_RELEASE, __ATOMIC_RELEASE);
		KT_ASSERT(try_wait_state(TRY_DONE));
		KT_ASSERT(lwkt_trytoken(&try_tok));
		KT_ASSERT(lwkt_token_is_held(&try_tok, true));
		lwkt_reltoken(&try_tok);
		KT_ASSERT(tt_join());
		TT_ASSERT_FREE(&try_tok);
	}
	KT_ASSERT_EQ(tt_bad, 0);
}

/* --- (f) tok_block --- */

static struct lwkt_token blk_tok, blk_tok2;
static volatile int blk_state;		/* [a] BLK_* */
static volatile int blk_val;		/* [blk_tok] */
static volatile int blk_b_released;	/* [a] B is about to release */
#define BLK_START	0
#define BLK_A_HOLDS	1	/* A holds the tokens and sleeps */
#define BLK_B_DONE	2	/* B used blk_tok and woke A */

static int blk_mode;		/* [I] 0 excl, 1 shared, 2 two tokens */

static void
blk_wait_state(int want)
{
	uint64_t deadline = nanouptime() + TT_JOIN_NS;

	while (__atomic_load_n(&blk_state, __ATOMIC_ACQUIRE) != want &&
	    nanouptime() < deadline && !tt_stop) {
		tsleep_interlock(&blk_state);
		if (__atomic_load_n(&blk_state, __ATOMIC_ACQUIRE) == want)
			break;
		tsleep(&blk_state, PINTERLOCKED, "blkwait", 10000000UL);
	}
	TT_EXPECT(blk_state == want);
}

static void
blk_a(void *arg)
{
	if (blk_mode == 2)
		lwkt_gettoken(&blk_tok2);
	if (blk_mode == 1)
		lwkt_gettoken_shared(&blk_tok);
	else
		lwkt_gettoken(&blk_tok);
	blk_val = 1;
	__atomic_store_n(&blk_state, BLK_A_HOLDS, __ATOMIC_RELEASE);
	wakeup(&blk_state);
	blk_wait_state(BLK_B_DONE);	/* blocks holding the tokens */
	/* Running again: we hold them again, after B let go. */
	TT_EXPECT(lwkt_token_is_held(&blk_tok, blk_mode != 1));
	TT_EXPECT(blk_mode == 1 || blk_tok.t_ref == curthread);
	TT_EXPECT(__atomic_load_n(&blk_b_released, __ATOMIC_ACQUIRE) == 1);
	TT_EXPECT(blk_val == 2);
	if (blk_mode == 2) {
		TT_EXPECT(lwkt_token_is_held(&blk_tok2, true));
		TT_EXPECT(blk_tok2.t_ref == curthread);
		lwkt_reltoken(&blk_tok2);
	}
	lwkt_reltoken(&blk_tok);
	tt_done();
}

static void
blk_b(void *arg)
{
	uint64_t until;

	blk_wait_state(BLK_A_HOLDS);
	lwkt_gettoken(&blk_tok);	/* A sleeps: its hold is released */
	TT_EXPECT(blk_val == 1);
	TT_EXPECT(blk_state == BLK_A_HOLDS);	/* A has not run since */
	blk_val = 2;
	__atomic_store_n(&blk_state, BLK_B_DONE, __ATOMIC_RELEASE);
	wakeup(&blk_state);
	/* Keep it a while, running: A is runnable but must not run yet. */
	until = nanouptime() + 20000000UL;
	while (nanouptime() < until)
		cpu_pause();
	TT_EXPECT(lwkt_token_is_held(&blk_tok, true));
	__atomic_store_n(&blk_b_released, 1, __ATOMIC_RELEASE);
	lwkt_reltoken(&blk_tok);
	tt_done();
}

KTEST_SMP(tok_block, "1,4",
    "(f) a holder blocks, another takes the token, the first gets it back")
{
	int runs = 0;

	for (int mode = 0; mode < 3; mode++) {
		for (int cross = 0; cross < (ncpus > 1 ? 2 : 1); cross++) {
			int cpu_a = ncpus - 1, cpu_b = cross ? 0 : ncpus - 1;

			tt_begin();
			lwkt_token_init(&blk_tok, "block");
			lwkt_token_init(&blk_tok2, "block2");
			blk_mode = mode;
			blk_state = BLK_START;
			blk_val = 0;
			blk_b_released = 0;
			tt_left = 2;
			KT_ASSERT(lwkt_create(blk_a, NULL, cpu_a, TDPRI_KERN, 0,
			    0, "tok_blk_a") != NULL);
			KT_ASSERT(lwkt_create(blk_b, NULL, cpu_b, TDPRI_KERN, 0,
			    0, "tok_blk_b") != NULL);
			KT_ASSERT(tt_join());
			KT_ASSERT_EQ(tt_bad, 0);
			TT_ASSERT_FREE(&blk_tok);
			TT_ASSERT_FREE(&blk_tok2);
			ktest_log("mode %s, %s CPU: ok, collisions %lu",
			    mode == 0 ? "exclusive" : mode == 1 ? "shared" :
			    "two tokens", cross ? "other" : "same",
			    blk_tok.t_collisions);
			runs++;
		}
	}
	KT_ASSERT(runs >= 3);
}

/* --- tok_intr --- */

static struct lwkt_token it_tok;
static struct tt_cell it_cell;
static struct thread * volatile it_ithread;
static volatile int it_seq;		/* [it_tok] acquisition order */
static volatile int it_ithread_got;	/* [a] its it_seq, 0 before */
static volatile int it_holder_second;	/* holder's second it_seq */
static volatile int it_preempted;	/* [a] the holder saw it try */

/* The interrupt thread: wait to be scheduled, then want the token. */
static void
it_ithread_main(void *arg)
{
	lwkt_deschedule_self();
	lwkt_switch();			/* until the timer schedules us */
	TT_EXPECT(curthread->td_preempted != NULL);
	lwkt_gettoken(&it_tok);		/* held by whom we preempted */
	tt_segment(&it_cell, 16);
	__atomic_store_n(&it_ithread_got, ++it_seq, __ATOMIC_RELEASE);
	lwkt_reltoken(&it_tok);
	tt_done();
}

/* Trap context (hardclock): make the interrupt thread runnable. */
static void
it_fire(struct systimer *st, void *arg)
{
	lwkt_schedule(it_ithread);
}

static void
it_holder(void *arg)
{
	struct systimer st = { 0 };
	uint64_t coll = it_tok.t_collisions, give_up;

	lwkt_gettoken(&it_tok);
	it_seq = 1;
	systimer_arm(&st, nanouptime() + 20000000UL, it_fire, NULL);
	/*
	 * Spin, never blocking, until the interrupt thread preempted us
	 * and failed to get the token (it blocked, and we resumed).
	 */
	give_up = nanouptime() + TT_JOIN_NS;
	while (__atomic_load_n(&it_tok.t_collisions, __ATOMIC_RELAXED) ==
	    coll && nanouptime() < give_up)
		tt_segment(&it_cell, 16);
	systimer_disarm(&st);
	it_preempted = it_tok.t_collisions != coll;
	TT_EXPECT(it_preempted);
	/* Atomicity held through the preemption. */
	TT_EXPECT(lwkt_token_is_held(&it_tok, true));
	TT_EXPECT(__atomic_load_n(&it_ithread_got, __ATOMIC_ACQUIRE) == 0);
	tt_segment(&it_cell, 16);
	/* Release and ask again at once: the waiter goes first. */
	lwkt_reltoken(&it_tok);
	lwkt_gettoken(&it_tok);
	it_holder_second = ++it_seq;
	TT_EXPECT(__atomic_load_n(&it_ithread_got, __ATOMIC_ACQUIRE) != 0);
	tt_segment(&it_cell, 16);
	lwkt_reltoken(&it_tok);
	tt_done();
}

KTEST_SMP(tok_intr, "1,4",
    "interrupt thread blocks on the preempted holder's token, then goes first")
{
	int cpu = ncpus - 1;

	tt_begin();
	lwkt_token_init(&it_tok, "intr");
	memset(&it_cell, 0, sizeof(it_cell));
	it_seq = 0;
	it_ithread_got = 0;
	it_holder_second = 0;
	it_preempted = 0;
	tt_left = 2;
	it_ithread = lwkt_create(it_ithread_main, NULL, cpu, TDPRI_INT,
	    TDF_INTTHREAD, 0, "tok_ithread");
	KT_ASSERT(it_ithread != NULL);
	/* Let it reach its wait before the holder starts. */
	tsleep(&it_ithread, 0, "itwait", 20000000UL);
	KT_ASSERT(lwkt_create(it_holder, NULL, cpu, TDPRI_KERN, 0, 0,
	    "tok_itholder") != NULL);
	KT_ASSERT(tt_join());
	ktest_log("interrupt thread got it %d-th, holder again %d-th; "
	    "collisions %lu", it_ithread_got, it_holder_second,
	    it_tok.t_collisions);
	KT_ASSERT_EQ(tt_bad, 0);
	KT_ASSERT(it_preempted);
	KT_ASSERT_EQ(it_ithread_got, 2);
	KT_ASSERT_EQ(it_holder_second, 3);
	TT_ASSERT_FREE(&it_tok);
}
