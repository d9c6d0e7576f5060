"""The voice of the customer, used: the curators' upload, sending a standard to a store, who read it,
the customer words on a standard's page and on the store page."""

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Notification
from practices.library import services as library
from practices.models import Feedback, PillarWords, StandardSend
from practices.onboarding import services as onboarding
from practices.voice.importer import record_match
from practices.voice.matching import Matcher
from practices.voice.services import feedback_link, standard_send
from practices.voice.words import DEMO_WORDS
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

HEADER = "date,store_code,source,rating,text,language,external_id"


@pytest.fixture
def voice(cast):
    cast.paris.store_code, cast.lyon.store_code = "PAR01", "LYO01"
    cast.paris.save()
    cast.lyon.save()
    take_charge = make_pillar(slug="take-charge", name="Take charge", name_fr="Prenez les choses en main")
    for language, words in DEMO_WORDS["take-charge"].items():
        PillarWords.objects.create(pillar=take_charge, language=language, words=words)
    cast.take_charge = take_charge
    cast.standard = make_standard(cast.julien, title="Open a second till when the queue grows", pillar=take_charge)
    cast.standard.refresh_from_db()
    cast.story = make_story(cast.hugo, title="The queue I opened a till for", body="A long queue at the till.")
    return cast


def feedback(cast, **kw) -> Feedback:
    fields = {"store": cast.paris, "source": "survey", "text": "Long queue at the till, nobody came", "rating": 2}
    item = Feedback.objects.create(**(fields | kw))
    record_match(item, Matcher())
    return item


def upload(client, content: str | bytes, *, dry_run: bool, name: str = "feedback.csv", **extra):
    data = content.encode() if isinstance(content, str) else content
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra}
    if dry_run:
        form["dry_run"] = "on"
    return client.post("/voice/import/", form)


class UploadPageTests:
    def test_staff_cannot_open_or_post_it(self, client, voice):
        client.force_login(voice.camille)
        assert client.get("/voice/import/").status_code == 403
        today = timezone.localdate().isoformat()
        response = upload(client, f"{HEADER}\n{today},PAR01,survey,3,Too long,en,x1\n", dry_run=False)
        assert response.status_code == 403
        assert not Feedback.objects.exists()

    def test_the_voice_page_and_the_header_link_to_it(self, client, voice):
        client.force_login(voice.julien)
        page = client.get("/voice/").content.decode()
        assert 'href="/voice/import/"' in page and 'href="/voice/"' in page

    def test_a_dry_run_then_the_import(self, client, voice):
        client.force_login(voice.julien)
        today = timezone.localdate().isoformat()
        content = f"{HEADER}\n{today},PAR01,survey,3,Long wait at the till,en,x1\n{today},LYO01,avis,9,Merci,fr,x2\n"
        response = upload(client, content, dry_run=True)
        assert response.status_code == 200
        assert "2 lines: 2 new, 0 updated, 0 unchanged." in response.content.decode()
        assert not Feedback.objects.exists()
        response = upload(client, content, dry_run=False)
        assert response.status_code == 200 and "Feedback imported." in response.content.decode()
        assert Feedback.objects.count() == 2
        item = Feedback.objects.get(external_id="x1")
        assert list(item.pillars.all()) == [voice.take_charge]
        # The same file again adds nothing.
        response = upload(client, content, dry_run=False)
        assert "2 lines: 0 new, 0 updated, 2 unchanged." in response.content.decode()
        assert Feedback.objects.count() == 2

    def test_bad_lines_are_listed_in_french_and_nothing_is_saved(self, client, voice):
        voice.julien.preferred_language = "fr"
        voice.julien.save()
        client.force_login(voice.julien)
        today = timezone.localdate().isoformat()
        content = (
            f"{HEADER}\n{today},PAR01,survey,3,Fine,en,x1\n{today},NOWHERE,survey,3,Hm,en,x2\n"
            f"{today},PAR01,survey,42,Hm,en,x3\n"
        )
        response = upload(client, content, dry_run=False)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Rien n’a été importé" in page or "Rien n'a été importé" in page
        assert "Ligne 3" in page and "NOWHERE" in page and "Ligne 4" in page
        assert not Feedback.objects.exists()

    def test_an_xlsx_file_with_french_headers(self, client, voice):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Date", "Code magasin", "Canal", "Note", "Commentaire", "Langue", "Identifiant"])
        sheet.append(
            [timezone.localdate(), "PAR01", "visite mystère", 2, "Une attente interminable en caisse", "", "m1"]
        )
        stream = BytesIO()
        workbook.save(stream)
        client.force_login(voice.julien)
        response = upload(client, stream.getvalue(), dry_run=False, name="visites.xlsx")
        assert response.status_code == 200, response.content.decode()
        item = Feedback.objects.get()
        assert item.source == "mystery_shop" and item.language == "fr" and item.sentiment == "complaint"

    def test_a_binary_file_and_no_file(self, client, voice):
        client.force_login(voice.julien)
        response = upload(client, b"\x00\x01\x02\xff" * 100, dry_run=False, name="x.csv")
        assert response.status_code == 400 and "not a text file" in response.content.decode()
        response = client.post("/voice/import/", {})
        assert response.status_code == 400 and "Choose a file to import." in response.content.decode()
        assert not Feedback.objects.exists()


