/*
 * The error number.  One global for the whole process: threads share it
 * (a documented limitation, docs/libc.md).  Only the emulation layer and
 * the few libc functions that fail set it; nothing clears it.
 */
#include <errno.h>

int errno;
