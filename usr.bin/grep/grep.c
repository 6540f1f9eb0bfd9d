/*
 * grep: print the lines that match a pattern.
 *
 *   grep [-cFilnqsv] [-e pattern]... [pattern] [file ...]
 *
 * Patterns are POSIX basic regular expressions restricted to what a
 * single-character-atom matcher can do: ordinary characters, ".", "*"
 * (after an atom; a leading "*" is literal), "^" at the start and "$" at
 * the end (literal elsewhere), bracket expressions [abc] [^a-z] with
 * [:class:] names, and "\c" to quote a special character.  Groups,
 * intervals and back-references (\( \) \{ \} \1) are refused with exit
 * status 2.  -F takes the patterns as fixed strings.  A pattern
 * containing newlines, or several -e options, is a list of patterns: a
 * line is selected if any of them matches.  An empty pattern matches
 * every line.
 *
 * Matching (re_*): a pattern compiles to a row of nodes, each a
 * 256-bit byte set with a "starred" flag.  The matcher simulates that
 * automaton over the line with one active-state flag per node, so a line
 * of length n costs O(n * m) for a pattern of m nodes however many stars
 * there are: no backtracking, no blow-up.  Lines are held whole
 * (getline), so any length works while memory lasts; NUL bytes in a
 * line are matched like other bytes.
 *
 * Options: -c count, -i ignore case (ASCII), -l list file names, -n line
 * numbers, -q quiet (exit at the first match), -s no messages about
 * unreadable files, -v select non-matching lines.  With more than one
 * file, output lines are prefixed by "name:".  Exit status 0 if a line
 * was selected, 1 if none, 2 on an error (unless -q found a match).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One pattern position: the bytes it accepts, and whether it repeats. */
struct re_node {
	unsigned char	rn_set[32];
	int		rn_star;
};

/* A compiled pattern. */
struct re {
	struct re_node	*re_nodes;
	size_t		 re_n;
	int		 re_bol;	/* anchored at the start (^) */
	int		 re_eol;	/* anchored at the end ($) */
	const char	*re_fixed;	/* -F: the string */
	size_t		 re_flen;
};

static int	g_cflag, g_Fflag, g_iflag, g_lflag, g_nflag, g_qflag;
static int	g_sflag, g_vflag;
static struct re *g_res;
static size_t	g_nres;
static unsigned char *g_cur, *g_nxt;	/* matcher state, max nodes + 1 */
static size_t	g_maxn;

static void
re_setadd(struct re_node *rn, unsigned char c)
{
	rn->rn_set[c >> 3] |= 1 << (c & 7);
	if (g_iflag && isalpha(c)) {
		c = isupper(c) ? tolower(c) : toupper(c);
		rn->rn_set[c >> 3] |= 1 << (c & 7);
	}
}

static int
re_inset(const struct re_node *rn, unsigned char c)
{
	return ((rn->rn_set[c >> 3] >> (c & 7)) & 1);
}

/* Add the bytes of [:name:] (name of length len) to rn; 0 or -1. */
static int
re_class(struct re_node *rn, const char *name, size_t len)
{
	static const struct {
		const char	*name;
		int		(*fn)(int);
	} classes[] = {
		{ "alpha", isalpha }, { "digit", isdigit },
		{ "alnum", isalnum }, { "space", isspace },
		{ "upper", isupper }, { "lower", islower },
		{ "punct", ispunct }, { "xdigit", isxdigit },
		{ "print", isprint }, { "cntrl", iscntrl },
		{ "graph", isgraph },
	};
	size_t i;
	int c;

	if (len == 5 && strncmp(name, "blank", 5) == 0) {
		re_setadd(rn, ' ');
		re_setadd(rn, '\t');
		return (0);
	}
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) != len ||
		    strncmp(classes[i].name, name, len) != 0)
			continue;
		for (c = 0; c < 128; c++)
			if (classes[i].fn(c))
				re_setadd(rn, c);
		return (0);
	}
	return (-1);
}

/*
 * Compile the bracket expression starting after '[' at p (pattern ends
 * at end) into rn.  Returns the position after the closing ']', or NULL
 * for an unterminated or bad expression.
 */
