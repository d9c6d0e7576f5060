"""Every write to stories goes through here."""

import re
import uuid

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Store, User
from accounts.services import notify, notify_many
from stories.guestbook import borrows
from stories.markdown import render_markdown
from stories.models import (
    Comment,
    CommentRevision,
    Decision,
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


def can_write_guestbook(*, user: User, store: Store, stores: list[Store] | None = None) -> bool:
    """A store's guestbook is written by its own staff, by curators, and this week by the staff of the store
    that borrows it (stories/guestbook.py; `stores`: the exchange's list, when the caller has it)."""
    if user.store_id == store.pk or user.has_perm("stories.moderate_story"):
        return True
    return borrows(user.store_id, store, timezone.localdate(), stores)


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
    draft_key: uuid.UUID | None = None,
) -> Story:
    """Publish a story; a guestbook entry goes to `store` (default: the author's own).

    With a `draft_key` (an offline draft's, made on the author's device), a draft sent again returns the story
    the first sending made, unchanged: a replay never publishes twice, even when both arrive at once.
    """
    if draft_key is not None:
        existing = Story.objects.filter(author=author, draft_key=draft_key).first()
        if existing is not None:
            return existing
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
        body_html=render_with_mentions(body),
        pillar=pillar,
        language=language,
        created_at=now,
        published_at=now,
        draft_key=draft_key,
    )
    story.hot_score = story.compute_hot_score()
    story.search_document = story.build_search_document(tags)
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        # The same draft, sent at the same moment by the page and by the service worker, was saved first.
        existing = Story.objects.filter(author=author, draft_key=draft_key).first() if draft_key else None
        if existing is None:
            raise
        return existing
    story.tags.set(list(tags))
    search_words_add(document=story.search_document)
    Story.objects.filter(pk=story.pk).update_search_vectors()
    _add_photos(story=story, photos=photos, alt_text=photo_alt)
    notify_mentions(text=body, actor=author, url=story.get_absolute_url(), title=story.title)
    if kind == Story.Kind.GUESTBOOK and author.store_id != store.pk:
        _guestbook_visit_notify(story=story, author=author)
    return story


def _guestbook_visit_notify(*, story: Story, author: User) -> None:
    """Tell the staff of the guestbook's store that someone from elsewhere wrote in it (one insert)."""
    staff = list(User.objects.filter(is_active=True, store_id=story.store_id))
    notify_many(
        recipients=staff,
        actor=author,
        kind=Notification.Kind.GUESTBOOK,
        url=story.get_absolute_url(),
        once_key=f"guestbook:{story.pk}",
        title=story.title,
        store=author.store.name if author.store_id else "",
    )


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
    before = story.body
    story.kind = kind
    story.title = title
    story.body = body
    story.body_html = render_with_mentions(body)
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
    # Only the people this edit mentions for the first time: the others were told when first mentioned.
    if story.status == Story.Status.PUBLISHED:
        notify_mentions(text=body, actor=editor, url=story.get_absolute_url(), title=story.title, before=before)
    return story


@transaction.atomic
def story_reindex(*, story: Story) -> None:
    """Work out again what follows from a story's text and tags (HTML, search data, hot score), after an admin edit."""
    story.body_html = render_with_mentions(story.body)
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


# The curators' decisions: each destructive one (hide, delete someone else's, retire) carries a reason,
# kept in the decision log (stories.models.Decision) with who decided and when.


def decision_record(
    *,
    curator: User,
    action: str,
    reason: str = "",
    story: Story | None = None,
    comment: Comment | None = None,
    subject: str = "",
    url: str = "",
    object_key: str = "",
) -> Decision:
    """Write one line of the decision log. A story or comment names itself; anything else gives subject and url."""
    if comment is not None:
        story = comment.story
        url, object_key = url or comment.get_absolute_url(), object_key or f"comment:{comment.pk}"
    if story is not None:
        subject = subject or story.title
        url, object_key = url or story.get_absolute_url(), object_key or f"story:{story.pk}"
    return Decision.objects.create(
        curator=curator,
        action=action,
        reason=reason.strip(),
        story=story,
        comment=comment,
        subject=subject[:200],
        url=url[:300],
        object_key=object_key,
    )


def _check_moderator(user: User) -> None:
    if not user.has_perm("stories.moderate_story"):
        raise PermissionDenied(_("Only curators moderate stories and comments."))


@transaction.atomic
def story_hide(*, story: Story, curator: User, reason: str) -> Story:
    """A curator hides a story from everyone but its author and curators, saying why."""
    _check_moderator(curator)
    story = story_set_status(story=story, status=Story.Status.HIDDEN)
    decision_record(curator=curator, action=Decision.Action.HIDE_STORY, reason=reason, story=story)
    return story


