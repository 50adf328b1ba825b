#!/usr/bin/env python3
"""Time from starting the explorer to something on screen, and to the explorer's
own first frame (the list with its event count), in a pseudo-terminal.

    cargo build --release
    cargo run --release --example gen-timeline -- --events 1000000 --articles 10000 --seed 1 --out target/synthetic/1m
    python3 benches/first_frame.py target/synthetic/1m/timeline.json [more files]
"""
import fcntl
import os
import pty
import struct
import termios
import select
import sys
import time

BINARY = os.environ.get("ANNALS", "target/release/annals")


def run(path):
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(BINARY, [BINARY, "--data", path])
    # A pseudo-terminal starts at 0x0: give it the size of a real window.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    something = explorer = None
    while explorer is None and time.monotonic() - started < 300:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 1 << 16)
            except OSError:
                break
        if something is None and (b"Loading" in seen or b"? help" in seen or b"quit" in seen):
            something = time.monotonic() - started
        # The status line's hints end "? help" (or "q quit", when the terminal is
        # wide enough for it); the loading screen shows neither.
        if b"? help" in seen or b"quit" in seen:
            explorer = time.monotonic() - started
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    size = os.path.getsize(path) / 1e6
    fmt = lambda t: "—" if t is None else f"{t * 1000:.0f} ms"
    print(f"{path} ({size:.0f} MB): something on screen {fmt(something)}, explorer {fmt(explorer)}")


for p in sys.argv[1:]:
    run(p)
