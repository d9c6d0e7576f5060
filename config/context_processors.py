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
def section_urls(script_prefix: str) -> dict[str, str]:
    """Each section's URL by its name: a function of the URLconf, so worked out once per process and prefix."""
    return {url_name: reverse(url_name) for url_name in {name for _, name, *rest in [*NAVIGATION, *TABS]}}


def is_current(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def open_report_count() -> int:
    from stories.models import Flag

    return Flag.objects.filter(status=Flag.Status.OPEN).count()


def header_values(request: HttpRequest) -> dict:
    """What the header shows, as its key: the person, their unread count, the sections their permissions open,
    the ones this page is in, and for curators the number of open reports (one COUNT query).

    draw_header writes the labels and links, which follow from these, the language and the URLconf.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"person": None}
    path, profile_url = request.path, reverse("accounts:profile", args=[user.username])
    current = [name for name, url in section_urls(get_script_prefix()).items() if is_current(url, path)]
    # Permissions first: the query that loads them brings the unread count (accounts/backends.py).
    sections = [name for _, name, permission in NAVIGATION if permission is None or user.has_perm(permission)]
    return {
        "person": (user.username, user.name, profile_url),
        "unread_count": user.unread_count,
        "sections": sections,
        "current": [*current, "me"] if is_current(profile_url, path) else current,
        "report_count": open_report_count() if user.has_perm("stories.moderate_story") else 0,
    }


def draw_header(values: dict) -> dict:
    """The header's context, from header_values(): its sections' labels and links, in the page's language."""
    if values["person"] is None:
        return values
    urls, current, reports = section_urls(get_script_prefix()), values["current"], values["report_count"]
    username, name, profile_url = values["person"]
    nav = [
        (str(label), urls[url_name], url_name in current, reports if url_name == "stories:flags" else 0, url_name)
        for label, url_name, _ in NAVIGATION
        if url_name in values["sections"]
    ]
    tabs = [(str(label), urls[url_name], icon, url_name in current) for label, url_name, icon in TABS]
    return {
        **values,
        "person": {"username": username, "name": name},
        "profile_url": profile_url,
        "nav": [item[:4] for item in nav],
        "menu": [(label, url, count) for label, url, _, count, url_name in nav if url_name not in IN_TABS],
        "tabs": [*tabs, (str(_("Me")), profile_url, "me", "me" in current)],
    }


def chrome_fragments(request: HttpRequest) -> list[Fragment]:
    return [
        Fragment("includes/header.html", header_values(request), draw_header),
        Fragment("includes/footer.html", {}),
    ]


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
