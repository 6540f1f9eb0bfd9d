#! /usr/bin/env atf-sh
#
# Self-test of the in-kernel test harness (tests/kern/ktest.c).
#
# The harness is the only thing that decides whether an in-kernel test
# passed, so it is tested without a kernel: each case builds a tiny ELF
# object whose .ktest_meta section lists made-up tests, and a fake QEMU
# (a shell script) that prints canned serial output and exits with a
# chosen status.  The cases check the result line ktest writes for kyua
# and its exit status, which kyua cross-checks (passed, skipped and
# expected_failure exit 0; failed and broken exit 1).
#
# The user_* cases do the same for the userland tests: a MANIFEST beside
# the fake image, session files (NAME.in, NAME.expect) beside it, and a
# fake QEMU that records what was typed on its stdin.
#
# Needs clang (to assemble the fake images) and bash (for one fake QEMU);
# nothing else beyond atf-sh.

# The program under test sits next to us in the build tree.
ktest_path()
{
	echo "$(atf_get_srcdir)/ktest"
}

# make_image OUT LINE...: an ELF object whose .ktest_meta holds the given
# lines, written with assembler escapes ("name\t1\t0\t60\tdescr\n").
make_image()
{
	_out=$1
	shift
	{
		printf '\t.pushsection .ktest_meta,"",@progbits\n'
		for _l in "$@"; do
			printf '\t.ascii "%s"\n' "$_l"
		done
		printf '\t.popsection\n'
		printf '\t.text\n\tnop\n'
	} > image.s
	atf_check clang -c -x assembler -o "$_out" image.s
}

# The image most cases use: one plain, one SMP and one xfail test.
std_image()
{
	make_image kernel.elf \
	    'simple\t1\t0\t60\tA simple test\n' \
	    'multi\t1,4\t0\t120\tAn SMP test\n' \
	    'knownbug\t1\t1\t30\tA known bug\n'
}

# fake_qemu STATUS: a QEMU that records its arguments and stdin, prints
# serial.txt (to be written by the caller) and exits with STATUS.
fake_qemu()
{
	cat > qemu <<EOF
#! /bin/sh
printf '%s\n' "\$@" > "$(pwd)/qemu.args"
readlink /proc/\$\$/fd/0 > "$(pwd)/qemu.stdin"
cat "$(pwd)/serial.txt"
exit $1
EOF
	chmod +x qemu
}

# serial TEXT: the fake QEMU's output, printf escapes allowed.
serial()
{
	# shellcheck disable=SC2059
	printf "$1" > serial.txt
}

# expect CASE RESULT EXIT [VAR=VALUE...]: run CASE against kernel.elf and
# the fake QEMU; the result file must hold exactly RESULT.
expect()
{
	_case=$1
	_result=$2
	_exit=$3
	shift 3
	_vars="-v kernel=$(pwd)/kernel.elf -v qemu=$(pwd)/qemu -v accel=tcg"
	for _v in "$@"; do
		_vars="$_vars -v $_v"
	done
	rm -f result
	# shellcheck disable=SC2086
	atf_check -s exit:"$_exit" -o save:stdout -e save:stderr \
	    "$(ktest_path)" $_vars -r result "$_case"
	atf_check -o inline:"$_result\n" cat result
}

atf_test_case list
list_head()
{
	atf_set descr "Lists one kyua case per test and CPU count, with descriptions and timeouts"
	atf_set require.progs clang
}
list_body()
{
	std_image
	cat > expout <<'EOF'
Content-Type: application/X-atf-tp; version="1"

ident: simple
descr: A simple test
timeout: 100

ident: multi_smp1
descr: An SMP test [1 CPU]
timeout: 160

ident: multi_smp4
descr: An SMP test [4 CPUs]
timeout: 160

ident: knownbug
descr: A known bug (expected to fail)
timeout: 70
EOF
	atf_check -o file:expout "$(ktest_path)" -v kernel=kernel.elf -l
	# kyua glues the value to the option; hang_timeout caps every case.
	sed -e 's/^timeout: .*/timeout: 35/' expout > expout2
	atf_check -o file:expout2 "$(ktest_path)" -vkernel=kernel.elf -vhang_timeout=5 -l
}

atf_test_case qemu_args
qemu_args_head()
{
	atf_set descr "Boots QEMU with the documented machine, CPU count and command line"
	atf_set require.progs clang
}
qemu_args_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 multi\n'
	expect multi_smp4 passed 0
	cat > expargs <<EOF
-machine
q35,accel=tcg
-cpu
max
-smp
4
-m
512M
-nodefaults
-no-reboot
-display
none
-serial
stdio
-device
isa-debug-exit,iobase=0xf4,iosize=0x04
-kernel
$(pwd)/kernel.elf
-append
ktest=multi smp=4
EOF
	atf_check -o file:expargs cat qemu.args
	atf_check -o inline:"/dev/null\n" cat qemu.stdin
}

