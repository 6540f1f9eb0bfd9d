/*
 * arith.c - $(( expression )) evaluation.
 *
 * Signed long arithmetic by precedence climbing over the C operators a
 * shell script needs: unary + - ! ~, * / %, + -, << >>, < <= > >=,
 * == !=, &, ^, |, &&, ||, parentheses, decimal/octal/hex constants and
 * variable names (an unset or empty variable is 0).  Assignment
 * operators and ?: are not supported.  The text has already had its
 * $parameters expanded by expand.c.
 *
 * Errors (division by zero, bad syntax) print a message, set *err and
 * make the value 0.  Both sides of && and || are evaluated (there are no
 * side effects to skip).
 */

#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "sh.h"

struct arith {
	const char	*s;
	int		 err;
};

static long	ar_binary(struct arith *, int);

static void
ar_space(struct arith *a)
{
	while (isspace((unsigned char)*a->s))
		a->s++;
}

static void
ar_fail(struct arith *a, const char *msg)
{
	if (!a->err)
		sh_error("arithmetic: %s", msg);
	a->err = 1;
}

static long
ar_variable(struct arith *a)
{
	const char *st = a->s, *val;
	char name[128];
	size_t n;

	while (isalnum((unsigned char)*a->s) || *a->s == '_')
		a->s++;
	n = a->s - st;
	if (n >= sizeof(name)) {
		ar_fail(a, "name too long");
		return (0);
	}
	memcpy(name, st, n);
	name[n] = '\0';
	val = var_get(name);
	return (val != NULL ? strtol(val, NULL, 0) : 0);
}

static long
ar_primary(struct arith *a)
{
	long v;

	ar_space(a);
	if (*a->s == '(') {
		a->s++;
		v = ar_binary(a, 0);
		ar_space(a);
		if (*a->s != ')') {
			ar_fail(a, "missing ')'");
			return (0);
		}
		a->s++;
		return (v);
	}
	if (*a->s == '-' || *a->s == '+' || *a->s == '!' || *a->s == '~') {
		char op = *a->s++;

		v = ar_primary(a);
		return (op == '-' ? -v : op == '+' ? v : op == '!' ? !v : ~v);
	}
	if (isdigit((unsigned char)*a->s)) {
		char *end;

		v = strtol(a->s, &end, 0);
		a->s = end;
		return (v);
	}
	if (isalpha((unsigned char)*a->s) || *a->s == '_')
		return (ar_variable(a));
	ar_fail(a, "syntax error");
	return (0);
}

/* Two-character operators first, so that "<" does not eat "<=". */
static const struct {
	const char	*op;
	int		 prec;
} ar_ops[] = {
	{ "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 },
	{ ">=", 7 }, { "<<", 8 }, { ">>", 8 }, { "|", 3 }, { "^", 4 },
	{ "&", 5 }, { "<", 7 }, { ">", 7 }, { "+", 9 }, { "-", 9 },
	{ "*", 10 }, { "/", 10 }, { "%", 10 }, { NULL, 0 }
};

static long
ar_apply(struct arith *a, const char *op, long l, long r)
{
	switch (op[0]) {
	case '|': return (op[1] == '|' ? (l || r) : (l | r));
	case '&': return (op[1] == '&' ? (l && r) : (l & r));
	case '=': return (l == r);
	case '!': return (l != r);
	case '<': return (op[1] == '=' ? l <= r : op[1] == '<' ?
	    (long)((unsigned long)l << (r & 63)) : l < r);
	case '>': return (op[1] == '=' ? l >= r : op[1] == '>' ?
	    l >> (r & 63) : l > r);
	case '^': return (l ^ r);
	case '+': return ((long)((unsigned long)l + (unsigned long)r));
	case '-': return ((long)((unsigned long)l - (unsigned long)r));
	case '*': return ((long)((unsigned long)l * (unsigned long)r));
	case '/':
	case '%':
		if (r == 0 || (r == -1 && l < -0x7fffffffffffffffL)) {
			ar_fail(a, "division by zero or overflow");
			return (0);
		}
		return (op[0] == '/' ? l / r : l % r);
	}
	return (0);
}

/* Operators of precedence above minp, left associative. */
static long
ar_binary(struct arith *a, int minp)
{
	long l = ar_primary(a), r;
	int i;

	for (;;) {
		ar_space(a);
		for (i = 0; ar_ops[i].op != NULL; i++)
			if (strncmp(a->s, ar_ops[i].op,
			    strlen(ar_ops[i].op)) == 0)
				break;
		if (ar_ops[i].op == NULL || ar_ops[i].prec <= minp || a->err)
			return (l);
		a->s += strlen(ar_ops[i].op);
		r = ar_binary(a, ar_ops[i].prec);
		l = ar_apply(a, ar_ops[i].op, l, r);
	}
}

long
arith_eval(const char *s, int *err)
{
	struct arith a = { s, 0 };
	long v;

	v = ar_binary(&a, 0);
	ar_space(&a);
	if (*a.s != '\0')
		ar_fail(&a, "syntax error");
	*err = a.err;
	return (a.err ? 0 : v);
}
