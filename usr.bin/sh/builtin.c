/*
 * builtin.c - commands run inside the shell process.
 *
 * Some must be builtins because they change the shell itself (cd, exit,
 * export, unset, set, shift, wait, break, continue, return, ., eval,
 * read); others are here because scripts use them constantly and a
 * fork+exec per test would be slow (echo, printf, pwd, true, false,
 * test, [).
 * The external /bin/echo and /bin/pwd, if present, behave the same.
 *
 * Every builtin is int fn(int argc, char **argv) and returns its exit
 * status; errors go to stderr as "sh: NAME: message".  They write with
 * stdio on stdout; exec.c flushes stdout before undoing a redirection.
 * "exec" is handled in exec.c because its redirections must persist.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sh.h"

static int
b_true(int argc, char **argv)
{
	return (0);
}

static int
b_false(int argc, char **argv)
{
	return (1);
}

/* cd [dir | -]: no operand means $HOME, or / without one. */
static int
b_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	char buf[PATH_MAX];
	int print = 0;

	if (dir == NULL || dir[0] == '\0')
		dir = "/";
	if (strcmp(dir, "-") == 0) {
		if ((dir = var_get("OLDPWD")) == NULL) {
			sh_error("cd: OLDPWD not set");
			return (1);
		}
		print = 1;
	}
	if (chdir(dir) != 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return (1);
	}
	if (var_get("PWD") != NULL)
		var_set("OLDPWD", var_get("PWD"), 0);
	if (getcwd(buf, sizeof(buf)) != NULL) {
		var_set("PWD", buf, 0);
		if (print)
			printf("%s\n", buf);
	}
	return (0);
}

static int
b_pwd(int argc, char **argv)
{
	char buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) == NULL) {
		sh_error("pwd: %s", strerror(errno));
		return (1);
	}
	printf("%s\n", buf);
	return (0);
}

/* echo [-n] args: no backslash escapes. */
static int
b_echo(int argc, char **argv)
{
	int i = 1, nl = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		nl = 0;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (nl)
		putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout)) {
		clearerr(stdout);
		return (1);
	}
	return (0);
}

/*
 * One backslash escape of printf at s (just after the \); writes the
 * character to *c and returns how many characters it used.
 */
static int
pf_escape(const char *s, char *c)
{
	static const char from[] = "\\abfnrtv\"'", to[] = "\\\a\b\f\n\r\t\v\"'";
	const char *p = strchr(from, *s);
	int n = 0, v = 0;

	if (*s != '\0' && p != NULL) {
		*c = to[p - from];
		return (1);
	}
	if (*s == '0' || (*s >= '1' && *s <= '7')) {
		if (*s == '0')
			n++;
		while (n < 4 && s[n] >= '0' && s[n] <= '7')
			v = v * 8 + (s[n++] - '0');
		*c = (char)v;
		return (n);
	}
	*c = '\\';
	return (0);
}

/* One conversion spec (flags, width, precision, letter) with its arg. */
static void
pf_convert(const char *spec, size_t n, const char *arg)
{
	char fmt[64], conv = spec[n - 1];
	char *end;

	if (n + 2 > sizeof(fmt))
		return;
	memcpy(fmt, spec, n - 1);
	fmt[n - 1] = '\0';
	switch (conv) {
	case 's':
		strcat(fmt, "s");
		printf(fmt, arg);
		break;
	case 'c':
		strcat(fmt, "c");
		printf(fmt, arg[0]);
		break;
	case 'd':
	case 'i':
		strcat(fmt, "ld");
		printf(fmt, strtol(arg, &end, 0));
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt[n - 1] = 'l';
		fmt[n] = conv;
		fmt[n + 1] = '\0';
		printf(fmt, strtoul(arg, &end, 0));
		break;
	}
}

/*
 * printf FORMAT [args]: %s %c %d %i %u %x %X %o %% with flags, width
 * and precision, and backslash escapes; the format is reused while
 * arguments remain.  Missing arguments are "" or 0.
 */
static int
b_printf(int argc, char **argv)
{
	const char *f, *s;
	int ai = 2, used;
	char c;
	size_t n;

	if (argc < 2) {
		sh_error("printf: usage: printf format [arg ...]");
		return (2);
	}
	do {
		used = 0;
		for (f = argv[1]; *f != '\0'; f++) {
			if (*f == '\\') {
				f += pf_escape(f + 1, &c);
				putchar(c);
				continue;
			}
			if (*f != '%') {
				putchar(*f);
				continue;
			}
			if (f[1] == '%') {
				putchar('%');
				f++;
				continue;
			}
			s = f;
			n = 1 + strspn(f + 1, "-+ #0123456789.");
			if (f[n] == '\0' || strchr("scdiuxXo", f[n]) == NULL) {
				sh_error("printf: bad conversion %.*s",
				    (int)n + 1, f);
				fflush(stdout);
				return (1);
			}
			pf_convert(s, n + 1, ai < argc ? argv[ai] :
			    (f[n] == 's' || f[n] == 'c' ? "" : "0"));
			if (ai < argc)
				ai++;
			used = 1;
			f += n;
		}
	} while (used && ai < argc);
	return (fflush(stdout) != 0 ? 1 : 0);
}

