#!/bin/sh
# Make sure musl-gcc (Debian's musl-tools) is there for `make linux-bench`
# (bench/bench.mk): nothing happens when it is; otherwise the package is
# installed with apt-get, which needs root (or sudo).
set -eu

command -v musl-gcc >/dev/null 2>&1 && exit 0
st=$(dpkg-query -W -f='${Status}' musl-tools 2>/dev/null || true)
case "$st" in
*"install ok installed"*)
	echo "musl: musl-tools is installed but musl-gcc is not in PATH" >&2
	exit 1 ;;
esac

echo "musl: installing musl-tools"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "musl: musl-gcc missing (run as root to install musl-tools)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends musl-tools
command -v musl-gcc >/dev/null 2>&1
