"""Rows many requests read, kept in the cache: feed pages, a person's votes, a story page's story and discussion.

A page of the feed costs little in SQL but a lot in Python: building the query and
the rows was a third of a warm feed request. The rows are the same for everyone who
asks for the same filters and page; only whether the reader voted for each differs.
So the rows are cached with the generation of the lists they were read at, and every
write that changes what a list shows or its order calls `lists_changed()`: a story
published, edited, hidden, deleted or restored, a vote, a comment, a "we tried it",
an author made or unmade referent, a pillar changed. The next reader of each page
then reads it again from the database. Pages filtered by period (this week…) also
move with time alone, hence a short timeout as well.

The same way, with a generation of their own:
- each person's set of voted stories, which gives every cached row its `user_voted`
  (`votes_changed`);
- each story's row as its page shows it (`stories_changed`) and its discussion,
  comments and "we tried it" (`discussion_changed`).

Names shown (authors, stores) are not versioned: a rename reaches the cache when it
expires, as for cards (stories.fragments).
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from django.http import HttpRequest

from config.cache import cache_get_many, generation_changed, generation_get, generation_set
from config.fragments import page_read
from stories.models import Comment, Story, Tried, Vote

# Bump when what the cached rows carry changes (fields, annotations): rows from before a deploy are not read.
ROWS_VERSION = 2
LIST_TIMEOUT = 60
ROW_TIMEOUT = 10 * 60
GENERATION_KEY = "stories:lists-generation"
# Generations of one person's or one story's rows: forgotten after a day like the rows they stamp.
VERSION_TIMEOUT = 24 * 3600


def lists_changed() -> None:
    """Something a list of stories shows changed: every cached page is out of date."""
    generation_changed(GENERATION_KEY)


def lists_migrated(**kwargs) -> None:
    """Signal receiver (post_migrate): a data migration may have changed what lists show."""
    lists_changed()


# Whom a person voted for.


def _voted_keys(user_id: int) -> tuple[str, str]:
    return f"stories:voted:{ROWS_VERSION}:{user_id}", f"stories:voted-version:{user_id}"


def votes_changed(user_id: int) -> None:
    """The person voted or withdrew a vote."""
    generation_changed(_voted_keys(user_id)[1], timeout=VERSION_TIMEOUT)


def _voted(user, found: dict) -> frozenset[int]:
    """The stories the person voted for, from `found` (a cache read that asked for _voted_keys) or the database."""
    key, version_key = _voted_keys(user.pk)
    voted, version = generation_get(key, version_key, found, timeout=VERSION_TIMEOUT)
    if voted is None:
        voted = frozenset(Vote.objects.filter(user_id=user.pk).values_list("story_id", flat=True))
        generation_set(key, voted, version, timeout=ROW_TIMEOUT)
    return voted


# Feed pages.


class ListedStory(NamedTuple):
    """A story as a cached list keeps it: what finds its card (stories.fragments.card_facts), and its title.

    A plain tuple, because reading twenty model instances back from the cache
    (Model.__setstate__) cost more than everything else in the cached page.
    """

    pk: int
    title: str
    author_id: int
    status: str
    updated_at: datetime
    published_at: datetime
    vote_count: int
    comment_count: int
    author_is_referent: bool
    user_voted: bool = False

    @classmethod
    def of(cls, story: Story) -> "ListedStory":
        """`story`, from Story.objects.for_cards()."""
        return cls(
            story.pk,
            story.title,
            story.author_id,
            story.status,
            story.updated_at,
            story.published_at,
            story.vote_count,
            story.comment_count,
            story.author_is_referent,
        )


def cached_page(
    request: HttpRequest, key: tuple, compute: Callable[[], tuple[list[Story], bool]], *, also: Sequence[str] = ()
) -> tuple[list[ListedStory], bool, dict]:
    """`compute()`'s page of stories (from for_cards()) and whether another follows, from the cache when current.

    `key` names the list, its filters and the page (plain values). Each story comes
    as a ListedStory with `user_voted` for the person, so the rows need not come
    with_user_vote. The keys in `also` are read in the same round trip (the page's
    first: config.fragments.page_read), and that read comes back third (it has the
    lists' generation too).
    """
    user = request.user
    list_key = f"stories:list:{ROWS_VERSION}:" + hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    found = page_read(request, [list_key, GENERATION_KEY, *_voted_keys(user.pk), *also])
    page, generation = generation_get(list_key, GENERATION_KEY, found)
    if page is None:
        stories, has_next = compute()
        page = ([ListedStory.of(story) for story in stories], has_next)
        generation_set(list_key, page, generation, timeout=LIST_TIMEOUT)
    rows, has_next = page
    voted = _voted(user, found)
    rows = [row._replace(user_voted=True) if row.pk in voted else row for row in rows]
    return rows, has_next, found


# A story page's story: what the page shows around its body (stories.access.PAGE_FIELDS).


def _story_keys(story_pk: int) -> tuple[str, str]:
    return f"stories:page-story:{ROWS_VERSION}:{story_pk}", f"stories:page-story-version:{story_pk}"


def stories_changed(story_pks: Iterable[int]) -> None:
    """These stories' rows changed: text, status, votes, the standard they inspired, their author's roles."""
    generation_changed(*(_story_keys(pk)[1] for pk in story_pks), timeout=VERSION_TIMEOUT)


def cached_story(
    request: HttpRequest, story_pk: int, *, load: Callable[[], Story], also: Sequence[str] = ()
) -> tuple[Story, dict]:
    """A story for its page, with `user_voted` for the person: from the cache when it is published and current.

    `load()` reads it from the database, checking the person may see it (404
    otherwise); only a published story, which everyone may see, is kept. The story
    comes with `cache_version`, the version of its row it belongs to (None when it
    is not kept). Also returns the cache read, which has the story's discussion
    too, for story_discussion, and the keys in `also`: one round trip for all, the page's first.
    """
    user = request.user
    key, version_key = _story_keys(story_pk)
    found = page_read(request, [key, version_key, *_voted_keys(user.pk), *_discussion_keys(story_pk), *also])
    story, version = generation_get(key, version_key, found, timeout=VERSION_TIMEOUT)
    if story is None:
        story = load()
        if story.status != Story.Status.PUBLISHED:
            story.cache_version = None
            return story, found
        generation_set(key, story, version, timeout=ROW_TIMEOUT)
    story.user_voted = story.pk in _voted(user, found)
    story.cache_version = version
    return story, found


# A story page's discussion: its comments (with their authors) and the stores that tried it.


def _discussion_keys(story_pk: int) -> tuple[str, str]:
    return f"stories:discussion:{ROWS_VERSION}:{story_pk}", f"stories:discussion-version:{story_pk}"


def discussion_changed(story_pk: int) -> None:
    """A comment was added, edited, deleted or hidden, or a store tried the idea."""
    generation_changed(_discussion_keys(story_pk)[1], timeout=VERSION_TIMEOUT)


def story_discussion(story: Story, found: dict | None = None) -> tuple[list[Comment], list[Tried], str | None]:
    """The story's comments (authors and their stores loaded) and tries (stores loaded), from the cache when it can.

    Also the version of the discussion they belong to (None when the cache fails).
    `found`: a cache read that asked for the discussion's keys (cached_story's), if any.
    """
    key, version_key = _discussion_keys(story.pk)
    if found is None:
        found = cache_get_many([key, version_key])
    discussion, version = generation_get(key, version_key, found, timeout=VERSION_TIMEOUT)
    if discussion is None:
        discussion = (list(story.comments.for_story_page()), list(story.tries.select_related("store")))
        generation_set(key, discussion, version, timeout=ROW_TIMEOUT)
    comments, tries = discussion
    return comments, tries, version
