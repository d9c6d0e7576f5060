from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practices.library import services
from practices.models import Standard, StandardRevision
from stories.models import Story
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db


def url(name: str, standard: Standard, *args) -> str:
    return reverse(f"practices:{name}", args=[standard.slug, *args])


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def new_standard_data(**kw) -> dict:
    return {
        "title": "Lend an umbrella when it rains",
        "summary": "Keep a few umbrellas by the door.",
        "practice": "- Keep umbrellas near the door.\n- Lend them with no deposit.",
        "why": "They nearly always come back, and so do the customers.",
        "pillar": make_pillar().pk,
        "tags": "rain, loan",
        "language": "en",
        "review_at": "",
    } | kw


def edit_data(standard: Standard, **kw) -> dict:
    return {
        "title": standard.title,
        "summary": standard.summary,
        "practice": standard.practice,
        "why": standard.why,
        "pillar": standard.pillar_id or "",
        "tags": ", ".join(standard.tags.names()),
        "language": standard.language,
        "review_at": "",
    } | kw


def snapshot(standard: Standard) -> tuple:
    standard = Standard.objects.get(pk=standard.pk)
    return (
        standard.title,
        standard.practice,
        standard.status,
        standard.revision,
        standard.review_at,
        standard.reviewed_at,
        standard.updated_at,
        StandardRevision.objects.count(),
    )


class WriteTests:
    def test_it_saves_a_new_standard_as_a_draft(self, client, cast):
        client.force_login(cast.julien)
        response = client.post(reverse("practices:standard-new"), new_standard_data())
        standard = Standard.objects.get()
        assert response["Location"] == "/library/lend-an-umbrella-when-it-rains/" == standard.get_absolute_url()
        assert (standard.status, standard.revision, standard.owner) == ("draft", 0, cast.julien)
        assert (
            standard.practice_html
            == "<ul>\n<li>Keep umbrellas near the door.</li>\n<li>Lend them with no deposit.</li>\n</ul>\n"
        )
        assert sorted(standard.tags.names()) == ["loan", "rain"]
        assert not standard.revisions.exists()
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "Draft: only curators see it" in page

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"title": ""}, "Give the standard a title."),
            ({"summary": "  "}, "Sum the standard up in a sentence."),
            ({"practice": ""}, "Say what to do."),
            ({"practice": "Lend\x00them"}, "Null characters are not allowed."),
            ({"why": "Because\x08"}, "invisible control characters"),
            ({"title": "x" * 121}, "at most 120 characters (it has 121)"),
            ({"why": "x" * 10_001}, "at most 10000 characters"),
            ({"tags": ", ".join(f"tag{i}" for i in range(11))}, "Use at most 10 tags."),
            ({"review_at": "not a date"}, "Enter a valid date."),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, client, cast, changes, message):
        client.force_login(cast.julien)
        response = client.post(reverse("practices:standard-new"), new_standard_data(**changes))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Standard.objects.exists()

    @pytest.mark.parametrize("username", ["camille", "lea"])
    def test_it_requires_a_curator(self, client, cast, username):
        client.force_login(getattr(cast, username))
        assert client.get(reverse("practices:standard-new")).status_code == 403
        assert client.post(reverse("practices:standard-new"), new_standard_data()).status_code == 403
        assert not Standard.objects.exists()


class SlugTests:
    def test_a_taken_title_gets_a_number(self, cast):
        slugs = [make_standard(cast.julien, title="Lend an umbrella").slug for _ in range(3)]
        assert slugs == ["lend-an-umbrella", "lend-an-umbrella-2", "lend-an-umbrella-3"]

    @pytest.mark.parametrize(
        ("title", "slug"),
        [("New", "new-2"), ("Archive", "archive-2"), ("Reviews", "reviews-2"), ("!!!", "standard")],
    )
    def test_the_librarys_own_pages_keep_their_urls(self, client, cast, title, slug):
        standard = make_standard(cast.julien, title=title)
        assert standard.slug == slug
        client.force_login(cast.camille)
        assert client.get(f"/library/{slug}/").context["standard"] == standard
        assert client.get("/library/archive/").context["standards"] == []

    def test_accents_are_dropped_from_the_slug(self, cast):
        assert (
            make_standard(cast.julien, title="Prêter un parapluie à l'entrée").slug == "preter-un-parapluie-a-lentree"
        )

    def test_a_revision_keeps_the_url(self, client, cast):
        standard = make_standard(cast.julien)
        client.force_login(cast.julien)
        client.post(url("standard-edit", standard), edit_data(standard, title="Umbrellas", change_note="Shorter"))
        standard.refresh_from_db()
        assert (standard.title, standard.slug) == ("Umbrellas", "lend-an-umbrella-when-it-rains")


