"""Create signed-in sessions and gather the facts the page list needs.

Run by bench/run.py with the benchmark's environment; prints one JSON object on
its last line: the session key, a curator's session key (for the dashboard), a
mid-range published story id, the story count, and one session for each of the
--voters staff members (created on first use, spread over the stores) that the
vote page sends its requests as.
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
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.models import Store, User  # noqa: E402
from stories.models import Story  # noqa: E402


def signed_in_session(username: str) -> str:
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that logs people in (the first one, django-axes', only watches log-ins).
    session[BACKEND_SESSION_KEY] = "accounts.backends.PersonBackend"  # the backend that logs people in with a password
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def voters(count: int) -> list[str]:
    """The usernames of `count` staff members who may vote, in several stores (made the first time)."""
    stores = list(Store.objects.order_by("pk"))
    staff = Group.objects.get(name=roles.STAFF)
    names = []
    for number in range(1, count + 1):
        user, created = User.objects.get_or_create(
            username=f"bench-voter-{number:03}",
            defaults={"display_name": f"Voter {number}", "store": stores[number % len(stores)] if stores else None},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(staff)
        names.append(user.username)
    return names


def mid_range_story_id() -> int | None:
    ids = Story.objects.published().order_by("pk").values_list("pk", flat=True)
    count = ids.count()
    return ids[count // 2] if count else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="camille")
    parser.add_argument("--curator", default="julien", help="who opens the curators' pages (default julien)")
    parser.add_argument("--voters", type=int, default=64, help="staff members to vote as (default 64)")
    args = parser.parse_args()
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()  # nothing cached by an earlier run survives into this one
    facts = {
        "session_key": signed_in_session(args.user),
        "username": args.user,
        # The person's store: the store page and the feed filtered by store.
        "store_slug": User.objects.filter(username=args.user).values_list("store__slug", flat=True).first(),
        "curator_session_key": signed_in_session(args.curator),
        "story_id": mid_range_story_id(),
        "published_stories": Story.objects.published().count(),
        "voter_sessions": [signed_in_session(name) for name in voters(args.voters)],
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