atf_test_case initrd
initrd_head()
{
	atf_set descr "Passes -initrd: the initrd variable, else initrd.cpio next to the kernel; initrd= means none"
	atf_set require.progs clang
}
initrd_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	# No initrd.cpio beside the kernel: no -initrd (see qemu_args too).
	expect simple passed 0
	atf_check -s exit:1 grep -q -- '^-initrd$' qemu.args
	# One beside the kernel is the default.
	echo archive > initrd.cpio
	expect simple passed 0
	atf_check -o inline:"-initrd\n$(pwd)/initrd.cpio\n-append\n" \
	    sh -c "grep -A 2 -- '^-initrd\$' qemu.args"
	# The variable wins; empty means none.
	echo other > other.cpio
	expect simple passed 0 initrd="$(pwd)/other.cpio"
	atf_check -o inline:"$(pwd)/other.cpio\n" \
	    sh -c "grep -A 1 -- '^-initrd\$' qemu.args | tail -1"
	expect simple passed 0 initrd=
	atf_check -s exit:1 grep -q -- '^-initrd$' qemu.args
	# A missing file is a bad variable, reported through the synthetic case.
	bad_image "variable initrd is '/nonexistent/x.cpio': No such file" \
	    -v initrd=/nonexistent/x.cpio
}

atf_test_case pass
pass_head()
{
	atf_set descr "ok plus exit status 33 passes; the serial log reaches stdout"
	atf_set require.progs clang
}
pass_body()
{
	std_image
	fake_qemu 33
	serial 'boot noise\nKTAP version 1\n1..1\n# checking\nok 1 simple\n'
	expect simple passed 0
	atf_check -o inline:"boot noise\nKTAP version 1\n1..1\n# checking\nok 1 simple\n" \
	    cat stdout
}

atf_test_case pass_crlf
pass_crlf_head()
{
	atf_set descr "Serial lines ending in CR LF are understood"
	atf_set require.progs clang
}
pass_crlf_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\r\n1..1\r\nok 1 simple\r\n'
	expect simple passed 0
	# A final line without a newline still counts.
	serial 'KTAP version 1\r\n1..1\r\nok 1 simple'
	expect simple passed 0
}

atf_test_case fail
fail_head()
{
	atf_set descr "not ok plus exit status 65 fails with the first FAIL diagnostic"
	atf_set require.progs clang
}
fail_body()
{
	std_image
	fake_qemu 65
	serial 'KTAP version 1\n1..1\n# FAIL kern/x.c:12: a == b\n# FAIL kern/x.c:13: c\nnot ok 1 simple\n'
	expect simple "failed: kern/x.c:12: a == b" 1
	serial 'KTAP version 1\n1..1\nnot ok 1 simple\n'
	expect simple "failed: not ok, without a '# FAIL' diagnostic" 1
}

atf_test_case panic
panic_head()
{
	atf_set descr "A panic line fails the test with the panic message"
	atf_set require.progs clang
}
panic_body()
{
	std_image
	fake_qemu 65
	serial 'KTAP version 1\n1..1\ncpu1: panic: lock botch: held\n#0 0xffffffff80001000 panic+0x10\n'
	expect simple "failed: panic: lock botch: held" 1
	# During boot, before any KTAP, and without a CPU prefix.
	serial 'panic: no memory map\n'
	expect simple "failed: panic: no memory map" 1
	# A panic that then hangs is still reported as the panic.
	cat > qemu <<EOF
#! /bin/sh
printf 'KTAP version 1\n1..1\npanic: stuck\n'
exec sleep 60
EOF
	expect simple "failed: panic: stuck (then no exit after 1s)" 1 \
	    hang_timeout=1
}

atf_test_case triple_fault
triple_fault_head()
{
	atf_set descr "Exit status 0 (triple fault, reset) is broken, never passed"
	atf_set require.progs clang
}
triple_fault_body()
{
	std_image
	fake_qemu 0
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	expect simple "broken: triple fault or reset: qemu exited with status 0; last line: ok 1 simple" 1
	serial ''
	expect simple "broken: triple fault or reset: qemu exited with status 0; no serial output" 1
}

atf_test_case hang
hang_head()
{
	atf_set descr "A guest that never exits is killed, with its children, and reported as a hang"
	atf_set require.progs clang
	atf_set timeout 60
}
hang_body()
{
	std_image
	cat > qemu <<EOF
#! /bin/sh
printf 'KTAP version 1\n1..1\n# step 3\n'
sleep 60 &
echo \$! > "$(pwd)/sleeper.pid"
wait
EOF
	chmod +x qemu
	start=$(date +%s)
	expect simple "broken: hang: no result after 2s; last line: # step 3" 1 \
	    hang_timeout=2
	end=$(date +%s)
	[ $((end - start)) -lt 10 ] || atf_fail "took $((end - start))s to give up"
	# The whole process group died, not just QEMU.
	pid=$(cat sleeper.pid)
	state=$(cut -d' ' -f3 /proc/"$pid"/stat 2>/dev/null || true)
	[ -z "$state" ] || [ "$state" = Z ] || \
	    atf_fail "QEMU's child $pid survived (state $state)"
}

