#!/bin/sh
# CPU benchmark: runs CPU-bound guest programs on our emulator and on
# Debian's qemu-system-x86_64 (TCG) side by side, both with
# -icount, and prints guest instructions per second for each and the
# ratio.  QEMU runs with shift=auto; ours with shift=0, where guest time
# in ns equals the instruction count, so the TSC difference the program
# prints is its exact instruction count (the shift changes no work: these
# programs never halt).  The same program does the same work on QEMU, so
# the same count is used for both.
#
#   scripts/bench/cpu.sh [OUR_QEMU] [REFERENCE_QEMU]
set -e
cd "$(dirname "$0")/../.."
OURS=${1:-build/qemu-system-x86_64}
REF=${2:-$(command -v qemu-system-x86_64 || true)}
OUT=${TMPDIR:-/tmp}/qemu-rr-bench
mkdir -p "$OUT"

L=tests/guest/lib
gcc -m32 -march=i686 -mno-sse -mno-mmx -ffreestanding -fno-pic -fno-pie \
    -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fcf-protection=none -O2 -std=gnu11 -nostdlib -static \
    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
    -Itests/guest -I$L -Wl,-T,$L/guest.ld -DGUEST_TEST_NAME=cpu_bench \
    -o "$OUT/cpu-bench.elf" scripts/bench/cpu-bench.c $L/entry.S $L/desc.c \
    $L/libc.c $L/paging.c $L/printf.c $L/report.c -lgcc

run() { # emulator shift workload -> prints "seconds insns"
    start=$(date +%s.%N)
    out=$("$1" -machine pc -m 64M -nodefaults -display none -no-reboot \
        -icount "shift=$2" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -serial stdio -kernel "$OUT/cpu-bench.elf" -append "$3" \
        2>/dev/null || true)
    end=$(date +%s.%N)
    insns=$(printf '%s\n' "$out" | sed -n 's/.*insns=\([0-9]*\).*/\1/p')
    echo "$(echo "$end - $start" | bc -l) ${insns:-0}"
}

printf '%-8s %14s %12s %12s %8s\n' workload instructions "ours MIPS" \
    "qemu MIPS" ratio
for w in int memcpy interp; do
    set -- $(run "$OURS" 0 "$w")
    t_ours=$1 n=$2
    if [ -n "$REF" ]; then
        set -- $(run "$REF" auto "$w")
        t_ref=$1
    else
        t_ref=0
    fi
    m_ours=$(echo "$n / $t_ours / 1000000" | bc -l)
    if [ "$t_ref" != 0 ]; then
        m_ref=$(echo "$n / $t_ref / 1000000" | bc -l)
        ratio=$(echo "$m_ours / $m_ref" | bc -l)
    else
        m_ref=0 ratio=0
    fi
    printf '%-8s %14s %12.1f %12.1f %8.2f\n' "$w" "$n" "$m_ours" "$m_ref" \
        "$ratio"
done
