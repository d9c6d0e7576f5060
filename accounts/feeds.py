"""Private feed links: a token in the URL lets a feed reader (Outlook, Teams, any Atom reader) read one feed
of one person, without a session.

A token is `<person id>.<HMAC of the feed's name and the person's feed_key>`: it names one feed only (the
standards token does not open the stories feed, nor any page), a new feed_key revokes every token at once,
and a token that was tampered with, revoked, or belongs to someone deactivated finds nobody.
"""

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

FEEDS = ("standards", "stories")


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


def feed_token(user: User, feed: str) -> str:
    """The person's token for `feed` (one of FEEDS); empty when they have no feed links."""
    if feed not in FEEDS:
        raise ValueError(feed)
    if not user.feed_key:
        return ""
    digest = salted_hmac(f"accounts.feeds.{feed}", f"{user.pk}.{user.feed_key}", algorithm="sha256").hexdigest()
    return f"{user.pk}.{digest[:40]}"


def feed_user(token: str, feed: str) -> User | None:
    """The active person whose token for `feed` this is, or None (malformed, tampered, revoked, wrong feed)."""
    pk, _dot, digest = token.partition(".")
    if not pk.isdigit() or len(pk) > 12 or not digest or feed not in FEEDS:
        return None
    user = User.objects.filter(pk=int(pk), is_active=True, erased_at=None).exclude(feed_key="").first()
    if user is None or not constant_time_compare(feed_token(user, feed), token):
        return None
    return user


class PrivateFeed:
    """Mixed into a django.contrib.syndication Feed: served at feeds/<token>/..., found by the token alone.

    No session is read or made: the token's person chooses the language, and the answer is the feed and
    nothing else. Any token that finds nobody is a plain 404.
    """

    feed_name = ""
    login_required = False  # the token is the authority here (LoginRequiredMiddleware reads this)

    def __call__(self, request: HttpRequest, token: str) -> HttpResponse:
        reader = feed_user(token, self.feed_name)
        if reader is None:
            raise Http404
        with translation.override(reader.reading_language):
            response = super().__call__(request, token=token)
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, request: HttpRequest, token: str):
        return None
