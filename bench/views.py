from django.http import HttpRequest, HttpResponse


def ceiling(request: HttpRequest) -> HttpResponse:
    """The cheapest page a signed-in person can get: session and user loaded, nothing else.

    Deliberately not `login_not_required`: LoginRequiredMiddleware has to load the
    session and the user, which every real page pays for too.
    """
    return HttpResponse("ok", content_type="text/plain")
