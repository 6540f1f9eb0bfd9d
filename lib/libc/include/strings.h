/*
 * <strings.h>: the BSD-derived string functions POSIX keeps.
 */
#ifndef _STRINGS_H_
#define _STRINGS_H_

#include <stddef.h>

int	strcasecmp(const char *, const char *);
int	strncasecmp(const char *, const char *, size_t);
int	ffs(int);
void	bzero(void *, size_t);
int	bcmp(const void *, const void *, size_t);
void	bcopy(const void *, void *, size_t);

#endif /* !_STRINGS_H_ */
