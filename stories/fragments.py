"""Parts of story pages rendered once and kept in the cache: feed cards, a story's body, a story page's content.

Rendering twenty cards through the template engine and loading their tags and
photos was most of a feed request; the body, photos and tags were a good part of
a story page. Each fragment's HTML is a function of a few values, and all of them
are in its cache key, so a cached fragment is never out of date for what the
page must get right:

- the story's row (title, text, kind, pillar, language, tags and photos: every
  edit saves the story and moves `updated_at`), its status, and its counters;
- whether its author is a referent (the mark by their name), read in the same query;
- the language of the page, and for a card how long ago it was published as the
  card says it, and the viewer's side of the vote button (own story, voted, not);
- for a story page's content, the versions of the story's row and discussion
  (stories.listing), which every write that changes them moves, and the viewer's
  side of the page (story_page_facts).

What differs per request rather than per fragment (the CSRF token and the page to
come back to after a vote without JavaScript) is left in the cached HTML as a
marker and filled in on the way out. The names of the author, store, pillar and tags
are shown but not versioned: renaming one of those reaches cached fragments when they
expire (FRAGMENT_TIMEOUT, plus PAGE_TIMEOUT for a whole page put together from
them: together well under the life of a signed photo URL).
When the cache fails (Redis down), pages are slower, never broken.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from taggit.models import Tag, TaggedItem

from config.cache import cache_get_many, cache_set_many, generation_get, generation_set
from config.fragments import fill_many, markers, markers_version
from stories import listing
from stories.forms import CommentForm, FeedFilterForm, TriedForm
from stories.models import Pillar, Story, StoryPhoto

# Bump when a cached template (story_card.html, vote_button.html, story_body.html) changes.
FRAGMENT_VERSION = 5
FRAGMENT_TIMEOUT = 10 * 60
# Whole pages (a feed page's cards joined, a story page's content) vary with more (every vote, every minute
# of a fresh story's age): they are kept a short while, and put together again from longer-lived parts.
PAGE_TIMEOUT = 2 * 60
DAY = 24 * 3600


def _key(kind: str, pk: int, *parts) -> str:
    # The script prefix too: the HTML holds URLs, and a site may be served under more than one.
    digest = hashlib.blake2b(repr((get_script_prefix(), parts)).encode(), digest_size=12).hexdigest()
    return f"story-{kind}:{FRAGMENT_VERSION}:{markers_version()}:{pk}:{digest}"


# Slots: the latest rendering of a whole page, stored with the facts it was rendered for and read in the
# page's first round trip with its rows, so that a reader with the same facts needs no second read. Each
# page has a slot shared by its most common readers (who have not voted on it, wrote none of it and
# moderate nothing), and a slot for each other reader (kept PAGE_TIMEOUT: only people reading right now).
# Anyone else gets the entry keyed by their own facts. A slot is only a shortcut, used only for equal facts.


def _slots(kind: str, pk: int, user, *parts) -> tuple[str, str]:
    """The shared slot and this reader's own slot of a page."""
    shared = _key(kind, pk, *parts)
    return shared, f"{shared}:{user.pk}"


def _slot_html(found: dict | None, slots: tuple[str, str] | None, facts) -> str | None:
    for slot in slots if found is not None and slots is not None else ():
        entry = found.get(slot)
        if entry is not None and entry[0] == facts:
            return entry[1]
    return None


def _slot_set(slots: tuple[str, str] | None, facts, html: str, *, common: bool) -> None:
    if slots is not None:
        cache_set_many({slots[0] if common else slots[1]: (facts, html)}, timeout=PAGE_TIMEOUT)


def story_tags(pks: Iterable[int]) -> dict[int, list[Tag]]:
    """Each story's tags by name, in one query (taggit's prefetch makes two and costs much more)."""
    tags: dict[int, list[Tag]] = {pk: [] for pk in pks}
    items = (
        TaggedItem.objects.filter(content_type__app_label="stories", content_type__model="story", object_id__in=tags)
        .select_related("tag")
        .order_by("tag__name")
    )
    for item in items:
        tags[item.object_id].append(item.tag)
    return tags


# Feed cards.


def vote_state(story: Story, user_pk: int) -> str:
    """The viewer's side of the vote button: their own story, voted, or not."""
    if story.author_id == user_pk:
        return "own"
    return "voted" if story.user_voted else "not-voted"


