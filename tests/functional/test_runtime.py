"""The running emulator: monitor, run states, exits, signals, terminal."""
import os
import pty
import select
import signal
import socket
import sys
import termios
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from qemu_test import QEMU, QemuTestCase, free_port, run  # noqa: E402

BASE = ["-machine", "none", "-m", "32M", "-nodefaults", "-display", "none"]


class Monitor(QemuTestCase):
    def monitor(self, extra=()):
        e = self.start(BASE + ["-monitor", "stdio"] + list(extra))
        e.read_until("(qemu) ")
        return e

    def cmd(self, e, line):
        return e.cmd(line)

    def test_banner_status_quit(self):
        e = self.monitor()
        self.assertIn("QEMU", e.out.decode())
        self.assertIn("monitor - type 'help' for more information",
                      e.out.decode())
        self.assertIn("VM status: running", self.cmd(e, "info status"))
        self.cmd(e, "stop")
        self.assertIn("VM status: paused", self.cmd(e, "info status"))
        self.cmd(e, "cont")
        self.assertIn("VM status: running", self.cmd(e, "info status"))
        e.send("quit\n")
        self.assertEqual(e.wait(), 0)

    def test_prelaunch(self):
        e = self.monitor(["-S"])
        self.assertIn("VM status: paused (prelaunch)",
                      self.cmd(e, "info status"))
        self.cmd(e, "c")
        self.assertIn("VM status: running", self.cmd(e, "info status"))
        e.send("q\n")
        self.assertEqual(e.wait(), 0)

    def test_info_version_and_help(self):
        e = self.monitor()
        out = self.cmd(e, "info version")
        res = run(["-version"])
        version = res.stdout.split()[3]
        self.assertIn(version, out)
        out = self.cmd(e, "help")
        for c in ["info", "stop", "cont", "quit", "system_reset",
                  "system_powerdown"]:
            self.assertIn(c, out)
        self.assertIn("unknown command: 'frobnicate'",
                      self.cmd(e, "frobnicate"))
        e.send("quit\n")
        self.assertEqual(e.wait(), 0)

    def test_debug_exit(self):
        e = self.monitor(["-device", "isa-debug-exit,iobase=0xf4,iosize=4"])
        out = self.cmd(e, "info mtree")
        self.assertIn("isa-debug-exit", out)
        e.send("o /b 0xf4 3\n")
        # (value << 1) | 1
        self.assertEqual(e.wait(), 7)

    def test_debugcon(self):
        out = self.path("debugcon.txt")
        e = self.monitor(["-debugcon", "file:" + out])
        self.cmd(e, "o /b 0xe9 0x41")
        self.cmd(e, "o /b 0xe9 0x0a")
        self.assertIn("0xe9", self.cmd(e, "i /b 0xe9"))
        e.send("quit\n")
        self.assertEqual(e.wait(), 0)
        with open(out) as f:
            self.assertEqual(f.read(), "A\n")

    def test_unassigned_logged(self):
        log = self.path("log.txt")
        e = self.monitor(["-d", "unimp", "-D", log])
        out = self.cmd(e, "i /b 0x1234")
        self.assertIn("0xff", out)  # unassigned ports read all ones
        e.send("quit\n")
        self.assertEqual(e.wait(), 0)
        with open(log) as f:
            self.assertIn("0x1234", f.read())

    def test_no_reboot(self):
        e = self.monitor(["-no-reboot"])
        e.send("system_reset\n")
        self.assertEqual(e.wait(), 0)

    def test_reset_keeps_running(self):
        e = self.monitor()
        self.cmd(e, "system_reset")
        self.assertIn("VM status: running", self.cmd(e, "info status"))
        # No ACPI on this machine: power-down has nothing to press.
        self.cmd(e, "system_powerdown")
        self.assertIn("VM status: running", self.cmd(e, "info status"))
        e.send("quit\n")
        self.assertEqual(e.wait(), 0)

    def test_tcp_monitor(self):
        port = free_port()
        e = self.start(BASE + ["-monitor",
                               "tcp:127.0.0.1:%d,server=on,wait=off" % port])
        deadline = time.monotonic() + 10
        while True:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        data = b""
        while b"(qemu) " not in data:
            data += s.recv(4096)
        s.sendall(b"info status\n")
        while b"VM status" not in data:
            data += s.recv(4096)
        self.assertIn(b"VM status: running", data)
        s.sendall(b"quit\n")
        self.assertEqual(e.wait(), 0)
        s.close()


class Signals(QemuTestCase):
    def test_sigterm(self):
        e = self.start(BASE + ["-monitor", "stdio"])
        e.read_until("(qemu) ")
        e.proc.send_signal(signal.SIGTERM)
        self.assertEqual(e.wait(), 0)
        self.assertIn("terminating on signal 15", e.err)

    def test_sigint(self):
        e = self.start(BASE)
        time.sleep(0.2)
        e.proc.send_signal(signal.SIGINT)
        self.assertEqual(e.wait(), 0)
        self.assertIn("terminating on signal 2", e.err)


class Terminal(QemuTestCase):
    """-nographic on a real terminal: raw mode, the mux keys, restore."""

    def spawn_pty(self, args):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(QEMU, [QEMU] + args)
        return pid, fd

    def read_until(self, fd, needle, timeout=10):
        data = b""
        deadline = time.monotonic() + timeout
        while needle not in data:
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for %r; got %r"
                                     % (needle, data))
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    data += os.read(fd, 4096)
                except OSError:
                    break
        return data

    def wait_exit(self, pid, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise AssertionError("emulator did not exit")

    def test_mux_keys_and_restore(self):
        pid, fd = self.spawn_pty(["-machine", "none", "-m", "32M",
                                  "-nographic"])
        time.sleep(0.3)
        before = termios.tcgetattr(fd)
        self.assertEqual(before[3] & termios.ECHO, 0)
        # Ctrl-A h: help about the console keys.
        time.sleep(0.3)
        os.write(fd, b"\x01h")
        self.read_until(fd, b"C-a x")
        # Ctrl-A c: to the monitor.
        os.write(fd, b"\x01c")
        self.read_until(fd, b"(qemu) ")
        os.write(fd, b"info status\r")
        self.read_until(fd, b"VM status: running")
        # Ctrl-A x: quit.
        os.write(fd, b"\x01x")
        self.assertEqual(self.wait_exit(pid), 0)

    def test_terminal_restored_after_signal(self):
        pid, fd = self.spawn_pty(["-machine", "none", "-m", "32M",
                                  "-nographic"])
        time.sleep(0.5)
        # While running, the terminal is raw: no echo, no line editing.
        attrs = termios.tcgetattr(fd)
        self.assertEqual(attrs[3] & termios.ECHO, 0)
        self.assertEqual(attrs[3] & termios.ICANON, 0)
        os.kill(pid, signal.SIGTERM)
        self.assertEqual(self.wait_exit(pid), 0)
        # The pty slave is closed now; the master keeps the last settings
        # the slave side set, which must be the original cooked mode.
        attrs = termios.tcgetattr(fd)
        self.assertNotEqual(attrs[3] & termios.ECHO, 0)
        self.assertNotEqual(attrs[3] & termios.ICANON, 0)


if __name__ == "__main__":
    unittest.main()
