/*
 * Kernel-environment side of the host tests of the initrd parser
 * (sys/kern/subr_initrd.c; the test is tests/host/initrd_test.c).
 *
 * The test program cannot include kernel headers, so this file, compiled
 * like the kernel (-nostdinc, -DKHOST), calls initrd_parse() and answers
 * in plain C types.  On acceptance it also checks that the index is
 * sound whatever the input was (data inside the buffer, canonical names
 * within the limits, known types, hard-link indexes in range), so the
 * fuzz tests can judge every accepted mutation.  Also the formatting
 * functions the parser uses, on top of libc's vsnprintf.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/dirent.h>
#include <sys/initrd.h>
#include "host_api.h"

/* Declared by hand: libc's headers are not on this include path. */
int	vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return (vsnprintf(buf, size, fmt, ap));
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n);
}

/* A sound index, or the first problem in why (non-empty). */
static void
initrd_host_sane(const struct initrd_archive *ar, size_t len, char *why,
    size_t whylen)
{
	for (size_t i = 0; i < ar->ar_nents; i++) {
		const struct initrd_ent *ie = &ar->ar_ents[i];
		const char *c = ie->ie_name;
		size_t clen;

		if (ie->ie_dataoff > len ||
		    ie->ie_size > len - ie->ie_dataoff) {
			ksnprintf(why, whylen, "entry %zu: data outside", i);
			return;
		}
		if (strlen(c) != ie->ie_namelen ||
		    ie->ie_namelen + 2 > PATH_MAX ||
		    ie->ie_type < INITRD_REG || ie->ie_type > INITRD_DOT ||
		    (ie->ie_namelen == 0) != (ie->ie_type == INITRD_DOT) ||
		    ie->ie_head > i || ie->ie_data >= ar->ar_nents ||
		    (ie->ie_type == INITRD_LNK && (ie->ie_size == 0 ||
		    ie->ie_size >= PATH_MAX))) {
			ksnprintf(why, whylen, "entry %zu: bad fields", i);
			return;
		}
		while (ie->ie_namelen > 0) {
			const char *e = strchr(c, '/');

			clen = e == NULL ? strlen(c) : (size_t)(e - c);
			if (clen == 0 || clen > NAME_MAX ||
			    (clen == 1 && c[0] == '.') ||
			    (clen == 2 && c[0] == '.' && c[1] == '.')) {
				ksnprintf(why, whylen, "entry %zu: bad name "
				    "'%s'", i, ie->ie_name);
				return;
			}
			if (e == NULL)
				break;
			c = e + 1;
		}
	}
}

int
host_initrd_parse(const void *buf, size_t len, size_t prefixlen,
    size_t *nentsp, size_t *offp, char *reason, size_t reasonlen,
    char *insane, size_t insanelen)
{
	struct initrd_archive ar;
	struct initrd_report rep;
	int error;

	insane[0] = '\0';
	error = initrd_parse(buf, len, prefixlen, &ar, &rep);
	ksnprintf(reason, reasonlen, "%s", rep.ir_reason);
	*offp = rep.ir_off;
	*nentsp = 0;
	if (error != 0)
		return (error);
	*nentsp = ar.ar_nents;
	initrd_host_sane(&ar, len, insane, insanelen);
	initrd_archive_free(&ar);
	return (0);
}
