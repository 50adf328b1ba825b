#!/usr/bin/env python3
"""Times how a burst of input is handled: the explorer in a pseudo-terminal gets N
characters in one write (no bracketed paste, as a paste over `ssh -t` arrives),
then a way to leave, and the script measures until the process has exited.

    cargo build --release && python3 benches/bursts.py [target/release/annals]

Cases: N characters typed into the filter then Esc, Esc, q; N keys while
browsing then Ctrl-c; N characters into the filter then SIGTERM.
"""
import os
import pty
import select
import signal
import sys
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/annals"


def spawn():
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(BINARY, [BINARY])
    drain(fd, until=b"2001-03-12", timeout=10)
    return pid, fd


def drain(fd, until=None, timeout=0.0):
    seen = b""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return seen
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return seen
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            return seen
        seen += chunk
        if until and until in seen:
            return seen


def write_all(fd, data):
    """Writes while reading back, so the terminal's buffers never fill."""
    while data:
        _, writable, _ = select.select([fd], [fd], [], 1)
        if writable:
            n = os.write(fd, data[:4096])
            data = data[n:]
        drain(fd, timeout=0)


def wait_exit(pid, fd, started, limit=300):
    while time.monotonic() - started < limit:
        drain(fd, timeout=0.01)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return time.monotonic() - started, os.waitstatus_to_exitcode(status)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None, None


def case(name, burst, leave):
    pid, fd = spawn()
    started = time.monotonic()
    write_all(fd, burst)
    leave(pid, fd)
    took, code = wait_exit(pid, fd, started)
    shown = "did not exit" if took is None else f"{took * 1000:8.0f} ms, exit {code}"
    print(f"{name:<48} {shown}")
    os.close(fd)


def keys(text):
    def send(pid, fd):
        time.sleep(0.05)
        for k in text:
            write_all(fd, k.encode())
            time.sleep(0.05)
    return send


def term(pid, fd):
    os.kill(pid, signal.SIGTERM)


for n in (5_000, 10_000, 20_000, 40_000):
    case(f"{n:,} chars into the filter, Esc Esc q", b"/" + b"a" * n, keys("\x1b\x1bq"))
for n in (20_000, 100_000):
    case(f"{n:,} words into the filter, Esc Esc q", b"/" + b"ab " * (n // 3), keys("\x1b\x1bq"))
for n in (3_000, 100_000):
    case(f"{n:,} keys while browsing, Ctrl-c", b"j" * n, keys("\x03"))
case("20,000 chars into the filter, SIGTERM", b"/" + b"a" * 20_000, term)