/* Parse a status operand; -1 if it is not a number. */
static int
number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0)
		return (-1);
	return ((int)(v & 0xff));
}

static int
b_exit(int argc, char **argv)
{
	int st = sh_status;

	if (argc > 1 && (st = number(argv[1])) < 0) {
		sh_error("exit: %s: numeric argument required", argv[1]);
		st = 2;
	}
	sh_status = st;
	sh_exiting = 1;
	return (st);
}

static int
b_return(int argc, char **argv)
{
	int st = sh_status;

	if (argc > 1 && (st = number(argv[1])) < 0) {
		sh_error("return: %s: numeric argument required", argv[1]);
		st = 2;
	}
	sh_status = st;
	if (sh_funcdepth == 0 && sh_dotdepth == 0) {
		/* Neither in a function nor in a . file: stop like exit. */
		sh_exiting = 1;
		return (st);
	}
	sh_returning = 1;
	return (st);
}

/* break [n] (which = 1) and continue [n] (which = 2). */
static int
loopctl(int argc, char **argv, int which)
{
	int n = 1;

	if (argc > 1 && (n = number(argv[1])) <= 0) {
		sh_error("%s: bad count", argv[0]);
		return (1);
	}
	if (sh_loopdepth == 0)
		return (0);
	if (n > sh_loopdepth)
		n = sh_loopdepth;
	sh_loopctl = n;
	sh_loopbreak = which;
	return (0);
}

static int
b_break(int argc, char **argv)
{
	return (loopctl(argc, argv, 1));
}

static int
b_continue(int argc, char **argv)
{
	return (loopctl(argc, argv, 2));
}

/* export [NAME[=value] ...]; no operand lists the exported variables. */
static int
b_export(int argc, char **argv)
{
	int i, st = 0;
	char *eq;

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
		var_print(1);
		return (0);
	}
	for (i = 1; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) != NULL) {
			*eq = '\0';
			if (var_set(argv[i], eq + 1, 1) != 0) {
				sh_error("export: %s: bad variable name",
				    argv[i]);
				st = 1;
			}
			*eq = '=';
		} else if (var_export(argv[i]) != 0) {
			sh_error("export: %s: bad variable name", argv[i]);
			st = 1;
		}
	}
	return (st);
}

static int
b_unset(int argc, char **argv)
{
	int i = 1, funcs = 0;

	if (i < argc && strcmp(argv[i], "-f") == 0) {
		funcs = 1;
		i++;
	} else if (i < argc && strcmp(argv[i], "-v") == 0)
		i++;
	for (; i < argc; i++) {
		if (funcs)
			var_func_unset(argv[i]);
		else
			var_unset(argv[i]);
	}
	return (0);
}

/* wait [PID ...]: all jobs (status 0), or each PID (the last's status). */
static int
b_wait(int argc, char **argv)
{
	int i, st = 0;
	char *end;
	long pid;

	if (argc == 1)
		return (exec_wait_all());
	for (i = 1; i < argc; i++) {
		pid = strtol(argv[i], &end, 10);
		if (*end != '\0' || pid <= 0) {
			sh_error("wait: %s: bad process id", argv[i]);
			st = 2;
			continue;
		}
		st = exec_wait_job(pid);
	}
	return (st);
}

static int
b_shift(int argc, char **argv)
{
	int n = 1;

	if (argc > 1 && (n = number(argv[1])) < 0)
		n = -1;
	if (var_shift(n) != 0) {
		sh_error("shift: can't shift that many");
		return (1);
	}
	return (0);
}

/* set [-eux] [+eux] [--] [args]: options and positional parameters. */
static int
b_set(int argc, char **argv)
{
	int i, dashdash = 0;

	if (argc == 1) {
		var_print(0);
		return (0);
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int on = a[0] == '-';

		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			i++;
			break;
		}
		if ((a[0] != '-' && a[0] != '+') || a[1] == '\0')
			break;
		for (a++; *a != '\0'; a++) {
			switch (*a) {
			case 'e': sh_opt_e = on; break;
			case 'u': sh_opt_u = on; break;
			case 'x': sh_opt_x = on; break;
			default:
				sh_error("set: -%c: unknown option", *a);
				return (2);
			}
		}
	}
	if (i < argc || dashdash)
		var_set_args(argc - i, argv + i);
	return (0);
}

