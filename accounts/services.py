"""Writes to people's inboxes and settings."""

from django.conf import settings
from django.utils import timezone

from accounts.feeds import new_feed_key
from accounts.models import Notification, User
from accounts.push import push_notifications_queue


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
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, url=url, params=params, once_key=once_key
    )
    push_notifications_queue(notifications=[notification])
    return notification


def notify_many(
    *, recipients: list[User], kind: str, url: str, once_key: str, actor: User | None = None, **params
) -> int:
    """Put the same notification in several inboxes at once, skipping the actor and anyone already told.

    One INSERT whatever the number of people; once_key makes a repeat do nothing.
    """
    rows = [
        Notification(recipient=person, actor=actor, kind=kind, url=url, params=params, once_key=once_key)
        for person in recipients
        if actor is None or person.pk != actor.pk
    ]
    start = timezone.now()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if settings.WEB_PUSH and rows:
        # ignore_conflicts leaves the new rows without their ids: read back those this call made.
        made = Notification.objects.filter(
            once_key=once_key, recipient__in=[row.recipient for row in rows], created_at__gte=start
        )
        push_notifications_queue(notifications=list(made))
    return len(rows)


def notifications_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one of the person's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    marked = unread.update(read_at=timezone.now())
    return marked


def weekly_digest_set(*, user: User, enabled: bool) -> bool:
    """Turn the person's weekly digest on or off; True when that changed something."""
    return User.objects.filter(pk=user.pk).exclude(weekly_digest=enabled).update(weekly_digest=enabled) > 0


def browser_language_record(*, user: User, language: str) -> None:
    """Remember the language the person's browser asked for as they signed in (read when they chose none)."""
    if language in dict(settings.LANGUAGES) and language != user.browser_language:
        User.objects.filter(pk=user.pk).update(browser_language=language)
        user.browser_language = language


def feed_key_renew(*, user: User) -> str:
    """Give the person new private feed links (accounts/feeds.py): the old ones stop working at once."""
    user.feed_key = new_feed_key()
    User.objects.filter(pk=user.pk).update(feed_key=user.feed_key)
    return user.feed_key


def feed_key_revoke(*, user: User) -> None:
    """Turn the person's private feed links off: every one of them answers 404 from now on."""
    user.feed_key = ""
    User.objects.filter(pk=user.pk).update(feed_key="")


def password_changed(*, user: User) -> None:
    """After a new password: private feed links are made again, so a link copied before no longer works."""
    if user.feed_key:
        feed_key_renew(user=user)
