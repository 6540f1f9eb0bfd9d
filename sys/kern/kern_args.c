/*
 * Boot arguments: the PVH command line split into "key=value" words.
 *
 * kern_args_init() copies the line once at boot; kern_getarg() is
 * read-only afterwards and needs no lock.  Words longer than the buffer
 * are truncated; more than MAXARGS words are ignored with a message.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kernel.h>

#define MAXARGS	32

static char	argbuf[512];		/* [I] */
static const char *argkey[MAXARGS];	/* [I] */
static const char *argval[MAXARGS];	/* [I] */
static int	nargs;			/* [I] */

void
kern_args_init(const char *cmdline)
{
	char *p = argbuf;

	strlcpy(argbuf, cmdline, sizeof(argbuf));
	while (*p != '\0') {
		char *eq;

		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (nargs == MAXARGS) {
			kprintf("args: too many boot arguments, ignoring "
			    "\"%s\"\n", p);
			break;
		}
		argkey[nargs] = p;
		argval[nargs] = "";
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		eq = strchr(argkey[nargs], '=');
		if (eq != NULL) {
			*eq = '\0';
			argval[nargs] = eq + 1;
		}
		nargs++;
	}
}

const char *
kern_getarg(const char *key)
{
	/* The last occurrence wins, as with most boot loaders. */
	for (int i = nargs - 1; i >= 0; i--)
		if (strcmp(argkey[i], key) == 0)
			return (argval[i]);
	return (NULL);
}
