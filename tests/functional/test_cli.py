"""The command line: informational options and errors (one line, exit 1)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from qemu_test import QemuTestCase, run  # noqa: E402


class InfoOptions(QemuTestCase):
    def test_version(self):
        res = run(["-version"])
        self.assertEqual(res.returncode, 0)
        self.assertRegex(res.stdout, r"^QEMU emulator version \d+\.\d+\.\d+")

    def test_help(self):
        res = run(["-help"])
        self.assertEqual(res.returncode, 0)
        for opt in ["-icount", "-drive", "-device", "-netdev", "-serial",
                    "-chardev", "-monitor", "-nographic", "-no-reboot", "-S",
                    "-kernel", "-machine", "-d item1"]:
            self.assertIn(opt, res.stdout)

    def test_machine_help(self):
        res = run(["-machine", "help"])
        self.assertEqual(res.returncode, 0)
        self.assertIn("Supported machines are:", res.stdout)
        self.assertIn("none", res.stdout)

    def test_device_help(self):
        res = run(["-device", "help"])
        self.assertEqual(res.returncode, 0)
        self.assertIn('name "isa-debug-exit", bus ISA', res.stdout)
        res = run(["-device", "isa-debug-exit,help"])
        self.assertEqual(res.returncode, 0)
        self.assertIn("iobase=<uint32>", res.stdout)

    def test_cpu_help(self):
        res = run(["-cpu", "help"])
        self.assertEqual(res.returncode, 0)
        self.assertIn("qemu64", res.stdout)

    def test_log_and_chardev_help(self):
        res = run(["-d", "help"])
        self.assertEqual(res.returncode, 0)
        for item in ["guest_errors", "unimp", "in_asm", "int", "cpu"]:
            self.assertIn(item, res.stdout)
        res = run(["-chardev", "help"])
        self.assertEqual(res.returncode, 0)
        for b in ["stdio", "null", "file", "pipe", "socket", "pty"]:
            self.assertIn(b, res.stdout)


class Errors(QemuTestCase):
    def test_unknown_option(self):
        self.assertOneLineError(run(["-foo"]), "-foo: invalid option")

    def test_bad_memory(self):
        self.assertOneLineError(run(["-m", "banana"]),
                                "-m banana: invalid RAM size 'banana'")

    def test_missing_kernel(self):
        self.assertOneLineError(
            run(["-kernel", "/nonexistent"]),
            "-kernel /nonexistent: could not open '/nonexistent': "
            "No such file or directory")

    def test_missing_argument(self):
        self.assertOneLineError(run(["-m"]), "-m: requires an argument")

    def test_bad_icount(self):
        self.assertOneLineError(run(["-icount", "rr=record"]),
                                "rr=record needs rrfile=FILE")
        self.assertOneLineError(run(["-icount", "shift=99"]),
                                "shift must be a number from 0 to 10")

    def test_unknown_device(self):
        self.assertOneLineError(run(["-device", "frobnicator"]),
                                "'frobnicator' is not a valid device model")

    def test_bad_chardev(self):
        self.assertOneLineError(
            run(["-M", "none", "-chardev", "bogus,id=c0"]), "bogus")
        self.assertOneLineError(
            run(["-M", "none", "-nodefaults", "-serial",
                 "file:/nonexistent/dir/x"]), "/nonexistent/dir/x")

    def test_bad_log_file(self):
        self.assertOneLineError(
            run(["-M", "none", "-nodefaults", "-D", "/nonexistent/dir/log"]),
            "-D /nonexistent/dir/log")

    def test_kvm_refused(self):
        self.assertOneLineError(run(["-enable-kvm", "-M", "none"]),
                                "KVM is not supported")

    def test_pc_needs_kernel_until_firmware(self):
        self.assertOneLineError(run([]), "booting without -kernel needs "
                                "firmware")

    def test_kernel_not_multiboot(self):
        path = self.path("notmb.bin")
        with open(path, "wb") as f:
            f.write(b"\0" * 16384)
        self.assertOneLineError(run(["-kernel", path]),
                                "not a Multiboot kernel")


class SeedCommandLines(QemuTestCase):
    """seeds/replay-docs.txt: parsed, and what isn't built is named."""

    def seed_args(self, mode):
        return ["-icount", "shift=auto,rr=%s,rrfile=replay.bin" % mode,
                "-drive", "file=disk.qcow2,if=none,snapshot,id=img-direct",
                "-drive", "driver=blkreplay,if=none,image=img-direct,"
                          "id=img-blkreplay",
                "-device", "ide-hd,drive=img-blkreplay",
                "-netdev", "user,id=net1", "-device", "rtl8139,netdev=net1",
                "-object", "filter-replay,id=replay,netdev=net1"]

    def test_seed_lines(self):
        for name in ["disk.qcow2", "replay.bin"]:
            open(self.path(name), "w").close()
        for mode in ["record", "replay"]:
            res = run(["-M", "none"] + self.seed_args(mode), cwd=self.dir)
            self.assertEqual(res.returncode, 1, res.stderr)
            lines = res.stderr.splitlines()
            # The deprecated "snapshot" short form: one warning line.
            self.assertIn("warning: short-form boolean option 'snapshot' "
                          "deprecated, use snapshot=on instead", lines[0])
            self.assertEqual(len(lines), 2, res.stderr)
            self.assertIn("-icount rr=%s: record/replay is not supported "
                          "yet" % mode, lines[1])

    def test_missing_disk_named(self):
        open(self.path("replay.bin"), "w").close()
        res = run(self.seed_args("replay"), cwd=self.dir)
        self.assertEqual(res.returncode, 1)
        self.assertIn("could not open 'disk.qcow2'", res.stderr)


if __name__ == "__main__":
    unittest.main()
