#!/bin/sh
# The main job, run after building: boot a small bare-metal guest program
# (tests/guest/demo.c, a Multiboot kernel) on the emulated PC and let it
# check its own results.  The record/replay issue turns this into
# recording and replaying a Linux guest.
set -e
cd "$(dirname "$0")/.."
QEMU=${QEMU:-build/qemu-system-x86_64}
GUEST=${GUEST:-build/tests/guest/demo.elf}

"$QEMU" -version
echo
echo "demo: booting $GUEST"
set +e
"$QEMU" -machine pc -m 64M -nographic -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$GUEST"
status=$?
set -e
# isa-debug-exit: the guest writes 0 on success, which exits with 1.
if [ "$status" -eq 1 ]; then
    echo "demo: the guest ran to completion and passed its checks"
else
    echo "demo: the guest failed (exit status $status)" >&2
    exit 1
fi
