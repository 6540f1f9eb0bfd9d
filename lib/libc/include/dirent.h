/*
 * Directory reading over SYS_GETDENTS.  struct dirent is exactly the
 * kernel's record (sys/sys/dirent.h): readdir() returns a pointer into
 * the DIR's buffer, valid until the next readdir() or closedir().
 */
#ifndef _DIRENT_H_
#define _DIRENT_H_

#include <sys/types.h>

#ifndef NAME_MAX
#define NAME_MAX	255
#endif

struct dirent {
	uint64_t	d_ino;
	int64_t		d_off;		/* next entry's cookie */
	uint16_t	d_reclen;	/* this record's length */
	uint8_t		d_type;		/* DT_* */
	uint8_t		d_namlen;	/* strlen(d_name) */
	char		d_name[NAME_MAX + 1];	/* d_namlen + 1 used */
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

typedef struct _dirdesc DIR;	/* opaque */

DIR	*opendir(const char *);
DIR	*fdopendir(int);
struct dirent *readdir(DIR *);
int	closedir(DIR *);
void	rewinddir(DIR *);
int	dirfd(DIR *);

#endif /* !_DIRENT_H_ */
