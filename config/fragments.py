"""HTML rendered once and kept in the cache, with what differs per request left as markers.

A cached fragment cannot hold a person's CSRF token or the page to come back to:
the template is rendered with markers in their place, and `fill_many` puts this
request's values there on the way out. Also here: the site's header and footer,
which every page draws and which change far less often than pages are read.
"""

import functools
import hashlib

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.cache import cache_get_many, cache_set_many

# Bump when includes/header.html or includes/footer.html changes.
CHROME_VERSION = 1
CHROME_TIMEOUT = 10 * 60


@functools.cache
def marker(name: str) -> str:
    """A stand-in for a per-request value ("csrf", "next") in a cached template."""
    # Derived from SECRET_KEY: no one can type it into a story to have the token copied there.
    return f"fragment-{name}-{salted_hmac('config.fragments', name, algorithm='sha256').hexdigest()[:20]}"


@functools.cache
def markers_version() -> str:
    """Part of every key of a fragment holding markers: a new SECRET_KEY makes new markers, and new keys."""
    return hashlib.blake2b(marker("csrf").encode(), digest_size=4).hexdigest()


def markers() -> dict:
    """Template context that leaves the CSRF token and the way back as markers."""
    return {"csrf_token": marker("csrf"), "next_url": marker("next")}


def csrf_token(request: HttpRequest) -> str:
    """One masked CSRF token for everything a page draws: masking one costs 32 random draws.

    The page's own `{% csrf_token %}` and `{{ csrf_token }}` get it too
    (config.context_processors.navigation), and so do cached fragments.
    """
    secret = request.META.get("CSRF_COOKIE")
    cached = getattr(request, "_page_csrf_token", None)
    if cached is None or cached[0] != secret:  # none yet, or the secret was rotated (log-in)
        token = get_token(request)
        cached = request._page_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return cached[1]


def fill_many(fragments: list[str], request: HttpRequest) -> list[SafeString]:
    """`fragments`, rendered with markers(), with this request's CSRF token and way back put in."""
    csrf, back = csrf_token(request), escape(request.get_full_path())
    csrf_marker, next_marker = marker("csrf"), marker("next")
    return [mark_safe(html.replace(csrf_marker, csrf).replace(next_marker, back)) for html in fragments]  # noqa: S308


def site_chrome(request: HttpRequest, nav_items: list, unread_count: int) -> tuple[SafeString, SafeString]:
    """The header and the footer of base.html, from one cache entry for the person, language and page.

    The header: brand, notifications with the unread count, the person, log-out, the
    navigation. The footer: the language switcher, which comes back to this page.
    """
    user, language = request.user, get_language()
    if user.is_authenticated:
        nav = tuple((item.url, item.current) for item in nav_items)
        parts = (user.pk, user.username, user.name, language, nav, unread_count)
    else:
        parts = (None, language)
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"chrome:{CHROME_VERSION}:{markers_version()}:{digest}"
    chrome = cache_get_many([key]).get(key)
    if chrome is None:
        context = {"user": user, "nav_items": nav_items, "unread_count": unread_count, **markers()}
        header = render_to_string("includes/header.html", context)
        footer = render_to_string("includes/footer.html", {"LANGUAGE_CODE": language, **markers()})
        chrome = (header, footer)
        cache_set_many({key: chrome}, timeout=CHROME_TIMEOUT)
    header, footer = fill_many(list(chrome), request)
    return header, footer
