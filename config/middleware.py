"""Small middleware of our own: refusing bad URLs early and keeping signed-in pages out of shared caches."""

import unicodedata
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

# Text people type into a search box may hold these; no URL needs any other control character.
QUERY_CONTROLS_ALLOWED = {"\n", "\r", "\t"}


def has_control_characters(value: str, allowed: set[str] | frozenset[str] = frozenset()) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


class RejectControlCharactersMiddleware:
    """A NUL or other control character in the path is a 404, in the query string a 400.

    PostgreSQL refuses NUL in any string it is sent (a 500 from every view that looks
    a path segment or a filter up), and no page of ours has a use for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request.path_info):
            raise Http404
        for name, values in request.GET.lists():
            if has_control_characters(name) or any(
                has_control_characters(value, QUERY_CONTROLS_ALLOWED) for value in values
            ):
                raise BadRequest("control characters in the query string")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Responses to a signed-in person are theirs alone: `Cache-Control: private, no-store`.

    A view that says otherwise (photos, health checks) sets its own header, which is kept.
    Placed after the authentication middleware; request.user is already loaded by then
    for every page that needs a log-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
