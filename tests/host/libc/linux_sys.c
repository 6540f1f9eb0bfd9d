/*
 * A stand-in for lib/libc/sys/ on Linux x86_64, so that the
 * machine-independent parts of our libc (string, ctype, stdlib, stdio)
 * can be tested as an ordinary static Linux program.  Each POSIX call
 * those parts and the tests make is one raw Linux system call here,
 * with the flag and errno values translated between our ABI
 * (sys/sys/sysmsg.h, sys/sys/errno.h, <fcntl.h>) and Linux's.  _start
 * plays crt0: it sets environ and calls exit(main(argc, argv, envp)).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

int	errno;

#define LX_read		0
#define LX_write	1
#define LX_open		2
#define LX_close	3
#define LX_lseek	8
#define LX_mmap		9
#define LX_munmap	11
#define LX_ioctl	16
#define LX_getpid	39
#define LX_kill		62
#define LX_rename	82
#define LX_rmdir	84
#define LX_unlink	87
#define LX_exit_group	231

static long
lx_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(ret)
	    : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return (ret);
}

/* Linux errno -> ours (the two agree below 35 except EDEADLK). */
static int
lx_errno(long e)
{
	switch (e) {
	case 11:
		return (EAGAIN);
	case 35:
		return (EDEADLK);
	case 36:
		return (ENAMETOOLONG);
	case 38:
		return (ENOSYS);
	case 39:
		return (ENOTEMPTY);
	case 40:
		return (ELOOP);
	case 110:
		return (ETIMEDOUT);
	default:
		return ((int)e);
	}
}

/* Return r, or -1 with errno for a Linux error return. */
static long
lx_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = lx_errno(-r);
		return (-1);
	}
	return (r);
}

#define LX_SC(n, a, b, c)	lx_ret(lx_syscall(n, (long)(a), (long)(b), \
	(long)(c), 0, 0, 0))

ssize_t
read(int fd, void *buf, size_t n)
{
	return (LX_SC(LX_read, fd, buf, n));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	return (LX_SC(LX_write, fd, buf, n));
}

static int
lx_oflags(int o)
{
	int l = o & O_ACCMODE;

	if (o & O_NONBLOCK)
		l |= 0x800;
	if (o & O_APPEND)
		l |= 0x400;
	if (o & O_CREAT)
		l |= 0x40;
	if (o & O_TRUNC)
		l |= 0x200;
	if (o & O_EXCL)
		l |= 0x80;
	if (o & O_DIRECTORY)
		l |= 0x10000;
	if (o & O_NOFOLLOW)
		l |= 0x20000;
	if (o & O_CLOEXEC)
		l |= 0x80000;
	return (l);
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return ((int)LX_SC(LX_open, path, lx_oflags(flags), mode));
}

int
close(int fd)
{
	return ((int)LX_SC(LX_close, fd, 0, 0));
}

off_t
lseek(int fd, off_t off, int whence)
{
	return (LX_SC(LX_lseek, fd, off, whence));
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int lf = flags & (MAP_SHARED | MAP_PRIVATE | MAP_FIXED);
	long r;

	if (flags & MAP_ANON)
		lf |= 0x20;
	r = lx_ret(lx_syscall(LX_mmap, (long)addr, (long)len, prot, lf, fd,
	    off));
	return (r == -1 ? MAP_FAILED : (void *)r);
}

int
munmap(void *addr, size_t len)
{
	return ((int)LX_SC(LX_munmap, addr, len, 0));
}

void
_exit(int status)
{
	for (;;)
		lx_syscall(LX_exit_group, status, 0, 0, 0, 0, 0);
}

int
isatty(int fd)
{
	char termios[64];

	return (LX_SC(LX_ioctl, fd, 0x5401 /* TCGETS */, termios) == 0);
}

pid_t
getpid(void)
{
	return ((pid_t)LX_SC(LX_getpid, 0, 0, 0));
}

int
kill(pid_t pid, int sig)
{
	return ((int)LX_SC(LX_kill, pid, sig, 0));
}

/* Signal numbers 1-15 agree with Linux. */
int
raise(int sig)
{
	return (kill(getpid(), sig));
}

int
unlink(const char *path)
{
	return ((int)LX_SC(LX_unlink, path, 0, 0));
}

int
rmdir(const char *path)
{
	return ((int)LX_SC(LX_rmdir, path, 0, 0));
}

int
rename(const char *from, const char *to)
{
	return ((int)LX_SC(LX_rename, from, to, 0));
}

int	main(int, char **, char **);
void	lx_start_c(long *);

/* Called by _start with the initial stack pointer. */
void
lx_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	exit(main(argc, argv, environ));
}

__asm__(
	".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call lx_start_c\n"
	"	hlt\n");
