from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load an archive written by `backup` into a new, empty database (tables are created) and empty storage."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive written by `manage.py backup`.")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            summary = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.rows} rows in {summary.tables} tables and {summary.photos} photos "
            f"({summary.photo_bytes / 1e6:.1f} MB) in {summary.seconds:.1f} s. "
            "Every count and photo matches the backup."
        )
