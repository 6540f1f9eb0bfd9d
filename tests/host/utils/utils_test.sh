#! /usr/bin/env atf-sh
#
# Host tests of the usr.bin utilities (built for Linux by utils.mk into
# bin/ next to this program).  Each case runs the programs in atf's
# scratch directory and checks their exact output and exit status with
# atf_check; every case has a one-line description.  "[" is exercised
# through a link named "[" to bin/test made in the scratch directory.

# u NAME: the path of the host-built utility NAME.
u()
{
	echo "$(atf_get_srcdir)/bin/$1"
}

# --- echo, true, false, pwd ---------------------------------------------

atf_test_case echo_basic
echo_basic_head()
{
	atf_set "descr" "echo joins operands with blanks; -n drops the newline"
}
echo_basic_body()
{
	atf_check -o inline:"a b  c\n" "$(u echo)" a b " c"
	atf_check -o inline:"\n" "$(u echo)"
	atf_check -o inline:"x y" "$(u echo)" -n x y
	atf_check -o inline:"-e x\n" "$(u echo)" -e x
}

atf_test_case true_false
true_false_head()
{
	atf_set "descr" "true exits 0, false exits 1, both silent"
}
true_false_body()
{
	atf_check -s exit:0 -o empty -e empty "$(u true)" x y
	atf_check -s exit:1 -o empty -e empty "$(u false)" x y
}

atf_test_case pwd_basic
pwd_basic_head()
{
	atf_set "descr" "pwd prints the physical working directory"
}
pwd_basic_body()
{
	mkdir d
	here=$(cd d && pwd -P)
	atf_check -o inline:"$here\n" sh -c "cd d && '$(u pwd)'"
	atf_check -s exit:1 -e match:"usage" "$(u pwd)" -z
}

# --- cat -----------------------------------------------------------------

atf_test_case cat_basic
cat_basic_head()
{
	atf_set "descr" "cat concatenates files and stdin, - is stdin"
}
cat_basic_body()
{
	printf 'one\n' > a
	printf 'two' > b
	atf_check -o inline:"one\ntwo" "$(u cat)" a b
	echo mid | atf_check -o inline:"one\nmid\ntwo" "$(u cat)" a - b
	echo in | atf_check -o inline:"in\n" "$(u cat)"
	head -c 300000 /dev/urandom > big
	atf_check -o file:big "$(u cat)" big
}

atf_test_case cat_errors
cat_errors_head()
{
	atf_set "descr" "cat reports a missing file, copies the rest, exits 1"
}
cat_errors_body()
{
	echo ok > a
	atf_check -s exit:1 -o inline:"ok\n" \
	    -e inline:"cat: nope: No such file or directory\n" \
	    "$(u cat)" nope a
	atf_check -s exit:1 -e match:"usage" "$(u cat)" -x a
}

# --- ls ------------------------------------------------------------------

atf_test_case ls_basic
ls_basic_head()
{
	atf_set "descr" "ls lists sorted names, hides dot files unless -a"
}
ls_basic_body()
{
	mkdir d
	touch d/b d/a d/C d/.h
	atf_check -o inline:"C\na\nb\n" "$(u ls)" d
	atf_check -o inline:".\n..\n.h\nC\na\nb\n" "$(u ls)" -a d
	atf_check -o inline:"d\n" "$(u ls)" -d d
	atf_check -o inline:"C\na\nb\n" "$(u ls)" -1 d
	atf_check -o inline:"d/a\n" "$(u ls)" d/a
	atf_check -o inline:"C\na\nb\n" sh -c "cd d && '$(u ls)'"
}

atf_test_case ls_multi
ls_multi_head()
{
	atf_set "descr" \
	    "ls lists files first, then each directory under a header"
}
ls_multi_body()
{
	mkdir y x
	touch x/1 y/2 f
	atf_check -o inline:"f\n\nx:\n1\n\ny:\n2\n" "$(u ls)" y f x
	atf_check -o inline:"x:\n1\n\ny:\n2\n" "$(u ls)" y x
}

