#!/usr/bin/env python3
"""Run one bare-metal guest test program on an emulator.

    run.py [--timeout S] [--reference] EMULATOR PROGRAM.elf [EXTRA-ARGS...]

The program prints to COM1 (captured through -serial stdio) and ends by
writing to isa-debug-exit: 0 for pass (emulator exit status 1), 1 for fail
(status 3).  The test passes iff the status is 1 and the output's last
verdict line is "PASS: ...".

--reference marks the emulator as Debian's qemu-system-x86_64 (TCG): the
runner then asks for the qemu64 CPU explicitly and passes "-append qemu-tcg",
which makes the programs skip the few checks of details where QEMU's TCG is
known to deviate from the manuals (each skip is printed).
"""
import argparse
import os
import signal
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds before the emulator is killed (30)")
    ap.add_argument("--reference", action="store_true",
                    help="the emulator is Debian's QEMU (TCG)")
    ap.add_argument("emulator")
    ap.add_argument("program")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()

    cmd = [args.emulator, "-machine", "pc", "-m", "64M", "-nodefaults",
           "-display", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-serial", "stdio", "-kernel", args.program]
    if args.reference:
        cmd += ["-accel", "tcg", "-cpu", "qemu64", "-append", "qemu-tcg"]
    cmd += args.extra
    print("$ " + " ".join(cmd), flush=True)

    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    sys.stdout.write(text)
    if err:
        sys.stdout.write("--- emulator stderr ---\n")
        sys.stdout.write(err.decode("utf-8", "replace"))
    status = proc.returncode

    verdicts = [l for l in text.splitlines()
                if l.startswith("PASS: ") or l.startswith("FAIL: ")]
    if timed_out:
        print(f"RESULT: FAIL: killed after the {args.timeout:g} s timeout")
        return 1
    if status < 0:
        print(f"RESULT: FAIL: emulator died from signal {-status}")
        return 1
    if status != 1:
        what = {3: "the program reported failures (debug-exit 1)",
                0: "the emulator exited without debug-exit (triple fault "
                   "or shutdown?)"}.get(status, "unexpected exit status")
        print(f"RESULT: FAIL: exit status {status}: {what}")
        return 1
    if not verdicts or not verdicts[-1].startswith("PASS: "):
        print("RESULT: FAIL: exit status 1 but no final PASS line")
        return 1
    print("RESULT: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
