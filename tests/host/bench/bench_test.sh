#! /usr/bin/env atf-sh
#
# bench_test - the harness that compares our kernel with Linux
# (tools/bench_compare.sh, issue 6), run with a tiny iteration count
# (-s 1): both kernels must boot, run the benchmark program to its end
# and yield a well-formed table.  No figure is judged: tests never assert
# on time.  Skipped when the Linux peer cannot be fetched
# (tools/linuxpeer.sh exits 77: no network).
#
# The source tree is the kyua configuration variable srcdir_top, else
# four levels above this installed program (BUILD/tests/host/bench, with
# BUILD = TOP/build).  The kernel and initrd are used as built
# (--no-build); the KVM run is left out (--no-kvm).

# The source tree, in $TOP.
bench_setup()
{
	if atf_config_has srcdir_top; then
		TOP=$(atf_config_get srcdir_top)
	else
		TOP=$(cd "$(atf_get_srcdir)/../../../.." && pwd)
	fi
	[ -x "$TOP/tools/bench_compare.sh" ] ||
	    atf_fail "harness not found: $TOP/tools/bench_compare.sh"
	export TOP
}

# The operations, in table order.
OPS="boot_to_user null_syscall pipe_rt pipe_rt_2cpu file_create file_stat
file_unlink write_1m read_1m fork_exit_wait fork_exec_wait"

atf_test_case compare_table
compare_table_head()
{
	atf_set "descr" "bench-1: tools/bench_compare.sh -s 1 runs both" \
	    "kernels and prints a well-formed table"
	atf_set "timeout" "3600"
}
compare_table_body()
{
	bench_setup
	"$TOP/tools/linuxpeer.sh" >peer.out 2>peer.err
	st=$?
	if [ $st -eq 77 ]; then
		atf_skip "Linux peer unavailable: $(tail -n 1 peer.err)"
	fi
	[ $st -eq 0 ] || atf_fail "tools/linuxpeer.sh failed ($st):" \
	    "$(tail -n 3 peer.err)"

	"$TOP/tools/bench_compare.sh" -s 1 --no-docs --no-build --no-kvm \
	    -o table.md >run.out 2>run.err
	st=$?
	[ $st -eq 77 ] && atf_skip "Linux peer unavailable"
	[ $st -eq 0 ] || atf_fail "bench_compare.sh failed ($st):" \
	    "$(tail -n 5 run.err)"
	atf_check -s exit:0 -o ignore cmp table.md run.out

	# Header and alignment rows, then one row per operation, in order.
	atf_check -o inline:"| operation | ours (insns) | Linux (insns) | ratio | ours KVM (ns) |\n" \
	    head -n 1 table.md
	atf_check -o inline:"|---|---:|---:|---:|---:|\n" sed -n 2p table.md
	echo $OPS | tr ' ' '\n' >ops.expect
	atf_check -o file:ops.expect awk -F'|' 'NR > 2 {
		gsub(/ /, "", $2); print $2 }' table.md

	# Every figure a positive integer or n/a; the ratio n/a exactly when
	# a side is, else ours / Linux with 2 decimals.
	awk -F'|' 'NR > 2 {
		if (NF != 7) { print "bad row: " $0; bad = 1; next }
		for (i = 3; i <= 6; i++) gsub(/ /, "", $i)
		for (i = 3; i <= 6; i++) {
			if (i == 5) continue
			if ($i != "n/a" && ($i !~ /^[0-9]+$/ || $i + 0 == 0)) {
				print "bad figure: " $0; bad = 1 }
		}
		if ($3 == "n/a" || $4 == "n/a") {
			if ($5 != "n/a") { print "bad ratio: " $0; bad = 1 }
		} else if ($5 != sprintf("%.2f", $3 / $4)) {
			print "bad ratio: " $0; bad = 1
		}
	} END { exit bad }' table.md >bad.txt ||
	    atf_fail "malformed table: $(cat bad.txt)"

	# Both kernels booted and ran the benchmark program.
	for op in boot_to_user null_syscall; do
		awk -F'|' -v op="$op" '{ gsub(/ /, "") }
		    $2 == op && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { f = 1 }
		    END { exit !f }' table.md ||
		    atf_fail "$op not measured on both kernels"
	done
}

atf_init_test_cases()
{
	atf_add_test_case compare_table
}
