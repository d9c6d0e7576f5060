"""A person's data: their export as a ZIP, and erasure by an administrator."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from accounts import roles
from accounts.models import RosterUpload, User
from accounts.personal_data import person_erase
from practices.library.services import standard_set_situation, story_promote
from practices.onboarding.services import case_answer_save, path_assign, path_create, standard_acknowledge
from practices.referents.services import referent_name
from stories import services as story_services
from stories.models import Comment, Story, StoryPhoto
from tests.conftest import make_user
from tests.factories import jpeg_upload, make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

TRACES = ["zephyrine", "Zéphyrine", "Quillard", "zq@example.com", "HR-77"]


@pytest.fixture
def zephyrine(cast):
    """A colleague with a bit of everything: stories, a photo, comments, votes, tries, learning, a role."""
    person = make_user(
        "zephyrine",
        store=cast.paris,
        role=roles.STAFF,
        display_name="Zéphyrine Quillard",
        first_name="Zéphyrine",
        last_name="Quillard",
        employee_id="HR-77",
        language="fr",
    )
    person.email = "zq@example.com"
    person.save(update_fields=["email"])
    own = make_story(person, title="Umbrellas by the door", photos=[jpeg_upload()], photo_alt="Umbrellas")
    make_story(person, title="Water for dogs")
    others = make_story(cast.hugo, title="A chair for the elderly", body="Inspired by @zephyrine, thanks!")
    story_services.vote_set(user=person, story=others, voted=True)
    story_services.vote_set(user=cast.hugo, story=own, voted=True)
    comment = story_services.comment_add(author=person, story=others, body="We do it too in Paris.")
    story_services.comment_add(author=cast.hugo, story=others, body="Thanks @zephyrine!", parent=comment)
    story_services.tried_record(user=person, story=others, outcome="Customers loved it")
    story_services.flag_create(reporter=person, story=others, reason="other", text="I, Zéphyrine, think...")
    standard = make_standard(cast.julien, title="Lend umbrellas")
    standard_set_situation(standard=standard, editor=cast.julien, situation="It rains; a customer has no umbrella.")
    standard_acknowledge(user=person, standard=standard, revision=standard.revision)
    case_answer_save(user=person, standard=standard, text="I would lend mine")
    path_assign(path=path_create(curator=cast.julien, title="First weeks"), person=person, curator=cast.julien)
    referent_name(person=person, pillar=make_pillar(), region=cast.paris.region, curator=cast.julien)
    LogEntry.objects.log_actions(
        user_id=cast.admin.pk, queryset=User.objects.filter(pk=person.pk), action_flag=CHANGE, single_object=True
    )
    RosterUpload.objects.create(filename="roster.csv", report={"changes": ["New: Zéphyrine Quillard (HR-77), Paris"]})
    return person


def download(client, username: str):
    response = client.get(reverse("accounts:export", args=[username]))
    if response.status_code != 200:
        return response, None
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return response, archive


class ExportTests:
    def test_a_person_downloads_everything_about_them(self, client, cast, zephyrine):
        client.force_login(zephyrine)
        response, archive = download(client, "zephyrine")
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"].startswith('attachment; filename="zephyrine-')
        assert response["Cache-Control"] == "private, no-store"
        data = json.loads(archive.read("data.json"))
        assert data["profile"]["email"] == "zq@example.com" and data["profile"]["employee_id"] == "HR-77"
        assert data["profile"]["store"]["name"] == "Paris Opéra" and data["profile"]["roles"] == ["Staff"]
        assert [story["title"] for story in data["stories"]] == ["Umbrellas by the door", "Water for dogs"]
        assert [comment["text"] for comment in data["comments"]] == ["We do it too in Paris."]
        assert [vote["story_title"] for vote in data["votes"]] == ["A chair for the elderly"]
        assert data["tried"][0]["outcome"] == "Customers loved it"
        assert data["acknowledgements"][0]["standard"] == "Lend umbrellas"
        assert data["judgement_case_answers"][0]["answer"] == "I would lend mine"
        assert data["referent_roles"][0]["pillar"] == "Take charge"
        assert data["reports"][0]["details"] == "I, Zéphyrine, think..."
        photo = data["stories"][0]["photos"][0]
        assert photo["description"] == "Umbrellas" and archive.read(photo["file"])[:3] == b"\xff\xd8\xff"  # a JPEG

    def test_it_is_offered_on_their_own_profile_only(self, client, cast, zephyrine):
        client.force_login(zephyrine)
        link = f'href="{reverse("accounts:export", args=["zephyrine"])}"'
        assert link in client.get(reverse("accounts:profile", args=["zephyrine"])).content.decode()
        client.force_login(cast.hugo)
        assert link not in client.get(reverse("accounts:profile", args=["zephyrine"])).content.decode()

    @pytest.mark.parametrize("reader", ["hugo", "julien", "lea"])
    def test_another_persons_export_is_404(self, client, cast, zephyrine, reader):
        client.force_login(getattr(cast, reader))
        assert client.get(reverse("accounts:export", args=["zephyrine"])).status_code == 404
        assert client.get(reverse("accounts:export", args=["nobody"])).status_code == 404

    def test_an_administrator_can_export_anyones_even_a_leavers(self, client, cast, zephyrine):
        User.objects.filter(pk=zephyrine.pk).update(is_active=False)
        client.force_login(cast.admin)
        response, archive = download(client, "zephyrine")
        assert response.status_code == 200 and json.loads(archive.read("data.json"))["profile"]["is_active"] is False

    def test_anonymous_people_are_sent_to_log_in(self, client, zephyrine):
        response = client.get(reverse("accounts:export", args=["zephyrine"]))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def leftovers(*values: str) -> list[str]:
    """Every row, in every table, whose text (or JSON, or search vector) contains one of the values."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField | SearchVectorField):
                continue
            rows = model._default_manager.annotate(_text=Cast(field.name, models.TextField()))
            for value in values:
                for lookup in [value, value.lower()]:
                    if rows.filter(_text__icontains=lookup).exists():
                        found.append(f"{model._meta.label}.{field.name} contains {lookup!r}")
    return found


