/*
 * Directory entries as kern_readdir returns them: variable-length records,
 * each 8-byte aligned, d_reclen bytes long, the name NUL-terminated.
 * d_off is the cookie to resume after this entry.
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

#define NAME_MAX	255	/* bytes in a name, without the NUL */
#define PATH_MAX	1024	/* bytes in a path, with the NUL */
#define MAXSYMLINKS	32	/* symlinks followed in one lookup */

struct dirent {
	uint64_t	d_ino;
	int64_t		d_off;		/* cookie of the next entry */
	uint16_t	d_reclen;	/* this record's length */
	uint8_t		d_type;		/* DT_* */
	uint8_t		d_namlen;	/* strlen(d_name) */
	char		d_name[NAME_MAX + 1];	/* actually d_namlen + 1 */
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

/* Length of a record holding a name of namlen bytes. */
#define DIRENT_RECLEN(namlen)	\
	roundup2(offsetof(struct dirent, d_name) + (namlen) + 1, 8)

#endif /* !_SYS_DIRENT_H_ */
