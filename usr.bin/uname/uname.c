/*
 * uname: print system identification.
 *
 *   uname [-amnrsv]
 *
 * Fields in the fixed order sysname, nodename, release, version,
 * machine, separated by one blank; -a selects all, no option means -s.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define UN_S	0x01
#define UN_N	0x02
#define UN_R	0x04
#define UN_V	0x08
#define UN_M	0x10

int
main(int argc, char **argv)
{
	struct utsname u;
	const char *sep;
	int ch, which;

	which = 0;
	while ((ch = getopt(argc, argv, "amnrsv")) != -1) {
		switch (ch) {
		case 'a': which |= UN_S | UN_N | UN_R | UN_V | UN_M; break;
		case 'm': which |= UN_M; break;
		case 'n': which |= UN_N; break;
		case 'r': which |= UN_R; break;
		case 's': which |= UN_S; break;
		case 'v': which |= UN_V; break;
		default:
			fprintf(stderr, "usage: uname [-amnrsv]\n");
			return (1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: uname [-amnrsv]\n");
		return (1);
	}
	if (which == 0)
		which = UN_S;
	if (uname(&u) != 0) {
		fprintf(stderr, "uname: uname: %s\n", strerror(errno));
		return (1);
	}
	sep = "";
	if (which & UN_S) { printf("%s%s", sep, u.sysname); sep = " "; }
	if (which & UN_N) { printf("%s%s", sep, u.nodename); sep = " "; }
	if (which & UN_R) { printf("%s%s", sep, u.release); sep = " "; }
	if (which & UN_V) { printf("%s%s", sep, u.version); sep = " "; }
	if (which & UN_M) printf("%s%s", sep, u.machine);
	putchar('\n');
	return (0);
}
