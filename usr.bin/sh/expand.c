/*
 * expand.c - word expansion: from a raw word as lexed to fields.
 *
 * One left-to-right pass over the raw text does, in POSIX order but
 * interleaved: tilde (~ and ~/ only, from $HOME), parameter expansion
 * ($NAME ${NAME} ${NAME:-w} ${NAME-w} ${NAME:=w} ${NAME:+w} ${NAME:?w}
 * ${#NAME} ${NAME%p} ${NAME%%p} ${NAME#p} ${NAME##p} and the specials
 * $? $$ $! $# $0..$9 $@ $* $-), command substitution ($(...) and `...`),
 * arithmetic ($((...)), arith.c), field splitting of unquoted results
 * on $IFS, pathname expansion of unquoted * ? [...] and quote removal.
 *
 * Each character is added to the current field together with whether
 * it was quoted.  Two strings are built side by side: the literal text,
 * and a pattern in which quoted pattern characters are escaped with \;
 * the pattern is what pathname expansion and case matching use, so that
 * a quoted '*' stays a plain star.
 *
 * Modes: fields (command words, for lists: splitting and pathname
 * expansion), string (assignments, redirection targets: neither),
 * pattern (case patterns: the escaped pattern text is returned), here
 * (here-document bodies: only $, ` and \ are special).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "sh.h"

enum { X_FIELDS, X_STRING, X_PATTERN, X_HERE };

struct xbuf {
	char	*s;
	size_t	 n, cap;
};

struct exp {
	struct xbuf	 lit, pat;
	int		 have;		/* the current field exists */
	int		 glob;		/* it has an unquoted * ? [ */
	int		 mode;
	struct sh_fields *out;
};

static void	expand_raw(struct exp *, const char *, size_t, int);

static void
xb_add(struct xbuf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap < 32 ? 64 : b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static char *
xb_take(struct xbuf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->n = b->cap = 0;
	return (s);
}

void
fields_add(struct sh_fields *f, char *s)
{
	if (f->n + 2 > f->cap) {
		f->cap = f->cap < 8 ? 16 : f->cap * 2;
		f->v = xrealloc(f->v, f->cap * sizeof(char *));
	}
	f->v[f->n++] = s;
	f->v[f->n] = NULL;
}

void
fields_free(struct sh_fields *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static void
add_char(struct exp *e, char c, int quoted)
{
	xb_add(&e->lit, c);
	if (quoted && strchr("*?[]\\", c) != NULL)
		xb_add(&e->pat, '\\');
	xb_add(&e->pat, c);
	if (!quoted && (c == '*' || c == '?' || c == '['))
		e->glob = 1;
	e->have = 1;
}

/* ---- pathname expansion ---- */

/* Does the pattern p[0..n) contain an unescaped * ? or [...]? */
static int
has_magic(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '*' || p[i] == '?')
			return (1);
		else if (p[i] == '[' && memchr(p + i + 1, ']', n - i - 1))
			return (1);
	}
	return (0);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Match the remaining pattern pat (components separated by /) under the
 * directory dir (a prefix ending in /, or "" for the current directory);
 * add every existing match to out.
 */
static void
glob_dir(const char *dir, const char *pat, struct sh_fields *out)
{
	const char *slash = strchr(pat, '/');
	size_t clen = slash != NULL ? (size_t)(slash - pat) : strlen(pat);
	char *comp = xmalloc(clen + 1), *path;
	struct stat st;
	DIR *d;
	struct dirent *de;

	memcpy(comp, pat, clen);
	comp[clen] = '\0';
	if (!has_magic(comp, clen)) {
		size_t i, o = strlen(dir);

		path = xmalloc(o + clen + 2);
		strcpy(path, dir);
		for (i = 0; i < clen; i++) {
			if (comp[i] == '\\' && i + 1 < clen)
				i++;
			path[o++] = comp[i];
		}
		path[o] = '\0';
		if (slash == NULL) {
			if (lstat(path, &st) == 0)
				fields_add(out, path);
			else
				free(path);
		} else {
			strcat(path, "/");
			glob_dir(path, slash + 1, out);
			free(path);
		}
		free(comp);
		return;
	}
	if ((d = opendir(dir[0] != '\0' ? dir : ".")) == NULL) {
		free(comp);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && comp[0] != '.')
			continue;
		if (!sh_match(comp, de->d_name))
			continue;
		path = xmalloc(strlen(dir) + strlen(de->d_name) + 2);
		sprintf(path, "%s%s", dir, de->d_name);
		if (slash == NULL)
			fields_add(out, path);
		else {
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				strcat(path, "/");
				glob_dir(path, slash + 1, out);
			}
			free(path);
		}
	}
	closedir(d);
	free(comp);
}

