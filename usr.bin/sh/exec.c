/*
 * exec.c - the executor: walks a tree made by parse.c.
 *
 * exec_node() runs one node in the shell process and returns its exit
 * status, which it also stores in sh_status ($?).  Only these fork:
 *
 *	- an external command (fork, redirect, execve in the child);
 *	- every element of a pipeline, the parent waiting for all of them,
 *	  the pipeline's status being that of the last;
 *	- a subshell ( ... ), a background list ... &, a here-document
 *	  writer, and a command substitution (expand.c).
 *
 * A child that runs a simple command execs it directly instead of
 * forking again (exec_simple with forked set).  Builtins, functions and
 * compound commands run in the shell itself; their redirections are
 * undone afterwards: each descriptor a redirection changes is first
 * copied to 10 or above (close-on-exec) and put back at the end.
 *
 * Statuses: a command that exits gives its exit code; one killed by
 * signal S gives 128+S; a command that is not found gives 127 ("sh: X:
 * not found"), one found but not executable 126.
 *
 * Background jobs are remembered (pid, and status once collected) until
 * "wait" collects them.  Foreground waits use waitpid() on the exact
 * pid, so they never steal a background job's status.
 *
 * break/continue/return/exit do not unwind the C stack: they set
 * sh_loopctl / sh_returning / sh_exiting, and every list stops running
 * further commands while one of those is set (exec_stopped()).
 *
 * Signals: an interactive shell ignores SIGINT and SIGQUIT; its
 * foreground children get the default actions back, background ones
 * keep ignoring them (there is no job control).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include "sh.h"

struct job {
	long	pid;
	int	done;		/* status collected by exec_reap() */
	int	status;
};

static struct job	*jobs;
static int		 njobs, capjobs;
static int		 nocheck;	/* >0: inside a condition (set -e) */

/* One changed descriptor and where its old self was parked. */
struct saved_fd {
	int	fd;
	int	copy;		/* -1: fd was closed before */
};

struct saved {
	struct saved_fd	*v;
	int		 n;
};

static int	exec_simple(struct sh_node *, int);

static int
exec_stopped(void)
{
	return (sh_exiting || sh_loopctl > 0 || sh_returning);
}

/* Turn a waitpid() status into a shell status. */
static int
wstatus(int ws)
{
	if (WIFEXITED(ws))
		return (WEXITSTATUS(ws));
	if (WIFSIGNALED(ws))
		return (128 + WTERMSIG(ws));
	return (1);
}

/*
 * exec_wait_pid: wait for child pid; *st gets its shell status.  Returns
 * 0, or -1 if there is no such child (*st is then 127).
 */
int
exec_wait_pid(long pid, int *st)
{
	int ws;

	for (;;) {
		if (waitpid(pid, &ws, 0) == pid) {
			*st = wstatus(ws);
			return (0);
		}
		if (errno != EINTR) {
			*st = 127;
			return (-1);
		}
	}
}

static void
job_add(long pid)
{
	if (njobs == capjobs) {
		capjobs = capjobs == 0 ? 16 : capjobs * 2;
		jobs = xrealloc(jobs, capjobs * sizeof(*jobs));
	}
	jobs[njobs].pid = pid;
	jobs[njobs].done = 0;
	jobs[njobs].status = 0;
	njobs++;
}

/* Collect finished background jobs without blocking. */
void
exec_reap(void)
{
	int i, ws;

	for (i = 0; i < njobs; i++) {
		if (jobs[i].done)
			continue;
		if (waitpid(jobs[i].pid, &ws, WNOHANG) == jobs[i].pid) {
			jobs[i].done = 1;
			jobs[i].status = wstatus(ws);
		}
	}
}

/* wait with no operand: every background job; status 0. */
int
exec_wait_all(void)
{
	int i, st;

	for (i = 0; i < njobs; i++)
		if (!jobs[i].done)
			exec_wait_pid(jobs[i].pid, &st);
	njobs = 0;
	return (0);
}

