"""HTML rendered once and kept in the cache, with what differs per request left as markers.

A cached fragment cannot hold a person's CSRF token or the page to come back to:
the template is rendered with markers in their place, and `fill_many` puts this
request's values there on the way out. Also here: the site's header and footer,
which every page draws and which change far less often than pages are read.
"""

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts import caching
from config.cache import cache_get_many, cache_set_many

# Bump when includes/header.html or includes/footer.html changes.
CHROME_VERSION = 2
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


# The site's header and footer.


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# (label, URL name, permission needed or None). Later apps add their pages here.
NAVIGATION = [
    (_("Feed"), "stories:feed", None),
    (_("Stores"), "stories:stores", None),
    (_("Library"), "practices:library", None),
    (_("Onboarding"), "practices:onboarding", None),
    (_("Curation"), "practices:curation", "practices.promote_story"),
    (_("Reports"), "stories:flags", "stories.moderate_story"),
    (_("Dashboard"), "practices:dashboard", "practices.view_dashboard"),
]


@functools.lru_cache(maxsize=8)
def navigation_urls(script_prefix: str) -> list[tuple[str, str, str | None]]:
    """NAVIGATION with each page's URL, worked out once per process (and prefix) rather than on every page."""
    return [(label, reverse(url_name), permission) for label, url_name, permission in NAVIGATION]


def is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def nav_items(request: HttpRequest) -> list[NavItem]:
    """The navigation for the person of this request: the pages their permissions open, and which one is this."""
    user = request.user
    return [
        NavItem(label=label, url=url, current=is_current(url, request.path))
        for label, url, permission in navigation_urls(get_script_prefix())
        if not permission or user.has_perm(permission)
    ]


def _chrome_key(request: HttpRequest) -> str:
    """The header and footer's cache key: who the person is, the language, and which pages are this one."""
    if hasattr(request, "_chrome_key"):
        return request._chrome_key
    user, language = getattr(request, "user", None), get_language()
    if user is not None and user.is_authenticated:
        current = tuple(is_current(url, request.path) for _label, url, _perm in navigation_urls(get_script_prefix()))
        parts = (user.pk, user.username, user.name, user.is_superuser, language, current)
    else:
        parts = (None, language)
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    request._chrome_key = f"chrome:{CHROME_VERSION}:{markers_version()}:{digest}"
    return request._chrome_key


def page_read(request: HttpRequest, keys: Sequence[str] = ()) -> dict:
    """The cached values of `keys`; the first read of a request also fetches what every page draws.

    That is the person's permissions and unread count (accounts.caching) and the
    site's header and footer: one round trip to the cache for all of it, where a
    page used to make one for the person, one for the header and footer and one for
    its own content. Later reads fetch `keys` alone.
    """
    found = getattr(request, "_page_read", None)
    if found is not None:
        return cache_get_many(keys) if keys else found
    user = getattr(request, "user", None)
    everyone = [_chrome_key(request)]
    if user is not None and user.is_authenticated:
        everyone += caching.person_keys(user)
    found = request._page_read = cache_get_many([*everyone, *keys])
    if user is not None and user.is_authenticated:
        caching.remember_read(user, found)
    return found


def site_chrome(
    request: HttpRequest, nav_items: Callable[[], list[NavItem]], unread_count: Callable[[], int]
) -> tuple[SafeString, SafeString]:
    """The header and the footer of base.html, from one cache entry for the person, language and section.

    The header: brand, notifications with the unread count, the person, log-out, the
    navigation. The footer: the language switcher, which comes back to this page.
    The entry is stamped with the versions of the person's permissions and unread count
    (accounts.caching.person_stamp): when either moves, the header is drawn again.
    """
    user = getattr(request, "user", None)
    key = _chrome_key(request)
    stamp = caching.person_stamp(user) if user is not None and user.is_authenticated else ("anonymous",)
    entry = page_read(request).get(key)
    if entry is not None and stamp is not None and entry[0] == stamp:
        chrome = entry[1:]
    else:
        context = {"user": user, "nav_items": nav_items(), "unread_count": unread_count(), **markers()}
        header = render_to_string("includes/header.html", context)
        footer = render_to_string("includes/footer.html", {"LANGUAGE_CODE": get_language(), **markers()})
        chrome = (header, footer)
        if stamp is not None:
            cache_set_many({key: (stamp, header, footer)}, timeout=CHROME_TIMEOUT)
    header, footer = fill_many(list(chrome), request)
    return header, footer
