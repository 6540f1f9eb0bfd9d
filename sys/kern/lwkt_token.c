/*
 * Serializing tokens.
 *
 * A token gives a thread atomicity against every other thread that holds
 * the same token, but only while the holder runs.  A thread may hold any
 * number of tokens (LWKT_MAXTOKENS references), in shared or exclusive
 * mode, and keeps them across blocking: they stay recorded in its td_toks
 * array, lwkt_switch() releases them when the thread switches out
 * (lwkt_token_release_all) and reacquires all of them, or none, before
 * the thread runs again (lwkt_token_acquire_all).  Code that holds a token
 * and blocks (tsleep, lwkt_yield, a contended lwkt_gettoken, waitmsg)
 * must therefore assume that other holders ran meanwhile, exactly as if
 * it had released the token and taken it again.  Nothing is lost while
 * it runs: another CPU's thread that wants a conflicting hold has to wait
 * until the holder releases or blocks.
 *
 * What it guarantees:
 *  - Exclusion: while a thread runs holding a token exclusively, no other
 *    running thread holds it at all; while it runs holding it shared, no
 *    running thread holds it exclusively.  A thread preempted by an
 *    interrupt thread keeps its tokens (it never really switched out), so
 *    atomicity also holds against interrupt threads that want the same
 *    token: such an interrupt thread blocks and the holder resumes.
 *  - No deadlock, whatever order tokens are taken in: a thread never
 *    waits while holding tokens.  A contended lwkt_gettoken() releases
 *    everything the thread holds before it waits, and lwkt_switch() gives
 *    it the CPU again only once all its tokens could be had together.
 *  - No livelock among threads that want overlapping sets of tokens (the
 *    strategy is below), and (within a bound) no barging: a token someone
 *    is waiting for goes to a waiter, not to a thread that shows up later.
 *
 * What it costs: an uncontended acquisition is one locked cmpxchg on the
 * token and a scan of the (short) td_toks array; a release is one locked
 * and/sub.  Taking a token the thread already holds (recursion) touches
 * only td_toks.  Contention costs a pass through the scheduler; nothing
 * ever spins holding a token.
 *
 * Representation.  struct lwkt_token (sys/sys/thread.h):
 *	t_count	bit 0	  TOK_EXCL: held exclusively
 *		bits 1-62 number of shared holders (units of TOK_SHINC)
 *		bit 63	  TOK_WANTED (private to this file): a thread
 *			  failed to get the token and waits for it
 *	t_ref	the exclusive holder (set after TOK_EXCL is taken,
 *		cleared before it is dropped); NULL when not held
 *		exclusively
 * Every change to t_count is a locked instruction; acquisitions are
 * compare-and-swap loops (8 bytes: no cmpxchg16b, which this machine's
 * KVM cannot emulate).  TOK_EXCL is only ever set when no one else holds
 * the token, so TOK_EXCL and a shared count never coexist.
 *
 * A thread's hold on a token is one hold, whatever number of references
 * it has to it: the token is held exclusively if any of the thread's
 * references to it is exclusive, otherwise shared, and t_count records
 * that single hold (one TOK_EXCL, or one TOK_SHINC).  So:
 *  - recursion costs nothing: a thread that holds the token exclusively
 *    may take it again in either mode; one that holds it shared may take
 *    it shared again;
 *  - asking for exclusive while holding shared is an upgrade: done in
 *    place if the thread is the only holder and nobody waits, otherwise
 *    the thread waits like any contended acquirer (which releases its
 *    shared hold meanwhile, so two upgraders cannot deadlock);
 *  - releasing the last exclusive reference while shared ones remain
 *    downgrades the hold to shared, atomically.
 * References may be released in any order (not only LIFO);
 * lwkt_reltoken() drops the most recent reference to the token named.
 *
 * Reference flags (struct lwkt_tokref, tr_flags): TR_EXCL, TR_HELD, and
 * the private TR_WAITED and refusal count below.  While a thread runs,
 * all of its references are TR_HELD; while it is switched out (not
 * merely preempted) none is.  TR_HELD is set and cleared for all
 * references to one token together, so the thread's hold on a token is
 * always the strongest mode among its TR_HELD references to it.
 *
 * Livelock and fairness strategy:
 *  (1) Canonical order.  lwkt_token_acquire_all() takes a thread's tokens
 *      in ascending address order, each in the strongest mode the thread
 *      wants it in, and backs off completely (releases what it took) at
 *      the first one it cannot have.  A thread therefore holds tokens only
 *      while it runs or while it is partway through one acquire_all pass,
 *      and a partial holder only ever waits for a token above everything
 *      it holds.  Among threads that want the same set, the one that gets
 *      the lowest token gets them all; in general the partial holder with
 *      the highest failing token is contended only by running holders,
 *      which finish or block.  No cycle of waiting can form.
 *  (2) Incremental acquisition in lwkt_gettoken() (a running thread adds
 *      one token) may go against that order, but on failure it releases
 *      everything and falls back to (1).
 *  (3) No barging.  A blocking acquirer that fails on a conflicting
 *      holder sets TOK_WANTED and becomes a waiter for that token (its
 *      references carry TR_WAITED).  While TOK_WANTED is set, a
 *      "newcomer" (a thread that has not met a conflicting holder of the
 *      token yet) is refused even if the token is free; a waiter ignores
 *      the bit and clears it when it gets the token.  So a thread that
 *      releases a token and asks for it again at once goes behind the
 *      threads already waiting instead of starving them from a tight
 *      loop, and shared holders that keep arriving are held back while
 *      a thread waits to take the token exclusively.  The bit is only a
 *      hint, and a bounded one: a newcomer refused TOK_MAXREFUSALS times
 *      in a row (each refusal is one pass through its CPU's scheduler)
 *      becomes a waiter itself.  So a stale bit, or a waiter that its
 *      CPU does not get around to retrying (priority), delays others a
 *      little but never blocks anybody for good.  lwkt_trytoken()
 *      neither sets nor honours it.
 *  (4) A waiting thread stays on its run queue with TDF_TOKWAIT set (by
 *      acquire_all when it fails, cleared when it succeeds).  Nothing is
 *      signalled when a token is released: the scheduler of the waiter's
 *      CPU (lwkt_thread.c) tries acquire_all again at each of its
 *      decisions, and its idle loop backs off with cpu_pause() between
 *      rounds while runnable threads wait for tokens held on other CPUs.
 *      A contended lwkt_gettoken() enters the scheduler through
 *      lwkt_yield(), so the waiter goes behind the other threads of its
 *      priority and a same-CPU waiter that was already queued is tried
 *      first.
 * Starvation remains possible in principle (a waiter that is always
 * unlucky in the race against other waiters), but not livelock: some
 * thread always gets its whole set.
 *
 * Rules:
 *  (1) Tokens are for thread context.  FAST interrupt handlers and IPI
 *      functions never take tokens (asserted: gd_intr_nesting == 0).
 *  (2) lwkt_gettoken() may block; a thread that must not lose atomicity
 *      must not call it (or anything else that blocks) in the middle of
 *      an update.  lwkt_trytoken() never blocks.
 *  (3) A thread's td_toks and td_toks_count are touched only on its own
 *      CPU, in a critical section: by the thread itself, or by its CPU's
 *      scheduler through release_all/acquire_all.
 *  (4) A thread must release every token before it exits or migrates
 *      (lwkt_exit and lwkt_migrate assert it).
 *  (5) At most LWKT_MAXTOKENS references at a time (panic beyond).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <machine/cpufunc.h>

#define TOK_WANTED	(1UL << 63)	/* someone waits for it (hint) */
#define TOK_HOLDMASK	(~TOK_WANTED)	/* TOK_EXCL | shared count */