def age_bucket(published_at: datetime, now: datetime) -> tuple[str, int]:
    """A value that changes whenever the card's "… ago" text (timesince, two adjacent units) can.

    Under a day the text counts minutes, under a week hours; beyond, days, weeks,
    months and years all turn over at a whole number of days after publication.
    Cheaper than timesince itself, which only runs for the cards being rendered.
    """
    seconds = int((now - published_at).total_seconds())
    if seconds < DAY:
        return ("minutes", seconds // 60)
    if seconds < 7 * DAY:
        return ("hours", seconds // 3600)
    return ("days", seconds // DAY)


def card_facts(story: Story, *, user_pk: int, now: datetime) -> tuple:
    """Everything a card's HTML depends on but the language: the cache key is made of these."""
    return (
        story.pk,
        story.updated_at.timestamp(),  # a float's repr costs far less than a datetime's, in every key
        story.status,
        story.vote_count,
        story.comment_count,
        story.author_is_referent,
        age_bucket(story.published_at, now),
        vote_state(story, user_pk),
    )


def _render_cards(missing: Sequence[Story], *, user, now: datetime) -> dict[int, str]:
    """Render the cards not in the cache: one query for the stories, one each for tags and photos."""
    fields = ["kind", "title", "author", "store", "pillar", "status", "published_at", "vote_count", "comment_count"]
    full = Story.objects.select_related("author", "store", "pillar").only(*fields).in_bulk([s.pk for s in missing])
    tags = story_tags(full)
    covers: dict[int, StoryPhoto] = {}
    for photo in StoryPhoto.objects.filter(story_id__in=list(full)).order_by("position", "pk"):
        covers.setdefault(photo.story_id, photo)
    rendered = {}
    for story in missing:
        card = full.get(story.pk)
        if card is None:
            continue  # deleted outright since the list was read
        card.user_voted, card.author_is_referent = story.user_voted, story.author_is_referent
        context = {
            "story": card,
            "user": user,
            "age": timesince(story.published_at, now),
            "cover": covers.get(card.pk),
            "tags": tags[card.pk],
            **markers(),
        }
        rendered[story.pk] = render_to_string("stories/includes/story_card.html", context)
    return rendered


def _cards(stories: Sequence[Story], facts: list[tuple], *, user, language: str, now: datetime) -> list[str]:
    """Each story's card with markers, from its own cache entry or rendered."""
    keys = {story.pk: _key("card", story.pk, language, *facts[n]) for n, story in enumerate(stories)}
    cached = cache_get_many(list(keys.values()))
    html = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [story for story in stories if story.pk not in html]
    if missing:
        fresh = _render_cards(missing, user=user, now=now)
        cache_set_many({keys[pk]: card for pk, card in fresh.items()}, timeout=FRAGMENT_TIMEOUT)
        html.update(fresh)
    return [html.get(story.pk, "") for story in stories]


def render_cards(request: HttpRequest, stories: Sequence[Story]) -> list[SafeString]:
    """The HTML card of each of `stories` (from for_cards(), with user_voted for the viewer), in order.

    A story deleted outright since the list was read gets an empty string.
    """
    if not stories:
        return []
    now, user = timezone.now(), request.user
    facts = [card_facts(story, user_pk=user.pk, now=now) for story in stories]
    return fill_many(_cards(stories, facts, user=user, language=get_language(), now=now), request)


def card_list_slots(request: HttpRequest, list_key: tuple) -> tuple[str, str]:
    """The slots of a list's joined cards (`list_key` names the list, its filters and page) in this language."""
    return _slots("cards-slot", 0, request.user, get_language(), list_key)


def render_card_list(
    request: HttpRequest,
    stories: Sequence[Story],
    *,
    found: dict | None = None,
    slots: tuple[str, str] | None = None,
    around: Callable[[str], str] | None = None,
    around_facts: tuple = (),
) -> SafeString:
    """The cards of `stories` joined in order, as render_cards gives them, from one cache entry for the whole list.

    Everyone who sees these cards the same way (language, their side of each vote
    button) shares the entry; reading one entry instead of twenty was a good part of
    a warm feed page. A list with a card not in the cache is put together from the
    cards' own entries. `around(cards)`, if given, draws the rest of the page's
    content around the cards (with markers), and what it depends on beyond them is
    `around_facts`. The `slots` (card_list_slots) hold the whole of it and, read
    into `found` with the list's rows, spare most reads of the page a second round trip.
    """
    if not stories:
        return fill_many([around("") if around else ""], request)[0]
    now, user, language = timezone.now(), request.user, get_language()
    facts = [card_facts(story, user_pk=user.pk, now=now) for story in stories]
    slot_facts = (facts, around_facts)
    html = _slot_html(found, slots, slot_facts)
    if html is None:
        key = _key("cards", 0, language, facts)
        html = cache_get_many([key]).get(key)
        if html is None:
            html = "".join(_cards(stories, facts, user=user, language=language, now=now))
            cache_set_many({key: html}, timeout=PAGE_TIMEOUT)
        if around is not None:
            html = around(html)
        common = all(story_facts[-1] == "not-voted" for story_facts in facts)
        _slot_set(slots, slot_facts, html, common=common)
    return fill_many([html], request)[0]


# A story page's body.


def render_story_body(story: Story) -> SafeString:
    """The story as everyone sees it (meta, title, byline, text, photos, tags), from the cache when it can.

    `story` comes with author_is_referent (StoryQuerySet.with_author_referent), which the byline shows.
    """
    referent = story.author_is_referent
    key = _key("body", story.pk, story.updated_at, story.status, referent, get_language())
    html = cache_get_many([key]).get(key)
    if html is None:
        story = Story.objects.select_related("author", "store__region", "pillar").get(pk=story.pk)
        context = {
            "story": story,
            "photos": list(story.photos.all()),
            "tags": story_tags([story.pk])[story.pk],
            "author_is_referent": referent,
        }
        html = render_to_string("stories/includes/story_body.html", context)
        cache_set_many({key: html}, timeout=FRAGMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (our template's output)


# A story page's content.


def _writes_in(story: Story, user, comments: Sequence) -> bool:
    """Whether the person wrote the story or one of its comments: the page then differs for them alone."""
    return story.author_id == user.pk or any(comment.author_id == user.pk for comment in comments)


def story_page_facts(request: HttpRequest, context: dict, comments: Sequence, versions: tuple) -> tuple:
    """Everything the content of a story page depends on: the cache key is made of these.

    The versions of the story's row and of its discussion (stories.listing), which
    every write that changes them moves; the language; how long ago each comment was
    written, as the page says it; and the viewer's side: their vote, what they may
    do, their store and whether it tried the idea, and who they are only where the
    page differs for them alone (their own story, their own comments).
    """
    story, user = context["story"], request.user
    store = user.store
    own = _writes_in(story, user, comments)
    now = timezone.now()
    return (
        story.pk,
        *versions,
        get_language(),
        user.pk if own else None,
        story.user_voted,
        context["can_react"],
        context["can_edit"],
        context["can_moderate"],
        context["can_see_history"],
        context["can_manage_standards"],
        # The store names the "we tried it" button, shown only to a store that has not tried it yet.
        (store.pk, store.name) if store and not context["my_store_tried"] else None,
        context["my_store_tried"],
        tuple(age_bucket(comment.created_at, now) for comment in comments),
    )


def story_page_slots(request: HttpRequest, story_pk: int) -> tuple[str, str]:
    """The slots of a story page's content, for its readers of this language and store."""
    return _slots("page-slot", story_pk, request.user, get_language(), request.user.store_id)


def render_story_page(
    request: HttpRequest,
    context: dict,
    *,
    comments: Sequence,
    versions: tuple | None,
    found: dict | None = None,
    slots: tuple[str, str] | None = None,
) -> SafeString:
    """A story page's content for this viewer (stories/detail.html#story-page), from the cache when it can.

    Everyone who sees the page the same way (story_page_facts) shares one entry. It is
    only cached for a published story whose row and discussion came with versions
    (`versions`, else None), and with the empty forms: a form sent back with its errors
    is rendered for that request alone. Its `slots` (story_page_slots), read into
    `found` with the story's row, spare most reads of it a second round trip.
    """
    story, user = context["story"], request.user
    key = facts = html = None
    if versions is not None and None not in versions and context["can_react"]:
        facts = story_page_facts(request, context, comments, versions)
        html = _slot_html(found, slots, facts)
        if html is not None:
            return fill_many([html], request)[0]
        key = _key("page", story.pk, facts)
        html = cache_get_many([key]).get(key)
    if html is None:
        page_context = {
            **context,
            "comment_form": context["comment_form"] or CommentForm(),
            "tried_form": context["tried_form"] or TriedForm(),
            "story_body": render_story_body(story),
            "user": user,
            **markers(),
        }
        html = render_to_string("stories/detail.html#story-page", page_context)
        if key is not None:
            cache_set_many({key: html}, timeout=PAGE_TIMEOUT)
    if key is not None:
        special = (
            _writes_in(story, user, comments)
            or story.user_voted
            or context["can_moderate"]
            or context["can_manage_standards"]
        )
        _slot_set(slots, facts, html, common=not special)
    return fill_many([html], request)[0]


# The feed's filter form.


def feed_filters_key(filters: dict) -> str:
    values = sorted((name, getattr(value, "pk", value)) for name, value in filters.items())
    return _key("filters", 0, get_language(), values)


def render_feed_filters(filters: dict, found: dict, key: str) -> SafeString:
    """The feed's filter form with the current filters chosen, from the cache when it can.

    `found` is a cache read that asked for `key` (feed_filters_key(filters)) and the
    lists' generation (with the page's rows: one round trip). The form lists the pillars,
    so it is stored with the generation of the lists of stories, which a pillar
    added or renamed starts anew (stories.listing.lists_changed).
    """
    html, generation = generation_get(key, listing.GENERATION_KEY, found)
    if html is None:
        context = {"form": FeedFilterForm(), "filters": filters, "pillars": Pillar.objects.all()}
        html = render_to_string("stories/feed.html#feed-filters", context)
        generation_set(key, html, generation, timeout=FRAGMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (our template's output)