/* wait PID: that job's status, 127 if it is not a job of ours. */
int
exec_wait_job(long pid)
{
	int i, st;

	for (i = 0; i < njobs; i++)
		if (jobs[i].pid == pid)
			break;
	if (i == njobs)
		return (127);
	if (jobs[i].done)
		st = jobs[i].status;
	else
		exec_wait_pid(pid, &st);
	jobs[i] = jobs[--njobs];
	return (st);
}

void
exec_jobs_free(void)
{
	free(jobs);
	jobs = NULL;
	njobs = capjobs = 0;
}

/*
 * exec_child_signals: called in every freshly forked child.  bg: it runs
 * an asynchronous list, which ignores SIGINT and SIGQUIT.
 */
void
exec_child_signals(int bg)
{
	if (bg) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	} else if (sh_interactive) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
	}
	sh_interactive = 0;
	njobs = 0;		/* the parent's jobs are not ours */
}

static long
xfork(void)
{
	long pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		sh_error("fork: %s", strerror(errno));
	return (pid);
}

/* ---- redirections ---- */

static void
save_fd(struct saved *sv, int fd)
{
	int i, copy;

	if (sv == NULL)
		return;
	for (i = 0; i < sv->n; i++)
		if (sv->v[i].fd == fd)
			return;
	copy = fcntl(fd, F_DUPFD, 10);
	if (copy >= 0)
		fcntl(copy, F_SETFD, FD_CLOEXEC);
	sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[sv->n].fd = fd;
	sv->v[sv->n].copy = copy;
	sv->n++;
}

/* Put back what apply_redirs changed, in reverse order. */
static void
restore_redirs(struct saved *sv)
{
	int i;

	fflush(stdout);
	for (i = sv->n - 1; i >= 0; i--) {
		if (sv->v[i].copy >= 0) {
			dup2(sv->v[i].copy, sv->v[i].fd);
			close(sv->v[i].copy);
		} else
			close(sv->v[i].fd);
	}
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/*
 * A descriptor reading the here-document body: a pipe fed by a
 * grandchild, so that a body larger than the pipe buffer cannot block
 * the shell and nobody has to reap the writer.
 */
static int
here_fd(struct sh_redir *r)
{
	char *body = r->hquoted ? xstrdup(r->target) : expand_here(r->target);
	int fds[2], st;
	long pid;

	if (pipe(fds) != 0) {
		sh_error("pipe: %s", strerror(errno));
		free(body);
		return (-1);
	}
	if ((pid = xfork()) == 0) {
		size_t n = strlen(body), off = 0;
		ssize_t w;

		close(fds[0]);
		if (fork() != 0)
			_exit(0);
		signal(SIGPIPE, SIG_DFL);
		while (off < n && (w = write(fds[1], body + off,
		    n - off)) > 0)
			off += w;
		_exit(0);
	}
	free(body);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return (-1);
	}
	exec_wait_pid(pid, &st);
	return (fds[0]);
}

/* The descriptor M of N>&M, or -1 after an error. */
static int
dup_source(const char *t)
{
	char *end;
	long m = strtol(t, &end, 10);

	if (*end != '\0' || end == t || m < 0 || m > 9999 ||
	    fcntl((int)m, F_GETFD) < 0) {
		sh_error("%s: bad file descriptor", t);
		return (-1);
	}
	return ((int)m);
}

/*
 * Open the target of one redirection; returns the new fd, or -1 (with
 * *closeit set for N>&-, else after an error message).
 */
static int
open_target(struct sh_redir *r, int *closeit)
{
	int fd = -1, flags = 0;
	char *t;

	if (r->kind == R_HERE)
		return (here_fd(r));
	t = expand_string(r->target);
	if (r->kind == R_DUP) {
		if (strcmp(t, "-") == 0)
			*closeit = 1;
		else
			fd = dup_source(t);
		free(t);
		return (fd);
	}
	switch (r->kind) {
	case R_IN:	flags = O_RDONLY; break;
	case R_OUT:	flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case R_APPEND:	flags = O_WRONLY | O_CREAT | O_APPEND; break;
	case R_RDWR:	flags = O_RDWR | O_CREAT; break;
	}
	fd = open(t, flags, 0666);
	if (fd < 0)
		sh_error("%s: %s", t, strerror(errno));
	free(t);
	return (fd);
}

