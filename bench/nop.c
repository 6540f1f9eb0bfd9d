/* nop: the smallest program, for the fork+exec benchmark (ubench.c). */
int
main(void)
{
	return (0);
}
