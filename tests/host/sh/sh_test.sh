#! /usr/bin/env atf-sh
#
# sh_test - the shell (usr.bin/sh) built for the host, run on real
# scripts.  Every case writes a script, runs it with our shell and checks
# its exact stdout, stderr and exit status, so a wrong expansion, a lost
# redirection or a wrong status fails the case.
#
# The shell under test is the kyua configuration variable host_sh if set,
# else "sh" next to this program (tests/host/sh/sh.mk builds it there).
# External commands (cat, tr, sort, sleep, ...) are the host's.

# The shell under test, in $SH.
sh_setup()
{
	if atf_config_has host_sh; then
		SH=$(atf_config_get host_sh)
	else
		SH=$(atf_get_srcdir)/sh
	fi
	[ -x "$SH" ] || atf_fail "shell under test not found: $SH"
	export SH
}

# script NAME: the script text comes on stdin.
script()
{
	cat > "$1"
}

atf_test_case simple_commands
simple_commands_head()
{
	atf_set "descr" "sh-1: commands with arguments, comments, ;"
}
simple_commands_body()
{
	sh_setup
	script s.sh <<'EOF'
# a comment line
echo hello   world	tab # trailing comment
echo a#b; echo c
/bin/echo external
printf '%s|' one two three; echo
EOF
	atf_check -s exit:0 -o inline:"hello world tab\na#b\nc\nexternal\none|two|three|\n" \
	    -e empty "$SH" s.sh
}

atf_test_case quoting
quoting_head()
{
	atf_set "descr" "sh-2: single and double quotes, backslashes, \$var in quotes"
}
quoting_body()
{
	sh_setup
	script s.sh <<'EOF'
v="two  words"
echo '$v "x" \n' "$v" $v
echo "a\"b" "c\\d" "e\$f" "g\h" a\ \ b \$v
echo 'it''s' "con"cat'ena'tion
echo "${v}x" "$v"y
e=""
set -- "$e" $e "$e"
echo $#
EOF
	# A file, not inline: (inline would turn the \n into a newline).
	cat > expected <<'EOF'
$v "x" \n two  words two words
a"b c\d e$f g\h a  b $v
its concatenation
two  wordsx two  wordsy
2
EOF
	atf_check -s exit:0 -o file:expected -e empty "$SH" s.sh
}

atf_test_case pipelines
pipelines_head()
{
	atf_set "descr" "sh-3: pipelines of several commands; status of the last"
}
pipelines_body()
{
	sh_setup
	script s.sh <<'EOF'
printf 'c\nb\na\nb\n' | sort | uniq | tr a-z A-Z | cat
echo x | false | true; echo st=$?
echo x | true | false; echo st=$?
echo one two | { read a b; echo "$b $a"; }
i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo $i; done | wc -l | tr -d ' '
EOF
	atf_check -s exit:0 -o inline:"A\nB\nC\nst=0\nst=1\ntwo one\n30\n" \
	    -e empty "$SH" s.sh
}

atf_test_case redirections
redirections_head()
{
	atf_set "descr" "sh-4: < > >> 2> 2>&1 N> N<&M and their order"
}
redirections_body()
{
	sh_setup
	script s.sh <<'EOF'
echo first > out
echo second >> out
cat < out
ls /nonexistent/x 2> err; echo "st=$?"
test -s err && echo err-written
{ echo to-out; echo to-err >&2; } > both 2>&1
sort both
{ echo to-out; echo to-err >&2; } 2>&1 > only-out | tr a-z A-Z
cat only-out
echo fd3 3> three >&3
cat three
exec 4< out
read l <&4; echo "fd4: $l"
exec 4<&-
cat < /nonexistent/y; echo st=$?
echo still here
EOF
	atf_check -s exit:0 -o inline:"first
second
st=2
err-written
to-err
to-out
TO-ERR
to-out
fd3
fd4: first
st=1
still here
" -e match:"nonexistent/y" "$SH" s.sh
}

atf_test_case and_or
and_or_head()
{
	atf_set "descr" "sh-5: && and || short-circuit and their status"
}
and_or_body()
{
	sh_setup
	script s.sh <<'EOF'
true && echo a1
false && echo a2
false || echo o1
true || echo o2
false && echo x || echo y
true && false || echo z
false || false; echo st=$?
! false && echo negated
! true; echo st=$?
true &&
echo continued
EOF
	atf_check -s exit:0 -o inline:"a1\no1\ny\nz\nst=1\nnegated\nst=1\ncontinued\n" \
	    -e empty "$SH" s.sh
}

