#!/bin/sh
# The main job, run after building.  Today (foundation only, no CPU yet):
# print the version, then start an empty machine with its monitor on stdio,
# ask it a few questions and quit.  Later issues turn this into recording
# and replaying a Linux guest.
set -e
cd "$(dirname "$0")/.."
QEMU=${QEMU:-build/qemu-system-x86_64}

"$QEMU" -version
echo
printf 'info version\ninfo status\nstop\ninfo status\ncont\ninfo mtree\nquit\n' |
    "$QEMU" -machine none -m 64M -nodefaults -monitor stdio -display none
echo
echo "demo: the emulator started, answered its monitor and quit cleanly"