/* End the current field: emit it, or its pathname matches. */
static void
end_field(struct exp *e)
{
	if (!e->have)
		return;
	if (e->mode == X_FIELDS && e->glob && has_magic(e->pat.s, e->pat.n)) {
		int first = e->out->n;

		if (e->pat.s[0] == '/')
			glob_dir("/", e->pat.s + 1, e->out);
		else
			glob_dir("", e->pat.s, e->out);
		if (e->out->n > first) {
			qsort(e->out->v + first, e->out->n - first,
			    sizeof(char *), cmp_str);
			free(xb_take(&e->lit));
			free(xb_take(&e->pat));
			e->have = e->glob = 0;
			return;
		}
	}
	fields_add(e->out, xb_take(&e->lit));
	free(xb_take(&e->pat));
	e->have = e->glob = 0;
}

/*
 * Add the value of an expansion.  Unquoted in fields mode, it is split
 * on $IFS: white space in IFS separates fields, other IFS characters
 * each end one.
 */
static void
add_value(struct exp *e, const char *v, int quoted)
{
	const char *ifs;

	if (v == NULL)
		return;
	if (quoted || e->mode != X_FIELDS) {
		for (; *v != '\0'; v++)
			add_char(e, *v, quoted);
		return;
	}
	if ((ifs = var_get("IFS")) == NULL)
		ifs = " \t\n";
	for (; *v != '\0'; v++) {
		if (*ifs == '\0' || strchr(ifs, *v) == NULL) {
			add_char(e, *v, 0);
		} else if (isspace((unsigned char)*v)) {
			end_field(e);
		} else {
			e->have = 1;
			end_field(e);
		}
	}
}

/* ---- command substitution ---- */

/*
 * Run cmd[0..len) in a child with its output on a pipe; returns the
 * output without trailing newlines (malloc()ed).  $? becomes its status.
 */
static char *
command_subst(const char *cmd, size_t len)
{
	struct xbuf b = { NULL, 0, 0 };
	int fds[2], st;
	char buf[512], *text;
	long pid;
	ssize_t n, i;

	if (pipe(fds) != 0) {
		sh_error("pipe: %s", strerror(errno));
		return (xstrdup(""));
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		sh_error("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (xstrdup(""));
	}
	if (pid == 0) {
		close(fds[0]);
		if (fds[1] != 1) {
			dup2(fds[1], 1);
			close(fds[1]);
		}
		exec_child_signals(0);
		text = xmalloc(len + 1);
		memcpy(text, cmd, len);
		text[len] = '\0';
		st = exec_eval_string(text, 1);
		fflush(NULL);
		_exit(st);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			xb_add(&b, buf[i]);
	}
	close(fds[0]);
	exec_wait_pid(pid, &st);
	sh_status = st;
	sh_subst_ran = 1;
	text = xb_take(&b);
	n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	return (text);
}

/* `...`: undo the backslash escapes \$ \` \\ first. */
static char *
backquote_subst(const char *s, size_t len)
{
	char *t = xmalloc(len + 1), *r;
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && strchr("$`\\", s[i + 1]))
			i++;
		t[o++] = s[i];
	}
	t[o] = '\0';
	r = command_subst(t, o);
	free(t);
	return (r);
}

