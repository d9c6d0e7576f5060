"""The site's header and footer, drawn as fragments (config/fragments.py) for every page that shows them."""

import functools

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from config.fragments import render_fragments

# (label, URL name, permission needed or None).
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
def navigation_urls(script_prefix: str) -> list[tuple]:
    """NAVIGATION with each page's URL: a function of the URLconf, so worked out once per process and prefix."""
    return [(label, reverse(url_name), permission) for label, url_name, permission in NAVIGATION]


def is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def header_values(request: HttpRequest) -> dict:
    """What the header shows: the person, their unread count, and the sections their permissions open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"person": None}
    nav = [
        (str(label), url, is_current(url, request.path))
        for label, url, permission in navigation_urls(get_script_prefix())
        if permission is None or user.has_perm(permission)
    ]
    person = {"username": user.username, "name": user.name}
    return {"person": person, "unread_count": user.unread_count, "nav": nav}


def site_chrome(request: HttpRequest) -> list[SafeString]:
    return render_fragments([("includes/header.html", header_values(request)), ("includes/footer.html", {})])


def chrome(request: HttpRequest) -> dict:
    """`site_header` and `site_footer`, drawn only if the template shows them (one cache read for both)."""
    parts = SimpleLazyObject(lambda: site_chrome(request))
    return {"site_header": lambda: parts[0], "site_footer": lambda: parts[1]}
