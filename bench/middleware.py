from django.core.cache import cache


def cold_cache(get_response):
    """A request sent with `X-Bench-Cold: 1` finds the cache empty: the first reader after a write."""

    def middleware(request):
        if request.headers.get("X-Bench-Cold") == "1":
            cache.clear()
        return get_response(request)

    return middleware
