/*
 * parse.c - the shell's parser: tokens to a tree of struct sh_node.
 *
 * Recursive descent over this grammar (a subset of the POSIX one):
 *
 *	list	 := and_or ((';' | '&' | NL) and_or)* [';' | '&']
 *	and_or	 := pipeline (('&&' | '||') NL* pipeline)*
 *	pipeline := ['!'] command ('|' NL* command)*
 *	command	 := simple | compound redir* | NAME '(' ')' NL* compound
 *	compound := if | while | until | for | case | '(' list ')'
 *		  | '{' list '}'
 *	simple	 := (NAME=value | word | redir)+
 *
 * Reserved words (if then elif else fi while until do done for in case
 * esac { } !) are recognised only where a command may start, and only
 * when written without quotes; elsewhere they are ordinary words.
 *
 * There is no setjmp in our libc, so errors do not unwind: the first one
 * is recorded in the parser and every function returns early once it is
 * set.  Running out of text where more is required is not an error but
 * P_INCOMPLETE, so that main.c can read another line and try again.
 *
 * All nodes and strings come from one arena (below): a parse result is
 * freed by freeing its arena.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

/* ---- arena ---- */

struct sh_chunk {
	struct sh_chunk	*next;
	size_t		 used, size;
	char		 data[];
};

struct sh_arena {
	struct sh_chunk	*head;
};

struct sh_arena *
sh_arena_new(void)
{
	struct sh_arena *a = xmalloc(sizeof(*a));

	a->head = NULL;
	return (a);
}

/*
 * sh_alloc: zeroed memory from the arena, aligned to 16 bytes.  Never
 * fails (xmalloc exits the shell when memory is exhausted).
 */
