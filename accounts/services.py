"""Writes to people's inboxes."""

from django.utils import timezone

from accounts.models import Notification, User


def notify(
    *, recipient: User, kind: str, url: str, actor: User | None = None, once_key: str | None = None, **params
) -> Notification | None:
    """Put a notification in `recipient`'s inbox, unless it is about their own action.

    With once_key, a second call with the same key for the same person does nothing.
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    if once_key and Notification.objects.filter(recipient=recipient, once_key=once_key).exists():
        return None
    return Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, url=url, params=params, once_key=once_key
    )


def notifications_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one of the person's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
