/*
 * Process exit: atexit, exit, _Exit, abort.
 *
 * exit(status) runs the atexit handlers in reverse order of
 * registration (a handler may register more; they run too), then
 * flushes every stdio stream (fflush(NULL)) and ends the process with
 * _exit.  ATEXIT_MAX handlers can be registered, more than the 32 the C
 * standard requires; further atexit calls fail with -1.
 *
 * abort raises SIGABRT (which runs a handler if one is installed; our
 * signals are emulated by libc, lib/libc/sys/) and, if that returns,
 * ends the process with status 127.  Streams are not flushed.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ATEXIT_MAX	64

static void (*exit_handlers[ATEXIT_MAX])(void);
static int exit_nhandlers;

int
atexit(void (*fn)(void))
{
	if (exit_nhandlers >= ATEXIT_MAX)
		return (-1);
	exit_handlers[exit_nhandlers++] = fn;
	return (0);
}

void
exit(int status)
{
	void (*fn)(void);

	while (exit_nhandlers > 0) {
		fn = exit_handlers[--exit_nhandlers];
		fn();
	}
	fflush(NULL);
	_exit(status);
}

void
_Exit(int status)
{
	_exit(status);
}

void
abort(void)
{
	raise(SIGABRT);
	_exit(127);
}
