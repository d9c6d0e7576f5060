import functools
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accounts import caching
from config.fragments import csrf_token, site_chrome


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


@functools.cache
def navigation_urls(script_prefix: str) -> list[tuple[str, str, str | None]]:
    """NAVIGATION with each page's URL, worked out once per process (and prefix) rather than on every page."""
    return [(label, reverse(url_name), permission) for label, url_name, permission in NAVIGATION]


def navigation(request: HttpRequest) -> dict:
    """The header and footer of base.html (rendered only when a template shows them) and the unread count.

    Also the page's CSRF token, the one its cached fragments get (Django's own
    context processor would mask another).
    """
    token = SimpleLazyObject(lambda: csrf_token(request))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        chrome = functools.cache(lambda: site_chrome(request, [], 0))
        return {"csrf_token": token, "site_header": lambda: chrome()[0], "site_footer": lambda: chrome()[1]}

    @functools.cache
    def nav_items() -> list[NavItem]:
        items = []
        for label, url, permission in navigation_urls(get_script_prefix()):
            if permission and not user.has_perm(permission):
                continue
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append(NavItem(label=label, url=url, current=current))
        return items

    # Read with the person's permissions, in the same cache round trip.
    unread_count = caching.unread_count(user, lambda: user.notifications.unread().count())
    chrome = functools.cache(lambda: site_chrome(request, nav_items(), unread_count))
    return {
        "csrf_token": token,
        "nav_items": nav_items,
        "unread_count": unread_count,
        "site_header": lambda: chrome()[0],
        "site_footer": lambda: chrome()[1],
    }