/*
 * Private reference state, cleared when the thread gets its tokens:
 * TR_WAITED	the thread met a conflicting holder of this token and
 *		waits for it, so it may ignore TOK_WANTED;
 * TR_REFUSALS	how many times in a row it was refused because of
 *		TOK_WANTED while the token was free for it.
 */
#define TR_WAITED	0x100
#define TR_REFUSAL1	0x10000		/* one refusal */
#define TR_REFUSALS	0xff0000	/* refusal count */
#define TOK_MAXREFUSALS	16		/* then it is a waiter */
CTASSERT(((TR_WAITED | TR_REFUSALS) & (TR_EXCL | TR_HELD)) == 0);
CTASSERT(TOK_MAXREFUSALS * TR_REFUSAL1 <= TR_REFUSALS);
CTASSERT((TOK_WANTED & (TOK_EXCL | TOK_SHINC)) == 0);

/* How a thread holds (or wants) a token, from its references. */
#define HOLD_NONE	0
#define HOLD_SHARED	1
#define HOLD_EXCL	2

/* Kinds of acquisition attempt (tok_acquire). */
#define ACQ_NEWCOMER	0	/* refused while TOK_WANTED */
#define ACQ_WAITER	1	/* ignores TOK_WANTED and clears it */
#define ACQ_TRY		2	/* ignores TOK_WANTED, never sets it */

