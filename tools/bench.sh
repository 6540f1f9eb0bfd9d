#!/bin/sh
# make bench: run the in-kernel benchmarks (bench=*) twice and print one
# table:
#   - TCG with -icount shift=0,sleep=off: one TSC tick per guest
#     instruction, so the figure is an exact, repeatable instruction count;
#   - KVM (when it works): TSC cycles.  On our build machines "KVM" is a
#     nested, instruction-emulating hypervisor, so these cycles are far
#     above what real hardware would show; they are printed, not trusted.
# usage: tools/bench.sh KERNEL [SMP [INITRD]]
set -u
kernel=$1
smp=${2:-2}
initrd=${3:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {		# run NAME ACCEL APPEND [extra qemu args...]
	name=$1 accel=$2 append=$3
	shift 3
	if [ -n "$initrd" ]; then
		set -- "$@" -initrd "$initrd"
	fi
	timeout 600 qemu-system-x86_64 -machine q35,accel="$accel" -cpu max \
	    -smp "$smp" -m 512M -nodefaults -no-reboot -display none \
	    -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    "$@" -kernel "$kernel" -append "$append" </dev/null \
	    >"$out/$name.log" 2>"$out/$name.err"
	st=$?
	if [ $st -ne 33 ] || ! grep -q '^BENCH-END' "$out/$name.log"; then
		echo "bench: $name run failed (status $st)" >&2
		tail -5 "$out/$name.log" "$out/$name.err" >&2
		return 1
	fi
	tr -d '\r' <"$out/$name.log" | awk '$1 == "BENCH" { print $2, $3 }' \
	    >"$out/$name.tab"
}

# Kernel benchmarks (bench=*), then the user-level ones (init runs
# /usr/bench/ubench: bench/ubench.c), each under TCG and KVM.
icount="-icount shift=0,sleep=off"
run ktcg tcg "bench=*" $icount || exit 1
run utcg tcg "ubench=ubench" $icount || exit 1
cat "$out/ktcg.tab" "$out/utcg.tab" >"$out/tcg.tab"
cat "$out/ktcg.log" "$out/utcg.log" >"$out/tcg.log"
: >"$out/kvm.tab"
for kind in k u; do
	arg="bench=*"
	[ $kind = u ] && arg="ubench=ubench"
	if run ${kind}kvm kvm "$arg"; then
		cat "$out/${kind}kvm.tab" >>"$out/kvm.tab"
	else
		echo "bench: no KVM figures for ${kind}" >&2
	fi
done

printf '%-16s %14s %14s  %s\n' "benchmark" "TCG insns" "KVM cycles" \
    "(smp=$smp, per operation)"
tr -d '\r' <"$out/tcg.log" | awk '$1 == "BENCH" {
	name = $2; desc = ""
	for (i = 5; i <= NF; i++) desc = desc (i > 5 ? " " : "") $i
	print name "\t" desc
}' | while IFS='	' read -r name desc; do
	t=$(awk -v n="$name" '$1 == n { print $2 }' "$out/tcg.tab")
	k=$(awk -v n="$name" '$1 == n { print $2 }' "$out/kvm.tab")
	printf '%-16s %14s %14s  %s\n' "$name" "${t:-n/a}" "${k:-n/a}" "$desc"
done
