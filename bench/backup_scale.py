"""Time a backup and restore round trip at scale: the demo data plus N generated stories (default 100,000).

    DATABASE_URL=postgres://…/source python bench/backup_scale.py --target postgres://…/empty --stories 100000

The source database gets the demo data and the generated stories (two tags each) the first time; the target
must be a new, empty database. Prints rows, photos, archive size and the seconds each step took.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from accounts.models import User  # noqa: E402
from practices.backup import backup  # noqa: E402
from stories.models import Story  # noqa: E402


def generate(count: int) -> None:
    if not User.objects.exists():
        call_command("seed_demo")
    missing = count - Story.objects.filter(title__startswith="Generated ").count()
    authors = list(User.objects.exclude(store=None))
    tags = [Tag.objects.get_or_create(name=f"theme-{n}", defaults={"slug": f"theme-{n}"})[0] for n in range(50)]
    story_type = ContentType.objects.get_for_model(Story)
    for start in range(0, max(missing, 0), 5000):
        batch = []
        for n in range(start, min(start + 5000, missing)):
            author = authors[n % len(authors)]
            body = f"Story number {n}: a customer asked for help and a colleague found a way."
            batch.append(
                Story(
                    author=author,
                    store_id=author.store_id,
                    title=f"Generated {n}",
                    body=body,
                    body_html=f"<p>{body}</p>",
                    search_document=f"generated {n} {body.lower()}",
                )
            )
        created = Story.objects.bulk_create(batch)
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tags[(story.pk + k) % 50], content_type=story_type, object_id=story.pk)
            for story in created
            for k in (0, 7)
        )
    Story.objects.all().update_search_vectors()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--target", required=True, help="DATABASE_URL of a new, empty database")
    args = parser.parse_args()
    generate(args.stories)
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "backup.tar.gz"
        summary = backup(archive)
        print(f"backup: {summary.rows} rows in {summary.tables} tables, {summary.photos} photos, "
              f"{archive.stat().st_size / 1e6:.1f} MB archive, {summary.seconds:.1f} s")  # fmt: skip
        env = {**os.environ, "DATABASE_URL": args.target, "MEDIA_ROOT": str(Path(work) / "media")}
        started = time.monotonic()
        command = [sys.executable, "manage.py", "restore", str(archive)]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
        elapsed = time.monotonic() - started
        print(f"restore ({elapsed:.1f} s with start-up): {result.stdout.strip()} {result.stderr.strip()}")


if __name__ == "__main__":
    main()
