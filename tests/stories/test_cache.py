"""What a person sees after each kind of write: with the cache (local memory or Redis), without it, when Redis fails.

These tests say nothing of how the cache works: every page is read once before the
write (so that whatever can be cached is), then again after it, by the author and
by a colleague.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag

from accounts.demo import DEMO_PASSWORD
from config.cache import cache_resume
from practices.library import services as practices_services
from practices.referents.services import referent_name
from stories import services
from tests.factories import make_pillar, make_story

ROOT = Path(__file__).resolve().parents[2]
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-cache"}}
NONE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def redis_caches(port: int, db: int = 11) -> dict:
    return {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/{db}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


def redis_reachable(port: int = 6379) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["local", "redis"])
def shared_cache(request):
    """The tests run with each cache the site can have: local memory, and the machine's Redis."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI"):
                pytest.fail("no Redis on 127.0.0.1:6379")
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings_caches = redis_caches(6379)
    else:
        settings_caches = LOCAL
    with override_settings(CACHES=settings_caches):
        cache.clear()
        cache_resume()
        yield request.param
        cache.clear()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def login(client, person):
    client.force_login(person)
    return client


def read(client, story) -> tuple[str, str]:
    """The feed (newest first) and the story page, as this client's person sees them."""
    feed = client.get("/stories/?sort=new")
    assert feed.status_code == 200
    page = client.get(reverse("stories:detail", args=[story.pk]))
    return feed.content.decode(), page.content.decode() if page.status_code == 200 else f"status {page.status_code}"


@pytest.fixture
def scene(cast, client, shared_cache):
    """camille's story, read once by camille (its author) and hugo (a colleague) before each write."""
    from django.test import Client

    pillar = make_pillar(slug="take-charge", name="Take charge")
    story = make_story(cast.camille, title="Umbrellas at the door", pillar=pillar, tags=["rain"])
    author, colleague = login(Client(), cast.camille), login(Client(), cast.hugo)
    for reader in (author, colleague):
        read(reader, story)
        read(reader, story)  # the second read comes from the cache where anything is cached
    return story, author, colleague, pillar