/* ---- parameters ---- */

/* $@ / $* as one string, joined with spaces (malloc()ed). */
static char *
args_joined(void)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 1; i <= var_nargs(); i++)
		len += strlen(var_arg(i)) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 1; i <= var_nargs(); i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, var_arg(i));
	}
	return (s);
}

/*
 * The value of the parameter name[0..n); NULL if unset.  *tmp receives a
 * malloc()ed string to free afterwards when the value had to be made.
 */
static const char *
param_value(const char *name, size_t n, char **tmp)
{
	char buf[32], *s;
	const char *v;
	int i;

	*tmp = NULL;
	if (isdigit((unsigned char)name[0])) {
		size_t k;

		for (i = 0, k = 0; k < n && i < 100000; k++)
			i = i * 10 + (name[k] - '0');
		return (i == 0 ? sh_name : var_arg(i));
	}
	if (n == 1 && !isalpha((unsigned char)name[0]) && name[0] != '_') {
		switch (name[0]) {
		case '?':
			snprintf(buf, sizeof(buf), "%d", sh_status);
			break;
		case '$':
			snprintf(buf, sizeof(buf), "%ld", sh_pid);
			break;
		case '!':
			if (sh_lastbg == 0)
				return (NULL);
			snprintf(buf, sizeof(buf), "%ld", sh_lastbg);
			break;
		case '#':
			snprintf(buf, sizeof(buf), "%d", var_nargs());
			break;
		case '-':
			snprintf(buf, sizeof(buf), "%s%s%s%s",
			    sh_opt_e ? "e" : "", sh_opt_u ? "u" : "",
			    sh_opt_x ? "x" : "", sh_interactive ? "i" : "");
			break;
		case '@':
		case '*':
			*tmp = args_joined();
			return (*tmp);
		default:
			return (NULL);
		}
		*tmp = xstrdup(buf);
		return (*tmp);
	}
	s = xmalloc(n + 1);
	memcpy(s, name, n);
	s[n] = '\0';
	v = var_get(s);
	free(s);
	return (v);
}

/* Length of a parameter name at s (len bytes available); 0 if none. */
static size_t
param_name_len(const char *s, size_t len, int braced)
{
	size_t i = 0;

	if (len == 0)
		return (0);
	if (isalpha((unsigned char)s[0]) || s[0] == '_') {
		while (i < len && (isalnum((unsigned char)s[i]) ||
		    s[i] == '_'))
			i++;
		return (i);
	}
	if (isdigit((unsigned char)s[0])) {
		if (!braced)
			return (1);
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		return (i);
	}
	if (strchr("?$!#@*-", s[0]) != NULL)
		return (1);
	return (0);
}

/* Expand a sub-word (the w of ${x:-w}) to one string, no splitting. */
static char *
expand_sub(const char *w, size_t n, int mode)
{
	struct sh_fields f = { NULL, 0, 0 };
	struct exp e;
	char *r;

	memset(&e, 0, sizeof(e));
	e.mode = mode;
	e.out = &f;
	expand_raw(&e, w, n, 0);
	if (mode == X_PATTERN) {
		r = xb_take(&e.pat);
		free(xb_take(&e.lit));
	} else {
		r = xb_take(&e.lit);
		free(xb_take(&e.pat));
	}
	fields_free(&f);
	return (r);
}

/* ${v%p} ${v%%p} ${v#p} ${v##p}: returns the trimmed copy of v. */
static char *
trim(const char *v, const char *pat, int suffix, int longest)
{
	size_t n = strlen(v), k, at;
	char *t = xstrdup(v), save, *r;

	for (k = 0; k <= n; k++) {
		if (suffix) {
			at = longest ? k : n - k;
			if (sh_match(pat, t + at)) {
				t[at] = '\0';
				return (t);
			}
		} else {
			at = longest ? n - k : k;
			save = t[at];
			t[at] = '\0';
			if (sh_match(pat, t)) {
				r = xstrdup(v + at);
				free(t);
				return (r);
			}
			t[at] = save;
		}
	}
	return (t);
}

