/*
 * nlookup: the one way the kernel turns a path into a namecache entry.
 *
 * The caller passes a kernel string; nlookup_init copies it into a
 * PATH_MAX buffer, and from then on the filesystems never see it: the
 * walk goes component by component through the namecache
 * (cache_nlookup), which creates unresolved entries for names not seen
 * yet, and only an entry that needs it is resolved by its filesystem
 * (cache_resolve -> VOP_NRESOLVE on the parent directory).  A resolved
 * entry covered by a mount is replaced by that mount's root entry;
 * ".." goes through the namecache's parent links (cache_dotdot),
 * upwards across mount points, never above the process root.
 *
 * Symlinks in the middle of a path are always followed, the last
 * component only with NLC_FOLLOW (or a trailing '/'); each one replaces
 * the rest of the path buffer by "target/rest" and the walk goes on from
 * the link's directory (or the root for an absolute target), at most
 * MAXSYMLINKS times (ELOOP).
 *
 * Locking (rules in vfs_cache.c): the walk holds references on the
 * current directory entry and the next one, and locks an entry only to
 * resolve it; the result is returned locked.  If the result was
 * destroyed between lookup and lock (a concurrent rename over it), the
 * last component is looked up again.
 *
 * Calling context: thread context, may block; no tokens or spin locks
 * held that the caller cares about across it.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/namecache.h>
#include <sys/nlookup.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/dirent.h>
#include <sys/uio.h>
#include <sys/proc.h>
#include <sys/filedesc.h>

/* Re-lookups of a last component renamed over under us, at most. */
#define NLOOKUP_MAXRETRY	64

MALLOC_DEFINE(M_NLOOKUP, "nlookup", "path buffers");

/*
 * One spare PATH_MAX buffer per CPU, so that a lookup does not pay for
 * kmalloc and kfree of a large block.  [this CPU, in a critical section]
 */
static char *nl_spare[MAXCPU];

static char *
nl_getbuf(void)
{
	char *buf;

	crit_enter();
	buf = nl_spare[mycpuid];
	nl_spare[mycpuid] = NULL;
	crit_exit();
	if (buf == NULL)
		buf = kmalloc(PATH_MAX, M_NLOOKUP, 0);
	return (buf);
}

static void
nl_putbuf(char *buf)
{
	crit_enter();
	if (nl_spare[mycpuid] == NULL) {
		nl_spare[mycpuid] = buf;
		buf = NULL;
	}
	crit_exit();
	if (buf != NULL)
		kfree(buf, M_NLOOKUP);
}

int
nlookup_init_at(struct nlookupdata *nd, struct namecache *dir,
    const char *path, int flags)
{
	struct proc *p = curproc;
	size_t len;

	memset(nd, 0, sizeof(*nd));
	nd->nl_flags = flags & ~NLC_TRAILSLASH;
	len = strnlen(path, PATH_MAX);
	if (len >= PATH_MAX)
		return (ENAMETOOLONG);
	if (len == 0)
		return (ENOENT);
	nd->nl_path = nl_getbuf();
	if (nd->nl_path == NULL)
		return (ENOMEM);
	memcpy(nd->nl_path, path, len + 1);
	nd->nl_cred = &p->p_cred;
	if (p->p_fd != NULL) {
		nd->nl_rootnch = fd_getrdir(p);
		nd->nl_startnch = dir != NULL ? cache_hold(dir) :
		    fd_getcdir(p);
	} else {
		KASSERT(rootncp != NULL, ("nlookup: no root mounted"));
		nd->nl_rootnch = cache_hold(rootncp);
		nd->nl_startnch = cache_hold(dir != NULL ? dir : rootncp);
	}
	return (0);
}

int
nlookup_init(struct nlookupdata *nd, const char *path, int flags)
{
	return (nlookup_init_at(nd, NULL, path, flags));
}

void
nlookup_done(struct nlookupdata *nd)
{
	if (nd->nl_nch != NULL) {
		cache_unlock(nd->nl_nch);
		cache_drop(nd->nl_nch);
		nd->nl_nch = NULL;
	}
	if (nd->nl_dvp != NULL) {
		vrele(nd->nl_dvp);
		nd->nl_dvp = NULL;
	}
	if (nd->nl_rootnch != NULL) {
		cache_drop(nd->nl_rootnch);
		nd->nl_rootnch = NULL;
	}
	if (nd->nl_startnch != NULL) {
		cache_drop(nd->nl_startnch);
		nd->nl_startnch = NULL;
	}
	if (nd->nl_path != NULL) {
		nl_putbuf(nd->nl_path);
		nd->nl_path = NULL;
	}
}

