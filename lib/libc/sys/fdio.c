/*
 * File descriptor calls: open, read, write, seek, dup, pipe, fcntl,
 * truncate, isatty.  Each is one synchronous message (emul.h); the
 * kernel's result is already the POSIX return value, so the wrappers
 * only convert arguments.
 *
 * umask is emulated here: the kernel has no umask message, so libc keeps
 * the mask (initially 0, not inherited across exec) and clears its bits
 * from the mode of open(O_CREAT), creat() and mkdir().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emul.h"

mode_t __libc_umask;

mode_t
umask(mode_t mask)
{
	mode_t old;

	old = __libc_umask;
	__libc_umask = mask & ACCESSPERMS;
	return (old);
}

/*
 * open(path, flags [, mode]): mode is read only with O_CREAT, as POSIX
 * says it is passed only then.
 */
int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	mode = 0;
	if ((flags & O_CREAT) != 0) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
		mode &= ~__libc_umask;
	}
	return ((int)__sm_call(SYS_OPEN, __SMP(path), (unsigned int)flags,
	    mode, 0, 0));
}

int
creat(const char *path, mode_t mode)
{
	return (open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
}

int
close(int fd)
{
	return ((int)__sm_call(SYS_CLOSE, fd, 0, 0, 0, 0));
}

ssize_t
read(int fd, void *buf, size_t len)
{
	return (__sm_call(SYS_READ, fd, __SMP(buf), len, 0, 0));
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	return (__sm_call(SYS_WRITE, fd, __SMP(buf), len, 0, 0));
}

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	return (__sm_call(SYS_PREAD, fd, __SMP(buf), len, off, 0));
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return (__sm_call(SYS_PWRITE, fd, __SMP(buf), len, off, 0));
}

off_t
lseek(int fd, off_t off, int whence)
{
	return (__sm_call(SYS_LSEEK, fd, off, whence, 0, 0));
}

int
dup(int fd)
{
	return ((int)__sm_call(SYS_DUP, fd, 0, 0, 0, 0));
}

int
dup2(int fd, int newfd)
{
	return ((int)__sm_call(SYS_DUP2, fd, newfd, 0, 0, 0));
}

/*
 * pipe2(fds, flags): flags may hold O_CLOEXEC and O_NONBLOCK.  The kernel
 * answers with both descriptors packed in one result: the read end in
 * the low 32 bits, the write end in the high 32 bits.
 */
int
pipe2(int fds[2], int flags)
{
	long r;

	r = __sm_call(SYS_PIPE, (unsigned int)flags, 0, 0, 0, 0);
	if (r == -1)
		return (-1);
	fds[0] = (int)(r & 0xffffffff);
	fds[1] = (int)((unsigned long)r >> 32);
	return (0);
}

int
pipe(int fds[2])
{
	return (pipe2(fds, 0));
}

/*
 * fcntl(fd, cmd [, arg]): the integer argument is fetched only for the
 * commands that take one (F_DUPFD, F_SETFD, F_SETFL).
 */
int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int arg;

	arg = 0;
	if (cmd == F_DUPFD || cmd == F_SETFD || cmd == F_SETFL) {
		va_start(ap, cmd);
		arg = va_arg(ap, int);
		va_end(ap);
	}
	return ((int)__sm_call(SYS_FCNTL, fd, cmd, arg, 0, 0));
}

int
truncate(const char *path, off_t len)
{
	return ((int)__sm_call(SYS_TRUNCATE, __SMP(path), len, 0, 0, 0));
}

int
ftruncate(int fd, off_t len)
{
	return ((int)__sm_call(SYS_FTRUNCATE, fd, len, 0, 0, 0));
}

/*
 * A terminal is any character device (the console is our only one).
 * Returns 1, or 0 with errno = ENOTTY (or fstat's error).
 */
int
isatty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return (0);
	if (!S_ISCHR(st.st_mode)) {
		errno = ENOTTY;
		return (0);
	}
	return (1);
}
