"""A person's stories, comments, votes, tries and reports: stories' part of accounts.personal_data.

Erasure either keeps what they wrote, credited to "a former colleague" at their
store (accounts anonymises the person's row), or deletes it: their stories with
their photos (except a story a standard credits, which the database keeps), and
the text of their comments (a deleted comment keeps its place, so replies stay).
Votes and tries stay as counts. Mentions of them (@username) in anyone's text
become the former colleague's name.
"""

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from accounts.models import User
from stories.models import Comment, CommentRevision, Flag, Story, StoryPhoto, Tried, Vote, update_search_vectors
from stories.services import _recount_comments, render_comment, render_with_mentions


def photo_name(photo: StoryPhoto) -> str:
    return f"photos/story-{photo.story_id}-{photo.pk}{PurePosixPath(photo.image.name).suffix}"


def export(person: User) -> dict[str, list]:
    stories = (
        Story.objects.filter(author=person)
        .select_related("store", "pillar")
        .prefetch_related("photos", "tags")
        .order_by("created_at", "pk")
    )
    return {
        "stories": [
            {
                "id": story.pk,
                "kind": story.kind,
                "title": story.title,
                "text": story.body,
                "language": story.language,
                "status": story.status,
                "store": story.store.name if story.store else None,
                "pillar": story.pillar.name if story.pillar else None,
                "tags": sorted(tag.name for tag in story.tags.all()),
                "created_at": story.created_at,
                "published_at": story.published_at,
                "votes": story.vote_count,
                "photos": [{"file": photo_name(photo), "description": photo.alt_text} for photo in story.photos.all()],
            }
            for story in stories
        ],
        "comments": [
            {
                "id": comment.pk,
                "story": comment.story_id,
                "story_title": comment.story.title,
                "text": comment.body,
                "status": comment.status,
                "created_at": comment.created_at,
                "edited_at": comment.edited_at,
            }
            for comment in Comment.objects.filter(author=person).select_related("story").order_by("created_at")
        ],
        "votes": [
            {"story": vote.story_id, "story_title": vote.story.title, "created_at": vote.created_at}
            for vote in Vote.objects.filter(user=person).select_related("story").order_by("created_at")
        ],
        "tried": [
            {
                "story": tried.story_id,
                "story_title": tried.story.title,
                "store": tried.store.name,
                "outcome": tried.outcome,
                "created_at": tried.created_at,
            }
            for tried in Tried.objects.filter(user=person).select_related("story", "store")
        ],
        "reports": [
            {
                "story": flag.story_id,
                "comment": flag.comment_id,
                "reason": flag.reason,
                "details": flag.text,
                "status": flag.status,
                "created_at": flag.created_at,
            }
            for flag in Flag.objects.filter(reporter=person)
        ],
    }


def photos(person: User) -> Iterator[tuple[str, FieldFile]]:
    for photo in StoryPhoto.objects.filter(story__author=person).order_by("story_id", "position", "pk"):
        yield photo_name(photo), photo.image


def erasure_counts(person: User, *, delete_content: bool) -> list[tuple[str, int]]:
    stories = Story.objects.filter(author=person).count()
    comments = Comment.objects.filter(author=person).exclude(status=Comment.Status.DELETED, body="").count()
    votes = Vote.objects.filter(user=person).count()
    if delete_content:
        counts = [
            (_("stories deleted, with their photos and discussions"), stories),
            (_("photos deleted"), StoryPhoto.objects.filter(story__author=person).count()),
            (_("comments deleted"), comments),
        ]
    else:
        counts = [
            (_("stories kept, credited to a former colleague"), stories),
            (_("comments kept, credited to a former colleague"), comments),
        ]
    return [*counts, (_("votes kept, as counts"), votes)]


def erase(person: User, *, delete_content: bool) -> None:
    mentions_replace(person)
    Flag.objects.filter(reporter=person).update(text="")
    discussed = set(Comment.objects.filter(author=person).values_list("story_id", flat=True))
    if delete_content:
        stories_delete(person)
        comments = Comment.objects.filter(author=person)
        CommentRevision.objects.filter(comment__in=comments).delete()
        comments.update(status=Comment.Status.DELETED, body="", body_html="")
        for story_id in discussed & set(Story.objects.filter(pk__in=discussed).values_list("pk", flat=True)):
            _recount_comments(story_id)


def stories_delete(person: User) -> None:
    """Delete the person's stories and their photos' files; a story a standard credits is kept (PROTECT)."""
    storage = StoryPhoto._meta.get_field("image").storage
    for story in Story.objects.filter(author=person).prefetch_related("photos"):
        files = [name for photo in story.photos.all() for name in (photo.image.name, photo.thumbnail.name)]
        try:
            with transaction.atomic():
                story.delete()
        except ProtectedError:
            continue
        transaction.on_commit(lambda files=files: [storage.delete(name) for name in files if name])


def mentions_replace(person: User) -> None:
    """@username in anyone's story or comment becomes @former-N, and is no longer a link to their profile."""
    # Not part of a longer name ("@camille.martin"); a full stop after it is punctuation ("@camille.").
    mention = re.compile(rf"(?<![\w@])@{re.escape(person.username)}(?!\.?[\w+-])", re.IGNORECASE)
    replacement = f"@{person.erased_username}"
    for comment in Comment.objects.filter(body__icontains=f"@{person.username}"):
        comment.body = mention.sub(replacement, comment.body)
        comment.body_html = render_comment(comment.body).replace(f"/people/{person.username}/", "")
        comment.save(update_fields=["body", "body_html"])
    changed = []
    for story in Story.objects.filter(body__icontains=f"@{person.username}").prefetch_related("tags"):
        story.body = mention.sub(replacement, story.body)
        story.body_html = render_with_mentions(story.body).replace(f"/people/{person.username}/", "")
        story.search_document = story.build_search_document([tag.name for tag in story.tags.all()])
        story.save(update_fields=["body", "body_html", "search_document"])
        changed.append(story.pk)
    if changed:
        update_search_vectors(Story.objects.filter(pk__in=changed))