/* Results of an attempt. */
#define ACQ_GOT		0	/* acquired */
#define ACQ_BUSY	1	/* a conflicting holder */
#define ACQ_REFUSED	2	/* free for us, but a waiter goes first */

void
lwkt_token_init(struct lwkt_token *tok, const char *desc)
{
	tok->t_count = 0;
	tok->t_ref = NULL;
	tok->t_desc = desc;
	tok->t_collisions = 0;
}

/* --- per-thread bookkeeping: td's CPU, critical section --- */

/* How td holds tok now: the strongest mode among its TR_HELD references. */
static int
tok_held_mode(thread_t td, struct lwkt_token *tok)
{
	int mode = HOLD_NONE;

	for (int i = 0; i < td->td_toks_count; i++) {
		struct lwkt_tokref *ref = &td->td_toks[i];

		if (ref->tr_tok != tok || (ref->tr_flags & TR_HELD) == 0)
			continue;
		if (ref->tr_flags & TR_EXCL)
			return (HOLD_EXCL);
		mode = HOLD_SHARED;
	}
	return (mode);
}

/* Clear TR_HELD on every one of td's references to tok. */
static void
tok_clear_held(thread_t td, struct lwkt_token *tok)
{
	for (int i = 0; i < td->td_toks_count; i++)
		if (td->td_toks[i].tr_tok == tok)
			td->td_toks[i].tr_flags &= ~TR_HELD;
}

/*
 * Record a failed attempt on tok in td's references to it: a conflicting
 * holder makes td a waiter; a refusal counts, and enough of them in a row
 * make td a waiter too (strategy (3)).
 */
static void
tok_note_failure(thread_t td, struct lwkt_token *tok, int res)
{
	for (int i = 0; i < td->td_toks_count; i++) {
		struct lwkt_tokref *ref = &td->td_toks[i];

		if (ref->tr_tok != tok)
			continue;
		if (res == ACQ_REFUSED && (ref->tr_flags & TR_REFUSALS) <
		    (TOK_MAXREFUSALS - 1) * TR_REFUSAL1)
			ref->tr_flags += TR_REFUSAL1;
		else
			ref->tr_flags |= TR_WAITED;
	}
}

/* --- the token word: any CPU, atomic --- */

/*
 * One attempt to take tok for td, exclusively if excl.  mine is what td
 * already contributes to t_count (TOK_SHINC when upgrading its shared
 * hold, else 0); how is an ACQ_* kind.  Returns ACQ_GOT with the hold
 * recorded in t_count (and t_ref), or ACQ_BUSY / ACQ_REFUSED after
 * counting a collision; a blocking acquirer that finds a conflicting
 * holder sets TOK_WANTED.  Never waits: the loop only repeats when
 * t_count changed under us.  Critical section (the CPU's counter).
 */
