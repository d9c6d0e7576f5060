"""The production set-up for real: two gunicorn app processes behind nginx, sharing PostgreSQL and Redis.

nginx balances between the two (deploy/nginx/app.conf, the file we ship), and says which one
answered (X-Upstream). A person logs in, posts a comment through one process and reads it
through the other. Runs when nginx is installed (CI installs it; REQUIRE_BROWSER=1 makes its
absence a failure, as for the browser tests) and the tests run on PostgreSQL.
"""

import http.client
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.conftest import PASSWORD
from tests.factories import jpeg_upload, make_story
from tests.operations.servers import free_port, running

ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def requirements():
    if not os.path.exists(NGINX):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"The production test is required but {NGINX} is missing (apt-get install nginx).")
        pytest.skip(f"{NGINX} is missing: apt-get install nginx to run the production test")
    if connection.vendor != "postgresql":
        pytest.skip("two app processes share a PostgreSQL database (set DATABASE_URL)")


def database_url() -> str:
    params = connection.settings_dict
    user = f"{params['USER']}:{params['PASSWORD']}" if params["PASSWORD"] else params["USER"]
    return f"postgres://{user}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def nginx_config(tmp: Path, port: int, app_ports: list[int], media: Path) -> str:
    servers = "\n".join(f"server 127.0.0.1:{app_port};" for app_port in app_ports)
    temp_paths = "\n".join(
        f"{kind}_temp_path {tmp}/{kind};" for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    return f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    {temp_paths}
    upstream stories_app {{ {servers} }}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        include {ROOT}/deploy/nginx/app.conf;
        location /protected-media/ {{ internal; alias {media}/; }}
    }}
}}
"""


class Browser:
    """Cookies, CSRF tokens and no automatic redirects: each answer says which app process gave it."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, dict(answer.headers), answer.read().decode()

    @staticmethod
    def csrf_token(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def production_env(static: Path, media: Path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DEBUG": "0",
        "SECRET_KEY": "production-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS_ONLY": "0",
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "STATIC_ROOT": str(static),
        "MEDIA_ROOT": str(media),
        "PHOTOS_X_ACCEL_PREFIX": "/protected-media/",
        "PROXY_COUNT": "1",
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Static files collected once, as production does before starting (hashed names, compressed)."""
    static = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "localhost", "STATIC_ROOT": str(static)}
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    collect = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr
    return static


@pytest.fixture
def site(requirements, static_root, tmp_path, settings):
    """nginx on one port in front of two gunicorn processes, all on loopback, production settings."""
    env = production_env(static_root, Path(settings.MEDIA_ROOT))
    # The cache finds rows by id, and the test database starts its ids again: what an earlier run
    # left in this Redis database must go (as after any restore, README "Backups and restore").
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    app_ports = [free_port()]
    app_ports.append(free_port(exclude=set(app_ports)))
    nginx_port = free_port(exclude=set(app_ports))
    (tmp_path / "nginx.conf").write_text(nginx_config(tmp_path, nginx_port, app_ports, Path(settings.MEDIA_ROOT)))
    gunicorn = [str(BIN / "gunicorn"), "config.wsgi", "--workers", "1", "--no-control-socket"]

    def app(n: int):
        command = [*gunicorn, "--bind", f"127.0.0.1:{app_ports[n]}"]
        return running(command, port=app_ports[n], log=tmp_path / f"app{n}.log", env=env, cwd=ROOT)

    nginx = running([NGINX, "-c", str(tmp_path / "nginx.conf")], port=nginx_port, log=tmp_path / "nginx.log")
    with app(0), app(1), nginx:
        yield f"http://127.0.0.1:{nginx_port}"


def with_production_password(user) -> None:
    """The suite hashes passwords with MD5 for speed; the app processes only accept real hashers."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


def log_in(browser: "Browser", user) -> None:
    with_production_password(user)
    _, _, html = browser.request("/accounts/login/")
    token = browser.csrf_token(html)
    status, _, _ = browser.request(
        "/accounts/login/", {"csrfmiddlewaretoken": token, "username": user.username, "password": PASSWORD}
    )
    assert status == 302, "log-in failed"


class TwoAppProcessesTests:
    def test_a_comment_written_through_one_process_is_read_through_the_other(self, site, cast):
        story = make_story(cast.camille, title="Umbrellas by the door")
        browser = Browser(site)
        log_in(browser, cast.hugo)

        status, _, html = browser.request(story.get_absolute_url())
        assert status == 200 and "Umbrellas by the door" in html
        status, headers, _ = browser.request(
            f"/stories/{story.pk}/comments/",
            {"csrfmiddlewaretoken": browser.csrf_token(html), "body": "Written through one process"},
        )
        assert status == 302
        writer = headers["X-Upstream"]

        readers = set()
        for _ in range(4):
            status, headers, html = browser.request(story.get_absolute_url())
            assert status == 200
            assert "Written through one process" in html
            readers.add(headers["X-Upstream"])
        assert readers - {writer}, "every read went to the process that wrote"

    def test_static_files_photos_and_the_upload_limit(self, site, cast):
        story = make_story(cast.camille, photos=[jpeg_upload()], photo_alt="A shelf")
        photo = story.photos.get()
        browser = Browser(site)
        log_in(browser, cast.hugo)
        _, _, html = browser.request("/")
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html).group(1)  # hashed by collectstatic
        status, headers, _ = browser.request(stylesheet)
        assert status == 200 and "immutable" in headers["Cache-Control"]

        # Django checks access, nginx sends the file (X-Accel-Redirect).
        with photo.image.open("rb") as stored, browser.opener.open(site + photo.url) as response:
            assert response.read() == stored.read()
            assert response.headers["Cache-Control"] == "private, max-age=600"

        # 60 MB announced: nginx answers 413 before reading the body.
        host, port = site.removeprefix("http://").split(":")
        upload = http.client.HTTPConnection(host, int(port), timeout=10)
        upload.putrequest("POST", "/stories/new/")
        upload.putheader("Content-Type", "multipart/form-data; boundary=xyz")
        upload.putheader("Content-Length", str(60 * 1024 * 1024))
        upload.endheaders(b"--xyz\r\n")
        assert upload.getresponse().status == 413

        status, _, body = browser.request("/readyz")
        assert (status, body) == (200, "database: ok\n")
