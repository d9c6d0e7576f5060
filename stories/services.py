"""Every write to stories goes through here."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Store, User
from stories.markdown import render_markdown
from stories.models import Pillar, Story, StoryPhoto, StoryRevision
from stories.photos import ProcessedPhoto


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
    story.save()
    story.tags.set(list(tags))
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
    story.save()
    story.tags.set(list(tags))
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


def story_set_status(*, story: Story, status: str) -> Story:
    """Publish, hide (curators) or soft-delete (author) a story; nothing is erased."""
    Story.objects.filter(pk=story.pk).update(status=status, updated_at=timezone.now())
    story.status = status
    return story