/*
 * apply_redirs: perform the redirections of list r in order.  If sv is
 * not NULL the old descriptors are saved there for restore_redirs().
 * Returns 0, or -1 after printing an error (the ones done stay done).
 */
static int
apply_redirs(struct sh_redir *r, struct saved *sv)
{
	int fd, closeit;

	for (; r != NULL; r = r->next) {
		closeit = 0;
		fd = open_target(r, &closeit);
		if (fd < 0 && !closeit)
			return (-1);
		save_fd(sv, r->fd);
		if (closeit) {
			close(r->fd);
			continue;
		}
		if (fd == r->fd)
			continue;
		if (dup2(fd, r->fd) < 0) {
			sh_error("%d: %s", r->fd, strerror(errno));
			if (r->kind != R_DUP)
				close(fd);
			return (-1);
		}
		if (r->kind != R_DUP)
			close(fd);
	}
	return (0);
}

/* ---- external commands ---- */

/* execve failed with ENOEXEC: the file is a script for us.  No return. */
static void
exec_script(char *path, char **argv, char **assigns, int nassigns)
{
	int argc = 0, i;
	char *eq;

	while (argv[argc] != NULL)
		argc++;
	for (i = 0; i < nassigns; i++) {
		eq = strchr(assigns[i], '=');
		*eq = '\0';
		var_set(assigns[i], eq + 1, 1);
	}
	var_set_args(argc - 1, argv + 1);
	sh_name = path;
	i = exec_run_file(path);
	fflush(NULL);
	_exit(i);
}

/*
 * Exec argv in this (child) process, searching $PATH when argv[0] has no
 * slash.  Never returns: on failure it prints "sh: X: not found" (127)
 * or the error (126) and exits.
 */
static void
exec_external(char **argv, char **assigns, int nassigns)
{
	char **env = var_environ(assigns, nassigns);
	const char *path, *p, *colon;
	char *full = argv[0];
	int err = ENOENT, e;
	size_t n;

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, env);
		err = errno;
	} else {
		if ((path = var_get("PATH")) == NULL)
			path = "/bin:/sbin";
		full = NULL;
		for (p = path;; p = colon + 1) {
			colon = strchr(p, ':');
			n = colon != NULL ? (size_t)(colon - p) : strlen(p);
			full = xrealloc(full, n + strlen(argv[0]) + 2);
			if (n == 0)
				strcpy(full, argv[0]);
			else
				sprintf(full, "%.*s/%s", (int)n, p, argv[0]);
			execve(full, argv, env);
			e = errno;
			if (e == ENOEXEC) {
				err = e;
				break;
			}
			if (e != ENOENT && e != ENOTDIR)
				err = e;
			if (colon == NULL)
				break;
		}
	}
	if (err == ENOEXEC)
		exec_script(full, argv, assigns, nassigns);
	if (err == ENOENT)
		sh_error("%s: not found", argv[0]);
	else
		sh_error("%s: %s", argv[0], strerror(err));
	fflush(NULL);
	_exit(err == ENOENT ? 127 : 126);
}

/* ---- simple commands ---- */

static void
trace(char **argv, int argc)
{
	int i;

	fprintf(stderr, "+");
	for (i = 0; i < argc; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, "\n");
}

/* Set NAME=value words as shell variables. */
static int
assign_vars(char **as, int n, int export)
{
	int i, st = 0;
	char *eq;

	for (i = 0; i < n; i++) {
		eq = strchr(as[i], '=');
		*eq = '\0';
		if (var_set(as[i], eq + 1, export) != 0) {
			sh_error("%s: cannot assign", as[i]);
			st = 1;
		}
		*eq = '=';
	}
	return (st);
}

