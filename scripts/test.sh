#!/bin/sh
# Build and run every test suite CI runs: all suites but "slow" in the
# normal build, then the unit tests again under ASan+UBSan.
set -e
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || ./configure
ninja -C build
meson test -C build --print-errorlogs --no-suite slow

[ -f build-san/build.ninja ] ||
    ./configure --builddir=build-san --enable-debug --enable-sanitizers
ninja -C build-san
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C build-san --print-errorlogs --suite unit