atf_test_case ls_long
ls_long_head()
{
	atf_set "descr" \
	    "ls -l: mode string, links, owners, size, UTC date, symlink target"
}
ls_long_body()
{
	uid=$(id -u)
	gid=$(id -g)
	printf '12345' > f
	chmod 640 f
	TZ=UTC touch -t 202403050708 f
	ln f g
	ln -s f s
	mkdir dd
	chmod 751 dd
	atf_check -o inline:"-rw-r----- 2 $uid $gid 5 Mar  5 07:08 f\n" \
	    "$(u ls)" -l f
	atf_check -o match:"^lrwxrwxrwx 1 $uid $gid 1 ... .. ..:.. s -> f\$" \
	    "$(u ls)" -l s
	atf_check -o match:"^drwxr-x--x [0-9]+ $uid $gid +[0-9]+ .* dd\$" \
	    "$(u ls)" -ld dd
	chmod 4755 f
	atf_check -o match:"^-rwsr-xr-x " "$(u ls)" -l f
}

atf_test_case ls_errors
ls_errors_head()
{
	atf_set "descr" "ls reports missing operands, lists the rest, exits 1"
}
ls_errors_body()
{
	touch a
	atf_check -s exit:1 -o inline:"a\n" \
	    -e inline:"ls: nope: No such file or directory\n" "$(u ls)" nope a
	atf_check -s exit:1 -e match:"usage" "$(u ls)" -Z
}

# --- mkdir, rmdir --------------------------------------------------------

atf_test_case mkdir_basic
mkdir_basic_head()
{
	atf_set "descr" \
	    "mkdir creates directories, -p parents, errors on existing"
}
mkdir_basic_body()
{
	atf_check "$(u mkdir)" a b
	test -d a && test -d b || atf_fail "not created"
	atf_check -s exit:1 -e inline:"mkdir: a: File exists\n" "$(u mkdir)" a
	atf_check -s exit:1 -e match:"x/y: No such file" "$(u mkdir)" x/y
	atf_check "$(u mkdir)" -p x/y/z a x//w/
	test -d x/y/z && test -d x/w || atf_fail "-p did not create parents"
	atf_check "$(u mkdir)" -m 700 m
	atf_check -o match:"^drwx------" ls -ld m
	atf_check -s exit:1 -e match:"usage" "$(u mkdir)"
}

atf_test_case rmdir_basic
rmdir_basic_head()
{
	atf_set "descr" \
	    "rmdir removes empty directories, refuses others, -p parents"
}
rmdir_basic_body()
{
	mkdir -p a/b/c e
	touch e/f
	atf_check -s exit:1 -e match:"^rmdir: e: Directory not empty" \
	    "$(u rmdir)" e
	atf_check -s exit:1 -e match:"^rmdir: e/f: Not a directory" \
	    "$(u rmdir)" e/f
	atf_check "$(u rmdir)" -p a/b/c
	test -e a && atf_fail "a still exists"
	atf_check -s exit:1 -e match:"nope: No such file" "$(u rmdir)" nope
}

# --- rm ------------------------------------------------------------------

atf_test_case rm_basic
rm_basic_head()
{
	atf_set "descr" "rm removes files, refuses directories without -r"
}
rm_basic_body()
{
	touch a b
	mkdir d
	atf_check "$(u rm)" a b
	test -e a && atf_fail "a still exists"
	atf_check -s exit:1 -e inline:"rm: d: Is a directory\n" "$(u rm)" d
	atf_check -s exit:1 -e inline:"rm: nope: No such file or directory\n" \
	    "$(u rm)" nope
	atf_check -s exit:0 -e empty "$(u rm)" -f nope
	atf_check -s exit:0 "$(u rm)" -f
	atf_check -s exit:1 -e match:"refusing" "$(u rm)" -rf .
}

atf_test_case rm_recursive
rm_recursive_head()
{
	atf_set "descr" "rm -r removes a tree and does not follow symlinks"
}
rm_recursive_body()
{
	mkdir -p t/a/b/c keep
	touch t/x t/a/y t/a/b/c/z keep/k
	ln -s ../keep t/a/link
	i=0
	while [ $i -lt 200 ]; do touch t/a/f$i; i=$((i + 1)); done
	atf_check "$(u rm)" -r t
	test -e t && atf_fail "t still exists"
	test -f keep/k || atf_fail "followed the symlink"
}

# --- cp, mv, ln ----------------------------------------------------------