static int
tok_acquire(struct lwkt_token *tok, thread_t td, bool excl, int how,
    uint64_t mine)
{
	uint64_t c, n;
	int res;

	c = __atomic_load_n(&tok->t_count, __ATOMIC_RELAXED);
	for (;;) {
		if (excl ? (c & TOK_HOLDMASK) != mine : (c & TOK_EXCL) != 0) {
			res = ACQ_BUSY;
			if (how == ACQ_TRY || (c & TOK_WANTED) != 0)
				break;
			if (__atomic_compare_exchange_n(&tok->t_count, &c,
			    c | TOK_WANTED, false, __ATOMIC_RELAXED,
			    __ATOMIC_RELAXED))
				break;
			continue;		/* c reloaded: look again */
		}
		if ((c & TOK_WANTED) != 0 && how == ACQ_NEWCOMER) {
			res = ACQ_REFUSED;
			break;
		}
		if (excl)
			n = TOK_EXCL | (c & TOK_WANTED);
		else
			n = c + TOK_SHINC;
		if (how == ACQ_WAITER)
			n &= ~TOK_WANTED;
		if (__atomic_compare_exchange_n(&tok->t_count, &c, n, false,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			if (excl)
				__atomic_store_n(&tok->t_ref, td,
				    __ATOMIC_RELAXED);
			return (ACQ_GOT);
		}
	}
	__atomic_add_fetch(&tok->t_collisions, 1, __ATOMIC_RELAXED);
	mycpu->gd_cnt.tok_contention++;
	return (res);
}

/* Drop td's hold on tok, held in mode.  Any CPU state; no waiting. */
static void
tok_release(struct lwkt_token *tok, thread_t td, int mode)
{
	uint64_t old;

	if (mode == HOLD_EXCL) {
		KASSERT(tok->t_ref == td,
		    ("lwkt token %s: released by %s, owned by %p", tok->t_desc,
		    td->td_name, tok->t_ref));
		__atomic_store_n(&tok->t_ref, NULL, __ATOMIC_RELAXED);
		old = __atomic_fetch_and(&tok->t_count, ~TOK_EXCL,
		    __ATOMIC_RELEASE);
		KASSERT((old & TOK_HOLDMASK) == TOK_EXCL,
		    ("lwkt token %s: exclusive release, count %#lx",
		    tok->t_desc, old));
	} else {
		old = __atomic_fetch_sub(&tok->t_count, TOK_SHINC,
		    __ATOMIC_RELEASE);
		KASSERT((old & TOK_EXCL) == 0 &&
		    (old & TOK_HOLDMASK) >= TOK_SHINC,
		    ("lwkt token %s: shared release, count %#lx",
		    tok->t_desc, old));
	}
}

/* Turn td's exclusive hold on tok into a shared one, atomically. */
static void
tok_downgrade(struct lwkt_token *tok, thread_t td)
{
	uint64_t c;

	KASSERT(tok->t_ref == td, ("lwkt token %s: downgrade by %s, owner %p",
	    tok->t_desc, td->td_name, tok->t_ref));
	__atomic_store_n(&tok->t_ref, NULL, __ATOMIC_RELAXED);
	c = __atomic_load_n(&tok->t_count, __ATOMIC_RELAXED);
	do {
		KASSERT((c & TOK_HOLDMASK) == TOK_EXCL,
		    ("lwkt token %s: downgrade, count %#lx", tok->t_desc, c));
	} while (!__atomic_compare_exchange_n(&tok->t_count, &c,
	    (c & TOK_WANTED) | TOK_SHINC, false, __ATOMIC_RELEASE,
	    __ATOMIC_RELAXED));
}

/* --- scheduler hooks --- */

/*
 * Release every token td holds; its references stay in td_toks, without
 * TR_HELD.  Idempotent.  Called by lwkt_switch() when td switches out,
 * and by lwkt_gettoken() before it waits; td's CPU, critical section.
 */
void
lwkt_token_release_all(thread_t td)
{
	KKASSERT(td->td_gd == mycpu);
	for (int i = td->td_toks_count - 1; i >= 0; i--) {
		struct lwkt_tokref *ref = &td->td_toks[i];
		struct lwkt_token *tok = ref->tr_tok;
		int mode;

		if ((ref->tr_flags & TR_HELD) == 0)
			continue;
		mode = tok_held_mode(td, tok);
		tok_clear_held(td, tok);
		tok_release(tok, td, mode);
	}
}

/*
 * Acquire all of td's tokens, or none: true if td now holds every token
 * in td_toks (TDF_TOKWAIT cleared), false if one of them is held by
 * another running thread or wanted by a waiter (TDF_TOKWAIT set; td holds
 * nothing).  Tokens are taken in ascending address order, each once, in
 * the strongest mode td wants it in; at the first failure the ones
 * already taken are released (livelock strategy (1) above).  Returns true
 * at once if td already holds everything (a preempted thread).
 *
 * Called by lwkt_switch() before it runs td, and by lwkt_gettoken();
 * td's CPU, critical section.  Never waits.
 */
bool
lwkt_token_acquire_all(thread_t td)
{
	struct {
		struct lwkt_token *tok;
		bool	excl;
		bool	waited;
	} set[LWKT_MAXTOKENS];
	int n, held, i, k, res;

	KKASSERT(td->td_gd == mycpu);
	held = 0;
	for (i = 0; i < td->td_toks_count; i++)
		if (td->td_toks[i].tr_flags & TR_HELD)
			held++;
	if (held == td->td_toks_count) {
		td->td_flags &= ~TDF_TOKWAIT;
		return (true);
	}
	if (held != 0)
		lwkt_token_release_all(td);	/* all or none: restart */

	/* The distinct tokens, sorted by address, with their modes. */
	n = 0;
	for (i = 0; i < td->td_toks_count; i++) {
		struct lwkt_tokref *ref = &td->td_toks[i];

		for (k = 0; k < n && (uintptr_t)set[k].tok <
		    (uintptr_t)ref->tr_tok; k++)
			;
		if (k == n || set[k].tok != ref->tr_tok) {
			memmove(&set[k + 1], &set[k], (n - k) * sizeof(set[0]));
			set[k].tok = ref->tr_tok;
			set[k].excl = false;
			set[k].waited = false;
			n++;
		}
		if (ref->tr_flags & TR_EXCL)
			set[k].excl = true;
		if (ref->tr_flags & TR_WAITED)
			set[k].waited = true;
	}

	for (k = 0; k < n; k++) {
		res = tok_acquire(set[k].tok, td, set[k].excl,
		    set[k].waited ? ACQ_WAITER : ACQ_NEWCOMER, 0);
		if (res != ACQ_GOT) {
			/* Back off completely. */
			tok_note_failure(td, set[k].tok, res);
			while (--k >= 0)
				tok_release(set[k].tok, td,
				    set[k].excl ? HOLD_EXCL : HOLD_SHARED);
			td->td_flags |= TDF_TOKWAIT;
			return (false);
		}
	}
	for (i = 0; i < td->td_toks_count; i++)
		td->td_toks[i].tr_flags = (td->td_toks[i].tr_flags | TR_HELD) &
		    ~(TR_WAITED | TR_REFUSALS);
	td->td_flags &= ~TDF_TOKWAIT;
	return (true);
}

/* --- the API --- */

/*
 * Wait for td's tokens after the attempt to add one failed: release
 * everything (nobody waits holding tokens), then let the scheduler run
 * td again once acquire_all succeeds.  lwkt_yield() puts td behind the
 * threads of its priority, so a same-CPU thread that already waits for
 * the token is tried first.  If the scheduler gives the CPU back without
 * the tokens (td alone and not on its run queue), try ourselves, pausing
 * outside our critical section in between.  Called and returns in the
 * caller's critical section (entered by lwkt_gettoken).
 */
static void
lwkt_token_wait(thread_t td)
{
	for (;;) {
		lwkt_token_release_all(td);
		td->td_flags |= TDF_TOKWAIT;
		crit_exit_td(td);
		lwkt_yield();
		crit_enter_td(td);
		if (lwkt_token_acquire_all(td))
			return;
		crit_exit_td(td);
		cpu_pause();
		crit_enter_td(td);
	}
}

/*
 * Common start of a token request by curthread (td, on gd): check the
 * calling context and that a reference slot is free, enter a critical
 * section, and return how td already holds tok (HOLD_*).  The caller
 * leaves the critical section.
 */
static int
tok_request_begin(struct globaldata *gd, thread_t td, struct lwkt_token *tok,
    const char *fn)
{
	KASSERT(gd->gd_intr_nesting == 0,
	    ("%s(%s) in interrupt context", fn, tok->t_desc));
	crit_enter_td(td);
	KASSERT(td->td_toks_count < LWKT_MAXTOKENS,
	    ("%s(%s): %s holds too many tokens", fn, tok->t_desc,
	    td->td_name));
	return (tok_held_mode(td, tok));
}

/*
 * Add a reference to tok, exclusive if excl, and return holding it.
 * Thread context; may block (then every token of the thread was released
 * meanwhile and is held again on return).
 */
static void
lwkt_gettoken_mode(struct lwkt_token *tok, bool excl)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	struct lwkt_tokref *ref;
	int held, res;

	held = tok_request_begin(gd, td, tok, "lwkt_gettoken");
	ref = &td->td_toks[td->td_toks_count++];
	ref->tr_tok = tok;
	ref->tr_flags = excl ? TR_EXCL : 0;
	if (held == HOLD_EXCL || (held == HOLD_SHARED && !excl))
		res = ACQ_GOT;			/* recursion */
	else
		res = tok_acquire(tok, td, excl, ACQ_NEWCOMER,
		    held == HOLD_SHARED ? TOK_SHINC : 0);
	if (res == ACQ_GOT) {
		ref->tr_flags |= TR_HELD;
		crit_exit_td(td);
		return;
	}
	/* Contended, refused, or an upgrade that must wait. */
	tok_note_failure(td, tok, res);
	lwkt_token_wait(td);
	crit_exit_td(td);
}

