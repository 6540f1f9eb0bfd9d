#! /usr/bin/env atf-sh
#
# Host tests of our libc's machine-independent parts.  libc_host (built
# by libc.mk next to this program) is a static Linux program linked with
# our string, ctype, stdlib and stdio code only; each case below runs one
# of its cases in atf's scratch directory.  A libc_host case prints
# "FAIL <line>: <check>" for each failed check and exits 1; its last
# line is always "<case>: N failures".

# run CASE: run libc_host CASE and require that every check passed.
run()
{
	atf_check -s exit:0 -o inline:"$1: 0 failures\n" -e empty \
	    env LIBC_TEST_VAR=from-env "$(atf_get_srcdir)/libc_host" "$1"
}

# lc ID DESCRIPTION: define test case ID, which runs libc_host case ID.
lc()
{
	eval "atf_test_case $1
	$1_head() { atf_set descr '$2'; }
	$1_body() { run $1; }"
}

lc printf_int "printf integer, char and string conversions: flags, width, precision, * and length modifiers; snprintf truncation; asprintf"
lc printf_float "printf %f %e %g: correct rounding (half to even on exact values), flags, inf/nan, exact digits of 1e300"
lc scanf "sscanf: %d %i %u %x %o %s %c %[] %f %n %%, widths, suppression, EOF and matching failures"
lc strtol "strtol family: bases 0, 2..36, prefixes, endptr, ERANGE clamping, EINVAL"
lc strtod "strtod: decimal and hex forms, inf/nan, extremes, ERANGE, endptr"
lc string "string.h functions, including overlapping memmove and strtok"
lc ctype "ctype.h classification and case mapping in the C locale"
lc malloc "malloc/realloc/free stress with content checks; calloc overflow; posix_memalign alignments; free unmaps large blocks"
lc qsort "qsort on random, sorted, reversed, equal and organ-pipe input within an n log n comparison budget; bsearch"
lc stdio "buffered streams: fopen modes, setvbuf modes, fflush(NULL), fprintf, fgets, getline, fseek/ftell, ungetc, fread, append, r+, w+, rename, remove"
lc env "getenv/setenv/unsetenv/putenv over the environ inherited at start"
lc misc "abs/div, rand/srand determinism"

atf_test_case exit_handlers
exit_handlers_head()
{
	atf_set "descr" "exit runs 40 atexit handlers in reverse order, then flushes stdout, then exits with the status"
}
exit_handlers_body()
{
	l=" 9 8 7 6 5 4 3 2 1 0\n"
	atf_check -s exit:3 -o inline:"start$l$l$l$l" -e empty \
	    "$(atf_get_srcdir)/libc_host" exit
}

atf_test_case abort_signal
abort_signal_head()
{
	atf_set "descr" "abort ends the process with SIGABRT"
}
abort_signal_body()
{
	atf_check -s signal:6 -o empty -e empty \
	    "$(atf_get_srcdir)/libc_host" abort
}

atf_init_test_cases()
{
	for c in printf_int printf_float scanf strtol strtod string ctype \
	    malloc qsort stdio env misc exit_handlers abort_signal; do
		atf_add_test_case $c
	done
}