atf_test_case cp_basic
cp_basic_head()
{
	atf_set "descr" \
	    "cp copies a file with its mode, into directories, not onto itself"
}
cp_basic_body()
{
	head -c 200000 /dev/urandom > src
	chmod 751 src
	atf_check "$(u cp)" src dst
	cmp -s src dst || atf_fail "contents differ"
	atf_check -o match:"^-rwxr-x--x" ls -l dst
	echo short > dst2
	echo longer-text > src2
	atf_check "$(u cp)" src2 dst2
	atf_check -o inline:"longer-text\n" cat dst2
	mkdir d
	atf_check "$(u cp)" src src2 d
	cmp -s src d/src && cmp -s src2 d/src2 || atf_fail "copy into dir"
	atf_check -s exit:1 -e match:"same file" "$(u cp)" src src
	atf_check -s exit:1 -e match:"Not a directory" "$(u cp)" src src2 dst
	atf_check -s exit:1 -e match:"is a directory" "$(u cp)" d e
	atf_check -s exit:1 -e match:"nope: No such file" "$(u cp)" nope x
	atf_check "$(u cp)" /dev/null dst
	atf_check -o inline:"0\n" stat -c %s dst
}

atf_test_case cp_recursive
cp_recursive_head()
{
	atf_set "descr" \
	    "cp -r copies a tree with symlinks as links, also into itself"
}
cp_recursive_body()
{
	mkdir -p t/a/b
	echo 1 > t/one
	echo 2 > t/a/b/two
	ln -s one t/lnk
	atf_check "$(u cp)" -r t u
	atf_check -o inline:"2\n" cat u/a/b/two
	atf_check -o inline:"one\n" readlink u/lnk
	mkdir v
	atf_check "$(u cp)" -R t v
	atf_check -o inline:"1\n" cat v/t/one
	atf_check "$(u cp)" -r t t/sub
	atf_check -o inline:"1\n" cat t/sub/one
	test -e t/sub/sub && atf_fail "copied into its own copy"
	return 0
}

atf_test_case mv_basic
mv_basic_head()
{
	atf_set "descr" "mv renames, moves into a directory, reports errors"
}
mv_basic_body()
{
	echo a > a
	atf_check "$(u mv)" a b
	test -e a && atf_fail "a still exists"
	atf_check -o inline:"a\n" cat b
	mkdir d
	touch c
	atf_check "$(u mv)" b c d
	test -f d/b && test -f d/c || atf_fail "not moved into d"
	atf_check -s exit:1 -e match:"^mv: nope: No such file" "$(u mv)" nope x
}

atf_test_case mv_exdev
mv_exdev_head()
{
	atf_set "descr" \
	    "mv across filesystems copies a tree and removes the source"
}
mv_exdev_body()
{
	other=/dev/shm
	[ -d "$other" ] && [ -w "$other" ] || atf_skip "no writable /dev/shm"
	[ "$(stat -c %d "$other")" != "$(stat -c %d .)" ] ||
	    atf_skip "/dev/shm is on the same filesystem"
	dst=$(mktemp -d "$other/utils_test.XXXXXX")
	mkdir -p t/sub
	echo hi > t/sub/f
	chmod 750 t/sub/f
	ln -s sub/f t/l
	atf_check "$(u mv)" t "$dst/t"
	test -e t && { rm -rf "$dst"; atf_fail "source still exists"; }
	ok=$(cat "$dst/t/sub/f"; readlink "$dst/t/l"
	    ls -l "$dst/t/sub/f" | cut -c1-10)
	rm -rf "$dst"
	atf_check_equal "hi
sub/f
-rwxr-x---" "$ok"
}

atf_test_case ln_basic
ln_basic_head()
{
	atf_set "descr" \
	    "ln makes hard links by default, -s symlinks, -f replaces"
}
ln_basic_body()
{
	echo x > f
	atf_check "$(u ln)" f h
	atf_check -o inline:"2\n" stat -c %h f
	atf_check "$(u ln)" -s f s
	atf_check -o inline:"f\n" readlink s
	atf_check -s exit:1 -e match:"^ln: s: File exists" "$(u ln)" -s g s
	atf_check "$(u ln)" -sf g s
	atf_check -o inline:"g\n" readlink s
	mkdir d
	atf_check "$(u ln)" f h d
	atf_check -o inline:"4\n" stat -c %h f
	atf_check -s exit:1 -e match:"No such file" "$(u ln)" nope n
}

# --- wc, head, tail ------------------------------------------------------

