"""Web Push (issue 16): a person's notifications, also sent to the phones where they opted in.

Only when VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set (settings.WEB_PUSH). pywebpush encrypts each message
for the subscription's keys (RFC 8291) and signs the request with our VAPID key (RFC 8292); a subscription the
push service says is gone (404, 410) is deleted.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Notification, PushSubscription, User

logger = logging.getLogger(__name__)

GONE = {404, 410}


def check_endpoint(endpoint: str) -> str:
    """A push service's address: https (http only where tests allow it), at most 1,000 characters."""
    parts = urlsplit(endpoint or "")
    schemes = {"https", "http"} if settings.WEB_PUSH_HTTP_ENDPOINTS else {"https"}
    if parts.scheme not in schemes or not parts.netloc or len(endpoint) > 1000:
        raise ValidationError(_("This is not a push subscription."), code="endpoint")
    return endpoint


def push_subscription_save(
    *, person: User, endpoint: str, p256dh: str, auth: str, kinds: list[str]
) -> PushSubscription:
    """Record (or update) this device's subscription for `person`; another person's device is refused."""
    check_endpoint(endpoint)
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationError(_("This is not a push subscription."), code="keys")
    chosen = [kind for kind in PushSubscription.Kind.values if kind in set(kinds)]
    with transaction.atomic():
        existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if existing is not None and existing.person_id != person.pk:
            raise PermissionDenied
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"person": person, "p256dh": p256dh, "auth": auth, "kinds": chosen}
        )
    return subscription


def push_subscription_delete(*, person: User, endpoint: str) -> int:
    """Forget this device's subscription (only the person's own)."""
    return PushSubscription.objects.filter(person=person, endpoint=endpoint).delete()[0]


def push_notifications_queue(*, notifications: list[Notification]) -> None:
    """After the transaction, send these notifications to their recipients' devices that asked for their kind."""
    if not settings.WEB_PUSH or not notifications:
        return
    recipients = {notification.recipient_id for notification in notifications}
    if not PushSubscription.objects.filter(person__in=recipients).exists():
        return
    ids = [notification.pk for notification in notifications if notification.pk]
    transaction.on_commit(lambda: push_notifications_send.enqueue(notification_ids=ids))


@task()
def push_notifications_send(notification_ids: list[int]) -> int:
    """Send each notification to its recipient's subscribed devices; the number of messages the services took."""
    sent = 0
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient", "actor")
    for notification in notifications:
        subscriptions = PushSubscription.objects.filter(person=notification.recipient_id)
        for subscription in subscriptions:
            if subscription.wants(notification.kind) and push_send(
                subscription=subscription, notification=notification
            ):
                sent += 1
    return sent


def push_send(*, subscription: PushSubscription, notification: Notification) -> bool:
    """One encrypted message to one device; True when the push service took it."""
    from pywebpush import WebPushException, webpush  # imported when needed: it brings aiohttp

    with translation.override(notification.recipient.reading_language):
        message = {"title": _("Service stories"), "body": notification.text, "url": notification.url}
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message, ensure_ascii=False),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=24 * 3600,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            subscription.delete()
        else:
            logger.warning("Push to subscription %s refused (%s).", subscription.pk, status)
        return False
    except Exception:
        logger.warning("Push to subscription %s failed.", subscription.pk, exc_info=True)
        return False
    return True
