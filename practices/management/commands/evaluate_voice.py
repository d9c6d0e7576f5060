from django.core.management.base import BaseCommand, CommandError

from practices.models import PillarWords
from practices.voice.evaluation import Evaluation, Score, evaluate, labelled_set


def figure(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


class Command(BaseCommand):
    help = (
        "Precision and recall per pillar (and sentiment) of the pillar word lists on the labelled set "
        "(practices/voice/data/labelled_feedback.csv): the demo's sayings and items written in both languages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=["en", "fr"], help="Only the items in this language.")

    def handle(self, *args, language: str | None = None, **options):
        if not PillarWords.objects.exists():
            raise CommandError("No pillar word lists: load the demo (manage.py seed_demo) or write them in the admin.")
        items = [item for item in labelled_set() if language is None or item.language == language]
        result = evaluate(items)
        self.stdout.write(f"{result.items} labelled items" + (f" ({language})" if language else ""))
        self.write_table("pillar", result.pillars, result)
        self.write_table("sentiment", result.sentiments, result)
        self.stdout.write(f"sentiment accuracy: {result.sentiment_accuracy:.2f}")

    def write_table(self, title: str, scores: dict[str, Score], result: Evaluation) -> None:
        self.stdout.write(f"\n{title:<16} precision  recall     f1  support")
        rows = list(scores.items())
        if title == "pillar":
            rows.append(("all pillars", result.overall))
        for name, score in rows:
            figures = f"{figure(score.precision)}   {figure(score.recall)}  {figure(score.f1)}"
            self.stdout.write(f"{name:<16}     {figures}  {score.support:7d}")
