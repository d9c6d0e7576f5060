"""Photos, served only to people who may see their story.

Stored photos have random names, but a name once seen is not a secret forever: a story
deleted or hidden later must take its photos with it. So every photo URL on our pages is
this view's; it checks access, then hands over the file in the way the deployment has:
nginx sends it (X-Accel-Redirect, when PHOTOS_X_ACCEL_PREFIX is set), object storage
sends it (a redirect to a URL signed for a few minutes, MEDIA_STORAGE=s3), or Django
streams it from local disk.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from stories.access import get_photo_for_user

VARIANTS = {"full": "image", "thumb": "thumbnail"}
# Long enough for a page's images to load, short enough that a shared URL soon stops working.
SIGNED_URL_SECONDS = 300
# The browser may keep a photo a while; it is that person's to see (random names never change content).
BROWSER_CACHE = "private, max-age=600"


@require_safe
def photo(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    if variant not in VARIANTS:
        raise Http404
    file = getattr(get_photo_for_user(request, pk), VARIANTS[variant])
    if settings.MEDIA_STORAGE == "s3":
        response = HttpResponseRedirect(file.storage.url(file.name, expire=SIGNED_URL_SECONDS))
        # Kept less long than the signature lasts.
        response["Cache-Control"] = f"private, max-age={SIGNED_URL_SECONDS // 2}"
        return response
    if settings.PHOTOS_X_ACCEL_PREFIX:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.PHOTOS_X_ACCEL_PREFIX + file.name
    else:
        try:
            response = FileResponse(file.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404 from None
    response["Cache-Control"] = BROWSER_CACHE
    return response
