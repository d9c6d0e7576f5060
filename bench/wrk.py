"""Run wrk against one URL and read its report."""

import json
import re
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass
class WrkResult:
    requests_per_sec: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: dict[str, int]
    output: str

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["output"]
        return data


def to_ms(value: str, unit: str) -> float:
    return float(value) * UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(rf"^\s+50%\s+{DURATION}", output, re.MULTILINE)
    p99 = re.search(rf"^\s+99%\s+{DURATION}", output, re.MULTILINE)
    requests = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rps and p50 and p99 and requests):
        raise ValueError(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests_per_sec=float(rps.group(1)),
        p50_ms=round(to_ms(*p50.groups()), 3),
        p99_ms=round(to_ms(*p99.groups()), 3),
        requests=int(requests.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=(
            dict(zip(["connect", "read", "write", "timeout"], map(int, errors.groups()), strict=True)) if errors else {}
        ),
        output=output,
    )


# Each wrk thread takes every `threads`-th cookie from its own offset, so that
# consecutive requests, and the threads, come from different people.
ROTATE_COOKIES = """
local cookies = {%s}
local threads = %d
local started = 0
function setup(thread)
  thread:set("offset", started)
  started = started + 1
end
local sent = 0
function request()
  wrk.headers["Cookie"] = cookies[((sent * threads + offset) %% #cookies) + 1]
  sent = sent + 1
  return wrk.format()
end
"""


def lua_script(
    method: str, body: str | None, content_type: str, cookies: list[str] | None = None, threads: int = 1
) -> str:
    # json.dumps quotes a string the way Lua reads it (with ensure_ascii off).
    lines = [f"wrk.method = {json.dumps(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body, ensure_ascii=False)}")
        lines.append(f'wrk.headers["Content-Type"] = {json.dumps(content_type)}')
    script = "\n".join(lines) + "\n"
    if cookies:
        script += ROTATE_COOKIES % (", ".join(json.dumps(cookie) for cookie in cookies), threads)
    return script


def run(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    headers: dict[str, str],
    method: str = "GET",
    body: str | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    cookies: list[str] | None = None,
) -> WrkResult:
    """Load `url`; with `cookies`, each request takes the next Cookie header of the list (many people)."""
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        if method != "GET" or body is not None or cookies:
            script = Path(tmp) / "request.lua"
            script.write_text(lua_script(method, body, content_type, cookies, threads))
            command += ["-s", str(script)]
        command.append(url)
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"wrk exited with {completed.returncode}: {completed.stderr or completed.stdout}")
    return parse(completed.stdout)
