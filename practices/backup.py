"""Backups: the database and every photo in one archive, and back into a new, empty database.

The database goes as Django's JSON fixture format (BackupSerializer), not as the engine's own dump, so
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
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JsonSerializer
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


class BackupSerializer(JsonSerializer):
    """Django's JSON fixture format, with content types and permissions by natural key, everything else by id.

    Their ids differ between databases, so they must go by name; every other relation goes by id,
    read from the row itself (Django's natural keys would fetch each row's author, tag... one query
    at a time: hours for a chain's history). loaddata reads the result as any JSON fixture.
    """

    def handle_fk_field(self, obj: models.Model, field: models.ForeignKey) -> None:
        if field.remote_field.model is ContentType:
            pk = getattr(obj, field.attname)
            self._current[field.name] = ContentType.objects.get_for_id(pk).natural_key() if pk else None
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: models.ManyToManyField) -> None:
        natural, self.use_natural_foreign_keys = self.use_natural_foreign_keys, field.remote_field.model is Permission
        try:
            super().handle_m2m_field(obj, field)
        finally:
            self.use_natural_foreign_keys = natural


def _all_rows():
    """Every backed-up row, table by table in dependency order, read in chunks."""
    ordered = serializers.sort_dependencies(
        [(apps.get_app_config(model._meta.app_label), [model]) for model in backed_up_models()], allow_cycles=True
    )
    for model in ordered:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


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
        with data.open("w") as stream:
            BackupSerializer().serialize(_all_rows(), stream=stream, use_natural_foreign_keys=True)
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
            _load(data)
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


def _load(data: Path) -> None:
    """Insert every row of the fixture, a thousand at a time, then its many-to-many links, then move sequences.

    loaddata saves rows one by one (an UPDATE then an INSERT each): 20 times slower for 100,000
    stories. Foreign keys are checked at commit (Django creates them deferred), so order does not matter.
    """
    rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    links: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    with data.open() as stream:
        for item in serializers.deserialize("json", stream):
            rows[type(item.object)].append(item.object)
            for name, targets in item.m2m_data.items():
                field = item.object._meta.get_field(name)
                through = field.remote_field.through
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                links[through] += [through(**{source: item.object.pk, target: pk}) for pk in targets]
    for model, objects in [*rows.items(), *links.items()]:
        model._base_manager.bulk_create(objects, batch_size=1000)
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [*rows, *links]):
            cursor.execute(statement)


def _refresh_search() -> None:
    """Full-text vectors are PostgreSQL's own: a backup from SQLite has none, so they are made again."""
    from practices.models import Standard
    from stories.models import Story

    Story.objects.all().update_search_vectors()
    Standard.objects.all().update_search_vectors()
