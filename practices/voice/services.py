"""The voice of the customer: the curators' list, and the writes (link, confirm, told in the store).

The list takes a fixed number of queries whatever the page holds: the items with their store and
region in one, then one each for their pillars, suggested standards, suggested stories and linked stories.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Store, User
from accounts.services import notify_many
from practices.models import Acknowledgement, Feedback, Standard, StandardSend
from practices.voice.forms import VoiceFilterForm
from practices.voice.importer import detect_language, record_match
from practices.voice.scrub import scrub
from stories.models import Pillar, Story


def voice_list(filters: dict):
    """The feedback these filters choose (VoiceFilterForm.filters()), newest first, with what each row shows."""
    items = Feedback.objects.select_related("store__region").prefetch_related(
        Prefetch("pillars", queryset=Pillar.objects.all()),
        Prefetch("suggested_standards", queryset=Standard.objects.published().only("pk", "title", "slug")),
        Prefetch("suggested_stories", queryset=Story.objects.published().only("pk", "title")),
        Prefetch("stories", queryset=Story.objects.only("pk", "title")),
    )
    if filters.get("region"):
        items = items.filter(store__region=filters["region"])
    if filters.get("store"):
        items = items.filter(store=filters["store"])
    if filters.get("source"):
        items = items.filter(source=filters["source"])
    if filters.get("pillar"):
        items = items.filter(pillars=filters["pillar"])
    if filters.get("sentiment"):
        items = items.filter(sentiment=filters["sentiment"])
    days = VoiceFilterForm.PERIOD_DAYS.get(filters.get("period") or "")
    if days:
        items = items.filter(date__gte=timezone.localdate() - timedelta(days=days))
    return items.order_by("-date", "-pk")


CUSTOMER_WORDS = 5  # on a story's page
CUSTOMER_WORDS_LENGTH = 300


@transaction.atomic
def feedback_link(*, feedback: Feedback, story: Story) -> None:
    """The customer's words become evidence for the story (and show on its page)."""
    feedback.stories.add(story)
    customer_words_changed(story_ids=[story.pk])


def customer_words_changed(*, story_ids: list[int]) -> None:
    """Write on each story the latest customer words linked to it (Story.customer_words, its page's values)."""
    for story_id in story_ids:
        linked = (
            Feedback.objects.filter(stories=story_id).select_related("store").order_by("-date", "-pk")[:CUSTOMER_WORDS]
        )
        words = [
            {
                "source": item.source,
                "date": item.date.isoformat(),
                "store": item.store.name,
                "text": item.text[:CUSTOMER_WORDS_LENGTH],
            }
            for item in linked
        ]
        Story.objects.filter(pk=story_id).update(customer_words=words)


@transaction.atomic
def feedback_confirm(*, feedback: Feedback, pillars: list[Pillar], sentiment: str, curator: User) -> None:
    """A curator says what the item is about; no re-import changes it again."""
    feedback.pillars.set(pillars)
    feedback.sentiment = sentiment
    feedback.confirmed_by, feedback.confirmed_at = curator, timezone.now()
    feedback.save(update_fields=["sentiment", "confirmed_by", "confirmed_at"])


@transaction.atomic
def feedback_told_in_store(*, person: User, text: str, rating: int | None, story: Story | None) -> Feedback:
    """What a customer told `person` in their store, without personal data, matched like an import."""
    text = scrub(text.strip())
    item = Feedback.objects.create(
        store=person.store,
        source=Feedback.Source.IN_STORE,
        rating=rating,
        text=text,
        language=detect_language(text) or person.known_language or "",
        recorded_by=person,
    )
    record_match(item)
    if story is not None:
        feedback_link(feedback=item, story=story)
    return item


