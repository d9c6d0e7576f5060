"""EXPLAIN (ANALYZE) of the search's queries on the bench database: do the plans hold at scale?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stories_bench .venv/bin/python bench/search_plans.py

Read only: every statement runs in a READ ONLY session (EXPLAIN ANALYZE of SELECTs writes nothing).
For each query (a common word, a rare word, a typo, two words, a phrase, a word with a filter) it prints the
plan of the feed's page query (stories/views.py feed_stories: the ids of a page's cards) and of the
lexicon look-up (stories/search.py understand), then a summary table of execution times.
Options: --runs N (each plan is run N times, the fastest is reported; default 3), --quiet (table only).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-search-plans-only")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from stories.forms import FeedFilterForm  # noqa: E402
from stories.models import SearchWord, Story  # noqa: E402
from stories.search import understand  # noqa: E402
from stories.views import feed_stories  # noqa: E402

CASES = [
    ("common word", "q=client"),
    ("common word, 6%", "q=parapluie"),
    ("rare word", "q=terrasse"),
    ("typo", "q=parapluyes"),
    ("two words", "q=client+parapluie"),
    ("two words, one rare", "q=client+terrasse"),
    ("phrase", 'q="un+parapluie"'),
    ("word + filter (sort=new, kind)", "q=parapluie&sort=new&kind=story"),
]


def explain(queryset, runs: int) -> tuple[float, str]:
    best, plan = None, ""
    for _ in range(runs):
        text = queryset.explain(analyze=True, buffers=True)
        found = re.search(r"Execution Time: ([\d.]+) ms", text)
        took = float(found.group(1)) if found else float("nan")
        if best is None or took < best:
            best, plan = took, text
    return best, plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Needs PostgreSQL: set DATABASE_URL to the bench database.", file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    print(f"{Story.objects.count():,} stories, {SearchWord.objects.count():,} known words")
    rows = []
    for name, querystring in CASES:
        filters = FeedFilterForm(QueryDict(querystring)).filters()
        started = time.perf_counter()
        query = understand(filters["q"])
        lookup_ms = (time.perf_counter() - started) * 1000
        page = feed_stories(filters).values_list("pk", flat=True)[:21]
        lexicon = SearchWord.objects.filter(word__trigram_similar=query.words[0])
        page_ms, page_plan = explain(page, args.runs)
        lexicon_ms, lexicon_plan = explain(lexicon, args.runs)
        found = len(list(page))
        rows.append((name, querystring, page_ms, lexicon_ms, lookup_ms, found, query.did_you_mean))
        if not args.quiet:
            print(f"\n=== {name}: ?{querystring}  (did you mean: {query.did_you_mean or '-'})")
            print(page_plan)
            print(f"--- lexicon look-up (trigram index) for {query.words[0]!r}")
            print(lexicon_plan)
    print("\n| query | ?q= | feed page query (ms) | lexicon trigram (ms) | understand() (ms) | rows ", end="")
    print("| did you mean |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, querystring, page_ms, lexicon_ms, lookup_ms, found, did_you_mean in rows:
        times = f"{page_ms:.1f} | {lexicon_ms:.1f} | {lookup_ms:.1f}"
        print(f"| {name} | `{querystring}` | {times} | {found} | {did_you_mean or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
