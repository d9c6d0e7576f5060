"""The voice of the customer: the curators' list, and the writes (link, confirm, told in the store).

The list takes a fixed number of queries whatever the page holds: the items with their store and
region in one, then one each for their pillars, suggested standards, suggested stories and linked stories.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from practices.models import Feedback, Standard
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
