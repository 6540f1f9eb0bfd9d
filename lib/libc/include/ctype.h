/*
 * <ctype.h>: character classes of the "C" locale (ASCII), the only
 * locale we have.  Arguments must be EOF or representable as unsigned
 * char, as the C standard requires; other values classify as nothing.
 */
#ifndef _CTYPE_H_
#define _CTYPE_H_

int	isalnum(int);
int	isalpha(int);
int	isblank(int);
int	iscntrl(int);
int	isdigit(int);
int	isgraph(int);
int	islower(int);
int	isprint(int);
int	ispunct(int);
int	isspace(int);
int	isupper(int);
int	isxdigit(int);
int	isascii(int);
int	tolower(int);
int	toupper(int);

#endif /* !_CTYPE_H_ */
