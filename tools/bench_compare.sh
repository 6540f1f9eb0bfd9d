#!/bin/sh
# bench_compare: our kernel side by side with Linux (issue 6, DESIGN.md
# section 6).  The same benchmark source (bench/lbench.c) runs on both:
#   ours	build/kernel.elf + build/initrd.cpio, `ubench=lbench
#		benchscale=N` (init runs /usr/bench/lbench -s N);
#   Linux	build/linux/vmlinux + build/linux/initramfs.cpio from
#		tools/linuxpeer.sh (/init = bench/linux_init.c runs
#		/lbench -s N), `console=ttyS0 mitigations=off quiet`.
# Both boot by PVH with -kernel under the same QEMU flags: TCG with
# `-icount shift=0,sleep=off`, q35, -cpu max, -m 512M, 1 CPU, where one
# virtual nanosecond (and one TSC tick) is one guest instruction, so each
# figure is an exact, repeatable instruction count.  Then ours again with
# -smp 2 for pipe_rt (reported as pipe_rt_2cpu: the figure counts the
# instructions of both vCPUs, which TCG runs round-robin; Linux only with
# --linux-smp, see below), and ours under KVM (no icount) for nanoseconds
# (clock_gettime).
#
#	tools/bench_compare.sh [-s SCALE] [-k KVMSCALE] [-o FILE]
#	    [--no-docs] [--no-build] [--no-kvm] [--no-smp] [--linux-smp]
#
# -s SCALE	percent of lbench's default iteration counts (default 100)
# -k KVMSCALE	the same for the KVM run (default: SCALE, at most 5:
#		KVM on the build machines is nested and about 1,000 times
#		slower than hardware, and a median needs few iterations)
# -o FILE	also write the markdown table to FILE
# --no-docs	do not touch docs/BENCHMARKS.md and docs/bench_ratio.png
#		(default: the table goes between the markers
#		<!-- compare:begin --> and <!-- compare:end --> and the
#		chart of the ratios is redrawn)
# --no-build	use build/kernel.elf and build/initrd.cpio as they are
#		(default: `make kernel initrd` first)
# --no-kvm, --no-smp	skip the KVM run / the 2-CPU runs (n/a)
# --linux-smp	also try Linux with -smp 2 (hangs with QEMU 7.2: n/a)
#
# The table always goes to stdout.  A figure missing on either side
# prints n/a, never 0; the ratio is ours / Linux with 2 decimals.  The
# TCG runs are deterministic, so they run two at a time; the KVM run,
# whose figures are times, runs alone.
# Exit status: 0; 77 the Linux peer is unavailable (tools/linuxpeer.sh
# exit 77: no network); 1 a failure (a run without BENCH-END included).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
here=$(pwd)
cd "$top" || exit 1
scale=100 kscale="" outfile="" docs=true build=true kvm=true smp=true
linuxsmp=false
while [ $# -gt 0 ]; do
	case $1 in
	-s)	scale=$2; shift ;;
	-k)	kscale=$2; shift ;;
	-o)	outfile=$2; shift ;;
	--no-docs) docs=false ;;
	--no-build) build=false ;;
	--no-kvm) kvm=false ;;
	--no-smp) smp=false ;;
	--linux-smp) linuxsmp=true ;;
	*)	echo "usage: $0 [-s SCALE] [-k KVMSCALE] [-o FILE] [--no-docs]" \
		    "[--no-build] [--no-kvm] [--no-smp] [--linux-smp]" >&2
		exit 1 ;;
	esac
	shift
