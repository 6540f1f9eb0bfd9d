/*
 * kill: send a signal to processes.
 *
 *   kill [-s name | -name | -num] pid...
 *   kill -l [exit_status | num]
 *
 * The default signal is TERM.  Names are case-insensitive, with or
 * without "SIG"; numbers are decimal (0 only checks that the processes
 * exist).  A pid may be negative (a process group) after "--".
 * "kill -l" lists the names this system has; with an operand it prints
 * the name of that signal number (an exit status above 128 is taken as
 * 128 + signal).  Exit status 1 if any pid could not be signalled.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char	*name;
	int		 num;
} kill_sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
};
#define KILL_NSIGS	(sizeof(kill_sigs) / sizeof(kill_sigs[0]))

/* Signal number of a name or number, or -1. */
static int
kill_signum(const char *s)
{
	char *end;
	size_t i;
	long n;

	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		if (*end != '\0' || n < 0 || n >= 64)
			return (-1);
		return ((int)n);
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < KILL_NSIGS; i++)
		if (strcasecmp(s, kill_sigs[i].name) == 0)
			return (kill_sigs[i].num);
	return (-1);
}

/* kill -l [arg]. */
static int
kill_list(const char *arg)
{
	char *end;
	size_t i;
	long n;

	if (arg == NULL) {
		for (i = 0; i < KILL_NSIGS; i++)
			printf("%s%c", kill_sigs[i].name,
			    i + 1 < KILL_NSIGS ? ' ' : '\n');
		return (0);
	}
	n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0') {
		fprintf(stderr, "kill: %s: invalid signal number\n", arg);
		return (1);
	}
	if (n > 128)
		n -= 128;
	for (i = 0; i < KILL_NSIGS; i++) {
		if (kill_sigs[i].num == n) {
			printf("%s\n", kill_sigs[i].name);
			return (0);
		}
	}
	fprintf(stderr, "kill: %s: unknown signal\n", arg);
	return (1);
}

int
main(int argc, char **argv)
{
	const char *sigarg;
	char *end;
	int i, sig, rv;
	long pid;

	if (argc < 2)
		goto usage;
	if (strcmp(argv[1], "-l") == 0) {
		if (argc > 3)
			goto usage;
		return (kill_list(argc == 3 ? argv[2] : NULL));
	}
	sig = SIGTERM;
	i = 1;
	sigarg = NULL;
	if (strcmp(argv[1], "-s") == 0) {
		if (argc < 3)
			goto usage;
		sigarg = argv[2];
		i = 3;
	} else if (argv[1][0] == '-' && strcmp(argv[1], "--") != 0) {
		sigarg = argv[1] + 1;
		i = 2;
	}
	if (sigarg != NULL && (sig = kill_signum(sigarg)) < 0) {
		fprintf(stderr, "kill: %s: unknown signal\n", sigarg);
		return (1);
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		goto usage;
	rv = 0;
	for (; i < argc; i++) {
		errno = 0;
		pid = strtol(argv[i], &end, 10);
		if (argv[i][0] == '\0' || *end != '\0' || errno != 0) {
			fprintf(stderr, "kill: %s: invalid process id\n",
			    argv[i]);
			rv = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) != 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
		}
	}
	return (rv);
usage:
	fprintf(stderr, "usage: kill [-s signal | -signal] pid ...\n"
	    "       kill -l [exit_status]\n");
	return (1);
}
