"""Every write to stories goes through here."""

import re

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Store, User
from accounts.services import notify, notify_many
from stories.markdown import render_markdown
from stories.models import (
    Comment,
    CommentRevision,
    Flag,
    Pillar,
    SearchWord,
    Story,
    StoryPhoto,
    StoryRevision,
    Tried,
    Vote,
    search_words,
)
from stories.photos import ProcessedPhoto
from stories.signals import tries_recounted


def search_words_add(*, document: str) -> None:
    """Add the document's new words to the search lexicon (practices/library/search.py)."""
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in search_words(document)], ignore_conflicts=True)


def can_write_guestbook(*, user: User, store: Store) -> bool:
    """A store's guestbook is written by its own staff and by curators."""
    return user.store_id == store.pk or user.has_perm("stories.moderate_story")


def _add_photos(*, story: Story, photos: list[ProcessedPhoto], alt_text: str) -> None:
    start = story.photos.count()
    total = start + len(photos)
    for offset, photo in enumerate(photos):
        position = start + offset + 1
        alt = alt_text or story.title
        if total > 1:
            alt = f"{alt} ({position}/{total})"
        StoryPhoto.objects.create(
            story=story,
            image=photo.image,
            thumbnail=photo.thumbnail,
            alt_text=alt[:250],
            position=position,
        )


@transaction.atomic
def story_create(
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    pillar: Pillar | None = None,
    tags: list[str] = (),
    language: str = "en",
    photos: list[ProcessedPhoto] = (),
    photo_alt: str = "",
    store: Store | None = None,
) -> Story:
    """Publish a story; a guestbook entry goes to `store` (default: the author's own)."""
    if kind == Story.Kind.GUESTBOOK:
        store = store or author.store
        if store is None or not can_write_guestbook(user=author, store=store):
            raise PermissionDenied(_("Only this store's staff and curators write in its guestbook."))
    else:
        store = author.store
    now = timezone.now()
    story = Story(
        author=author,
        store=store,
        kind=kind,
        title=title,
        body=body,
        body_html=render_markdown(body),
        pillar=pillar,
        language=language,
        created_at=now,
        published_at=now,
    )
    story.hot_score = story.compute_hot_score()
    story.search_document = story.build_search_document(tags)
    story.save()
    story.tags.set(list(tags))
    search_words_add(document=story.search_document)
    Story.objects.filter(pk=story.pk).update_search_vectors()
    _add_photos(story=story, photos=photos, alt_text=photo_alt)
    return story


@transaction.atomic
def story_update(
    *,
    story: Story,
    editor: User,
    kind: str,
    title: str,
    body: str,
    pillar: Pillar | None,
    tags: list[str],
    language: str,
    photos: list[ProcessedPhoto] = (),
    photo_alt: str = "",
    photo_changes: dict[int, tuple[str, bool]] | None = None,
) -> Story:
    """Save an edit, keeping the previous version as a revision.

    photo_changes maps a photo id of this story to (alt text, remove?).
    """
    story = Story.objects.select_for_update().get(pk=story.pk)
    StoryRevision.objects.create(
        story=story,
        editor=editor,
        kind=story.kind,
        title=story.title,
        body=story.body,
        pillar=story.pillar,
        tags=", ".join(sorted(story.tags.names())),
    )
    if kind == Story.Kind.GUESTBOOK and story.kind != Story.Kind.GUESTBOOK and story.store is None:
        kind = story.kind  # A head-office story has no guestbook to move into.
    story.kind = kind
    story.title = title
    story.body = body
    story.body_html = render_markdown(body)
    story.pillar = pillar
    story.language = language
    story.search_document = story.build_search_document(tags)
    story.save()
    story.tags.set(list(tags))
    search_words_add(document=story.search_document)
    Story.objects.filter(pk=story.pk).update_search_vectors()
    for photo in story.photos.filter(pk__in=list(photo_changes or {})):
        alt_text, remove = photo_changes[photo.pk]
        if remove:
            files, storage = [photo.image.name, photo.thumbnail.name], photo.image.storage
            photo.delete()
            # Files go only once the removal is committed, never on a rollback.
            transaction.on_commit(lambda files=files, storage=storage: [storage.delete(name) for name in files])
        elif alt_text != photo.alt_text:
            photo.alt_text = alt_text
            photo.save(update_fields=["alt_text"])
    _add_photos(story=story, photos=photos, alt_text=photo_alt)
    return story