@transaction.atomic
def story_show(*, story: Story, curator: User, reason: str = "") -> Story:
    """A curator shows a hidden story again."""
    _check_moderator(curator)
    story = story_set_status(story=story, status=Story.Status.PUBLISHED)
    decision_record(curator=curator, action=Decision.Action.SHOW_STORY, reason=reason, story=story)
    return story


@transaction.atomic
def story_delete(*, story: Story, user: User, reason: str = "") -> Story:
    """Soft-delete a story: its author, or a curator (moderation, logged with the reason)."""
    if story.author_id != user.pk:
        _check_moderator(user)
        decision_record(curator=user, action=Decision.Action.DELETE_STORY, reason=reason, story=story)
    return story_set_status(story=story, status=Story.Status.DELETED)


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


MAX_MENTIONS = 20


def mention_names(text: str) -> list[str]:
    """The @usernames written in a text, lower-cased, in order, at most MAX_MENTIONS (a full stop after one is
    punctuation: "@camille." names camille)."""
    names = []
    for match in MENTION.findall(text):
        for name in (match.lower(), match.rstrip(".").lower()):
            if name and name not in names:
                names.append(name)
    return names[: 2 * MAX_MENTIONS]


def mentioned_users(text: str) -> list[User]:
    """The active people a text mentions, in one query that asks only for the names found in it."""
    names = mention_names(text)
    if not names:
        return []
    wanted = Q()
    for name in names:
        wanted |= Q(username__iexact=name)
    return list(User.objects.filter(wanted, is_active=True).order_by("username")[:MAX_MENTIONS])


def render_with_mentions(text: str) -> str:
    """Markdown, with each @username of an active person turned into a link to their profile."""
    known = {u.username.lower(): u.username for u in mentioned_users(text)}

    def link(match: re.Match) -> str:
        written = match.group(1)
        for name, rest in ((written, ""), (written.rstrip("."), written[len(written.rstrip(".")) :])):
            username = known.get(name.lower())
            if username is not None:
                return f"[@{username}]({reverse('accounts:profile', args=[username])}){rest}"
        return match.group(0)

    return render_markdown(MENTION.sub(link, text))


def render_comment(text: str) -> str:
    """A comment's HTML: Markdown with @username linked."""
    return render_with_mentions(text)


def notify_mentions(*, text: str, actor: User, url: str, title: str, before: str = "") -> None:
    """Tell each person the text mentions (not the writer); with `before` (an edit), only the newly mentioned."""
    already = {person.pk for person in mentioned_users(before)} if before else set()
    for person in mentioned_users(text):
        if person.pk != actor.pk and person.pk not in already:
            notify(recipient=person, actor=actor, kind=Notification.Kind.MENTION, url=url, title=title)


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
    notify_mentions(text=body, actor=author, url=url, title=story.title)
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


@transaction.atomic
def comment_hide(*, comment: Comment, curator: User, reason: str) -> Comment:
    """A curator hides a comment, saying why."""
    _check_moderator(curator)
    comment = comment_set_status(comment=comment, status=Comment.Status.HIDDEN)
    decision_record(curator=curator, action=Decision.Action.HIDE_COMMENT, reason=reason, comment=comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: User, reason: str = "") -> Comment:
    """Delete a comment: its author, or a curator (moderation, logged with the reason)."""
    if comment.author_id != user.pk:
        _check_moderator(user)
        decision_record(curator=user, action=Decision.Action.DELETE_COMMENT, reason=reason, comment=comment)
    return comment_set_status(comment=comment, status=Comment.Status.DELETED)


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
def flag_decide(*, flag: Flag, curator: User, hide: bool, reason: str = "") -> Flag:
    """Hide the reported content or dismiss the report; every open report on that item is closed with it.

    The decision and its reason go to the decision log.
    """
    status = Flag.Status.HIDDEN if hide else Flag.Status.DISMISSED
    if hide and flag.comment is not None:
        comment_hide(comment=flag.comment, curator=curator, reason=reason)
    elif hide:
        story_hide(story=flag.story, curator=curator, reason=reason)
    else:
        action, target = Decision.Action.DISMISS_REPORT, {"comment": flag.comment} if flag.comment else {}
        decision_record(curator=curator, action=action, reason=reason, story=flag.story, **target)
    same_item = Flag.objects.filter(story=flag.story, comment=flag.comment, status=Flag.Status.OPEN)
    same_item.update(status=status, decided_by=curator, decided_at=timezone.now())
    flag.refresh_from_db()
    return flag
