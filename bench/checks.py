"""Checks on the database after a page's load: did concurrent writes leave it consistent?

Run by bench/run.py with the benchmark's environment, as

    python bench/checks.py vote_count '{"story_id": 123, ...}'

Prints one JSON object on its last line: {"ok": true|false, "message": "..."}.
"""

import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from stories.models import Story  # noqa: E402


def vote_count(facts: dict) -> tuple[bool, str]:
    """The story's vote_count equals its Vote rows, after many people voted on it at once.

    One statement reads both, so that a vote still being committed cannot fall between them.
    """
    story = Story.objects.annotate(rows=Count("votes")).get(pk=facts["story_id"])
    verdict = "equal" if story.vote_count == story.rows else "MISMATCH"
    return (
        story.vote_count == story.rows,
        f"story {story.pk}: vote_count {story.vote_count}, Vote rows {story.rows}: {verdict}",
    )


CHECKS = {"vote_count": vote_count}


def main() -> None:
    name, facts = sys.argv[1], json.loads(sys.argv[2])
    ok, message = CHECKS[name](facts)
    print(json.dumps({"ok": ok, "message": message}))


if __name__ == "__main__":
    main()