class PublishTests:
    def test_publishing_a_draft_makes_revision_1(self, client, cast):
        standard = make_standard(cast.julien, publish=False)
        client.force_login(cast.julien)
        response = client.post(url("standard-publish", standard))
        assert response["Location"] == standard.get_absolute_url()
        standard.refresh_from_db()
        assert (standard.status, standard.revision) == ("published", 1)
        assert standard.published_at is not None
        revision = standard.revisions.get()
        assert (revision.number, revision.title, revision.editor, str(revision.note)) == (
            1,
            standard.title,
            cast.julien,
            "First version",
        )
        client.force_login(cast.camille)
        assert client.get(standard.get_absolute_url()).status_code == 200
        assert [s.pk for s in client.get("/library/").context["standards"]] == [standard.pk]

    def test_publishing_twice_changes_nothing(self, client, cast):
        standard = make_standard(cast.julien)
        before = snapshot(standard)
        client.force_login(cast.julien)
        assert client.post(url("standard-publish", standard)).status_code == 302
        assert snapshot(standard) == before

    def test_a_draft_is_hidden_from_everyone_but_curators(self, client, cast):
        standard = make_standard(cast.julien, publish=False)
        for person in [cast.camille, cast.lea]:
            client.force_login(person)
            assert client.get(standard.get_absolute_url()).status_code == 404
            assert client.get(url("revision", standard, 1)).status_code == 404
            assert client.get("/library/").context["standards"] == []
        client.force_login(cast.julien)
        assert client.get(standard.get_absolute_url()).status_code == 200


class ReviseTests:
    def test_a_revision_needs_a_change_note(self, client, cast):
        standard = make_standard(cast.julien)
        before = snapshot(standard)
        client.force_login(cast.julien)
        response = client.post(url("standard-edit", standard), edit_data(standard, practice="Changed", change_note=" "))
        assert response.status_code == 200
        assert "Say in a few words what changed." in response.content.decode()
        assert snapshot(standard) == before

    def test_a_revision_is_numbered_and_the_earlier_one_stays_readable(self, client, cast):
        standard = make_standard(cast.julien, practice="Lend umbrellas by the door.")
        client.force_login(cast.julien)
        data = edit_data(standard, practice="Lend umbrellas; count them on Mondays.", change_note="Count them weekly")
        response = client.post(url("standard-edit", standard), data | {"material": "on"}, follow=True)
        assert "Revision published. The earlier text stays readable." in response.content.decode()
        standard.refresh_from_db()
        assert standard.revision == 2
        assert list(standard.revisions.values_list("number", "change_note", "material")) == [
            (2, "Count them weekly", True),
            (1, "", True),
        ]
        client.force_login(cast.camille)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "count them on Mondays" in page and "Count them weekly" in page and "First version" in page
        assert f'href="{url("revision", standard, 1)}"' in page
        earlier = client.get(url("revision", standard, 1)).content.decode()
        assert "Lend umbrellas by the door." in earlier and "Mondays" not in earlier
        assert "Read the current version" in earlier
        latest = client.get(url("revision", standard, 2)).content.decode()
        assert "count them on Mondays" in latest and "Read the current version" not in latest
        assert client.get(url("revision", standard, 3)).status_code == 404

    def test_editing_a_draft_needs_no_note_and_makes_no_revision(self, client, cast):
        standard = make_standard(cast.julien, publish=False)
        client.force_login(cast.julien)
        response = client.post(url("standard-edit", standard), edit_data(standard, practice="Better"), follow=True)
        assert "Your changes are saved." in response.content.decode()
        standard.refresh_from_db()
        assert (standard.practice, standard.revision, standard.status) == ("Better", 0, "draft")
        assert not StandardRevision.objects.exists()