atf_test_case missing_ktap
missing_ktap_head()
{
	atf_set descr "A run without KTAP version, plan or result line is broken"
	atf_set require.progs clang
}
missing_ktap_body()
{
	std_image
	fake_qemu 33
	serial 'hello\nworld\n'
	expect simple "broken: no 'KTAP version 1' line on the serial console; last line: world" 1
	serial 'KTAP version 2\n1..1\nok 1 simple\n'
	expect simple "broken: unsupported KTAP header 'KTAP version 2', expected 'KTAP version 1'" 1
	serial 'KTAP version 1\nok 1 simple\n'
	expect simple "broken: no KTAP plan line ('1..1')" 1
	serial 'KTAP version 1\n1..0\n'
	expect simple "broken: KTAP plan is '1..0', expected '1..1' (does the kernel know a test called this?)" 1
	serial 'KTAP version 1\n1..1\n# running\n'
	expect simple "broken: no KTAP result line ('ok 1 simple')" 1
	# Result lines before the KTAP header are boot noise.
	serial 'ok 1 simple\nKTAP version 1\n1..1\n'
	expect simple "broken: no KTAP result line ('ok 1 simple')" 1
}

atf_test_case mismatch
mismatch_head()
{
	atf_set descr "A result for another test, two results, or a result that disagrees with the exit status is broken"
	atf_set require.progs clang
}
mismatch_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 other\n'
	expect simple "broken: KTAP result is for test 1 'other', expected test 1 'simple'" 1
	serial 'KTAP version 1\n1..1\nok 2 simple\n'
	expect simple "broken: KTAP result is for test 2 'simple', expected test 1 'simple'" 1
	serial 'KTAP version 1\n1..1\nok 1 simple\nok 1 simple\n'
	expect simple "broken: 2 KTAP result lines, expected one" 1
	serial 'KTAP version 1\n1..1\n1..1\nok 1 simple\n'
	expect simple "broken: 2 KTAP plan lines, expected one" 1
	serial 'KTAP version 1\n1..1\nnot ok 1 simple\n'
	expect simple "broken: KTAP result 'not ok' disagrees with qemu exit status 33 (pass)" 1
	serial 'KTAP version 1\n1..1\n# FAIL x.c:1: y\nok 1 simple\n'
	expect simple "broken: KTAP result ok, but a failure was reported: x.c:1: y" 1
	fake_qemu 65
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	expect simple "broken: KTAP result 'ok' disagrees with qemu exit status 65 (fail)" 1
}

atf_test_case bad_exit
bad_exit_head()
{
	atf_set descr "Other exit statuses, signals and a missing QEMU are broken"
	atf_set require.progs clang
}
bad_exit_body()
{
	std_image
	fake_qemu 3
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	expect simple "broken: qemu exit status 3, expected 33 (pass) or 65 (fail); last line: ok 1 simple" 1
	cat > qemu <<EOF
#! /bin/sh
echo "qemu-system-x86_64: -machine q35: no accelerator found" >&2
exit 1
EOF
	expect simple "broken: qemu failed to start: qemu-system-x86_64: -machine q35: no accelerator found" 1
	cat > qemu <<EOF
#! /bin/sh
printf 'KTAP version 1\n'
kill -SEGV \$\$
EOF
	expect simple "broken: qemu killed by signal 11; last line: KTAP version 1" 1
	rm -f result
	atf_check -s exit:1 -o empty -e match:"cannot execute" \
	    "$(ktest_path)" -v kernel=kernel.elf -v qemu=/nonexistent/qemu -r result simple
	atf_check -o match:"^broken: cannot run qemu; no serial output; qemu stderr: ktest: cannot execute /nonexistent/qemu: No such file or directory$" \
	    cat result
}

atf_test_case kvm_error
kvm_error_head()
{
	atf_set descr "A KVM internal error (how a triple fault can look under nested KVM) stops the run early"
	atf_set require.progs clang
	atf_set timeout 60
}
kvm_error_body()
{
	std_image
	cat > qemu <<EOF
#! /bin/sh
printf 'KTAP version 1\n1..1\n# step\n'
echo "KVM internal error. Suberror: 1" >&2
echo "emulation failure" >&2
exec sleep 60
EOF
	chmod +x qemu
	start=$(date +%s)
	expect simple "broken: KVM internal error, guest stopped (try accel=tcg); last line: # step; qemu stderr: KVM internal error. Suberror: 1" 1 \
	    hang_timeout=30
	expect knownbug "expected_failure: broken: KVM internal error, guest stopped (try accel=tcg); last line: # step; qemu stderr: KVM internal error. Suberror: 1" 0 \
	    hang_timeout=30
	end=$(date +%s)
	[ $((end - start)) -lt 20 ] || atf_fail "took $((end - start))s to give up"
}

atf_test_case skip
skip_head()
{
	atf_set descr "ok # SKIP becomes a kyua skip with the kernel's reason"
	atf_set require.progs clang
}
skip_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 simple # SKIP needs 4 CPUs\n'
	expect simple "skipped: needs 4 CPUs" 0
	serial 'KTAP version 1\n1..1\nok 1 simple # SKIP\n'
	expect simple "skipped: skipped by the kernel" 0
	serial 'KTAP version 1\n1..1\nok 1 simple # TODO later\n'
	expect simple "broken: unsupported KTAP directive '# TODO later' on an ok result" 1
}

