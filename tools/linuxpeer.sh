#!/bin/sh
# linuxpeer: build the Linux peer of the benchmarks (DESIGN.md section 6,
# tools/bench_compare.sh): Debian's cloud kernel as an uncompressed
# vmlinux that QEMU boots through PVH with -kernel, like ours, and an
# initramfs whose /init is bench/linux_init.c and whose /lbench is the
# benchmark program built with musl-gcc (make linux-bench).
#
#	tools/linuxpeer.sh [-n]
#
# Outputs, all under build/linux/:
#	linux-image-*-cloud-amd64_*.deb	the package (apt-get download;
#			kept as a cache: not fetched again once there)
#	vmlinux		the kernel ELF, checked to be ELF64 with a PVH entry
#			(Xen ELF note type 18, XEN_ELFNOTE_PHYS32_ENTRY)
#	init		bench/linux_init.c built with musl-gcc -static
#	initramfs.cpio	newc archive: /init, /lbench, /tmp, /proc, /dev and,
#			when busybox-static could be fetched, /bin/busybox
#			with /bin/sh (for debugging: init=/bin/sh)
#
# The only download is `apt-get download` of two Debian packages (the
# versioned image behind the linux-image-cloud-amd64 metapackage, and
# busybox-static, which is optional).  The bzImage's payload is located
# from its setup header (payload_offset, payload_length) or, failing
# that, by the LZ4 magic, and decompressed with Debian's lz4 (the
# Debian kernel uses the legacy LZ4 format, magic 02 21 4c 18; its last
# 4 bytes are the uncompressed size, which is checked).
#
# -n: no network: use what is cached in build/linux/ only.
# LBENCH=/path/to/lbench overrides build/linux/lbench (tests, stubs).
# Exit status: 0 built; 77 the kernel package cannot be fetched (no
# network or no apt lists): callers skip; 1 any other failure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/linux
meta=linux-image-cloud-amd64
offline=false
[ "${1:-}" = "-n" ] && offline=true

die() {
	echo "linuxpeer: $*" >&2
	exit 1
}

skip() {
	echo "linuxpeer: SKIP: $*" >&2
	exit 77
}

mkdir -p "$out"

# The versioned package the metapackage depends on, e.g.
# linux-image-6.1.0-56-cloud-amd64; empty if apt knows no such package.
resolve() {
	apt-cache depends "$meta" 2>/dev/null |
	    awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ {
		print $2; exit }'
}

# The newest cached .deb of package pattern $1, or nothing.
cached() {
	ls -1 "$out"/$1_*_amd64.deb 2>/dev/null | sort -V | tail -1
}

# Download package $1 into build/linux/ unless a .deb of it is there.
fetch() {
	deb=$(cached "$1")
	if [ -n "$deb" ]; then
		echo "$deb"
		return 0
	fi
	$offline && return 1
	(cd "$out" && apt-get download -q "$1" >&2) || return 1
	deb=$(cached "$1")
	[ -n "$deb" ] || return 1
	echo "$deb"
}

