import functools
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import caching
from config.fragments import site_chrome


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


def navigation(request: HttpRequest) -> dict:
    """The header and footer of base.html (rendered only when a template shows them) and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        chrome = functools.cache(lambda: site_chrome(request, [], 0))
        return {"site_header": lambda: chrome()[0], "site_footer": lambda: chrome()[1]}

    @functools.cache
    def nav_items() -> list[NavItem]:
        items = []
        for label, url_name, permission in NAVIGATION:
            if permission and not user.has_perm(permission):
                continue
            url = reverse(url_name)
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append(NavItem(label=label, url=url, current=current))
        return items

    # Read with the person's permissions, in the same cache round trip.
    unread_count = caching.unread_count(user, lambda: user.notifications.unread().count())
    chrome = functools.cache(lambda: site_chrome(request, nav_items(), unread_count))
    return {
        "nav_items": nav_items,
        "unread_count": unread_count,
        "site_header": lambda: chrome()[0],
        "site_footer": lambda: chrome()[1],
    }
