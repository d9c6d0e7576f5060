"""Paging for every list page: a page number from the query string, one page without counting, its links."""

from django.http import HttpRequest

PAGE_SIZE = 20
MAX_PAGE = 500


def page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def paginate(queryset, page: int, size: int = PAGE_SIZE) -> tuple[list, bool]:
    """One page and whether another follows, without counting the table."""
    rows = list(queryset[(page - 1) * size : page * size + 1])
    return rows[:size], len(rows) > size


def page_url(request: HttpRequest, page: int) -> str:
    """This list's URL with the same filters, at another page."""
    query = request.GET.copy()
    query["page"] = page
    return f"?{query.urlencode()}"


def page_links(request: HttpRequest, page: int, has_next: bool) -> dict:
    """prev_url and next_url for a paginated list, keeping its filters (None where there is no such page)."""
    return {
        "prev_url": page_url(request, page - 1) if page > 1 else None,
        "next_url": page_url(request, page + 1) if has_next else None,
    }