class RetireTests:
    def test_a_retired_standard_leaves_the_library_for_the_archive(self, client, cast):
        standard = make_standard(cast.julien)
        client.force_login(cast.julien)
        response = client.post(url("standard-retire", standard), {"reason": "Customers no longer ask for it"})
        assert response["Location"] == standard.get_absolute_url()
        standard.refresh_from_db()
        assert standard.status == "retired" and standard.retired_at is not None
        client.force_login(cast.camille)
        assert client.get("/library/").context["standards"] == []
        archive = client.get("/library/archive/")
        assert [s.pk for s in archive.context["standards"]] == [standard.pk]
        assert '<span class="badge text-bg-secondary">Retired</span>' in archive.content.decode()
        page = client.get(standard.get_absolute_url())
        assert page.status_code == 200
        assert "This standard is retired" in page.content.decode()
        assert client.get(url("revision", standard, 1)).status_code == 200

    def test_a_retired_standard_can_be_published_again_as_a_new_revision(self, client, cast):
        standard = make_standard(cast.julien)
        services.standard_retire(standard=standard, editor=cast.julien)
        client.force_login(cast.julien)
        client.post(url("standard-publish", standard))
        standard.refresh_from_db()
        assert (standard.status, standard.revision, standard.retired_at) == ("published", 2, None)
        assert str(standard.revisions.first().note) == "Published again"


class ReviewTests:
    def test_a_standard_from_a_petite_attention_is_reviewed_after_six_months(self, client, cast):
        attention = make_story(cast.camille, kind=Story.Kind.ATTENTION, title="A drawing on the gift wrap")
        story = make_story(cast.hugo, title="Carrying bags to the car")
        client.force_login(cast.julien)
        for source in [attention, story]:
            data = {"title": source.title, "summary": "Do it.", "practice": "Do it.", "publish": "on"}
            client.post(reverse("practices:promote", args=[source.pk]), data)
        review_dates = dict(Standard.objects.values_list("title", "review_at"))
        assert review_dates == {attention.title: in_days(180), story.title: in_days(365)}

    def test_a_standard_written_by_curators_is_reviewed_after_a_year(self, cast):
        assert make_standard(cast.julien).review_at == in_days(365)

    def test_a_chosen_review_date_is_kept(self, client, cast):
        client.force_login(cast.julien)
        client.post(reverse("practices:standard-new"), new_standard_data(review_at=in_days(30).isoformat()))
        standard = Standard.objects.get()
        client.post(url("standard-publish", standard))
        standard.refresh_from_db()
        assert standard.review_at == in_days(30)

    def test_the_reviews_page_lists_the_standards_due(self, client, cast):
        due = make_standard(cast.julien, title="Due")
        later = make_standard(cast.julien, title="Later")
        draft = make_standard(cast.julien, title="Draft", publish=False)
        retired = make_standard(cast.julien, title="Retired")
        services.standard_retire(standard=retired, editor=cast.julien)
        Standard.objects.filter(pk__in=[due.pk, draft.pk, retired.pk]).update(review_at=in_days(-1))
        client.force_login(cast.julien)
        response = client.get(reverse("practices:reviews"))
        assert [s.title for s in response.context["standards"]] == ["Due"]
        assert later.review_at == in_days(365)
        assert "1 standard due for review" in client.get(reverse("practices:curation")).content.decode()
        page = client.get(due.get_absolute_url()).content.decode()
        assert "Due for review since" in page and "Confirm it still holds" in page

    def test_confirming_a_review_moves_the_date_on(self, client, cast):
        standard = make_standard(cast.julien)
        Standard.objects.filter(pk=standard.pk).update(review_at=in_days(-10))
        client.force_login(cast.julien)
        response = client.post(url("standard-review", standard), {"next": "reviews"})
        assert response["Location"] == reverse("practices:reviews")
        standard.refresh_from_db()
        assert standard.review_at == in_days(365)
        assert standard.reviewed_at is not None
        assert not standard.is_due_for_review
        assert client.get(reverse("practices:reviews")).context["standards"] == []

    def test_only_a_published_standard_can_be_confirmed(self, client, cast):
        standard = make_standard(cast.julien, publish=False)
        before = snapshot(standard)
        client.force_login(cast.julien)
        response = client.post(url("standard-review", standard), follow=True)
        assert "Only a published standard can be confirmed." in response.content.decode()
        assert snapshot(standard) == before

    @pytest.mark.parametrize("username", ["camille", "lea"])
    def test_the_reviews_page_requires_a_curator(self, client, cast, username):
        client.force_login(getattr(cast, username))
        assert client.get(reverse("practices:reviews")).status_code == 403


