/*
 * sh.h - shared declarations of the shell (/bin/sh).
 *
 * The shell is a pipeline of stages, one per file:
 *
 *	main.c		reads input one line at a time and hands the
 *			accumulated text to the parser until it forms a
 *			complete command, then runs it;
 *	lex.c		cuts the text into tokens (words keep their quotes:
 *			quote removal happens at expansion time);
 *	parse.c		builds a tree of struct sh_node from the tokens, all
 *			allocated from one arena that is freed in one go
 *			after the command has run;
 *	expand.c	turns a raw word into fields ($var, quotes, $(cmd),
 *			field splitting, pathname patterns); arith.c
 *			evaluates $((...));
 *	exec.c		walks the tree: pipelines, redirections, and/or
 *			lists, compound commands, background jobs;
 *	var.c		shell variables, exported environment, positional
 *			parameters, functions;
 *	builtin.c	commands that run inside the shell (cd, exit,
 *			export, ...).
 *
 * Only the C library subset listed in the project brief is used, so the
 * same sources build against the host's libc and against ours.
 *
 * Rules:
 * (1) The tree and every string it points to belong to the arena of the
 *     parse that made them; nothing outlives sh_arena_free() of it,
 *     except function bodies, whose arena main.c keeps until exit.
 * (2) Strings returned by expansion are malloc()ed and owned by the
 *     caller.
 * (3) A child process leaves with _exit() (never exit()), after an
 *     explicit fflush(NULL) where it wrote with stdio.
 */

#ifndef SH_H
#define SH_H

#include <stddef.h>

/* Token kinds (lex.c). */
enum sh_tok {
	T_WORD,
	T_NEWLINE,
	T_SEMI,		/* ; */
	T_DSEMI,	/* ;; */
	T_AMP,		/* & */
	T_PIPE,		/* | */
	T_AND,		/* && */
	T_OR,		/* || */
	T_LPAREN,	/* ( */
	T_RPAREN,	/* ) */
	T_REDIR,	/* <, >, >>, ... with an optional descriptor number */
	T_EOF
};

/* Redirection kinds. */
enum sh_rkind {
	R_IN,		/* N<file */
	R_OUT,		/* N>file, N>|file */
	R_APPEND,	/* N>>file */
	R_RDWR,		/* N<>file */
	R_DUP,		/* N>&M, N<&M, N>&- */
	R_HERE		/* N<<WORD: the target is the body */
};

struct sh_arena;

struct sh_token {
	int		 type;
	char		*text;		/* T_WORD: raw text, quotes kept */
	int		 quoted;	/* T_WORD: contains a quote or \ */
	int		 fd;		/* T_REDIR: descriptor, -1 default */
	int		 rkind;		/* T_REDIR: enum sh_rkind */
	int		 rout;		/* T_REDIR: bit 0 default fd 1,
					   bit 1 <<- */
};

struct sh_lexer {
	const char	*src;		/* [I] text being cut */
	size_t		 len;		/* [I] its length */
	size_t		 pos;		/* next character */
	struct sh_arena	*arena;		/* where token texts go */
	int		 incomplete;	/* ran out inside a quote, heredoc */
	const char	*error;		/* static message, NULL if none */
	struct pending_here {
		struct pending_here *next;
		struct sh_redir	*redir;	/* redirection awaiting a body */
		char		*delim;	/* unquoted delimiter */
		int		 strip;	/* <<-: strip leading tabs */
	}		*heres;		/* heredocs waiting for a newline */
};

struct sh_word {
	struct sh_word	*next;
	char		*text;		/* raw text as lexed */
};

struct sh_redir {
	struct sh_redir	*next;
	int		 fd;		/* descriptor to change */
	int		 kind;		/* enum sh_rkind */
	char		*target;	/* raw word, or heredoc body */
	int		 hquoted;	/* heredoc body taken literally */
};

enum sh_ntype {
	N_SIMPLE,	/* words, assigns, redirs */
	N_PIPE,		/* a | b, b may be another N_PIPE */
	N_AND,		/* a && b */
	N_OR,		/* a || b */
	N_SEQ,		/* a ; b */
	N_BG,		/* a & */
	N_NOT,		/* ! a */
	N_IF,		/* if a then b else c (c may be another N_IF) */
	N_WHILE,	/* while a do b */
	N_UNTIL,	/* until a do b */
	N_FOR,		/* for name in words do a */
	N_CASE,		/* case words->text in arms */
	N_SUBSHELL,	/* ( a ) */
	N_GROUP,	/* { a } */
	N_FUNC		/* name() a: defines a function */
};

