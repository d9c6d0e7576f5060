"""The weekly digest: the best of a week brought to people who cannot read e-mail at the till.

A week runs from Monday 00:00 to the next Monday, local time, and is named by its
Monday. What every digest of a week shares (the network's most valued stories,
new and revised standards) is read once per batch (WeekNews); each person adds
their region's best stories, their learning paths and what happened to their own
stories. Sending is decided by inserting the person's DigestDelivery row for the
week under a unique constraint, in a transaction that first locks the person: a
second run, or a second worker, finds the row and sends nothing.

The management command `send_digests` queues the task in practices/digest/tasks.py
(digests_enqueue), which sends each batch through digest_send().
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.unsubscribe import unsubscribe_token
from practices.models import DigestDelivery, Feedback, Promotion, Standard, StandardRevision
from practices.onboarding.services import LearnerPath, learner_paths
from stories.models import EXTRA_STORE_WEIGHT, TRIED_WEIGHT, Comment, Story, Tried, Vote

logger = logging.getLogger(__name__)

TOP_NETWORK = 5
TOP_REGION = 3
TOP_CUSTOMER_WORDS = 3
BATCH_SIZE = 50


# Weeks


def week_start(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


def last_week(today: date | None = None) -> date:
    """The Monday of the last complete week: what a run on any day of this week sends."""
    return week_start(today or timezone.localdate()) - timedelta(days=7)


def parse_week(value: str) -> date:
    """A week from an ISO week ("2026-W47") or any date in it ("2026-11-18"). ValueError otherwise."""
    iso_week = re.fullmatch(r"(\d{4})-?W(\d{1,2})", value.strip(), flags=re.IGNORECASE)
    if iso_week:
        return date.fromisocalendar(int(iso_week[1]), int(iso_week[2]), 1)
    return week_start(date.fromisoformat(value.strip()))


def week_bounds(week: date) -> tuple[datetime, datetime]:
    """The week's first instant and the next week's, in the site's time zone."""
    start = timezone.make_aware(datetime.combine(week, time.min))
    return start, timezone.make_aware(datetime.combine(week + timedelta(days=7), time.min))


# What the digest says


def most_valued(stories: QuerySet) -> QuerySet:
    """Stories by support, breadth first (as in the hot score, without the age): tries, voting stores, votes."""
    support = F("vote_count") + EXTRA_STORE_WEIGHT * Greatest(F("voter_store_count") - 1, 0)
    return (
        stories.exclude(kind=Story.Kind.GUESTBOOK)
        .annotate(support=support + TRIED_WEIGHT * F("tried_count"))
        .select_related("author", "store__region", "pillar")
        .order_by("-support", "-hot_score", "-pk")
    )


@dataclass
class StandardNews:
    standard: Standard
    revision: StandardRevision
    is_new: bool


@dataclass
class WeekNews:
    """What every digest of a week shares; the regions' best stories are read once per region when asked."""

    week: date
    start: datetime
    end: datetime
    top: list[Story]
    standards: list[StandardNews]
    regions: dict[int, list[Story]] = field(default_factory=dict)
    stores: dict[int, list[Feedback]] = field(default_factory=dict)

    def week_stories(self) -> QuerySet:
        return Story.objects.published().filter(published_at__gte=self.start, published_at__lt=self.end)

    def region_top(self, region_id: int | None) -> list[Story]:
        """The region's most valued stories of the week, leaving out those already in the network's list."""
        if region_id is None:
            return []
        if region_id not in self.regions:
            stories = self.week_stories().filter(store__region_id=region_id).exclude(pk__in=[s.pk for s in self.top])
            self.regions[region_id] = list(most_valued(stories)[:TOP_REGION])
        return self.regions[region_id]

    def store_praise(self, store_id: int | None) -> list[Feedback]:
        """The customers' best words about the store this week (praise, best rated first): one query per store."""
        if store_id is None:
            return []
        if store_id not in self.stores:
            items = Feedback.objects.filter(
                store_id=store_id,
                sentiment=Feedback.Sentiment.PRAISE,
                date__gte=self.week,
                date__lt=self.week + timedelta(days=7),
            ).only("pk", "date", "source", "rating", "text", "language")
            best = items.order_by(F("rating").desc(nulls_last=True), "-date", "-pk")
            self.stores[store_id] = list(best[:TOP_CUSTOMER_WORDS])
        return self.stores[store_id]