class WriteThenReadTests:
    def test_a_vote_and_its_withdrawal_show_at_once(self, scene):
        story, author, colleague, _ = scene
        colleague.post(reverse("stories:vote", args=[story.pk]), {"voted": "1"})
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "1 vote" in feed and "1 vote" in page
        assert 'vote-button btn-primary" aria-pressed="true"' in squeeze(read(colleague, story)[1])
        colleague.post(reverse("stories:vote", args=[story.pk]), {"voted": "0"})
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "0 votes" in feed and "0 votes" in page
        assert 'vote-button btn-outline-primary" aria-pressed="false"' in squeeze(read(colleague, story)[1])

    def test_a_comment_and_a_reply_show_at_once(self, scene, cast):
        story, author, colleague, _ = scene
        colleague.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Lovely idea"})
        comment = story.comments.get()
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "1 comment" in feed and "Lovely idea" in page
        author.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Thank you!", "parent": comment.pk})
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "2 comments" in feed
            assert re.search(r'class="replies.*Thank you!', page, re.S)

    def test_a_comment_edited_deleted_or_hidden_shows_at_once(self, scene, cast):
        story, author, colleague, _ = scene
        comment = services.comment_add(author=cast.hugo, story=story, body="First thoughts")
        read(author, story)
        colleague.post(reverse("stories:comment-edit", args=[comment.pk]), {"body": "Second thoughts"})
        assert "Second thoughts" in read(author, story)[1]
        colleague.post(reverse("stories:comment-delete", args=[comment.pk]))
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "Second thoughts" not in page and "Comment deleted." in page
            assert "0 comments" in feed
        other = services.comment_add(author=cast.hugo, story=story, body="Rude words")
        read(author, story)
        services.comment_set_status(comment=other, status="hidden")
        assert "Rude words" not in read(author, story)[1]

    def test_an_edit_shows_at_once(self, scene, cast):
        story, author, colleague, _ = scene
        author.post(
            reverse("stories:edit", args=[story.pk]),
            {"kind": "story", "title": "Umbrellas for everyone", "body": "New text.", "language": "en", "tags": "rain"},
        )
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "Umbrellas for everyone" in feed and "Umbrellas for everyone" in page and "New text." in page

    def test_hidden_and_deleted_stories_leave_at_once(self, scene, cast):
        story, author, colleague, _ = scene
        curator = login(type(author)(), cast.julien)
        curator.post(reverse("stories:hide", args=[story.pk]), {"reason": "Names a customer"})
        feed, page = read(colleague, story)
        assert "Umbrellas at the door" not in feed and page == "status 404"
        assert "hidden by a curator" in read(author, story)[1]
        curator.post(reverse("stories:hide", args=[story.pk]))  # shown again
        assert "Umbrellas at the door" in read(colleague, story)[0]
        author.post(reverse("stories:delete", args=[story.pk]))
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "Umbrellas at the door" not in feed and page == "status 404"

    def test_we_tried_it_shows_at_once(self, scene, cast):
        story, author, colleague, _ = scene
        colleague.post(reverse("stories:tried", args=[story.pk]), {"outcome": "Customers smiled"})
        for reader in (author, colleague):
            page = read(reader, story)[1]
            assert "1 store tried this idea" in page and "Customers smiled" in page
        assert "We tried it at Lyon Bellecour" not in read(colleague, story)[1]

    def test_a_promotion_and_the_standard_s_title_show_at_once(self, scene, cast):
        story, author, colleague, pillar = scene
        promotion = practices_services.story_promote(
            story=story,
            curator=cast.julien,
            new_standard={"title": "Lend an umbrella", "summary": "s", "practice": "p", "why": "w", "pillar": pillar},
        )
        for reader in (author, colleague):
            assert "This story inspired the standard" in read(reader, story)[1]
            assert "Lend an umbrella" in read(reader, story)[1]
        standard = promotion.standard
        practices_services.standard_update(
            standard=standard,
            editor=cast.julien,
            title="Lend an umbrella, always",
            summary="s",
            practice="p",
            why="w",
            pillar=pillar,
            tags=[],
        )
        assert "Lend an umbrella, always" in read(colleague, story)[1]

    def test_a_referent_named_or_removed_shows_at_once(self, scene, cast):
        story, author, colleague, pillar = scene
        referent = referent_name(person=cast.camille, pillar=pillar, region=cast.paris.region, curator=cast.julien)
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "referent-mark" in feed and "referent-mark" in page
        referent.delete()  # as the admin does
        for reader in (author, colleague):
            feed, page = read(reader, story)
            assert "referent-mark" not in feed and "referent-mark" not in page

    def test_renames_in_the_admin_show_at_once(self, scene, cast, client):
        story, author, colleague, pillar = scene
        client.force_login(cast.admin)
        response = client.post(
            reverse("admin:stories_pillar_change", args=[pillar.pk]),
            {"name": "Take the lead", "name_fr": "Prenez la main", "slug": pillar.slug, "order": 3, "description": ""},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        cast.paris.name = "Paris Opéra Garnier"
        cast.paris.save()
        cast.camille.display_name = "Camille M."
        cast.camille.save()
        Tag.objects.filter(slug="rain").update(name="pluie")
        for reader in (author, colleague):
            feed, page = read(reader, story)
            for shown in ("Take the lead", "Paris Opéra Garnier", "Camille M.", "#pluie"):
                assert shown in feed and shown in page, shown

    def test_an_admin_edit_goes_through_the_same_services(self, scene, cast, client):
        story, _, colleague, pillar = scene
        client.force_login(cast.admin)
        change = reverse("admin:stories_story_change", args=[story.pk])
        form = client.get(change).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.update(
            {
                "title": "Fixed by the admin",
                "body": "**Bold** text",
                "tags": "rain, parapluie",
                "author": cast.camille.pk,
                "store": cast.paris.pk,
                "pillar": pillar.pk,
                "published_at_0": "2026-01-02",
                "published_at_1": "10:00:00",
                "photos-TOTAL_FORMS": 0,
                "photos-INITIAL_FORMS": 0,
                "revisions-TOTAL_FORMS": 0,
                "revisions-INITIAL_FORMS": 0,
            }
        )
        response = client.post(change, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        story.refresh_from_db()
        assert "<strong>Bold</strong>" in story.body_html
        assert "parapluie" in story.search_document
        feed, page = read(colleague, story)
        assert "Fixed by the admin" in feed and "<strong>Bold</strong>" in page and "#parapluie" in page


def without_tokens(html: str) -> str:
    """The page with what differs on every request removed: the CSRF token and the CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


class SameHtmlTests:
    @pytest.fixture
    def pages(self, cast):
        pillar = make_pillar(slug="take-charge", name="Take charge")
        story = make_story(cast.camille, title="Umbrellas", pillar=pillar, tags=["rain"])
        make_story(cast.hugo, title="A guestbook note", kind="guestbook")
        services.vote_set(user=cast.hugo, story=story, voted=True)
        first = services.comment_add(author=cast.hugo, story=story, body="Nice")
        services.comment_add(author=cast.camille, story=story, body="Thanks", parent=first)
        services.tried_record(user=cast.hugo, story=story, outcome="It worked")
        return ["/stories/", f"/stories/{story.pk}/", "/stores/paris-opera/", "/stores/lyon-bellecour/", "/"]

    @pytest.mark.parametrize("reader", ["camille", "hugo", "julien", "lea"])
    def test_each_page_is_the_same_with_the_cache_or_without(self, client, cast, pages, reader):
        client.force_login(getattr(cast, reader))
        with override_settings(CACHES=NONE):
            without = {url: without_tokens(client.get(url).content.decode()) for url in pages}
        with override_settings(CACHES=LOCAL):
            cache.clear()
            drawn = {url: without_tokens(client.get(url).content.decode()) for url in pages}
            cached = {url: without_tokens(client.get(url).content.decode()) for url in pages}
            cache.clear()
        for url in pages:
            assert drawn[url] == without[url], url
            assert cached[url] == without[url], url


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of the test's own, on a free loopback port, to stop, freeze and restart."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def start() -> subprocess.Popen:
        args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen([*args, "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
        for _ in range(100):
            if redis_reachable(port):
                return process
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    server = {"process": start(), "start": start, "port": port}
    with override_settings(CACHES=redis_caches(port, db=0)):
        cache_resume()
        yield server
        cache_resume()
    server["process"].kill()
    server["process"].wait()


class RedisFaultTests:
    """Redis stopped, frozen or restarted: never an error page, never a write hidden."""

    def comment_and_read(self, cast, client, story, body: str) -> str:
        response = client.post(reverse("stories:comment-new", args=[story.pk]), {"body": body})
        assert response.status_code == 302
        page = client.get(reverse("stories:detail", args=[story.pk]))
        feed = client.get("/stories/")
        assert page.status_code == 200 and feed.status_code == 200
        return page.content.decode()

    def test_a_stopped_redis_only_makes_pages_slower(self, private_redis, cast, client):
        story = make_story(cast.camille, title="Umbrellas")
        client.force_login(cast.hugo)
        assert "Before" in self.comment_and_read(cast, client, story, "Before")
        private_redis["process"].kill()
        private_redis["process"].wait()
        assert "While down" in self.comment_and_read(cast, client, story, "While down")
        private_redis["process"] = private_redis["start"]()
        cache_resume()  # rather than wait for the pause after a failure to end
        page = self.comment_and_read(cast, client, story, "After")
        assert all(body in page for body in ("Before", "While down", "After"))

    def test_a_frozen_redis_hides_nothing_written_meanwhile_once_it_answers_again(self, private_redis, cast, client):
        story = make_story(cast.camille, title="Umbrellas")
        client.force_login(cast.hugo)
        self.comment_and_read(cast, client, story, "Before")
        private_redis["process"].send_signal(signal.SIGSTOP)
        try:
            started = time.monotonic()
            assert "During the stall" in self.comment_and_read(cast, client, story, "During the stall")
            # One call waits for the socket timeout; the next ones skip the cache for a few seconds.
            assert time.monotonic() - started < 5
        finally:
            private_redis["process"].send_signal(signal.SIGCONT)
        cache_resume()
        page = self.comment_and_read(cast, client, story, "After the stall")
        assert "During the stall" in page and "After the stall" in page
        # The author too, on the feed and on the page.
        client.force_login(cast.camille)
        assert "3 comments" in client.get("/stories/").content.decode()
        assert "During the stall" in client.get(reverse("stories:detail", args=[story.pk])).content.decode()

    def test_a_restarted_redis_starts_empty_and_pages_draw_again(self, private_redis, cast, client):
        story = make_story(cast.camille, title="Umbrellas")
        client.force_login(cast.hugo)
        self.comment_and_read(cast, client, story, "Before")
        private_redis["process"].terminate()
        private_redis["process"].wait()
        private_redis["process"] = private_redis["start"]()
        page = self.comment_and_read(cast, client, story, "After the restart")
        assert "Before" in page and "After the restart" in page


def test_a_story_card_shows_nothing_its_key_is_not_made_of(cast, client, shared_cache):
    """A card drawn from a model instance would show what its key does not hold: fragments refuse one."""
    from config.fragments import Fragment, render_fragments

    story = make_story(cast.camille)
    with pytest.raises(TypeError):
        render_fragments([Fragment("stories/includes/story_card.html", {"story": story})])


class TwoProcessesTests:
    """Two app processes (gunicorn) sharing one database and one Redis: what one writes, the other shows."""

    def manage(self, env: dict, *args: str) -> None:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def test_a_write_through_one_process_is_read_through_the_other(self, tmp_path):
        if not redis_reachable():
            if os.environ.get("CI"):
                pytest.fail("no Redis on 127.0.0.1:6379")
            pytest.skip("no Redis on 127.0.0.1:6379")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": "",  # a SQLite file of the test's own, shared by both processes
            "REDIS_URL": "redis://127.0.0.1:6379/12",
            "SECRET_KEY": "two-processes-test",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        self.manage(env, "migrate", "--no-input", "-v0")
        self.manage(env, "seed_demo", "--if-empty")
        ports = [free_port(), free_port()]
        servers = [
            subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in ports
        ]
        try:
            for port in ports:
                wait_for(port)
            first, second = (Browser(f"http://127.0.0.1:{port}") for port in ports)
            for browser in (first, second):
                browser.log_in("hugo", DEMO_PASSWORD)
            story = re.search(r'href="/stories/(\d+)/"', first.get("/stories/?sort=new")).group(1)
            for browser in (first, second):
                browser.get(f"/stories/{story}/")  # both draw the page, and the cache keeps what it can
            first.post(f"/stories/{story}/comments/", {"body": "Written through the first process"})
            assert "Written through the first process" in second.get(f"/stories/{story}/")
            assert "Written through the first process" in first.get(f"/stories/{story}/")
        finally:
            for server in servers:
                server.terminate()
                server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms posted as a browser posts them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        page = self.get(path if path.endswith("/login/") else "/stories/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})  # noqa: S310
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()

    def log_in(self, username: str, password: str) -> None:
        page = self.post("/accounts/login/", {"username": username, "password": password})
        assert 'formaction="/accounts/logout/"' in page, page[:500]