static int
b_eval(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i, st;

	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 1; i < argc; i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	st = exec_eval_string(s, 0);
	free(s);
	return (st);
}

/* . FILE: run FILE in this shell; a FILE without / is looked up in PATH. */
static int
b_dot(int argc, char **argv)
{
	const char *path, *p, *colon;
	char *full = NULL;
	struct stat st;
	size_t n;
	int r;

	if (argc < 2) {
		sh_error(".: filename argument required");
		return (2);
	}
	if (strchr(argv[1], '/') == NULL) {
		if ((path = var_get("PATH")) == NULL)
			path = "/bin:/sbin";
		for (p = path;; p = colon + 1) {
			colon = strchr(p, ':');
			n = colon != NULL ? (size_t)(colon - p) : strlen(p);
			full = xrealloc(full, n + strlen(argv[1]) + 2);
			sprintf(full, "%.*s%s%s", (int)n, p, n > 0 ? "/" : "",
			    argv[1]);
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
				break;
			free(full);
			full = NULL;
			if (colon == NULL)
				break;
		}
	}
	sh_dotdepth++;
	r = exec_run_file(full != NULL ? full : argv[1]);
	sh_dotdepth--;
	if (sh_returning) {		/* return ended the . file */
		sh_returning = 0;
		r = sh_status;
	}
	free(full);
	return (r);
}

/* Read one line from fd 0 a byte at a time (nothing after it is
 * consumed).  Escaped characters are marked with a \001 before them
 * unless raw.  Returns the line (malloc()ed) and *eof. */
static char *
read_raw_line(int raw, int *eof)
{
	char *line = xmalloc(64), c;
	size_t n = 0, cap = 64;
	ssize_t r;

	*eof = 0;
	for (;;) {
		r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*eof = 1;
			break;
		}
		if (c == '\n')
			break;
		if (n + 3 > cap) {
			cap *= 2;
			line = xrealloc(line, cap);
		}
		if (c == '\\' && !raw) {
			if (read(0, &c, 1) != 1) {
				*eof = 1;
				break;
			}
			if (c == '\n')
				continue;
			line[n++] = '\001';
		}
		line[n++] = c;
	}
	line[n] = '\0';
	return (line);
}

/*
 * read [-r] NAME...: one line from stdin, split on IFS; the last NAME
 * gets the rest of the line.  Status 1 at end of file.
 */
static int
b_read(int argc, char **argv)
{
	static char *reply[] = { "read", "REPLY", NULL };
	const char *ifs = var_get("IFS");
	char *line, *p, *val;
	int i = 1, raw = 0, eof;
	size_t o;

	if (ifs == NULL)
		ifs = " \t\n";
	if (i < argc && strcmp(argv[i], "-r") == 0) {
		raw = 1;
		i++;
	}
	if (i >= argc) {
		argv = reply;
		argc = 2;
		i = 1;
	}
	line = read_raw_line(raw, &eof);
	val = xmalloc(strlen(line) + 1);
	for (p = line; i < argc; i++) {
		o = 0;
		while (*p != '\0' && strchr(ifs, *p) != NULL &&
		    strchr(" \t\n", *p) != NULL)
			p++;
		while (*p != '\0') {
			if (*p == '\001' && p[1] != '\0') {
				val[o++] = p[1];
				p += 2;
				continue;
			}
			if (i < argc - 1 && strchr(ifs, *p) != NULL)
				break;
			val[o++] = *p++;
		}
		if (i == argc - 1)
			while (o > 0 && strchr(ifs, val[o - 1]) != NULL &&
			    strchr(" \t\n", val[o - 1]) != NULL)
				o--;
		val[o] = '\0';
		if (*p != '\0')
			p++;
		if (var_set(argv[i], val, 0) != 0)
			sh_error("read: %s: bad variable name", argv[i]);
	}
	free(val);
	free(line);
	return (eof ? 1 : 0);
}

/* ---- test / [ ---- */

static int
test_unary(const char *op, const char *a)
{
	struct stat st;

	switch (op[1]) {
	case 'n': return (a[0] != '\0');
	case 'z': return (a[0] == '\0');
	case 't': return (isatty(atoi(a)));
	case 'r': return (access(a, R_OK) == 0);
	case 'w': return (access(a, W_OK) == 0);
	case 'x': return (access(a, X_OK) == 0);
	case 'h':
	case 'L': return (lstat(a, &st) == 0 && S_ISLNK(st.st_mode));
	}
	if (stat(a, &st) != 0)
		return (0);
	switch (op[1]) {
	case 'e': return (1);
	case 'f': return (S_ISREG(st.st_mode));
	case 'd': return (S_ISDIR(st.st_mode));
	case 's': return (st.st_size > 0);
	case 'p': return (S_ISFIFO(st.st_mode));
	case 'c': return (S_ISCHR(st.st_mode));
	case 'b': return (S_ISBLK(st.st_mode));
	}
	return (0);
}

