"""Rate limits on posting, commenting, voting, trying and flagging: counted in the cache, failing open."""

import uuid

import pytest
from django.urls import reverse

from config import ratelimit
from stories.models import Comment, Flag, Story, StoryPhoto, Tried, Vote
from tests.factories import jpeg_upload, make_story

pytestmark = pytest.mark.django_db


def post_story(client, n: int, **extra):
    fields = {"kind": "story", "title": f"Story {n}", "body": "Text", "language": "en", **extra}
    return client.post("/stories/new/", fields)


class StoryLimitTests:
    def test_a_burst_of_30_stories_publishes_10(self, client, cast):
        client.force_login(cast.camille)
        statuses = [post_story(client, n).status_code for n in range(30)]
        assert statuses[:10] == [302] * 10
        assert set(statuses[10:]) == {429}
        assert Story.objects.count() == 10

    def test_the_refusal_is_the_form_again_with_the_text_and_a_message(self, client, cast):
        client.force_login(cast.camille)
        for n in range(10):
            post_story(client, n)
        response = post_story(client, 99, photos=[jpeg_upload()], photo_alt="A shelf")
        assert response.status_code == 429
        html = response.content.decode()
        assert "Wait a minute, then try again" in html
        assert "Story 99" in html  # the title typed is kept
        assert not Story.objects.filter(title="Story 99").exists()
        assert StoryPhoto.objects.count() == 0  # nothing half-saved

    def test_the_refusal_speaks_french(self, client, cast):
        client.force_login(cast.camille)
        for n in range(10):
            post_story(client, n)
        response = client.post(
            "/stories/new/", {"title": "x", "body": "y", "kind": "story"}, headers={"accept-language": "fr"}
        )
        assert response.status_code == 429
        assert "Attendez une minute" in response.content.decode()

    def test_each_person_has_their_own_count(self, client, cast):
        client.force_login(cast.camille)
        for n in range(11):
            post_story(client, n)
        client.force_login(cast.hugo)
        assert post_story(client, 1).status_code == 302

    def test_a_guestbook_entry_counts_as_a_story(self, client, cast):
        client.force_login(cast.camille)
        for n in range(10):
            post_story(client, n)
        url = reverse("stories:guestbook-write", args=["paris-opera"])
        response = client.post(url, {"title": "Merci", "body": "Bravo", "language": "fr"})
        assert response.status_code == 429
        assert not Story.objects.filter(kind="guestbook").exists()

    def test_photos_have_their_own_limit(self, client, cast, monkeypatch):
        monkeypatch.setattr(ratelimit, "PHOTOS", ratelimit.Limit("photos", 2, 3600))
        client.force_login(cast.camille)
        assert post_story(client, 1, photos=[jpeg_upload(), jpeg_upload()], photo_alt="x").status_code == 302
        assert post_story(client, 2, photos=[jpeg_upload()], photo_alt="x").status_code == 429
        assert post_story(client, 3).status_code == 302  # without photos
        assert StoryPhoto.objects.count() == 2


class ReactionLimitTests:
    def test_a_burst_of_30_comments_adds_20(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        url = reverse("stories:comment-new", args=[story.pk])
        statuses = [client.post(url, {"body": f"Comment {n}"}).status_code for n in range(30)]
        assert statuses[:20] == [302] * 20
        assert set(statuses[20:]) == {429}
        assert Comment.objects.count() == 20
        story.refresh_from_db()
        assert story.comment_count == 20

    def test_a_refused_comment_is_kept_in_the_form(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        url = reverse("stories:comment-new", args=[story.pk])
        for n in range(20):
            client.post(url, {"body": f"Comment {n}"})
        for headers in [{}, {"HX-Request": "true"}]:
            response = client.post(url, {"body": "Keep these words"}, headers=headers)
            assert response.status_code == 429
            html = response.content.decode()
            assert "Keep these words" in html
            assert "Wait a minute, then try again" in html

    def test_a_burst_of_votes_is_limited_and_htmx_is_told_where_to_say_so(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        url = reverse("stories:vote", args=[story.pk])
        statuses = [client.post(url, {"voted": str(n % 2)}).status_code for n in range(61)]
        assert statuses.count(429) == 1 and statuses[-1] == 429
        response = client.post(url, {"voted": "1"}, headers={"HX-Request": "true"})
        assert response.status_code == 429
        assert response["HX-Retarget"] == "#refusal"
        assert "Wait a minute" in response.content.decode()
        story.refresh_from_db()
        assert story.vote_count == Vote.objects.filter(story=story).count()

    def test_the_refused_vote_page_without_javascript_is_ours(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        url = reverse("stories:vote", args=[story.pk])
        for _ in range(60):
            client.post(url, {"voted": "1"})
        response = client.post(url, {"voted": "0"})
        assert response.status_code == 429
        assert 'class="site-header"' in response.content.decode()
        assert Vote.objects.filter(story=story, user=cast.hugo).exists()  # the refused "un-vote" changed nothing

    def test_tries_and_flags_are_limited(self, client, cast, monkeypatch):
        monkeypatch.setattr(ratelimit, "TRIES", ratelimit.Limit("tries", 0, 60))
        monkeypatch.setattr(ratelimit, "FLAGS", ratelimit.Limit("flags", 0, 60))
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:tried", args=[story.pk]), {"outcome": ""}).status_code == 429
        flag = client.post(reverse("stories:flag", args=[story.pk]), {"reason": "spam", "note": ""})
        assert flag.status_code == 429
        assert not Tried.objects.exists() and not Flag.objects.exists()


class FailOpenTests:
    def test_limits_are_not_applied_when_the_cache_is_down(self, client, cast, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            }
        }
        client.force_login(cast.camille)
        statuses = [post_story(client, n).status_code for n in range(12)]
        assert statuses == [302] * 12

    def test_the_count_is_shared_through_redis(self, settings):
        settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/8"}}
        limit = ratelimit.Limit("test-shared", 3, 60)
        who = uuid.uuid4().hex
        assert [ratelimit.limit_reached(limit, who) for _ in range(5)] == [False, False, False, True, True]


class ClientAddressTests:
    def test_without_proxies_it_is_the_connection(self, rf, settings):
        settings.PROXY_COUNT = 0
        request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
        assert ratelimit.client_ip(request) == "10.1.1.1"

    def test_behind_one_proxy_it_is_what_the_proxy_saw(self, rf, settings):
        settings.PROXY_COUNT = 1
        request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
        assert ratelimit.client_ip(request) == "10.1.1.1"