def week_news(week: date) -> WeekNews:
    """The network's most valued stories of the week and the standards published or revised in it: two queries."""
    start, end = week_bounds(week)
    news = WeekNews(week=week, start=start, end=end, top=[], standards=[])
    news.top = list(most_valued(news.week_stories())[:TOP_NETWORK])
    revisions = (
        StandardRevision.objects.filter(
            created_at__gte=start, created_at__lt=end, standard__status=Standard.Status.PUBLISHED
        )
        .select_related("standard__pillar")
        .order_by("-created_at", "-number")
    )
    by_standard: dict[int, StandardNews] = {}
    for revision in revisions:
        item = by_standard.setdefault(revision.standard_id, StandardNews(revision.standard, revision, False))
        item.is_new = item.is_new or revision.number == 1
    news.standards = sorted(by_standard.values(), key=lambda item: (not item.is_new, item.standard.title))
    return news


@dataclass
class StoryActivity:
    """What colleagues did with one of the person's stories during the week."""

    story: Story
    votes: int = 0
    comments: int = 0
    tries: list[Tried] = field(default_factory=list)
    promotion: Promotion | None = None


def own_activity(person: User, start: datetime, end: datetime) -> list[StoryActivity]:
    """Votes, comments, tries and promotions others gave the person's published stories in [start, end)."""
    mine = {
        "story__author": person,
        "story__status": Story.Status.PUBLISHED,
        "created_at__gte": start,
        "created_at__lt": end,
    }
    votes = Vote.objects.filter(**mine).exclude(user=person).order_by().values_list("story_id").annotate(n=Count("pk"))
    comments = (
        Comment.objects.filter(**mine, status=Comment.Status.PUBLISHED)
        .exclude(author=person)
        .order_by()
        .values_list("story_id")
        .annotate(n=Count("pk"))
    )
    tries = Tried.objects.filter(**mine).select_related("store").order_by("created_at")
    promotions = Promotion.objects.filter(**mine).exclude(standard__status=Standard.Status.DRAFT)
    activity: dict[int, StoryActivity] = {}

    def of(story_id: int) -> StoryActivity:
        return activity.setdefault(story_id, StoryActivity(story=Story(pk=story_id)))

    for story_id, count in votes:
        of(story_id).votes = count
    for story_id, count in comments:
        of(story_id).comments = count
    for tried in tries:
        of(tried.story_id).tries.append(tried)
    for promotion in promotions.select_related("standard"):
        of(promotion.story_id).promotion = promotion
    stories = Story.objects.only("title", "language").in_bulk(list(activity))
    for item in activity.values():
        item.story = stories[item.story.pk]
    return sorted(activity.values(), key=lambda item: item.story.title)


