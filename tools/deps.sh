#!/bin/sh
# Install the Debian packages the build, `make run` and `make test` need,
# but only those that are missing: dpkg is asked first, apt-get runs only
# when something is absent.  Needs root (or sudo) only in that case.
set -eu

PKGS="make clang lld binutils qemu-system-x86 kyua atf-sh libatf-dev
libclang-rt-14-dev musl-tools lz4"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
