/*
 * var.c - shell variables, the environment of commands, positional
 * parameters and shell functions.
 *
 * Variables live in one singly linked list of struct var (a shell has
 * tens of them; a linear search costs nothing next to a fork).  Each has
 * an "exported" flag: the environment handed to execve() is built from
 * the exported ones by var_environ(), never from the C library's
 * environ, so the shell does not depend on setenv() semantics.  The
 * variables imported from the environment at start are exported.
 *
 * Positional parameters ($1 .. $N) are one malloc()ed vector; a function
 * call swaps in its own with var_args_push() and puts the caller's back
 * with var_args_pop().
 *
 * Functions are kept by name with a pointer to their body; the body's
 * parse arena is kept alive by main.c (sh_keep_arena()).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "sh.h"

struct var {
	struct var	*next;
	char		*name;
	char		*value;		/* NULL: exported but never set */
	int		 exported;
};

struct func {
	struct func	*next;
	char		*name;
	struct sh_node	*body;
};

static struct var	*vars;
static struct func	*funcs;
static struct sh_args	 args;

int
var_valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return (0);
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return (0);
	return (1);
}

static struct var *
var_find(const char *name)
{
	struct var *v;

	for (v = vars; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return (v);
	return (NULL);
}

/* Import the environment: every NAME=value with a valid NAME, exported. */
void
var_init(char **envp)
{
	char *eq, *name;

	for (; envp != NULL && *envp != NULL; envp++) {
		eq = strchr(*envp, '=');
		if (eq == NULL || !var_valid_name(*envp, eq - *envp))
			continue;
		name = xmalloc(eq - *envp + 1);
		memcpy(name, *envp, eq - *envp);
		name[eq - *envp] = '\0';
		var_set(name, eq + 1, 1);
		free(name);
	}
}

const char *
var_get(const char *name)
{
	struct var *v = var_find(name);

	return (v != NULL ? v->value : NULL);
}

/*
 * var_set: give NAME the value (NULL: leave the value as it is).
 * export > 0 marks it exported; 0 keeps the flag it had.  Returns 0, or
 * -1 for an invalid name.
 */
int
var_set(const char *name, const char *value, int export)
{
	struct var *v;

	if (!var_valid_name(name, strlen(name)))
		return (-1);
	if ((v = var_find(name)) == NULL) {
		v = xmalloc(sizeof(*v));
		v->name = xstrdup(name);
		v->value = NULL;
		v->exported = 0;
		v->next = vars;
		vars = v;
	}
	if (value != NULL) {
		char *nv = xstrdup(value);

		free(v->value);
		v->value = nv;
	}
	if (export > 0)
		v->exported = 1;
	return (0);
}

int
var_unset(const char *name)
{
	struct var **vp, *v;

	for (vp = &vars; (v = *vp) != NULL; vp = &v->next) {
		if (strcmp(v->name, name) == 0) {
			*vp = v->next;
			free(v->name);
			free(v->value);
			free(v);
			return (0);
		}
	}
	return (-1);
}

int
var_export(const char *name)
{
	return (var_set(name, NULL, 1));
}

/*
 * var_environ: a NULL-terminated environment for execve(): the exported
 * variables that have a value, then the n "NAME=value" strings of
 * extra, which override them.  Everything is malloc()ed; it is meant
 * for a child that is about to exec, so nobody frees it.
 */
char **
var_environ(char **extra, int n)
{
	struct var *v;
	char **env;
	int cnt = 0, i, j;

	for (v = vars; v != NULL; v = v->next)
		cnt++;
	env = xmalloc((cnt + n + 1) * sizeof(*env));
	cnt = 0;
	for (v = vars; v != NULL; v = v->next) {
		size_t nl;
		char *s;

		if (!v->exported || v->value == NULL)
			continue;
		nl = strlen(v->name);
		for (j = 0; j < n; j++)
			if (strncmp(extra[j], v->name, nl) == 0 &&
			    extra[j][nl] == '=')
				break;
		if (j < n)
			continue;
		s = xmalloc(nl + strlen(v->value) + 2);
		sprintf(s, "%s=%s", v->name, v->value);
		env[cnt++] = s;
	}
	for (i = 0; i < n; i++)
		env[cnt++] = extra[i];
	env[cnt] = NULL;
	return (env);
}

/* Print the variables (only the exported ones, as "export" lines, if ex). */
void
var_print(int ex)
{
	struct var *v;

	for (v = vars; v != NULL; v = v->next) {
		if (ex && !v->exported)
			continue;
		if (ex && v->value == NULL)
			printf("export %s\n", v->name);
		else if (v->value != NULL)
			printf("%s%s='%s'\n", ex ? "export " : "", v->name,
			    v->value);
	}
	fflush(stdout);
}

static void
args_free(struct sh_args *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

static void
args_copy(struct sh_args *a, int n, char **v)
{
	int i;

	a->n = n;
	a->v = xmalloc((n + 1) * sizeof(char *));
	for (i = 0; i < n; i++)
		a->v[i] = xstrdup(v[i]);
	a->v[n] = NULL;
}

/* Replace $1..$n with v[0..n-1] (v may point into the old ones). */
void
var_set_args(int n, char **v)
{
	struct sh_args old = args;

	args_copy(&args, n, v);
	args_free(&old);
}

/* Install $1..$n for a function call; returns the caller's to restore. */
struct sh_args
var_args_push(int n, char **v)
{
	struct sh_args old = args;

	args_copy(&args, n, v);
	return (old);
}

void
var_args_pop(struct sh_args old)
{
	args_free(&args);
	args = old;
}

int
var_nargs(void)
{
	return (args.n);
}

/* $i for i >= 1, NULL if there is no such parameter. */
const char *
var_arg(int i)
{
	if (i < 1 || i > args.n)
		return (NULL);
	return (args.v[i - 1]);
}

int
var_shift(int n)
{
	int i;

	if (n < 0 || n > args.n)
		return (-1);
	if (n == 0)
		return (0);
	for (i = 0; i < n; i++)
		free(args.v[i]);
	memmove(args.v, args.v + n, (args.n - n + 1) * sizeof(char *));
	args.n -= n;
	return (0);
}

void
var_func_define(const char *name, struct sh_node *body)
{
	struct func *f;

	for (f = funcs; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			break;
	if (f == NULL) {
		f = xmalloc(sizeof(*f));
		f->name = xstrdup(name);
		f->next = funcs;
		funcs = f;
	}
	f->body = body;
}

struct sh_node *
var_func_get(const char *name)
{
	struct func *f;

	for (f = funcs; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			return (f->body);
	return (NULL);
}

int
var_func_unset(const char *name)
{
	struct func **fp, *f;

	for (fp = &funcs; (f = *fp) != NULL; fp = &f->next) {
		if (strcmp(f->name, name) == 0) {
			*fp = f->next;
			free(f->name);
			free(f);
			return (0);
		}
	}
	return (-1);
}

/* Free everything (at exit, so that leak checkers stay quiet). */
void
var_free_all(void)
{
	struct func *f;

	while (vars != NULL)
		var_unset(vars->name);
	while ((f = funcs) != NULL) {
		funcs = f->next;
		free(f->name);
		free(f);
	}
	args_free(&args);
}