struct sh_casearm {
	struct sh_casearm *next;
	struct sh_word	*pats;		/* patterns, raw */
	struct sh_node	*body;		/* may be NULL */
};

struct sh_node {
	int		 type;		/* enum sh_ntype */
	struct sh_node	*a, *b, *c;
	struct sh_word	*words;		/* N_SIMPLE argv, N_FOR list */
	struct sh_word	*assigns;	/* N_SIMPLE NAME=value words */
	struct sh_redir	*redirs;	/* any command */
	char		*name;		/* N_FOR variable, N_FUNC name */
	int		 has_in;	/* N_FOR: an "in" list was given */
	struct sh_casearm *arms;	/* N_CASE */
};

/* Parse results. */
enum { P_OK, P_INCOMPLETE, P_ERROR };

/* arena (parse.c) */
struct sh_arena	*sh_arena_new(void);
void		*sh_alloc(struct sh_arena *, size_t);
char		*sh_strndup(struct sh_arena *, const char *, size_t);
void		 sh_arena_free(struct sh_arena *);

/* lex.c */
void	 lex_init(struct sh_lexer *, const char *, size_t, struct sh_arena *);
int	 lex_next(struct sh_lexer *, struct sh_token *);
size_t	 lex_skip_subst(const char *, size_t, size_t, int *);
void	 lex_here_add(struct sh_lexer *, struct sh_redir *, const char *,
	    int);

/* parse.c */
int	 sh_parse(const char *, size_t, struct sh_arena *, struct sh_node **,
	    const char **);
int	 sh_parse_subst(const char *, size_t, size_t, size_t *);

/* expand.c, arith.c */
struct sh_fields {
	char	**v;
	int	  n;
	int	  cap;
};
int	 expand_fields(const char *, struct sh_fields *);
char	*expand_string(const char *);
char	*expand_here(const char *);
char	*expand_pattern(const char *);
long	 arith_eval(const char *, int *);
void	 fields_add(struct sh_fields *, char *);
void	 fields_free(struct sh_fields *);
int	 sh_match(const char *, const char *);

/* exec.c */
int	 exec_node(struct sh_node *);
void	 exec_child_signals(int);
int	 exec_wait_pid(long, int *);
int	 exec_wait_all(void);
int	 exec_wait_job(long);
void	 exec_jobs_free(void);
void	 exec_reap(void);

/* var.c */
struct sh_args {
	int	  n;		/* $# */
	char	**v;		/* $1.. (v[0] is $1), malloc()ed */
};
void	 var_init(char **);
const char *var_get(const char *);
int	 var_set(const char *, const char *, int);
int	 var_unset(const char *);
int	 var_export(const char *);
char	**var_environ(char **, int);
int	 var_valid_name(const char *, size_t);
void	 var_print(int);
void	 var_set_args(int, char **);
struct sh_args var_args_push(int, char **);
void	 var_args_pop(struct sh_args);
int	 var_nargs(void);
const char *var_arg(int);
int	 var_shift(int);
void	 var_free_all(void);
void	 var_func_define(const char *, struct sh_node *);
struct sh_node *var_func_get(const char *);
int	 var_func_unset(const char *);

/* builtin.c */
typedef int	sh_builtin_fn(int, char **);
sh_builtin_fn	*builtin_find(const char *, int *);

/* main.c */
void	 sh_error(const char *, ...);
void	*xmalloc(size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
int	 sh_run_text(const char *, size_t, int);
int	 exec_eval_string(const char *, int);
int	 exec_run_file(const char *);
void	 sh_keep_arena(void);

/* Shell state (main.c). */
extern int	 sh_status;		/* $? */
extern int	 sh_subst_ran;		/* a $(...) ran in this command */
extern long	 sh_lastbg;		/* $!, 0 if none */
extern long	 sh_pid;		/* $$ */
extern int	 sh_interactive;
extern int	 sh_exiting;		/* exit builtin ran */
extern int	 sh_loopctl;		/* pending break/continue count */
extern int	 sh_loopbreak;		/* 1 break, 2 continue */
extern int	 sh_returning;		/* return builtin ran */
extern int	 sh_loopdepth;
extern int	 sh_funcdepth;
extern int	 sh_dotdepth;		/* nesting of . files */
extern int	 sh_opt_e, sh_opt_x, sh_opt_u;
extern char	*sh_name;		/* $0 */

#endif /* !SH_H */
