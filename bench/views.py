from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def ceiling(request: HttpRequest) -> HttpResponse:
    """The cheapest page a signed-in person can get: session and user loaded, nothing else.

    Deliberately not `login_not_required`: LoginRequiredMiddleware has to load the
    session and the user, which every real page pays for too.
    """
    return HttpResponse("ok", content_type="text/plain")


def chrome(request: HttpRequest) -> HttpResponse:
    """An empty page in the site's chrome (header, navigation, unread count, footer).

    What every real page pays on top of the ceiling before showing anything: the
    most a page can reach, for reading the other ratios.
    """
    return render(request, "base.html")