static const char *
re_bracket(struct re_node *rn, const char *p, const char *end)
{
	const char *q;
	int neg, first, c, lo, i;

	neg = 0;
	if (p < end && *p == '^') {
		neg = 1;
		p++;
	}
	for (first = 1; p < end && (*p != ']' || first); first = 0) {
		if (*p == '[' && p + 1 < end && p[1] == ':') {
			for (q = p + 2; q + 1 < end; q++)
				if (q[0] == ':' && q[1] == ']')
					break;
			if (q + 1 >= end || re_class(rn, p + 2, q - p - 2) != 0)
				return (NULL);
			p = q + 2;
			continue;
		}
		lo = (unsigned char)*p++;
		if (p + 1 < end && *p == '-' && p[1] != ']') {
			c = (unsigned char)p[1];
			p += 2;
			if (c < lo)
				return (NULL);
			for (i = lo; i <= c; i++)
				re_setadd(rn, i);
		} else
			re_setadd(rn, lo);
	}
	if (p >= end)
		return (NULL);
	if (neg) {
		for (i = 0; i < 32; i++)
			rn->rn_set[i] ^= 0xff;
		rn->rn_set['\n' >> 3] &= ~(1 << ('\n' & 7));
	}
	return (p + 1);
}

/*
 * Compile pattern pat[0..len) into re.  Returns 0, or -1 after printing
 * why.  Nodes are allocated for the worst case (one per byte).
 */
static int
re_compile(struct re *re, const char *pat, size_t len)
{
	const char *p, *end;
	struct re_node *rn;

	memset(re, 0, sizeof(*re));
	if (g_Fflag) {
		re->re_fixed = pat;
		re->re_flen = len;
		return (0);
	}
	re->re_nodes = calloc(len + 1, sizeof(*re->re_nodes));
	if (re->re_nodes == NULL) {
		fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
		return (-1);
	}
	p = pat;
	end = pat + len;
	if (p < end && *p == '^') {
		re->re_bol = 1;
		p++;
	}
	if (end > p && end[-1] == '$' &&
	    (end - 1 == p || end[-2] != '\\')) {
		re->re_eol = 1;
		end--;
	}
	while (p < end) {
		if (*p == '*' && re->re_n > 0) {
			re->re_nodes[re->re_n - 1].rn_star = 1;
			p++;
			continue;
		}
		rn = &re->re_nodes[re->re_n++];
		if (*p == '.') {
			memset(rn->rn_set, 0xff, sizeof(rn->rn_set));
			p++;
		} else if (*p == '[') {
			if ((p = re_bracket(rn, p + 1, end)) == NULL)
				goto bad;
		} else if (*p == '\\') {
			if (++p >= end || strchr("(){}123456789", *p) != NULL)
				goto bad;
			re_setadd(rn, *p++);
		} else
			re_setadd(rn, *p++);
	}
	return (0);
bad:
	fprintf(stderr, "grep: %.*s: unsupported or malformed regular "
	    "expression\n", (int)len, pat);
	return (-1);
}

/* Activate state i of re in s, with the states its stars let through. */
static void
re_add(const struct re *re, unsigned char *s, size_t i)
{
	while (!s[i]) {
		s[i] = 1;
		if (i >= re->re_n || !re->re_nodes[i].rn_star)
			return;
		i++;
	}
}

/* Whether the fixed string of re occurs in line[0..len). */
static int
re_fixed(const struct re *re, const char *line, size_t len)
{
	size_t i, j, m;

	m = re->re_flen;
	for (i = 0; i + m <= len; i++) {
		for (j = 0; j < m; j++) {
			unsigned char a = line[i + j], b = re->re_fixed[j];

			if (a != b && (!g_iflag || tolower(a) != tolower(b)))
				break;
		}
		if (j == m)
			return (1);
	}
	return (0);
}

/* Whether re matches somewhere in line[0..len). */
static int
re_match(const struct re *re, const char *line, size_t len)
{
	unsigned char *cur, *nxt, *t;
	size_t pos, i, n;
	int any;

	if (re->re_fixed != NULL)
		return (re_fixed(re, line, len));
	n = re->re_n;
	cur = g_cur;
	nxt = g_nxt;
	memset(cur, 0, n + 1);
	for (pos = 0;; pos++) {
		if (!re->re_bol || pos == 0)
			re_add(re, cur, 0);
		if (cur[n] && (!re->re_eol || pos == len))
			return (1);
		if (pos == len)
			return (0);
		memset(nxt, 0, n + 1);
		any = 0;
		for (i = 0; i < n; i++) {
			if (!cur[i] || !re_inset(&re->re_nodes[i],
			    (unsigned char)line[pos]))
				continue;
			re_add(re, nxt, re->re_nodes[i].rn_star ? i : i + 1);
			any = 1;
		}
		if (!any && re->re_bol)
			return (0);
		t = cur;
		cur = nxt;
		nxt = t;
	}
}