static int
is_unary(const char *op)
{
	return (op[0] == '-' && op[1] != '\0' && op[2] == '\0' &&
	    strchr("nztrwxhLefdspcb", op[1]) != NULL);
}

static long
test_num(const char *s, int *err)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0') {
		sh_error("test: %s: integer expected", s);
		*err = 1;
	}
	return (v);
}

static int
test_binary(const char *a, const char *op, const char *b, int *err)
{
	long x, y;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return (strcmp(a, b) == 0);
	if (strcmp(op, "!=") == 0)
		return (strcmp(a, b) != 0);
	if (strcmp(op, "<") == 0)
		return (strcmp(a, b) < 0);
	if (strcmp(op, ">") == 0)
		return (strcmp(a, b) > 0);
	x = test_num(a, err);
	y = test_num(b, err);
	if (strcmp(op, "-eq") == 0)
		return (x == y);
	if (strcmp(op, "-ne") == 0)
		return (x != y);
	if (strcmp(op, "-lt") == 0)
		return (x < y);
	if (strcmp(op, "-le") == 0)
		return (x <= y);
	if (strcmp(op, "-gt") == 0)
		return (x > y);
	if (strcmp(op, "-ge") == 0)
		return (x >= y);
	sh_error("test: %s: unknown operator", op);
	*err = 1;
	return (0);
}

static int
is_binop(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq",
	    "-ne", "-lt", "-le", "-gt", "-ge", NULL };
	int i;

	for (i = 0; ops[i] != NULL; i++)
		if (strcmp(s, ops[i]) == 0)
			return (1);
	return (0);
}

/* test over v[0..n): -o lowest, then -a, then !, then primaries. */
static int
test_expr(char **v, int n, int *err)
{
	int i;

	if (n == 0)
		return (0);
	if (n == 1)
		return (v[0][0] != '\0');
	if (n == 2 && strcmp(v[0], "!") == 0)
		return (!test_expr(v + 1, 1, err));
	if (n == 2 && is_unary(v[0]))
		return (test_unary(v[0], v[1]));
	if (n == 3 && is_binop(v[1]))
		return (test_binary(v[0], v[1], v[2], err));
	for (i = n - 2; i >= 1; i--)
		if (strcmp(v[i], "-o") == 0)
			return (test_expr(v, i, err) |
			    test_expr(v + i + 1, n - i - 1, err));
	for (i = n - 2; i >= 1; i--)
		if (strcmp(v[i], "-a") == 0)
			return (test_expr(v, i, err) &
			    test_expr(v + i + 1, n - i - 1, err));
	if (strcmp(v[0], "!") == 0)
		return (!test_expr(v + 1, n - 1, err));
	if (n == 3 && strcmp(v[0], "(") == 0 && strcmp(v[2], ")") == 0)
		return (test_expr(v + 1, 1, err));
	sh_error("test: syntax error");
	*err = 1;
	return (0);
}

static int
b_test(int argc, char **argv)
{
	int err = 0, r;

	if (strcmp(argv[0], "[") == 0) {
		if (strcmp(argv[argc - 1], "]") != 0) {
			sh_error("[: missing ]");
			return (2);
		}
		argc--;
	}
	r = test_expr(argv + 1, argc - 1, &err);
	return (err ? 2 : !r);
}

static const struct builtin {
	const char	*name;
	sh_builtin_fn	*fn;
	int		 special;	/* POSIX special builtin */
} builtins[] = {
	{ ":", b_true, 1 },
	{ ".", b_dot, 1 },
	{ "[", b_test, 0 },
	{ "break", b_break, 1 },
	{ "cd", b_cd, 0 },
	{ "continue", b_continue, 1 },
	{ "echo", b_echo, 0 },
	{ "eval", b_eval, 1 },
	{ "exit", b_exit, 1 },
	{ "export", b_export, 1 },
	{ "false", b_false, 0 },
	{ "printf", b_printf, 0 },
	{ "pwd", b_pwd, 0 },
	{ "read", b_read, 0 },
	{ "return", b_return, 1 },
	{ "set", b_set, 1 },
	{ "shift", b_shift, 1 },
	{ "test", b_test, 0 },
	{ "true", b_true, 0 },
	{ "unset", b_unset, 1 },
	{ "wait", b_wait, 0 },
	{ NULL, NULL, 0 }
};

/* builtin_find: the builtin called name, or NULL; *special is set. */
sh_builtin_fn *
builtin_find(const char *name, int *special)
{
	int i;

	for (i = 0; builtins[i].name != NULL; i++) {
		if (strcmp(builtins[i].name, name) == 0) {
			*special = builtins[i].special;
			return (builtins[i].fn);
		}
	}
	return (NULL);
}
