/*
 * The environment pointer.  crt0 (lib/libc/arch/x86_64/crt0.S) stores
 * the envp it finds on the initial stack here before calling main;
 * getenv/setenv/unsetenv/putenv (env.c) read and replace it.
 */
#include <stddef.h>
#include <stdlib.h>

char	**environ = NULL;