# --- 1. The kernel package --------------------------------------------
pkg=$(resolve)
if [ -z "$pkg" ] && ! $offline && [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq >&2 || true
	pkg=$(resolve)
fi
kdeb=""
[ -n "$pkg" ] && kdeb=$(fetch "$pkg" || true)
if [ -z "$kdeb" ]; then
	# Offline or unknown to apt: fall back on any cached image.
	kdeb=$(cached 'linux-image-*-cloud-amd64')
	[ -n "$kdeb" ] || skip "cannot fetch ${pkg:-$meta} with apt-get" \
	    "download (no network or no apt lists)"
	echo "linuxpeer: using cached $(basename "$kdeb")" >&2
fi

# --- 2. vmlinux from the bzImage --------------------------------------
# Little-endian unsigned integer of $3 bytes at offset $2 of file $1.
peek() {
	od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# Check that $1 is an ELF64 x86-64 executable with a PVH entry note.
check_pvh() {
	command -v readelf >/dev/null || die "readelf (binutils) is missing"
	readelf -h "$1" 2>/dev/null | grep -q 'Class: *ELF64' ||
	    die "$1: not an ELF64 file"
	readelf -h "$1" | grep -q 'Machine: *Advanced Micro Devices X86-64' ||
	    die "$1: not an x86-64 ELF"
	readelf -Wn "$1" | awk '$1 == "Xen" && /\(0x00000012\)/ { f = 1 }
	    END { exit !f }' ||
	    die "$1: no PVH entry (Xen ELF note 18): QEMU cannot boot it"
}

extract_vmlinux() {
	command -v lz4 >/dev/null || die "lz4 is missing (apt-get install lz4)"
	tmp=$out/vmlinux.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$kdeb" | (cd "$tmp" && tar -x ./boot)
	bz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$bz" ] || die "$(basename "$kdeb"): no /boot/vmlinuz-*"
	[ "$(dd if="$bz" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] ||
	    die "$bz: not a bzImage (no HdrS)"
	# payload_offset counts from the protected-mode code, which
	# follows the (setup_sects + 1) 512-byte setup sectors.
	sects=$(peek "$bz" 497 1)
	[ "$sects" -eq 0 ] && sects=4
	poff=$(( (sects + 1) * 512 + $(peek "$bz" 584 4) ))
	plen=$(peek "$bz" 588 4)
	magic=$(od -An -tx1 -j "$poff" -N 4 "$bz" | tr -d ' ')
	case $magic in
	02214c18|04224d18) ;;
	*)	# Not where the header says: search for the LZ4 magic.
		poff=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18|\x04\x22\x4d\x18' \
		    "$bz" | head -1 | cut -d: -f1)
		[ -n "$poff" ] || die "$bz: no LZ4 payload found"
		plen=$(( $(wc -c <"$bz") - poff ))
		;;
	esac
	# The payload ends with the uncompressed size (4 bytes), which
	# lz4 would take for a truncated block: leave it out.
	size=$(peek "$bz" $((poff + plen - 4)) 4)
	tail -c +$((poff + 1)) "$bz" | head -c $((plen - 4)) |
	    lz4 -dc >"$tmp/vmlinux" || die "$bz: lz4 decompression failed"
	got=$(wc -c <"$tmp/vmlinux")
	[ "$got" -eq "$size" ] ||
	    echo "linuxpeer: note: vmlinux is $got bytes, header says $size" >&2
	check_pvh "$tmp/vmlinux"
	mv "$tmp/vmlinux" "$out/vmlinux"
	rm -rf "$tmp"
}

if [ ! -f "$out/vmlinux" ] || [ "$kdeb" -nt "$out/vmlinux" ]; then
	extract_vmlinux
	echo "linuxpeer: $out/vmlinux from $(basename "$kdeb")" >&2
fi
check_pvh "$out/vmlinux"

# --- 3. /init and /lbench ---------------------------------------------
if ! command -v musl-gcc >/dev/null; then
	[ "$(id -u)" -eq 0 ] || die "musl-gcc is missing (musl-tools)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends musl-tools >&2 ||
	    die "cannot install musl-tools"
fi
init_src=$top/bench/linux_init.c
if [ ! -f "$out/init" ] || [ "$init_src" -nt "$out/init" ]; then
	musl-gcc -static -O2 -Wall -Wextra -o "$out/init" "$init_src" ||
	    die "cannot build /init"
fi
lbench=${LBENCH:-$out/lbench}
if [ -z "${LBENCH:-}" ]; then
	make -s -C "$top" linux-bench >&2 ||
	    echo "linuxpeer: make linux-bench failed" >&2
fi
[ -x "$lbench" ] || die "$lbench is missing (make linux-bench)"

# --- 4. busybox (optional, for debugging) -----------------------------
busybox=""
bdeb=$(fetch busybox-static 2>/dev/null || true)
if [ -n "$bdeb" ]; then
	btmp=$out/busybox.tmp
	rm -rf "$btmp"
	mkdir -p "$btmp"
	dpkg-deb --fsys-tarfile "$bdeb" | (cd "$btmp" && tar -x ./bin/busybox)
	[ -x "$btmp/bin/busybox" ] && mv "$btmp/bin/busybox" "$out/busybox" &&
	    busybox=$out/busybox
	rm -rf "$btmp"
elif [ -x "$out/busybox" ]; then
	busybox=$out/busybox
else
	echo "linuxpeer: note: no busybox-static, no shell in the initramfs" >&2
fi

# --- 5. The initramfs -------------------------------------------------
stage=$out/initramfs.root
rm -rf "$stage"
mkdir -p "$stage/tmp" "$stage/proc" "$stage/dev"
chmod 1777 "$stage/tmp"
cp "$out/init" "$stage/init"
cp "$lbench" "$stage/lbench"
if [ -n "$busybox" ]; then
	mkdir -p "$stage/bin"
	cp "$busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
fi
mkcpio=$top/build/tools/mkcpio
[ -x "$mkcpio" ] || make -s -C "$top" build/tools/mkcpio >&2 || true
if [ -x "$mkcpio" ]; then
	"$mkcpio" -m "" -t 0 -o "$out/initramfs.cpio" "$stage"
elif command -v cpio >/dev/null; then
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	    cpio -o -H newc -R 0:0 --quiet) >"$out/initramfs.cpio"
else
	die "neither build/tools/mkcpio nor cpio is available"
fi
rm -rf "$stage"
echo "linuxpeer: $out/vmlinux $out/initramfs.cpio"
