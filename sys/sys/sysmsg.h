/*
 * The system-call message ABI: the one interface between user space and
 * the kernel.  Shared, unchanged, by the kernel (sys/kern/kern_sysmsg.c)
 * and by the C library (lib/libc/sys/, which reaches it as
 * <sys/sysmsg.h>); it is self-contained and uses only compiler types.
 * docs/syscalls.md describes each command in prose.
 *
 * The kernel offers four primitives through the `syscall' instruction,
 * selected by %rax; arguments in %rdi, %rsi; results in %rax (value) and
 * %rdx (0 or an errno).  %rcx and %r11 are clobbered, all else kept.
 *
 *   SYSP_DOMSG(msg)	     run the message synchronously; %rax = its
 *			     result, %rdx = its error.  The message itself
 *			     is not written back.
 *   SYSP_SENDMSG(msg)	     start the message asynchronously; %rax = a
 *			     handle (> 0) naming it within this process.
 *			     When it completes its result and error are
 *			     stored into the caller's message (sm_result,
 *			     sm_error) by the SYSP_WAITMSG that collects it.
 *   SYSP_WAITMSG(h, flags)  collect a completed asynchronous message:
 *			     h = its handle or 0 for any; %rax = the handle
 *			     collected.  Errors: EAGAIN (SYSMSG_NOWAIT and
 *			     none complete), ENOENT (h not in flight in this
 *			     process, or none in flight for h = 0), EINTR (a
 *			     signal arrived while waiting), EFAULT (the
 *			     message memory is gone: the handle is collected
 *			     anyway and %rax names it).
 *   SYSP_ABORTMSG(h)	     ask an in-flight message to stop: a blocked
 *			     operation ends with EINTR.  It must still be
 *			     collected.  ENOENT if h is not in flight.
 *   SYSP_DOMSG_REG	     SYSP_DOMSG of a short message carried in
 *			     registers instead of memory (as L4 carries
 *			     short IPC): %rdi = sm_cmd, %rsi, %rdx, %r10,
 *			     %r8, %r9 = sm_arg[0..4].  Same command
 *			     checks, same filter, same handlers; nothing
 *			     to copy in, so it is the cheapest call.
 *
 * An unknown primitive gets ENOSYS.  The kernel copies a message in once
 * and never reads it again, so a thread rewriting it concurrently can
 * only change which valid request is made.  A message is refused with
 * EINVAL if sm_size is not sizeof(struct sysmsg) or sm_flags is not 0,
 * with ENOSYS if sm_cmd is unknown, with EPERM (and counted) if the
 * process filtered the command's class out, and with EFAULT if it is not
 * wholly readable user memory.
 */
#ifndef _SYS_SYSMSG_H_
#define _SYS_SYSMSG_H_

#define SYSP_DOMSG	1
#define SYSP_SENDMSG	2
#define SYSP_WAITMSG	3
#define SYSP_ABORTMSG	4
#define SYSP_DOMSG_REG	5

#define SYSMSG_NOWAIT	0x1	/* SYSP_WAITMSG flag: do not block */
#define SYSMSG_MAXASYNC	64	/* async messages in flight per process */

struct sysmsg {
	__UINT32_TYPE__	sm_cmd;		/* SYS_* */
	__UINT32_TYPE__	sm_size;	/* sizeof(struct sysmsg) */
	__INT64_TYPE__	sm_result;	/* out (async): result */
	__INT32_TYPE__	sm_error;	/* out (async): 0 or errno */
	__UINT32_TYPE__	sm_flags;	/* must be 0 */
	__UINT64_TYPE__	sm_arg[5];	/* in: arguments, per command */
};

/*
 * Tagged element lists carry structures whose layout may change (file
 * attributes, process information).  The caller fills el_tag (and for a
 * string tag, el_val = buffer address and el_len = its size); the kernel
 * fills el_val (a string: NUL-terminated into the buffer, truncated to
 * fit) and sets el_len for a scalar to its size in bytes, or to 0 for a
 * tag it does not know, which is not an error.  At most SYSEL_MAX
 * elements per list (EINVAL beyond).
 */
struct sysel {
	__UINT32_TYPE__	el_tag;
	__UINT32_TYPE__	el_len;
	__UINT64_TYPE__	el_val;
};
#define SYSEL_MAX	32

/* File attributes (SYS_STAT, SYS_FSTAT). */
#define ST_DEV		1
#define ST_INO		2
#define ST_MODE		3
#define ST_NLINK	4
#define ST_UID		5
#define ST_GID		6
#define ST_RDEV		7
#define ST_SIZE		8
#define ST_BLOCKS	9
#define ST_BLKSIZE	10
#define ST_ATIME_NS	11	/* nanoseconds since the Epoch */
#define ST_MTIME_NS	12
#define ST_CTIME_NS	13

