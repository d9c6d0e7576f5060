"""What customers said at a network's scale: time importing 100,000 feedback items.

    python bench/feedback_import.py                          # 100,000 items into a fresh SQLite database
    python bench/feedback_import.py --items 20000
    python bench/feedback_import.py --database-url postgres://postgres@127.0.0.1:5432/feedback_bench

A fresh database (SQLite in a temporary folder, or --database-url: dropped and created again) is migrated
and given the demo (stores, pillars with their word lists, standards and stories, so that suggestions are
searched for real). A CSV of --items lines is written (the labelled set's texts, some with an e-mail or a
phone number to remove, every source, ratings, mystery-shop pillar scores, an external_id each), then
`manage.py import_feedback` runs on it twice: the first import, then the same file again, which must add
nothing. Prints wall-clock seconds and the import process's CPU seconds for each
(the database server's own time is in the wall clock only); exits 1 when the first import takes a minute or more.
"""

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60
SOURCES = ["survey", "mystery_shop", "review", "social", "in_store", "enquête", "avis"]
PILLARS = ["be-positive", "be-determined", "take-charge", "be-respectful"]
STORE_CODES = ["PAR01", "PAR02", "VER01", "LYO01", "LYO02", "ANN01"]  # the demo's


def texts() -> list[str]:
    with (BASE_DIR / "practices" / "voice" / "data" / "labelled_feedback.csv").open(encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


def write_file(path: Path, items: int, store_codes: list[str], seed: int = 18) -> None:
    chance = random.Random(seed)
    sayings = texts()
    today = date.today()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["date", "store_code", "source", "rating", "text", "language", "external_id"]
            + [f"pillar:{slug}" for slug in PILLARS]
        )
        for number in range(items):
            source = SOURCES[number % len(SOURCES)]
            text = chance.choice(sayings)
            if number % 10 == 0:
                text += f" Écrivez-moi : client{number}@example.com ou 06 12 34 56 {number % 100:02d}"
            scores = [str(chance.randrange(0, 11)) for _slug in PILLARS] if source == "mystery_shop" else [""] * 4
            writer.writerow(
                [
                    (today - timedelta(days=chance.randrange(365))).isoformat(),
                    chance.choice(store_codes),
                    source,
                    "" if source == "social" else chance.randrange(0, 11),
                    text,
                    "",
                    f"bench-{number}",
                    *scores,
                ]
            )


def children_cpu() -> float:
    """CPU seconds used by finished child processes: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )


def fresh_postgres(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    for statement in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-qc", statement], check=True)  # noqa: S603, S607


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    try:
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        if url.startswith("postgres"):
            fresh_postgres(url)
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": "bench", "LANG": "en_GB.UTF-8"}
        for command in (["migrate", "-v0"], ["seed_demo"]):
            done = manage(*command, env=env)
            if done.returncode:
                print(done.stdout, done.stderr, file=sys.stderr)
                return 2
        path = folder / "feedback.csv"
        write_file(path, args.items, STORE_CODES)
        size = path.stat().st_size / 1024 / 1024
        print(f"{args.items:,} items, {size:.1f} MB, into {url.split('://')[0]}")
        failed = False
        for label in ("first import", "same file again"):
            start, cpu_before = time.perf_counter(), children_cpu()
            done = manage("import_feedback", str(path), env=env)
            seconds, cpu = time.perf_counter() - start, children_cpu() - cpu_before
            said = done.stdout.strip().splitlines()[0] if done.stdout else done.stderr
            print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU in the import process  ({said})")
            if done.returncode:
                print(done.stderr[-2000:], file=sys.stderr)
                return 2
            failed = failed or (label == "first import" and seconds >= TARGET_SECONDS)
        return 1 if failed else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