atf_test_case wc_basic
wc_basic_head()
{
	atf_set "descr" \
	    "wc counts lines, words, bytes, with -l -w -c and totals"
}
wc_basic_body()
{
	printf 'one two\n  three\t\nfour' > a
	printf 'x\n' > b
	atf_check -o inline:"      2       4      21\n" sh -c "'$(u wc)' < a"
	atf_check -o inline:"      2 a\n" "$(u wc)" -l a
	atf_check -o inline:"      4      21 a\n" "$(u wc)" -wc a
	atf_check -o inline:"      2       4      21 a
      1       1       2 b
      3       5      23 total\n" "$(u wc)" a b
	atf_check -s exit:1 -o inline:"      1 b\n      1 total\n" \
	    -e match:"nope" "$(u wc)" -l nope b
}

atf_test_case head_basic
head_basic_head()
{
	atf_set "descr" \
	    "head prints the first 10 lines, -n N, headers for several files"
}
head_basic_body()
{
	seq 1 20 > s
	atf_check -o inline:"$(seq 1 10)\n" "$(u head)" s
	atf_check -o inline:"1\n2\n3\n" "$(u head)" -n 3 s
	atf_check -o inline:"1\n2\n" "$(u head)" -2 s
	seq 1 5 | atf_check -o inline:"1\n" "$(u head)" -n 1
	atf_check -o inline:"==> s <==\n1\n\n==> s <==\n1\n" \
	    "$(u head)" -n 1 s s
	atf_check -o empty "$(u head)" -n 0 s
	atf_check -s exit:1 -e match:"invalid" "$(u head)" -n x s
}

atf_test_case tail_basic
tail_basic_head()
{
	atf_set "descr" \
	    "tail prints the last lines of files and pipes, +N from line N"
}
tail_basic_body()
{
	seq 1 20 > s
	atf_check -o inline:"$(seq 11 20)\n" "$(u tail)" s
	atf_check -o inline:"19\n20\n" "$(u tail)" -n 2 s
	atf_check -o inline:"18\n19\n20\n" "$(u tail)" -3 s
	atf_check -o inline:"$(seq 17 20)\n" "$(u tail)" -n +17 s
	printf 'a\nb\nc' | atf_check -o inline:"b\nc" "$(u tail)" -n 2
	seq 1 3 | atf_check -o inline:"1\n2\n3\n" "$(u tail)" -n 1000000000
	seq 1 100000 | atf_check -o inline:"99999\n100000\n" "$(u tail)" -n 2
	seq 1 100000 > big
	seq 1 100000 | atf_check -o file:big "$(u tail)" -n 100000
	atf_check -s exit:1 -e match:"nope" "$(u tail)" nope
}

atf_test_case tail_long_lines
tail_long_lines_head()
{
	atf_set "descr" "tail and head handle lines of a megabyte"
}
tail_long_lines_body()
{
	head -c 1000000 /dev/zero | tr '\0' 'x' > line
	echo >> line
	cat line line > two
	atf_check -o file:line "$(u tail)" -n 1 two
	atf_check -o file:line "$(u head)" -n 1 two
}

# --- grep ----------------------------------------------------------------

atf_test_case grep_basic
grep_basic_head()
{
	atf_set "descr" \
	    "grep selects matching lines; exit 0 match, 1 none, 2 error"
}
grep_basic_body()
{
	printf 'hello world\nfoo bar\nHELLO\n' > f
	atf_check -o inline:"hello world\n" "$(u grep)" hello f
	atf_check -s exit:1 -o empty "$(u grep)" nothing f
	atf_check -s exit:2 -e match:"nope" "$(u grep)" x nope
	echo abc | atf_check -o inline:"abc\n" "$(u grep)" b
	atf_check -o inline:"f:foo bar\n/dev/null:\n" -s exit:0 \
	    sh -c "'$(u grep)' foo f /dev/null; echo /dev/null:"
	atf_check -s exit:2 -e match:"usage" "$(u grep)"
}

