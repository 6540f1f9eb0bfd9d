/*
 * getopt(), POSIX semantics: options are scanned from argv[optind] on;
 * scanning stops at the first non-option, at "-" alone, or after "--"
 * (which is skipped).  Several options may share one word ("-ab"); an
 * option's argument is the rest of its word or the next word.
 *
 * Errors: an unknown option, or a missing argument, returns '?' and sets
 * optopt; the message goes to stderr when opterr is non-zero.  When
 * optstring begins with ':' no message is printed and a missing
 * argument returns ':' instead.
 *
 * Setting optind to 0 or 1 restarts scanning (for a second parse).
 * Messages are written with write(2) so that getopt needs no stdio.
 */
#include <string.h>
#include <unistd.h>

char	*optarg;
int	optind = 1;
int	opterr = 1;
int	optopt;

static int	getopt_pos;	/* offset in argv[optind]; 0: next word */
static int	getopt_lastind;	/* optind when getopt_pos was set */

/* "prog: msg -- c\n" on fd 2. */
static void
getopt_err(const char *prog, const char *msg, int c)
{
	char buf[160];
	size_t n, l;

	if (prog == NULL)
		prog = "getopt";
	l = strlen(prog);
	if (l > 100)
		l = 100;
	memcpy(buf, prog, l);
	n = l;
	buf[n++] = ':';
	buf[n++] = ' ';
	l = strlen(msg);
	memcpy(buf + n, msg, l);
	n += l;
	memcpy(buf + n, " -- ", 4);
	n += 4;
	buf[n++] = (char)c;
	buf[n++] = '\n';
	(void)write(2, buf, n);
}

int
getopt(int argc, char *const argv[], const char *optstring)
{
	const char *word, *spec;
	int colon, c;

	colon = optstring[0] == ':';
	if (optind == 0 || getopt_lastind != optind) {
		if (optind == 0)
			optind = 1;
		getopt_pos = 0;
	}
	optarg = NULL;
	if (getopt_pos == 0) {
		if (optind >= argc || argv[optind] == NULL)
			return (-1);
		word = argv[optind];
		if (word[0] != '-' || word[1] == '\0')
			return (-1);
		if (word[1] == '-' && word[2] == '\0') {
			optind++;
			return (-1);
		}
		getopt_pos = 1;
	}
	word = argv[optind];
	c = (unsigned char)word[getopt_pos++];
	spec = c != ':' ? strchr(optstring + colon, c) : NULL;
	if (word[getopt_pos] == '\0') {
		optind++;
		getopt_pos = 0;
	}
	getopt_lastind = optind;
	if (spec == NULL || c == '\0') {
		optopt = c;
		if (opterr && !colon)
			getopt_err(argv[0], "illegal option", c);
		return ('?');
	}
	if (spec[1] != ':')
		return (c);
	if (getopt_pos != 0) {
		/* The rest of this word is the argument. */
		optarg = (char *)word + getopt_pos;
		optind++;
		getopt_pos = 0;
	} else if (optind < argc && argv[optind] != NULL) {
		optarg = argv[optind++];
	} else {
		optopt = c;
		getopt_lastind = optind;
		if (colon)
			return (':');
		if (opterr)
			getopt_err(argv[0], "option requires an argument", c);
		return ('?');
	}
	getopt_lastind = optind;
	return (c);
}
