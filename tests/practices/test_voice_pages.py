"""/voice/ for curators, and /voice/new/ for staff: what a customer told me."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practices.models import Feedback, PillarWords
from practices.voice.importer import record_match
from practices.voice.matching import Matcher
from practices.voice.words import DEMO_WORDS
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def voice(cast):
    take_charge = make_pillar(slug="take-charge", name="Take charge", name_fr="Prenez les choses en main")
    for language, words in DEMO_WORDS["take-charge"].items():
        PillarWords.objects.create(pillar=take_charge, language=language, words=words)
    cast.take_charge = take_charge
    cast.standard = make_standard(cast.julien, title="Open a second till when the queue grows", pillar=take_charge)
    cast.story = make_story(cast.hugo, title="The queue I opened a till for", body="A long queue at the till.")
    return cast


def add_feedback(cast, count: int, **kw) -> list[Feedback]:
    matcher = Matcher()
    items = []
    for index in range(count):
        fields = {
            "store": cast.paris,
            "source": "survey",
            "text": f"Long queue at the till, number {index}",
            "rating": 3,
            **kw,
        }
        item = Feedback.objects.create(**fields)
        record_match(item, matcher)
        items.append(item)
    return items


class VoicePageTests:
    def test_staff_cannot_open_it(self, client, voice):
        client.force_login(voice.camille)
        assert client.get("/voice/").status_code == 403
        item = add_feedback(voice, 1)[0]
        assert client.post(f"/voice/{item.pk}/link/", {"story": voice.story.pk}).status_code == 403
        assert client.post(f"/voice/{item.pk}/confirm/", {"sentiment": "praise"}).status_code == 403

    def test_an_item_with_its_pillar_reason_and_suggestions(self, client, voice):
        add_feedback(voice, 1)
        client.force_login(voice.julien)
        page = client.get("/voice/").content.decode()
        assert "Long queue at the till, number 0" in page
        assert "Take charge" in page and "matched: queue, till" in page
        assert "Open a second till when the queue grows" in page
        assert "The queue I opened a till for" in page and "Link to this story" in page

    @pytest.mark.parametrize("count", [1, 25])
    def test_the_same_queries_for_1_or_25_items(self, client, voice, count, django_assert_num_queries):
        add_feedback(voice, count)
        client.force_login(voice.julien)
        # session, user, permissions; the items with store and region; their pillars, suggested standards,
        # suggested stories, linked stories (one each); the pillars of the correction forms; and the
        # filter's drop-down lists: regions, stores, pillars; the open reports' count (the header); the
        # suggested standards already sent to the items' stores.
        with django_assert_num_queries(14):
            response = client.get("/voice/")
        assert len(response.context["items"]) == min(count, 20)

    def test_filters(self, client, voice):
        add_feedback(voice, 1)
        add_feedback(voice, 1, store=voice.lyon, source="review", text="Lovely", rating=9)
        old = add_feedback(voice, 1, text="Old queue")[0]
        old.date = timezone.localdate() - timedelta(days=60)
        old.save()
        client.force_login(voice.julien)

        def texts(query):
            return [item.text for item in client.get(f"/voice/?{query}").context["items"]]

        assert texts("store=lyon-bellecour") == ["Lovely"]
        assert texts("region=auvergne-rhone-alpes") == ["Lovely"]
        assert texts("source=review") == ["Lovely"]
        assert texts("sentiment=praise") == ["Lovely"]
        assert texts("pillar=take-charge&period=4w") == ["Long queue at the till, number 0"]
        assert len(texts("period=nonsense&store=nowhere")) == 3

    def test_link_to_a_story_and_confirm(self, client, voice):
        item = add_feedback(voice, 1)[0]
        client.force_login(voice.julien)
        response = client.post(f"/voice/{item.pk}/link/", {"story": voice.story.pk, "next": "/voice/"})
        assert response.status_code == 302
        assert list(item.stories.all()) == [voice.story]
        client.post(f"/voice/{item.pk}/confirm/", {"sentiment": "neutral"})
        item.refresh_from_db()
        assert item.sentiment == "neutral" and item.confirmed_by == voice.julien
        assert not item.pillars.exists()

    def test_in_french(self, client, voice):
        add_feedback(voice, 1)
        voice.julien.preferred_language = "fr"
        voice.julien.save()
        client.force_login(voice.julien)
        page = client.get("/voice/", headers={"accept-language": "fr"}).content.decode()
        assert "Ce que disent les clients" in page and "Relier à cette histoire" in page


class ToldInStoreTests:
    def test_staff_tell_what_a_customer_said(self, client, voice):
        client.force_login(voice.camille)
        mine = make_story(voice.camille, title="My till story")
        assert client.get("/voice/new/").status_code == 200
        response = client.post(
            "/voice/new/", {"text": "Too long a queue! call me 06 12 34 56 78", "rating": "2", "story": mine.pk}
        )
        assert response.status_code == 302
        item = Feedback.objects.get()
        assert item.source == "in_store" and item.store == voice.paris and item.recorded_by == voice.camille
        assert item.text == "Too long a queue! call me [phone]"
        assert item.sentiment == "complaint" and list(item.pillars.all()) == [voice.take_charge]
        assert list(item.stories.all()) == [mine]

    def test_an_empty_text_is_refused(self, client, voice):
        client.force_login(voice.camille)
        assert client.post("/voice/new/", {"text": ""}).status_code == 400
        assert not Feedback.objects.exists()

    def test_head_office_has_no_store(self, client, voice):
        client.force_login(voice.admin)
        assert client.get("/voice/new/").status_code == 403


class StoryPageTests:
    def test_the_story_page_shows_the_customer_words_linked_to_it(self, client, voice):
        item = add_feedback(voice, 1, text="The queue at the till moved fast thanks to the second till")[0]
        client.force_login(voice.camille)
        assert "What customers said" not in client.get(f"/stories/{voice.story.pk}/").content.decode()
        client.force_login(voice.julien)
        client.post(f"/voice/{item.pk}/link/", {"story": voice.story.pk})
        client.force_login(voice.camille)
        page = client.get(f"/stories/{voice.story.pk}/", headers={"accept-language": "fr"}).content.decode()
        assert "The queue at the till moved fast" in page and "Enquête" in page and "Paris Opéra" in page
