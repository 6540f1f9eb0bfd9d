/*
 * echo: write the operands, separated by single blanks, followed by a
 * newline unless the first operand is -n.  No escape sequences are
 * interpreted and no other option is recognised: "echo -e x" prints
 * "-e x".  Exit status 0, or 1 when standard output cannot be written.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	int i, nflag;

	i = 1;
	nflag = 0;
	while (i < argc && strcmp(argv[i], "-n") == 0) {
		nflag = 1;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (!nflag)
		putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("echo: write");
		return (1);
	}
	return (0);
}