static void
bad_subst(const char *s, size_t n)
{
	sh_error("${%.*s}: bad substitution", (int)n, s);
	sh_status = 2;
}

/* ${NAME=w} when NAME is unset: assign the expansion of w. */
static void
assign_default(struct exp *e, const char *name, size_t nl, const char *ws,
    size_t wn, int dq)
{
	char *n = xmalloc(nl + 1), *w;

	memcpy(n, name, nl);
	n[nl] = '\0';
	w = expand_sub(ws, wn, X_STRING);
	if (var_set(n, w, 0) != 0)
		sh_error("%s: cannot assign", n);
	add_value(e, w, dq);
	free(w);
	free(n);
}

/* ${#NAME}: the length of the value. */
static void
expand_length(struct exp *e, const char *s, size_t n, int dq)
{
	char buf[32], *tmp;
	const char *v;
	size_t nl = param_name_len(s + 1, n - 1, 1);

	if (nl != n - 1) {
		bad_subst(s, n);
		return;
	}
	v = param_value(s + 1, nl, &tmp);
	snprintf(buf, sizeof(buf), "%zu", v != NULL ? strlen(v) : 0);
	free(tmp);
	add_value(e, buf, dq);
}

/*
 * ${...}: s[0..n) is the text between the braces.  Adds the result to e.
 */
static void
expand_braced(struct exp *e, const char *s, size_t n, int dq)
{
	size_t nl, wn;
	const char *v, *op, *ws;
	char *tmp, *w, *r;
	int colon = 0, set;

	if (n > 1 && s[0] == '#') {
		expand_length(e, s, n, dq);
		return;
	}
	if ((nl = param_name_len(s, n, 1)) == 0) {
		bad_subst(s, n);
		return;
	}
	v = param_value(s, nl, &tmp);
	if (nl == n) {
		if (v == NULL && sh_opt_u)
			sh_error("%.*s: parameter not set", (int)nl, s);
		add_value(e, v, dq);
		free(tmp);
		return;
	}
	op = s + nl;
	if (*op == ':') {
		colon = 1;
		op++;
	}
	if ((*op == '%' || *op == '#') && !colon) {
		int longest = op[1] == op[0];

		ws = op + 1 + longest;
		w = expand_sub(ws, s + n - ws, X_PATTERN);
		r = trim(v != NULL ? v : "", w, *op == '%', longest);
		add_value(e, r, dq);
		free(r);
		free(w);
		free(tmp);
		return;
	}
	if (op >= s + n || strchr("-=+?", *op) == NULL) {
		bad_subst(s, n);
		free(tmp);
		return;
	}
	set = v != NULL && !(colon && v[0] == '\0');
	ws = op + 1;
	wn = s + n - ws;
	switch (*op) {
	case '-':
		if (set)
			add_value(e, v, dq);
		else
			expand_raw(e, ws, wn, dq);
		break;
	case '+':
		if (set)
			expand_raw(e, ws, wn, dq);
		break;
	case '=':
		if (set)
			add_value(e, v, dq);
		else
			assign_default(e, s, nl, ws, wn, dq);
		break;
	case '?':
		if (set)
			add_value(e, v, dq);
		else {
			w = expand_sub(ws, wn, X_STRING);
			sh_error("%.*s: %s", (int)nl, s, w[0] != '\0' ? w :
			    "parameter not set");
			free(w);
			sh_status = 1;
			if (!sh_interactive)
				sh_exiting = 1;
		}
		break;
	}
	free(tmp);
}

/* $@ or $* unquoted, or "$@": one field per positional parameter. */
static void
expand_args(struct exp *e, int dq)
{
	int i;

	for (i = 1; i <= var_nargs(); i++) {
		if (i > 1) {
			if (dq)
				e->have = 1;
			end_field(e);
		}
		add_value(e, var_arg(i), dq);
	}
}