atf_test_case grep_regex
grep_regex_head()
{
	atf_set "descr" \
	    "grep basic regular expressions: . * ^ \$ brackets classes escapes"
}
grep_regex_body()
{
	printf 'abc\naXc\nac\nabbbc\nx.y\nx*y\n[q]\nend$\n\ttab\n' > f
	atf_check -o inline:"abc\naXc\n" "$(u grep)" '^a.c$' f
	atf_check -o inline:"abc\nac\nabbbc\n" "$(u grep)" '^ab*c$' f
	atf_check -o inline:"abc\naXc\nac\nabbbc\n" "$(u grep)" '^a.*c' f
	atf_check -o inline:"aXc\n" "$(u grep)" 'a[A-Z]c' f
	atf_check -o inline:"abc\nabbbc\n\ttab\n" "$(u grep)" 'a[^A-Zc]' f
	atf_check -o inline:"x.y\n" "$(u grep)" 'x\.y' f
	atf_check -o inline:"x*y\n" "$(u grep)" 'x\*y' f
	atf_check -o inline:"x*y\n" "$(u grep)" '*y' f
	atf_check -o inline:"[q]\n" "$(u grep)" '\[q]' f
	atf_check -o inline:"end\$\n" "$(u grep)" 'd\$' f
	atf_check -o inline:"aXc\n" "$(u grep)" '[[:upper:]]' f
	atf_check -o inline:"\ttab\n" "$(u grep)" '^[[:space:]]' f
	atf_check -o inline:"[q]\n" "$(u grep)" '[]q[]' f
	atf_check -o inline:"abc\n" "$(u grep)" 'a[b-b]c' f
	atf_check -s exit:2 -e match:"regular expression" "$(u grep)" 'a[bc' f
	atf_check -s exit:2 -e match:"regular expression" "$(u grep)" '\(a\)' f
	atf_check -s exit:2 -e match:"regular expression" "$(u grep)" '[z-a]' f
	echo | atf_check -o inline:"\n" "$(u grep)" '^$'
}

atf_test_case grep_options
grep_options_head()
{
	atf_set "descr" "grep -v -c -n -i -q -l -s -F -e"
}
grep_options_body()
{
	printf 'Apple\nbanana\napple pie\ncherry\n' > f
	printf 'none\n' > g
	atf_check -o inline:"banana\ncherry\n" "$(u grep)" -v -i apple f
	atf_check -o inline:"2\n" "$(u grep)" -ci apple f
	atf_check -o inline:"f:1\ng:0\n" "$(u grep)" -c Apple f g
	atf_check -o inline:"1:Apple\n3:apple pie\n" "$(u grep)" -n -i '^a' f
	atf_check -s exit:0 -o empty "$(u grep)" -q cherry f
	atf_check -s exit:1 -o empty "$(u grep)" -q kiwi f
	atf_check -s exit:0 -o empty "$(u grep)" -q cherry f nope
	atf_check -o inline:"f\n" "$(u grep)" -l an f g
	atf_check -o inline:"f\ng\n" "$(u grep)" -l -v an f g
	atf_check -s exit:1 -o empty "$(u grep)" -l -v . f g
	printf 'a.c\nabc\n' > h
	atf_check -o inline:"a.c\n" "$(u grep)" -F a.c h
	atf_check -o inline:"A.C\n" sh -c "echo A.C | '$(u grep)' -iF a.c"
	atf_check -o inline:"Apple\ncherry\n" "$(u grep)" -e Apple -e cherry f
	atf_check -o inline:"Apple\ncherry\n" \
	    "$(u grep)" "$(printf 'Apple\ncherry')" f
	atf_check -s exit:2 -o empty -e empty "$(u grep)" -s x nope
	atf_check -s exit:2 -o inline:"f:Apple\n" -e empty \
	    "$(u grep)" -s Apple f nope
}

atf_test_case grep_hard
grep_hard_head()
{
	atf_set "descr" "grep stays linear on starred patterns and long lines"
}
grep_hard_body()
{
	head -c 2000000 /dev/zero | tr '\0' 'a' > long
	echo >> long
	atf_check -s exit:1 "$(u grep)" 'a*a*a*a*a*a*a*a*a*a*b' long
	atf_check -o inline:"1\n" "$(u grep)" -c 'a*a*a*a*a*a*a*a*a*a*$' long
}

# --- sort ----------------------------------------------------------------

