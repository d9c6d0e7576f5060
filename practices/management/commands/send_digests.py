from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus

from practices.digest.services import digest_recipients, last_week, parse_week
from practices.digest.tasks import digests_enqueue


class Command(BaseCommand):
    help = (
        "Send the weekly digest of last week (or --week) to everyone who has it on and has not had it yet. "
        "The digests go through the task queue: sent at once in the embedded default, by db_worker in production. "
        "Safe to run again: nobody gets the same week twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            help="The week to send: an ISO week (2026-W47) or any date in it (2026-11-18). Default: last week.",
        )
        parser.add_argument(
            "--user", action="append", dest="usernames", metavar="USERNAME", help="Only this person (repeatable)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say who would get it; send and record nothing.")

    def handle(self, *args, week: str | None = None, usernames: list[str] | None = None, dry_run: bool = False, **o):
        try:
            monday = parse_week(week) if week else last_week()
        except ValueError as error:
            raise CommandError(f"--week {week!r}: give an ISO week (2026-W47) or a date (2026-11-18).") from error
        if dry_run:
            recipients = digest_recipients(week=monday, usernames=usernames)
        else:
            recipients, results = digests_enqueue(week=monday, usernames=usernames)
        self.stdout.write(f"Weekly digest, week of {monday:%Y-%m-%d} ({monday:%G-W%V}):")
        verb = "would send" if dry_run else "to send"
        for person in recipients.to_send:
            language = person.known_language or "default language"
            self.stdout.write(f"  {verb}: {person.username} <{person.email}> ({language})")
        for person in recipients.no_email:
            self.stdout.write(f"  skipped, no e-mail address: {person.username}")
        if recipients.already_sent:
            self.stdout.write(f"  already sent this week: {len(recipients.already_sent)}")
        if dry_run:
            self.stdout.write("Dry run: nothing sent, nothing recorded.")
            return
        if not results:
            self.stdout.write("Nothing to send.")
            return
        failed = [result for result in results if result.status == TaskResultStatus.FAILED]
        done = [result for result in results if result.status == TaskResultStatus.SUCCESSFUL]
        if done and len(done) == len(results):  # the immediate backend ran them already
            totals: dict[str, int] = {}
            for result in done:
                for outcome, count in result.return_value.items():
                    totals[outcome] = totals.get(outcome, 0) + count
            summary = ", ".join(f"{outcome}: {count}" for outcome, count in totals.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Done. {summary or 'nothing to do'}."))
        elif not failed:
            self.stdout.write(self.style.SUCCESS(f"{len(results)} batch(es) queued for the task worker (db_worker)."))
        for result in failed:
            self.stderr.write(result.errors[-1].traceback if result.errors else "A batch failed.")
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} batch(es) failed: see the errors above.")
