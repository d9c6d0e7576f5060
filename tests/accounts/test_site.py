import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Region, Store, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class HealthzTests:
    def test_it_answers_without_session_or_database(self, client, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"
        assert "sessionid" not in response.cookies
        assert "Set-Cookie" not in response.headers

    def test_it_refuses_a_post(self, client):
        assert client.post("/healthz").status_code == 405


class SettingsTests:
    def test_without_debug_a_missing_secret_key_stops_start_up_with_one_line(self):
        result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
        assert result.returncode != 0
        assert "SECRET_KEY is not set" in result.stderr

    def test_without_debug_missing_allowed_hosts_stops_start_up(self):
        result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60)
        assert result.returncode != 0
        assert "ALLOWED_HOSTS is not set" in result.stderr

    def test_deploy_checks_pass_with_production_settings(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DEBUG="0",
            SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            ALLOWED_HOSTS="stories.example.com",
            EMAIL_HOST="smtp.example.com",
            HTTPS_ONLY="1",
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
        assert result.returncode == 0, result.stderr + result.stdout

    def test_production_without_a_shared_cache_is_warned(self):
        result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="stories.example.com", REDIS_URL="")
        assert "config.W001" in result.stderr + result.stdout
        assert "REDIS_URL" in result.stderr + result.stdout

    def test_every_response_carries_a_strict_content_security_policy(self, client):
        policy = client.get(reverse("login")).headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


class LanguageTests:
    def test_the_browser_language_chooses(self, client, cast):
        client.force_login(cast.camille)
        page = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).content.decode()
        assert '<html lang="fr">' in page
        assert "Fil" in page and "Magasins" in page

    def test_the_switcher_overrides_and_is_remembered(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/stories/"})
        assert response.status_code == 302
        assert response["Location"] == "/stories/"
        page = client.get("/", headers={"accept-language": "fr"}).content.decode()
        assert '<html lang="en">' in page
        cast.camille.refresh_from_db()
        assert cast.camille.preferred_language == "en"

    def test_the_switcher_ignores_an_unknown_language_and_an_off_site_next(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(
            reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example.com/"}
        )
        assert response.status_code == 302
        assert "evil" not in response["Location"]
        cast.camille.refresh_from_db()
        assert cast.camille.preferred_language == ""

    def test_the_switcher_works_before_logging_in(self, client):
        response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/accounts/login/"})
        assert response.status_code == 302
        page = client.get("/accounts/login/").content.decode()
        assert "Connexion" in page


class ProfileTests:
    def test_it_shows_the_person_and_their_store(self, client, cast):
        client.force_login(cast.hugo)
        page = client.get(reverse("accounts:profile", args=["camille"])).content.decode()
        assert "Camille Martin" in page
        assert "Paris Opéra" in page

    def test_an_unknown_person_is_404(self, client, cast):
        client.force_login(cast.hugo)
        assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404


class SeedDemoTests:
    def test_it_loads_the_demo_accounts_once(self, client):
        call_command("seed_demo")
        counts = (Region.objects.count(), Store.objects.count(), User.objects.count())
        call_command("seed_demo")
        assert (Region.objects.count(), Store.objects.count(), User.objects.count()) == counts
        assert counts[0] == 2 and counts[1] >= 4
        for username in ["camille", "hugo", "julien", "lea", "admin"]:
            # Through the log-in page: the throttling backend (django-axes) needs the request.
            response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
            assert response.status_code == 302, username

    def test_the_demo_roles_match_the_design(self):
        call_command("seed_demo")
        julien = User.objects.get(username="julien")
        camille = User.objects.get(username="camille")
        assert julien.has_perm("practices.promote_story")
        assert julien.has_perm("practices.view_dashboard")
        assert not camille.has_perm("practices.promote_story")
        assert User.objects.get(username="admin").is_staff
        assert not camille.is_staff

    def test_if_empty_leaves_a_database_with_people_alone(self, cast):
        call_command("seed_demo", if_empty=True)
        assert not User.objects.filter(username="ines").exists()


def require_redis() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")


class RedisCacheTests:
    def test_redis_url_gives_a_working_shared_cache(self):
        require_redis()
        script = (
            "from django.core.cache import caches; cache = caches['default']; cache.set('probe', 'shared', 30); "
            "print(type(cache).__name__, cache.get('probe'))"
        )
        result = run_manage("shell", "-c", script, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/7")
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-2:] == ["RedisCache", "shared"]
