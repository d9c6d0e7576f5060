"""Permissions and unread counts kept in the cache: a change counts on the very next request."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import Notification
from accounts.services import notifications_mark_read, notify, notify_many
from tests.factories import make_story

pytestmark = pytest.mark.django_db

CURATION = "/curation/"


def nav(client) -> str:
    return client.get("/stories/").content.decode()


def badge(page: str) -> str | None:
    """The unread count in the header, or None when there is no badge."""
    start = page.find('id="notifications-link"')
    link = page[start : page.find("</a>", start)]
    if "badge" not in link:
        return None
    return link.split('text-bg-warning">', 1)[1].split("<", 1)[0]


def tell_both(cast) -> None:
    notify_many(recipients=[cast.camille, cast.lea], kind=Notification.Kind.REREAD, url="/", once_key="r", title="S")


class PermissionCacheTests:
    def test_a_new_curator_gets_curation_on_the_next_request(self, client, cast):
        client.force_login(cast.camille)
        assert 'href="/curation/"' not in nav(client)
        assert client.get(CURATION).status_code == 403  # and her permissions are now cached
        cast.camille.groups.add(Group.objects.get(name=roles.CURATORS))
        assert 'href="/curation/"' in nav(client)
        assert client.get(CURATION).status_code == 200

    def test_a_curator_removed_from_the_group_loses_curation_at_once(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(CURATION).status_code == 200
        cast.julien.groups.clear()
        assert client.get(CURATION).status_code == 403
        assert 'href="/curation/"' not in nav(client)

    def test_a_permission_taken_from_a_group_is_gone_for_its_members_at_once(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(CURATION).status_code == 200
        curators = Group.objects.get(name=roles.CURATORS)
        curators.permissions.remove(Permission.objects.get(codename="promote_story"))
        assert client.get(CURATION).status_code == 403

    def test_a_personal_permission_counts_at_once(self, client, cast):
        client.force_login(cast.camille)
        assert client.get(CURATION).status_code == 403
        cast.camille.user_permissions.add(Permission.objects.get(codename="promote_story"))
        assert client.get(CURATION).status_code == 200

    def test_a_deleted_group_takes_its_permissions_with_it(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(CURATION).status_code == 200
        Group.objects.get(name=roles.CURATORS).delete()
        assert client.get(CURATION).status_code == 403

    def test_a_closed_account_is_signed_out_whatever_the_cache_holds(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(CURATION).status_code == 200
        cast.julien.is_active = False
        cast.julien.save(update_fields=["is_active"])
        assert client.get(CURATION).status_code == 302  # to the log-in page

    def test_two_people_never_share_a_cached_set(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(CURATION).status_code == 200
        client.force_login(cast.camille)
        assert client.get(CURATION).status_code == 403

    def test_the_second_request_reads_no_permission_from_the_database(self, client, cast, django_assert_num_queries):
        client.force_login(cast.julien)
        client.get("/notifications/")
        # session, user, the notifications page's own list: permissions and unread count are cached
        with django_assert_num_queries(3):
            assert client.get("/notifications/").status_code == 200


class UnreadCountTests:
    def test_a_new_notification_shows_on_the_next_page(self, client, cast):
        client.force_login(cast.camille)
        assert badge(nav(client)) is None
        notify(recipient=cast.camille, actor=cast.hugo, kind=Notification.Kind.COMMENT, url="/stories/", title="T")
        assert badge(nav(client)) == "1"
        tell_both(cast)
        assert badge(nav(client)) == "2"

    def test_reading_them_takes_the_badge_away(self, client, cast):
        notify(recipient=cast.camille, actor=cast.hugo, kind=Notification.Kind.COMMENT, url="/stories/", title="T")
        client.force_login(cast.camille)
        assert badge(nav(client)) == "1"
        assert client.post(reverse("accounts:notifications-read-all")).status_code == 302
        assert badge(nav(client)) is None

    def test_one_person_reading_leaves_the_others_count(self, client, cast):
        tell_both(cast)
        client.force_login(cast.lea)
        assert badge(nav(client)) == "1"
        notifications_mark_read(user=cast.camille)
        assert badge(nav(client)) == "1"


class CacheDownTests:
    @pytest.fixture
    def cache_down(self, settings):
        settings.CACHES = {
            "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}  # nothing there
        }

    def test_permissions_and_counts_come_from_the_database(self, client, cast, cache_down):
        notify(recipient=cast.julien, actor=cast.hugo, kind=Notification.Kind.COMMENT, url="/stories/", title="T")
        client.force_login(cast.julien)
        page = nav(client)
        assert 'href="/curation/"' in page
        assert badge(page) == "1"
        assert client.get(CURATION).status_code == 200
        cast.julien.groups.clear()
        assert client.get(CURATION).status_code == 403


class SiteChromeTests:
    def test_the_header_follows_the_page_the_name_and_the_count(self, client, cast):
        client.force_login(cast.camille)
        assert 'href="/stories/" aria-current="page"' in nav(client)
        library = client.get("/library/").content.decode()
        assert 'href="/library/" aria-current="page"' in library
        assert 'href="/stories/" aria-current="page"' not in library
        cast.camille.display_name = "Camille R."
        cast.camille.save(update_fields=["display_name"])
        assert ">Camille R.</a>" in nav(client)

    def test_each_person_gets_their_own_header(self, client, cast):
        other = Client()
        other.force_login(cast.hugo)
        client.force_login(cast.camille)
        assert f">{cast.camille.name}</a>" in nav(client)
        page = nav(other)
        assert f">{cast.hugo.name}</a>" in page and f">{cast.camille.name}</a>" not in page

    def test_the_language_switcher_comes_back_to_this_page_with_a_working_token(self, cast):
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first.force_login(cast.hugo)
        second.force_login(cast.camille)
        first.get("/stories/")
        page = second.get('/stories/?q="><script>alert(1)</script>').content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert 'name="next" value="/stories/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in footer
        assert "<script>alert(1)" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', footer).group(1)
        form = {"language": "fr", "next": "/stories/", "csrfmiddlewaretoken": token}
        assert second.post(reverse("accounts:set_language"), form).status_code == 302
        assert "Se déconnecter" in second.get("/stories/").content.decode()

    def test_a_page_masks_one_csrf_token_for_all_its_forms_and_it_works(self, cast):
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.camille)
        story = make_story(author=cast.hugo)
        page = client.get(f"/stories/{story.pk}/").content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', page))
        assert len(tokens) == 1  # the header's log-out, the body's htmx header, the comment form, the footer
        form = {"body": "Same token everywhere", "csrfmiddlewaretoken": tokens.pop()}
        assert client.post(f"/stories/{story.pk}/comments/", form).status_code == 302
        assert story.comments.get().body == "Same token everywhere"

    def test_the_log_in_page_has_the_same_footer_without_a_person(self, client):
        page = client.get(reverse("login")).content.decode()
        assert 'name="next" value="/accounts/login/"' in page
        assert 'id="notifications-link"' not in page


class SessionMigrationTests:
    def test_people_signed_in_before_the_cached_backend_stay_signed_in(self, client, cast):
        migration = importlib.import_module("accounts.migrations.0005_sessions_cached_backend")
        client.force_login(cast.camille)
        session = SessionStore(session_key=client.session.session_key)
        session[BACKEND_SESSION_KEY] = migration.OLD  # as Django's default backend wrote it
        session.save()
        assert client.get("/stories/").status_code == 302  # signed out: the backend is unknown now
        client.force_login(cast.camille)
        session = SessionStore(session_key=client.session.session_key)
        session[BACKEND_SESSION_KEY] = migration.OLD
        session.save()
        migration.rename_backend(django_apps, None)
        assert client.get("/stories/").status_code == 200
