/*
 * env: run a program in a modified environment, or print it.
 *
 *   env [-i] [-u name]... [name=value]... [utility [argument...]]
 *
 * -i starts from an empty environment, -u removes one variable, each
 * name=value operand sets one (setenv), then the utility is run with
 * execvp (searched in $PATH of the new environment).  Without a
 * utility the resulting environment is printed, one name=value a line.
 * Exit status: the utility's; 125 for env's own errors, 126 when the
 * utility was found but could not be run, 127 when it was not found.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char **argv)
{
	static char *empty[1] = { NULL };
	char **ep, *eq, *name;
	int ch, i;

	while ((ch = getopt(argc, argv, "+iu:")) != -1) {
		switch (ch) {
		case 'i':
			environ = empty;
			break;
		case 'u':
			if (unsetenv(optarg) != 0) {
				fprintf(stderr, "env: %s: %s\n", optarg,
				    strerror(errno));
				return (125);
			}
			break;
		default:
			fprintf(stderr, "usage: env [-i] [-u name] "
			    "[name=value ...] [utility [argument ...]]\n");
			return (125);
		}
	}
	for (i = optind; i < argc && (eq = strchr(argv[i], '=')) != NULL;
	    i++) {
		if (eq == argv[i]) {
			fprintf(stderr, "env: %s: invalid name\n", argv[i]);
			return (125);
		}
		name = strndup(argv[i], eq - argv[i]);
		if (name == NULL || setenv(name, eq + 1, 1) != 0) {
			fprintf(stderr, "env: %s: %s\n", argv[i],
			    strerror(errno));
			return (125);
		}
		free(name);
	}
	if (i >= argc) {
		for (ep = environ; *ep != NULL; ep++)
			printf("%s\n", *ep);
		return (fflush(stdout) != 0 ? 125 : 0);
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return (errno == ENOENT ? 127 : 126);
}