atf_test_case xfail
xfail_head()
{
	atf_set descr "An xfail test that fails is an expected failure; one that passes fails"
	atf_set require.progs clang
}
xfail_body()
{
	std_image
	fake_qemu 65
	serial 'KTAP version 1\n1..1\npanic: known race\n'
	expect knownbug "expected_failure: failed: panic: known race" 0
	serial 'KTAP version 1\n1..1\n# FAIL bug.c:3: off by one\nnot ok 1 knownbug\n'
	expect knownbug "expected_failure: failed: bug.c:3: off by one" 0
	fake_qemu 0
	serial 'KTAP version 1\n1..1\n'
	expect knownbug "expected_failure: broken: triple fault or reset: qemu exited with status 0; last line: 1..1" 0
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 knownbug\n'
	expect knownbug "failed: expected this test to fail, but it passed" 1
	# Trouble with QEMU itself is not the expected failure.
	rm -f result
	atf_check -s exit:1 -o empty -e ignore \
	    "$(ktest_path)" -v kernel=kernel.elf -v qemu=/nonexistent/qemu -r result knownbug
	atf_check -o match:"^broken: cannot run qemu" cat result
}

atf_test_case xfail_hang
xfail_hang_head()
{
	atf_set descr "An xfail test that hangs is an expected failure"
	atf_set require.progs clang
	atf_set timeout 60
}
xfail_hang_body()
{
	std_image
	cat > qemu <<EOF
#! /bin/sh
printf 'KTAP version 1\n1..1\n'
exec sleep 60
EOF
	chmod +x qemu
	expect knownbug "expected_failure: broken: hang: no result after 1s; last line: 1..1" 0 \
	    hang_timeout=1
}

atf_test_case case_names
case_names_head()
{
	atf_set descr "Unknown case names and case parts are broken; :body runs the case"
	atf_set require.progs clang
}
case_names_body()
{
	std_image
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 multi\n'
	expect multi_smp1:body passed 0
	expect multi "broken: the kernel has no test case 'multi'" 1
	expect multi_smp2 "broken: the kernel has no test case 'multi_smp2'" 1
	expect simple:other "broken: bad test case part ':other'" 1
	# Without -r the result goes to stdout.
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	atf_check -o match:"^passed$" -e ignore \
	    "$(ktest_path)" -v kernel=kernel.elf -v qemu="$(pwd)/qemu" simple
}

# bad_image REGEX [-v VAR=VALUE...]: kernel.elf (or the variables) must be
# refused with a reason matching REGEX:
# the listing shows one synthetic case and stays silent on stderr (kyua
# would call a listing with stderr output broken and drop it), and running
# that case reports the reason.
bad_image()
{
	_re=$1
	shift
	cat > expout <<'EOF'
Content-Type: application/X-atf-tp; version="1"

ident: kernel_metadata
descr: Checks the harness's variables and reads the list of tests out of the kernel image
timeout: 60
EOF
	atf_check -o file:expout -e empty "$(ktest_path)" -v kernel=kernel.elf \
	    "$@" -l
	rm -f result
	atf_check -s exit:1 -e match:"$_re" \
	    "$(ktest_path)" -v kernel=kernel.elf "$@" -r result kernel_metadata
	atf_check -o match:"^broken: .*$_re" cat result
}

# poke OFFSET BYTES: overwrite bytes of kernel.elf (octal escapes).
poke()
{
	# shellcheck disable=SC2059
	printf "$2" | dd of=kernel.elf bs=1 seek="$1" conv=notrunc 2>/dev/null
}

atf_test_case bad_elf
bad_elf_head()
{
	atf_set descr "Corrupt or foreign kernel images are refused with a clear reason"
	atf_set require.progs clang
}
bad_elf_body()
{
	bad_image "cannot open kernel image"
	mkdir kernel.elf
	bad_image "is not a regular file"
	rmdir kernel.elf
	: > kernel.elf
	bad_image "not an ELF file \\(only 0 bytes\\)"
	echo "#! /bin/sh" > kernel.elf
	bad_image "not an ELF file"
	dd if=/dev/zero bs=100 count=1 2>/dev/null | tr '\000' 'x' > kernel.elf
	bad_image "not an ELF file \\(bad magic\\)"

	std_image
	head -c 40 kernel.elf > short.elf && mv short.elf kernel.elf
	bad_image "not an ELF file \\(only 40 bytes\\)"

	printf '\t.text\n\tnop\n' > other.s
	atf_check clang -target i386-unknown-none-elf -c -x assembler \
	    -o kernel.elf other.s
	bad_image "not a little-endian ELF64 x86-64 image"
	atf_check clang -c -x assembler -o kernel.elf other.s
	bad_image "has no .ktest_meta section"

	std_image
	poke 40 '\0\0\0\0\377\377\377\377'		# e_shoff
	bad_image "section headers at offset 0xffffffff00000000 lie outside"
	std_image
	poke 40 '\0\0\0\0\0\0\0\0'			# e_shoff
	bad_image "has no section headers"
	std_image
	poke 58 '\040\0'				# e_shentsize
	bad_image "section header size is 32, not 64"
	std_image
	poke 60 '\377\177'				# e_shnum
	bad_image "section count 32767 does not fit"
	std_image
	poke 62 '\376\177'				# e_shstrndx
	bad_image "section name table index 32766 is invalid"
}

