"""Backups: the database and every photo in one archive, and back into a new, empty database.

The database goes as Django's JSON fixture (dumpdata), not as the engine's own dump, so
that a backup taken on PostgreSQL restores on SQLite and the other way round, and a
restore runs through the same migrations as a new install. Content types and
permissions are made by those migrations and referred to by natural keys (their ids
differ between databases); primary keys are kept everywhere else (natural primary keys
lose tag links: taggit's items would be matched to the wrong rows). Not kept: sessions
(a restore logs everyone out rather than carry live session keys in a file) and the
table-less permissions model (practices.Curation).

The archive (tar.gz) holds manifest.json (format, date, the row count of every table,
each photo's size and SHA-256), data.json and media/<name> for every stored file, read
from the storage in use (local disk or object storage).

It lives in practices because it reads every app (practices may import the others).
"""

import contextlib
import hashlib
import io
import json
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

FORMAT = 1
# Made by the migrations of a new database; not content.
MADE_BY_MIGRATIONS = {"contenttypes.contenttype", "auth.permission", "auth.group", "auth.group.permissions"}
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "practices.curation"}


class BackupError(Exception):
    """Something an operator must act on; the message says what."""


@dataclass(frozen=True)
class Summary:
    rows: int
    tables: int
    photos: int
    photo_bytes: int
    seconds: float
    missing_photos: tuple[str, ...] = ()


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, but those the migrations make (or that are not worth keeping)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def row_counts() -> dict[str, int]:
    """Rows in each backed-up table, many-to-many tables included (`app.model.field`)."""
    counts = {}
    for model in backed_up_models():
        counts[model._meta.label_lower] = model._default_manager.count()
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                counts[f"{model._meta.label_lower}.{field.name}"] = field.remote_field.through.objects.count()
    return counts


def stored_file_names() -> list[str]:
    """The names of every file a row refers to (photos and thumbnails), from every file field of every model."""
    names: set[str] = set()
    for model in backed_up_models():
        for field in model._meta.fields:
            if isinstance(field, models.FileField):
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return sorted(names)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(time.time())
    archive.addfile(info, io.BytesIO(data))


def backup(path: Path) -> Summary:
    """Write the archive to `path` (through a temporary file beside it, renamed at the end)."""
    started = time.monotonic()
    connection = connections[DEFAULT_DB_ALIAS]
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with tempfile.TemporaryDirectory() as work, transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table: rows written meanwhile are all in or all out.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        data = Path(work) / "data.json"
        labels = [model._meta.label for model in backed_up_models()]
        call_command("dumpdata", *labels, natural_foreign=True, output=str(data), verbosity=0)
        counts = row_counts()
        photos, missing = {}, []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data, "data.json")
            for name in stored_file_names():
                try:
                    with default_storage.open(name, "rb") as stored:
                        content = stored.read()
                except FileNotFoundError:
                    missing.append(name)
                    continue
                photos[name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                _add_bytes(archive, f"media/{name}", content)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "database": connection.vendor,
                "counts": counts,
                "photos": photos,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    partial.replace(path)
    return Summary(
        rows=sum(counts.values()),
        tables=len(counts),
        photos=len(photos),
        photo_bytes=sum(photo["size"] for photo in photos.values()),
        seconds=time.monotonic() - started,
        missing_photos=tuple(missing),
    )


def content_in_database() -> dict[str, int]:
    """Backed-up tables that already hold rows (those the migrations fill aside), with their counts."""
    existing = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    found = {}
    for model in backed_up_models():
        if model._meta.db_table in existing and model._meta.label_lower not in MADE_BY_MIGRATIONS:
            count = model._default_manager.count()
            if count:
                found[model._meta.label_lower] = count
    return found


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except KeyError:
        raise BackupError("This file is not a backup made by `manage.py backup` (no manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup has format {manifest.get('format')}; this version reads format {FORMAT}.")
    return manifest


def restore(path: Path) -> Summary:
    """Load the archive at `path` into a new, empty database and empty storage; check every count and photo."""
    started = time.monotonic()
    with tarfile.open(path, "r:gz") as archive:
        manifest = _read_manifest(archive)
        content = content_in_database()
        if content:
            listed = ", ".join(f"{count} {label}" for label, count in sorted(content.items())[:5])
            raise BackupError(
                f"The database already holds content ({listed}...). Restore into a new, empty database: "
                "create one, point DATABASE_URL at it and run restore again. Nothing was changed."
            )
        present = [name for name in manifest["photos"] if default_storage.exists(name)]
        if present:
            raise BackupError(
                f"The photo storage already holds {len(present)} of this backup's photos (such as {present[0]}). "
                "Restore into empty storage (a new MEDIA_ROOT or bucket). Nothing was changed."
            )
        call_command("migrate", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory() as work, transaction.atomic():
            data = Path(work) / "data.json"
            data.write_bytes(archive.extractfile("data.json").read())
            # The backup has the roles as they were, with their ids: those the migrations made go.
            apps.get_model("auth", "Group").objects.all().delete()
            call_command("loaddata", str(data), verbosity=0)
            _refresh_search()
            counts = row_counts()
            if counts != manifest["counts"]:
                differences = {
                    label: (manifest["counts"].get(label), counts.get(label))
                    for label in sorted(set(counts) | set(manifest["counts"]))
                    if counts.get(label) != manifest["counts"].get(label)
                }
                raise BackupError(f"Row counts differ after loading (backup, restored): {differences}. Rolled back.")
        photo_bytes = 0
        for name, expected in manifest["photos"].items():
            content = archive.extractfile(f"media/{name}").read()
            if hashlib.sha256(content).hexdigest() != expected["sha256"]:
                raise BackupError(f"The photo {name} in the archive is damaged (its SHA-256 differs).")
            saved = default_storage.save(name, File(io.BytesIO(content), name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}; restore into empty storage.")
            photo_bytes += len(content)
    # Cached pages are found by row ids, which now name other rows. A cache that cannot answer is left.
    with contextlib.suppress(Exception):
        cache.clear()
    return Summary(
        rows=sum(counts.values()),
        tables=len(counts),
        photos=len(manifest["photos"]),
        photo_bytes=photo_bytes,
        seconds=time.monotonic() - started,
    )


def _refresh_search() -> None:
    """Full-text vectors are PostgreSQL's own: a backup from SQLite has none, so they are made again."""
    from practices.models import Standard
    from stories.models import Story

    Story.objects.all().update_search_vectors()
    Standard.objects.all().update_search_vectors()
