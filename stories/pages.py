"""What the feed, store and story pages show, as the plain values their fragments are drawn from.

Each fragment (config/fragments.py) is a template and a dictionary of values read
from the database on this request; its cached HTML is found by those values, so it
always shows them. What differs per reader is either one of the values (their side of
a vote button, their own comments) or drawn live by the page around the fragments.
"""

import re
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext, ngettext

from accounts.models import person_name
from config.context_processors import render_page_fragments
from config.fragments import Fragment
from stories.forms import CommentForm, FeedFilterForm, TriedForm
from stories.models import TAG_PART, TAG_SEP, Comment, Pillar, Story, card_rows
from stories.search import highlight_prefixes
from stories.services import can_try

CARD_TEMPLATE = "stories/includes/story_card.html"


def pillar_label(name: str | None, name_fr: str | None) -> str:
    """A pillar's name in the page's language (Pillar.label, from a row's values)."""
    return name_fr if name_fr and get_language() == "fr" else name or ""


def split_tags(joined: str | None) -> list[tuple[str, str]]:
    """(slug, name) pairs from a card row's joined tags (stories.models.card_rows), by name."""
    pairs = [tuple(tag.split(TAG_PART, 1)) for tag in joined.split(TAG_SEP)] if joined else []
    return sorted(pairs, key=lambda pair: pair[1])


# Story cards (the feed, a store's guestbook).

