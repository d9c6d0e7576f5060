"""What a database outage costs: requests answered 503 and 500 while PostgreSQL is unreachable, and after.

    DATABASE_URL=postgres://…/stories python bench/outage.py --seconds 30

Starts gunicorn (production settings, static files already collected) whose connection to PostgreSQL
goes through a TCP relay in this process; signs a person in; requests the feed in a loop; cuts the
relay (and every connection through it) for --seconds; then restores it. Prints the answers by phase.
"""

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Relay:
    """A TCP relay to PostgreSQL that can be cut (listener closed, connections reset) and restored."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.port, self.target = port, target
        self.loop = asyncio.new_event_loop()
        self.server = None
        self.writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self):
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def _stop(self):
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    def start(self):
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--relay-port", type=int, default=18150)
    parser.add_argument("--port", type=int, default=18151)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    relay = Relay(args.relay_port, (url.hostname, url.port or 5432))
    relay.start()
    relayed = url._replace(netloc=f"{url.username}@127.0.0.1:{args.relay_port}").geturl()
    env = {**os.environ, "DATABASE_URL": relayed, "DEBUG": "0", "HTTPS_ONLY": "0"}
    env.setdefault("SECRET_KEY", "outage-bench-" + "x" * 40)
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    prepare = [sys.executable, "bench/prepare.py", "--voters", "1"]
    facts = subprocess.run(prepare, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    session = facts.split('"session_key": "')[1].split('"')[0]
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind", f"127.0.0.1:{args.port}"]
    command += ["--workers", "3", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    time.sleep(3)
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    phase = "before"

    def cut_and_restore():
        nonlocal phase
        time.sleep(10)
        relay.stop()
        phase = "during"
        time.sleep(args.seconds)
        relay.start()
        phase = "after"

    threading.Thread(target=cut_and_restore, daemon=True).start()
    feed = f"http://127.0.0.1:{args.port}/stories/"
    request = urllib.request.Request(feed, headers={"Cookie": f"sessionid={session}"})
    deadline = time.monotonic() + 10 + args.seconds + 10
    try:
        while time.monotonic() < deadline:
            current = phase
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    counts[current][response.status] += 1
            except urllib.error.HTTPError as error:
                counts[current][error.code] += 1
            except OSError as error:
                counts[current][type(error).__name__] += 1
    finally:
        server.terminate()
        server.wait()
    for name in ["before", "during", "after"]:
        print(f"{name}: {dict(counts[name])}")


if __name__ == "__main__":
    main()
