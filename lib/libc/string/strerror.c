/*
 * Messages for errno values and signal numbers.  The tables are indexed
 * by the values of <errno.h> (the kernel's, sys/sys/errno.h) and
 * <signal.h>; unknown numbers get "Unknown error N" / "Unknown signal N",
 * formatted into a static buffer (so strerror is not reentrant for
 * unknown values; strerror_r is).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

static const char *const str_errlist[] = {
	[0] = "No error",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "Device not configured",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EDEADLK] = "Resource deadlock avoided",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Device busy",
	[EEXIST] = "File exists",
	[EXDEV] = "Cross-device link",
	[ENODEV] = "Operation not supported by device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EMLINK] = "Too many links",
	[EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain",
	[ERANGE] = "Result too large",
	[EAGAIN] = "Resource temporarily unavailable",
	[EINPROGRESS] = "Operation now in progress",
	[EALREADY] = "Operation already in progress",
	[ETIMEDOUT] = "Operation timed out",
	[ELOOP] = "Too many levels of symbolic links",
	[ENAMETOOLONG] = "File name too long",
	[ENOTEMPTY] = "Directory not empty",
	[ENOSYS] = "Function not implemented",
};

static const char *const str_siglist[] = {
	[SIGHUP] = "Hangup",
	[SIGINT] = "Interrupt",
	[SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction",
	[SIGTRAP] = "Trace/BPT trap",
	[SIGABRT] = "Abort trap",
	[SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception",
	[SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1",
	[SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2",
	[SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock",
	[SIGTERM] = "Terminated",
	[SIGCHLD] = "Child exited",
	[SIGCONT] = "Continued",
	[SIGSTOP] = "Suspended (signal)",
};

#define STR_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Format "prefix N" into buf. */
static char *
str_unknown(char *buf, size_t size, const char *prefix, int n)
{
	char digits[12], c[2];
	unsigned int u = n < 0 ? -(unsigned int)n : (unsigned int)n;
	int i = 0;

	do {
		digits[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		digits[i++] = '-';
	strlcpy(buf, prefix, size);
	c[1] = '\0';
	while (i > 0) {
		c[0] = digits[--i];
		strlcat(buf, c, size);
	}
	return (buf);
}

int
strerror_r(int err, char *buf, size_t size)
{
	char tmp[40];

	if (err >= 0 && (size_t)err < STR_NELEM(str_errlist) &&
	    str_errlist[err] != NULL) {
		if (strlcpy(buf, str_errlist[err], size) >= size)
			return (ERANGE);
		return (0);
	}
	str_unknown(tmp, sizeof(tmp), "Unknown error ", err);
	strlcpy(buf, tmp, size);
	return (EINVAL);
}

char *
strerror(int err)
{
	static char buf[40];

	if (err >= 0 && (size_t)err < STR_NELEM(str_errlist) &&
	    str_errlist[err] != NULL)
		return ((char *)str_errlist[err]);
	return (str_unknown(buf, sizeof(buf), "Unknown error ", err));
}

char *
strsignal(int sig)
{
	static char buf[40];

	if (sig > 0 && (size_t)sig < STR_NELEM(str_siglist) &&
	    str_siglist[sig] != NULL)
		return ((char *)str_siglist[sig]);
	return (str_unknown(buf, sizeof(buf), "Unknown signal ", sig));
}
