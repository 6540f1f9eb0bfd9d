/*
 * Directory streams over SYS_GETDENTS.
 *
 * A DIR holds an open descriptor and a buffer of raw records: each
 * SYS_GETDENTS(fd, buf, len) call fills the buffer with whole struct
 * dirent records (8-byte aligned, d_reclen bytes each) and returns the
 * bytes used, 0 at the end.  readdir() walks the records in place and
 * refills when they are used up, so the returned pointer is valid only
 * until the next readdir() or closedir() on the same DIR.
 *
 * The kernel keeps the position in the descriptor's offset (the d_off
 * cookie); rewinddir() seeks it back to 0 and drops the buffer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "emul.h"

#define DIRBUF_SIZE	4096	/* holds at least one maximal record */

struct _dirdesc {
	int		dd_fd;
	size_t		dd_pos;		/* next record in dd_buf */
	size_t		dd_len;		/* valid bytes in dd_buf */
	/* uint64_t: records must be 8-byte aligned. */
	uint64_t	dd_buf[DIRBUF_SIZE / sizeof(uint64_t)];
};

DIR *
fdopendir(int fd)
{
	DIR *d;

	if ((d = malloc(sizeof(*d))) == NULL) {
		errno = ENOMEM;
		return (NULL);
	}
	d->dd_fd = fd;
	d->dd_pos = 0;
	d->dd_len = 0;
	return (d);
}

DIR *
opendir(const char *path)
{
	DIR *d;
	int fd, saved;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return (NULL);
	if ((d = fdopendir(fd)) == NULL) {
		saved = errno;
		(void)close(fd);
		errno = saved;
	}
	return (d);
}

/*
 * Next entry, or NULL at the end (errno unchanged) or on error (errno
 * set).  A malformed record (d_reclen 0 or past the data) ends the
 * stream with EIO rather than looping.
 */
struct dirent *
readdir(DIR *d)
{
	struct dirent *de;
	long n;

	if (d->dd_pos >= d->dd_len) {
		n = __sm_call(SYS_GETDENTS, d->dd_fd, __SMP(d->dd_buf),
		    sizeof(d->dd_buf), 0, 0);
		if (n <= 0)
			return (NULL);
		d->dd_len = (size_t)n;
		d->dd_pos = 0;
	}
	de = (struct dirent *)((char *)d->dd_buf + d->dd_pos);
	if (de->d_reclen == 0 || d->dd_pos + de->d_reclen > d->dd_len) {
		d->dd_pos = d->dd_len = 0;
		errno = EIO;
		return (NULL);
	}
	d->dd_pos += de->d_reclen;
	return (de);
}

void
rewinddir(DIR *d)
{
	(void)lseek(d->dd_fd, 0, SEEK_SET);
	d->dd_pos = 0;
	d->dd_len = 0;
}

int
closedir(DIR *d)
{
	int r;

	r = close(d->dd_fd);
	free(d);
	return (r);
}

int
dirfd(DIR *d)
{
	return (d->dd_fd);
}
