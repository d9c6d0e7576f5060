from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from practices.library import demo as practices_demo
from practices.onboarding import demo as onboarding_demo
from practices.referents import demo as referent_demo
from practices.voice import demo as voice_demo
from stories import demo as stories_demo


class Command(BaseCommand):
    help = "Load the demo network, people and content. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no people yet (what `make run` uses).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people: demo data not loaded again.")
        else:
            with transaction.atomic():
                accounts_demo.seed()
                stories_demo.seed()
                practices_demo.seed()
                onboarding_demo.seed()
                referent_demo.seed()
                voice_demo.seed()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for line in accounts_demo.login_lines():
            self.stdout.write(line)