/*
 * Replace the path buffer's unwalked part: the result is the symlink
 * target of vp followed by "/" and rest (if rest is not empty).  Returns
 * 0, ENAMETOOLONG, ENOENT (empty target) or the readlink error.
 */
static int
nlookup_splice_link(struct nlookupdata *nd, struct vnode *vp,
    const char *rest)
{
	struct uio uio;
	char *buf;
	size_t tlen, rlen;
	int error;

	buf = nl_getbuf();
	if (buf == NULL)
		return (ENOMEM);
	uio.uio_buf = buf;
	uio.uio_resid = PATH_MAX;
	uio.uio_offset = 0;
	uio.uio_rw = UIO_READ;
	error = vop_readlink(vp, &uio);
	tlen = PATH_MAX - uio.uio_resid;
	if (error == 0 && tlen == 0)
		error = ENOENT;
	rlen = strlen(rest);
	if (error == 0 && tlen + (rlen != 0 ? 1 + rlen : 0) >= PATH_MAX)
		error = ENAMETOOLONG;
	if (error == 0) {
		if (rlen != 0) {
			buf[tlen] = '/';
			memcpy(buf + tlen + 1, rest, rlen);
			tlen += 1 + rlen;
		}
		buf[tlen] = '\0';
		nl_putbuf(nd->nl_path);
		nd->nl_path = buf;
	} else {
		nl_putbuf(buf);
	}
	return (error);
}

/*
 * Resolve ncp (referenced, unlocked), which the lookup found not valid:
 * cache_resolve decides again under the entry's lock.  Returns the
 * entry's state (0 positive, ENOENT negative) or a resolution error.
 */
static int
nlookup_resolve(struct namecache *ncp)
{
	int error;

	cache_lock(ncp);
	error = cache_resolve(ncp);
	cache_unlock(ncp);
	return (error);
}

/*
 * The walk.  See the top of the file and sys/sys/nlookup.h for the
 * contract.
 */