/* $(...) or $((...)): s[i..end) is the text between the parentheses. */
static void
expand_paren(struct exp *e, const char *s, size_t i, size_t end, int dq)
{
	char *x, buf[32];
	int err = 0;
	long val;

	if (s[i] == '(' && end >= i + 2 && s[end - 1] == ')') {
		x = expand_sub(s + i + 1, end - i - 2, X_HERE);
		val = arith_eval(x, &err);
		free(x);
		if (err)
			sh_status = 2;
		snprintf(buf, sizeof(buf), "%ld", val);
		add_value(e, buf, dq);
		return;
	}
	x = command_subst(s + i, end - i);
	add_value(e, x, dq);
	free(x);
}

/*
 * A '$' at s[*ip]: expand what follows and advance *ip past it.
 */
static void
expand_dollar(struct exp *e, const char *s, size_t len, size_t *ip, int dq)
{
	size_t i = *ip + 1, end, nl;
	const char *v;
	char *tmp;
	int inc = 0;

	if (i < len && (s[i] == '{' || s[i] == '(')) {
		end = lex_skip_subst(s, i + 1, len, &inc);
		if (inc) {
			sh_error("missing '%c'", s[i] == '{' ? '}' : ')');
			*ip = len;
			return;
		}
		if (s[i] == '{')
			expand_braced(e, s + i + 1, end - i - 2, dq);
		else
			expand_paren(e, s, i + 1, end - 1, dq);
		*ip = end;
		return;
	}
	nl = param_name_len(s + i, len - i, 0);
	if (nl == 0) {
		add_char(e, '$', dq);
		*ip = i;
		return;
	}
	*ip = i + nl;
	if (nl == 1 && (s[i] == '@' || (s[i] == '*' && !dq))) {
		expand_args(e, dq);
		return;
	}
	v = param_value(s + i, nl, &tmp);
	if (v == NULL && sh_opt_u && s[i] != '@' && s[i] != '*')
		sh_error("%.*s: parameter not set", (int)nl, s + i);
	add_value(e, v, dq);
	free(tmp);
}

/* A backslash at s[*ip]; advance *ip past what it escapes. */
static void
expand_backslash(struct exp *e, const char *s, size_t len, size_t *ip,
    int dq, int here)
{
	size_t i = *ip;
	char n = i + 1 < len ? s[i + 1] : '\0';

	if (n == '\0') {
		add_char(e, '\\', 1);
		*ip = i + 1;
	} else if (n == '\n') {
		*ip = i + 2;
	} else if ((dq || here) && strchr(here ? "$`\\" : "$`\"\\", n) ==
	    NULL) {
		add_char(e, '\\', 1);
		*ip = i + 1;
	} else {
		add_char(e, n, 1);
		*ip = i + 2;
	}
}

/*
 * The main pass over s[0..len).  dq says whether we start inside double
 * quotes (for the w of "${x:-w}").
 */
static void
expand_raw(struct exp *e, const char *s, size_t len, int dq)
{
	size_t i = 0;
	int here = e->mode == X_HERE;

	if (e->mode == X_FIELDS && len > 0 && s[0] == '~' &&
	    (len == 1 || s[1] == '/') && var_get("HOME") != NULL) {
		add_value(e, var_get("HOME"), 1);
		i = 1;
	}
	while (i < len) {
		char c = s[i];

		if (c == '\'' && !dq && !here) {
			const char *q = memchr(s + i + 1, '\'', len - i - 1);
			size_t end = q != NULL ? (size_t)(q - s) : len;

			e->have = 1;
			for (i++; i < end; i++)
				add_char(e, s[i], 1);
			i = end + 1;
		} else if (c == '"' && !here) {
			dq = !dq;
			e->have = 1;
			i++;
		} else if (c == '\\') {
			expand_backslash(e, s, len, &i, dq, here);
		} else if (c == '$') {
			expand_dollar(e, s, len, &i, dq || here);
		} else if (c == '`') {
			int inc = 0;
			size_t end = lex_skip_subst(s, i + 1, len, &inc);
			char *t = backquote_subst(s + i + 1, end - i - 2);

			add_value(e, t, dq || here);
			free(t);
			i = end;
		} else {
			add_char(e, c, dq || here);
			i++;
		}
	}
}