static int
call_function(struct sh_node *body, struct sh_fields *av,
    struct sh_redir *redirs)
{
	struct saved sv = { NULL, 0 };
	struct sh_args old;
	int st, depth;

	if (apply_redirs(redirs, &sv) != 0) {
		restore_redirs(&sv);
		return (1);
	}
	old = var_args_push(av->n - 1, av->v + 1);
	sh_funcdepth++;
	depth = sh_dotdepth;
	sh_dotdepth = 0;	/* a return in here ends the function */
	st = exec_node(body);
	sh_dotdepth = depth;
	sh_funcdepth--;
	if (sh_returning) {
		sh_returning = 0;
		st = sh_status;
	}
	var_args_pop(old);
	restore_redirs(&sv);
	return (st);
}

static int
run_builtin(sh_builtin_fn *fn, struct sh_fields *av,
    struct sh_redir *redirs)
{
	struct saved sv = { NULL, 0 };
	int st;

	if (apply_redirs(redirs, &sv) != 0) {
		restore_redirs(&sv);
		return (1);
	}
	st = fn(av->n, av->v);
	fflush(stdout);
	restore_redirs(&sv);
	return (st);
}

/*
 * The exec builtin: without a command its redirections stay in effect;
 * with one, the shell becomes that command.
 */
static int
exec_exec(struct sh_fields *av, struct sh_fields *as, struct sh_redir *r)
{
	int i = 1;

	if (i < av->n && strcmp(av->v[i], "--") == 0)
		i++;
	if (apply_redirs(r, NULL) != 0)
		return (1);
	if (i >= av->n)
		return (assign_vars(as->v, as->n, 0));
	if (sh_interactive) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
	}
	fflush(NULL);
	exec_external(av->v + i, as->v, as->n);
	return (127);
}

/* A command of assignments and redirections only. */
static int
exec_assign_only(struct sh_node *n, struct sh_fields *as)
{
	struct saved sv = { NULL, 0 };
	int st = sh_subst_ran ? sh_status : 0;

	if (assign_vars(as->v, as->n, 0) != 0)
		st = 1;
	if (apply_redirs(n->redirs, &sv) != 0)
		st = 1;
	restore_redirs(&sv);
	return (st);
}

/*
 * exec_simple: expand and run one simple command.  forked: we are
 * already a child that may be replaced (pipeline element, background
 * job), so an external command is exec'd without another fork.
 */
static int
exec_simple(struct sh_node *n, int forked)
{
	struct sh_fields av = { NULL, 0, 0 }, as = { NULL, 0, 0 };
	struct sh_word *w;
	struct sh_node *fn;
	sh_builtin_fn *bf;
	int st, special;
	long pid;

	sh_subst_ran = 0;
	for (w = n->words; w != NULL; w = w->next)
		expand_fields(w->text, &av);
	for (w = n->assigns; w != NULL; w = w->next)
		fields_add(&as, expand_string(w->text));
	if (sh_opt_x && as.n > 0)
		trace(as.v, as.n);
	if (sh_opt_x && av.n > 0)
		trace(av.v, av.n);
	if (sh_exiting) {			/* ${x?} failed */
		st = sh_status;
		goto out;
	}
	if (av.n == 0) {
		st = exec_assign_only(n, &as);
		goto out;
	}
	if (strcmp(av.v[0], "exec") == 0) {
		st = exec_exec(&av, &as, n->redirs);
		goto out;
	}
	if ((fn = var_func_get(av.v[0])) != NULL) {
		assign_vars(as.v, as.n, 0);
		st = call_function(fn, &av, n->redirs);
		goto out;
	}
	if ((bf = builtin_find(av.v[0], &special)) != NULL) {
		assign_vars(as.v, as.n, 0);
		st = run_builtin(bf, &av, n->redirs);
		goto out;
	}
	if (forked)
		pid = 0;
	else if ((pid = xfork()) < 0) {
		st = 2;
		goto out;
	}
	if (pid == 0) {
		if (!forked)
			exec_child_signals(0);
		if (apply_redirs(n->redirs, NULL) != 0)
			_exit(1);
		exec_external(av.v, as.v, as.n);
	}
	exec_wait_pid(pid, &st);
out:
	fields_free(&av);
	fields_free(&as);
	return (st);
}

