from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import caching
from config import fragments


def navigation(request: HttpRequest) -> dict:
    """The header and footer of base.html and the unread count, each worked out only if a template shows it.

    Also the page's CSRF token, the one its cached fragments get (Django's own
    context processor would mask another). Lazy objects rather than functools.cache,
    which costs more to set up on every page than what it saves.
    """
    token = SimpleLazyObject(lambda: fragments.csrf_token(request))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        chrome = SimpleLazyObject(lambda: fragments.site_chrome(request, list, int))
        return {"csrf_token": token, "site_header": lambda: chrome[0], "site_footer": lambda: chrome[1]}

    def read_unread_count() -> int:
        # From the page's first cache read (fragments.page_read), with the person's permissions.
        fragments.page_read(request)
        return caching.unread_count(user, lambda: user.notifications.unread().count())

    unread_count = SimpleLazyObject(read_unread_count)
    chrome = SimpleLazyObject(
        lambda: fragments.site_chrome(request, lambda: fragments.nav_items(request), lambda: unread_count)
    )
    return {
        "csrf_token": token,
        "unread_count": unread_count,
        "site_header": lambda: chrome[0],
        "site_footer": lambda: chrome[1],
    }