atf_test_case bad_vars
bad_vars_head()
{
	atf_set descr "Bad harness variables are reported through the synthetic case"
	atf_set require.progs clang
}
bad_vars_body()
{
	std_image
	bad_image "variable accel is '', not a list like kvm:tcg" -v accel=
	bad_image "variable accel is 'kvm,x=y'" -v accel=kvm,x=y
	bad_image "variable qemu is empty" -v qemu=
	bad_image "variable hang_timeout is '0', not 1..86400 seconds" \
	    -v hang_timeout=0
	bad_image "variable hang_timeout is 'x'" -v hang_timeout=x
	bad_image "variable 'junk' is not name=value" -v junk
	# Variables ktest does not know are kyua's (unprivileged-user...).
	atf_check -o match:"ident: simple" "$(ktest_path)" -v kernel=kernel.elf \
	    -v unprivileged-user=nobody -l
}

atf_test_case bad_meta
bad_meta_head()
{
	atf_set descr "Malformed .ktest_meta lines are refused with the line and the reason"
	atf_set require.progs clang
}
bad_meta_body()
{
	make_image kernel.elf 'a\t1\t0\t60\n'
	bad_image "line 1 does not have 5 tab-separated fields"
	make_image kernel.elf 'a\t1\t0\t60\td\te\n'
	bad_image "line 1 does not have 5 tab-separated fields"
	make_image kernel.elf 'a\t1\t0\t60\tok\n' '9a\t1\t0\t60\td\n'
	bad_image "line 2: bad test name '9a'"
	make_image kernel.elf 'a-b\t1\t0\t60\td\n'
	bad_image "line 1: bad test name 'a-b'"
	make_image kernel.elf '\t1\t0\t60\td\n'
	bad_image "line 1: bad test name ''"
	for cpus in 0 256 '' 1,,2 1,1 01 ' 1' 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17; do
		make_image kernel.elf "a\\t$cpus\\t0\\t60\\td\\n"
		bad_image "line 1 \\(a\\): bad CPU list"
	done
	make_image kernel.elf 'a\t1\t2\t60\td\n'
	bad_image "line 1 \\(a\\): bad xfail flag '2'"
	for t in 0 abc -1 86401 999999999999; do
		make_image kernel.elf "a\\t1\\t0\\t$t\\td\\n"
		bad_image "line 1 \\(a\\): bad timeout"
	done
	make_image kernel.elf 'a\t1\t0\t60\td\001x\n'
	bad_image "line 1 \\(a\\): description has a non-printable byte 0x1"
	make_image kernel.elf 'a\t1\t0\t60\td\n' 'a\t2\t0\t60\td\n'
	bad_image "line 2: test case name 'a' is used twice"
	make_image kernel.elf 'a_smp2\t1\t0\t60\td\n' 'a\t2,4\t0\t60\td\n'
	bad_image "line 2: test case name 'a_smp2' is used twice"
	make_image kernel.elf 'a\t1\t0\t60\td\n' 'b\t1\t0\t60\td'
	bad_image "line 2 is not terminated by a newline"
	make_image kernel.elf 'a\t1\t0\t60\td\000x\n'
	bad_image "line 1 contains a NUL byte"
	make_image kernel.elf
	bad_image "lists no tests"
	# NUL padding between lines is fine.
	make_image kernel.elf 'a\t1\t0\t60\td\n\0\0\0' 'b\t1\t0\t60\td\n\0'
	atf_check -o match:"ident: b" "$(ktest_path)" -v kernel=kernel.elf -l
}

atf_test_case fuzz
fuzz_head()
{
	atf_set descr "Listing never crashes on randomly corrupted or truncated images"
	atf_set require.progs clang
	atf_set timeout 300
}
fuzz_body()
{
	std_image
	size=$(wc -c < kernel.elf)
	cp kernel.elf orig.elf
	# Truncations, then random byte changes (offset, value) from awk.
	n=0
	while [ $n -lt "$size" ]; do
		head -c $n orig.elf > kernel.elf
		fuzz_one "truncated to $n"
		n=$((n + 13))
	done
	awk -v size="$size" 'BEGIN { srand(42); for (i = 0; i < 120; i++)
	    printf "%d %d %d\n", int(rand() * size), int(rand() * 256),
	    int(rand() * 4) + 1 }' > mutations
	while read -r off val count; do
		cp orig.elf kernel.elf
		i=0
		while [ $i -lt "$count" ]; do
			poke $(( (off + i * 13) % size )) "$(printf '\\%03o' "$val")"
			i=$((i + 1))
		done
		fuzz_one "byte $off = $val x$count"
	done < mutations
}

fuzz_one()
{
	"$(ktest_path)" -v kernel=kernel.elf -l > out 2> err
	st=$?
	if [ $st -ne 0 ] || [ -s err ]; then
		cat err
		atf_fail "ktest -l exited $st on an image $1"
	fi
	head -1 out | grep -q '^Content-Type: application/X-atf-tp; version="1"$' ||
	    atf_fail "bad listing for an image $1"
}