done
case $outfile in
''|/*) ;;
*) outfile=$here/$outfile ;;
esac
case $scale in ''|*[!0-9]*) echo "bench_compare: bad scale $scale" >&2
	exit 1 ;; esac
[ -n "$kscale" ] || kscale=$(( scale < 5 ? scale : 5 ))

OPS="boot_to_user null_syscall pipe_rt pipe_rt_2cpu file_create file_stat
file_unlink write_1m read_1m fork_exit_wait fork_exec_wait"
TIMEOUT=${BENCH_TIMEOUT:-1800}
tmp=$(mktemp -d /tmp/bench_compare.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)

# --- Build both sides -------------------------------------------------
if $build; then
	make -s kernel initrd >&2 || { echo "bench_compare: make failed" >&2
		exit 1; }
fi
for f in build/kernel.elf build/initrd.cpio; do
	[ -f "$f" ] || { echo "bench_compare: $f is missing" >&2; exit 1; }
done
sh tools/linuxpeer.sh >&2
st=$?
if [ $st -eq 77 ]; then
	echo "bench_compare: SKIP: the Linux peer is unavailable" >&2
	exit 77
fi
[ $st -eq 0 ] || { echo "bench_compare: tools/linuxpeer.sh failed" >&2
	exit 1; }

# --- The runs ---------------------------------------------------------
# qemu NAME ACCEL SMP KERNEL INITRD APPEND: the serial output in
# $tmp/NAME.log, "name value" pairs in $tmp/NAME.tab.  Our kernel leaves
# by isa-debug-exit (status 33), Linux by powering off (status 0): a run
# is judged by its BENCH-END line.
qemu() {
	name=$1 accel=$2 ncpu=$3 kern=$4 rd=$5 append=$6
	icount="-icount shift=0,sleep=off"
	[ "$accel" = kvm ] && icount=""
	# shellcheck disable=SC2086
	timeout "$TIMEOUT" qemu-system-x86_64 -machine q35,accel="$accel" \
	    -cpu max -smp "$ncpu" -m 512M -nodefaults -no-reboot \
	    -display none -serial stdio \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 $icount \
	    -kernel "$kern" -initrd "$rd" -append "$append" </dev/null \
	    >"$tmp/$name.log" 2>"$tmp/$name.err"
	st=$?
	tr -d '\r' <"$tmp/$name.log" |
	    awk '$1 == "BENCH" && NF >= 3 { print $2, $3 }' >"$tmp/$name.tab"
	if ! grep -q '^BENCH-END' "$tmp/$name.log"; then
		echo "bench_compare: $name: no BENCH-END (status $st)" >&2
		tail -n 5 "$tmp/$name.log" "$tmp/$name.err" >&2
		echo fail >"$tmp/$name.failed"
	fi
}

ours() {	# ours NAME ACCEL SMP SCALE
	qemu "$1" "$2" "$3" build/kernel.elf build/initrd.cpio \
	    "ubench=lbench benchscale=$4"
}

linux() {	# linux NAME SMP SCALE [OPERATION...]
	n=$1 c=$2 s=$3
	shift 3
	qemu "$n" tcg "$c" build/linux/vmlinux build/linux/initramfs.cpio \
	    "console=ttyS0 mitigations=off quiet -- -s $s $*"
}

ours otcg tcg 1 "$scale" &
linux ltcg 1 "$scale" &
wait
# Linux 6.1 does not bring its second CPU up under TCG with icount
# (QEMU 7.2; it stops in "x86: Booting SMP configuration", also with
# -cpu Haswell and tsc=reliable), so by default only ours runs with
# -smp 2; --linux-smp tries Linux anyway, with a 10-minute limit.
if $smp; then
	ours osmp tcg 2 "$scale" &
	if $linuxsmp; then
		TIMEOUT=600 linux lsmp 2 "$scale" pipe_rt &
	fi
	wait
	for s in osmp lsmp; do
		[ -f "$tmp/$s.tab" ] || continue
		awk '$1 == "pipe_rt" { print "pipe_rt_2cpu", $2 }' \
		    "$tmp/$s.tab" >>"$tmp/${s%smp}tcg.tab"
	done
fi
kvmnote=""
if $kvm && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	ours okvm kvm 1 "$kscale"
	# boot_to_user is TSC ticks, the rest nanoseconds: convert with the
	# kernel's calibration; a TSC that KVM did not reset reads as hours.
	khz=$(tr -d '\r' <"$tmp/okvm.log" |
	    sed -n 's/^tsc: \([0-9]*\) kHz.*/\1/p' | head -n 1)
	awk -v khz="${khz:-0}" '$1 == "boot_to_user" {
		if (khz > 0 && $2 ~ /^[0-9]+$/ && $2 / khz < 600000)
			printf "boot_to_user %.0f\n", $2 * 1e6 / khz
		next }
	    { print }' "$tmp/okvm.tab" >"$tmp/okvm.tab2"
	mv "$tmp/okvm.tab2" "$tmp/okvm.tab"
	[ -f "$tmp/okvm.failed" ] && kvmnote="the KVM run did not finish"