@transaction.atomic
def story_reindex(*, story: Story) -> None:
    """Work out again what follows from a story's text and tags (HTML, search data, hot score), after an admin edit."""
    story.body_html = render_markdown(story.body)
    story.search_document = story.build_search_document(list(story.tags.names()))
    story.hot_score = story.compute_hot_score()
    story.save(update_fields=["body_html", "search_document", "hot_score", "updated_at"])
    search_words_add(document=story.search_document)
    Story.objects.filter(pk=story.pk).update_search_vectors()


def story_set_status(*, story: Story, status: str) -> Story:
    """Publish, hide (curators) or soft-delete (author) a story; nothing is erased."""
    Story.objects.filter(pk=story.pk).update(status=status, updated_at=timezone.now())
    story.status = status
    return story


# Reactions: votes, "we tried it", comments, reports.

VOTE_MILESTONES = (5, 10, 25)
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


# Each action recounts only the counters it changes, from the rows themselves.
# Called inside the transaction that changed those rows, after _lock, so that
# concurrent writers on one story queue and every count is exact.


def _recount_votes(story_pk: int) -> Story:
    """Recount a story's votes and voting stores, and its hot score."""
    story = Story.objects.get(pk=story_pk)
    counts = Vote.objects.filter(story_id=story_pk).aggregate(votes=Count("pk"), stores=Count("store", distinct=True))
    story.vote_count, story.voter_store_count = counts["votes"], counts["stores"]
    story.hot_score = story.compute_hot_score()
    story.save(update_fields=["vote_count", "voter_store_count", "hot_score"])
    return story


def _recount_tries(story_pk: int) -> Story:
    """Recount the stores that tried a story's idea, and its hot score."""
    story = Story.objects.get(pk=story_pk)
    story.tried_count = Tried.objects.filter(story_id=story_pk).count()
    story.hot_score = story.compute_hot_score()
    story.save(update_fields=["tried_count", "hot_score"])
    tries_recounted.send(sender=Story, story_pk=story_pk)  # practices keeps its standards' totals
    return story


def _recount_comments(story_pk: int) -> None:
    """Recount a story's published comments (the hot score does not count them)."""
    published = Comment.objects.filter(story_id=story_pk, status=Comment.Status.PUBLISHED).count()
    Story.objects.filter(pk=story_pk).update(comment_count=published)


def _lock(story: Story) -> None:
    # Serialises writers on one story; on SQLite the IMMEDIATE transaction already does.
    Story.objects.select_for_update().filter(pk=story.pk).values_list("pk", flat=True).first()


@transaction.atomic
def vote_set(*, user: User, story: Story, voted: bool | None = None) -> Story:
    """Vote for a story (voted=True), withdraw (False) or toggle (None). Idempotent for True/False.

    Returns the story with fresh counters and user_voted set, ready for the vote button.
    """
    if story.author_id == user.pk:
        raise PermissionDenied(_("You cannot vote for your own story."))
    _lock(story)
    mine = Vote.objects.filter(story=story, user=user)
    if voted is None:
        # A toggle: withdraw the vote if there is one, else cast it. Every writer of this
        # story's votes holds its lock, so nothing can come between the delete and the insert.
        voted = created = mine.delete()[0] == 0
        if created:
            Vote.objects.create(story=story, user=user, store_id=user.store_id)
    elif voted:
        _vote, created = Vote.objects.get_or_create(story=story, user=user, defaults={"store_id": user.store_id})
    else:
        created = False
        mine.delete()
    story = _recount_votes(story.pk)
    if created and story.vote_count in VOTE_MILESTONES:
        notify(
            recipient=story.author,
            kind=Notification.Kind.MILESTONE,
            url=story.get_absolute_url(),
            once_key=f"milestone:{story.pk}:{story.vote_count}",
            title=story.title,
            votes=story.vote_count,
        )
    story.user_voted = voted
    return story


def can_try(*, story: Story, store_id: int | None) -> bool:
    """A store may say it tried a story's idea unless the story is its own store's, or a guestbook entry."""
    return store_id is not None and story.kind != Story.Kind.GUESTBOOK and story.store_id != store_id