class RefusalTests:
    @pytest.mark.parametrize("username", ["camille", "lea"])
    @pytest.mark.parametrize("action", ["standard-publish", "standard-retire", "standard-review", "standard-edit"])
    @pytest.mark.parametrize("publish", [True, False])
    def test_only_curators_change_a_standard(self, client, cast, username, action, publish):
        standard = make_standard(cast.julien, publish=publish)
        Standard.objects.filter(pk=standard.pk).update(review_at=in_days(-1))
        before = snapshot(standard)
        client.force_login(getattr(cast, username))
        data = edit_data(standard, title="Hijacked", change_note="Mine now")
        assert client.post(url(action, standard), data).status_code == 403
        assert snapshot(standard) == before

    @pytest.mark.parametrize("username", ["camille", "lea"])
    def test_the_edit_form_requires_a_curator(self, client, cast, username):
        standard = make_standard(cast.julien)
        client.force_login(getattr(cast, username))
        assert client.get(url("standard-edit", standard)).status_code == 403

    def test_retiring_asks_first_and_a_get_changes_nothing(self, client, cast):
        standard = make_standard(cast.julien)
        before = snapshot(standard)
        client.force_login(cast.julien)
        assert client.get(url("standard-retire", standard)).status_code == 200
        assert snapshot(standard) == before

    @pytest.mark.parametrize("action", ["standard-publish", "standard-review"])
    def test_post_only_actions_refuse_get(self, client, cast, action):
        standard = make_standard(cast.julien, publish=False)
        before = snapshot(standard)
        client.force_login(cast.julien)
        assert client.get(url(action, standard)).status_code == 405
        assert snapshot(standard) == before

    def test_an_unknown_standard_is_404(self, client, cast):
        client.force_login(cast.julien)
        assert client.get("/library/no-such-standard/").status_code == 404
        assert client.post("/library/no-such-standard/publish/").status_code == 404

    def test_the_library_requires_a_log_in(self, client, cast):
        standard = make_standard(cast.julien)
        for path in ["/library/", standard.get_absolute_url(), "/library/archive/", "/curation/"]:
            response = client.get(path)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


class ReviewDateInputTests:
    def test_it_refuses_a_review_date_in_the_past_with_a_message(self, client, cast):
        client.force_login(cast.julien)
        data = {
            "title": "Greet every customer",
            "summary": "Say hello.",
            "practice": "Look up and smile.",
            "language": "en",
            "review_at": "2020-01-01",
        }
        response = client.post("/library/new/", data)
        assert response.status_code == 200
        assert "Choose a review date from today on" in response.content.decode()
        assert not Standard.objects.filter(title="Greet every customer").exists()

    def test_it_keeps_a_past_date_the_standard_already_has(self, client, cast):
        client.force_login(cast.julien)
        standard = make_standard(cast.julien, title="Old one", publish=True)
        Standard.objects.filter(pk=standard.pk).update(review_at="2020-01-01")
        data = {
            "title": "Old one",
            "summary": standard.summary,
            "practice": standard.practice,
            "language": "en",
            "review_at": "2020-01-01",
            "change_note": "Clearer wording",
        }
        response = client.post(f"/library/{standard.slug}/edit/", data)
        assert response.status_code == 302
        standard.refresh_from_db()
        assert standard.revision == 2