# user_manifest [LINE...]: uroot/usr/tests/MANIFEST beside kernel.elf (where
# ktest looks by default), one line per argument, printf escapes allowed.
user_manifest()
{
	mkdir -p uroot/usr/tests
	: > uroot/usr/tests/MANIFEST
	for _l in "$@"; do
		# shellcheck disable=SC2059
		printf "$_l\n" >> uroot/usr/tests/MANIFEST
	done
}

# The kernel cases of std_image, as listed (kyua's header included).
std_listing()
{
	cat <<'EOF'
Content-Type: application/X-atf-tp; version="1"

ident: simple
descr: A simple test
timeout: 100

ident: multi_smp1
descr: An SMP test [1 CPU]
timeout: 160

ident: multi_smp4
descr: An SMP test [4 CPUs]
timeout: 160

ident: knownbug
descr: A known bug (expected to fail)
timeout: 70
EOF
}

atf_test_case user_list
user_list_head()
{
	atf_set descr "Lists the userland tests of the MANIFEST after the kernel's, as user_NAME cases"
	atf_set require.progs clang
}
user_list_body()
{
	std_image
	# No MANIFEST: only the kernel's cases.
	std_listing > expout
	atf_check -o file:expout "$(ktest_path)" -v kernel=kernel.elf -l
	user_manifest '# comment' '' 'hello 2 60 Says hello' \
	    '  # indented comment' \
	    'sh_session\t1,4\t30\t  A scripted\tsession  ' \
	    'multi 1 5 Same name as a kernel test, other case names\r'
	{
		std_listing
		cat <<'EOF'

ident: user_hello
descr: Says hello
timeout: 100

ident: user_sh_session_smp1
descr: A scripted session [1 CPU]
timeout: 70

ident: user_sh_session_smp4
descr: A scripted session [4 CPUs]
timeout: 70

ident: user_multi
descr: Same name as a kernel test, other case names
timeout: 45
EOF
	} > expout
	atf_check -o file:expout -e empty "$(ktest_path)" -v kernel=kernel.elf -l
	# The variable names another MANIFEST; empty means none.
	mv uroot/usr/tests/MANIFEST other
	atf_check -o file:expout "$(ktest_path)" -v kernel=kernel.elf \
	    -v utests="$(pwd)/other" -l
	std_listing > expout
	atf_check -o file:expout "$(ktest_path)" -v kernel=kernel.elf -l
	mv other uroot/usr/tests/MANIFEST
	atf_check -o file:expout "$(ktest_path)" -v kernel=kernel.elf \
	    -v utests= -l
	# A final line without a newline counts.
	printf 'last 1 9 no newline' > uroot/usr/tests/MANIFEST
	atf_check -o match:"^ident: user_last$" "$(ktest_path)" \
	    -v kernel=kernel.elf -l
}

atf_test_case user_run
user_run_head()
{
	atf_set descr "A userland case boots with utest=NAME smp=N and is judged like a kernel test"
	atf_set require.progs clang
}
user_run_body()
{
	std_image
	user_manifest 'hello 2 60 Says hello' 'smp 1,4 60 SMP'
	fake_qemu 33
	serial 'KTAP version 1\n1..1\n# pid 2\nok 1 hello\n'
	expect user_hello passed 0
	atf_check -o inline:"-append\nutest=hello smp=2\n" \
	    sh -c "grep -A 1 -- '^-append\$' qemu.args"
	atf_check -o inline:"/dev/null\n" cat qemu.stdin
	serial 'KTAP version 1\n1..1\nok 1 smp\n'
	expect user_smp_smp4 passed 0
	atf_check -o match:"^utest=smp smp=4$" cat qemu.args
	fake_qemu 65
	serial 'KTAP version 1\n1..1\n# FAIL pipes.c:40: n == 5\n# exit status 1\nnot ok 1 hello\n'
	expect user_hello "failed: pipes.c:40: n == 5" 1
	# init's own diagnostics stand in for a missing "# FAIL".
	serial 'KTAP version 1\n1..1\ninit: /usr/tests/hello: No such file\n# exit status 127\nnot ok 1 hello\n'
	expect user_hello "failed: not ok, without a '# FAIL' diagnostic; last diagnostic: exit status 127" 1
	serial 'KTAP version 1\n1..1\nnot ok 1 other\n'
	expect user_hello "broken: KTAP result is for test 1 'other', expected test 1 'hello'" 1
	# Kernel names do not run as userland cases, nor the other way.
	expect user_simple "broken: the kernel has no test case 'user_simple'" 1
	expect hello "broken: the kernel has no test case 'hello'" 1
	expect user_manifest "broken: the kernel has no test case 'user_manifest'" 1
}

# bad_manifest REGEX: the MANIFEST must be refused with a reason matching
# REGEX: the kernel's cases are still listed, then the synthetic case
# user_manifest instead of any userland case; running it gives the reason.
bad_manifest()
{
	{
		std_listing
		cat <<'EOF'

ident: user_manifest
descr: Reads the list of userland tests out of their MANIFEST
timeout: 60
EOF
	} > expout
	atf_check -o file:expout -e empty "$(ktest_path)" -v kernel=kernel.elf -l
	rm -f result
	atf_check -s exit:1 -e match:"$1" \
	    "$(ktest_path)" -v kernel=kernel.elf -r result user_manifest
	atf_check -o match:"^broken: userland test manifest.*$1" cat result
	# The kernel's cases still run.
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	expect simple passed 0
}

