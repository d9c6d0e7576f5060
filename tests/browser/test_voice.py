"""The voice of the customer in Chromium: a curator imports what customers said, links it and sends a standard
to the store; the store's staff read it on their phone; the dashboard shows the gap."""

import re

import pytest
from django.utils import timezone

from accounts.models import Notification
from practices.models import PillarWords, StandardSend
from practices.voice.words import DEMO_WORDS
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db(transaction=True)

STANDARD = "Open a second till when the queue grows"
STORY = "The queue I opened a till for"
READ_IT = "J’ai lu et compris"
WAITING = "Waited twenty minutes at the till, only one checkout open."


def feedback_file(tmp_path):
    today = timezone.localdate().isoformat()
    path = tmp_path / "survey-export.csv"
    path.write_text(
        "date,store_code,source,rating,text,language,external_id,pillar:take-charge\n"
        f'{today},PAR01,survey,2,"{WAITING} Call me on 06 12 34 56 78",en,b1,\n'
        f'{today},PAR01,review,3,"Long wait again, the queue never moves.",en,b2,\n'
        f"{today},PAR01,mystery_shop,4,Waiting time too long at the checkout.,en,b3,3\n"
        f'{today},LYO01,survey,9,"Lovely welcome, thanks!",en,b4,\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def voice(cast):
    cast.paris.store_code, cast.lyon.store_code = "PAR01", "LYO01"
    cast.paris.save()
    cast.lyon.save()
    take_charge = make_pillar(slug="take-charge", name="Take charge", name_fr="Prenez les choses en main")
    for language, words in DEMO_WORDS["take-charge"].items():
        PillarWords.objects.create(pillar=take_charge, language=language, words=words)
    make_standard(cast.julien, title=STANDARD, pillar=take_charge)
    make_story(cast.hugo, title=STORY, body="A long queue at the till: I opened the second one.", pillar=take_charge)
    return cast


class VoiceJourneyTests:
    def test_from_a_survey_file_to_the_store_team_and_the_dashboard(self, new_page, voice, tmp_path):
        julien = new_page(device=DESKTOP)
        log_in(julien, "julien")
        julien.get_by_role("link", name="Customers").click()
        julien.wait_for_url("**/voice/")
        julien.get_by_role("link", name="Import a file").click()
        julien.wait_for_url("**/voice/import/")
        assert_accessible(julien)
        julien.locator("input[type=file]").set_input_files(feedback_file(tmp_path))
        julien.get_by_label("Dry run: check the file and count, write nothing").check()
        julien.get_by_role("button", name="Send the file").click()
        assert "4 lines: 4 new, 0 updated, 0 unchanged." in julien.locator(".import-report").text_content()
        julien.locator("input[type=file]").set_input_files(feedback_file(tmp_path))
        julien.get_by_label("Dry run: check the file and count, write nothing").uncheck()
        julien.get_by_role("button", name="Send the file").click()
        assert "Feedback imported." in julien.locator(".import-report").text_content()

        julien.get_by_role("link", name="Read what customers said").click()
        item = julien.locator(".feedback", has_text=WAITING)
        assert "[phone]" in item.text_content() and "06 12" not in item.text_content()
        assert item.locator(".pillar", has_text="Take charge").is_visible()
        assert "matched: waited, checkout, till" in item.locator(".reason").text_content()
        assert item.locator(".suggestions").get_by_role("link", name=STANDARD).is_visible()
        item.get_by_role("button", name=re.compile("Link to this story")).click()
        assert julien.get_by_text(f"The customer's words are linked to “{STORY}”.").is_visible()
        item = julien.locator(".feedback", has_text=WAITING)
        assert item.locator(".linked").get_by_role("link", name=STORY).is_visible()
        item.get_by_role("button", name=re.compile("Send to Paris Opéra")).click()
        assert julien.get_by_text(f"“{STANDARD}” is on the “to read” list of Paris Opéra's staff.").is_visible()
        assert StandardSend.objects.filter(store=voice.paris).count() == 1

        camille = new_page(locale="fr-FR", device=PHONE)
        log_in(camille, "camille")
        assert Notification.objects.filter(recipient=voice.camille, kind="toread").exists()
        camille.goto("/stores/paris-opera/")
        words = camille.locator(".store-customer-words")
        assert words.get_by_role("heading", name=re.compile("Ce que les clients ont dit de nous")).is_visible()
        assert WAITING in words.text_content()
        assert_accessible(camille)
        camille.goto("/onboarding/")
        to_read = camille.locator(".to-read")
        assert to_read.get_by_role("heading", name="À lire : ce que les clients de votre magasin nous ont dit")
        assert to_read.get_by_role("link", name=STANDARD).is_visible()
        assert WAITING in to_read.text_content()
        assert_accessible(camille)
        to_read.get_by_role("link", name=STANDARD).click()
        camille.get_by_role("button", name=READ_IT).click()
        camille.goto("/onboarding/")
        assert camille.locator(".to-read .badge", has_text="Lu").is_visible()

        julien.goto("/voice/sent/")
        sends = julien.get_by_role("table")
        assert sends.get_by_role("row", name=re.compile(STANDARD)).get_by_text("1 of 1").is_visible()
        assert_accessible(julien)
        sends.get_by_role("link", name=re.compile("1 of 1")).click()
        assert "Camille Martin" in julien.locator(".reader.read").text_content()

        julien.get_by_role("link", name="Dashboard").click()
        julien.locator("#dashboard-region").select_option(label="Île-de-France")
        julien.get_by_role("button", name="Show").click()
        gaps = julien.locator(".voice-gaps")
        assert "In Île-de-France, customers complain about “Take charge” (100% of complaints)" in gaps.text_content()
        table = julien.get_by_role("table", name="Customer complaints and staff stories per pillar", exact=True)
        assert table.locator("tbody.current td.gap").count() == 2
        assert julien.get_by_role("img", name="Mystery-shop scores per pillar").is_visible()
        assert_accessible(julien)
