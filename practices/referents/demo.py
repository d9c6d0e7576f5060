"""Demo referents, named by julien (run by `manage.py seed_demo` after the stories). Safe to run again."""

from accounts.models import User
from practices.models import Referent
from practices.referents.services import referent_name
from stories.models import Pillar

CURATOR = "julien"
REFERENTS = [
    # username, pillar slug (in their own region)
    ("hugo", "take-charge"),
    ("camille", "be-positive"),
]


def seed() -> None:
    curator = User.objects.get(username=CURATOR)
    people = User.objects.select_related("store__region").in_bulk([u for u, _ in REFERENTS], field_name="username")
    pillars = Pillar.objects.in_bulk([p for _, p in REFERENTS], field_name="slug")
    for username, slug in REFERENTS:
        person, pillar = people.get(username), pillars.get(slug)
        if person is None or pillar is None or person.store is None:
            continue
        region = person.store.region
        if not Referent.objects.filter(person=person, pillar=pillar, region=region).exists():
            referent_name(person=person, pillar=pillar, region=region, curator=curator)
