/*
 * lex.c - the shell's tokenizer.
 *
 * Cuts a text into tokens: words, the control operators ; ;; & && | ||
 * ( ) newline, and redirection operators with an optional leading
 * descriptor number (2>, 10<, ...).  A word keeps its quotes and
 * backslashes exactly as written; expand.c removes them later, so the
 * lexer only needs to know where a word ends.  Inside a word it skips
 * over '...', "...", \x, ${...}, $(...) and `...` as units, so that
 * metacharacters inside them do not end the word.
 *
 * Comments (# at the start of a word, up to the newline) and
 * backslash-newline outside quotes are dropped here.
 *
 * Here-documents: the parser registers each "<<WORD" redirection with
 * lex_here_add(); when the lexer next produces a newline token it reads
 * the body lines that follow from the same text, up to the line that is
 * exactly WORD ("<<-" strips leading tabs), and stores the body as the
 * redirection's target.
 *
 * Running out of text inside a quote, a $( ) or a here-document sets
 * lx->incomplete: main.c then reads another line and parses the whole
 * text again.  The cost is quadratic in the number of lines of one
 * command, which is fine for a shell.
 */

#include <string.h>
#include <ctype.h>

#include "sh.h"

static int
is_meta(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	    c == '|' || c == '<' || c == '>' || c == '(' || c == ')');
}

/* Skip "..." starting after the opening quote; returns the index of the
 * closing quote, or len (with *incomplete set) if there is none. */
static size_t
skip_dquote(const char *s, size_t i, size_t len, int *incomplete)
{
	while (i < len && s[i] != '"') {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '$' && i + 1 < len &&
		    (s[i + 1] == '(' || s[i + 1] == '{'))
			i = lex_skip_subst(s, i + 2, len, incomplete) - 1;
		else if (s[i] == '`')
			i = lex_skip_subst(s, i + 1, len, incomplete) - 1;
		i++;
	}
	if (i >= len) {
		*incomplete = 1;
		return (len);
	}
	return (i);
}

/*
 * lex_skip_subst: s[i] is the first character after "$(" , "${" or "`".
 * A "$(" command list is found by the parser itself (sh_parse_subst),
 * "$((", "${" and "`" by scanning.  Returns the index just after the
 * matching closer, or len with *incomplete set if the text ends first.
 * Quotes and nested substitutions inside are skipped.
 */
size_t
lex_skip_subst(const char *s, size_t i, size_t len, int *incomplete)
{
	int depth = 1, kind = 0;	/* 0 ${, 1 $(, 2 ` */
	char close = '}', open = '{';

	if (i >= 2 && s[i - 1] == '(') {
		close = ')';
		open = '(';
		kind = 1;
	} else if (i >= 1 && s[i - 1] == '`') {
		close = '`';
		open = 0;
		kind = 2;
	}
	if (kind == 1 && !(i < len && s[i] == '(')) {
		size_t end;

		switch (sh_parse_subst(s, i, len, &end)) {
		case P_OK:
			return (end);
		case P_INCOMPLETE:
			*incomplete = 1;
			return (len);
		}
		/* A syntax error: count parentheses; running it will tell. */
	}
	while (i < len) {
		char c = s[i];

		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == close) {
			if (kind == 2 || --depth == 0)
				return (i + 1);
			i++;
			continue;
		}
		if (open != 0 && c == open) {
			depth++;
			i++;
			continue;
		}
		if (kind == 2) {
			i++;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', len - i - 1);

			if (q == NULL)
				break;
			i = q - s + 1;
			continue;
		}
		if (c == '"') {
			i = skip_dquote(s, i + 1, len, incomplete);
			if (i >= len)
				break;
			i++;
			continue;
		}
		if (c == '$' && i + 1 < len && (s[i + 1] == '(' ||
		    s[i + 1] == '{')) {
			i = lex_skip_subst(s, i + 2, len, incomplete);
			continue;
		}
		if (c == '`') {
			i = lex_skip_subst(s, i + 1, len, incomplete);
			continue;
		}
		if (kind == 1 && c == '#' && (i == 0 || isspace((unsigned char)
		    s[i - 1]))) {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		i++;
	}
	*incomplete = 1;
	return (len);
}

