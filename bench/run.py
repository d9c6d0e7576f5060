"""Measure pages under load against a ceiling page, in one run, on a production-like setup.

    make bench
    make bench BENCH_ARGS="--stories 20000 --duration 5"

Creates the PostgreSQL database stories_bench (dropped first), migrates, seeds the
demo people and N stories, starts gunicorn (3 sync workers) with DEBUG off, signs
camille in, and drives each page of bench/pages.py with wrk. Prints a table and
writes bench/results/latest.json. Exits 1 when a page failed, 2 when it cannot run.
"""

import argparse
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import wrk  # noqa: E402
from bench.pages import CEILING, COMPARED, EVERY_PAGE, REFERENCE, Facts, Page  # noqa: E402
from bench.report import Row, add_reference_ratios, combine_rounds, table, write_json  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = BASE_DIR / "bench" / "results"
DATABASE = "stories_bench"  # --database
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/5"  # --redis-db
QUIET_LOADAVG = 1.0  # --wait-quiet waits for the load average to fall under this before each page
HOST = "127.0.0.1"
WORKERS = 3
THREADS = 2
BUSY_LOADAVG = 1.5  # on 2 cores, more than this before measuring means something else is running


class BenchError(Exception):
    """Something that stops the benchmark; the message says what."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000, help="stories to load (default 100000)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of ceiling, chrome, feed and story pages (default 3)"
    )
    parser.add_argument("--warmup", type=float, default=1, help="seconds of unmeasured load per page (default 1)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--voters", type=int, default=64, help="people voting at once on the vote page (default 64)")
    parser.add_argument("--port", type=int, default=8123, help="gunicorn's port (default 8123)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the bench database as it is")
    parser.add_argument("--no-redis", action="store_true", help="run without REDIS_URL (local-memory cache)")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database to (re)create (default {DATABASE})")
    parser.add_argument("--redis-db", type=int, default=5, help="Redis database for the cache, emptied (default 5)")
    parser.add_argument(
        "--only", default="", help="measure only the pages whose name contains this (the ceiling always)"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        help=f"before each page, wait up to this many seconds for the load average to fall under {QUIET_LOADAVG}",
    )
    args = parser.parse_args()
    configure(args.database, args.redis_db)
    return args


def configure(database: str, redis_db: int) -> None:
    """Point the run at another database and Redis database (a helper's own, say)."""
    global DATABASE, DATABASE_URL, REDIS_URL
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise SystemExit(f"--database {database!r}: lower-case letters, digits and _ only.")
    DATABASE = database
    DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    REDIS_URL = f"redis://127.0.0.1:6379/{redis_db}"


def wait_quiet(seconds: float) -> float:
    """Wait (up to `seconds`) for the 1-minute load average to fall under QUIET_LOADAVG; return it."""
    deadline = time.monotonic() + seconds
    loadavg = os.getloadavg()[0]
    if seconds <= 0 or loadavg < QUIET_LOADAVG:
        return loadavg
    print(f"   waiting for a quiet machine (load average {loadavg:.2f})", end="", flush=True)
    while loadavg >= QUIET_LOADAVG and time.monotonic() < deadline:
        time.sleep(5)
        loadavg = os.getloadavg()[0]
    print(f": {loadavg:.2f}" + ("" if loadavg < QUIET_LOADAVG else f" after {seconds:.0f} s, measuring anyway"))
    return loadavg


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def bench_env(*, redis: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS_ONLY": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def run(command: list[str], env: dict[str, str], what: str, capture: bool = False) -> str:
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603
        command, cwd=BASE_DIR, env=env, text=True, check=False, stdout=subprocess.PIPE if capture else None
    )
    if completed.returncode != 0:
        raise BenchError(f"{what} failed (exit {completed.returncode}): {' '.join(command)}")
    print(f"   {what}: {time.monotonic() - started:.1f} s", flush=True)
    return completed.stdout or ""


def psql(sql: str) -> str:
    command = ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres"]
    completed = subprocess.run(  # noqa: S603
        [*command, "-v", "ON_ERROR_STOP=1", "-qtAc", sql], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"psql failed on {sql!r}: {completed.stderr.strip()}")
    return completed.stdout.strip()


def database_exists() -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"  # noqa: S608 (a constant)


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    manage = [str(BIN / "python"), "manage.py"]
    if args.skip_load:
        step(f"reuse database {DATABASE}")
        if not database_exists():
            raise BenchError(f"--skip-load: the database {DATABASE} does not exist; run once without it.")
    else:
        step(f"create database {DATABASE}")
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        psql(f"CREATE DATABASE {DATABASE}")
    run([*manage, "migrate", "--noinput", "-v0"], env, "migrate")
    run([*manage, "collectstatic", "--noinput", "-v0"], env, "collectstatic")
    if not args.skip_load:
        run([*manage, "seed_demo"], env, "seed_demo", capture=True)
        step(f"load {args.stories} stories")
        standards = str(min(10_000, max(args.stories // 10, 100)))  # 10,000 from 100,000 stories on
        run(
            [str(BIN / "python"), "bench/load_data.py", "--stories", str(args.stories), "--standards", standards],
            env,
            "load",
        )


def prepare_facts(env: dict[str, str], voters: int) -> Facts:
    step(f"sign camille and {voters} voters in")
    command = [str(BIN / "python"), "bench/prepare.py", "--user", "camille", "--voters", str(voters)]
    facts = json.loads(run(command, env, "sessions", capture=True).strip().splitlines()[-1])
    print(f"   published stories: {facts['published_stories']}, story picked: {facts['story_id']}")
    return facts


def python_calls(env: dict[str, str], facts: Facts) -> dict:
    """Python function calls per request for the feed and the story page, warm and cold (bench/calls.py)."""
    step("Python calls per request (cProfile, one process)")
    public = {"session_key": facts["session_key"], "story_id": facts["story_id"]}
    command = [str(BIN / "python"), "bench/calls.py", json.dumps(public)]
    result = json.loads(run(command, env, "calls", capture=True).strip().splitlines()[-1])
    for name, counts in result.items():
        print(f"   {name}: {counts['warm']:,} calls warm, {counts['cold']:,} cold", flush=True)
    return result


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    step(f"start gunicorn on {HOST}:{port} ({WORKERS} sync workers)")
    command = [str(BIN / "gunicorn"), "config.wsgi", "-w", str(WORKERS), "-k", "sync", "-b", f"{HOST}:{port}"]
    with log.open("w") as out:
        # Its own session, so that stopping it reaches the workers and nothing else.
        return subprocess.Popen(  # noqa: S603
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_ready(server: subprocess.Popen, base_url: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    print("   /healthz answers 200", flush=True)
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{log_tail(log)}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    print("\n== gunicorn stopped", flush=True)


def clear_cache() -> None:
    """Empty the bench's Redis database: entries from an earlier run, on a database since recreated, would be served."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    print(f"   the bench's cache ({REDIS_URL}) emptied", flush=True)


def log_tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow


def check_request(url: str, method: str, body: str | None, headers: dict[str, str]) -> tuple[int | None, str]:
    """One request before the load: its status, and where a redirect points or why it broke."""
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, f"{len(response.read())} bytes"
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location")
        return error.code, f"redirects to {location}" if location else error.reason
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return None, str(error)


def request_headers(page: Page, facts: Facts, csrf: str, session_key: str) -> dict[str, str]:
    cookies = f"sessionid={session_key}; django_language=en"
    headers = {"Cookie": cookies, **page.headers}
    if page.method != "GET":
        headers |= {"Cookie": f"{cookies}; csrftoken={csrf}", "X-CSRFToken": csrf}
        if page.resolve_body(facts) is not None:
            headers["Content-Type"] = page.content_type
    return headers


def verify(page: Page, facts: Facts, env: dict[str, str], row: Row) -> None:
    """Run the page's check on the database; a failed check fails the page."""
    public = {name: value for name, value in facts.items() if not name.endswith(("session_key", "sessions"))}
    output = run([str(BIN / "python"), "bench/checks.py", page.verify, json.dumps(public)], env, "check", capture=True)
    result = json.loads(output.strip().splitlines()[-1])
    print(f"   {page.verify}: {result['message']}", flush=True)
    (row.notes if result["ok"] else row.failures).append(f"{page.verify}: {result['message']}")


def last_error(log: Path, since: int) -> str | None:
    """The last exception line gunicorn's log gained after byte `since`, if any."""
    if not log.exists():
        return None
    with log.open("rb") as file:
        file.seek(since)
        lines = file.read().decode(errors="replace").splitlines()
    # The exception's own line: "ValueError: ...", "django.urls.exceptions.NoReverseMatch: ...".
    errors = [line for line in lines if re.match(r"^(?:\w+\.)*[A-Z]\w*(?::\s|$)", line)]
    return errors[-1] if errors else None


def measure(page: Page, facts: Facts, args: argparse.Namespace, base_url: str, csrf: str, log: Path) -> Row:
    path = page.resolve_path(facts)
    row = Row(name=page.name, method=page.method, path=path, target=page.target)
    if args.wait_quiet:
        row.notes.append(f"load average before: {wait_quiet(args.wait_quiet):.2f}")
    sessions = facts["voter_sessions"] if page.as_voters else [facts[page.session]]
    if path is None or not sessions:
        row.failures.append("no URL to measure (nothing to point it at: no published story? no voters?)")
        return row
    url, body = base_url + path, page.resolve_body(facts)
    headers = request_headers(page, facts, csrf, sessions[0])
    log_size = log.stat().st_size if log.exists() else 0
    row.check_status, detail = check_request(url, page.method, body, headers)
    print(f"   check {page.method} {path}: {row.check_status} ({detail})", flush=True)
    if row.check_status not in page.ok_statuses:
        if row.check_status and row.check_status >= 500 and (error := last_error(log, log_size)):
            detail = f"{detail}: {error}"
        row.failures.append(f"the check request answered {row.check_status} ({detail}); not measured")
        return row
    wrk_headers = {name: value for name, value in headers.items() if name != "Content-Type"}
    load = {"connections": args.connections, "threads": THREADS, "headers": wrk_headers, "method": page.method}
    load |= {"body": body, "content_type": page.content_type}
    if page.as_voters:
        # One person after another: the Lua script sets each request's Cookie.
        del wrk_headers["Cookie"]
        load["cookies"] = [request_headers(page, facts, csrf, key)["Cookie"] for key in sessions]
        row.notes.append(f"{len(sessions)} people, one after the other")
    try:
        if args.warmup > 0:
            wrk.run(url, duration=args.warmup, **load)
        result = wrk.run(url, duration=args.duration, **load)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
        row.failures.append(f"wrk: {error}")
        return row
    row.requests_per_sec, row.p50_ms, row.p99_ms = result.requests_per_sec, result.p50_ms, result.p99_ms
    row.wrk = result.as_dict()
    print(f"   {page.name}: {result.requests_per_sec:,.1f} req/s, p50 {result.p50_ms} ms, p99 {result.p99_ms} ms")
    if result.non_2xx_3xx:
        row.failures.append(f"{result.non_2xx_3xx} of {result.requests} responses were not 2xx or 3xx")
    if any(result.socket_errors.values()):
        row.notes.append(f"socket errors: {result.socket_errors}")
    return row


def git_revision() -> str:
    completed = subprocess.run(
        ["git", "describe", "--always", "--dirty"],  # noqa: S607
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "unknown"


def main() -> int:
    args = parse_args()
    if args.rounds < 1:
        print("--rounds must be 1 or more.", file=sys.stderr)
        return 2
    if not Path(wrk.WRK).exists():
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    redis = not args.no_redis
    if redis and importlib.util.find_spec("redis") is None:
        print("WARNING: the Python package `redis` is not installed: running without REDIS_URL (as --no-redis).")
        redis = False
    if port_in_use(args.port):
        print(f"Port {args.port} is already in use: stop what listens there or pass --port.", file=sys.stderr)
        return 2
    env = bench_env(redis=redis)
    base_url = f"http://{HOST}:{args.port}"
    log = RESULTS / "gunicorn.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    compared = [page for page in COMPARED if page.name == CEILING or args.only in page.name]
    others = [page for page in [*EVERY_PAGE, *REFERENCE] if args.only in page.name]
    rounds: dict[str, list[Row]] = {page.name: [] for page in compared}
    reference: list[Row] = []
    loadavg = None
    try:
        prepare_database(args, env)
        facts = prepare_facts(env, args.voters)
        calls = python_calls(env, facts)
        if redis:
            clear_cache()
        server = start_gunicorn(env, args.port, log)
        try:
            wait_ready(server, base_url, log)
            # Other work on the machine skews the figures; the load average shows it.
            loadavg = os.getloadavg()[0]
            print(f"   load average before measuring: {loadavg:.2f}")
            csrf = secrets.token_hex(16)  # 32 characters, the shape of Django's CSRF secret
            load = f"{args.duration:g} s, {args.connections} connections"
            for number in range(1, args.rounds + 1):
                for page in compared:
                    step(f"round {number} of {args.rounds}, {page.name}: {load}")
                    rounds[page.name].append(measure(page, facts, args, base_url, csrf, log))
            step(f"{CEILING} after the last round: {load}")
            rounds[CEILING].append(measure(COMPARED[0], facts, args, base_url, csrf, log))
            for page in others:
                step(f"{page.name}: {load}")
                reference.append(measure(page, facts, args, base_url, csrf, log))
        finally:
            stop_gunicorn(server)
        # Once the server has stopped, nothing is still being written: the checks see the end state.
        for page, row in zip(others, reference, strict=True):
            if page.verify and row.requests_per_sec is not None:
                step(f"check after {page.name}")
                verify(page, facts, env, row)
    except BenchError as error:
        print(f"\nBENCH ERROR: {error}", file=sys.stderr)
        return 2
    finally:
        if args.drop:
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            print(f"== dropped database {DATABASE}")

    rows = combine_rounds({name: measured for name, measured in rounds.items() if measured}, rounds[CEILING])
    ceiling_rps = add_reference_ratios(reference, rounds[CEILING])
    rows += reference
    print(f"\nResults ({facts['published_stories']} published stories, redis {'on' if redis else 'off'}):\n")
    print(table(rows))
    print(
        "\nPython calls per request (cProfile): "
        + "; ".join(f"{name} {counts['warm']:,} warm, {counts['cold']:,} cold" for name, counts in calls.items())
    )
    if loadavg is not None and loadavg > BUSY_LOADAVG:
        print(f"\nWARNING: the load average was {loadavg:.2f} before measuring: other work skews these figures.")
    run_info = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "settings": {
            "published_stories": facts["published_stories"],
            "story_id": facts["story_id"],
            "duration_s": args.duration,
            "rounds": args.rounds,
            "connections": args.connections,
            "voters": args.voters,
            "threads": THREADS,
            "gunicorn_workers": WORKERS,
            "redis": redis,
            "loadavg_1m_before": loadavg,
        },
        "python_calls_per_request": calls,
    }
    write_json(RESULTS / "latest.json", rows=rows, ceiling_rps=ceiling_rps, run=run_info)
    print(
        f"\nWritten to {(RESULTS / 'latest.json').relative_to(BASE_DIR)}; gunicorn's log: {log.relative_to(BASE_DIR)}"
    )
    if any(row.failed for row in rows):
        print(f"\nFAILED: a page did not answer correctly; see above and {log.relative_to(BASE_DIR)}.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