@dataclass
class Digest:
    person: User
    news: WeekNews
    region_top: list[Story]
    paths: list[LearnerPath]
    activity: list[StoryActivity]
    customer_words: list[Feedback] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing happened this week worth a mail (learning paths alone are no news)."""
        return not (self.news.top or self.region_top or self.news.standards or self.activity or self.customer_words)


def digest_for(person: User, news: WeekNews) -> Digest:
    """One person's digest: the week's news, their region's best, their paths and their stories' week."""
    region_id = person.store.region_id if person.store_id else None
    return Digest(
        person=person,
        news=news,
        region_top=news.region_top(region_id),
        paths=[path for path in learner_paths(person) if path.counted],
        activity=own_activity(person, news.start, news.end),
        customer_words=news.store_praise(person.store_id),
    )


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The mail, plain text and HTML, in the person's language (User.reading_language)."""
    person = digest.person
    unsubscribe = settings.SITE_URL + reverse("accounts:digest-unsubscribe", args=[unsubscribe_token(person.pk)])
    with translation.override(person.reading_language):
        context = {
            "digest": digest,
            "person": person,
            "site": settings.SITE_URL,
            "week": date_format(digest.news.week, "DATE_FORMAT"),
            "region": person.store.region if person.store_id else None,
            "unsubscribe_url": unsubscribe,
            "language": translation.get_language(),
        }
        subject = _("Your week on Service stories (week of %(date)s)") % {"date": context["week"]}
        # Template tags on lines of their own leave blank lines: at most one in a row.
        text = re.sub(r"\n{3,}", "\n\n", render_to_string("emails/digest.txt", context)).strip() + "\n"
        html = render_to_string("emails/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[person.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


# Sending


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    NO_EMAIL = "no e-mail address"
    OPTED_OUT = "turned off"
    NOTHING_NEW = "nothing new"


def digest_send(*, person: User, news: WeekNews) -> Outcome:
    """Send the person their digest for news.week, unless they already had it, turned it off or have no address.

    The DigestDelivery row is the decision: it is inserted (unique per person and
    week) under a lock on the person, and committed before the mail goes; if the
    mail fails the row is deleted again, so the next run tries once more. A crash
    between the two loses that person's digest for the week rather than send it twice.
    """
    if not person.email:
        logger.info("Weekly digest for %s (week of %s): skipped, no e-mail address.", person.username, news.week)
        return Outcome.NO_EMAIL
    if DigestDelivery.objects.filter(person=person, week=news.week).exists():
        return Outcome.ALREADY_SENT
    digest = digest_for(person, news)
    if digest.is_empty:
        logger.info("Weekly digest for %s (week of %s): nothing new, not sent.", person.username, news.week)
        return Outcome.NOTHING_NEW
    message = digest_message(digest)
    with transaction.atomic():
        current = User.objects.select_for_update().filter(pk=person.pk, is_active=True).first()
        if current is None or not current.weekly_digest or not current.email:
            return Outcome.OPTED_OUT
        delivery, created = DigestDelivery.objects.get_or_create(person=person, week=news.week)
        if not created:
            return Outcome.ALREADY_SENT
    try:
        message.send()
    except Exception:
        DigestDelivery.objects.filter(pk=delivery.pk).delete()
        raise
    logger.info("Weekly digest for %s (week of %s): sent.", person.username, news.week)
    return Outcome.SENT


class DigestsFailed(Exception):
    """Some digests of a batch could not be sent (each is logged); the others were."""


def digests_send_batch(*, user_ids: list[int], week: date) -> dict[str, int]:
    """Send the week's digest to each of these people; one failure does not stop the others.

    Returns how many ended each way; raises DigestsFailed at the end if any mail failed.
    """
    news = week_news(week)
    counts = {outcome.value: 0 for outcome in Outcome}
    failed = []
    for person in User.objects.filter(pk__in=user_ids).select_related("store__region").order_by("pk"):
        try:
            counts[digest_send(person=person, news=news)] += 1
        except Exception:
            logger.exception("Weekly digest for %s (week of %s): sending failed.", person.username, week)
            failed.append(person.username)
    if failed:
        raise DigestsFailed(f"Weekly digest not sent to {', '.join(failed)} (week of {week}); {counts}")
    return counts


@dataclass
class Recipients:
    """Who a run for a week concerns, among the active people who want the digest."""

    week: date
    to_send: list[User]
    no_email: list[User]
    already_sent: list[User]


def digest_recipients(*, week: date, usernames: list[str] | None = None) -> Recipients:
    """Active people with the digest on, split into those to send to, those without address, those already served."""
    people = (
        User.objects.filter(is_active=True, weekly_digest=True)
        .annotate(sent=Exists(DigestDelivery.objects.filter(person=OuterRef("pk"), week=week)))
        .order_by("username")
    )
    if usernames is not None:
        people = people.filter(username__in=usernames)
    recipients = Recipients(week=week, to_send=[], no_email=[], already_sent=[])
    for person in people:
        if person.sent:
            recipients.already_sent.append(person)
        elif not person.email:
            recipients.no_email.append(person)
        else:
            recipients.to_send.append(person)
    return recipients
