"""Helpers for functional tests: run the emulator binary, talk to it."""
import os
import select
import signal
import socket
import subprocess
import tempfile
import time
import unittest

QEMU = os.path.abspath(os.environ.get("QEMU", "build/qemu-system-x86_64"))


def run(args, timeout=20, **kw):
    """Runs QEMU to completion; returns the CompletedProcess."""
    return subprocess.run([QEMU] + args, capture_output=True, text=True,
                          timeout=timeout, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """A running emulator with its stdin/stdout as pipes."""

    def __init__(self, args, stdin=subprocess.PIPE, cwd=None):
        self.proc = subprocess.Popen([QEMU] + args, stdin=stdin,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        self.out = b""

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def read_until(self, needle, timeout=10, start=0):
        """Reads stdout until needle appears at or after offset start;
        returns all output so far."""
        needle = needle.encode()
        deadline = time.monotonic() + timeout
        while self.out.find(needle, start) < 0:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for %r; got %r"
                                     % (needle, self.out))
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("EOF waiting for %r; got %r"
                                         % (needle, self.out))
                self.out += chunk
        return self.out.decode(errors="replace")

    def cmd(self, line, prompt="(qemu) "):
        """Types a monitor command; returns its output up to the prompt."""
        before = len(self.out)
        self.send(line + "\n")
        self.read_until(prompt, start=before)
        return self.out[before:].decode(errors="replace")

    def wait(self, timeout=10):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        rest = self.proc.stdout.read()
        self.out += rest
        self.err = self.proc.stderr.read().decode(errors="replace")
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class QemuTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.emulators = []

    def tearDown(self):
        for e in self.emulators:
            e.kill()
        self.tmp.cleanup()

    def start(self, args, **kw):
        e = Emulator(args, **kw)
        self.emulators.append(e)
        return e

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertOneLineError(self, res, text):
        """Exit status 1 and exactly one line on stderr containing text."""
        self.assertEqual(res.returncode, 1, res.stderr)
        lines = res.stderr.splitlines()
        self.assertEqual(len(lines), 1, res.stderr)
        self.assertIn(text, lines[0])
        self.assertTrue(lines[0].startswith("qemu-system-x86_64: "),
                        lines[0])