void
lex_init(struct sh_lexer *lx, const char *src, size_t len,
    struct sh_arena *arena)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->arena = arena;
}

/*
 * Scan one word starting at lx->pos; fills tok.  Returns 0, or -1 if the
 * text ended inside a quote (lx->incomplete is then set).
 */
static int
lex_word(struct sh_lexer *lx, struct sh_token *tok)
{
	const char *s = lx->src;
	size_t i = lx->pos, start = i, len = lx->len;
	int quoted = 0;

	while (i < len && !is_meta(s[i])) {
		char c = s[i];

		if (c == '\\') {
			quoted = 1;
			/* A line ending in \ continues on the next one. */
			if (i + 1 >= len || (s[i + 1] == '\n' &&
			    i + 2 >= len)) {
				lx->incomplete = 1;
				return (-1);
			}
			i += 2;
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', len - i - 1);

			quoted = 1;
			if (q == NULL) {
				lx->incomplete = 1;
				return (-1);
			}
			i = q - s + 1;
		} else if (c == '"') {
			quoted = 1;
			i = skip_dquote(s, i + 1, len, &lx->incomplete);
			if (lx->incomplete)
				return (-1);
			i++;
		} else if (c == '$' && i + 1 < len && (s[i + 1] == '(' ||
		    s[i + 1] == '{')) {
			i = lex_skip_subst(s, i + 2, len, &lx->incomplete);
			if (lx->incomplete)
				return (-1);
		} else if (c == '`') {
			i = lex_skip_subst(s, i + 1, len, &lx->incomplete);
			if (lx->incomplete)
				return (-1);
		} else
			i++;
	}
	tok->type = T_WORD;
	tok->text = sh_strndup(lx->arena, s + start, i - start);
	tok->quoted = quoted;
	lx->pos = i;
	return (0);
}

/*
 * Read the bodies of pending here-documents from the line after the
 * newline just consumed.  Returns 0, or -1 if the text ends before a
 * delimiter line (lx->incomplete is then set).
 */
static int
lex_heredocs(struct sh_lexer *lx)
{
	struct pending_here *h;
	const char *s = lx->src;

	for (h = lx->heres; h != NULL; h = h->next) {
		size_t dl = strlen(h->delim), blen = 0;
		char *body;

		/* The body can be no longer than the rest of the text. */
		body = sh_alloc(lx->arena, lx->len - lx->pos + 1);
		for (;;) {
			size_t ls = lx->pos, le, b;
			const char *nl;

			if (ls >= lx->len || (nl = memchr(s + ls, '\n',
			    lx->len - ls)) == NULL) {
				lx->incomplete = 1;
				return (-1);
			}
			le = nl - s;
			lx->pos = le + 1;
			b = ls;
			if (h->strip)
				while (b < le && s[b] == '\t')
					b++;
			if (le - b == dl && memcmp(s + b, h->delim, dl) == 0)
				break;
			memcpy(body + blen, s + b, le - b + 1);
			blen += le - b + 1;
		}
		body[blen] = '\0';
		h->redir->target = body;
	}
	lx->heres = NULL;
	return (0);
}

/*
 * Remove quotes from a here-document delimiter word; sets *quoted if
 * there were any (the body is then taken literally).
 */
static char *
lex_unquote(struct sh_lexer *lx, const char *w, int *quoted)
{
	size_t n = strlen(w), i, o = 0;
	char *r = sh_alloc(lx->arena, n + 1);

	*quoted = 0;
	for (i = 0; i < n; i++) {
		if (w[i] == '\'' || w[i] == '"') {
			*quoted = 1;
			continue;
		}
		if (w[i] == '\\' && i + 1 < n) {
			*quoted = 1;
			i++;
		}
		r[o++] = w[i];
	}
	r[o] = '\0';
	return (r);
}

/*
 * Operators beginning with < or >; s[lx->pos] is that character and fd
 * the descriptor number written before it, or -1.
 */