atf_test_case sort_basic
sort_basic_head()
{
	atf_set "descr" "sort orders bytes, -r -n -u, several files, long lines"
}
sort_basic_body()
{
	printf 'pear\nApple\nbanana\napple\nbanana' > f
	atf_check -o inline:"Apple\napple\nbanana\nbanana\npear\n" "$(u sort)" f
	atf_check -o inline:"pear\nbanana\nbanana\napple\nApple\n" \
	    "$(u sort)" -r f
	atf_check -o inline:"Apple\napple\nbanana\npear\n" "$(u sort)" -u f
	printf '10\n9\n-2\n 3\nx\n9\n1.5\n' > n
	atf_check -o inline:"-2\nx\n1.5\n 3\n9\n9\n10\n" "$(u sort)" -n n
	atf_check -o inline:"10\n9\n 3\n1.5\nx\n-2\n" "$(u sort)" -nru n
	printf 'b\n' > g
	echo a | atf_check -o inline:"a\nb\n" "$(u sort)" g -
	head -c 500000 /dev/zero | tr '\0' 'z' > zl
	echo >> zl
	{ echo a; cat zl; } > want
	echo a >> zl
	atf_check -o file:want "$(u sort)" zl
	atf_check -s exit:2 -e match:"nope" "$(u sort)" nope
	atf_check -o empty "$(u sort)" /dev/null
}

# --- uname, env, sleep, kill ---------------------------------------------

atf_test_case uname_basic
uname_basic_head()
{
	atf_set "descr" "uname prints the fields in order, -s by default"
}
uname_basic_body()
{
	atf_check -o inline:"$(uname -s)\n" "$(u uname)"
	atf_check -o inline:"$(uname -s) $(uname -m)\n" "$(u uname)" -ms
	atf_check -o inline:"$(uname -n) $(uname -r)\n" "$(u uname)" -r -n
	atf_check -o inline:"$(uname -a | cut -d' ' -f1-3)\n" \
	    sh -c "'$(u uname)' -a | cut -d' ' -f1-3"
	atf_check -s exit:1 -e match:"usage" "$(u uname)" -q
}

atf_test_case env_basic
env_basic_head()
{
	atf_set "descr" \
	    "env prints, sets, clears the environment and runs commands"
}
env_basic_body()
{
	atf_check -o inline:"A=1\nB=x=y\n" "$(u env)" -i A=1 B=x=y
	atf_check -o match:"^UTILS_T=42\$" env UTILS_T=42 "$(u env)"
	atf_check -o inline:"hi there\n" \
	    "$(u env)" V="hi there" sh -c 'echo "$V"'
	atf_check -o inline:"\n" env UTILS_T=1 "$(u env)" -u UTILS_T \
	    sh -c 'echo "$UTILS_T"'
	atf_check -s exit:3 "$(u env)" sh -c 'exit 3'
	atf_check -s exit:127 -e match:"nope" "$(u env)" nope-cmd-xyz
}

atf_test_case sleep_basic
sleep_basic_head()
{
	atf_set "descr" \
	    "sleep waits whole and fractional seconds, refuses bad ones"
}
sleep_basic_body()
{
	atf_check "$(u sleep)" 0
	atf_check "$(u sleep)" 0.2
	atf_check "$(u sleep)" .1
	start=$(date +%s%N)
	"$(u sleep)" 0.3
	ms=$((($(date +%s%N) - start) / 1000000))
	[ $ms -ge 290 ] || atf_fail "slept only $ms ms"
	atf_check -s exit:1 -e match:"invalid" "$(u sleep)" abc
	atf_check -s exit:1 -e match:"invalid" "$(u sleep)" -- -1
	atf_check -s exit:1 -e match:"usage" "$(u sleep)"
}

atf_test_case kill_basic
kill_basic_head()
{
	atf_set "descr" "kill -l, names and numbers, signals a process"
}
kill_basic_body()
{
	atf_check -o match:"^HUP INT QUIT .* KILL .* TERM .*" "$(u kill)" -l
	atf_check -o inline:"KILL\n" "$(u kill)" -l 9
	atf_check -o inline:"TERM\n" "$(u kill)" -l 143
	for s in "-s KILL" -KILL -9 -sigkill "-s 9"; do
		sleep 30 &
		pid=$!
		atf_check "$(u kill)" $s $pid
		wait $pid
		st=$?
		[ $st -eq 137 ] || atf_fail "kill $s: status $st"
	done
	sleep 30 &
	pid=$!
	atf_check "$(u kill)" $pid
	wait $pid
	[ $? -eq 143 ] || atf_fail "default signal is not TERM"
	atf_check "$(u kill)" -0 $$
	atf_check -s exit:1 -e match:"unknown signal" "$(u kill)" -FOO 1
	atf_check -s exit:1 -e match:"invalid process id" "$(u kill)" abc
	atf_check -s exit:1 -e match:"usage" "$(u kill)"
}

