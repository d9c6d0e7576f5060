from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from practices.library import services
from stories import services as story_services
from stories.models import Story
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

CURATION = reverse("practices:curation")


def queue(client, **filters) -> list[str]:
    response = client.get(CURATION, filters)
    assert response.status_code == 200
    return [story.title for story in response.context["stories"]]


def published_hours_ago(story: Story, hours: int) -> None:
    when = timezone.now() - timedelta(hours=hours)
    Story.objects.filter(pk=story.pk).update(published_at=when)
    story.refresh_from_db()
    Story.objects.filter(pk=story.pk).update(hot_score=story.compute_hot_score())


class CurationQueueTests:
    @pytest.mark.parametrize("username", ["camille", "lea"])
    def test_it_is_for_curators_only(self, client, cast, username):
        client.force_login(getattr(cast, username))
        assert client.get(CURATION).status_code == 403

    def test_it_lists_published_stories_not_yet_promoted(self, client, cast):
        make_story(cast.camille, title="Waiting")
        hidden = make_story(cast.camille, title="Hidden")
        deleted = make_story(cast.hugo, title="Deleted")
        promoted = make_story(cast.hugo, title="Promoted")
        story_services.story_set_status(story=hidden, status=Story.Status.HIDDEN)
        story_services.story_set_status(story=deleted, status=Story.Status.DELETED)
        client.force_login(cast.julien)
        assert sorted(queue(client)) == ["Promoted", "Waiting"]
        services.story_promote(story=promoted, curator=cast.julien, standard=make_standard(cast.julien))
        assert queue(client) == ["Waiting"]

    def test_what_colleagues_said_ranks_a_story_above_fresher_ones(self, client, cast):
        old_and_ignored = make_story(cast.camille, title="Old and ignored")
        supported = make_story(cast.camille, title="Supported in two stores")
        make_story(cast.camille, title="Fresh and ignored")
        published_hours_ago(old_and_ignored, 48)
        published_hours_ago(supported, 6)
        client.force_login(cast.julien)
        assert queue(client) == ["Fresh and ignored", "Supported in two stores", "Old and ignored"]
        for voter in [cast.hugo, cast.lea, make_user("sam", store=cast.lyon, role=roles.STAFF)]:
            story_services.vote_set(user=voter, story=supported, voted=True)
        story_services.tried_record(user=cast.hugo, story=supported, outcome="It worked")
        story_services.comment_add(author=cast.lea, story=supported, body="We should all do this.")
        assert queue(client) == ["Supported in two stores", "Fresh and ignored", "Old and ignored"]

    def test_votes_from_several_stores_outrank_as_many_from_one(self, client, cast):
        broad = make_story(cast.camille, title="Broad")
        narrow = make_story(cast.camille, title="Narrow")
        published_hours_ago(broad, 2)  # older, so only breadth can put it first
        lyon = [make_user(f"lyon{i}", store=cast.lyon, role=roles.STAFF) for i in range(3)]
        for voter in lyon:
            story_services.vote_set(user=voter, story=narrow, voted=True)
        for voter in [lyon[0], cast.lea, make_user("opera", store=cast.paris, role=roles.STAFF)]:
            story_services.vote_set(user=voter, story=broad, voted=True)
        client.force_login(cast.julien)
        assert queue(client) == ["Broad", "Narrow"]

    def test_each_story_shows_its_signals(self, client, cast):
        story = make_story(cast.camille, title="Umbrellas")
        story_services.vote_set(user=cast.hugo, story=story, voted=True)
        story_services.vote_set(user=cast.lea, story=story, voted=True)
        story_services.tried_record(user=cast.hugo, story=story)
        story_services.comment_add(author=cast.lea, story=story, body="Nice")
        client.force_login(cast.julien)
        page = client.get(CURATION).content.decode()
        for signal in ["2 votes", "from 2 stores", "tried in 1 store", "1 comment"]:
            assert f'<li class="list-inline-item">{signal}</li>' in page
        assert "by Camille Martin, Paris Opéra (Île-de-France)" in page
        assert f'href="{reverse("practices:promote", args=[story.pk])}"' in page

    def test_it_filters_by_region_pillar_and_kind(self, client, cast):
        positive = make_pillar(slug="be-positive", name="Be positive")
        make_story(cast.camille, title="Paris attention", kind="attention", pillar=positive)
        make_story(cast.hugo, title="Lyon story", pillar=make_pillar())
        make_story(cast.lea, title="Marais story")
        client.force_login(cast.julien)
        assert sorted(queue(client, region="ile-de-france")) == ["Marais story", "Paris attention"]
        assert queue(client, region="auvergne-rhone-alpes") == ["Lyon story"]
        assert queue(client, pillar="be-positive") == ["Paris attention"]
        assert queue(client, kind="attention") == ["Paris attention"]
        assert queue(client, region="ile-de-france", kind="story") == ["Marais story"]
        assert len(queue(client, region="nowhere", kind="nonsense", page="x")) == 3  # unknown values: no filter

    @pytest.mark.parametrize("count", [1, 25])
    def test_it_makes_the_same_queries_for_1_or_25_stories(self, client, cast, count, django_assert_num_queries):
        pillar = make_pillar()
        for i in range(count):
            story = make_story(cast.camille if i % 2 else cast.hugo, title=f"Story {i}", pillar=pillar)
            story_services.vote_set(user=cast.lea, story=story, voted=True)
        client.force_login(cast.julien)
        # session, user, permissions and unread count (one query), regions and pillars (the filter form),
        # stories page (with authors, stores, regions, pillars), standards due for review,
        # the open reports' count (the header's Reports section, issue 16)
        with django_assert_num_queries(8):
            response = client.get(CURATION)
        assert len(response.context["stories"]) == min(count, 20)
