/*
 * main.c - the shell's entry point and input loop.
 *
 *	sh [-eiux] [-c string [name [arg ...]]]
 *	sh [-eiux] [file [arg ...]]
 *	sh [-eiux]			(commands from stdin)
 *
 * Input comes from a struct input: a string (-c, eval, $(...)), a file
 * the shell opened (moved to descriptor 10 or above, close-on-exec) or
 * stdin.  stdin is read one byte at a time, so that commands run by the
 * shell can read the rest of it ("sh < script" where the script runs
 * "read"); files are read a block at a time.
 *
 * The loop reads one line, appends it to the text collected so far and
 * parses the whole text.  Incomplete (an open quote, an if without fi,
 * a here-document without its end) means "read another line"; complete
 * means run it, then start a new text.  So a long script is parsed and
 * run a command at a time, and a syntax error further down does not stop
 * the commands before it from running.
 *
 * A syntax error sets $? to 2; an interactive shell carries on with the
 * next line, a non-interactive one exits.  At end of input the shell
 * exits with the status of the last command.
 *
 * The shell is interactive when it reads commands from stdin and stdin
 * is a terminal (or -i): it then prints the prompt "# " (uid 0) or "$ "
 * ("> " while a command is incomplete) on stderr and ignores SIGINT and
 * SIGQUIT.
 */

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "sh.h"

int	 sh_status;
int	 sh_subst_ran;
long	 sh_lastbg;
long	 sh_pid;
int	 sh_interactive;
int	 sh_exiting;
int	 sh_loopctl;
int	 sh_loopbreak;
int	 sh_returning;
int	 sh_loopdepth;
int	 sh_funcdepth;
int	 sh_dotdepth;
int	 sh_opt_e, sh_opt_x, sh_opt_u;
char	*sh_name = "sh";

extern char	**environ;

struct input {
	const char	*str;		/* string source, or NULL */
	size_t		 slen, spos;
	int		 fd;		/* fd source, if str == NULL */
	int		 bytewise;	/* read 1 byte at a time (stdin) */
	char		 buf[4096];
	size_t		 bpos, blen;
	int		 eof;
};

/* Arenas holding function bodies: freed only at exit. */
static struct kept {
	struct kept	*next;
	struct sh_arena	*arena;
}		*kept;
static int	 keep_flag;

void
sh_error(const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "sh: %s\n", buf);
}

static void
nomem(void)
{
	static const char msg[] = "sh: out of memory\n";

	write(2, msg, sizeof(msg) - 1);
	_exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		nomem();
	return (p);
}

void *
xrealloc(void *o, size_t n)
{
	void *p = realloc(o, n != 0 ? n : 1);

	if (p == NULL)
		nomem();
	return (p);
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return (memcpy(xmalloc(n), s, n));
}

/* The arena of the command being run holds a function body: keep it. */
void
sh_keep_arena(void)
{
	keep_flag = 1;
}

/* One byte of input, or -1 at end (or on a read error). */
static int
in_getc(struct input *in)
{
	ssize_t n;

	if (in->str != NULL)
		return (in->spos < in->slen ?
		    (unsigned char)in->str[in->spos++] : -1);
	if (in->bpos == in->blen) {
		if (in->eof)
			return (-1);
		do
			n = read(in->fd, in->buf, in->bytewise ? 1 :
			    sizeof(in->buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			in->eof = 1;
			return (-1);
		}
		in->bpos = 0;
		in->blen = n;
	}
	return ((unsigned char)in->buf[in->bpos++]);
}

/*
 * Append one line (with its newline, if any) to *text.  Returns 0, or -1
 * at end of input with nothing read.
 */
static int
read_line(struct input *in, char **text, size_t *len, size_t *cap)
{
	int c, got = 0;

	while ((c = in_getc(in)) >= 0) {
		if (*len + 2 > *cap) {
			*cap = *cap < 128 ? 256 : *cap * 2;
			*text = xrealloc(*text, *cap);
		}
		(*text)[(*len)++] = c;
		got = 1;
		if (c == '\n')
			break;
	}
	if (*text != NULL)
		(*text)[*len] = '\0';
	return (got ? 0 : -1);
}

static void
prompt(int more)
{
	const char *p = more ? "> " : (getuid() == 0 ? "# " : "$ ");

	fflush(stdout);
	write(2, p, strlen(p));
}

/*
 * Parse and run one text.  Returns 1 if it is incomplete (and final is
 * not set), -1 after a syntax error, 0 when it ran.
 */
static int
run_complete(const char *text, size_t len, int final)
{
	struct sh_arena *ar = sh_arena_new();
	struct sh_node *tree;
	const char *err;
	int r, saved_keep = keep_flag;

	r = sh_parse(text, len, ar, &tree, &err);
	if (r == P_INCOMPLETE && !final) {
		sh_arena_free(ar);
		return (1);
	}
	if (r != P_OK) {
		sh_error("%s", r == P_INCOMPLETE ?
		    "syntax error: unexpected end of file" : err);
		sh_status = 2;
		sh_arena_free(ar);
		return (-1);
	}
	keep_flag = 0;
	exec_node(tree);
	if (keep_flag) {
		struct kept *k = xmalloc(sizeof(*k));

		k->arena = ar;
		k->next = kept;
		kept = k;
	} else
		sh_arena_free(ar);
	keep_flag = saved_keep;
	return (0);
}

/*
 * Run commands from in until its end, exit, or (non-interactive shell)
 * a syntax error.  Returns the last status.
 */
static int
run_input(struct input *in, int interactive)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	int r, eof;

	while (!sh_exiting && !sh_returning) {
		if (interactive) {
			exec_reap();
			prompt(len > 0);
		}
		eof = read_line(in, &text, &len, &cap) != 0;
		if (eof && len == 0)
			break;
		r = run_complete(text, len, eof);
		if (r > 0)
			continue;
		len = 0;
		if (r < 0 && !sh_interactive) {
			sh_exiting = 1;
			break;
		}
		if (eof)
			break;
	}
	free(text);
	return (sh_status);
}