/*
 * Fast path: the token is free (t_count == 0: no holder, no waiter, so
 * in particular not held by us) and we have a free slot.  One compare-
 * and-swap, no critical section: nothing that can interrupt us here
 * looks at curthread's td_toks (a preempting interrupt thread only
 * acquires for itself, and switching back to us does not release ours),
 * and we cannot switch voluntarily in the middle.  Anything else takes
 * the general path.
 */
void
lwkt_gettoken(struct lwkt_token *tok)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	int n = td->td_toks_count;
	uint64_t c = 0;

	KASSERT(gd->gd_intr_nesting == 0,
	    ("lwkt_gettoken(%s) in interrupt context", tok->t_desc));
	if (__predict_true(n < LWKT_MAXTOKENS) &&
	    __atomic_compare_exchange_n(&tok->t_count, &c, TOK_EXCL, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		__atomic_store_n(&tok->t_ref, td, __ATOMIC_RELAXED);
		td->td_toks[n].tr_tok = tok;
		td->td_toks[n].tr_flags = TR_EXCL | TR_HELD;
		cpu_ccfence();
		td->td_toks_count = n + 1;
		return;
	}
	lwkt_gettoken_mode(tok, true);
}

void
lwkt_gettoken_shared(struct lwkt_token *tok)
{
	lwkt_gettoken_mode(tok, false);
}