static int
lex_redir(struct sh_lexer *lx, struct sh_token *tok, int fd)
{
	const char *s = lx->src;
	size_t i = lx->pos, len = lx->len;
	char c = s[i];

	tok->type = T_REDIR;
	tok->fd = fd;
	tok->rout = (c == '>');
	i++;
	if (c == '>') {
		if (i < len && s[i] == '>') {
			tok->rkind = R_APPEND;
			i++;
		} else if (i < len && s[i] == '&') {
			tok->rkind = R_DUP;
			i++;
		} else {
			if (i < len && s[i] == '|')
				i++;
			tok->rkind = R_OUT;
		}
	} else {
		if (i < len && s[i] == '<') {
			tok->rkind = R_HERE;
			i++;
			if (i < len && s[i] == '-') {
				tok->rout |= 2;
				i++;
			}
		} else if (i < len && s[i] == '&') {
			tok->rkind = R_DUP;
			i++;
		} else if (i < len && s[i] == '>') {
			tok->rkind = R_RDWR;
			i++;
		} else
			tok->rkind = R_IN;
	}
	lx->pos = i;
	return (0);
}

/*
 * lex_next: produce the next token.  Returns 0, or -1 when the text ended
 * in the middle of something (lx->incomplete) or is malformed
 * (lx->error).
 */
int
lex_next(struct sh_lexer *lx, struct sh_token *tok)
{
	const char *s = lx->src;
	size_t len = lx->len;
	char c;

	memset(tok, 0, sizeof(*tok));
	tok->fd = -1;
	for (;;) {
		while (lx->pos < len && (s[lx->pos] == ' ' ||
		    s[lx->pos] == '\t'))
			lx->pos++;
		if (lx->pos + 1 < len && s[lx->pos] == '\\' &&
		    s[lx->pos + 1] == '\n') {
			lx->pos += 2;
			if (lx->pos >= len) {
				lx->incomplete = 1;	/* continued line */
				return (-1);
			}
			continue;
		}
		if (lx->pos < len && s[lx->pos] == '#') {
			while (lx->pos < len && s[lx->pos] != '\n')
				lx->pos++;
		}
		break;
	}
	if (lx->pos >= len) {
		if (lx->heres != NULL) {
			lx->incomplete = 1;
			return (-1);
		}
		tok->type = T_EOF;
		return (0);
	}
	c = s[lx->pos];
	switch (c) {
	case '\n':
		lx->pos++;
		tok->type = T_NEWLINE;
		if (lx->heres != NULL)
			return (lex_heredocs(lx));
		return (0);
	case ';':
		lx->pos++;
		tok->type = T_SEMI;
		if (lx->pos < len && s[lx->pos] == ';') {
			lx->pos++;
			tok->type = T_DSEMI;
		}
		return (0);
	case '&':
		lx->pos++;
		tok->type = T_AMP;
		if (lx->pos < len && s[lx->pos] == '&') {
			lx->pos++;
			tok->type = T_AND;
		}
		return (0);
	case '|':
		lx->pos++;
		tok->type = T_PIPE;
		if (lx->pos < len && s[lx->pos] == '|') {
			lx->pos++;
			tok->type = T_OR;
		}
		return (0);
	case '(':
		lx->pos++;
		tok->type = T_LPAREN;
		return (0);
	case ')':
		lx->pos++;
		tok->type = T_RPAREN;
		return (0);
	case '<':
	case '>':
		return (lex_redir(lx, tok, -1));
	}
	if (isdigit((unsigned char)c)) {
		size_t i = lx->pos;
		long fd = 0;

		while (i < len && isdigit((unsigned char)s[i]) && fd < 10000)
			fd = fd * 10 + (s[i++] - '0');
		if (i < len && (s[i] == '<' || s[i] == '>')) {
			lx->pos = i;
			return (lex_redir(lx, tok, (int)fd));
		}
	}
	return (lex_word(lx, tok));
}

/*
 * lex_here_add: register the here-document of redirection r whose
 * delimiter word is w; its body is read at the next newline.
 */
void
lex_here_add(struct sh_lexer *lx, struct sh_redir *r, const char *w,
    int strip)
{
	struct pending_here *h, **pp;

	h = sh_alloc(lx->arena, sizeof(*h));
	h->redir = r;
	h->strip = strip;
	h->delim = lex_unquote(lx, w, &r->hquoted);
	h->next = NULL;
	for (pp = &lx->heres; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = h;
}
