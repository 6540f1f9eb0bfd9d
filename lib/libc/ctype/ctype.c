/*
 * Character classification for the "C" locale (ASCII).  EOF and values
 * outside 0..127 belong to no class and are returned unchanged by
 * tolower/toupper.
 */
#include <ctype.h>

#define C_UP	0x01	/* upper-case letter */
#define C_LO	0x02	/* lower-case letter */
#define C_DI	0x04	/* decimal digit */
#define C_SP	0x08	/* white space: ' ' \t \n \v \f \r */
#define C_PU	0x10	/* punctuation: printing, not space or alnum */
#define C_CN	0x20	/* control character */
#define C_HX	0x40	/* hexadecimal letter a-f A-F */
#define C_BL	0x80	/* blank: ' ' \t */

/* The classes of c. */
static int
ctype_class(int c)
{
	if (c < 0 || c > 127)
		return (0);
	if (c >= 'A' && c <= 'Z')
		return (C_UP | (c <= 'F' ? C_HX : 0));
	if (c >= 'a' && c <= 'z')
		return (C_LO | (c <= 'f' ? C_HX : 0));
	if (c >= '0' && c <= '9')
		return (C_DI);
	if (c == ' ')
		return (C_SP | C_BL);
	if (c == '\t')
		return (C_SP | C_BL | C_CN);
	if (c >= '\n' && c <= '\r')
		return (C_SP | C_CN);
	if (c < 32 || c == 127)
		return (C_CN);
	return (C_PU);
}

int
isalnum(int c)
{
	return ((ctype_class(c) & (C_UP | C_LO | C_DI)) != 0);
}

int
isalpha(int c)
{
	return ((ctype_class(c) & (C_UP | C_LO)) != 0);
}

int
isblank(int c)
{
	return ((ctype_class(c) & C_BL) != 0);
}

int
iscntrl(int c)
{
	return ((ctype_class(c) & C_CN) != 0);
}

int
isdigit(int c)
{
	return (c >= '0' && c <= '9');
}

int
islower(int c)
{
	return ((ctype_class(c) & C_LO) != 0);
}

int
isupper(int c)
{
	return ((ctype_class(c) & C_UP) != 0);
}

int
isspace(int c)
{
	return ((ctype_class(c) & C_SP) != 0);
}

int
ispunct(int c)
{
	return ((ctype_class(c) & C_PU) != 0);
}

int
isprint(int c)
{
	return (c >= 32 && c < 127);
}

int
isgraph(int c)
{
	return (c > 32 && c < 127);
}

int
isascii(int c)
{
	return (c >= 0 && c <= 127);
}

int
isxdigit(int c)
{
	return ((ctype_class(c) & (C_DI | C_HX)) != 0);
}

int
tolower(int c)
{
	return (isupper(c) ? c - 'A' + 'a' : c);
}

int
toupper(int c)
{
	return (islower(c) ? c - 'a' + 'A' : c);
}