class ErasureTests:
    def erase_through_the_admin(self, client, cast, person, content="keep"):
        client.force_login(cast.admin)
        changelist = reverse("admin:accounts_user_changelist")
        response = client.post(changelist, {"action": "erase", "_selected_action": [person.pk]})
        assert response.status_code == 302
        confirm = client.get(response["Location"])
        assert confirm.status_code == 200
        return confirm, client.post(response["Location"], {"ids": [person.pk], "content": content})

    def test_keeping_their_stories_as_a_former_colleagues(self, client, cast, zephyrine):
        own = Story.objects.get(title="Umbrellas by the door")
        confirm, done = self.erase_through_the_admin(client, cast, zephyrine)
        page = confirm.content.decode()
        assert "stories kept, credited to a former colleague: <strong>2</strong>" in page
        assert "stories deleted, with their photos and discussions: <strong>2</strong>" in page
        assert "votes kept, as counts: <strong>1</strong>" in page
        assert done.status_code == 302
        person = User.objects.get(pk=zephyrine.pk)
        assert person.username == f"former-{person.pk}" and not person.is_active and person.erased_at
        assert (person.email, person.first_name, person.last_name, person.employee_id) == ("", "", "", None)
        assert not person.has_usable_password() and not person.groups.exists()
        own.refresh_from_db()
        assert own.author_id == person.pk and own.store_id == cast.paris.pk and own.vote_count == 1
        assert Story.objects.get(title="A chair for the elderly").vote_count == 1  # their vote, as a count
        client.force_login(cast.hugo)
        story_page = client.get(own.get_absolute_url()).content.decode()
        assert "A former colleague" in story_page and "Zéphyrine" not in story_page

    def test_nothing_personal_remains_in_any_table_or_search_document(self, client, cast, zephyrine):
        assert leftovers(*TRACES)  # the check finds them before
        self.erase_through_the_admin(client, cast, zephyrine)
        assert leftovers(*TRACES) == []

    def test_deleting_their_stories_and_comments(self, client, cast, zephyrine, django_capture_on_commit_callbacks):
        photo = StoryPhoto.objects.get()
        storage, files = photo.image.storage, [photo.image.name, photo.thumbnail.name]
        others = Story.objects.get(title="A chair for the elderly")
        with django_capture_on_commit_callbacks(execute=True):
            self.erase_through_the_admin(client, cast, zephyrine, content="delete")
        assert not Story.objects.filter(title__in=["Umbrellas by the door", "Water for dogs"]).exists()
        assert not any(storage.exists(name) for name in files)
        comment = Comment.objects.get(story=others, parent=None)
        assert (comment.status, comment.body) == ("deleted", "")
        assert Comment.objects.filter(parent=comment).exists()  # hugo's reply stays
        others.refresh_from_db()
        assert others.comment_count == 1 and others.vote_count == 1 and others.tried_count == 1
        assert leftovers(*TRACES) == []

    def test_a_story_a_standard_credits_stays_when_their_content_is_deleted(self, cast, zephyrine):
        own = Story.objects.get(title="Water for dogs")
        story_promote(story=own, curator=cast.julien, new_standard={"title": "Water", "summary": "s", "practice": "p"})
        person_erase(person=zephyrine, delete_content=True)
        assert Story.objects.filter(pk=own.pk, author=zephyrine).exists()
        assert not Story.objects.filter(title="Umbrellas by the door").exists()

    def test_erasing_twice_is_harmless(self, cast, zephyrine):
        assert person_erase(person=zephyrine, delete_content=False) is True
        before = list(User.objects.filter(pk=zephyrine.pk).values())
        assert person_erase(person=zephyrine, delete_content=True) is False
        assert list(User.objects.filter(pk=zephyrine.pk).values()) == before
        assert Story.objects.filter(author=zephyrine).count() == 2

    def test_they_are_signed_out_and_cannot_sign_in(self, client, cast, zephyrine):
        client.force_login(zephyrine)
        person_erase(person=zephyrine, delete_content=False)
        assert client.get("/").status_code == 302
        assert client.get(reverse("accounts:profile", args=["zephyrine"])).status_code == 302

    @pytest.mark.parametrize("who", ["camille", "julien"])
    def test_staff_and_curators_cannot_erase(self, client, cast, zephyrine, who):
        client.force_login(getattr(cast, who))
        response = client.post(reverse("admin:accounts_user_erase"), {"ids": [zephyrine.pk], "content": "delete"})
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert User.objects.get(pk=zephyrine.pk).erased_at is None

    def test_an_admin_user_without_the_erase_permission_gets_403(self, client, cast, zephyrine):
        clerk = make_user("clerk", store=None, role=roles.STAFF, is_staff=True)
        clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
        client.force_login(clerk)
        erase = reverse("admin:accounts_user_erase")
        assert client.get(erase, {"ids": zephyrine.pk}).status_code == 403
        assert client.post(erase, {"ids": [zephyrine.pk], "content": "delete"}).status_code == 403
        changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
        assert 'value="erase"' not in changelist
        assert User.objects.get(pk=zephyrine.pk).erased_at is None

    def test_the_confirmation_speaks_french(self, client, cast, zephyrine):
        client.force_login(cast.admin)
        page = client.get(
            reverse("admin:accounts_user_erase"), {"ids": zephyrine.pk}, headers={"accept-language": "fr"}
        )
        assert "histoires gardées, attribuées à un ancien collègue" in page.content.decode()
