"""The site's header and footer, drawn as fragments (config/fragments.py) for every page that shows them."""

import functools

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from config.fragments import Fragment, render_fragments

# (label, URL name, permission needed or None): the laptop's navigation row.
NAVIGATION = [
    (_("Feed"), "stories:feed", None),
    (_("Stores"), "stories:stores", None),
    (_("Library"), "practices:library", None),
    (_("Onboarding"), "practices:onboarding", None),
    (_("Curation"), "practices:curation", "practices.promote_story"),
    (_("Reports"), "stories:flags", "stories.moderate_story"),
    (_("Dashboard"), "practices:dashboard", "practices.view_dashboard"),
    (_("Customers"), "practices:voice", "practices.view_voice"),
]
# The phone's bottom tab bar (label, URL name, icon); "Me" (the profile) is added per person.
TABS = [
    (_("Feed"), "stories:feed", "feed"),
    (_("Library"), "practices:library", "library"),
    (_("Post"), "stories:new", "post"),
    (_("Learn"), "practices:onboarding", "learn"),
]
# On a phone, the navigation sections not in the tab bar live in the person's menu.
IN_TABS = {"stories:feed", "practices:library", "practices:onboarding"}


@functools.lru_cache(maxsize=8)
def navigation_urls(script_prefix: str) -> list[tuple]:
    """NAVIGATION with each page's URL: a function of the URLconf, so worked out once per process and prefix."""
    return [(label, reverse(url_name), permission, url_name in IN_TABS) for label, url_name, permission in NAVIGATION]


@functools.lru_cache(maxsize=8)
def tab_urls(script_prefix: str) -> list[tuple]:
    return [(label, reverse(url_name), icon) for label, url_name, icon in TABS]


def is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def open_report_count() -> int:
    from stories.models import Flag

    return Flag.objects.filter(status=Flag.Status.OPEN).count()


def header_values(request: HttpRequest) -> dict:
    """What the header shows: the person, their unread count, and the sections their permissions open.

    Curators also see the number of open reports on the Reports section (one COUNT query).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"person": None}
    prefix, path = get_script_prefix(), request.path
    reports = open_report_count() if user.has_perm("stories.moderate_story") else 0
    flags_url = reverse("stories:flags")
    nav, menu = [], []
    for label, url, permission, in_tabs in navigation_urls(prefix):
        if permission is None or user.has_perm(permission):
            count = reports if url == flags_url else 0
            nav.append((str(label), url, is_current(url, path), count))
            if not in_tabs:
                menu.append((str(label), url, count))
    profile_url = reverse("accounts:profile", args=[user.username])
    tabs = [(str(label), url, icon, is_current(url, path)) for label, url, icon in tab_urls(prefix)]
    tabs.append((str(_("Me")), profile_url, "me", is_current(profile_url, path)))
    person = {"username": user.username, "name": user.name}
    return {
        "person": person,
        "unread_count": user.unread_count,
        "nav": nav,
        "menu": menu,
        "tabs": tabs,
        "profile_url": profile_url,
        "report_count": reports,
    }


def chrome_fragments(request: HttpRequest) -> list[Fragment]:
    return [Fragment("includes/header.html", header_values(request)), Fragment("includes/footer.html", {})]


def render_page_fragments(request: HttpRequest, parts: list[Fragment]) -> list[SafeString]:
    """A page's fragments and its header and footer, in one round trip to the cache (`chrome` then uses them)."""
    header, footer, *html = render_fragments([*chrome_fragments(request), *parts])
    request.site_chrome = [header, footer]
    return html


def chrome(request: HttpRequest) -> dict:
    """`site_header` and `site_footer`, drawn only if the template shows them (one cache read for both,
    none when the view read them with its own fragments)."""
    parts = SimpleLazyObject(
        lambda: getattr(request, "site_chrome", None) or render_fragments(chrome_fragments(request))
    )
    return {"site_header": lambda: parts[0], "site_footer": lambda: parts[1]}
