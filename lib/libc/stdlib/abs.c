/*
 * Integer absolute value and division with remainder.  abs(INT_MIN) and
 * friends are undefined behaviour in C; here they return the minimum.
 * The div family truncates toward zero (C99 and later).
 */
#include <stdlib.h>

int
abs(int v)
{
	return (v < 0 ? (int)(0U - (unsigned int)v) : v);
}

long
labs(long v)
{
	return (v < 0 ? (long)(0UL - (unsigned long)v) : v);
}

long long
llabs(long long v)
{
	return (v < 0 ? (long long)(0ULL - (unsigned long long)v) : v);
}

div_t
div(int n, int d)
{
	div_t r = { n / d, n % d };

	return (r);
}

ldiv_t
ldiv(long n, long d)
{
	ldiv_t r = { n / d, n % d };

	return (r);
}

lldiv_t
lldiv(long long n, long long d)
{
	lldiv_t r = { n / d, n % d };

	return (r);
}