EXCERPT_CHARS = 160
MARKDOWN_MARKS = re.compile(r"!\[[^\]]*\]\([^)]*\)|[*_`>#~|]+|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def excerpt(markdown: str | None, chars: int = EXCERPT_CHARS) -> str:
    """The story's first words as plain text: Markdown marks and links' targets removed, cut at a word."""
    text = MARKDOWN_LINK.sub(r"\1", markdown or "")
    text = " ".join(MARKDOWN_MARKS.sub(" ", text).split())
    return Truncator(text).chars(chars)


def vote_values(*, pk: int, vote_count: int, user_voted: bool, own: bool) -> dict:
    """What a story's vote button shows to this reader (stories/includes/vote_button.html)."""
    votes = ngettext("%(counter)s vote", "%(counter)s votes", vote_count) % {"counter": vote_count}
    return {"vote_url": reverse("stories:vote", args=[pk]), "votes_text": votes, "user_voted": user_voted, "own": own}


def draw_card(values: dict) -> dict:
    """The card's context, from its values (card_fragments): texts and links written here, when a card is drawn.

    Cheaper than the template engine's tags for the page's most drawn fragment.
    """
    row, feed_url = values["row"], reverse("stories:feed")
    pk, comments, tried, store_slug = row["pk"], row["comment_count"], row["tried_count"], row["store_slug"]
    author = [row[f"author_{name}"] for name in ("display_name", "first_name", "last_name", "username")]
    story = {
        **{name: row[name] for name in ("pk", "kind", "title", "published_at", "author_is_referent", "cover_alt")},
        "kind_label": str(Story.Kind(row["kind"]).label),
        "url": reverse("stories:detail", args=[pk]),
        "excerpt": excerpt(row["body_start"]),
        "age": timesince(row["published_at"], values["now"], depth=1),
        "byline": gettext("by %(author)s") % {"author": person_name(*author, pk=row["author_id"])},
        "store_name": row["store_name"] or "",
        "store_url": reverse("stories:store", args=[store_slug]) if store_slug else "",
        "pillar": pillar_label(row["pillar_name"], row["pillar_name_fr"]),
        "comments_text": ngettext("%(counter)s comment", "%(counter)s comments", comments) % {"counter": comments},
        "tried_text": ngettext("%(counter)s store tried it", "%(counter)s stores tried it", tried) % {"counter": tried},
        "tag_links": [(name, f"{feed_url}?tag={slug}") for slug, name in split_tags(row["tags_joined"])],
        "cover_url": reverse("stories:photo", args=[row["cover_pk"], "thumb"]) if row["cover_pk"] else "",
    }
    story |= vote_values(pk=pk, vote_count=row["vote_count"], user_voted=row["user_voted"], own=values["own"])
    if values.get("marks"):  # a search's matched words, escaped then marked (stories/search.py)
        story["title_html"] = highlight_prefixes(row["title"], values["marks"])
        story["excerpt_html"] = highlight_prefixes(story["excerpt"], values["marks"])
    return {"story": story}


def card_fragments(rows: list[dict], *, reader, marks: list[str] | None = None) -> list[Fragment]:
    """The cards of these rows (stories.models.card_rows), in order.

    A card's key is its row as read on this request (every value it shows, the reader's
    vote included), whether the reader wrote it, and the minute its age is told from; when
    searching, also `marks`, the word starts to highlight (stories.search.mark_prefixes), so a
    searched card is cached apart from the plain one.
    """
    now = timezone.now().replace(second=0, microsecond=0)
    marked = {"marks": list(marks)} if marks else {}
    return [
        Fragment(CARD_TEMPLATE, {"row": row, "own": row["author_id"] == reader.pk, "now": now, **marked}, draw_card)
        for row in rows
    ]


def feed_filters_fragment(filters: dict) -> Fragment:
    """The feed's filter form with the current filters chosen (FeedFilterForm.filters()): its key is the
    filters and the pillars' names; draw_feed_filters writes the choices' labels and the chips."""
    pillar = filters.get("pillar")
    chosen = {name: value for name, value in filters.items() if name != "pillar"}
    values = {
        "filters": {**chosen, "pillar": pillar.slug if pillar else ""},
        "pillars": list(Pillar.objects.values_list("slug", "name", "name_fr")),
    }
    return Fragment("stories/includes/feed_filters.html", values, draw_feed_filters)


def draw_feed_filters(values: dict) -> dict:
    choices = {
        "pillars": [(slug, pillar_label(name, name_fr)) for slug, name, name_fr in values["pillars"]],
        "sorts": [(value, str(label)) for value, label in FeedFilterForm.SORTS],
        "periods": [(value, str(label)) for value, label in FeedFilterForm.PERIODS],
        "kinds": [(value, str(label)) for value, label in FeedFilterForm.base_fields["kind"].choices],
    }
    return {"filters": values["filters"], **choices, "chips": filter_chips(values["filters"], choices)}


FILTER_DEFAULTS = {"sort": "hot", "period": "all"}
CHIP_ORDER = ["q", "sort", "period", "kind", "pillar", "store", "region", "tag"]


def filter_chips(chosen: dict, choices: dict) -> list[tuple[str, str]]:
    """The active filters as (text, link that removes it), for the chips above the feed."""
    active = {
        name: str(chosen[name])
        for name in CHIP_ORDER
        if chosen.get(name) and str(chosen[name]) != FILTER_DEFAULTS.get(name)
    }
    labels = {name: dict(choices[f"{name}s"]) for name in ("sort", "period", "kind", "pillar")}
    names = {
        "q": gettext("Search: %(value)s"),
        "store": gettext("Store: %(value)s"),
        "region": gettext("Region: %(value)s"),
        "tag": gettext("Tag: %(value)s"),
    }
    feed_url = reverse("stories:feed")
    chips = []
    for name, value in active.items():
        text = labels[name].get(value, value) if name in labels else names[name] % {"value": value}
        rest = {other: kept for other, kept in active.items() if other != name}
        chips.append((text, f"{feed_url}?{urlencode(rest)}" if rest else feed_url))
    return chips


# A story page.


def body_values(story: Story, names: dict, *, show_standard: bool) -> dict:
    """The story as everyone sees it: text, byline, photos, tags, the standard it inspired, what customers said.

    `names`: the story's card row (stories.models.card_rows), for its author's, store's and pillar's names.
    """
    photos = story.photos.all() if names["cover_pk"] else []
    return {
        "story": {
            "pk": story.pk,
            "kind": story.kind,
            "kind_label": str(story.get_kind_display()),
            "status": story.status,
            "title": story.title,
            "body_html": story.body_html,
            "published_at": story.published_at,
            "author_name": person_name(
                *[names[f"author_{name}"] for name in ("display_name", "first_name", "last_name", "username")],
                pk=story.author_id,
            ),
            "author_username": names["author_username"],
            "author_is_referent": story.author_is_referent,
            "store_name": names["store_name"] or "",
            "store_slug": names["store_slug"] or "",
            "region_name": names["region_name"] or "",
            "pillar_slug": names["pillar_slug"] or "",
            "pillar_label": pillar_label(names["pillar_name"], names["pillar_name_fr"]),
            "tags": split_tags(names["tags_joined"]),
        },
        "photos": [(photo.url, photo.thumbnail_url, photo.alt_text, photo.width, photo.height) for photo in photos],
        "standard": (story.standard_title, story.standard_slug) if show_standard else None,
        "customer_words": [
            (words.get("source", ""), words.get("date", ""), words.get("store", ""), words.get("text", ""))
            for words in story.customer_words or []
        ],
    }


def comment_values(comment: Comment, *, reader_id: int, now: datetime) -> dict:
    author = comment.author
    return {
        "pk": comment.pk,
        "status": comment.status,
        "author_name": author.name,
        "author_username": author.username,
        "author_store": author.store.name if author.store else "",
        "created_at": comment.created_at,
        "age": timesince(comment.created_at, now),
        "edited": comment.edited_at is not None,
        "body_html": comment.body_html,
        "own": comment.author_id == reader_id,
        "replies": [],
    }


def discussion_values(story: Story, comments: list[Comment], *, reader, can_react: bool) -> dict:
    """The story's comments in threads (one level of replies), as this reader sees them."""
    now = timezone.now()
    threads: dict[int, dict] = {}
    for comment in comments:
        values = comment_values(comment, reader_id=reader.pk, now=now)
        if comment.parent_id is None:
            threads[comment.pk] = values
        elif comment.parent_id in threads:
            threads[comment.parent_id]["replies"].append(values)
    return {
        "story_pk": story.pk,
        "threads": list(threads.values()),
        "can_react": can_react,
        "can_moderate": reader.has_perm("stories.moderate_story"),
    }


COMMENT_THREADS = 50  # a very long discussion is shown this many threads at a time


def story_threads(story: Story, page: int) -> tuple[list[Comment], bool]:
    """One page of the story's threads (COMMENT_THREADS first comments, each with its replies), in one query,
    and whether more threads follow."""
    start = (min(page, 1000) - 1) * COMMENT_THREADS
    threads = story.comments.filter(parent=None).order_by("created_at", "pk").values("pk")
    threads = threads[start : start + COMMENT_THREADS + 1]
    comments = list(story.comments.for_story_page().filter(Q(pk__in=threads) | Q(parent_id__in=threads)))
    tops = [comment for comment in comments if comment.parent_id is None]
    if len(tops) <= COMMENT_THREADS:
        return comments, False
    extra = tops[-1].pk  # the first thread of the next page: only here to say there is one
    return [c for c in comments if extra not in (c.pk, c.parent_id)], True


def story_page_context(
    request: HttpRequest, story: Story, *, comment_form: CommentForm | None = None, tried_form: TriedForm | None = None
) -> dict:
    """What stories/detail.html shows: two fragments (the story, its comments) and the reader's own parts.

    `story` comes from stories.access.get_story_for_user. A form sent back with its
    errors replaces the empty one.
    """
    user = request.user
    can_react = story.status == Story.Status.PUBLISHED
    can_manage_standards = user.has_perm("practices.manage_standards")
    show_standard = bool(story.standard_slug) and (story.standard_status != "draft" or can_manage_standards)
    names = card_rows([story.pk], reader_id=user.pk)[0]
    comments_page = max(_int(request.GET.get("comments")) or 1, 1)
    comments, more_comments = story_threads(story, comments_page) if names["has_discussion"] else ([], False)
    tries = list(story.tries.select_related("store")) if story.tried_count else []
    threads = {comment.pk: comment for comment in comments if comment.parent_id is None}
    reply_to = threads.get(_int(request.GET.get("reply_to")))
    tried = (
        can_react and can_try(story=story, store_id=user.store_id) and all(t.store_id != user.store_id for t in tries)
    )
    parts = [
        Fragment("stories/includes/story_body.html", body_values(story, names, show_standard=show_standard)),
        Fragment(
            "stories/includes/comments.html", discussion_values(story, comments, reader=user, can_react=can_react)
        ),
    ]
    # Empty forms' fields are the same for everyone in a language; a form sent back with errors is drawn live.
    if comment_form is None:
        parts.append(Fragment(COMMENT_FIELDS, {"parent": reply_to.pk if reply_to else None}, draw_comment_fields))
    if tried and tried_form is None:
        parts.append(Fragment(TRIED_FIELDS, {"store": user.store.name}, draw_tried_fields))
    body_html, comments_html, *fields = render_page_fragments(request, parts)
    comment_fields = fields.pop(0) if comment_form is None else ""
    tried_fields = fields.pop(0) if tried and tried_form is None else ""
    return {
        "story": story,
        "vote": vote_values(
            pk=story.pk, vote_count=story.vote_count, user_voted=names["user_voted"], own=story.author_id == user.pk
        ),
        "body_html": body_html,
        "comments_html": comments_html,
        "comments_prev_url": f"?comments={comments_page - 1}#comments" if comments_page > 1 else "",
        "comments_next_url": f"?comments={comments_page + 1}#comments" if more_comments else "",
        "tries": tries,
        "can_try": tried,
        "can_react": can_react,
        "can_edit": story.can_edit(user),
        "can_moderate": user.has_perm("stories.moderate_story"),
        "can_see_history": story.can_see_history(user),
        "reply_to": reply_to,
        "comment_form": comment_form,
        "comment_fields": comment_fields,
        "tried_form": tried_form,
        "tried_fields": tried_fields,
    }


COMMENT_FIELDS = "stories/includes/comment_fields.html"
TRIED_FIELDS = "stories/includes/tried_fields.html"


def draw_comment_fields(values: dict) -> dict:
    return {"form": CommentForm(initial={"parent": values["parent"]} if values["parent"] else None)}


def draw_tried_fields(values: dict) -> dict:
    return {"form": TriedForm(), "store": values["store"]}


def _int(value: str | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