class SendToStoreTests:
    def test_one_tap_sends_the_standard_to_the_items_store(self, client, voice):
        item = feedback(voice)
        client.force_login(voice.julien)
        page = client.get("/voice/").content.decode()
        assert "Send to Paris Opéra" in page
        response = client.post(f"/voice/{item.pk}/send/", {"standard": voice.standard.pk, "next": "/voice/"})
        assert response.status_code == 302
        send = StandardSend.objects.get()
        assert send.store == voice.paris and send.feedback == item and send.reason == item.text
        # Camille (Paris Opéra) is told, and has it to read with the customer's words.
        notification = Notification.objects.get(recipient=voice.camille)
        assert notification.kind == "toread" and "Long queue at the till" in notification.text
        assert not Notification.objects.filter(recipient=voice.hugo).exists()
        client.force_login(voice.camille)
        page = client.get("/onboarding/").content.decode()
        assert "Open a second till when the queue grows" in page and "Long queue at the till, nobody came" in page
        client.force_login(voice.hugo)
        assert "Open a second till" not in client.get("/onboarding/").content.decode()

    def test_sending_twice_changes_nothing(self, client, voice):
        item = feedback(voice)
        client.force_login(voice.julien)
        for _ in range(2):
            client.post(f"/voice/{item.pk}/send/", {"standard": voice.standard.pk})
        assert StandardSend.objects.count() == 1
        assert Notification.objects.filter(recipient=voice.camille).count() == 1
        page = client.get("/voice/").content.decode()
        assert "Sent to Paris Opéra: who has read it" in page and "Send to Paris Opéra" not in page

    def test_staff_cannot_send_and_a_draft_is_refused(self, client, voice):
        item = feedback(voice)
        client.force_login(voice.camille)
        assert client.post(f"/voice/{item.pk}/send/", {"standard": voice.standard.pk}).status_code == 403
        draft = make_standard(voice.julien, title="A draft", publish=False)
        client.force_login(voice.julien)
        client.post(f"/voice/{item.pk}/send/", {"standard": draft.pk})
        client.post(f"/voice/{item.pk}/send/", {"standard": "nonsense"})
        assert not StandardSend.objects.exists()

    def test_the_manager_sees_who_has_read_it(self, client, voice, django_assert_num_queries):
        item = feedback(voice)
        client.force_login(voice.julien)
        client.post(f"/voice/{item.pk}/send/", {"standard": voice.standard.pk})
        onboarding.standard_acknowledge(user=voice.camille, standard=voice.standard, revision=1)
        send = StandardSend.objects.get()
        # session, user, permissions, the sends with their counts, the header's open reports
        with django_assert_num_queries(5):
            page = client.get("/voice/sent/").content.decode()
        assert "1 of 1" in page
        page = client.get(f"/voice/sent/{send.pk}/").content.decode()
        assert "Camille Martin" in page and "Read" in page
        client.force_login(voice.camille)
        assert client.get("/voice/sent/").status_code == 403
        assert client.get(f"/voice/sent/{send.pk}/").status_code == 403


class StandardPageTests:
    def test_a_standard_promoted_from_a_story_carries_its_customer_words(self, client, voice):
        item = feedback(voice, text="The second till opened at once, thank you")
        feedback_link(feedback=item, story=voice.story)
        library.story_promote(story=voice.story, curator=voice.julien, standard=voice.standard)
        client.force_login(voice.lea)
        page = client.get(voice.standard.get_absolute_url(), headers={"accept-language": "fr"}).content.decode()
        assert "Ce que les clients ont dit" in page and "The second till opened at once" in page

    def test_no_section_without_linked_words(self, client, voice):
        client.force_login(voice.lea)
        assert "What customers said" not in client.get(voice.standard.get_absolute_url()).content.decode()


