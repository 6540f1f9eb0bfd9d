/*
 * test, [: evaluate a conditional expression.
 *
 *   test expression
 *   [ expression ]
 *
 * Exit status 0 if the expression is true, 1 if false, 2 on an error
 * (bad syntax, bad integer, missing "]").  Invoked as "[" (argv[0]'s
 * last component), the last argument must be "]" and is dropped.
 *
 * Primaries: -e -f -d -s -r -w -x -L -h -b -c -p -S (files; -L and -h
 * do not follow a final symbolic link, the others do), -z -n (string
 * length), -t fd; s1 = s2, s1 != s2; n1 -eq -ne -lt -le -gt -ge n2
 * (decimal integers, blanks around allowed); a lone string is true if
 * non-empty.  Operators: ! (not), -a (and, binds tighter), -o (or), and
 * parentheses.  Up to four arguments are decided by the POSIX rules,
 * which go by the number of arguments (t_posix): so "test ! = x"
 * compares "!" with "x", "test -n" (one argument) is true, and
 * "test ( ! )" is true.
 *
 * Longer expressions go to a recursive-descent parser over argv: t_or
 * -> t_and -> t_not -> t_primary, with the position in t_pos; a binary
 * operator in second position wins there too.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char	**t_argv;
static int	t_argc;
static int	t_pos;

static int	t_or(void);

static void
t_error(const char *msg, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "test: %s: %s\n", arg, msg);
	else
		fprintf(stderr, "test: %s\n", msg);
	exit(2);
}

/* Arguments left from the current position. */
static int
t_left(void)
{
	return (t_argc - t_pos);
}

static int
t_isbinop(const char *s)
{
	static const char *ops[] = { "=", "!=", "-eq", "-ne", "-lt", "-le",
	    "-gt", "-ge", NULL };
	int i;

	for (i = 0; ops[i] != NULL; i++)
		if (strcmp(s, ops[i]) == 0)
			return (1);
	return (0);
}

static int
t_isunop(const char *s)
{
	return (s[0] == '-' && s[1] != '\0' && s[2] == '\0' &&
	    strchr("efdsrwxLhbcpSznt", s[1]) != NULL);
}

/* A decimal integer operand; exits on a bad one. */
static long long
t_int(const char *s)
{
	const char *p;
	char *end;
	long long v;

	p = s;
	while (isspace((unsigned char)*p))
		p++;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (end == p || errno != 0)
		t_error("integer expression expected", s);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		t_error("integer expression expected", s);
	return (v);
}

/* Evaluate "a op b" for a binary operator. */
static int
t_binary(const char *a, const char *op, const char *b)
{
	long long x, y;

	if (strcmp(op, "=") == 0)
		return (strcmp(a, b) == 0);
	if (strcmp(op, "!=") == 0)
		return (strcmp(a, b) != 0);
	x = t_int(a);
	y = t_int(b);
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
	return (x >= y);
}

/* Evaluate "-op arg" for a unary operator. */
static int
t_unary(char op, const char *arg)
{
	struct stat st;

	switch (op) {
	case 'z':
		return (arg[0] == '\0');
	case 'n':
		return (arg[0] != '\0');
	case 't':
		return (isatty((int)t_int(arg)));
	case 'r':
		return (access(arg, R_OK) == 0);
	case 'w':
		return (access(arg, W_OK) == 0);
	case 'x':
		return (access(arg, X_OK) == 0);
	case 'L':
	case 'h':
		return (lstat(arg, &st) == 0 && S_ISLNK(st.st_mode));
	}
	if (stat(arg, &st) != 0)
		return (0);
	switch (op) {
	case 'e':
		return (1);
	case 'f':
		return (S_ISREG(st.st_mode));
	case 'd':
		return (S_ISDIR(st.st_mode));
	case 's':
		return (st.st_size > 0);
	case 'b':
		return (S_ISBLK(st.st_mode));
	case 'c':
		return (S_ISCHR(st.st_mode));
	case 'p':
		return (S_ISFIFO(st.st_mode));
	case 'S':
		return (S_ISSOCK(st.st_mode));
	}
	return (0);
}