@transaction.atomic
def tried_record(*, user: User, story: Story, outcome: str = "") -> Tried:
    """Record that the person's store tried the story's idea (once per store; a second call updates the outcome)."""
    if user.store is None:
        raise PermissionDenied(_("Only a store's staff can say their store tried an idea."))
    if not can_try(story=story, store_id=user.store_id):
        raise PermissionDenied(_("Only another store can say it tried this idea, and not on a guestbook entry."))
    _lock(story)
    tried, created = Tried.objects.get_or_create(
        story=story, store=user.store, defaults={"user": user, "outcome": outcome}
    )
    if not created and outcome and outcome != tried.outcome:
        tried.outcome = outcome
        tried.save(update_fields=["outcome"])
    story = _recount_tries(story.pk)
    if created and user.store_id != story.store_id:
        notify(
            recipient=story.author,
            actor=user,
            kind=Notification.Kind.TRIED,
            url=story.get_absolute_url(),
            title=story.title,
            store=user.store.name,
        )
    return tried


def mentioned_users(text: str) -> list[User]:
    names = {match.lower() for match in MENTION.findall(text)}
    if not names:
        return []
    return [u for u in User.objects.filter(is_active=True) if u.username.lower() in names][:20]


def render_comment(text: str) -> str:
    """Markdown, with @username turned into a link to that person's profile."""
    known = {u.username.lower(): u.username for u in mentioned_users(text)}

    def link(match: re.Match) -> str:
        username = known.get(match.group(1).lower())
        if username is None:
            return match.group(0)
        return f"[@{username}]({reverse('accounts:profile', args=[username])})"

    return render_markdown(MENTION.sub(link, text))


@transaction.atomic
def comment_add(*, author: User, story: Story, body: str, parent: Comment | None = None) -> Comment:
    """Add a comment (or a reply to a top-level comment) and tell who should know."""
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # One level of replies: answer the thread.
    _lock(story)
    comment = Comment.objects.create(
        story=story, author=author, parent=parent, body=body, body_html=render_comment(body)
    )
    _recount_comments(story.pk)
    url = comment.get_absolute_url()
    told = {author.pk}
    if parent is not None and parent.author_id not in told:
        notify(recipient=parent.author, actor=author, kind=Notification.Kind.REPLY, url=url, title=story.title)
        told.add(parent.author_id)
    if story.author_id not in told:
        notify(recipient=story.author, actor=author, kind=Notification.Kind.COMMENT, url=url, title=story.title)
        told.add(story.author_id)
    # A mention is its own news, even to someone already told of the comment.
    for person in mentioned_users(body):
        if person.pk != author.pk:
            notify(recipient=person, actor=author, kind=Notification.Kind.MENTION, url=url, title=story.title)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, body: str) -> Comment:
    """Change a comment's text, keeping the earlier text."""
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body = body
    comment.body_html = render_comment(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_set_status(*, comment: Comment, status: str) -> Comment:
    """Delete (author) or hide (curator) a comment; its text is kept for administrators."""
    _lock(comment.story)
    comment.status = status
    comment.save(update_fields=["status"])
    _recount_comments(comment.story_id)
    return comment


class AlreadyReported(Exception):
    pass


@transaction.atomic
def flag_create(*, reporter: User, story: Story, comment: Comment | None = None, reason: str, text: str = "") -> Flag:
    """Report a story or a comment to curators, once per person per item; every curator is told."""
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reporter=reporter, story=story, comment=comment, reason=reason, text=text)
    except IntegrityError as error:
        raise AlreadyReported from error
    notify_many(
        recipients=list(curators()),
        actor=reporter,
        kind=Notification.Kind.REPORT,
        url=reverse("stories:flags"),
        once_key=f"report-{flag.pk}",
        title=story.title,
    )
    return flag


def curators():
    """The active people who may moderate (the curators' group, or the permission given directly)."""
    perm = Q(content_type__app_label="stories", codename="moderate_story")
    granted = Permission.objects.filter(perm)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .distinct()
    )


@transaction.atomic
def flag_decide(*, flag: Flag, curator: User, hide: bool) -> Flag:
    """Hide the reported content or dismiss the report; every open report on that item is closed with it."""
    status = Flag.Status.HIDDEN if hide else Flag.Status.DISMISSED
    if hide and flag.comment is not None:
        comment_set_status(comment=flag.comment, status=Comment.Status.HIDDEN)
    elif hide:
        story_set_status(story=flag.story, status=Story.Status.HIDDEN)
    same_item = Flag.objects.filter(story=flag.story, comment=flag.comment, status=Flag.Status.OPEN)
    same_item.update(status=status, decided_by=curator, decided_at=timezone.now())
    flag.refresh_from_db()
    return flag
