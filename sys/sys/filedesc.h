/*
 * Per-process descriptor tables (sys/kern/kern_descrip.c).
 */
#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/types.h>
#include <sys/spinlock.h>

struct file;
struct proc;
struct namecache;

#define FD_MAXFILES	1024	/* descriptors per process (EMFILE past) */
#define UF_EXCLOSE	0x01	/* close on exec */

struct filedesc {
	struct spinlock	fd_spin;	/* protects everything below */
	struct file	**fd_files;	/* [fd_spin] fd_nfiles slots */
	uint8_t		*fd_fflags;	/* [fd_spin] UF_* per slot */
	int		fd_nfiles;	/* [fd_spin] slots allocated */
	int		fd_freefile;	/* [fd_spin] no free slot below this */
	struct namecache *fd_cdir;	/* [fd_spin] referenced cwd */
	struct namecache *fd_rdir;	/* [fd_spin] referenced root */
};

/* A table with cwd and root taken (referenced) from the arguments. */
struct filedesc *fdinit(struct namecache *cdir, struct namecache *rdir);
/* Close everything and free (process exit). */
void	fdfree(struct filedesc *fdp);
/*
 * A copy of p's table for fork: every open descriptor shares its file
 * (a new reference each), UF_* flags copied, same cwd and root (new
 * references); reserved slots (opens in progress) are not copied.  NULL
 * if memory is short (nothing is left behind).  Does not block.
 */
struct filedesc *fdcopy(struct proc *p);
/* Close every UF_EXCLOSE descriptor of p (exec).  May block. */
void	fdcloseexec(struct proc *p);

/* Install fp (the caller's reference moves in) at the lowest free slot. */
int	fdalloc(struct proc *p, struct file *fp, int flags, int *fdp);
/*
 * Two-step install for opens (added for vfs_syscalls.c): reserve the
 * lowest free slot first (EMFILE before any side effect), then fill it
 * (fdinstall, the caller's reference moves in) or give it back.  A
 * reserved slot reads as closed (EBADF) but is not handed out again.
 */
int	fdreserve(struct proc *p, int *fdp);
void	fdinstall(struct proc *p, int fd, struct file *fp, int flags);
void	fdunreserve(struct proc *p, int fd);
/* A referenced file for fd; EBADF for a closed, negative or huge fd. */
int	fget(struct proc *p, int fd, struct file **fpp);
/* Remove fd and drop its reference. */
int	fdclose(struct proc *p, int fd);
/* Referenced current directory / root of p. */
struct namecache *fd_getcdir(struct proc *p);
struct namecache *fd_getrdir(struct proc *p);
/* Replace the current directory (ncp referenced by the caller moves in). */
void	fd_setcdir(struct proc *p, struct namecache *ncp);

#endif /* !_SYS_FILEDESC_H_ */
