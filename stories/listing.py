"""Rows many requests read: pages of the feed, kept until any story changes, and story pages' discussions.

A page of the feed costs little in SQL but a lot in Python: building the query and
the rows was a third of a warm feed request. The rows are the same for everyone who
asks for the same filters and page; only whether the reader voted for each differs.
So the rows are cached, stamped with the generation of the lists they were read at,
and every write that changes what a list shows or its order calls `lists_changed()`:
a story published, edited, hidden, deleted or restored, a vote, a comment, a "we
tried it", an author made or unmade referent. The next reader of each page then
reads it again from the database. Pages filtered by period (this week…) also move
with time alone, hence a short timeout as well.

Which of the listed stories the reader voted for comes from the set of stories they
voted for, cached for each person and forgotten when they vote (`votes_changed`).

A story page's discussion (comments and "we tried it") is cached for each story and
forgotten by every write to it (`discussion_changed`). Names shown in it (authors,
stores) are not versioned: a rename reaches the cache when it expires, as for cards.
"""

import hashlib
from collections.abc import Callable

from config.cache import cache_forget, cache_get_many, cache_set_many, generation_changed, generation_start
from stories.models import Comment, Story, Tried, Vote

LIST_TIMEOUT = 60
VOTED_TIMEOUT = 10 * 60
GENERATION_KEY = "stories:lists-generation"


def lists_changed() -> None:
    """Something a list of stories shows changed: every cached page is out of date."""
    generation_changed(GENERATION_KEY)


def _voted_key(user_id: int) -> str:
    return f"stories:voted:{user_id}"


def votes_changed(user_id: int) -> None:
    """The person voted or withdrew a vote: forget their cached set of votes."""
    cache_forget([_voted_key(user_id)])


def cached_page(key: tuple, compute: Callable[[], tuple[list[Story], bool]], *, user) -> tuple[list[Story], bool]:
    """`compute()`'s page of stories and whether another follows, from the cache when it is current.

    `key` names the list, its filters and the page (plain values). Each story gets
    `user_voted` for `user`, so the rows need not come with_user_vote.
    """
    list_key = "stories:list:" + hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    voted_key = _voted_key(user.pk)
    found = cache_get_many([list_key, GENERATION_KEY, voted_key])
    generation, entry = found.get(GENERATION_KEY), found.get(list_key)
    if generation is not None and entry is not None and entry[0] == generation:
        rows, has_next = entry[1], entry[2]
    else:
        if generation is None:
            generation = generation_start(GENERATION_KEY)
        rows, has_next = compute()
        if generation is not None:
            cache_set_many({list_key: (generation, rows, has_next)}, timeout=LIST_TIMEOUT)
    voted = found.get(voted_key)
    if voted is None:
        voted = frozenset(Vote.objects.filter(user_id=user.pk).values_list("story_id", flat=True))
        cache_set_many({voted_key: voted}, timeout=VOTED_TIMEOUT)
    for story in rows:
        story.user_voted = story.pk in voted
    return rows, has_next


# A story page's discussion: its comments (with their authors) and the stores that tried it.

DISCUSSION_TIMEOUT = 10 * 60


def _discussion_key(story_pk: int) -> str:
    return f"stories:discussion:{story_pk}"


def discussion_changed(story_pk: int) -> None:
    """A comment was added, edited, deleted or hidden, or a store tried the idea: read the discussion again."""
    cache_forget([_discussion_key(story_pk)])


def story_discussion(story: Story) -> tuple[list[Comment], list[Tried]]:
    """The story's comments (authors and their stores loaded) and tries (stores loaded), from the cache when it can."""
    key = _discussion_key(story.pk)
    discussion = cache_get_many([key]).get(key)
    if discussion is None:
        discussion = (list(story.comments.for_story_page()), list(story.tries.select_related("store")))
        cache_set_many({key: discussion}, timeout=DISCUSSION_TIMEOUT)
    return discussion