int
nlookup(struct nlookupdata *nd)
{
	struct namecache *cur, *next;
	const struct ucred *cred = nd->nl_cred;
	const char *comp;
	char *ptr;
	size_t nlen;
	bool last, slash, dot, dotdot;
	int error;

	KASSERT(nd->nl_nch == NULL, ("nlookup: nlookupdata reused"));
	ptr = nd->nl_path;
restart:
	if (*ptr == '/') {
		cur = cache_hold(nd->nl_rootnch);
		while (*ptr == '/')
			ptr++;
	} else {
		cur = cache_hold(nd->nl_startnch);
	}
	cur = cache_crossmount(cur);
	if (*ptr == '\0') {
		/* "/" or "///": the root itself. */
		next = cur;
		cur = NULL;
		last = true;
		slash = true;
		dot = dotdot = false;
		goto final;
	}
	for (;;) {
		/* Cached plain directories in one go (vfs_cache.c). */
		cur = cache_walk_cached(cur, (const char **)&ptr, cred);
		comp = ptr;
		while (*ptr != '\0' && *ptr != '/')
			ptr++;
		nlen = ptr - comp;
		slash = *ptr == '/';
		while (*ptr == '/')
			ptr++;
		last = *ptr == '\0';
		if (nlen > NAME_MAX) {
			error = ENAMETOOLONG;
			goto fail;
		}
		/* cur must be a searchable directory. */
		if ((cur->nc_flag & NCF_ISDIR) == 0) {
			error = cur->nc_vp == NULL ? ENOENT : ENOTDIR;
			goto fail;
		}
		if (cred->cr_uid != 0) {
			struct vnode *dvp = cache_vref(cur);

			error = dvp == NULL ? ENOENT : vaccess(dvp, VEXEC, cred);
			if (dvp != NULL)
				vrele(dvp);
			if (error != 0)
				goto fail;
		}
		dot = nlen == 1 && comp[0] == '.';
		dotdot = nlen == 2 && comp[0] == '.' && comp[1] == '.';
		if (dot) {
			next = cache_hold(cur);
		} else if (dotdot) {
			next = cache_dotdot(cur, nd->nl_rootnch);
		} else {
			bool valid;

			next = cache_nlookup(cur, comp, nlen, &valid);
			if (next == NULL) {
				error = ENOMEM;
				goto fail;
			}
			error = valid ? next->nc_error :
			    nlookup_resolve(next);
			if (error != 0 && error != ENOENT) {
				cache_drop(next);
				goto fail;
			}
			if (error == 0)
				next = cache_crossmount(next);
		}
		/* A symlink: in the middle, or last with FOLLOW or a '/'. */
		if ((next->nc_flag & NCF_ISLNK) != 0 && (!last || slash ||
		    (nd->nl_flags & NLC_FOLLOW) != 0)) {
			struct vnode *lvp = cache_vref(next);

			cache_drop(next);
			if (lvp == NULL)
				goto again;	/* changed under us: retry */
			if (++nd->nl_loops > MAXSYMLINKS) {
				vrele(lvp);
				error = ELOOP;
				goto fail;
			}
			error = nlookup_splice_link(nd, lvp,
			    last ? (slash ? "." : "") : ptr);
			vrele(lvp);
			if (error != 0)
				goto fail;
			ptr = nd->nl_path;
			if (*ptr == '/') {
				cache_drop(cur);
				goto restart;
			}
			continue;	/* relative to cur */
		}
		if (!last) {
			cache_drop(cur);
			cur = next;
			continue;
		}
		break;
again:
		/* Look the same component up again. */
		ptr = (char *)comp;
	}
final:
	/* next is the result, referenced; cur its directory (or NULL). */
	cache_lock(next);
	if ((next->nc_flag & NCF_DESTROYED) != 0 &&
	    (next->nc_flag & NCF_MOUNTROOT) == 0 && cur != NULL && !dot &&
	    !dotdot) {
		/*
		 * Renamed over between lookup and lock: look the last
		 * component up again through the loop (it may be a symlink
		 * now).  Not if its directory is itself destroyed: every
		 * child of it is born destroyed, so that would never end.
		 */
		cache_unlock(next);
		cache_drop(next);
		if ((cur->nc_flag & NCF_DESTROYED) != 0 ||
		    ++nd->nl_retries > NLOOKUP_MAXRETRY) {
			error = ENOENT;
			goto fail;
		}
		goto again;
	}
	error = cache_resolve(next);
	if (error != 0 && error != ENOENT) {
		cache_unlock(next);
		cache_drop(next);
		goto fail;
	}
	if (error == ENOENT && (dot || dotdot)) {
		/* "." or ".." of a directory that no longer exists. */
		cache_unlock(next);
		cache_drop(next);
		goto fail;
	}
	if (error == ENOENT && (nd->nl_flags & NLC_CREATE) == 0) {
		cache_unlock(next);
		cache_drop(next);
		goto fail;
	}
	if (error == 0 && slash && (next->nc_flag & NCF_ISDIR) == 0) {
		error = ENOTDIR;
		cache_unlock(next);
		cache_drop(next);
		goto fail;
	}
	if ((nd->nl_flags & (NLC_DELETE | NLC_RENAME)) != 0) {
		if (dot || dotdot)
			error = EINVAL;
		else if ((next->nc_flag & NCF_MOUNTROOT) != 0 ||
		    next == nd->nl_rootnch)
			error = EBUSY;
		if (error != 0) {
			cache_unlock(next);
			cache_drop(next);
			goto fail;
		}
	}
	if (slash)
		nd->nl_flags |= NLC_TRAILSLASH;
	if ((nd->nl_flags & (NLC_CREATE | NLC_DELETE | NLC_RENAME)) != 0 &&
	    (next->nc_flag & NCF_MOUNTROOT) == 0 && next->nc_parent != NULL) {
		nd->nl_dvp = cache_vref(next->nc_parent);
		if (nd->nl_dvp == NULL) {
			error = ENOENT;
			cache_unlock(next);
			cache_drop(next);
			goto fail;
		}
		/* Creating or removing a name needs write permission. */
		if (cred->cr_uid != 0 && (next->nc_vp == NULL ||
		    (nd->nl_flags & (NLC_DELETE | NLC_RENAME)) != 0)) {
			error = vaccess(nd->nl_dvp, VWRITE | VEXEC, cred);
			if (error != 0) {
				cache_unlock(next);
				cache_drop(next);
				goto fail;
			}
		}
	}
	if (cur != NULL)
		cache_drop(cur);
	nd->nl_nch = next;
	return (0);

fail:
	if (cur != NULL)
		cache_drop(cur);
	return (error);
}

int
nlookup_vp(const char *path, bool nofollow, struct vnode **vpp,
    struct namecache **ncpp)
{
	struct nlookupdata nd;
	int error;

	*vpp = NULL;
	if (ncpp != NULL)
		*ncpp = NULL;
	error = nlookup_init(&nd, path, nofollow ? 0 : NLC_FOLLOW);
	if (error == 0)
		error = nlookup(&nd);
	if (error == 0) {
		*vpp = cache_vref(nd.nl_nch);
		if (*vpp == NULL)
			error = ENOENT;
		else if (ncpp != NULL)
			*ncpp = cache_hold(nd.nl_nch);
	}
	nlookup_done(&nd);
	return (error);
}
