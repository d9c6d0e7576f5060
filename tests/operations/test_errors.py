"""Error pages in our layout and language, and what a database outage looks like."""

import io
import logging
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client

from tests.factories import make_story

ERROR_TEMPLATES = ["400", "403", "404", "413", "429", "500", "503"]


def looks_like_ours(response) -> None:
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'class="site-header"' in html
    assert 'href="/"' in html  # a way back to the feed
    assert "Server Error (500)" not in html


@contextmanager
def console_log():
    """What the site's console handler (settings.LOGGING) writes meanwhile."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@contextmanager
def database_down():
    """The database cannot be reached (a real driver failure: nothing at that address), then it is back."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@pytest.mark.django_db
class ErrorPageTests:
    def test_404_is_our_page(self, client, cast):
        client.force_login(cast.camille)
        response = client.get("/stories/999999/")
        assert response.status_code == 404
        looks_like_ours(response)
        assert "This page does not exist" in response.content.decode()

    def test_404_speaks_french(self, client):
        response = client.get("/nowhere/", headers={"accept-language": "fr"})
        assert response.status_code == 404
        assert '<html lang="fr">' in response.content.decode()
        assert "Cette page n’existe pas" in response.content.decode()

    def test_403_is_our_page_and_logs_one_line(self, client, cast):
        client.force_login(cast.camille)
        with console_log() as log:
            response = client.get("/dashboard/")
        assert response.status_code == 403
        looks_like_ours(response)
        assert "You cannot do that" in response.content.decode()
        assert log.getvalue().splitlines() == ["Forbidden (Permission denied): /dashboard/"]

    def test_400_is_our_page(self, client, cast):
        client.force_login(cast.camille)
        response = client.get("/stories/?q=%00")
        assert response.status_code == 400
        looks_like_ours(response)

    def test_500_is_our_page(self, cast, monkeypatch):
        from stories import views

        monkeypatch.setattr(views, "tag_suggestions", lambda: 1 / 0)
        client = Client(raise_request_exception=False)
        client.force_login(cast.camille)
        response = client.get("/stories/new/")
        assert response.status_code == 500
        looks_like_ours(response)

    def test_an_expired_form_is_our_page(self, cast):
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.camille)
        response = client.post("/stories/new/", {"title": "x"})
        assert response.status_code == 403
        looks_like_ours(response)
        assert "This form has expired" in response.content.decode()

    @pytest.mark.parametrize("template", ERROR_TEMPLATES)
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_every_error_page_needs_no_database(self, template, language, django_assert_num_queries):
        from django.utils import translation

        from config.views import error_page

        with translation.override(language), django_assert_num_queries(0):
            response = error_page(template, int(template))
        looks_like_ours(response)
        assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db(transaction=True)
class DatabaseOutageTests:
    def test_pages_answer_503_while_the_database_is_down_and_work_again_after(self, cast):
        story = make_story(cast.camille)
        client = Client(raise_request_exception=False)
        client.force_login(cast.camille)
        with database_down(), console_log() as log:
            for url in ["/", story.get_absolute_url(), "/accounts/login/", "/library/"]:
                response = client.get(url, headers={"accept-language": "fr"})
                assert response.status_code == 503, url
                assert response["Retry-After"] == "30"
                assert "De retour dans un instant" in response.content.decode()
            response = client.post(f"/stories/{story.pk}/comments/", {"body": "Bravo"})
            assert response.status_code == 503
            assert client.get("/readyz").status_code == 503
            assert client.get("/readyz").content == b"database: unavailable\n"
            assert client.get("/healthz").status_code == 200
        assert "Traceback" not in log.getvalue()
        assert "Internal Server Error" not in log.getvalue()
        assert "Service Unavailable: /library/" in log.getvalue()
        # The database is back: the next request succeeds, without a restart and still signed in.
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get("/readyz").status_code == 200


class ReadyzTests:
    @pytest.mark.django_db
    def test_it_answers_200_when_the_database_answers(self, client):
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.content == b"database: ok\n"
        assert "no-cache" in response["Cache-Control"]