/*
 * expand_fields: expand the raw word w and append its fields to f (none,
 * one or several).  Returns the number added.
 */
int
expand_fields(const char *w, struct sh_fields *f)
{
	struct exp e;
	int before = f->n;

	if (strcmp(w, "\"$@\"") == 0 && var_nargs() == 0)
		return (0);
	memset(&e, 0, sizeof(e));
	e.mode = X_FIELDS;
	e.out = f;
	expand_raw(&e, w, strlen(w), 0);
	end_field(&e);
	free(e.lit.s);
	free(e.pat.s);
	return (f->n - before);
}

/* expand_string: one string, no splitting or pathname expansion. */
char *
expand_string(const char *w)
{
	return (expand_sub(w, strlen(w), X_STRING));
}

/* expand_here: a here-document body ($, ` and \ only). */
char *
expand_here(const char *w)
{
	return (expand_sub(w, strlen(w), X_HERE));
}

/* expand_pattern: a case pattern, quoted characters escaped with \. */
char *
expand_pattern(const char *w)
{
	return (expand_sub(w, strlen(w), X_PATTERN));
}

/* ---- pattern matching ---- */

/*
 * A bracket expression at p (just after '['); returns the length up to
 * and including ']' and sets *ok if c matches, or 0 if the bracket is
 * not closed.
 */
static size_t
match_bracket(const char *p, char c, int *ok)
{
	size_t i = 0;
	int neg = 0, hit = 0;
	char lo, hi;

	if (p[i] == '!' || p[i] == '^') {
		neg = 1;
		i++;
	}
	if (p[i] == ']') {
		hit |= c == ']';
		i++;
	}
	while (p[i] != '\0' && p[i] != ']') {
		lo = p[i];
		if (lo == '\\' && p[i + 1] != '\0')
			lo = p[++i];
		if (p[i + 1] == '-' && p[i + 2] != ']' && p[i + 2] != '\0') {
			hi = p[i + 2];
			if (hi == '\\' && p[i + 3] != '\0') {
				hi = p[i + 3];
				i++;
			}
			hit |= (unsigned char)c >= (unsigned char)lo &&
			    (unsigned char)c <= (unsigned char)hi;
			i += 3;
		} else {
			hit |= c == lo;
			i++;
		}
	}
	if (p[i] != ']')
		return (0);
	*ok = hit != neg;
	return (i + 1);
}

/*
 * sh_match: does the whole of s match the pattern p (* ? [...] and \
 * escapes)?  Iterative, backtracking only to the last star, so the cost
 * is at most length(p) * length(s).
 */
int
sh_match(const char *p, const char *s)
{
	const char *star = NULL, *sback = NULL;
	size_t n;
	int ok;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star = p;
			sback = s;
			continue;
		}
		if (*s == '\0' && *p == '\0')
			return (1);
		if (*s != '\0') {
			if (*p == '?') {
				p++;
				s++;
				continue;
			}
			if (*p == '[') {
				ok = 0;
				n = match_bracket(p + 1, *s, &ok);
				if (n == 0 && *s == '[') {
					p++;
					s++;
					continue;
				}
				if (n != 0 && ok) {
					p += 1 + n;
					s++;
					continue;
				}
			} else if (*p == '\\' && p[1] != '\0' && p[1] == *s) {
				p += 2;
				s++;
				continue;
			} else if (*p != '\0' && *p != '\\' && *p == *s) {
				p++;
				s++;
				continue;
			}
		}
		if (star == NULL || *sback == '\0')
			return (0);
		p = star;
		s = ++sback;
	}
}