/* Process information (SYS_PSINFO). */
#define PS_PID		1
#define PS_PPID		2
#define PS_STATE	3	/* PS_RUN, PS_SLEEP, PS_ZOMBIE */
#define PS_COMM		4	/* string */
#define PS_NTHREADS	5
#define PS_VMPAGES	6	/* resident user pages */
#define PS_UID		7
#define PS_FILTER	8	/* classes filtered out */
#define PS_REFUSED	9	/* messages refused by the filter */
#define PS_CPU		10	/* CPU of its first thread */
#define PS_RUN		1
#define PS_SLEEP	2
#define PS_ZOMBIE	3

/* Uname fields (SYS_UNAME arg0). */
#define UN_SYSNAME	1
#define UN_NODENAME	2
#define UN_RELEASE	3
#define UN_VERSION	4
#define UN_MACHINE	5

/*
 * Command classes for filtering (SYS_FILTER).  A process may only add
 * classes to its deny set; children inherit it through fork and exec.
 * SMC_BASIC (exit, getpid, close, wait, signals to itself, time, the
 * filter itself) cannot be denied.
 */
#define SMC_BASIC	0x0001
#define SMC_FSREAD	0x0002	/* open for reading, read, stat, readdir */
#define SMC_FSWRITE	0x0004	/* open for writing, write, truncate */
#define SMC_FSCREATE	0x0008	/* create, mkdir, link, symlink, rename, */
				/* unlink, rmdir, chmod, chown */
#define SMC_FORK	0x0010	/* fork, thread_create */
#define SMC_EXEC	0x0020
#define SMC_KILL	0x0040	/* signals to other processes */
#define SMC_MEM		0x0080	/* mmap, munmap, mprotect, brk */
#define SMC_PIPE	0x0100
#define SMC_INFO	0x0200	/* psinfo, uname */
#define SMC_ADMIN	0x0400	/* mount, unmount, reboot */
#define SMC_ALL		0x07ff

/*
 * Commands.  Arguments are sm_arg[0..4] in the order given; pointers are
 * user addresses; the result is what the POSIX call would return (never
 * -1: failures are sm_error / %rdx).  Class in brackets.
 */
#define SYS_GETPID	1	/* () -> pid			[BASIC] */
#define SYS_GETPPID	2	/* () -> parent pid		[BASIC] */
#define SYS_EXIT	3	/* (status) -> no return	[BASIC] */
#define SYS_FORK	4	/* () -> child pid; 0 in child	[FORK] */
#define SYS_EXECVE	5	/* (path, argv, envp)		[EXEC] */
#define SYS_WAIT4	6	/* (pid, int *status, options) -> pid [BASIC] */
#define SYS_KILL	7	/* (pid, sig)			[KILL; BASIC to self] */
#define SYS_SIGACTION	8	/* (sig, handler, mask, flags, uint64_t old[3]) */
				/* old = {handler, mask, flags} or 0; handler */
				/* (uint64_t)-1 = query only [BASIC] */
#define SYS_SIGPROCMASK	9	/* (how, set) -> old mask	[BASIC] */
#define SYS_SIGRETURN	10	/* (struct sigframe *)		[BASIC] */
#define SYS_SIGSETUP	11	/* (restorer) trampoline for handlers [BASIC] */
#define SYS_SIGPENDING	12	/* () -> pending mask		[BASIC] */
#define SYS_OPEN	13	/* (path, flags, mode) -> fd	[FSREAD/FSWRITE/FSCREATE] */
#define SYS_CLOSE	14	/* (fd)				[BASIC] */
#define SYS_READ	15	/* (fd, buf, len) -> bytes	[FSREAD] */
#define SYS_WRITE	16	/* (fd, buf, len) -> bytes	[FSWRITE] */
#define SYS_PREAD	17	/* (fd, buf, len, off)		[FSREAD] */
#define SYS_PWRITE	18	/* (fd, buf, len, off)		[FSWRITE] */
#define SYS_LSEEK	19	/* (fd, off, whence) -> off	[FSREAD] */
#define SYS_STAT	20	/* (path, sysel *, n, flags) AT_SYMLINK_NOFOLLOW [FSREAD] */
#define SYS_FSTAT	21	/* (fd, sysel *, n)		[FSREAD] */
#define SYS_MKDIR	22	/* (path, mode)			[FSCREATE] */
#define SYS_RMDIR	23	/* (path)			[FSCREATE] */
#define SYS_UNLINK	24	/* (path)			[FSCREATE] */
#define SYS_RENAME	25	/* (from, to)			[FSCREATE] */
#define SYS_LINK	26	/* (from, to)			[FSCREATE] */
#define SYS_SYMLINK	27	/* (target, path)		[FSCREATE] */
#define SYS_READLINK	28	/* (path, buf, len) -> bytes	[FSREAD] */
#define SYS_GETDENTS	29	/* (fd, buf, len) -> bytes of struct dirent [FSREAD] */
#define SYS_CHDIR	30	/* (path)			[FSREAD] */
#define SYS_FCHDIR	31	/* (fd)				[FSREAD] */
#define SYS_GETCWD	32	/* (buf, len) -> length with NUL [FSREAD] */
#define SYS_DUP		33	/* (fd) -> fd			[BASIC] */
#define SYS_DUP2	34	/* (fd, newfd) -> newfd		[BASIC] */
#define SYS_PIPE	35	/* (flags O_CLOEXEC|O_NONBLOCK) -> rfd | wfd << 32 [PIPE] */
#define SYS_FCNTL	36	/* (fd, cmd, arg)		[BASIC] */
#define SYS_MMAP	37	/* (addr, len, prot, flags, fd = -1) -> addr [MEM] */
#define SYS_MUNMAP	38	/* (addr, len)			[MEM] */
#define SYS_MPROTECT	39	/* (addr, len, prot)		[MEM] */
#define SYS_BRK		40	/* (addr or 0) -> current break	[MEM] */
#define SYS_CLOCK_GETTIME 41	/* (clock) -> nanoseconds	[BASIC] */
#define SYS_NANOSLEEP	42	/* (nanoseconds) -> 0; EINTR -> remaining ns in result [BASIC] */
#define SYS_UNAME	43	/* (UN_*, buf, len)		[INFO] */
#define SYS_PSINFO	44	/* (pid, sysel *, n) -> pid described: the first */
				/* process with pid >= arg0; ESRCH past the last [INFO] */
