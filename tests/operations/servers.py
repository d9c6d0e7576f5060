"""Starting real servers for tests (moto's S3, gunicorn, nginx) on loopback ports."""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Tests that start servers take ports from here up (several checkouts on one machine each set their own).
PORT_BASE = int(os.environ.get("TEST_PORT_BASE", "18100"))


def free_port(exclude: set[int] = frozenset()) -> int:
    """A loopback port nothing listens on, from PORT_BASE up (but those in `exclude`, already handed out)."""
    for port in range(PORT_BASE, PORT_BASE + 100):
        if port in exclude:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORT_BASE}-{PORT_BASE + 99}")


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped: {log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s: {log.read_text()[-3000:]}")


@contextmanager
def running(command: list[str], *, port: int, log: Path, env: dict | None = None, cwd: Path | None = None) -> Iterator:
    """Start `command`, wait until `port` answers, and stop it (and only it) afterwards."""
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    try:
        wait_for_port(port, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
