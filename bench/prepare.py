"""Create a signed-in session and gather the facts the page list needs.

Run by bench/run.py with the benchmark's environment; prints one JSON object on
its last line: the session key, a mid-range published story id, the story count.
"""

import argparse
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402

from accounts.models import User  # noqa: E402
from stories.models import Story  # noqa: E402


def signed_in_session(username: str) -> str:
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def mid_range_story_id() -> int | None:
    ids = Story.objects.published().order_by("pk").values_list("pk", flat=True)
    count = ids.count()
    return ids[count // 2] if count else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="camille")
    args = parser.parse_args()
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()  # nothing cached by an earlier run survives into this one
    facts = {
        "session_key": signed_in_session(args.user),
        "username": args.user,
        "story_id": mid_range_story_id(),
        "published_stories": Story.objects.published().count(),
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
