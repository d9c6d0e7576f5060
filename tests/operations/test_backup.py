"""Backups that restore: every row, tag and photo, across SQLite and PostgreSQL; refusals that change nothing."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from practices.backup import row_counts
from tests.operations.backup_facts import facts

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def manage(*args: str, database_url: str, var_dir: Path, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME"}},
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def facts_of(**where) -> dict:
    result = manage(
        "shell",
        "-v0",
        "-c",
        "from tests.operations.backup_facts import facts; import json; print(json.dumps(facts()))",
        **where,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def comparable(found: dict, *, same_engine: bool) -> dict:
    found = dict(found)
    found["tags"] = {int(pk): tags for pk, tags in found["tags"].items()}
    found.pop("vendor")
    if not same_engine:
        found.pop("search")  # each engine ranks in its own way
    return found


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def archive(demo, tmp_path) -> Path:
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def postgresql_target():
    """A new, empty PostgreSQL database beside the test database (only when the tests run on PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("the source database is SQLite")
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    server = psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"],
        autocommit=True,
    )
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = f"{params['USER']}:{params['PASSWORD']}" if params["PASSWORD"] else params["USER"]
    yield f"postgres://{user}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


class BackupRoundTripTests:
    def test_a_restore_into_a_new_sqlite_database_keeps_everything(self, archive, tmp_path):
        source = facts()
        assert sum(1 for tags in source["tags"].values() if tags) > 10
        assert len(source["photos"]) >= 10
        target = {"database_url": "", "var_dir": tmp_path / "sqlite", "media_root": tmp_path / "sqlite-media"}
        result = manage("restore", str(archive), **target)
        assert result.returncode == 0, result.stderr
        assert "Every count and photo matches the backup" in result.stdout
        restored = facts_of(**target)
        same_engine = connection.vendor == "sqlite"
        assert comparable(restored, same_engine=same_engine) == comparable(source, same_engine=same_engine)

    def test_a_restore_into_a_new_postgresql_database_keeps_everything(self, archive, tmp_path, postgresql_target):
        source = facts()
        target = {"database_url": postgresql_target, "var_dir": tmp_path / "pg", "media_root": tmp_path / "pg-media"}
        result = manage("restore", str(archive), **target)
        assert result.returncode == 0, result.stderr
        assert comparable(facts_of(**target), same_engine=True) == comparable(source, same_engine=True)
        # New rows get new ids: the sequences continue after the restored ones.
        new_story = manage(
            "shell", "-v0", "-c",
            "from stories.models import Story; from tests.factories import make_story; "
            "from accounts.models import User; print(make_story(User.objects.get(username='hugo')).pk)",
            **target,
        )  # fmt: skip
        assert new_story.returncode == 0, new_story.stderr
        assert int(new_story.stdout.strip()) > max(source["tags"])

    def test_the_manifest_names_every_table_and_photo(self, archive):
        import tarfile

        with tarfile.open(archive) as opened:
            manifest = json.load(opened.extractfile("manifest.json"))
            names = set(opened.getnames())
        assert manifest["counts"] == row_counts()
        assert manifest["counts"]["taggit.taggeditem"] > 0
        assert "practices.curation" not in manifest["counts"]
        assert "sessions.session" not in manifest["counts"]
        assert {f"media/{name}" for name in manifest["photos"]} <= names


class RestoreRefusalTests:
    def test_it_refuses_a_database_with_content_and_changes_nothing(self, archive):
        before = row_counts()
        with pytest.raises(CommandError, match="already holds content"):
            call_command("restore", str(archive))
        assert row_counts() == before

    def test_it_refuses_storage_that_holds_the_photos(self, archive, tmp_path, settings):
        target = {"database_url": "", "var_dir": tmp_path / "new", "media_root": Path(settings.MEDIA_ROOT)}
        result = manage("restore", str(archive), **target)
        assert result.returncode != 0
        assert "photo storage already holds" in result.stderr
        assert "Nothing was changed" in result.stderr

    def test_it_refuses_a_file_that_is_not_a_backup(self, tmp_path):
        import tarfile

        path = tmp_path / "other.tar.gz"
        with tarfile.open(path, "w:gz"):
            pass
        with pytest.raises(CommandError, match="not a backup"):
            call_command("restore", str(path))
