from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roster import RosterReport, operator_language, roster_import

SHOWN_CHANGES = 20  # without --dry-run or -v 2


class Command(BaseCommand):
    help = (
        "Import the HR roster (CSV or XLSX): people matched by employee_id, stores by store_code, regions by name. "
        "All or nothing: a file with an invalid line changes nothing and every problem is listed. "
        "Messages are in the language of LANG (fr or en)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster: .csv (UTF-8, comma or semicolon) or .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; write nothing.")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Deactivate people with an employee ID who are not in the file (a full roster).",
        )

    def handle(self, *args, file: str, dry_run: bool = False, deactivate_missing: bool = False, **options):
        path = Path(file)
        with translation.override(operator_language()):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            with path.open("rb") as stream:
                report = roster_import(
                    file=stream, filename=path.name, dry_run=dry_run, deactivate_missing=deactivate_missing
                )
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
            self.write_report(report, verbosity=options["verbosity"])

    def write_report(self, report: RosterReport, *, verbosity: int) -> None:
        shown = report.changes if verbosity >= 2 or report.dry_run else report.changes[:SHOWN_CHANGES]
        for line in shown:
            self.stdout.write(f"  {line}")
        if len(shown) < len(report.changes):
            self.stdout.write(
                "  " + _("… and %(count)d more (-v 2 lists them all).") % {"count": len(report.changes) - len(shown)}
            )
        for title, counts in report.summary():
            self.stdout.write(f"{title}: " + ", ".join(f"{label} {count}" for label, count in counts))
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.change_count == 0:
            self.stdout.write(self.style.SUCCESS(_("Done: %(lines)d lines, 0 changes.") % {"lines": report.lines}))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Done: %(lines)d lines, %(changes)d changes.")
                    % {"lines": report.lines, "changes": report.change_count}
                )
            )