else
	: >"$tmp/okvm.tab"
	if $kvm; then
		kvmnote="KVM is unavailable (/dev/kvm)"
	else
		kvmnote="KVM run skipped (--no-kvm)"
	fi
	echo "bench_compare: $kvmnote" >&2
fi
secs=$(( $(date +%s) - t0 ))

# --- The table --------------------------------------------------------
# fig TAB OP: the figure, or n/a (missing, not a number, or 0).
fig() {
	v=$(awk -v n="$2" '$1 == n { print $2; exit }' "$tmp/$1.tab" \
	    2>/dev/null)
	case $v in
	''|*[!0-9]*|0) echo n/a ;;
	*) echo "$v" ;;
	esac
}

{
	echo "| operation | ours (insns) | Linux (insns) | ratio |" \
	    "ours KVM (ns) |"
	echo "|---|---:|---:|---:|---:|"
	for op in $OPS; do
		o=$(fig otcg "$op") l=$(fig ltcg "$op") k=$(fig okvm "$op")
		r=n/a
		[ "$o" != n/a ] && [ "$l" != n/a ] &&
		    r=$(awk -v o="$o" -v l="$l" 'BEGIN { printf "%.2f", o / l }')
		echo "| $op | $o | $l | $r | $k |"
	done
} >"$tmp/table.md"
cat "$tmp/table.md"
[ -n "$outfile" ] && cp "$tmp/table.md" "$outfile"
# The run counts, as each side printed them (lbench: field 4).
runs() {
	tr -d '\r' <"$tmp/$1.log" 2>/dev/null | awk '$1 == "BENCH" &&
	    $2 != "boot_to_user" && $4 ~ /^[0-9]+$/ { r[$4] = 1 }
	    END { s = ""; for (k in r) s = s (s == "" ? "" : "/") k
		print (s == "" ? "n/a" : s) }'
}
runsnote="runs per figure (median): ours $(runs otcg), Linux $(runs ltcg)"
echo "bench_compare: $runsnote" >&2

lver=$(ls build/linux/linux-image-*-cloud-amd64_*.deb 2>/dev/null |
    sort -V | tail -n 1 | sed 's|.*/||; s|_amd64.deb||; s|_| |')
qver=$(qemu-system-x86_64 --version | sed -n '1s/.*version //p')
echo "bench_compare: scale $scale (KVM $kscale), $lver, QEMU $qver," \
    "${secs} s${kvmnote:+; $kvmnote}" >&2