/* Add each newline-separated piece of s as a pattern; exits on error. */
static void
grep_addpats(const char *s)
{
	const char *nl;
	struct re *nr;
	size_t len;

	for (;;) {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		nr = realloc(g_res, (g_nres + 1) * sizeof(*g_res));
		if (nr == NULL) {
			fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
			exit(2);
		}
		g_res = nr;
		if (re_compile(&g_res[g_nres], s, len) != 0)
			exit(2);
		if (g_res[g_nres].re_n > g_maxn)
			g_maxn = g_res[g_nres].re_n;
		g_nres++;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
}

/* Whether line (newline stripped) is selected. */
static int
grep_selected(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < g_nres; i++)
		if (re_match(&g_res[i], line, len))
			return (!g_vflag);
	return (g_vflag);
}

/*
 * Search fp (called name; prefix it when showname).  Returns the number
 * of selected lines, or -1 on a read error (reported).
 */
static long long
grep_file(FILE *fp, const char *name, int showname)
{
	unsigned long long lineno;
	long long count;
	size_t cap, len;
	ssize_t n;
	char *line;

	line = NULL;
	cap = 0;
	count = 0;
	lineno = 0;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		len = n;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (!grep_selected(line, len))
			continue;
		count++;
		if (g_qflag)
			exit(0);
		if (g_lflag)
			break;
		if (g_cflag)
			continue;
		if (showname)
			printf("%s:", name);
		if (g_nflag)
			printf("%llu:", lineno);
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
	free(line);
	if (ferror(fp)) {
		if (!g_sflag)
			fprintf(stderr, "grep: %s: %s\n", name,
			    strerror(errno));
		return (-1);
	}
	if (g_lflag && count > 0)
		printf("%s\n", name);
	else if (g_cflag && !g_lflag) {
		if (showname)
			printf("%s:", name);
		printf("%lld\n", count);
	}
	return (count);
}

/*
 * Parse the options, collecting the -e patterns in argv order into pats
 * (room for argc entries); returns their number, with optind at the
 * first operand.  They are compiled later, once -F and -i are known.
 */
static int
grep_options(int argc, char **argv, char **pats)
{
	int ch, npats;

	npats = 0;
	while ((ch = getopt(argc, argv, "ce:Filnqsv")) != -1) {
		switch (ch) {
		case 'c': g_cflag = 1; break;
		case 'e': pats[npats++] = optarg; break;
		case 'F': g_Fflag = 1; break;
		case 'i': g_iflag = 1; break;
		case 'l': g_lflag = 1; break;
		case 'n': g_nflag = 1; break;
		case 'q': g_qflag = 1; break;
		case 's': g_sflag = 1; break;
		case 'v': g_vflag = 1; break;
		default:
			fprintf(stderr, "usage: grep [-cFilnqsv] [-e pattern] "
			    "[pattern] [file ...]\n");
			exit(2);
		}
	}
	return (npats);
}

int
main(int argc, char **argv)
{
	long long n;
	static char **pats;	/* static: reachable until exit */
	int npats, i, error, selected, showname;
	FILE *fp;

	if ((pats = calloc(argc, sizeof(*pats))) == NULL) {
		fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
		return (2);
	}
	npats = grep_options(argc, argv, pats);
	for (i = 0; i < npats; i++)
		grep_addpats(pats[i]);
	if (npats == 0) {
		if (optind >= argc) {
			fprintf(stderr, "usage: grep [-cFilnqsv] [-e pattern] "
			    "[pattern] [file ...]\n");
			return (2);
		}
		grep_addpats(argv[optind++]);
	}
	g_cur = malloc(g_maxn + 1);
	g_nxt = malloc(g_maxn + 1);
	if (g_cur == NULL || g_nxt == NULL) {
		fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
		return (2);
	}
	error = selected = 0;
	showname = argc - optind > 1;
	if (optind >= argc) {
		n = grep_file(stdin, "(standard input)", 0);
		return (n < 0 ? 2 : n > 0 ? 0 : 1);
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			fp = stdin;
		else if ((fp = fopen(argv[i], "r")) == NULL) {
			if (!g_sflag)
				fprintf(stderr, "grep: %s: %s\n", argv[i],
				    strerror(errno));
			error = 1;
			continue;
		}
		n = grep_file(fp, fp == stdin ? "(standard input)" : argv[i],
		    showname);
		if (fp != stdin)
			fclose(fp);
		if (n < 0)
			error = 1;
		else if (n > 0)
			selected = 1;
	}
	return (error ? 2 : selected ? 0 : 1);
}
