/*
 * Kernel I/O descriptors.  A uio names one kernel buffer and a 64-bit
 * byte offset.  The VFS never sees user addresses: the system-call layer
 * copies in and out (later it will hand VM-object ranges instead), so
 * uio_buf is always a kernel address the filesystem may touch directly.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

enum uio_rw { UIO_READ, UIO_WRITE };

struct uio {
	void		*uio_buf;	/* kernel buffer; advanced as data moves */
	size_t		uio_resid;	/* bytes still to move */
	off_t		uio_offset;	/* byte offset in the file (or a cookie) */
	enum uio_rw	uio_rw;		/* direction */
};

/*
 * Move up to n bytes between kernel memory at cp and the uio, in the uio's
 * direction (UIO_READ: cp -> uio_buf), and advance the uio.  Returns the
 * number of bytes moved (min(n, uio_resid)).  Never fails, never blocks.
 */
size_t	uiomove(void *cp, size_t n, struct uio *uio);

#endif /* !_SYS_UIO_H_ */