/*
 * Take tok exclusively if that is possible right now, without blocking:
 * it is free, or curthread already holds it exclusively, or holds it
 * shared as its only holder (upgrade).  Ignores TOK_WANTED (it does not
 * wait, so it takes no place in line).  A failure leaves no reference
 * behind.  Thread context.
 */
bool
lwkt_trytoken(struct lwkt_token *tok)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	struct lwkt_tokref *ref;
	int held;

	held = tok_request_begin(gd, td, tok, "lwkt_trytoken");
	if (held != HOLD_EXCL && tok_acquire(tok, td, true, ACQ_TRY,
	    held == HOLD_SHARED ? TOK_SHINC : 0) != ACQ_GOT) {
		crit_exit_td(td);
		return (false);
	}
	ref = &td->td_toks[td->td_toks_count++];
	ref->tr_tok = tok;
	ref->tr_flags = TR_EXCL | TR_HELD;
	crit_exit_td(td);
	return (true);
}

/*
 * Drop curthread's most recent reference to tok (any order is allowed).
 * The token itself is released with its last reference, or downgraded to
 * shared when the last exclusive reference goes and shared ones remain.
 * Never blocks.  Panics if curthread has no reference to tok.
 */
static __noinline void
lwkt_reltoken_slow(struct lwkt_token *tok)
{
	thread_t td = curthread;
	int i, was, now;

	crit_enter_td(td);
	for (i = td->td_toks_count - 1; i >= 0; i--)
		if (td->td_toks[i].tr_tok == tok)
			break;
	KASSERT(i >= 0, ("lwkt_reltoken: %s does not hold %s", td->td_name,
	    tok->t_desc));
	KASSERT(td->td_toks[i].tr_flags & TR_HELD,
	    ("lwkt_reltoken: %s: reference to %s not held", td->td_name,
	    tok->t_desc));
	was = tok_held_mode(td, tok);
	memmove(&td->td_toks[i], &td->td_toks[i + 1],
	    (td->td_toks_count - i - 1) * sizeof(td->td_toks[0]));
	td->td_toks_count--;
	now = tok_held_mode(td, tok);
	if (now == HOLD_NONE)
		tok_release(tok, td, was);
	else if (was == HOLD_EXCL && now == HOLD_SHARED)
		tok_downgrade(tok, td);
	crit_exit_td(td);
}

