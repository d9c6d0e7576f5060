"""The HR roster at a chain's scale: make a roster file, and time its import.

    python bench/roster.py generate roster.csv                    # 10,000 people in 300 stores
    python bench/roster.py generate roster.xlsx --people 50000    # XLSX, more people
    python bench/roster.py generate next.csv --week 1             # the same chain a week later
    python bench/roster.py run                                    # the benchmark (make bench-roster)

`run` makes a fresh database (SQLite in a temporary folder, or --database-url; the
database is dropped and created again), migrates it, then times
`python manage.py import_roster` on the same file twice (first import, then a
second that must report 0 changes), then once on the file of a week later
(transfers, leavers, new hires). It prints wall-clock seconds and each run's peak
memory (the process's maximum resident set), and exits 1 when a target is missed:
first import under 30 s, second under 10 s.

Deterministic: the same --seed, --people, --stores and --week give the same file.
"""

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
HEADER = ["employee_id", "email", "first_name", "last_name", "store_code", "store_name", "city", "region"]
HEADER += ["role", "language", "active"]
FIRST_NAMES = [
    "Camille",
    "Hugo",
    "Julien",
    "Léa",
    "Inès",
    "Théo",
    "Manon",
    "Lucas",
    "Sarah",
    "Emma",
    "Louise",
    "Jade",
    "Alice",
    "Chloé",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Ambre",
    "Julia",
    "Gabriel",
    "Raphaël",
    "Léo",
    "Louis",
    "Arthur",
    "Jules",
    "Adam",
    "Maël",
    "Nathan",
    "Paul",
    "Zoé",
    "Nora",
    "Élise",
    "Anaïs",
    "Margaux",
    "Baptiste",
    "Clément",
    "Antoine",
    "Maxime",
    "Thomas",
    "Noémie",
    "Océane",
    "Mathis",
    "Enzo",
    "Yanis",
    "Sofia",
    "Amir",
    "Fatou",
    "Mamadou",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "N'Diaye",
    "Nguyen",
]
CITIES = [
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nice",
    "Nantes",
    "Montpellier",
    "Strasbourg",
    "Bordeaux",
    "Lille",
    "Rennes",
    "Reims",
    "Toulon",
    "Grenoble",
    "Dijon",
    "Angers",
    "Nîmes",
    "Brest",
    "Tours",
    "Limoges",
    "Amiens",
    "Perpignan",
    "Metz",
    "Besançon",
    "Orléans",
    "Rouen",
    "Mulhouse",
    "Caen",
    "Nancy",
    "Annecy",
]
REGIONS = [
    "Île-de-France",
    "Auvergne-Rhône-Alpes",
    "Provence-Alpes-Côte d'Azur",
    "Occitanie",
    "Nouvelle-Aquitaine",
    "Hauts-de-France",
    "Grand Est",
    "Bretagne",
    "Pays de la Loire",
    "Normandie",
    "Bourgogne-Franche-Comté",
    "Centre-Val de Loire",
]
ROLES = [("staff", 80), ("new_hire", 8), ("curator", 10), ("head_office", 2)]
LANGUAGES = [("fr", 70), ("en", 20), ("", 10)]


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def stores(count: int) -> list[tuple[str, str, str, str]]:
    """(code, name, city, region) for each store."""
    result = []
    for number in range(1, count + 1):
        city = CITIES[number % len(CITIES)]
        region = REGIONS[number % len(REGIONS)]
        result.append((f"S{number:04d}", f"{city} {number:04d}", city, region))
    return result


def address(local: str) -> str:
    plain = unicodedata.normalize("NFKD", local.lower()).encode("ascii", "ignore").decode()
    return plain.replace("'", "") + "@example.com"


