/*
 * The in-kernel file API (sys/kern/vfs_syscalls.c, kern_descrip.c).
 * The system-call layer unpacks a message, copies paths and buffers in,
 * and calls these; other kernel code calls them directly.  They act for
 * the current process (curproc) and take only kernel addresses.  All
 * return 0 or an errno; all may block.
 */
#ifndef _SYS_KERN_SYSCALL_H_
#define _SYS_KERN_SYSCALL_H_

#include <sys/types.h>

struct stat;

int	kern_open(const char *path, int flags, int mode, int *fdp);
int	kern_close(int fd);
int	kern_dup(int fd, int *newfdp);
/*
 * POSIX dup2: newfd (closed first if open) becomes a descriptor of fd's
 * file, without close-on-exec; *resfd = newfd.  fd == newfd only checks
 * fd.  EBADF (bad fd, newfd < 0 or >= FD_MAXFILES), EBUSY (newfd is
 * reserved by an open in progress), ENOMEM.
 */
int	kern_dup2(int fd, int newfd, int *resfd);
/*
 * fcntl: F_DUPFD (lowest free >= arg), F_GETFD/F_SETFD (FD_CLOEXEC),
 * F_GETFL (O_ACCMODE | O_NONBLOCK | O_APPEND), F_SETFL (only O_NONBLOCK
 * and O_APPEND change); commands and FD_CLOEXEC from <sys/sysmsg.h>.
 * *resp = the result (new fd, flags, or 0).  EBADF, EINVAL, EMFILE.
 */
int	kern_fcntl(int fd, int cmd, long arg, long *resp);
/*
 * A pipe: fds[0] its read end, fds[1] its write end.  flags: O_CLOEXEC
 * (both descriptors), O_NONBLOCK (both files); EINVAL for others.
 * EMFILE (fewer than two free descriptors) or ENOMEM, and then nothing
 * is left behind.  (sys/kern/sys_pipe.c)
 */
int	kern_pipe(int fds[2], int flags);
/* Read/write at the file position; *donep bytes moved. */
int	kern_read(int fd, void *buf, size_t len, size_t *donep);
int	kern_write(int fd, const void *buf, size_t len, size_t *donep);
/* At an explicit offset; the file position does not move. */
int	kern_pread(int fd, void *buf, size_t len, off_t off, size_t *donep);
int	kern_pwrite(int fd, const void *buf, size_t len, off_t off,
	    size_t *donep);
int	kern_lseek(int fd, off_t off, int whence, off_t *resp);
int	kern_stat(const char *path, struct stat *st);
int	kern_lstat(const char *path, struct stat *st);
int	kern_fstat(int fd, struct stat *st);
int	kern_mkdir(const char *path, int mode);
int	kern_unlink(const char *path);
int	kern_rmdir(const char *path);
int	kern_rename(const char *from, const char *to);
int	kern_link(const char *from, const char *to);
int	kern_symlink(const char *target, const char *path);
/* Copies at most len bytes of the target (no NUL); *donep = bytes. */
int	kern_readlink(const char *path, char *buf, size_t len, size_t *donep);
/* struct dirent records from the directory's position; 0 bytes at end. */
int	kern_readdir(int fd, void *buf, size_t len, size_t *donep);
int	kern_truncate(const char *path, off_t len);
int	kern_ftruncate(int fd, off_t len);
int	kern_chdir(const char *path);
int	kern_fchdir(int fd);
int	kern_getcwd(char *buf, size_t len);
int	kern_chmod(const char *path, int mode);
int	kern_chown(const char *path, int uid, int gid);

#endif /* !_SYS_KERN_SYSCALL_H_ */
