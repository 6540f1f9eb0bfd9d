/*
 * POSIX system interfaces.  All of them are emulated by lib/libc/sys/
 * over the message primitives (<sys/sysmsg.h>); see docs/libc.md.
 */
#ifndef _UNISTD_H_
#define _UNISTD_H_

#include <sys/types.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

/* access() modes. */
#define F_OK		0
#define X_OK		0x1
#define W_OK		0x2
#define R_OK		0x4

#ifndef SEEK_SET
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#endif

extern char	**environ;
extern char	*optarg;
extern int	optind, opterr, optopt;

ssize_t	read(int, void *, size_t);
ssize_t	write(int, const void *, size_t);
ssize_t	pread(int, void *, size_t, off_t);
ssize_t	pwrite(int, const void *, size_t, off_t);
int	close(int);
off_t	lseek(int, off_t, int);
int	dup(int);
int	dup2(int, int);
int	pipe(int [2]);
int	pipe2(int [2], int);
pid_t	fork(void);
int	execve(const char *, char *const [], char *const []);
int	execv(const char *, char *const []);
int	execvp(const char *, char *const []);
int	execl(const char *, const char *, ...);
int	execlp(const char *, const char *, ...);
_Noreturn void	_exit(int);
pid_t	getpid(void);
pid_t	getppid(void);
uid_t	getuid(void);
uid_t	geteuid(void);
gid_t	getgid(void);
gid_t	getegid(void);
int	setuid(uid_t);
int	chdir(const char *);
int	fchdir(int);
char	*getcwd(char *, size_t);
int	unlink(const char *);
int	rmdir(const char *);
int	link(const char *, const char *);
int	symlink(const char *, const char *);
ssize_t	readlink(const char *, char *, size_t);
int	isatty(int);
unsigned int	sleep(unsigned int);
int	usleep(useconds_t);
int	access(const char *, int);
int	truncate(const char *, off_t);
int	ftruncate(int, off_t);
int	getopt(int, char *const [], const char *);
void	*sbrk(intptr_t);
int	brk(void *);
int	gethostname(char *, size_t);
long	sysconf(int);
#define _SC_PAGESIZE	1
#define _SC_PAGE_SIZE	_SC_PAGESIZE
#define _SC_CLK_TCK	2
#define _SC_OPEN_MAX	3
int	getpagesize(void);

#endif /* !_UNISTD_H_ */
