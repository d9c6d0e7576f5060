"""The voice of the customer, in: `python manage.py import_feedback FILE [--dry-run] [--scale 5]`."""

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from practices.models import Feedback, PillarWords
from practices.voice.matching import Matcher
from practices.voice.scrub import scrub
from practices.voice.words import DEMO_WORDS
from tests.factories import make_pillar, make_standard

pytestmark = pytest.mark.django_db

HEADER = "date,store_code,source,rating,text,language,external_id"


@pytest.fixture
def network(cast):
    cast.paris.store_code, cast.lyon.store_code = "PAR01", "LYO01"
    cast.paris.save()
    cast.lyon.save()
    take_charge = make_pillar(slug="take-charge", name="Take charge", name_fr="Prenez les choses en main")
    positive = make_pillar(slug="be-positive", name="Be positive", name_fr="Soyez positif")
    for pillar in (take_charge, positive):
        for language, words in DEMO_WORDS[pillar.slug].items():
            PillarWords.objects.create(pillar=pillar, language=language, words=words)
    cast.take_charge, cast.positive = take_charge, positive
    return cast


def run(tmp_path, content, *options, name="feedback.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out = StringIO()
    call_command("import_feedback", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(tmp_path, content, *options, name="feedback.csv", language="en") -> str:
    """An import that must fail: the errors it printed; nothing may have been stored."""
    before = Feedback.objects.count()
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    err = StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LANG", "fr_FR.UTF-8" if language == "fr" else "en_GB.UTF-8")
        patch.delenv("LC_ALL", raising=False)
        patch.delenv("LC_MESSAGES", raising=False)
        with pytest.raises(CommandError):
            call_command("import_feedback", str(path), *options, stdout=StringIO(), stderr=err)
    assert Feedback.objects.count() == before
    return err.getvalue()


def csv(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


class PersonalDataTests:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("write to jean.dupont+sav@mail.example.fr now", "write to [email] now"),
            ("appelez-moi au 06 12 34 56 78", "appelez-moi au [phone]"),
            ("ou au 06.12.34.56.78 ou 0612345678", "ou au [phone] ou [phone]"),
            ("+33 6 12 34 56 78 et 0033 6 12 34 56 78", "[phone] et [phone]"),
            ("UK +44 20 7946 0958, US +1 (555) 123-4567", "UK [phone], US [phone]"),
            ("carte 4970 1012 3456 7890 refusée", "carte [card] refusée"),
            ("card 4970-1012-3456-7890-123", "card [card]"),
            ("card 4970101234567", "card [card]"),
        ],
    )
    def test_marks_replace_personal_data(self, text, expected):
        assert scrub(text) == expected

    def test_ordinary_numbers_stay(self):
        text = "Ticket 12345 du 12/05/2025 à 14h30: 3 articles à 19,99 €, attendu 10 minutes, caisse 4."
        assert scrub(text) == text

    def test_personal_data_never_reaches_the_database(self, tmp_path, network):
        run(tmp_path, csv("2025-05-01,PAR01,survey,3,Call me 06 12 34 56 78 or me@x.fr card 4970 1012 3456 7890,,"))
        item = Feedback.objects.get()
        assert item.text == "Call me [phone] or [email] card [card]"


class ImportTests:
    def test_a_file_imported(self, tmp_path, network):
        out = run(
            tmp_path,
            csv(
                "2025-05-01,PAR01,survey,2,Trop d'attente à la caisse et personne pour aider,fr,S1",
                "2025-05-02,LYO01,review,9,Lovely welcome and a big smile,en,R1",
                "2025-05-03,LYO01,in_store,,Fine,,",
            ),
        )
        assert "3 lines: 3 new" in out
        waiting = Feedback.objects.get(external_id="S1")
        assert waiting.store == network.paris
        assert waiting.rating == 2
        assert waiting.sentiment == Feedback.Sentiment.COMPLAINT
        assert list(waiting.pillars.all()) == [network.take_charge]
        assert "attente" in waiting.reason and "caisse" in waiting.reason
        welcome = Feedback.objects.get(external_id="R1")
        assert welcome.sentiment == Feedback.Sentiment.PRAISE
        assert list(welcome.pillars.all()) == [network.positive]

    def test_french_headers_semicolons_bom_and_french_sources(self, tmp_path, network):
        content = "\ufeffDate;Magasin;Source;Note;Commentaire;Langue;Référence\n"
        content += "01/05/2025;Paris Opéra;Visite mystère;4;Accueil très aimable;fr;M1\n"
        content += "02/05/2025;lyon bellecour;Avis en ligne;;Attente interminable;;A1\n"
        content += "03/05/2025;Paris Opéra;Réseaux sociaux;;Bof;;A2\n"
        content += "04/05/2025;Paris Opéra;Enquête;;Bien;;A3\n"
        content += "05/05/2025;Paris Opéra;En magasin;;Merci;;A4\n"
        run(tmp_path, content, "--scale", "5")
        assert dict(Feedback.objects.values_list("external_id", "source")) == {
            "M1": "mystery_shop",
            "A1": "review",
            "A2": "social",
            "A3": "survey",
            "A4": "in_store",
        }
        assert Feedback.objects.get(external_id="M1").rating == 8  # 4 on 5
        assert Feedback.objects.get(external_id="A1").language == ""  # two words: not enough to tell

    def test_xlsx_with_a_scale_column_and_pillar_scores(self, tmp_path, network):
        book = Workbook()
        sheet = book.active
        sheet.append(["date", "store_code", "source", "rating", "scale", "text", "pillar:take-charge", "external_id"])
        sheet.append([timezone.now().date(), "PAR01", "mystery_shop", 5, 5, "Le vendeur a réglé le problème", 9, 7])
        stream = BytesIO()
        book.save(stream)
        run(tmp_path, stream.getvalue(), name="visits.xlsx")
        item = Feedback.objects.get()
        assert item.rating == 10 and item.pillar_scores == {"take-charge": 9} and item.external_id == "7"
        assert item.language == "fr"

    def test_dry_run_counts_and_writes_nothing(self, tmp_path, network):
        out = run(tmp_path, csv("2025-05-01,PAR01,survey,2,Waiting,en,S1"), "--dry-run")
        assert "1 new" in out and "Dry run" in out
        assert not Feedback.objects.exists()

    def test_a_reimport_adds_nothing_and_keeps_curator_corrections(self, tmp_path, network):
        content = csv("2025-05-01,PAR01,survey,2,Waiting at the till,en,S1")
        run(tmp_path, content)
        item = Feedback.objects.get()
        item.sentiment, item.confirmed_at, item.confirmed_by = "praise", timezone.now(), network.julien
        item.save()
        item.pillars.set([network.positive])
        assert "0 new, 0 updated, 1 unchanged" in run(tmp_path, content)
        assert "0 new, 1 updated" in run(tmp_path, csv("2025-05-01,PAR01,survey,1,Waiting so long at the till,en,S1"))
        item.refresh_from_db()
        assert Feedback.objects.count() == 1
        assert item.text == "Waiting so long at the till" and item.rating == 1
        assert item.sentiment == "praise" and list(item.pillars.all()) == [network.positive]


class RefusalTests:
    def test_every_invalid_line_listed_nothing_saved(self, tmp_path, network):
        err = refused(
            tmp_path,
            csv(
                "2025-05-01,PAR01,survey,2,Good,en,S1",
                "2025-05-01,NOPE,survey,2,Good,en,S2",
                "2025-05-01,PAR01,survey,11,Good,en,S3",
                "yesterday,PAR01,letter,2,,en,S4",
                "2025-05-01,PAR01,survey,2,Good,en,S1",
                "2025-05-01,PAR01,survey,2,Bad\x00,en,S6",
            ),
        )
        assert "Line 3: Unknown store code “NOPE”." in err
        assert "Line 4: The rating “11” is not a number from 0 to 10." in err
        assert "Line 5: “yesterday” is not a date" in err
        assert "Line 5: Unknown source “letter”" in err
        assert "Line 5: “text” is empty." in err
        assert "Line 6: The external ID S1 is already on line 2." in err
        assert "Line 7: “text” contains a control character." in err

    def test_errors_in_the_operators_language(self, tmp_path, network):
        err = refused(tmp_path, csv("2025-05-01,NOPE,survey,2,Good,en,S2"), language="fr")
        assert "Ligne 2 : Code magasin inconnu « NOPE »." in err

    def test_missing_columns(self, tmp_path, network):
        assert "Required columns are missing: text" in refused(tmp_path, "date,store_code,source\n2025-05-01,PAR01,x\n")
        assert "A store column is missing" in refused(tmp_path, "date,source,text\n2025-05-01,survey,Hi\n")

    def test_unknown_pillar_column(self, tmp_path, network):
        assert "names no pillar" in refused(
            tmp_path, csv("2025-05-01,PAR01,survey,2,Hi,en,S1,3", header=HEADER + ",pillar:nope")
        )

    def test_a_rating_out_of_a_5_scale(self, tmp_path, network):
        assert "not a number from 1 to 5" in refused(
            tmp_path, csv("2025-05-01,PAR01,survey,0,Hi,en,S1"), "--scale", "5"
        )

    def test_binary_latin_1_and_big_files(self, tmp_path, network, settings):
        assert "not a text file" in refused(tmp_path, b"\x00\x01\x02\x03\x04\x05" * 200)
        latin = csv("2025-05-01,PAR01,survey,2,Très bien,fr,S1").encode("latin-1")
        assert "Line 2: This line is not UTF-8 text" in refused(tmp_path, latin)
        assert "not a readable XLSX" in refused(tmp_path, b"PK\x03\x04garbage", name="f.xlsx")
        settings.FEEDBACK_MAX_BYTES = 1024
        assert "larger than" in refused(tmp_path, csv(*["2025-05-01,PAR01,survey,2,Good,en,"] * 100))

    def test_a_20_mb_file_is_refused_by_default(self, tmp_path, network):
        big = csv("2025-05-01,PAR01,survey,2,Good,en,S1") + "x" * (20 * 1024 * 1024 + 1)
        assert "larger than 20 MB" in refused(tmp_path, big)


class MatchingTests:
    def test_accents_case_and_whole_words(self, network):
        matcher = Matcher()
        match = matcher.match("ATTENTE à la CAÎSSE, profile", rating=None)
        assert match.pillar_ids == [network.take_charge.pk]
        assert match.reason == "attente, caisse"
        assert matcher.match("A profile of the store").pillar_ids == []

    def test_a_standard_is_suggested(self, network):
        standard = make_standard(
            network.julien, title="Open a second till when the queue grows", pillar=network.take_charge
        )
        matcher = Matcher()
        standards, _stories = matcher.suggestions(matcher.match("Long queue at the till"))
        assert standards == [standard.pk]


class DemoTests:
    def test_the_demo_has_word_lists_and_feedback_and_running_it_again_adds_nothing(self):
        call_command("seed_demo", verbosity=0)
        assert PillarWords.objects.filter(pillar__slug="take-charge", language="fr").exists()
        count = Feedback.objects.count()
        assert count == 300
        assert set(Feedback.objects.values_list("source", flat=True)) == set(Feedback.Source.values)
        assert set(Feedback.objects.values_list("language", flat=True)) == {"fr", "en"}
        waiting = Feedback.objects.filter(pillars__slug="take-charge", sentiment="complaint")
        assert waiting.exists() and waiting.filter(suggested_standards__isnull=False).exists()
        assert Feedback.objects.filter(stories__isnull=False).exists()
        call_command("seed_demo", verbosity=0)
        assert Feedback.objects.count() == count


class DataMigrationTests:
    def test_the_migration_gives_existing_demo_pillars_their_words(self):
        from importlib import import_module

        from django.apps import apps

        migration = import_module("practices.migrations.0010_voice_of_the_customer")
        make_pillar(slug="be-respectful", name="Be respectful")
        migration.demo_words(apps, None)
        migration.demo_words(apps, None)
        assert sorted(PillarWords.objects.values_list("language", flat=True)) == ["en", "fr"]
        assert "impoli" in PillarWords.objects.get(language="fr").words