atf_test_case user_bad_manifest
user_bad_manifest_head()
{
	atf_set descr "Malformed MANIFEST lines drop the userland cases and are reported through user_manifest"
	atf_set require.progs clang
}
user_bad_manifest_body()
{
	std_image
	user_manifest 'ok 1 60 fine' 'short 1 60'
	bad_manifest "line 2 does not have 4 fields"
	user_manifest 'lonely'
	bad_manifest "line 1 does not have 4 fields"
	for name in 9a a-b a.b manifest; do
		user_manifest "$name 1 60 d"
		bad_manifest "line 1: bad test name '$name'"
	done
	# 65 bytes: one too many (quoted cut to 64).
	long=x1234567890123456789012345678901234567890123456789012345678901234
	user_manifest "$long 1 60 d"
	bad_manifest "line 1: bad test name '${long%4}'\$"
	user_manifest "${long%4} 1 60 d"
	atf_check -o match:"^ident: user_${long%4}\$" "$(ktest_path)" \
	    -v kernel=kernel.elf -l
	for cpus in 0 256 1,,2 1,1 01 x; do
		user_manifest "a $cpus 60 d"
		bad_manifest "line 1 \\(a\\): bad CPU list '$cpus'"
	done
	for t in 0 abc -1 86401 999999999999 1.5; do
		user_manifest "a 1 $t d"
		bad_manifest "line 1 \\(a\\): bad timeout '$t'"
	done
	user_manifest '# a\001b' 'a 1 60 d'
	bad_manifest "line 1 has a non-printable byte 0x1"
	user_manifest 'a 1 60 d\033[m'
	bad_manifest "line 1 has a non-printable byte 0x1b"
	user_manifest 'a 1 60 d' 'b 1 60 d\000x'
	bad_manifest "contains a NUL byte"
	user_manifest "a 1 60 $(printf '%0600d' 0)"
	bad_manifest "line 1 \\(a\\): description longer than 512 bytes"
	user_manifest 'a 1 60 d' '' 'a 2 60 d'
	bad_manifest "line 3: test case name 'user_a' is used twice"
	user_manifest 'a_smp2 1 60 d' 'a 2,4 60 d'
	bad_manifest "line 2: test case name 'user_a_smp2' is used twice"
	rm -f uroot/usr/tests/MANIFEST
	mkdir uroot/usr/tests/MANIFEST
	bad_manifest "MANIFEST is not a regular file"
	rmdir uroot/usr/tests/MANIFEST
	# A userland case name must not meet a kernel test's.
	make_image kernel.elf 'simple\t1\t0\t60\tA simple test\n' \
	    'user_dup\t1\t0\t60\tKernel test named like a userland one\n'
	user_manifest 'dup 1 60 d'
	atf_check -o match:"^ident: user_manifest$" "$(ktest_path)" \
	    -v kernel=kernel.elf -l
	rm -f result
	atf_check -s exit:1 -e ignore "$(ktest_path)" -v kernel=kernel.elf \
	    -r result user_manifest
	atf_check -o inline:"broken: userland test manifest uroot/usr/tests/MANIFEST: line 1: test case name 'user_dup' is used twice\n" \
	    cat result
}

# session_qemu STATUS: a fake QEMU (bash, for read -t) that prints the
# KTAP header, records the lines typed on its stdin into qemu.stdin up to
# one that is "exit", then prints serial.txt and exits with STATUS.  Input
# that arrives before the plan is recorded in qemu.early.
session_qemu()
{
	cat > qemu <<EOF
#! /bin/bash
cd "$(pwd)" || exit 3
rm -f qemu.early
if IFS= read -t 1 -r line; then echo "\$line" > qemu.early; fi
printf 'boot\nKTAP version 1\n1..1\n'
: > qemu.stdin
while IFS= read -r line; do
	printf '%s\n' "\$line" >> qemu.stdin
	[ "\$line" = exit ] && break
done
cat serial.txt
exit $1
EOF
	chmod +x qemu
}

atf_test_case user_session_in
user_session_in_head()
{
	atf_set descr "NAME.in beside the MANIFEST is typed into QEMU's stdin, paced, after the KTAP plan"
	atf_set require.progs "clang bash"
	atf_set timeout 120
}
user_session_in_body()
{
	std_image
	user_manifest 'sess 1 60 A shell session'
	# 40 lines, far more than the guest's 256-byte input ring.
	i=0
	while [ $i -lt 40 ]; do
		echo "echo line $i: the quick brown fox jumps over the lazy dog"
		i=$((i + 1))
	done > uroot/usr/tests/sess.in
	printf 'a very long line %0100d\nexit\n' 0 >> uroot/usr/tests/sess.in
	session_qemu 33
	serial 'ok 1 sess\n'
	expect user_sess passed 0
	atf_check test ! -e qemu.early
	atf_check cmp uroot/usr/tests/sess.in qemu.stdin
	# The same through the utests variable: files beside that MANIFEST.
	mkdir elsewhere
	mv uroot/usr/tests/MANIFEST uroot/usr/tests/sess.in elsewhere/
	printf 'echo hi\nexit\n' > elsewhere/sess.in
	expect user_sess passed 0 utests="$(pwd)/elsewhere/MANIFEST"
	atf_check -o inline:"echo hi\nexit\n" cat qemu.stdin
	# A session file that cannot be read breaks the case.
	rm elsewhere/sess.in
	mkdir elsewhere/sess.in
	expect user_sess "broken: $(pwd)/elsewhere/sess.in is not a regular file of at most 1048576 bytes" 1 \
	    utests="$(pwd)/elsewhere/MANIFEST"
}