# --- test and [ ----------------------------------------------------------

# t EXPECTED ARGS...: test ARGS must exit with EXPECTED.
t()
{
	want=$1
	shift
	atf_check -s exit:$want "$(u test)" "$@"
}

atf_test_case test_files
test_files_head()
{
	atf_set "descr" "test file primaries -e -f -d -s -r -w -x -L -h"
}
test_files_body()
{
	touch empty
	echo x > full
	chmod 755 full
	mkdir d
	ln -s full sl
	ln -s nowhere dangling
	t 0 -e empty; t 1 -e nope; t 0 -f full; t 1 -f d; t 0 -d d
	t 1 -d full; t 1 -s empty; t 0 -s full; t 0 -r full; t 0 -w full
	t 0 -x full; t 1 -x empty; t 0 -L sl; t 0 -h dangling; t 1 -L full
	t 0 -f sl; t 1 -e dangling
}

atf_test_case test_exprs
test_exprs_head()
{
	atf_set "descr" "test strings, integers, ! -a -o, parentheses, errors"
}
test_exprs_body()
{
	t 1; t 0 x; t 1 ""; t 0 -n; t 0 !; t 0 -z ""; t 1 -z a; t 0 -n a
	t 0 a = a; t 1 a = b; t 0 a != b; t 1 ! = x; t 0 = = =
	t 0 1 -eq 01; t 0 " 2 " -gt 1; t 0 -3 -lt -2; t 0 5 -le 5
	t 1 5 -ge 6; t 0 4 -ne 5
	t 1 ! a; t 0 ! ! a; t 0 ! "" ; t 0 ! a = b
	t 0 a -a b; t 1 a -a ""; t 0 "" -o b; t 0 -n -a -n
	t 0 "(" a ")"; t 0 "(" ! ")"; t 0 "(" a = b ")" -o 1 -eq 1
	t 1 a = a -a "(" b = c -o "" ")"
	t 0 1 -eq 2 -o 2 -eq 2 -a 3 -eq 3
	atf_check -s exit:2 -e match:"integer" "$(u test)" x -eq 1
	atf_check -s exit:2 -e match:"paren" "$(u test)" "(" a = b c d
	atf_check -s exit:2 -e match:"unexpected" "$(u test)" a b
}

atf_test_case test_bracket
test_bracket_head()
{
	atf_set "descr" "[ needs a closing ] and otherwise is test"
}
test_bracket_body()
{
	ln -s "$(u test)" "["
	atf_check -s exit:0 "./[" a = a "]"
	atf_check -s exit:1 "./[" a = b "]"
	atf_check -s exit:1 "./[" "]"
	atf_check -s exit:0 "./[" -d . -a "(" 1 -lt 2 ")" "]"
	atf_check -s exit:2 -e match:"missing \\]" "./[" a = a
	atf_check -s exit:2 -e match:"missing \\]" "./["
}

atf_init_test_cases()
{
	atf_add_test_case echo_basic
	atf_add_test_case true_false
	atf_add_test_case pwd_basic
	atf_add_test_case cat_basic
	atf_add_test_case cat_errors
	atf_add_test_case ls_basic
	atf_add_test_case ls_multi
	atf_add_test_case ls_long
	atf_add_test_case ls_errors
	atf_add_test_case mkdir_basic
	atf_add_test_case rmdir_basic
	atf_add_test_case rm_basic
	atf_add_test_case rm_recursive
	atf_add_test_case cp_basic
	atf_add_test_case cp_recursive
	atf_add_test_case mv_basic
	atf_add_test_case mv_exdev
	atf_add_test_case ln_basic
	atf_add_test_case wc_basic
	atf_add_test_case head_basic
	atf_add_test_case tail_basic
	atf_add_test_case tail_long_lines
	atf_add_test_case grep_basic
	atf_add_test_case grep_regex
	atf_add_test_case grep_options
	atf_add_test_case grep_hard
	atf_add_test_case sort_basic
	atf_add_test_case uname_basic
	atf_add_test_case env_basic
	atf_add_test_case sleep_basic
	atf_add_test_case kill_basic
	atf_add_test_case test_files
	atf_add_test_case test_exprs
	atf_add_test_case test_bracket
}
