/*
 * nlookup (sys/kern/vfs_nlookup.c): the one path-resolution entry point.
 * It takes a kernel copy of a path (never a user address), walks the
 * namecache from the process root or current directory, creates
 * unresolved entries for components not seen yet and has the filesystem
 * resolve them, crossing mount points both ways and following symlinks.
 *
 *	struct nlookupdata nd;
 *	error = nlookup_init(&nd, path, NLC_FOLLOW);
 *	if (error == 0)
 *		error = nlookup(&nd);
 *	... use nd.nl_nch (referenced, locked), nd.nl_dvp ...
 *	nlookup_done(&nd);	   (always, even after an error)
 */
#ifndef _SYS_NLOOKUP_H_
#define _SYS_NLOOKUP_H_

#include <sys/types.h>

struct namecache;
struct vnode;
struct ucred;

struct nlookupdata {
	struct namecache *nl_nch;	/* result: referenced and locked */
	struct vnode	*nl_dvp;	/* NLC_CREATE etc.: referenced parent
					   directory vnode of the last name */
	struct namecache *nl_rootnch;	/* referenced: ".." stops here */
	struct namecache *nl_startnch;	/* referenced: relative start */
	const struct ucred *nl_cred;	/* [I] for search permission */
	char		*nl_path;	/* kernel copy (PATH_MAX buffer) */
	int		nl_flags;	/* NLC_* in, NLC_TRAILSLASH out */
	int		nl_loops;	/* symlinks followed so far */
	int		nl_retries;	/* last component looked up again */
};

#define NLC_FOLLOW	0x0001	/* follow a symlink in the last component */
#define NLC_CREATE	0x0002	/* last may be negative: returned locked */
#define NLC_DELETE	0x0004	/* last must not be "." or ".." (EINVAL) */
#define NLC_RENAME	0x0008	/* same as DELETE, for rename sources */
#define NLC_TRAILSLASH	0x1000	/* out: the path ended in '/' */

/*
 * Copy path (a kernel string) and take references on the starting points
 * of the current process (root, current directory).  ENAMETOOLONG if the
 * path does not fit in PATH_MAX, ENOENT if it is empty.  Does not block.
 */
int	nlookup_init(struct nlookupdata *nd, const char *path, int flags);
/*
 * Like nlookup_init but relative paths start at dir (referenced by the
 * caller; nlookup takes its own reference).
 */
int	nlookup_init_at(struct nlookupdata *nd, struct namecache *dir,
	    const char *path, int flags);
/*
 * Resolve.  On 0, nl_nch is the last component's entry, referenced and
 * locked, positive, or negative if NLC_CREATE was given; nl_dvp is the
 * referenced vnode of its parent directory when NLC_CREATE, NLC_DELETE
 * or NLC_RENAME was given (NULL for the root).  Errors: ENOENT, ENOTDIR
 * (a non-directory in the middle, or a trailing '/' on a non-directory),
 * ENAMETOOLONG, ELOOP, EACCES (no search permission), EINVAL (NLC_DELETE
 * or NLC_RENAME on "." or ".." or the root).  May block.
 */
int	nlookup(struct nlookupdata *nd);
/* Release everything nd holds. */
void	nlookup_done(struct nlookupdata *nd);

/*
 * Convenience: look path up (NLC_FOLLOW unless nofollow) and return its
 * referenced vnode (*vpp) and, if ncpp != NULL, its referenced, unlocked
 * entry.
 */
int	nlookup_vp(const char *path, bool nofollow, struct vnode **vpp,
	    struct namecache **ncpp);

#endif /* !_SYS_NLOOKUP_H_ */