void *
sh_alloc(struct sh_arena *a, size_t n)
{
	struct sh_chunk *c = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (c == NULL || c->size - c->used < n) {
		size_t sz = n > 8192 ? n : 8192;

		c = xmalloc(sizeof(*c) + sz);
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return (p);
}

char *
sh_strndup(struct sh_arena *a, const char *s, size_t n)
{
	char *p = sh_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

void
sh_arena_free(struct sh_arena *a)
{
	struct sh_chunk *c, *n;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

/* ---- parser ---- */

struct parser {
	struct sh_lexer	 lx;
	struct sh_token	 tok;		/* lookahead, valid if have */
	int		 have;
	int		 status;	/* P_OK until the first problem */
	const char	*err;		/* message for P_ERROR */
	struct sh_arena	*ar;
};

static struct sh_node	*parse_list(struct parser *);
static struct sh_node	*parse_command(struct parser *);

static const char *const terminators[] = {
	"then", "elif", "else", "fi", "do", "done", "esac", "}", NULL
};

static struct sh_token *
peek(struct parser *p)
{
	if (!p->have) {
		if (p->status != P_OK) {
			p->tok.type = T_EOF;
			return (&p->tok);
		}
		if (lex_next(&p->lx, &p->tok) != 0) {
			if (p->lx.incomplete) {
				p->status = P_INCOMPLETE;
			} else {
				p->status = P_ERROR;
				p->err = p->lx.error;
			}
			p->tok.type = T_EOF;
			return (&p->tok);
		}
		p->have = 1;
	}
	return (&p->tok);
}

static void
consume(struct parser *p)
{
	p->have = 0;
}

/* Is the lookahead the unquoted reserved word w? */
static int
is_word(struct parser *p, const char *w)
{
	struct sh_token *t = peek(p);

	return (t->type == T_WORD && !t->quoted && strcmp(t->text, w) == 0);
}

static int
at_terminator(struct parser *p)
{
	struct sh_token *t = peek(p);
	int i;

	if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI)
		return (1);
	if (t->type != T_WORD || t->quoted)
		return (0);
	for (i = 0; terminators[i] != NULL; i++)
		if (strcmp(t->text, terminators[i]) == 0)
			return (1);
	return (0);
}

static const char *
tok_name(struct sh_token *t)
{
	switch (t->type) {
	case T_WORD:	return (t->text);
	case T_NEWLINE:	return ("newline");
	case T_SEMI:	return (";");
	case T_DSEMI:	return (";;");
	case T_AMP:	return ("&");
	case T_PIPE:	return ("|");
	case T_AND:	return ("&&");
	case T_OR:	return ("||");
	case T_LPAREN:	return ("(");
	case T_RPAREN:	return (")");
	case T_REDIR:	return ("redirection");
	}
	return ("end of file");
}

/*
 * Record that the lookahead is not acceptable here: at the end of the
 * text that means "incomplete", otherwise a syntax error.  Returns NULL
 * so that callers can "return (unexpected(p));".
 */
static void *
unexpected(struct parser *p)
{
	struct sh_token *t = peek(p);
	static char msg[160];

	if (p->status != P_OK)
		return (NULL);
	if (t->type == T_EOF) {
		p->status = P_INCOMPLETE;
		return (NULL);
	}
	snprintf(msg, sizeof(msg), "syntax error: unexpected '%.100s'",
	    tok_name(t));
	p->status = P_ERROR;
	p->err = msg;
	return (NULL);
}

static void
skip_newlines(struct parser *p)
{
	while (peek(p)->type == T_NEWLINE)
		consume(p);
}

/* Consume the reserved word w or fail. */
static int
expect(struct parser *p, const char *w)
{
	if (p->status == P_OK && is_word(p, w)) {
		consume(p);
		return (0);
	}
	unexpected(p);
	return (-1);
}

static struct sh_node *
mknode(struct parser *p, int type, struct sh_node *a, struct sh_node *b)
{
	struct sh_node *n = sh_alloc(p->ar, sizeof(*n));

	n->type = type;
	n->a = a;
	n->b = b;
	return (n);
}

static struct sh_word *
mkword(struct parser *p, char *text)
{
	struct sh_word *w = sh_alloc(p->ar, sizeof(*w));

	w->text = text;
	return (w);
}

/* The lookahead is a T_REDIR: parse it and its target. */
static struct sh_redir *
parse_redir(struct parser *p)
{
	struct sh_token *t = peek(p);
	struct sh_redir *r = sh_alloc(p->ar, sizeof(*r));
	int strip;

	r->kind = t->rkind;
	r->fd = t->fd >= 0 ? t->fd : (t->rout & 1);
	strip = (t->rout & 2) != 0;
	consume(p);
	t = peek(p);
	if (t->type != T_WORD)
		return (unexpected(p));
	r->target = t->text;
	if (r->kind == R_HERE)
		lex_here_add(&p->lx, r, t->text, strip);
	consume(p);
	return (r);
}

static void
add_redirs(struct parser *p, struct sh_node *n)
{
	struct sh_redir **rp = &n->redirs, *r;

	while (*rp != NULL)
		rp = &(*rp)->next;
	while (p->status == P_OK && peek(p)->type == T_REDIR) {
		if ((r = parse_redir(p)) == NULL)
			return;
		*rp = r;
		rp = &r->next;
	}
}

/* After NAME: "( ) body" makes a function definition. */
static struct sh_node *
parse_funcdef(struct parser *p, struct sh_node *n)
{
	n->type = N_FUNC;
	n->name = n->words->text;
	n->words = NULL;
	consume(p);
	if (peek(p)->type != T_RPAREN)
		return (unexpected(p));
	consume(p);
	skip_newlines(p);
	if ((n->a = parse_command(p)) == NULL)
		return (NULL);
	if (n->a->type == N_SIMPLE || n->a->type == N_FUNC) {
		p->status = P_ERROR;
		p->err = "syntax error: function body must be a compound "
		    "command";
		return (NULL);
	}
	return (n);
}

static struct sh_node *
parse_simple(struct parser *p)
{
	struct sh_node *n = mknode(p, N_SIMPLE, NULL, NULL);
	struct sh_word **wp = &n->words, **ap = &n->assigns;
	struct sh_redir **rp = &n->redirs;
	struct sh_token *t;

	for (;;) {
		t = peek(p);
		if (t->type == T_REDIR) {
			if ((*rp = parse_redir(p)) == NULL)
				return (NULL);
			rp = &(*rp)->next;
		} else if (t->type == T_WORD) {
			char *eq = strchr(t->text, '=');

			if (n->words == NULL && eq != NULL &&
			    var_valid_name(t->text, eq - t->text)) {
				*ap = mkword(p, t->text);
				ap = &(*ap)->next;
			} else {
				*wp = mkword(p, t->text);
				wp = &(*wp)->next;
			}
			consume(p);
		} else
			break;
	}
	if (n->words == NULL && n->assigns == NULL && n->redirs == NULL)
		return (unexpected(p));
	if (t->type == T_LPAREN && n->words != NULL &&
	    n->words->next == NULL && n->assigns == NULL &&
	    n->redirs == NULL)
		return (parse_funcdef(p, n));
	return (n);
}

static struct sh_node *
parse_if(struct parser *p)
{
	struct sh_node *n = mknode(p, N_IF, NULL, NULL);

	consume(p);		/* if or elif */
	n->a = parse_list(p);
	if (expect(p, "then") != 0)
		return (NULL);
	n->b = parse_list(p);
	if (p->status != P_OK)
		return (NULL);
	if (is_word(p, "elif")) {
		n->c = parse_if(p);
		return (n->c == NULL ? NULL : n);
	}
	if (is_word(p, "else")) {
		consume(p);
		n->c = parse_list(p);
	}
	if (expect(p, "fi") != 0)
		return (NULL);
	return (n);
}

/* Condition loops: while/until list do list done. */
static struct sh_node *
parse_loop(struct parser *p, int type)
{
	struct sh_node *n = mknode(p, type, NULL, NULL);

	consume(p);
	n->a = parse_list(p);
	if (expect(p, "do") != 0)
		return (NULL);
	n->b = parse_list(p);
	if (expect(p, "done") != 0)
		return (NULL);
	return (n);
}

static struct sh_node *
parse_for(struct parser *p)
{
	struct sh_node *n = mknode(p, N_FOR, NULL, NULL);
	struct sh_word **wp = &n->words;
	struct sh_token *t;

	consume(p);
	t = peek(p);
	if (t->type != T_WORD || !var_valid_name(t->text, strlen(t->text)))
		return (unexpected(p));
	n->name = t->text;
	consume(p);
	skip_newlines(p);
	if (is_word(p, "in")) {
		consume(p);
		n->has_in = 1;
		while ((t = peek(p))->type == T_WORD) {
			*wp = mkword(p, t->text);
			wp = &(*wp)->next;
			consume(p);
		}
		if (t->type != T_SEMI && t->type != T_NEWLINE)
			return (unexpected(p));
		consume(p);
	} else if (peek(p)->type == T_SEMI)
		consume(p);
	skip_newlines(p);
	if (expect(p, "do") != 0)
		return (NULL);
	n->a = parse_list(p);
	if (expect(p, "done") != 0)
		return (NULL);
	return (n);
}

/* One "pattern | pattern ) list ;;" arm of a case. */
static struct sh_casearm *
parse_casearm(struct parser *p)
{
	struct sh_casearm *arm = sh_alloc(p->ar, sizeof(*arm));
	struct sh_word **wp = &arm->pats;
	struct sh_token *t;

	if (peek(p)->type == T_LPAREN)
		consume(p);
	for (;;) {
		t = peek(p);
		if (t->type != T_WORD)
			return (unexpected(p));
		*wp = mkword(p, t->text);
		wp = &(*wp)->next;
		consume(p);
		if (peek(p)->type != T_PIPE)
			break;
		consume(p);
	}
	if (peek(p)->type != T_RPAREN)
		return (unexpected(p));
	consume(p);
	arm->body = parse_list(p);
	if (p->status != P_OK)
		return (NULL);
	return (arm);
}

static struct sh_node *
parse_case(struct parser *p)
{
	struct sh_node *n = mknode(p, N_CASE, NULL, NULL);
	struct sh_casearm **ap = &n->arms;
	struct sh_token *t;

	consume(p);
	t = peek(p);
	if (t->type != T_WORD)
		return (unexpected(p));
	n->words = mkword(p, t->text);
	consume(p);
	skip_newlines(p);
	if (expect(p, "in") != 0)
		return (NULL);
	for (;;) {
		skip_newlines(p);
		if (is_word(p, "esac"))
			break;
		if ((*ap = parse_casearm(p)) == NULL)
			return (NULL);
		ap = &(*ap)->next;
		if (peek(p)->type == T_DSEMI) {
			consume(p);
			continue;
		}
		if (!is_word(p, "esac"))
			return (unexpected(p));
	}
	consume(p);
	return (n);
}

static struct sh_node *
parse_compound(struct parser *p)
{
	struct sh_token *t = peek(p);
	struct sh_node *n;

	if (t->type == T_LPAREN) {
		consume(p);
		n = mknode(p, N_SUBSHELL, parse_list(p), NULL);
		if (peek(p)->type != T_RPAREN)
			return (unexpected(p));
		consume(p);
		return (n);
	}
	if (is_word(p, "if"))
		return (parse_if(p));
	if (is_word(p, "while"))
		return (parse_loop(p, N_WHILE));
	if (is_word(p, "until"))
		return (parse_loop(p, N_UNTIL));
	if (is_word(p, "for"))
		return (parse_for(p));
	if (is_word(p, "case"))
		return (parse_case(p));
	if (is_word(p, "{")) {
		consume(p);
		n = mknode(p, N_GROUP, parse_list(p), NULL);
		if (expect(p, "}") != 0)
			return (NULL);
		return (n);
	}
	return (NULL);
}

static struct sh_node *
parse_command(struct parser *p)
{
	struct sh_node *n;

	if (p->status != P_OK)
		return (NULL);
	if (at_terminator(p))
		return (unexpected(p));
	n = parse_compound(p);
	if (p->status != P_OK)
		return (NULL);
	if (n == NULL)
		return (parse_simple(p));
	add_redirs(p, n);
	return (p->status == P_OK ? n : NULL);
}

static struct sh_node *
parse_pipeline(struct parser *p)
{
	struct sh_node *n, **tail, *next;
	int bang = 0;

	if (is_word(p, "!")) {
		consume(p);
		bang = 1;
	}
	if ((n = parse_command(p)) == NULL)
		return (NULL);
	tail = &n;
	while (peek(p)->type == T_PIPE) {
		consume(p);
		skip_newlines(p);
		if ((next = parse_command(p)) == NULL)
			return (NULL);
		*tail = mknode(p, N_PIPE, *tail, next);
		tail = &(*tail)->b;
	}
	return (bang ? mknode(p, N_NOT, n, NULL) : n);
}

static struct sh_node *
parse_and_or(struct parser *p)
{
	struct sh_node *n, *r;
	int type;

	if ((n = parse_pipeline(p)) == NULL)
		return (NULL);
	for (;;) {
		type = peek(p)->type;
		if (type != T_AND && type != T_OR)
			return (n);
		consume(p);
		skip_newlines(p);
		if ((r = parse_pipeline(p)) == NULL)
			return (NULL);
		n = mknode(p, type == T_AND ? N_AND : N_OR, n, r);
	}
}

/*
 * parse_list: a sequence of and-or lists, up to a terminator (end of
 * text, ')', ';;' or a reserved word that closes a compound command),
 * which is left unconsumed.  Returns NULL for an empty list.
 */
static struct sh_node *
parse_list(struct parser *p)
{
	struct sh_node *head = NULL, **tail = &head, *n;
	struct sh_token *t;

	skip_newlines(p);
	while (p->status == P_OK && !at_terminator(p)) {
		if ((n = parse_and_or(p)) == NULL)
			return (NULL);
		t = peek(p);
		if (t->type == T_AMP)
			n = mknode(p, N_BG, n, NULL);
		if (*tail == NULL)
			*tail = n;
		else {
			*tail = mknode(p, N_SEQ, *tail, n);
			tail = &(*tail)->b;
		}
		if (t->type != T_AMP && t->type != T_SEMI &&
		    t->type != T_NEWLINE)
			break;
		consume(p);
		skip_newlines(p);
	}
	return (head);
}

/*
 * sh_parse: parse the whole text src[0..len).  Returns P_OK with *out
 * the tree (NULL for an empty text), P_INCOMPLETE if the text stops in
 * the middle of a command, or P_ERROR with *err a static message.
 */
int
sh_parse(const char *src, size_t len, struct sh_arena *ar,
    struct sh_node **out, const char **err)
{
	struct parser p;
	struct sh_node *n;

	memset(&p, 0, sizeof(p));
	p.ar = ar;
	lex_init(&p.lx, src, len, ar);
	n = parse_list(&p);
	if (p.status == P_OK && peek(&p)->type != T_EOF)
		unexpected(&p);
	*out = n;
	*err = p.err != NULL ? p.err : "syntax error";
	return (p.status);
}

/*
 * sh_parse_subst: s[start..len) follows "$(": parse the command list
 * there to find the ")" that closes it (counting parentheses would be
 * fooled by "case" patterns).  Returns P_OK with *end just after that
 * ")", P_INCOMPLETE if the text ends first, or P_ERROR.
 */
int
sh_parse_subst(const char *s, size_t start, size_t len, size_t *end)
{
	struct sh_arena *ar = sh_arena_new();
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.ar = ar;
	lex_init(&p.lx, s, len, ar);
	p.lx.pos = start;
	parse_list(&p);
	if (p.status == P_OK) {
		if (peek(&p)->type == T_RPAREN)
			*end = p.lx.pos;
		else
			unexpected(&p);
	}
	sh_arena_free(ar);
	return (p.status);
}
