#!/bin/sh
# Checks that every C file follows .clang-format (the code style of
# STYLE.md).  Prints the files that do not; exit status 1 if any.
#   scripts/check-format.sh [--fix]
cd "$(dirname "$0")/.." || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
    echo "check-format: clang-format is not installed (scripts/setup.sh)" >&2
    exit 1
fi
bad=0
for f in $(find include util softmmu chardev monitor hw accel target fpu migration replay \
                block net audio ui tools tests -name '*.[ch]' 2>/dev/null |
           sort); do
    if [ "$1" = "--fix" ]; then
        clang-format -i "$f"
    elif ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "check-format: $f is not formatted (scripts/check-format.sh --fix)"
        bad=1
    fi
done
exit $bad