/* primary: ( expr ) | unop arg | arg binop arg | arg */
static int
t_primary(void)
{
	const char *a;
	int v;

	if (t_left() <= 0)
		t_error("argument expected", NULL);
	a = t_argv[t_pos];
	if (t_left() >= 3 && t_isbinop(t_argv[t_pos + 1])) {
		t_pos += 3;
		return (t_binary(a, t_argv[t_pos - 2], t_argv[t_pos - 1]));
	}
	if (strcmp(a, "(") == 0 && t_left() >= 2) {
		t_pos++;
		v = t_or();
		if (t_left() <= 0 || strcmp(t_argv[t_pos], ")") != 0)
			t_error("closing paren expected", NULL);
		t_pos++;
		return (v);
	}
	if (t_isunop(a) && t_left() >= 2) {
		t_pos += 2;
		return (t_unary(a[1], t_argv[t_pos - 1]));
	}
	t_pos++;
	return (a[0] != '\0');
}

/* not: ! not | primary */
static int
t_not(void)
{
	if (t_left() >= 2 && strcmp(t_argv[t_pos], "!") == 0 &&
	    !(t_left() >= 3 && t_isbinop(t_argv[t_pos + 1]))) {
		t_pos++;
		return (!t_not());
	}
	return (t_primary());
}

/* and: not (-a not)* */
static int
t_and(void)
{
	int v;

	v = t_not();
	while (t_left() >= 2 && strcmp(t_argv[t_pos], "-a") == 0) {
		t_pos++;
		v = t_not() && v;
	}
	return (v);
}

/* or: and (-o and)* */
static int
t_or(void)
{
	int v;

	v = t_and();
	while (t_left() >= 2 && strcmp(t_argv[t_pos], "-o") == 0) {
		t_pos++;
		v = t_and() || v;
	}
	return (v);
}

/*
 * The POSIX rules for n <= 4 arguments at a (they decide by count, not
 * by grammar).  Returns the value, or -1 when the general parser should
 * decide.
 */
static int
t_posix(int n, char **a)
{
	int v;

	switch (n) {
	case 0:
		return (0);
	case 1:
		return (a[0][0] != '\0');
	case 2:
		if (strcmp(a[0], "!") == 0)
			return (!t_posix(1, a + 1));
		if (t_isunop(a[0]))
			return (t_unary(a[0][1], a[1]));
		return (-1);
	case 3:
		if (t_isbinop(a[1]))
			return (t_binary(a[0], a[1], a[2]));
		if (strcmp(a[1], "-a") == 0)
			return (a[0][0] != '\0' && a[2][0] != '\0');
		if (strcmp(a[1], "-o") == 0)
			return (a[0][0] != '\0' || a[2][0] != '\0');
		if (strcmp(a[0], "!") == 0) {
			v = t_posix(2, a + 1);
			return (v < 0 ? -1 : !v);
		}
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return (t_posix(1, a + 1));
		return (-1);
	case 4:
		if (strcmp(a[0], "!") == 0) {
			v = t_posix(3, a + 1);
			return (v < 0 ? -1 : !v);
		}
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return (t_posix(2, a + 1));
		return (-1);
	}
	return (-1);
}

int
main(int argc, char **argv)
{
	const char *base;
	int v;

	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
			fprintf(stderr, "[: missing ]\n");
			return (2);
		}
		argc--;
	}
	t_argv = argv + 1;
	t_argc = argc - 1;
	t_pos = 0;
	if ((v = t_posix(t_argc, t_argv)) >= 0)
		return (!v);
	v = t_or();
	if (t_pos != t_argc)
		t_error("unexpected argument", t_argv[t_pos]);
	return (!v);
}