atf_test_case variables
variables_head()
{
	atf_set "descr" "sh-6: local and exported variables, NAME=v cmd, \${}, \$?, \$\$"
}
variables_body()
{
	sh_setup
	script s.sh <<'EOF'
LOCAL=l
export EXP=e
ONCE=o1
"$SH" -c 'echo "[$LOCAL][$EXP][$ONCE]"'
ONCE=o2 "$SH" -c 'echo "once=$ONCE"'
echo "after=$ONCE"
export LOCAL
"$SH" -c 'echo "now=$LOCAL"'
unset LOCAL; echo "unset=[$LOCAL]"
false; echo "q=$?"; echo "q=$?"
[ "$$" -gt 0 ] && echo pid-ok
echo "${undef:-dflt} ${EXP:+alt} ${#EXP} ${EXP}x"
p=/usr/lib/x.tar.gz; echo ${p##*/} ${p%%.*} ${p%.*}
echo $((2 + 3 * 4)) $(( (2 + 3) * 4 ))
echo "sub=$(echo inner | tr a-z A-Z)" `echo back`
EOF
	atf_check -s exit:0 -o inline:"[][e][]
once=o2
after=o1
now=l
unset=[]
q=1
q=0
pid-ok
dflt alt 1 ex
x.tar.gz /usr/lib/x /usr/lib/x.tar
14 20
sub=INNER back
" -e empty "$SH" s.sh
}

atf_test_case positional
positional_head()
{
	atf_set "descr" "sh-7: \$0 \$# \$1..\$9 \$@ \$* and shift in a script"
}
positional_body()
{
	sh_setup
	script s.sh <<'EOF'
echo "n=$# 1=$1 2=$2 3=$3"
for a in "$@"; do echo "[$a]"; done
for a in $*; do echo "<$a>"; done
echo "$*"
shift; echo "n=$# 1=$1"
EOF
	atf_check -s exit:0 -o inline:"n=3 1=a 2=b c 3=
[a]
[b c]
[]
<a>
<b>
<c>
a b c 
n=2 1=b c
" -e empty "$SH" s.sh a "b c" ""
	atf_check -s exit:0 -o inline:"name x 1\n" -e empty \
	    "$SH" -c 'echo $0 $1 $#' name x
}

atf_test_case control
control_head()
{
	atf_set "descr" "sh-8: if/elif/else, while, until, for, case, break, continue"
}
control_body()
{
	sh_setup
	script s.sh <<'EOF'
for n in 1 2 3; do
	if [ $n = 1 ]; then
		echo one
	elif [ $n = 2 ]
	then
		echo two
	else
		echo other
	fi
done
i=0
while [ $i -lt 3 ]; do i=$((i + 1)); echo "w$i"; done
until [ $i -eq 0 ]; do i=$((i - 1)); done; echo "u$i"
for x in a b c d e; do
	[ $x = b ] && continue
	[ $x = d ] && break
	echo $x
done
for f in one two; do for g in 1 2; do [ $g = 2 ] && continue 2; echo $f$g; done; done
for w in $(echo p q); do echo -n $w; done; echo
case hello.c in
*.h) echo header ;;
*.c|*.s) echo source ;;
*) echo unknown ;;
esac
if false; then echo no; fi; echo "if-st=$?"
EOF
	atf_check -s exit:0 -o inline:"one\ntwo\nother\nw1\nw2\nw3\nu0\na\nc\none1\ntwo1\npq\nsource\nif-st=0\n" \
	    -e empty "$SH" s.sh
}

atf_test_case background
background_head()
{
	atf_set "descr" "sh-9: & jobs, \$!, wait for all and wait PID with its status"
}
background_body()
{
	sh_setup
	script s.sh <<'EOF'
(sleep 1; echo slow > slow.out) &
echo started
wait
cat slow.out
(exit 7) & p=$!
[ "$p" -gt 0 ] && echo have-pid
wait $p; echo "st=$?"
sleep 5 & p=$!
kill -TERM $p
wait $p; echo "killed=$?"
echo bg1 > a.out & echo bg2 > b.out &
wait
cat a.out b.out
EOF
	atf_check -s exit:0 -o inline:"started\nslow\nhave-pid\nst=7\nkilled=143\nbg1\nbg2\n" \
	    -e empty "$SH" s.sh
}

atf_test_case not_found
not_found_head()
{
	atf_set "descr" "sh-10: unknown command: message and 127; not executable: 126"
}
not_found_body()
{
	sh_setup
	script s.sh <<'EOF'
no_such_command_xyz arg; echo "st=$?"
./no/such/path; echo "st=$?"
echo data > plain; chmod 644 plain
./plain; echo "st=$?"
PATH=/nonexistent no_such_command_xyz; echo "st=$?"
EOF
	atf_check -s exit:0 -o inline:"st=127\nst=127\nst=126\nst=127\n" \
	    -e match:"^sh: no_such_command_xyz: not found$" "$SH" s.sh
	atf_check -s exit:127 -o empty -e inline:"sh: nonesuch: not found\n" \
	    "$SH" -c nonesuch
}

atf_test_case exit_status
exit_status_head()
{
	atf_set "descr" "sh-11: exit [n], signals as 128+n, status at end of input"
}
exit_status_body()
{
	sh_setup
	atf_check -s exit:3 -o inline:"a\n" -e empty "$SH" -c 'echo a; exit 3; echo b'
	atf_check -s exit:1 -o empty -e empty "$SH" -c 'true; false'
	atf_check -s exit:0 -o inline:"137\n" -e empty \
	    "$SH" -c '"$SH" -c "kill -KILL \$\$"; echo $?'
	atf_check -s exit:4 -o empty -e empty "$SH" -c '(exit 4)'
	atf_check -s exit:5 -o empty -e empty "$SH" -c 'f() { return 5; }; f'
	printf 'echo in\nfalse\n' > s.sh
	atf_check -s exit:1 -o inline:"in\n" -e empty "$SH" s.sh
}

