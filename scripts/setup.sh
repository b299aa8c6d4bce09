#!/bin/sh
# Install every Debian package the project needs to build and test.
# Idempotent: installs only what is missing.  Run as root (or with sudo).
set -e

PACKAGES="
build-essential
meson
ninja-build
pkg-config
libglib2.0-dev
libpixman-1-dev
libslirp-dev
zlib1g-dev
python3
clang-format
gcc-multilib
qemu-system-x86
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "setup: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "setup: need root to install:$missing" >&2
        exit 1
    fi
fi
echo "setup: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
