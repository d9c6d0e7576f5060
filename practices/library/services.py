"""Every write to the standards library goes through here."""

from datetime import date

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Notification, User
from accounts.services import notify, notify_many
from config.text import search_text
from practices.models import (
    RESERVED_SLUGS,
    REVIEW_AFTER,
    REVIEW_AFTER_ATTENTION,
    LearningPath,
    Promotion,
    Standard,
    StandardRevision,
)
from stories.markdown import render_markdown
from stories.models import Decision, Pillar, Story
from stories.services import decision_record, search_words_add


class StandardInPaths(Exception):
    """The standard is a step of learning paths: retiring it would leave a hole in each of them."""

    def __init__(self, paths: list[LearningPath]):
        super().__init__(", ".join(path.title for path in paths))
        self.paths = paths


class AlreadyPromoted(Exception):
    """The story already inspired a standard (a double submit, or another curator was quicker)."""

    def __init__(self, promotion: Promotion):
        super().__init__(str(promotion))
        self.promotion = promotion


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the title, with -2, -3... when it is taken or reserved."""
    base = slugify(title, allow_unicode=False)[:130].strip("-") or "standard"
    taken = set(Standard.objects.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        number += 1
        slug = f"{base}-{number}"
    return slug


def review_date(standard: Standard, start: date | None = None) -> date:
    """A year from `start` (today); six months for a standard that came from a petite attention."""
    from_attention = standard.promotions.filter(story__kind=Story.Kind.ATTENTION).exists()
    return (start or timezone.localdate()) + (REVIEW_AFTER_ATTENTION if from_attention else REVIEW_AFTER)


def _fill(standard: Standard, *, title, summary, practice, why, pillar, language) -> None:
    standard.title = title
    standard.language = language
    standard.summary = summary
    standard.practice = practice
    standard.practice_html = render_markdown(practice)
    standard.why = why
    standard.why_html = render_markdown(why) if why else ""
    standard.pillar = pillar


def _save_with_tags(standard: Standard, tags: list[str]) -> None:
    standard.search_document = search_text(standard.title, standard.summary, standard.practice, standard.why, *tags)
    standard.save()
    standard.tags.set(list(tags))
    search_words_add(document=standard.search_document)
    Standard.objects.filter(pk=standard.pk).update_search_vectors()


def _add_revision(*, standard: Standard, editor: User, change_note: str, material: bool) -> StandardRevision:
    """Record the standard's current text as its next numbered revision (the standard is locked).

    A material revision is the one reading must now reach: everyone who confirmed an earlier one is told.
    """
    standard.revision += 1
    update_fields = ["revision", "updated_at"]
    if material:
        standard.material_revision = standard.revision
        update_fields.append("material_revision")
    standard.save(update_fields=update_fields)
    revision = StandardRevision.objects.create(
        standard=standard,
        number=standard.revision,
        title=standard.title,
        summary=standard.summary,
        practice_html=standard.practice_html,
        why_html=standard.why_html,
        change_note=change_note,
        material=material,
        editor=editor,
    )
    if material and revision.number > 1:
        _ask_to_read_again(standard=standard, revision=revision, editor=editor)
    return revision


def _ask_to_read_again(*, standard: Standard, revision: StandardRevision, editor: User) -> None:
    """Notify, in one insert, each person who had confirmed an earlier revision: their reading no longer counts."""
    readers = User.objects.filter(
        is_active=True, acknowledgements__standard=standard, acknowledgements__revision__lt=revision.number
    ).distinct()
    notify_many(
        recipients=list(readers),
        kind=Notification.Kind.REREAD,
        url=standard.get_absolute_url(),
        once_key=f"reread:{standard.pk}:{revision.number}",
        actor=editor,
        standard=standard.title,
        revision=revision.number,
    )


def _sources_changed(standard: Standard) -> None:
    """Copy onto its source stories what their pages show of the standard they inspired (stories reads none of ours)."""
    Story.objects.filter(promotion__standard=standard).update(
        standard_title=standard.title, standard_slug=standard.slug, standard_status=standard.status
    )


def _notify_authors(*, standard: Standard, curator: User) -> None:
    """Tell each source story's author, once, that their story became this standard."""
    for promotion in standard.promotions.select_related("story__author"):
        story = promotion.story
        notify(
            recipient=story.author,
            actor=curator,
            kind=Notification.Kind.PROMOTED,
            url=standard.get_absolute_url(),
            once_key=f"promoted:{story.pk}",
            title=story.title,
            standard=standard.title,
        )


@transaction.atomic
def standard_create(
    *,
    owner: User,
    title: str,
    summary: str,
    practice: str,
    why: str = "",
    pillar: Pillar | None = None,
    tags: list[str] = (),
    language: str = "en",
    review_at=None,
    publish: bool = False,
) -> Standard:
    """Write a new standard, as a draft or published at once (revision 1)."""
    standard = Standard(owner=owner, slug=unique_slug(title), review_at=review_at)
    _fill(standard, title=title, summary=summary, practice=practice, why=why, pillar=pillar, language=language)
    _save_with_tags(standard, tags)
    if publish:
        standard = standard_publish(standard=standard, editor=owner)
    return standard


