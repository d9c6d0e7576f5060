"""Onboarding: learning paths, acknowledgements and judgement cases.

Every write goes through a function here (keyword-only, `<thing>_<verb>`), as in
practices/library/services.py; so do the two progress reads that pages and the CSV share,
each in a fixed number of queries whatever the number of standards, people and stores.

A standard counts as read for a person when they acknowledged a revision at or
after its last material revision (Standard.material_revision): a material change
resets everyone's reading, a minor one resets nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Store, User
from practices.models import (
    Acknowledgement,
    CaseAnswer,
    LearningPath,
    PathAssignment,
    PathStep,
    Standard,
)


class Refused(Exception):
    """An action the rules do not allow; `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Paths and their steps


@transaction.atomic
def path_create(*, curator: User, title: str, description: str = "", audience: Group | None = None) -> LearningPath:
    """A new, empty learning path."""
    return LearningPath.objects.create(title=title, description=description, audience=audience, created_by=curator)


@transaction.atomic
def path_update(*, path: LearningPath, title: str, description: str, audience: Group | None) -> LearningPath:
    """Change a path's title, description or audience; its steps and assignments stay."""
    path.title, path.description, path.audience = title, description, audience
    path.save(update_fields=["title", "description", "audience", "updated_at"])
    return path


@transaction.atomic
def path_delete(*, path: LearningPath) -> None:
    """Delete a path with its steps and assignments; acknowledgements stay (they belong to the standards)."""
    path.delete()


@transaction.atomic
def path_step_add(*, path: LearningPath, standard: Standard, note: str = "") -> PathStep:
    """Add a published standard at the end of the path. The same standard twice is refused."""
    LearningPath.objects.select_for_update().get(pk=path.pk)
    # Locked so that a curator retiring it at the same moment waits (retiring checks the paths).
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status != Standard.Status.PUBLISHED:
        raise Refused(_("Only a published standard can be added to a path."))
    if path.steps.filter(standard=standard).exists():
        raise Refused(_("“%(title)s” is already in this path.") % {"title": standard.title})
    last = path.steps.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            return PathStep.objects.create(path=path, standard=standard, position=last + 1, note=note)
    except IntegrityError as error:  # the unique constraint, should the checks above ever be bypassed
        raise Refused(_("“%(title)s” is already in this path.") % {"title": standard.title}) from error


@transaction.atomic
def path_step_update(*, step: PathStep, note: str) -> PathStep:
    """Change the curator's note on a step."""
    step.note = note
    step.save(update_fields=["note"])
    return step


@transaction.atomic
def path_step_move(*, step: PathStep, up: bool) -> bool:
    """Swap the step with the one before (up) or after it; False when it is already first or last."""
    LearningPath.objects.select_for_update().get(pk=step.path_id)
    step = PathStep.objects.get(pk=step.pk)
    siblings = PathStep.objects.filter(path_id=step.path_id)
    if up:
        other = siblings.filter(position__lt=step.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=step.position).order_by("position").first()
    if other is None:
        return False
    mine, theirs = step.position, other.position
    # Positions are unique in a path and start at 1, so 0 is free to park a step during the swap.
    PathStep.objects.filter(pk=step.pk).update(position=0)
    PathStep.objects.filter(pk=other.pk).update(position=mine)
    PathStep.objects.filter(pk=step.pk).update(position=theirs)
    return True


@transaction.atomic
def path_step_remove(*, step: PathStep) -> None:
    """Take a standard out of a path. People's acknowledgements of it stay."""
    step.delete()


@transaction.atomic
def path_assign(*, path: LearningPath, person: User, curator: User) -> PathAssignment:
    """Put a person on a path by hand. Refused when they already follow it."""
    if person.groups.filter(pk=path.audience_id).exists():
        raise Refused(_("%(name)s is already in this path's audience.") % {"name": person.name})
    assignment, created = PathAssignment.objects.get_or_create(
        path=path, user=person, defaults={"assigned_by": curator}
    )
    if not created:
        raise Refused(_("%(name)s is already assigned to this path.") % {"name": person.name})
    return assignment


@transaction.atomic
def path_unassign(*, assignment: PathAssignment) -> None:
    """Take a person assigned by hand off a path (people in the audience stay on it)."""
    assignment.delete()


# Reading a standard and judgement cases


@transaction.atomic
def standard_acknowledge(*, user: User, standard: Standard, revision: int | None) -> tuple[Acknowledgement, bool]:
    """Record that `user` read and understood this revision of the standard; (the record, whether it is new).

    Refused for a draft or retired standard, or when `revision` is not the current one
    (the person read a page that has changed since). Twice gives one record.
    """
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == Standard.Status.RETIRED:
        raise Refused(_("This standard is retired: there is nothing to confirm."))
    if standard.status != Standard.Status.PUBLISHED:
        raise Refused(_("Only a published standard can be confirmed as read."))
    if revision != standard.revision:
        raise Refused(
            _("This standard was revised since you opened it: read revision %(number)d, then confirm again.")
            % {"number": standard.revision}
        )
    return Acknowledgement.objects.get_or_create(user=user, standard=standard, revision=revision)


@transaction.atomic
def case_answer_save(*, user: User, standard: Standard, text: str) -> CaseAnswer:
    """Keep what the person would do in the standard's situation. One answer each: a second one is refused."""
    if not standard.situation:
        raise Refused(_("This standard has no situation to answer."))
    answer, created = CaseAnswer.objects.get_or_create(user=user, standard=standard, defaults={"text": text})
    if not created:
        raise Refused(_("You already answered this case: your first answer is kept."))
    return answer


# Progress


@dataclass
class LearnerPath:
    """One of a person's paths as /onboarding/ shows it."""

    path: LearningPath
    steps: list[PathStep]

    @property
    def counted(self) -> list[PathStep]:
        return [step for step in self.steps if step.counts]

    @property
    def done(self) -> list[PathStep]:
        return [step for step in self.counted if step.is_read]

    @property
    def next_step(self) -> PathStep | None:
        return next((step for step in self.counted if not step.is_read), None)

    @property
    def percent(self) -> int:
        return round(100 * len(self.done) / len(self.counted)) if self.counted else 0


def learner_paths(user: User) -> list[LearnerPath]:
    """The person's paths with each step's state, in two queries (paths, then steps with their standards)."""
    steps = PathStep.objects.select_related("standard").with_progress(user).order_by("position", "pk")
    paths = LearningPath.objects.for_person(user).prefetch_related(Prefetch("steps", queryset=steps))
    return [LearnerPath(path=path, steps=list(path.steps.all())) for path in paths]


def path_people(path: LearningPath) -> QuerySet:
    """Active people on the path: its audience group and those assigned by hand."""
    audience = Q(groups=path.audience_id) if path.audience_id else Q(pk__in=[])
    assigned = Q(pk__in=PathAssignment.objects.filter(path=path).values("user"))
    return User.objects.filter(is_active=True).filter(Q(pk__in=User.objects.filter(audience).values("pk")) | assigned)


@dataclass
class PersonProgress:
    person: User
    done: int
    total: int
    last_read: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if self.done == 0:
            return "not-started"
        return "done" if self.done >= self.total else "in-progress"


@dataclass
class StoreProgress:
    store: Store | None
    people: list[PersonProgress] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(1 for row in self.people if row.status == "done")

    @property
    def not_started(self) -> int:
        return sum(1 for row in self.people if row.status == "not-started")

    @property
    def percent(self) -> int:
        done = sum(row.done for row in self.people)
        total = sum(row.total for row in self.people)
        return round(100 * done / total) if total else 0


@dataclass
class PathProgress:
    steps: list[PathStep]
    people: list[PersonProgress]

    @property
    def total(self) -> int:
        return sum(1 for step in self.steps if step.counts)

    @property
    def not_started(self) -> list[PersonProgress]:
        return [row for row in self.people if row.status == "not-started"]

    @property
    def stores(self) -> list[StoreProgress]:
        by_store: dict[int | None, StoreProgress] = {}
        for row in self.people:
            by_store.setdefault(row.person.store_id, StoreProgress(store=row.person.store)).people.append(row)
        return sorted(by_store.values(), key=lambda group: (group.store is None, group.store and group.store.name))


def path_progress(path: LearningPath) -> PathProgress:
    """Each person's reading on the path, in two queries: the steps, then the people with their counts."""
    steps = list(path.steps.select_related("standard"))
    counted = [step.standard_id for step in steps if step.counts]
    still_counts = Q(
        acknowledgements__standard__in=counted,
        acknowledgements__revision__gte=F("acknowledgements__standard__material_revision"),
    )
    people = (
        path_people(path)
        .select_related("store__region")
        .annotate(
            done=Count("acknowledgements__standard", filter=still_counts, distinct=True),
            last_read=Max("acknowledgements__acknowledged_at", filter=still_counts),
        )
        .order_by(F("store__name").asc(nulls_last=True), "display_name", "username")
    )
    rows = [
        PersonProgress(person=person, done=person.done, total=len(counted), last_read=person.last_read)
        for person in people
    ]
    return PathProgress(steps=steps, people=rows)
