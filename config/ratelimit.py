"""Rate limits: how many times one person (or address) may do something in a window, counted in the shared cache.

A fixed window per limit: the key names the limit, who, and the window's number; the
first hit adds it with the window's length as its expiry and every hit increments it
(Redis INCR, so app processes share the count). When the cache cannot answer, the
request goes through (fail open): a Redis outage must not stop people posting, and
the database's constraints still guard every invariant.

The figures are generous: nobody working normally meets them; a script or a stuck
key does.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from config.views import error_page

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


STORIES = Limit("stories", 10, 60)  # stories and guestbook entries, per person
PHOTOS = Limit("photos", 60, 3600)  # photos uploaded, per person
COMMENTS = Limit("comments", 20, 60)
VOTES = Limit("votes", 60, 60)
TRIES = Limit("tries", 20, 60)  # "we tried it"
FLAGS = Limit("flags", 10, 60)
RESET_MAILS_PER_EMAIL = Limit("reset-email", 3, 3600)
RESET_MAILS_PER_ADDRESS = Limit("reset-address", 20, 3600)

# After a cache failure, counting is skipped for a few seconds: a cache that hangs would
# otherwise cost every limited request its timeout.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or behind PROXY_COUNT proxies, the one the first proxy saw."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.PROXY_COUNT and forwarded[-settings.PROXY_COUNT]:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def current_window(seconds: int) -> int:
    """The number of the window of `seconds` we are in (windows start at the epoch)."""
    return int(time.time() // seconds)


def limit_reached(limit: Limit, who: object, *, amount: int = 1) -> bool:
    """Count `amount` more for `who` under `limit`; True when that goes past it. False when the cache fails."""
    global _paused_until
    if amount <= 0 or time.monotonic() < _paused_until:
        return False
    window = current_window(limit.seconds)
    # Hashed: an e-mail address or IP address is not written into the cache's keys.
    who_hash = hashlib.blake2b(str(who).encode(), digest_size=8).hexdigest()
    key = f"ratelimit:{limit.name}:{who_hash}:{window}"
    try:
        cache.add(key, 0, timeout=limit.seconds + 1)
        count = cache.incr(key, amount)
    except ValueError:
        return False  # the window expired between add and incr: a new one starts with the next hit
    except Exception:
        logger.warning("rate limit %s not counted: the cache failed", limit.name, exc_info=True)
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        return False
    return count > limit.count


def ratelimit_resume() -> None:
    """Count again at once (tests that take the cache down and bring it back)."""
    global _paused_until
    _paused_until = 0.0


def refusal_message() -> str:
    return _("You have done this many times in a short while. Wait a minute, then try again.")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The 429 answer where no form is shown again: for htmx the message, put in base.html's #refusal; else our page."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(escape(refusal_message()), status=429)
        response["HX-Retarget"] = "#refusal"
        response["HX-Reswap"] = "innerHTML"
        response["Cache-Control"] = "no-store"
    else:
        response = error_page("429", 429, message=refusal_message())
    response["Retry-After"] = "60"
    return response