def people(*, count: int, store_count: int, seed: int, week: int) -> list[list[str]]:
    """The roster's rows. Week 0 is the first file; each later week moves 3%, lets 1% go and hires 2% more."""
    rng = random.Random(seed)
    shops = stores(store_count)
    rows = []
    for number in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        role = pick(rng, ROLES)
        shop = ("", "", "", "") if role == "head_office" else rng.choice(shops)
        email = address(f"{first}.{last}.{number}")
        active = "0" if rng.random() < 0.02 else "1"
        rows.append([f"E{number:06d}", email, first, last, *shop, role, pick(rng, LANGUAGES), active])
    for later in range(1, week + 1):
        weekly = random.Random(seed * 1000 + later)
        for row in rows:
            chance = weekly.random()
            if chance < 0.03 and row[8] != "head_office":
                row[4:8] = weekly.choice(shops)
            elif chance < 0.04:
                row[10] = "0"
        start = len(rows)
        for number in range(start + 1, start + count // 50 + 1):
            first, last = weekly.choice(FIRST_NAMES), weekly.choice(LAST_NAMES)
            email = address(f"{first}.{last}.n{later}-{number}")
            rows.append([f"N{later:02d}{number:06d}", email, first, last, *weekly.choice(shops), "new_hire", "fr", "1"])
    return rows


def generate(path: Path, *, count: int, store_count: int, seed: int = 1, week: int = 0) -> int:
    """Write the roster to path (.csv or .xlsx); the number of people in it."""
    rows = people(count=count, store_count=store_count, seed=seed, week=week)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(HEADER)
            writer.writerows(rows)
    return len(rows)


# The benchmark


def fresh_database(url: str | None, folder: Path) -> dict[str, str]:
    """The environment of a new, empty database: SQLite in folder, or the PostgreSQL database of url made anew."""
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(folder), "TASKS_BACKEND": "immediate"}
    env.pop("REDIS_URL", None)
    if url:
        name = urlparse(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for statement in [f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"']:
            subprocess.run(["psql", admin, "-qc", statement], check=True)  # noqa: S603, S607
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    return env


def timed_import(path: Path, env: dict[str, str], folder: Path) -> tuple[float, float, str]:
    """Seconds, peak memory (MB, the process's maximum resident set) and the last line of one import."""
    out_path = folder / "import.out"
    started = time.perf_counter()
    with out_path.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "import_roster", str(path)], cwd=BASE_DIR, env=env, stdout=out, stderr=out
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text()
    if process.returncode != 0:
        raise SystemExit(f"import_roster failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1]


def run(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    try:
        first, later = folder / f"roster{args.suffix}", folder / f"roster-week1{args.suffix}"
        lines = generate(first, count=args.people, store_count=args.stores, seed=args.seed)
        generate(later, count=args.people, store_count=args.stores, seed=args.seed, week=1)
        print(f"Roster: {lines} people, {args.stores} stores, {first.stat().st_size / 1e6:.1f} MB ({args.suffix[1:]})")
        env = fresh_database(args.database_url, folder)
        print(f"Database: {'PostgreSQL ' + args.database_url if args.database_url else 'SQLite'}, migrated")
        results = []
        for label, path, target in [
            ("first import", first, 30),
            ("second import (same file)", first, 10),
            ("a week later (moves, leavers, hires)", later, None),
        ]:
            seconds, peak, summary = timed_import(path, env, folder)
            verdict = "" if target is None else ("PASS" if seconds < target else "SLOW") + f" (< {target} s)"
            results.append(verdict.startswith("SLOW"))
            print(f"{label:<38} {seconds:6.1f} s   peak {peak:5.0f} MB   {verdict:<14} {summary}")
        return 1 if any(results) else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a roster file (.csv or .xlsx)")
    make.add_argument("path", type=Path)
    bench = commands.add_parser("run", help="time the import on a fresh database")
    bench.add_argument("--database-url", help="a PostgreSQL database to drop and create (default: SQLite)")
    bench.add_argument("--xlsx", dest="suffix", action="store_const", const=".xlsx", default=".csv")
    for command in (make, bench):
        command.add_argument("--people", type=int, default=10_000, help="default 10000")
        command.add_argument("--stores", type=int, default=300, help="default 300")
        command.add_argument("--seed", type=int, default=1)
    make.add_argument("--week", type=int, default=0, help="the chain this many weeks later (default 0)")
    args = parser.parse_args()
    if args.command == "generate":
        count = generate(args.path, count=args.people, store_count=args.stores, seed=args.seed, week=args.week)
        print(f"{args.path}: {count} people in {args.stores} stores")
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