class Refused(Exception):
    """An action the rules do not allow; `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


REASON_LENGTH = 300


def store_staff(store_id: int) -> QuerySet:
    """The active people of a store: who a standard sent to it is for."""
    return User.objects.filter(store_id=store_id, is_active=True)


@transaction.atomic
def standard_send(*, standard: Standard, store: Store, curator: User, feedback: Feedback | None = None):
    """Send a published standard to a store's staff as a "to read" item, the customer's words as the reason.

    Its staff get a notification (once); sending the same standard to the same store again changes
    nothing and returns (the first send, False).
    """
    if standard.status != Standard.Status.PUBLISHED:
        raise Refused(_("Only a published standard can be sent to a store."))
    reason = feedback.text[:REASON_LENGTH] if feedback is not None else ""
    send, created = StandardSend.objects.get_or_create(
        standard=standard, store=store, defaults={"feedback": feedback, "reason": reason, "sent_by": curator}
    )
    if created:
        notify_many(
            recipients=list(store_staff(store.pk)),
            kind=Notification.Kind.TO_READ,
            url=standard.get_absolute_url(),
            once_key=f"toread:{standard.pk}",
            actor=curator,
            standard=standard.title,
            words=reason[:140],
        )
    return send, created


def read_still_counts(user_ref) -> Exists:
    """The person (an OuterRef) confirmed reading the outer send's standard since its last material change."""
    return Exists(
        Acknowledgement.objects.filter(
            user=user_ref, standard=OuterRef("standard"), revision__gte=OuterRef("standard__material_revision")
        )
    )


def sent_to_read(user: User) -> list[StandardSend]:
    """The standards sent to the person's store, newest first, each with `is_read` for them (one query)."""
    if user.store_id is None:
        return []
    sends = StandardSend.objects.filter(store_id=user.store_id, standard__status=Standard.Status.PUBLISHED)
    return list(
        sends.select_related("standard", "feedback")
        .annotate(is_read=read_still_counts(user.pk))
        .order_by("-sent_at", "-pk")
    )


def sends_list(filters: dict | None = None) -> QuerySet:
    """Every send with its store and standard, and how many of the store's active staff read it (one query)."""
    staff = User.objects.filter(store=OuterRef("store"), is_active=True).order_by().values("store")
    readers = staff.filter(
        Exists(
            Acknowledgement.objects.filter(
                user=OuterRef("pk"),
                standard=OuterRef(OuterRef("standard")),
                revision__gte=OuterRef(OuterRef("standard__material_revision")),
            )
        )
    )
    return (
        StandardSend.objects.select_related("standard", "store__region", "sent_by")
        .annotate(
            staff_count=Subquery(staff.annotate(n=Count("pk")).values("n")),
            read_count=Subquery(readers.annotate(n=Count("pk")).values("n")),
        )
        .order_by("-sent_at", "-pk")
    )


def send_readers(send: StandardSend) -> list[User]:
    """The store's active staff, each with `read_at` (None: not read since the last material change)."""
    mine = Acknowledgement.objects.filter(
        user=OuterRef("pk"), standard=send.standard_id, revision__gte=send.standard.material_revision
    ).order_by("-acknowledged_at")
    return list(
        store_staff(send.store_id)
        .annotate(read_at=Subquery(mine.values("acknowledged_at")[:1]))
        .order_by(F("read_at").desc(nulls_last=True), "display_name", "username")
    )


STANDARD_WORDS = 10


def customer_words_for(standard: Standard) -> list[Feedback]:
    """What customers said that is evidence for the stories this standard was promoted from (one query)."""
    linked = Feedback.objects.filter(stories__promotion__standard=standard).values("pk")
    return list(
        Feedback.objects.filter(pk__in=linked).select_related("store").order_by("-date", "-pk")[:STANDARD_WORDS]
    )


STORE_WEEKS = 4
STORE_ITEMS = 8


def store_feedback(store_id: int) -> list[Feedback]:
    """What customers said about a store in the last weeks: praise first, then the rest, newest first."""
    since = timezone.localdate() - timedelta(weeks=STORE_WEEKS)
    praise_first = Case(When(sentiment=Feedback.Sentiment.PRAISE, then=0), default=1)
    return list(
        Feedback.objects.filter(store_id=store_id, date__gte=since)
        .only("pk", "date", "source", "rating", "text", "language", "sentiment")
        .order_by(praise_first, "-date", "-pk")[:STORE_ITEMS]
    )


def mark_sent(items: list[Feedback]) -> None:
    """Give each listed item `standard_suggestions`: (standard, id of its send to the item's store or None)."""
    stores = {item.store_id for item in items}
    standards = {standard.pk for item in items for standard in item.suggested_standards.all()}
    sent: dict[tuple[int, int], int] = {}
    if stores and standards:
        rows = StandardSend.objects.filter(store_id__in=stores, standard_id__in=standards)
        sent = {(standard, store): pk for pk, standard, store in rows.values_list("pk", "standard_id", "store_id")}
    for item in items:
        item.standard_suggestions = [
            (standard, sent.get((standard.pk, item.store_id))) for standard in item.suggested_standards.all()
        ]