atf_test_case stdin_script
stdin_script_head()
{
	atf_set "descr" "sh-12: a script piped to stdin; commands can read the rest of it"
}
stdin_script_body()
{
	sh_setup
	printf 'echo first\nread line\nthis line is data\necho "got: $line"\nif true\nthen echo multi-line\nfi\necho con\\\ntinued \\\n  line\nexit 6\necho never\n' > in.txt
	atf_check -s exit:6 -o inline:"first\ngot: this line is data\nmulti-line\ncontinued line\n" \
	    -e empty "$SH" < in.txt
	atf_check -s exit:0 -o inline:"piped\n" -e empty -x \
	    "echo 'echo piped' | '$SH'"
}

atf_test_case syntax_errors
syntax_errors_head()
{
	atf_set "descr" "sh-13: syntax errors give a message and status 2, never a crash"
}
syntax_errors_body()
{
	sh_setup
	printf 'echo before\necho a; fi\necho after\n' > s.sh
	atf_check -s exit:2 -o inline:"before\n" -e match:"syntax error" "$SH" s.sh
	atf_check -s exit:2 -o empty -e match:"end of file" "$SH" -c 'echo "open'
	atf_check -s exit:2 -o empty -e match:"syntax error" "$SH" -c 'if true; then'
	atf_check -s exit:2 -o empty -e match:"syntax error" "$SH" -c '| cat'
	# Interactive (-i): the error costs one line only.
	printf 'echo a; )\necho next\n' > in.txt
	atf_check -s exit:0 -o inline:"next\n" -e match:"syntax error" \
	    "$SH" -i < in.txt
}

atf_test_case interactive
interactive_head()
{
	atf_set "descr" "sh-15: -i: prompt on stderr, SIGINT ignored by the shell but not by children"
}
interactive_body()
{
	sh_setup
	printf '%s\n' 'kill -INT $$' 'echo survived' \
	    '"$SH" -c "kill -INT \$\$"; echo "child=$?"' > in.txt
	atf_check -s exit:0 -o inline:"survived\nchild=130\n" \
	    -e match:'^[#$] [#$] [#$] ' "$SH" -i < in.txt
	# Not interactive: no prompt at all.
	atf_check -s exit:0 -o inline:"x\n" -e empty -x "echo 'echo x' | '$SH'"
}

atf_test_case subst_and_case
subst_and_case_head()
{
	atf_set "descr" "sh-16: \$( ) holding case and parentheses, loops reading a redirected file"
}
subst_and_case_body()
{
	sh_setup
	script s.sh <<'EOF'
x=$(case a in a) echo matched;; esac); echo "$x"
echo "$(echo "a)b")" $( (echo sub) )
printf 'l1 a\nl2 b\n' > lines
while read n v; do echo "[$n|$v]"; done < lines
IFS=:; set -- $(echo a:b:c); echo $# $2; IFS=' '
for f in *.none; do echo "$f"; done
touch g1.t g2.t; echo g*.t "g*.t"
EOF
	atf_check -s exit:0 -o inline:"matched\na)b sub\n[l1|a]\n[l2|b]\n3 b\n*.none\ng1.t g2.t g*.t\n" \
	    -e empty "$SH" s.sh
}

atf_test_case here_and_functions
here_and_functions_head()
{
	atf_set "descr" "sh-14: here-documents, functions, eval, ., long lines"
}
here_and_functions_body()
{
	sh_setup
	script s.sh <<'EOF'
name=world
cat <<END
hello $name
  kept indent
END
cat <<'END'
literal $name
END
greet() {
	echo "hi $1 ($#)"
}
greet you there
eval 'echo "eval $name"'
printf 'dotted=yes\nreturn 3\ndotted=no\n' > lib.sh
. ./lib.sh; echo "$dotted $?"
long=x; while [ ${#long} -lt 100000 ]; do long=$long$long; done
echo ${#long}
echo "echo $long" > longline.sh
"$SH" longline.sh | wc -c | tr -d ' '
EOF
	atf_check -s exit:0 -o inline:"hello world
  kept indent
literal \$name
hi you (2)
eval world
yes 3
131072
131073
" -e empty "$SH" s.sh
}

atf_init_test_cases()
{
	atf_add_test_case simple_commands
	atf_add_test_case quoting
	atf_add_test_case pipelines
	atf_add_test_case redirections
	atf_add_test_case and_or
	atf_add_test_case variables
	atf_add_test_case positional
	atf_add_test_case control
	atf_add_test_case background
	atf_add_test_case not_found
	atf_add_test_case exit_status
	atf_add_test_case stdin_script
	atf_add_test_case syntax_errors
	atf_add_test_case interactive
	atf_add_test_case subst_and_case
	atf_add_test_case here_and_functions
}
