/*
 * sleep: suspend execution for an interval.
 *
 *   sleep seconds
 *
 * seconds is a non-negative decimal number, fractions allowed ("0.25").
 * The wait is one nanosleep, resumed with the remaining time when a
 * signal interrupts it (and its handler returns).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts, rem;
	const char *p;
	char *end;
	double secs;

	if (argc == 3 && strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	}
	if (argc != 2)
		goto usage;
	/* Only digits and one dot: no sign, exponent, "inf" or "nan". */
	for (p = argv[1]; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			goto bad;
	secs = strtod(argv[1], &end);
	if (end == argv[1] || *end != '\0')
		goto bad;
	if (secs > 1e15)
		secs = 1e15;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999)
		ts.tv_nsec = 999999999;
	while (nanosleep(&ts, &rem) != 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: nanosleep: %s\n",
			    strerror(errno));
			return (1);
		}
		ts = rem;
	}
	return (0);
bad:
	fprintf(stderr, "sleep: invalid time interval: %s\n", argv[1]);
	return (1);
usage:
	fprintf(stderr, "usage: sleep seconds\n");
	return (1);
}