/* ---- pipelines, lists, compound commands ---- */

/* Run node n in a child that will exit afterwards; never returns. */
static void
exec_in_child(struct sh_node *n)
{
	int st;

	if (n != NULL && n->type == N_SIMPLE)
		st = exec_simple(n, 1);
	else
		st = exec_node(n);
	fflush(NULL);
	_exit(sh_exiting ? sh_status : st);
}

/* Start element i of a pipeline reading prev; *next gets its output. */
static long
pipe_element(struct sh_node *n, int last, int prev, int *next)
{
	int fds[2] = { -1, -1 };
	long pid;

	*next = -1;
	if (!last && pipe(fds) != 0) {
		sh_error("pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = xfork()) == 0) {
		exec_child_signals(0);
		if (prev >= 0) {
			dup2(prev, 0);
			close(prev);
		}
		if (fds[1] >= 0) {
			close(fds[0]);
			dup2(fds[1], 1);
			close(fds[1]);
		}
		exec_in_child(n);
	}
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0 && fds[0] >= 0) {
		close(fds[0]);
		return (-1);
	}
	*next = fds[0];
	return (pid);
}

static int
exec_pipe(struct sh_node *n)
{
	struct sh_node *p;
	long *pids;
	int nc = 0, i, prev = -1, next, st = 0, failed = 0;

	for (p = n; p->type == N_PIPE; p = p->b)
		nc++;
	nc++;
	pids = xmalloc(nc * sizeof(*pids));
	for (i = 0, p = n; i < nc; i++, p = p->b) {
		struct sh_node *cmd = p->type == N_PIPE ? p->a : p;

		pids[i] = pipe_element(cmd, i == nc - 1, prev, &next);
		if (prev >= 0)
			close(prev);
		prev = next;
		if (pids[i] < 0) {
			failed = 1;
			break;
		}
	}
	if (prev >= 0)
		close(prev);
	nc = i;
	for (i = 0; i < nc; i++)
		exec_wait_pid(pids[i], &st);
	if (failed)
		st = 2;
	free(pids);
	return (st);
}

static int
exec_background(struct sh_node *n)
{
	long pid = xfork();
	int fd;

	if (pid < 0)
		return (2);
	if (pid == 0) {
		exec_child_signals(1);
		/* No job control: stdin is /dev/null (POSIX). */
		fd = open("/dev/null", O_RDONLY);
		if (fd > 0) {
			dup2(fd, 0);
			close(fd);
		}
		exec_in_child(n->a);
	}
	job_add(pid);
	sh_lastbg = pid;
	if (sh_interactive)
		fprintf(stderr, "[%d] %ld\n", njobs, pid);
	return (0);
}

/* Loop control after a body ran: 1 if the loop must stop. */
static int
loop_end(void)
{
	if (sh_loopctl == 0)
		return (exec_stopped());
	sh_loopctl--;
	if (sh_loopctl == 0 && sh_loopbreak == 2)
		return (0);
	return (1);
}

/* A node whose failure must not trigger set -e. */
static int
exec_cond(struct sh_node *n)
{
	int st;

	nocheck++;
	st = exec_node(n);
	nocheck--;
	return (st);
}

static int
exec_loop(struct sh_node *n)
{
	int st = 0, c;

	sh_loopdepth++;
	for (;;) {
		c = exec_cond(n->a);
		if (exec_stopped())
			break;
		if (n->type == N_WHILE ? c != 0 : c == 0)
			break;
		st = exec_node(n->b);
		if (loop_end())
			break;
	}
	sh_loopdepth--;
	return (st);
}

