"""Control characters in URLs, and what signed-in responses tell caches."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.factories import make_story

pytestmark = pytest.mark.django_db


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every path() route of the site, with its converters left in (`people/<str:username>/`)."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry.pattern, RegexPattern):
            continue  # regular expressions: only the admin's catch-all
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append(prefix + route)
    return found


def with_segments(route: str, segment: str) -> str:
    return "/" + re.sub(r"<[^>]+>", segment, route)


class ControlCharacterTests:
    def test_a_nul_in_a_username_is_a_404(self, client, cast):
        client.force_login(cast.camille)
        assert client.get("/people/%00/").status_code == 404

    @pytest.mark.parametrize("segment", ["a%00b", "%01", "x%1fy", "%7f"])
    def test_every_path_converter_answers_404(self, client, cast, segment):
        client.force_login(cast.julien)
        with_converters = [route for route in routes() if "<" in route]
        assert len(with_converters) > 20
        for route in with_converters:
            url = with_segments(route, segment)
            assert client.get(url).status_code == 404, url

    @pytest.mark.parametrize(
        "url", ["/stories/?q=a%00b", "/stories/?tag=%00", "/library/?q=%01", "/curation/?x%00=1", "/?page=%00"]
    )
    def test_a_control_character_in_the_query_string_is_a_400(self, client, cast, url):
        client.force_login(cast.julien)
        assert client.get(url).status_code == 400

    def test_a_line_break_in_a_search_is_still_a_search(self, client, cast):
        client.force_login(cast.camille)
        assert client.get("/stories/?q=refund%0Aumbrella").status_code == 200


class CacheControlTests:
    def test_signed_in_pages_are_private_and_not_stored(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.camille)
        for url in ["/", story.get_absolute_url(), "/notifications/", "/people/camille/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "private, no-store", url

    def test_a_csv_export_is_not_stored(self, client, cast):
        client.force_login(cast.julien)
        response = client.get("/dashboard/export/stores.csv")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    def test_pages_for_anonymous_people_are_left_alone(self, client):
        response = client.get("/accounts/password_reset/")
        assert response.status_code == 200
        assert "Cache-Control" not in response

    def test_health_checks_keep_their_own_header(self, client):
        assert "no-cache" in client.get("/healthz")["Cache-Control"]
