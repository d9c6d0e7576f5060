"""The standard a story fed credits the stores that tried the idea, the first one first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Store
from practices.library import services
from stories import services as story_services
from stories.models import Tried
from tests.conftest import make_user
from tests.factories import make_standard, make_story


def tried_at(user, story, days_ago: int, outcome: str = "") -> Tried:
    tried = story_services.tried_record(user=user, story=story, outcome=outcome)
    Tried.objects.filter(pk=tried.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return tried


class TriedCreditsTests:
    def test_the_stores_that_tried_are_credited_first_one_first(self, client, cast):
        standard = make_standard(cast.julien)
        story = make_story(cast.camille, title="Umbrellas at the door")
        other = make_story(cast.camille, title="Umbrellas again")
        services.story_promote(story=story, curator=cast.julien, standard=standard)
        services.story_promote(story=other, curator=cast.julien, standard=standard)
        marseille = Store.objects.create(name="Marseille Vieux-Port", slug="marseille", region=cast.lyon.region)
        marseille_staff = make_user("ines", store=marseille, role="Staff")
        tried_at(marseille_staff, story, 3, outcome="Customers smiled")
        tried_at(cast.hugo, story, 10)
        tried_at(marseille_staff, other, 20)  # Marseille's first try counts, once
        client.force_login(cast.lea)
        response = client.get(standard.get_absolute_url())
        assert [tried.store.name for tried in response.context["tries"]] == ["Marseille Vieux-Port", "Lyon Bellecour"]
        page = response.content.decode()
        credits = page[page.index('class="mb-4 tried-credits"') :]
        assert credits.index("Marseille Vieux-Port") < credits.index("first to try it") < credits.index("Lyon")
        assert 'href="/stores/marseille/"' in credits

    def test_no_try_no_section(self, client, cast):
        standard = make_standard(cast.julien)
        services.story_promote(story=make_story(cast.camille), curator=cast.julien, standard=standard)
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "The stores that tried it" not in page

    def test_in_french(self, client, cast):
        standard = make_standard(cast.julien)
        story = make_story(cast.camille)
        services.story_promote(story=story, curator=cast.julien, standard=standard)
        story_services.tried_record(user=cast.hugo, story=story)
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url(), headers={"accept-language": "fr"}).content.decode()
        assert "Les magasins qui l’ont essayé" in page and "premier à l’essayer" in page

    @pytest.mark.parametrize("count", [1, 25])
    def test_the_same_queries_for_1_or_25_tries(self, client, cast, count, django_assert_num_queries):
        standard = make_standard(cast.julien)
        story = make_story(cast.camille)
        services.story_promote(story=story, curator=cast.julien, standard=standard)
        for i in range(count):
            store = Store.objects.create(name=f"Store {i}", slug=f"store-{i}", region=cast.lyon.region)
            story_services.tried_record(user=make_user(f"u{i}", store=store, role="Staff"), story=story)
        client.force_login(cast.lea)
        # session, user, permissions and unread count, the standard, its tags, its sources, its revisions,
        # the tries of its sources (with stores), the customer words of its sources
        with django_assert_num_queries(9):
            response = client.get(standard.get_absolute_url())
        assert len(response.context["tries"]) == count
        assert reverse("stories:store", args=["store-0"]) in response.content.decode()
