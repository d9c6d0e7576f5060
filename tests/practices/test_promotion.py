import threading
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import Notification
from practices.library import services
from practices.models import Promotion, Standard, StandardRevision
from stories.models import Story
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db


def promote_url(story: Story) -> str:
    return reverse("practices:promote", args=[story.pk])


class FormValues(HTMLParser):
    """What a browser would submit from the page's POST form, left as the page filled it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.in_post_form = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = attrs.get("method") == "post"
        if not self.in_post_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "checkbox"}:
            self.values[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.values[name] = attrs.get("value") or "on"
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""
        elif tag == "select":
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attrs.get("value", "")
                self.values[self.select] = self.first_option
            if "selected" in attrs:
                self.values[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def prefilled(client: Client, story: Story) -> dict[str, str]:
    """The promote page's form, submitted as it comes (a browser drops a textarea's first newline)."""
    response = client.get(promote_url(story))
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    values = parser.values
    for name in ["practice", "why", "note"]:
        values[name] = values[name].removeprefix("\n")
    return values


def umbrella_story(author, **kw) -> Story:
    fields = {
        "title": "Umbrellas to lend by the door",
        "body": "It was pouring, so we lent our umbrellas.\n\nEvery one of them came back the next week.",
        "pillar": make_pillar(),
        "tags": ["rain", "loan"],
    }
    return make_story(author, **(fields | kw))


def nothing_promoted() -> bool:
    return not (
        Standard.objects.exists()
        or Promotion.objects.exists()
        or StandardRevision.objects.exists()
        or Notification.objects.filter(kind=Notification.Kind.PROMOTED).exists()
    )


class PromoteTests:
    def test_it_turns_a_story_into_a_published_standard_from_the_prefilled_form(self, client, cast):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        data = prefilled(client, story) | {"note": "Every store should do this."}
        assert data["title"] == story.title and data["standard"] == "" and data["publish"] == "on"
        response = client.post(promote_url(story), data)
        standard = Standard.objects.get()
        assert response.status_code == 302
        assert response["Location"] == "/library/umbrellas-to-lend-by-the-door/" == standard.get_absolute_url()
        assert (standard.title, standard.status, standard.revision) == (story.title, "published", 1)
        assert standard.summary == "It was pouring, so we lent our umbrellas."
        assert standard.practice == story.body
        assert standard.pillar == story.pillar
        assert sorted(standard.tags.names()) == ["loan", "rain"]
        assert standard.owner == cast.julien
        assert list(standard.revisions.values_list("number", flat=True)) == [1]
        promotion = Promotion.objects.get()
        assert (promotion.story, promotion.standard, promotion.curator) == (story, standard, cast.julien)
        assert promotion.note == "Every store should do this."
        page = client.get(response["Location"]).content.decode()
        assert "became the standard" in page and "Every store should do this." in page

    def test_it_tells_the_author_in_their_inbox_with_a_link_to_the_standard(self, client, cast):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        client.post(promote_url(story), prefilled(client, story))
        standard = Standard.objects.get()
        notification = Notification.objects.get(recipient=cast.camille)
        assert (notification.kind, notification.actor, notification.url) == (
            "promoted",
            cast.julien,
            standard.get_absolute_url(),
        )
        client.force_login(cast.camille)
        inbox = client.get(reverse("accounts:notifications")).content.decode()
        assert f"Your story “{story.title}” became the standard “{standard.title}”." in inbox
        response = client.post(reverse("accounts:notification-open", args=[notification.pk]))
        assert response["Location"] == standard.get_absolute_url()

    def test_it_attaches_a_story_to_an_existing_standard(self, client, cast):
        standard = make_standard(cast.julien)
        story = umbrella_story(cast.hugo)
        client.force_login(cast.julien)
        data = prefilled(client, story) | {"standard": str(standard.pk), "note": "Lyon does it too."}
        response = client.post(promote_url(story), data, follow=True)
        assert response.redirect_chain == [(standard.get_absolute_url(), 302)]
        assert "The story is now a source of" in response.content.decode()
        assert Standard.objects.get() == standard
        assert Promotion.objects.get().standard == standard
        standard.refresh_from_db()
        assert standard.revision == 1  # a new source is not a new text
        assert Notification.objects.get(recipient=cast.hugo).url == standard.get_absolute_url()

    def test_the_standard_page_credits_each_source_story(self, client, cast):
        first = umbrella_story(cast.camille)
        second = umbrella_story(cast.hugo, title="Umbrellas in Lyon too")
        client.force_login(cast.julien)
        client.post(promote_url(first), prefilled(client, first) | {"note": "Simple and kind."})
        standard = Standard.objects.get()
        client.post(promote_url(second), {"standard": standard.pk})
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert f'href="{first.get_absolute_url()}"' in page and f'href="{second.get_absolute_url()}"' in page
        assert '<a href="/people/camille/">Camille Martin</a>' in page
        assert '<a href="/people/hugo/">Hugo Bernard</a>' in page
        assert "Paris Opéra" in page and "Lyon Bellecour" in page
        assert "Julien Petit promoted it:" in page and "Simple and kind." in page

    def test_a_double_submit_makes_one_standard_and_goes_to_it(self, client, cast):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        data = prefilled(client, story)
        first = client.post(promote_url(story), data)
        second = client.post(promote_url(story), data, follow=True)
        assert second.redirect_chain == [(first["Location"], 302)]
        assert "This story already inspired the standard" in second.content.decode()
        assert Standard.objects.count() == 1 == Promotion.objects.count() == StandardRevision.objects.count()
        assert Notification.objects.filter(recipient=cast.camille).count() == 1

    def test_the_form_of_a_promoted_story_goes_to_its_standard(self, client, cast):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        location = client.post(promote_url(story), prefilled(client, story))["Location"]
        assert client.get(promote_url(story))["Location"] == location

    def test_the_service_refuses_a_second_promotion(self, cast):
        story = umbrella_story(cast.camille)
        fields = {"title": "Umbrellas", "summary": "Lend them.", "practice": "Lend umbrellas."}
        promotion = services.story_promote(story=story, curator=cast.julien, new_standard=fields)
        with pytest.raises(services.AlreadyPromoted) as refused:
            services.story_promote(story=story, curator=cast.julien, new_standard=fields)
        assert refused.value.promotion == promotion
        assert Standard.objects.count() == 1 == Promotion.objects.count()

    def test_it_is_all_or_nothing(self, cast, monkeypatch):
        story = umbrella_story(cast.camille)

        def broken_inbox(**kwargs):
            raise RuntimeError("the inbox is down")

        monkeypatch.setattr(services, "notify", broken_inbox)
        fields = {"title": "Umbrellas", "summary": "Lend them.", "practice": "Lend umbrellas."}
        with pytest.raises(RuntimeError):
            services.story_promote(story=story, curator=cast.julien, new_standard=fields)
        assert nothing_promoted()

    def test_unticking_publish_keeps_a_draft_and_the_author_hears_when_it_is_published(self, client, cast):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        data = prefilled(client, story)
        del data["publish"]
        client.post(promote_url(story), data)
        standard = Standard.objects.get()
        assert (standard.status, standard.revision) == ("draft", 0)
        assert not Notification.objects.filter(recipient=cast.camille).exists()
        client.post(reverse("practices:standard-publish", args=[standard.slug]))
        assert Notification.objects.get(recipient=cast.camille).kind == "promoted"

    @pytest.mark.parametrize("status", ["hidden", "deleted"])
    def test_a_hidden_or_deleted_story_cannot_be_promoted(self, client, cast, status):
        story = umbrella_story(cast.camille)
        data = {"title": "Umbrellas", "summary": "Lend them.", "practice": "Lend umbrellas.", "publish": "on"}
        Story.objects.filter(pk=story.pk).update(status=status)
        client.force_login(cast.julien)
        assert client.get(promote_url(story)).status_code == 404
        assert client.post(promote_url(story), data).status_code == 404
        assert nothing_promoted()

    @pytest.mark.parametrize("username", ["camille", "lea"])
    def test_it_requires_a_curator(self, client, cast, username):
        story = umbrella_story(cast.hugo)
        data = {"title": "Umbrellas", "summary": "Lend them.", "practice": "Lend umbrellas.", "publish": "on"}
        client.force_login(getattr(cast, username))
        assert client.get(promote_url(story)).status_code == 403
        assert client.post(promote_url(story), data).status_code == 403
        assert nothing_promoted()

    def test_it_requires_a_log_in(self, client, cast):
        story = umbrella_story(cast.camille)
        response = client.post(promote_url(story), {"title": "Umbrellas"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert nothing_promoted()

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"title": ""}, "Give the standard a title."),
            ({"title": "   "}, "Give the standard a title."),
            ({"summary": ""}, "Sum the standard up in a sentence."),
            ({"practice": " \n "}, "Say what to do."),
            ({"title": "Umbrellas\x00"}, "Null characters are not allowed."),
            ({"title": "Umbrellas\x07 by the door"}, "invisible control characters"),
            ({"practice": "Lend them\x1b[31m"}, "invisible control characters"),
            ({"note": "Because\x00"}, "Null characters are not allowed."),
            ({"title": "x" * 121}, "at most 120 characters (it has 121)"),
            ({"practice": "x" * 10_001}, "at most 10000 characters"),
            ({"tags": ", ".join(f"tag{i}" for i in range(11))}, "Use at most 10 tags."),
            ({"tags": "x" * 51}, "A tag can have at most 50 characters."),
            ({"standard": "999999"}, "Select a valid choice."),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, client, cast, changes, message):
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        response = client.post(promote_url(story), prefilled(client, story) | changes)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert nothing_promoted()

    def test_a_retired_standard_cannot_take_a_new_source(self, client, cast):
        standard = make_standard(cast.julien)
        services.standard_retire(standard=standard, editor=cast.julien)
        story = umbrella_story(cast.camille)
        client.force_login(cast.julien)
        response = client.post(promote_url(story), prefilled(client, story) | {"standard": str(standard.pk)})
        assert response.status_code == 200
        assert "Select a valid choice." in response.content.decode()
        assert not Promotion.objects.exists()


class ConcurrentPromoteTests:
    @pytest.mark.django_db(transaction=True)
    def test_two_curators_promoting_the_same_story_at_once_make_one_standard(self, cast):
        story = umbrella_story(cast.camille)
        other_curator = make_user("nadia", store=cast.paris, role=roles.CURATORS)
        data = {"title": "Umbrellas", "summary": "Lend them.", "practice": "Lend umbrellas.", "publish": "on"}
        clients = []
        for curator in [cast.julien, other_curator] * 2:
            client = Client()
            client.force_login(curator)
            clients.append(client)
        barrier = threading.Barrier(len(clients))
        locations: list[str] = []
        errors: list[Exception] = []

        def promote(client: Client) -> None:
            try:
                barrier.wait()
                response = client.post(promote_url(story), data)
                assert response.status_code == 302, response.status_code
                locations.append(response["Location"])
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()  # the thread's own connection, so the test database can be dropped

        threads = [threading.Thread(target=promote, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert locations == ["/library/umbrellas/"] * 4
        assert Standard.objects.count() == 1 == Promotion.objects.count() == StandardRevision.objects.count()
        assert Notification.objects.filter(recipient=cast.camille).count() == 1