# --- docs/BENCHMARKS.md and docs/bench_ratio.png ----------------------
# update_docs DOC BLOCK: replace what lies between the compare markers of
# DOC with the file BLOCK; first append the section (title, method,
# markers) if DOC has no markers.
update_docs() {
	if ! grep -q '^<!-- compare:begin -->' "$1"; then
		cat >>"$1" <<'EOF'

## Side by side with Linux (issue 6)

`tools/bench_compare.sh` runs one portable benchmark program,
`bench/lbench.c`, on our kernel (built with our libc) and on Debian's
Linux cloud kernel (built with `musl-gcc -static`, booted with
`mitigations=off` from an initramfs made by `tools/linuxpeer.sh`). Both
kernels boot by PVH with `-kernel` in the same emulator with the same
flags: QEMU TCG, q35, `-cpu max`, 1 CPU, 512 MiB, `-icount
shift=0,sleep=off`. There one virtual nanosecond is one guest
instruction, so `clock_gettime` around a loop counts the guest
instructions of the operation (user and kernel code, the benchmark loop
included), exactly and deterministically: reruns agree within about 1%
(timer interrupts land differently), and the two columns count the same
thing. Each figure is the median of 5 timed passes inside one boot;
`boot_to_user` is the TSC (= instructions since reset, firmware included)
read at init's first instruction. Running both kernels under one emulator
is what makes the comparison exact and reproducible on any host, nested
virtualization included; its price is what instruction counts do not
capture: cache and TLB misses, memory latency, pipeline stalls,
locked-instruction and exception costs, and real device costs (here every
device is emulated). A `rep movs` or `rep stos` counts one instruction
per iteration: Linux (ERMS on `-cpu max`) copies and clears pages with
`rep movsb`/`rep stosb`, one instruction per byte, where our kernel moves
8 bytes per iteration (`rep movsq`), so `write_1m` and `read_1m` overstate
the gap. `pipe_rt_2cpu` is `pipe_rt` with `-smp 2`; TCG runs
the two vCPUs round-robin, so it counts the instructions of both CPUs,
not a latency. Linux 6.1 stops while bringing up its second CPU under
TCG with icount (QEMU 7.2), so its 2-CPU figure is n/a. The KVM column
is our kernel under `accel=kvm` (no icount) in nanoseconds; on the build
machines KVM is nested and emulates kernel code, so it does not describe
hardware (and `boot_to_user` is n/a there: the TSC is not reset at boot).
Ratios are ours / Linux: below 1.0 we execute fewer instructions.

<!-- compare:begin -->
<!-- compare:end -->
EOF
	fi
	awk -v block="$2" '
	/^<!-- compare:begin -->/ {
		print; while ((getline l < block) > 0) print l; skip = 1; next }
	/^<!-- compare:end -->/ { skip = 0 }
	!skip { print }' "$1" >"$tmp/doc.md" && cat "$tmp/doc.md" >"$1"
}

# chart TABLE PNG: a bar chart of the ratios with a line at 1.0, drawn
# with gnuplot (Debian's gnuplot-nox, installed if missing).
chart() {
	if ! command -v gnuplot >/dev/null; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "bench_compare: gnuplot is missing" >&2
			return 1
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends gnuplot-nox >&2 || return 1
	fi
	awk -F'|' 'NR > 2 { gsub(/ /, "", $2); gsub(/ /, "", $5)
		if ($5 != "n/a") print $2, $5 }' "$1" >"$tmp/ratio.dat"
	[ -s "$tmp/ratio.dat" ] || return 1
	ymax=$(awk '$2 > m { m = $2 } END { m *= 1.15
		printf "%.2f", m < 1.2 ? 1.2 : m }' "$tmp/ratio.dat")
	gnuplot <<EOF
set terminal pngcairo size 900,480 font ",10"
set output "$2"
set title "Guest instructions per operation, ours / Linux (QEMU TCG icount, 1 CPU)"
set ylabel "ratio (below 1: fewer instructions than Linux)"
set style fill solid 0.8 border -1
set boxwidth 0.6
set yrange [0:$ymax]
set xtics rotate by -30 noenhanced
set grid ytics
unset key
plot "$tmp/ratio.dat" using 0:2:xtic(1) with boxes lc rgb "#4a78b5", \
    1 with lines lw 2 lc rgb "#c03030", \
    "$tmp/ratio.dat" using 0:2:(sprintf("%.2f", \$2)) with labels offset 0,0.7
EOF
}

if $docs; then
	{
		echo "Measured $(date -u +%Y-%m-%d) by \`tools/bench_compare.sh" \
		    "-s $scale\` (KVM run at scale $kscale) in ${secs} s:" \
		    "Linux $lver (Debian), QEMU $qver.${kvmnote:+ $kvmnote.}" \
		    "Each figure is the median of the runs inside one boot;" \
		    "$runsnote (boot_to_user: one reading)."
		echo
		cat "$tmp/table.md"
		echo
		echo "![ratios ours / Linux](bench_ratio.png)"
	} >"$tmp/block.md"
	update_docs docs/BENCHMARKS.md "$tmp/block.md" || exit 1
	chart "$tmp/table.md" docs/bench_ratio.png ||
	    echo "bench_compare: no chart drawn" >&2
fi
for f in otcg ltcg osmp; do
	[ -f "$tmp/$f.failed" ] && exit 1
done
exit 0
