"""Each signed-in person reads the site in their own language."""

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class PersonLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's known language wins.

    LocaleMiddleware picks the switcher's cookie or the browser's Accept-Language;
    for a signed-in person this step then activates the language they chose, else
    the roster's, else the one their browser asked for at their last sign-in
    (User.known_language). With none of those, LocaleMiddleware's choice stands.
    Requests without a session cookie are not looked at: nobody is signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        except DatabaseError:
            signed_in = False  # the page decides (config.middleware: 503), and /readyz can still answer
        if signed_in:
            language = request.user.known_language
            if language and language != getattr(request, "LANGUAGE_CODE", None):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