class StorePageTests:
    def test_the_store_staff_read_their_customers_praise_first(self, client, voice):
        feedback(voice, text="Long queue at the till, nobody came")
        feedback(voice, text="Lovely welcome, thanks", rating=10, date=timezone.localdate() - timedelta(days=3))
        feedback(voice, text="Too old to show", date=timezone.localdate() - timedelta(days=60))
        feedback(voice, store=voice.lyon, text="Lyon only words")
        client.force_login(voice.camille)
        page = client.get("/stores/paris-opera/").content.decode()
        assert page.index("Lovely welcome") < page.index("Long queue at the till")
        assert "Too old to show" not in page and "Lyon only words" not in page

    def test_other_stores_staff_do_not_see_it(self, client, voice):
        feedback(voice, text="Paris only words")
        client.force_login(voice.hugo)
        assert "Paris only words" not in client.get("/stores/paris-opera/").content.decode()
        client.force_login(voice.camille)
        assert "Paris only words" not in client.get("/stores/lyon-bellecour/").content.decode()


class StorePageQueryTests:
    @pytest.mark.parametrize("count", [1, 20])
    def test_the_store_page_costs_one_query_more_for_its_own_staff(
        self, client, voice, count, django_assert_num_queries
    ):
        for index in range(count):
            Feedback.objects.create(store=voice.paris, source="survey", text=f"Said {index}", sentiment="praise")
        client.force_login(voice.camille)
        # session, user (with store), permissions and unread count, store, entries (cards' values),
        # all stores (exchange), partner's entries, the guestbook form's tag suggestions and pillars (she may
        # write in it), and the one this issue adds: the store's customer words.
        with django_assert_num_queries(10):
            response = client.get("/stores/paris-opera/")
        assert response.content.decode().count('class="mb-2 feedback sentiment-praise"') == min(count, 8)


class PersonalDataTests:
    def test_an_uploaded_address_or_phone_never_reaches_the_page_the_digest_or_the_notification(
        self, client, voice, mailoutbox
    ):
        client.force_login(voice.julien)
        today = timezone.localdate().isoformat()
        content = (
            f"{HEADER}\n{today},PAR01,survey,10,"
            '"Lovely welcome, thanks! Write to jane.doe@example.com or call +33 6 12 34 56 78",en,p1\n'
        )
        assert upload(client, content, dry_run=False).status_code == 200
        item = Feedback.objects.get()
        assert item.text == "Lovely welcome, thanks! Write to [email] or call [phone]"
        client.post(f"/voice/{item.pk}/send/", {"standard": voice.standard.pk})
        call_command("send_digests", week=today, stdout=StringIO(), stderr=StringIO())
        camille = next(message for message in mailoutbox if message.to == ["camille@example.com"])
        assert "Lovely welcome, thanks! Write to [email] or call [phone]" in camille.body
        notification = Notification.objects.get(recipient=voice.camille)
        for text in (camille.body, camille.alternatives[0].content, notification.text):
            assert "jane.doe" not in text and "12 34 56" not in text

    def test_a_file_over_the_limit_is_refused_whole(self, client, voice, settings):
        settings.FEEDBACK_MAX_BYTES = 200
        client.force_login(voice.julien)
        today = timezone.localdate().isoformat()
        content = HEADER + "\n" + "".join(f"{today},PAR01,survey,3,Long wait,en,x{i}\n" for i in range(20))
        response = upload(client, content, dry_run=False)
        assert response.status_code == 400 and "Nothing was imported" in response.content.decode()
        assert not Feedback.objects.exists()


class SentListQueryTests:
    @pytest.mark.parametrize("count", [1, 12])
    def test_the_sent_list_and_the_to_read_list_cost_the_same_for_1_or_12(
        self, client, voice, count, django_assert_num_queries
    ):
        item = feedback(voice)
        for index in range(count):
            standard = make_standard(voice.julien, title=f"Standard {index}")
            standard.refresh_from_db()
            standard_send(standard=standard, store=voice.paris, curator=voice.julien, feedback=item)
            if index % 2:
                onboarding.standard_acknowledge(user=voice.camille, standard=standard, revision=1)
        client.force_login(voice.julien)
        # session, user, permissions and unread count, the sends with their staff and readers counts,
        # the header's open reports
        with django_assert_num_queries(5):
            response = client.get("/voice/sent/")
        assert len(response.context["sends"]) == count
        client.force_login(voice.camille)
        # session, user, permissions and unread count, paths, the standards sent to her store (read flags)
        with django_assert_num_queries(5):
            response = client.get("/onboarding/")
        assert len(response.context["sent"]) == count
        assert [send.is_read for send in response.context["sent"]] == [bool(i % 2) for i in reversed(range(count))]

    def test_curators_see_a_stores_customer_words_on_its_page(self, client, voice):
        feedback(voice, text="Paris words for curators")
        client.force_login(voice.julien)
        assert "Paris words for curators" in client.get("/stores/paris-opera/").content.decode()