#define SYS_FILTER	45	/* (classes to deny) -> deny set [BASIC] */
#define SYS_FILTERSTAT	46	/* () -> messages refused so far [BASIC] */
#define SYS_THREAD_CREATE 47	/* (entry, stack top, arg) -> tid [FORK] */
#define SYS_THREAD_EXIT	48	/* () -> no return (the last thread: exit(0)) [BASIC] */
#define SYS_GETTID	49	/* () -> tid			[BASIC] */
#define SYS_MOUNT	50	/* (fstype, path, options, from or 0) [ADMIN] */
#define SYS_UNMOUNT	51	/* (path)			[ADMIN] */
#define SYS_REBOOT	52	/* (RB_*, status) pid 1 only	[ADMIN] */
#define SYS_CHMOD	53	/* (path, mode)			[FSCREATE] */
#define SYS_TRUNCATE	54	/* (path, len)			[FSWRITE] */
#define SYS_FTRUNCATE	55	/* (fd, len)			[FSWRITE] */
#define SYS_NULL	56	/* () -> 0: the empty message, for benchmarks [BASIC] */
#define SYS_SETUID	57	/* (uid) root only		[ADMIN] */
#define SYS_GETUID	58	/* () -> uid			[BASIC] */
#define SYS_MAXCMD	58

/* SYS_FCNTL commands and flags. */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4	/* O_NONBLOCK, O_APPEND */
#define FD_CLOEXEC	1

/* SYS_STAT flag. */
#define AT_SYMLINK_NOFOLLOW 0x200

/* SYS_MMAP. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x0001
#define MAP_PRIVATE	0x0002
#define MAP_FIXED	0x0010
#define MAP_ANON	0x1000
#define MAP_ANONYMOUS	MAP_ANON

/* SYS_WAIT4 options and the status word. */
#define WNOHANG		1
#define _W_EXITED(code)		(((code) & 0xff) << 8)
#define _W_SIGNALED(sig)	((sig) & 0x7f)

/* SYS_REBOOT. */
#define RB_POWEROFF	1	/* leave QEMU with status (isa-debug-exit) */
#define RB_HALT		2

/* Clocks. */
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

/* Signals: numbers, SYS_SIGPROCMASK hows, SYS_SIGACTION flags. */
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define NSIG		32
#define SIG_DFL_VAL	0	/* handler values */
#define SIG_IGN_VAL	1
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#define SA_RESTART	0x1	/* accepted; blocked calls end with EINTR anyway */
#define SA_NODEFER	0x2
#define SA_RESETHAND	0x4

/*
 * What a handler finds on its stack (the kernel builds it; the restorer
 * passes its address to SYS_SIGRETURN).  The handler is called as
 * handler(sig) with the return address = the SYS_SIGSETUP restorer and
 * %rsp 16-byte aligned + 8, as after a call.  sf_regs is the interrupted
 * register state in struct trapframe order (r15 .. rax, trapno, err,
 * rip, cs, rflags, rsp, ss); SYS_SIGRETURN restores it after checking it
 * (user selectors, canonical user %rip, safe flags).  sf_fpu is the
 * interrupted FPU/SSE state in the fxsave format (16-byte aligned).
 */
struct sigframe {
	__UINT64_TYPE__	sf_retaddr;	/* = restorer */
	__UINT64_TYPE__	sf_signo;
	__UINT64_TYPE__	sf_mask;	/* mask to restore */
	__UINT64_TYPE__	sf_regs[22];
	__UINT64_TYPE__	sf_fpu[64];
};

#endif /* !_SYS_SYSMSG_H_ */
