from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.backup import backup


class Command(BaseCommand):
    help = "Write the database and every photo to one archive (tar.gz) that `restore` loads into a new database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive to write, e.g. /backups/stories-2026-12-01.tar.gz")

    def handle(self, *args, path: Path, **options):
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        summary = backup(path)
        for name in summary.missing_photos:
            self.stderr.write(f"Warning: {name} is referred to by the database but missing from the storage.")
        self.stdout.write(
            f"Backed up {summary.rows} rows in {summary.tables} tables and {summary.photos} photos "
            f"({summary.photo_bytes / 1e6:.1f} MB) to {path} in {summary.seconds:.1f} s."
        )