atf_test_case user_session_expect
user_session_expect_head()
{
	atf_set descr "Every line of NAME.expect must show up in the serial output, in order"
	atf_set require.progs clang
}
user_session_expect_body()
{
	std_image
	user_manifest 'sess 1 60 A shell session'
	fake_qemu 33
	serial 'boot: sess\nKTAP version 1\n1..1\n$ echo one\none\n$ ls\nbin\tetc\nthree\n$ exit\nok 1 sess\n'
	printf 'one\n\nbin etc\r\n\nthree\n' > uroot/usr/tests/sess.expect
	expect user_sess passed 0
	# Anywhere in a line, including before the KTAP header; a tab in
	# the log matches a space.
	printf 'boot: s\nbin etc\n' > uroot/usr/tests/sess.expect
	expect user_sess passed 0
	printf 'one\nfour\nthree\n' > uroot/usr/tests/sess.expect
	expect user_sess "failed: expected output missing: four" 1
	# Order matters; one serial line meets one expected line.
	printf 'three\none\n' > uroot/usr/tests/sess.expect
	expect user_sess "failed: expected output missing: one" 1
	printf 'ok 1 sess\nok 1 sess\n' > uroot/usr/tests/sess.expect
	expect user_sess "failed: expected output missing: ok 1 sess" 1
	# A failing test keeps its own reason.
	fake_qemu 65
	serial 'KTAP version 1\n1..1\n# exit status 2\nnot ok 1 sess\n'
	printf 'never\n' > uroot/usr/tests/sess.expect
	expect user_sess "failed: not ok, without a '# FAIL' diagnostic; last diagnostic: exit status 2" 1
	# A bad .expect breaks the case.
	printf 'a\000b\n' > uroot/usr/tests/sess.expect
	expect user_sess "broken: $(pwd)/uroot/usr/tests/sess.expect contains a NUL byte" 1
	printf '%01100d\n' 0 > uroot/usr/tests/sess.expect
	expect user_sess "broken: $(pwd)/uroot/usr/tests/sess.expect line 1 is longer than 1023 bytes" 1
	# Kernel tests never look for session files.
	printf 'never\n' > uroot/usr/tests/simple.expect
	fake_qemu 33
	serial 'KTAP version 1\n1..1\nok 1 simple\n'
	expect simple passed 0
}

atf_test_case user_fuzz
user_fuzz_head()
{
	atf_set descr "Listing never crashes or writes to stderr on random MANIFEST bytes"
	atf_set require.progs clang
	atf_set timeout 300
}
user_fuzz_body()
{
	std_image
	mkdir -p uroot/usr/tests
	awk 'BEGIN { srand(7); for (i = 0; i < 150; i++) {
	    n = int(rand() * 200); s = ""
	    for (j = 0; j < n; j++) {
		r = rand()
		if (r < 0.1) c = 10; else if (r < 0.2) c = 32
		else if (r < 0.25) c = 9; else if (r < 0.3) c = 44
		else if (r < 0.6) c = 48 + int(rand() * 10)
		else c = int(rand() * 256)
		s = s sprintf("\\%03o", c)
	    }
	    print s } }' > cases
	while read -r bytes; do
		# shellcheck disable=SC2059
		printf "$bytes" > uroot/usr/tests/MANIFEST
		"$(ktest_path)" -v kernel=kernel.elf -l > out 2> err
		st=$?
		if [ $st -ne 0 ] || [ -s err ]; then
			cat err
			atf_fail "ktest -l exited $st on MANIFEST $bytes"
		fi
		grep -q '^ident: simple$' out ||
		    atf_fail "kernel cases lost on MANIFEST $bytes"
	done < cases
}

atf_init_test_cases()
{
	atf_add_test_case list
	atf_add_test_case qemu_args
	atf_add_test_case initrd
	atf_add_test_case pass
	atf_add_test_case pass_crlf
	atf_add_test_case fail
	atf_add_test_case panic
	atf_add_test_case triple_fault
	atf_add_test_case hang
	atf_add_test_case missing_ktap
	atf_add_test_case mismatch
	atf_add_test_case bad_exit
	atf_add_test_case kvm_error
	atf_add_test_case skip
	atf_add_test_case xfail
	atf_add_test_case xfail_hang
	atf_add_test_case case_names
	atf_add_test_case bad_elf
	atf_add_test_case bad_vars
	atf_add_test_case bad_meta
	atf_add_test_case fuzz
	atf_add_test_case user_list
	atf_add_test_case user_run
	atf_add_test_case user_bad_manifest
	atf_add_test_case user_session_in
	atf_add_test_case user_session_expect
	atf_add_test_case user_fuzz
}
