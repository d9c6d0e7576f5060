"""Recognition of contributors: referents, and what a profile says about its person.

Writes go through the functions here (keyword-only, `<thing>_<verb>`), like
practices/library/services.py. The reads each take a fixed number of queries, whatever
the number of stories, standards or roles.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Window
from django.utils.translation import gettext as _

from accounts.models import Region, User
from practices.models import Referent, Standard
from practices.onboarding.services import Refused
from stories.models import Pillar, Story

PROFILE_STORIES = 10
PROFILE_STANDARDS = 10  # the latest inspired; the rest on their own pages (person_standards)


@transaction.atomic
def referent_name(*, person: User, pillar: Pillar, region: Region, curator: User) -> Referent:
    """Name `person` referent for `pillar` in `region`.

    Refused when they do not work in a store of that region (head-office people
    work in none), or already hold that role.
    """
    if not person.is_active:
        raise Refused(_("%(name)s's account is closed.") % {"name": person.name})
    if person.store is None:
        raise Refused(_("%(name)s works at the head office, in no region.") % {"name": person.name})
    if person.store.region_id != region.pk:
        raise Refused(
            _("%(name)s works in %(store)s (%(their_region)s), not in %(region)s.")
            % {
                "name": person.name,
                "store": person.store.name,
                "their_region": person.store.region.name,
                "region": region.name,
            }
        )
    already = _("%(name)s is already referent for %(pillar)s in %(region)s.") % {
        "name": person.name,
        "pillar": pillar.label,
        "region": region.name,
    }
    if Referent.objects.filter(person=person, pillar=pillar, region=region).exists():
        raise Refused(already)
    try:
        with transaction.atomic():
            referent = Referent.objects.create(person=person, pillar=pillar, region=region, named_by=curator)
    except IntegrityError as error:  # another curator named them at the same moment
        raise Refused(already) from error
    referent_marks_changed(person_id=person.pk)
    return referent


@transaction.atomic
def referent_remove(*, referent: Referent) -> None:
    """End a referent role. Their stories and credits stay; only the mark goes."""
    referent.delete()  # referent_deleted (connected in PracticesConfig.ready) updates the marks


def referent_marks_changed(*, person_id: int) -> None:
    """Mark the person's stories with whether they are a referent now (Story.author_is_referent, on cards and pages)."""
    roles = Referent.objects.filter(person_id=OuterRef("author_id"))
    Story.objects.filter(author_id=person_id).update(author_is_referent=Exists(roles))


def referent_deleted(*, instance: Referent, **kwargs) -> None:
    """Signal receiver: a role ended, removed here or with its pillar, region or person (cascades)."""
    referent_marks_changed(person_id=instance.person_id)


def referents_for_list():
    """Every referent role with its person, store, pillar and region, by region then pillar: one query."""
    return Referent.objects.select_related("person__store", "pillar", "region").order_by(
        "region__name", "pillar__order", "pillar__name", "person__display_name", "person__username"
    )


def referent_scopes(user: User) -> list[tuple[int, int]]:
    """The (region id, pillar id) pairs `user` is referent for: one query."""
    return list(Referent.objects.filter(person_id=user.pk).values_list("region_id", "pillar_id"))


@dataclass
class Recognition:
    """What a profile shows about its person's contributions."""

    stories: list[Story]
    story_count: int
    stores_tried: int
    standards: list[Standard]  # the latest PROFILE_STANDARDS inspired
    standard_count: int  # all of them
    roles: list[Referent]

    @property
    def is_referent(self) -> bool:
        return bool(self.roles)


def recognition(person: User, viewer: User) -> Recognition:
    """The person's latest stories (as `viewer` may see them), their reach and their roles, in four queries.

    Each list is bounded (PROFILE_STORIES, PROFILE_STANDARDS) and comes with its count;
    the profile links to the whole list, paged (person_stories, person_standards).

    Stores that tried their ideas count once each, and not the story's own store:
    recognition is about ideas that travelled.
    """
    stories = list(person_stories(person, viewer)[:PROFILE_STORIES])
    other_store = Q(tries__isnull=False) & (Q(store__isnull=True) | ~Q(tries__store=F("store")))
    reach = (
        Story.objects.published()
        .filter(author=person)
        .aggregate(
            stories=Count("pk", distinct=True),
            stores=Count("tries__store", filter=other_store, distinct=True),
        )
    )
    # The latest few, each row also carrying how many there are in all (a window over the grouped rows).
    standards = list(person_standards(person).annotate(total=Window(Count("*")))[:PROFILE_STANDARDS])
    standard_count = standards[0].total if standards else 0
    roles = list(Referent.objects.filter(person=person).select_related("pillar", "region").order_by("region__name"))
    return Recognition(
        stories=stories,
        story_count=reach["stories"],
        stores_tried=reach["stores"],
        standards=standards,
        standard_count=standard_count,
        roles=roles,
    )


def person_standards(person: User) -> QuerySet:
    """The published and retired standards `person`'s stories inspired, the latest promoted first."""
    return (
        Standard.objects.exclude(status=Standard.Status.DRAFT)
        .filter(promotions__story__author=person)
        .annotate(inspired_at=Max("promotions__created_at"))
        .only("title", "slug", "status")  # what the lists show: the grouped rows stay narrow
        .order_by("-inspired_at", "-pk")
    )


def person_stories(person: User, viewer: User) -> QuerySet:
    """`person`'s stories as `viewer` may see them, the newest first."""
    return (
        Story.objects.visible_to(viewer).filter(author=person).select_related("pillar").order_by("-published_at", "-pk")
    )