@transaction.atomic
def standard_publish(*, standard: Standard, editor: User, change_note: str = "") -> Standard:
    """Publish a draft (or bring back a retired standard): a new revision, a review date, the authors told."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == Standard.Status.PUBLISHED:
        return standard
    standard.status = Standard.Status.PUBLISHED
    standard.published_at = standard.published_at or timezone.now()
    standard.retired_at = None
    if standard.review_at is None or standard.review_at <= timezone.localdate():
        standard.review_at = review_date(standard)
    standard.save()
    _add_revision(
        standard=standard,
        editor=editor,
        change_note=change_note,
        material=True,
    )
    _notify_authors(standard=standard, curator=editor)
    _sources_changed(standard)
    return standard


@transaction.atomic
def standard_update(
    *,
    standard: Standard,
    editor: User,
    title: str,
    summary: str,
    practice: str,
    why: str,
    pillar: Pillar | None,
    tags: list[str],
    language: str = "en",
    review_at=None,
    change_note: str = "",
    material: bool = False,
) -> Standard:
    """Save an edit. On a published standard it is a new numbered revision with its change note."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _fill(standard, title=title, summary=summary, practice=practice, why=why, pillar=pillar, language=language)
    if review_at is not None:
        standard.review_at = review_at
    _save_with_tags(standard, tags)
    if standard.status == Standard.Status.PUBLISHED:
        _add_revision(standard=standard, editor=editor, change_note=change_note, material=material)
    _sources_changed(standard)
    return standard


@transaction.atomic
def standard_retire(*, standard: Standard, editor: User, reason: str = "") -> Standard:
    """Move a standard to the library's archive; it stays readable, marked as retired, and the retirement
    with its reason goes to the curators' decision log (stories.models.Decision).

    Refused (StandardInPaths) while the standard is a step of a learning path: take it out of them first.
    """
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    paths = list(LearningPath.objects.filter(steps__standard=standard).distinct())
    if paths:
        raise StandardInPaths(paths)
    if standard.status != Standard.Status.RETIRED:
        standard.status = Standard.Status.RETIRED
        standard.retired_at = timezone.now()
        standard.save(update_fields=["status", "retired_at", "updated_at"])
        _sources_changed(standard)
        decision_record(
            curator=editor,
            action=Decision.Action.RETIRE_STANDARD,
            reason=reason,
            subject=standard.title,
            url=standard.get_absolute_url(),
            object_key=retirement_key(standard),
        )
    return standard


def retirement_key(standard: Standard) -> str:
    """How the decision log names a standard (Decision.object_key)."""
    return f"standard:{standard.pk}"


def standard_set_situation(*, standard: Standard, editor: User, situation: str) -> Standard:
    """Write the standard's judgement case (empty removes it). Not a revision: the practice is unchanged."""
    standard.situation = situation
    Standard.objects.filter(pk=standard.pk).update(situation=situation, updated_at=timezone.now())
    return standard


@transaction.atomic
def standard_confirm_review(*, standard: Standard, editor: User) -> Standard:
    """A curator checked the standard still holds: the next review date moves on."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    standard.reviewed_at = timezone.now()
    standard.review_at = review_date(standard)
    standard.save(update_fields=["reviewed_at", "review_at", "updated_at"])
    return standard


@transaction.atomic
def story_promote(
    *,
    story: Story,
    curator: User,
    note: str = "",
    standard: Standard | None = None,
    new_standard: dict | None = None,
    publish: bool = True,
) -> Promotion:
    """Turn a story into a new standard (fields in new_standard), or attach it to `standard`.

    All or nothing: standard, promotion and notification are written together.
    The story row is locked first, so a double submit waits, then finds the
    promotion and raises AlreadyPromoted instead of making a second standard.
    """
    story = Story.objects.select_for_update().get(pk=story.pk)
    existing = Promotion.objects.filter(story=story).select_related("standard").first()
    if existing:
        raise AlreadyPromoted(existing)
    if standard is None:
        standard = standard_create(owner=curator, **(new_standard or {}))
    promotion = Promotion.objects.create(story=story, standard=standard, curator=curator, note=note)
    _sources_changed(standard)
    if publish and standard.status == Standard.Status.DRAFT:
        promotion.standard = standard_publish(standard=standard, editor=curator)
    elif standard.status == Standard.Status.PUBLISHED:
        _notify_authors(standard=standard, curator=curator)
    standard_counts_update(standards=Standard.objects.filter(pk=standard.pk))
    promotion.standard.refresh_from_db(fields=["source_count", "tried_total"])
    return promotion


def standard_counts_update(*, standards) -> int:
    """Recount, in one UPDATE, each standard's source stories and the stores that tried them (the library sorts)."""
    sources = Promotion.objects.filter(standard=OuterRef("pk")).order_by().values("standard")
    return standards.update(
        source_count=Coalesce(Subquery(sources.annotate(n=Count("pk")).values("n")), 0),
        tried_total=Coalesce(Subquery(sources.annotate(n=Sum("story__tried_count")).values("n")), 0),
    )


def story_tries_recounted(*, story_pk: int, **kwargs) -> None:
    """Signal receiver (stories.signals.tries_recounted): the standard a story inspired has a new total."""
    standard_counts_update(standards=Standard.objects.filter(promotions__story_id=story_pk))
