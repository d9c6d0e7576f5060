"""The labelled set and the word lists' figures (`manage.py evaluate_voice`)."""

from io import StringIO

import pytest
from django.core.management import call_command

from practices.models import PillarWords
from practices.voice.evaluation import evaluate, labelled_set
from practices.voice.words import DEMO_WORDS
from tests.factories import make_pillar

pytestmark = pytest.mark.django_db


@pytest.fixture
def word_lists(db):
    for order, slug in enumerate(DEMO_WORDS, start=1):
        pillar = make_pillar(slug=slug, name=slug.replace("-", " ").capitalize(), order=order)
        for language, words in DEMO_WORDS[slug].items():
            PillarWords.objects.create(pillar=pillar, language=language, words=words)


class LabelledSetTests:
    def test_the_set_holds_the_demo_items_and_at_least_200_written_in_both_languages(self):
        items = labelled_set()
        written = [item for item in items if item.origin == "written"]
        assert len(written) >= 200 and len([item for item in items if item.origin == "demo"]) == 20
        assert {item.language for item in written} == {"en", "fr"}
        assert min(sum(item.language == language for item in written) for language in ("en", "fr")) >= 100
        assert {slug for item in items for slug in item.pillars} == set(DEMO_WORDS)
        assert {item.sentiment for item in items} == {"praise", "complaint", "neutral"}

    def test_the_word_lists_figures_do_not_fall(self, word_lists):
        result = evaluate(labelled_set())
        # Measured when the set was written (README): precision 0.92, recall 0.69 over all pillars.
        assert result.overall.precision >= 0.85 and result.overall.recall >= 0.6
        for score in result.pillars.values():
            assert score.precision >= 0.8 and score.recall >= 0.5

    def test_the_command_prints_precision_and_recall_per_pillar(self, word_lists):
        out = StringIO()
        call_command("evaluate_voice", stdout=out)
        text = out.getvalue()
        assert "238 labelled items" in text and "take-charge" in text and "precision" in text
        assert "sentiment accuracy" in text
