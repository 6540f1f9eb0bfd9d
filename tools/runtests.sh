#!/bin/sh
#
# Run the whole kyua suite (tests/Kyuafile) and summarise it.
#
# usage: tools/runtests.sh BUILD ACCEL
#
# BUILD is the build directory (test programs under BUILD/tests, the kernel
# at BUILD/kernel.elf, the boot initrd at BUILD/initrd.cpio); ACCEL is
# QEMU's accelerator list (kvm:tcg, tcg, kvm), handed to the in-kernel
# test harness as a kyua configuration variable, like the absolute paths
# of the kernel and the initrd.
#
# kyua keeps its results and log under BUILD/kyua, overwritten on each
# run, so nothing piles up in $HOME; --config=none keeps a personal
# kyua.conf out of it.  Set KYUA_PARALLELISM=N to run N cases at once (default: the number of host CPUs).
#
# Output: kyua's per-case lines, then (only when something failed or
# broke) kyua's verbose report of those cases with their stdout and stderr,
# and last exactly one line
#	tests: P passed, F failed[, S skipped]
# where P counts passed and expected failures, F failed and broken cases.
# If kyua itself fails, that counts as one more failure.  Exit status is
# non-zero iff F > 0.

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD ACCEL" >&2
	exit 2
fi
accel=$2
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
mkdir -p "$1" || exit 2
build=$(cd "$1" && pwd) || exit 2
state=$build/kyua
results=$state/results.db
log=$state/kyua.log

mkdir -p "$state" || exit 2
rm -f "$results" "$log"

kyua_failed=0
# Cases run in parallel, one per host CPU by default: each is its own QEMU.
parallelism=${KYUA_PARALLELISM:-$(nproc 2>/dev/null || echo 1)}

# kyua CMD...: kyua with our configuration and log.
kyua_run()
{
	kyua --config=none --logfile="$log" \
	    -v test_suites.dfly.kernel="$build/kernel.elf" \
	    -v test_suites.dfly.initrd="$build/initrd.cpio" \
	    -v test_suites.dfly.accel="$accel" \
	    -v parallelism="$parallelism" "$@"
}

cd "$top" || exit 2
kyua_run test --kyuafile tests/Kyuafile --build-root "$build/tests" \
    --results-file="$results"
status=$?
# kyua test: 0 all good, 1 some test failed, anything else is kyua's own.
if [ $status -ne 0 ] && [ $status -ne 1 ]; then
	echo "runtests: kyua test exited with status $status (log: $log)" >&2
	kyua_failed=1
fi

# Count the cases from the per-case lines of the report ("ID  ->  RESULT
# [time]", IDs have no spaces) and check them against kyua's own total.
passed=0 xfail=0 skipped=0 failed=0 broken=0 total=-1
if [ -s "$results" ] && report=$(kyua_run report --results-file="$results" \
    --results-filter=passed,xfail,skipped,broken,failed); then
	counts=$(printf '%s\n' "$report" | awk '
	    $2 == "->" { r = $3; sub(/:$/, "", r); n[r]++ }
	    /^Test cases: [0-9]+ total,/ { total = $3 }
	    END {
		printf "passed=%d xfail=%d skipped=%d failed=%d broken=%d ",
		    n["passed"], n["expected_failure"], n["skipped"],
		    n["failed"], n["broken"]
		printf "total=%d\n", total == "" ? -1 : total
	    }')
	eval "$counts"
fi
sum=$((passed + xfail + skipped + failed + broken))
if [ "$total" -lt 0 ] || [ "$sum" -ne "$total" ]; then
	echo "runtests: cannot read the results in $results (counted" \
	    "$sum cases, kyua says $total)" >&2
	kyua_failed=1
fi

nfail=$((failed + broken + kyua_failed))
npass=$((passed + xfail))

if [ $((failed + broken)) -gt 0 ]; then
	echo
	echo "==== failed and broken test cases"
	# Drop the execution context (the environment) and the metadata.
	kyua_run report --results-file="$results" --verbose \
	    --results-filter=broken,failed | awk '
	    /^===> Execution context$/ { skip = 1; next }
	    /^===> / { skip = 0 }
	    /^Metadata:$/ { meta = 1; next }
	    meta { if ($0 == "") meta = 0; next }
	    !skip'
fi

if [ "$skipped" -gt 0 ]; then
	echo "tests: $npass passed, $nfail failed, $skipped skipped"
else
	echo "tests: $npass passed, $nfail failed"
fi
[ "$nfail" -eq 0 ]