static int
exec_for(struct sh_node *n)
{
	struct sh_fields f = { NULL, 0, 0 };
	struct sh_word *w;
	int st = 0, i;

	if (n->has_in) {
		for (w = n->words; w != NULL; w = w->next)
			expand_fields(w->text, &f);
	} else {
		for (i = 1; i <= var_nargs(); i++)
			fields_add(&f, xstrdup(var_arg(i)));
	}
	sh_loopdepth++;
	for (i = 0; i < f.n; i++) {
		if (var_set(n->name, f.v[i], 0) != 0) {
			st = 1;
			break;
		}
		st = exec_node(n->a);
		if (loop_end())
			break;
	}
	sh_loopdepth--;
	fields_free(&f);
	return (st);
}

static int
exec_case(struct sh_node *n)
{
	char *w = expand_string(n->words->text), *p;
	struct sh_casearm *arm;
	struct sh_word *pw;
	int st = 0, hit;

	for (arm = n->arms; arm != NULL; arm = arm->next) {
		hit = 0;
		for (pw = arm->pats; pw != NULL && !hit; pw = pw->next) {
			p = expand_pattern(pw->text);
			hit = sh_match(p, w);
			free(p);
		}
		if (hit) {
			st = arm->body != NULL ? exec_node(arm->body) : 0;
			break;
		}
	}
	free(w);
	return (st);
}

static int
exec_if(struct sh_node *n)
{
	int c = exec_cond(n->a);

	if (exec_stopped())
		return (c);
	if (c == 0)
		return (n->b != NULL ? exec_node(n->b) : 0);
	if (n->c != NULL)
		return (exec_node(n->c));
	return (0);
}

static int
exec_compound(struct sh_node *n)
{
	long pid;
	int st;

	switch (n->type) {
	case N_IF:
		return (exec_if(n));
	case N_WHILE:
	case N_UNTIL:
		return (exec_loop(n));
	case N_FOR:
		return (exec_for(n));
	case N_CASE:
		return (exec_case(n));
	case N_GROUP:
		return (n->a != NULL ? exec_node(n->a) : 0);
	case N_SUBSHELL:
		if ((pid = xfork()) < 0)
			return (2);
		if (pid == 0) {
			exec_child_signals(0);
			exec_in_child(n->a);
		}
		exec_wait_pid(pid, &st);
		return (st);
	}
	return (0);
}

/*
 * exec_node: run the tree n (NULL is an empty list: status 0) and
 * return its status, also stored in sh_status.
 */
int
exec_node(struct sh_node *n)
{
	struct saved sv = { NULL, 0 };
	int st = 0;

	if (n == NULL)
		return (0);
	switch (n->type) {
	case N_SIMPLE:
		st = exec_simple(n, 0);
		break;
	case N_PIPE:
		st = exec_pipe(n);
		break;
	case N_AND:
	case N_OR:
		st = exec_cond(n->a);
		if (!exec_stopped() && ((st == 0) == (n->type == N_AND)))
			st = exec_node(n->b);
		break;
	case N_SEQ:
		st = exec_node(n->a);
		if (!exec_stopped())
			st = exec_node(n->b);
		return (st);
	case N_BG:
		st = exec_background(n);
		break;
	case N_NOT:
		st = exec_cond(n->a) == 0;
		break;
	case N_FUNC:
		var_func_define(n->name, n->a);
		sh_keep_arena();
		st = 0;
		break;
	default:
		if (apply_redirs(n->redirs, &sv) != 0)
			st = 1;
		else
			st = exec_compound(n);
		restore_redirs(&sv);
		break;
	}
	if (sh_exiting)
		return (sh_status);
	sh_status = st;
	if (sh_opt_e && st != 0 && nocheck == 0 && n->type != N_NOT &&
	    n->type != N_AND && n->type != N_OR)
		sh_exiting = 1;
	return (st);
}