/* sh_run_text: run a string as commands (-c). */
int
sh_run_text(const char *s, size_t len, int interactive)
{
	struct input in;

	memset(&in, 0, sizeof(in));
	in.str = s;
	in.slen = len;
	return (run_input(&in, interactive));
}

/* exec_eval_string: eval and $(...) (in_child: in the forked child). */
int
exec_eval_string(const char *s, int in_child)
{
	return (sh_run_text(s, strlen(s), 0));
}

/*
 * exec_run_file: run the commands of a file in this shell (scripts,
 * the . builtin).  Returns the last status; 127 if it does not exist,
 * 126 if it cannot be opened.
 */
int
exec_run_file(const char *path)
{
	struct input *in;
	int fd, hi, st;

	if ((fd = open(path, O_RDONLY)) < 0) {
		st = errno == ENOENT ? 127 : 126;
		sh_error("%s: %s", path, strerror(errno));
		return (st);
	}
	hi = fcntl(fd, F_DUPFD, 10);
	if (hi >= 0) {
		close(fd);
		fd = hi;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	in = xmalloc(sizeof(*in));
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	st = run_input(in, 0);
	close(fd);
	free(in);
	return (st);
}

static void
cleanup(void)
{
	struct kept *k;

	while ((k = kept) != NULL) {
		kept = k->next;
		sh_arena_free(k->arena);
		free(k);
	}
	var_free_all();
	exec_jobs_free();
}

static void
usage(void)
{
	fprintf(stderr, "usage: sh [-eiux] [-c string [name [arg ...]] | "
	    "file [arg ...]]\n");
	exit(2);
}

/* Parse leading options; returns the index of the first operand. */
static int
options(int argc, char **argv, int *c_opt, int *force_i)
{
	const char *o;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return (i + 1);
		for (o = argv[i] + 1; *o != '\0'; o++) {
			switch (*o) {
			case 'c': *c_opt = 1; break;
			case 'e': sh_opt_e = 1; break;
			case 'i': *force_i = 1; break;
			case 's': break;
			case 'u': sh_opt_u = 1; break;
			case 'x': sh_opt_x = 1; break;
			default: usage();
			}
		}
	}
	return (i);
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int i, force_i = 0, c_opt = 0;
	struct input in;

	sh_pid = getpid();
	var_init(environ);
	if (var_get("PATH") == NULL)
		var_set("PATH", "/bin:/sbin", 1);
	i = options(argc, argv, &c_opt, &force_i);
	sh_name = argv[0];
	if (c_opt) {
		if (i >= argc)
			usage();
		cmd = argv[i++];
		if (i < argc)
			sh_name = argv[i++];
		var_set_args(argc - i, argv + i);
		sh_run_text(cmd, strlen(cmd), 0);
	} else if (i < argc) {
		sh_name = argv[i];
		var_set_args(argc - i - 1, argv + i + 1);
		sh_status = exec_run_file(argv[i]);
	} else {
		sh_interactive = force_i || isatty(0);
		if (sh_interactive) {
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
		}
		memset(&in, 0, sizeof(in));
		in.fd = 0;
		in.bytewise = 1;
		run_input(&in, sh_interactive);
	}
	i = sh_status;
	cleanup();
	fflush(NULL);
	return (i);
}
