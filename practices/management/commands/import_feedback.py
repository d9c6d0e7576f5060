from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roster import operator_language
from practices.voice.importer import feedback_import


class Command(BaseCommand):
    help = (
        "Import what customers said (CSV or XLSX from survey tools, mystery shops, review sites): "
        "date, store_code or store, source, rating, text, language, external_id, pillar:<slug> scores. "
        "All or nothing: a file with an invalid line imports nothing and every problem is listed. "
        "Messages are in the language of LANG (fr or en)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The feedback: .csv (UTF-8, comma or semicolon) or .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be imported; write nothing.")
        parser.add_argument(
            "--scale", type=int, choices=[5, 10], help="The ratings' scale when the file has no scale column."
        )

    def handle(self, *args, file: str, dry_run: bool = False, scale: int | None = None, **options):
        path = Path(file)
        with translation.override(operator_language()):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            with path.open("rb") as stream:
                report = feedback_import(file=stream, filename=path.name, dry_run=dry_run, scale=scale)
            if report.errors:
                for error in report.errors:
                    self.stderr.write(str(error))
                count = len(report.errors)
                raise CommandError(
                    ngettext(
                        "Nothing was imported: %(count)d problem in %(file)s.",
                        "Nothing was imported: %(count)d problems in %(file)s.",
                        count,
                    )
                    % {"count": count, "file": path.name}
                )
            self.stdout.write(report.summary())
            if dry_run:
                self.stdout.write(_("Dry run: nothing was written."))
            else:
                self.stdout.write(self.style.SUCCESS(_("Feedback imported.")))