/*
 * Fast path: the most recent reference is the only one to tok and it is
 * a held exclusive one (the common unnested get/release pair).  Drop the
 * reference, then the token; clearing TOK_EXCL keeps TOK_WANTED for the
 * waiters.  Same reasoning as lwkt_gettoken for skipping the critical
 * section.
 */
void
lwkt_reltoken(struct lwkt_token *tok)
{
	thread_t td = curthread;
	int n = td->td_toks_count, i;

	if (__predict_true(n > 0) && td->td_toks[n - 1].tr_tok == tok &&
	    td->td_toks[n - 1].tr_flags == (TR_EXCL | TR_HELD)) {
		for (i = n - 2; i >= 0; i--)
			if (td->td_toks[i].tr_tok == tok)
				break;
		if (__predict_true(i < 0)) {
			td->td_toks_count = n - 1;
			cpu_ccfence();
			__atomic_store_n(&tok->t_ref, NULL, __ATOMIC_RELAXED);
			__atomic_fetch_and(&tok->t_count, ~TOK_EXCL,
			    __ATOMIC_RELEASE);
			return;
		}
	}
	lwkt_reltoken_slow(tok);
}

/* True if curthread holds tok (exclusively, if excl).  Any thread. */
bool
lwkt_token_is_held(struct lwkt_token *tok, bool excl)
{
	thread_t td = curthread;
	int mode;

	crit_enter_td(td);
	mode = tok_held_mode(td, tok);
	crit_exit_td(td);
	if (mode == HOLD_EXCL)
		KASSERT(tok->t_ref == td, ("lwkt token %s: %s holds it but "
		    "t_ref is %p", tok->t_desc, td->td_name, tok->t_ref));
	return (excl ? mode == HOLD_EXCL : mode != HOLD_NONE);
}
