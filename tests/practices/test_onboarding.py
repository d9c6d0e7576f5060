import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Notification, Store
from practices.library import services as practices_services
from practices.models import (
    ANSWER_LIMIT,
    Acknowledgement,
    CaseAnswer,
    LearningPath,
    PathAssignment,
    PathStep,
    Standard,
)
from practices.onboarding import services as onboarding
from tests.conftest import make_user
from tests.factories import make_story

pytestmark = pytest.mark.django_db

ONBOARDING = "/onboarding/"


def publish(owner, title: str = "Lend an umbrella when it rains", **kw) -> Standard:
    fields = {
        "title": title,
        "summary": f"{title}: the summary.",
        "practice": f"{title}: what to do.",
        "publish": True,
    } | kw
    standard = practices_services.standard_create(owner=owner, **fields)
    standard.refresh_from_db()
    return standard


def new_hires() -> Group:
    return Group.objects.get(name=roles.NEW_HIRES)


def make_path(curator, standards, *, title: str = "First weeks in store", audience=None) -> LearningPath:
    path = onboarding.path_create(curator=curator, title=title, audience=audience or new_hires())
    for standard in standards:
        onboarding.path_step_add(path=path, standard=standard)
    return path


def revise(standard: Standard, editor, *, material: bool, note: str = "Clearer wording.") -> Standard:
    standard.refresh_from_db()
    return practices_services.standard_update(
        standard=standard,
        editor=editor,
        title=standard.title,
        summary=standard.summary,
        practice=standard.practice + " Revised.",
        why=standard.why,
        pillar=None,
        tags=[],
        change_note=note,
        material=material,
    )


def acknowledge(client, standard: Standard, revision=None, **extra):
    data = {"revision": standard.revision if revision is None else revision, **extra}
    return client.post(reverse("practices:acknowledge", args=[standard.slug]), data)


def read(user, standard: Standard) -> None:
    standard.refresh_from_db()
    onboarding.standard_acknowledge(user=user, standard=standard, revision=standard.revision)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def progress_of(user) -> list[tuple[int, int]]:
    return [(len(item.done), len(item.counted)) for item in onboarding.learner_paths(user)]


class PathManagementTests:
    def test_a_curator_creates_a_path_for_new_hires_by_default(self, client, cast):
        client.force_login(cast.julien)
        page = client.get(reverse("practices:path-new"))
        assert page.context["form"]["audience"].value() == new_hires().pk
        response = client.post(
            reverse("practices:path-new"),
            {"title": "  First   weeks ", "description": "Read in order.", "audience": new_hires().pk},
        )
        path = LearningPath.objects.get()
        assert response["Location"] == f"/onboarding/paths/{path.pk}/"
        assert (path.title, path.description, path.audience, path.created_by) == (
            "First weeks",
            "Read in order.",
            new_hires(),
            cast.julien,
        )

    @pytest.mark.parametrize("title", ["", "   ", "x" * 121, "Bad\x00title"])
    def test_a_bad_title_is_refused_and_nothing_is_created(self, client, cast, title):
        client.force_login(cast.julien)
        response = client.post(reverse("practices:path-new"), {"title": title, "audience": new_hires().pk})
        assert response.status_code == 200
        assert response.context["form"].errors["title"]
        assert not LearningPath.objects.exists()

    def test_a_curator_edits_the_path_and_chooses_another_audience(self, client, cast):
        path = make_path(cast.julien, [])
        staff = Group.objects.get(name=roles.STAFF)
        client.force_login(cast.julien)
        data = {"title": "Staff refresher", "description": "", "audience": staff.pk}
        response = client.post(reverse("practices:path-edit", args=[path.pk]), data)
        assert response.status_code == 302
        path.refresh_from_db()
        assert (path.title, path.audience) == ("Staff refresher", staff)

    def test_it_adds_standards_in_order_with_a_note(self, client, cast):
        first, second = publish(cast.julien, "First"), publish(cast.julien, "Second")
        path = make_path(cast.julien, [])
        client.force_login(cast.julien)
        url = reverse("practices:step-add", args=[path.pk])
        client.post(url, {"standard": first.pk, "note": "Start here."})
        response = client.post(url, {"standard": second.pk, "note": ""})
        steps = list(path.steps.all())
        assert response["Location"] == f"/onboarding/paths/{path.pk}/#step-{steps[1].pk}"
        assert [(step.standard, step.position, step.note) for step in steps] == [
            (first, 1, "Start here."),
            (second, 2, ""),
        ]

    def test_the_same_standard_twice_is_refused_with_a_message(self, client, cast):
        standard = publish(cast.julien)
        path = make_path(cast.julien, [standard])
        client.force_login(cast.julien)
        response = client.post(reverse("practices:step-add", args=[path.pk]), {"standard": standard.pk})
        assert response.status_code == 400
        assert "“Lend an umbrella when it rains” is already in this path." in response.content.decode()
        assert path.steps.count() == 1

    def test_the_service_and_the_database_refuse_the_same_standard_twice(self, cast):
        standard = publish(cast.julien)
        path = make_path(cast.julien, [standard])
        with pytest.raises(onboarding.Refused, match="already in this path"):
            onboarding.path_step_add(path=path, standard=standard)
        with pytest.raises(IntegrityError), transaction.atomic():
            PathStep.objects.create(path=path, standard=standard, position=9)
        assert path.steps.count() == 1

    @pytest.mark.parametrize("status", ["draft", "retired"])
    def test_only_a_published_standard_can_be_added(self, client, cast, status):
        standard = publish(cast.julien, publish=False)
        if status == "retired":
            practices_services.standard_publish(standard=standard, editor=cast.julien)
            practices_services.standard_retire(standard=standard, editor=cast.julien)
        path = make_path(cast.julien, [])
        client.force_login(cast.julien)
        response = client.post(reverse("practices:step-add", args=[path.pk]), {"standard": standard.pk})
        assert response.status_code == 400
        assert "Only a published standard can be added to a path." in response.content.decode()
        assert not path.steps.exists()
        with pytest.raises(onboarding.Refused):
            onboarding.path_step_add(path=path, standard=standard)

    def test_up_and_down_buttons_reorder_without_javascript(self, client, cast):
        a, b, c = (publish(cast.julien, title) for title in ["A", "B", "C"])
        path = make_path(cast.julien, [a, b, c])
        step_c = path.steps.get(standard=c)
        client.force_login(cast.julien)
        page = client.get(path.get_absolute_url()).content.decode()
        assert page.count('name="direction" value="up"') == 3
        move = reverse("practices:step-move", args=[path.pk, step_c.pk])
        response = client.post(move, {"direction": "up"})
        assert response["Location"] == f"/onboarding/paths/{path.pk}/#step-{step_c.pk}"
        assert [step.standard.title for step in path.steps.all()] == ["A", "C", "B"]
        client.post(move, {"direction": "up"})
        assert [step.standard.title for step in path.steps.all()] == ["C", "A", "B"]
        response = client.post(move, {"direction": "up"})
        assert "“C” is already at that end of the path." in page_messages(response)
        client.post(
            reverse("practices:step-move", args=[path.pk, path.steps.get(standard=a).pk]), {"direction": "down"}
        )
        assert [step.standard.title for step in path.steps.all()] == ["C", "B", "A"]

    def test_a_bad_direction_changes_nothing(self, client, cast):
        a, b = publish(cast.julien, "A"), publish(cast.julien, "B")
        path = make_path(cast.julien, [a, b])
        client.force_login(cast.julien)
        step = path.steps.get(standard=b)
        response = client.post(reverse("practices:step-move", args=[path.pk, step.pk]), {"direction": "sideways"})
        assert "Choose whether to move the standard up or down." in page_messages(response)
        assert [step.standard.title for step in path.steps.all()] == ["A", "B"]

    def test_a_curator_edits_a_note_and_removes_a_step(self, client, cast):
        a, b = publish(cast.julien, "A"), publish(cast.julien, "B")
        path = make_path(cast.julien, [a, b])
        step = path.steps.get(standard=a)
        client.force_login(cast.julien)
        client.post(reverse("practices:step-edit", args=[path.pk, step.pk]), {"note": "  Read it   twice. "})
        step.refresh_from_db()
        assert step.note == "Read it twice."
        response = client.post(reverse("practices:step-remove", args=[path.pk, step.pk]))
        assert "“A” is taken out of the path." in page_messages(response)
        assert [step.standard.title for step in path.steps.all()] == ["B"]
        client.post(reverse("practices:step-add", args=[path.pk]), {"standard": a.pk})
        assert [(step.standard.title, step.position) for step in path.steps.all()] == [("B", 2), ("A", 3)]

    def test_a_step_of_another_path_is_not_found(self, client, cast):
        standard = publish(cast.julien)
        path, other = make_path(cast.julien, [standard]), make_path(cast.julien, [], title="Other")
        step = path.steps.get()
        client.force_login(cast.julien)
        response = client.post(reverse("practices:step-remove", args=[other.pk, step.pk]))
        assert response.status_code == 404
        assert PathStep.objects.filter(pk=step.pk).exists()

    def test_a_curator_deletes_a_path_but_readings_stay(self, client, cast):
        standard = publish(cast.julien)
        path = make_path(cast.julien, [standard])
        read(cast.lea, standard)
        client.force_login(cast.julien)
        assert client.get(reverse("practices:path-delete", args=[path.pk])).status_code == 200
        response = client.post(reverse("practices:path-delete", args=[path.pk]))
        assert response["Location"] == reverse("practices:paths")
        assert not LearningPath.objects.exists() and not PathStep.objects.exists()
        assert Acknowledgement.objects.filter(user=cast.lea).count() == 1


class StaffRefusalTests:
    def management_urls(self, path, step, assignment) -> list[tuple[str, str, dict]]:
        return [
            ("get", reverse("practices:paths"), {}),
            ("get", reverse("practices:path-new"), {}),
            ("post", reverse("practices:path-new"), {"title": "Mine", "audience": ""}),
            ("get", reverse("practices:path", args=[path.pk]), {}),
            ("post", reverse("practices:path-edit", args=[path.pk]), {"title": "Changed", "audience": ""}),
            ("post", reverse("practices:path-delete", args=[path.pk]), {}),
            ("post", reverse("practices:step-add", args=[path.pk]), {"standard": step.standard_id}),
            ("post", reverse("practices:step-edit", args=[path.pk, step.pk]), {"note": "Changed"}),
            ("post", reverse("practices:step-move", args=[path.pk, step.pk]), {"direction": "down"}),
            ("post", reverse("practices:step-remove", args=[path.pk, step.pk]), {}),
            ("post", reverse("practices:path-assign", args=[path.pk]), {"username": "hugo"}),
            ("post", reverse("practices:path-unassign", args=[path.pk, assignment.pk]), {}),
            ("get", reverse("practices:path-progress", args=[path.pk]), {}),
            ("get", reverse("practices:path-progress-csv", args=[path.pk]), {}),
        ]

    def snapshot(self):
        return (
            list(LearningPath.objects.values_list("title", "audience", "updated_at")),
            list(PathStep.objects.values_list("standard", "position", "note")),
            list(PathAssignment.objects.values_list("path", "user")),
        )

    @pytest.mark.parametrize("who", ["camille", "lea"])
    def test_staff_and_new_hires_get_403_and_nothing_changes(self, client, cast, who):
        a, b = publish(cast.julien, "A"), publish(cast.julien, "B")
        path = make_path(cast.julien, [a, b])
        assignment = onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
        before = self.snapshot()
        client.force_login(getattr(cast, who))
        for method, url, data in self.management_urls(path, path.steps.first(), assignment):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, url
        assert self.snapshot() == before

    def test_a_curator_opens_every_management_page(self, client, cast):
        path = make_path(cast.julien, [publish(cast.julien)])
        client.force_login(cast.julien)
        for url in [
            reverse("practices:paths"),
            reverse("practices:path", args=[path.pk]),
            reverse("practices:path-edit", args=[path.pk]),
            reverse("practices:step-edit", args=[path.pk, path.steps.get().pk]),
            reverse("practices:path-progress", args=[path.pk]),
        ]:
            assert client.get(url).status_code == 200, url

    def test_the_onboarding_link_is_in_everyone_s_navigation(self, client, cast):
        client.force_login(cast.camille)
        page = client.get(ONBOARDING).content.decode()
        assert '<a href="/onboarding/" aria-current="page">Onboarding</a>' in page
        assert "Manage learning paths" not in page


class AssignmentTests:
    def test_new_hires_follow_the_path_automatically_and_staff_do_not(self, cast):
        path = make_path(cast.julien, [publish(cast.julien)])
        assert list(LearningPath.objects.for_person(cast.lea)) == [path]
        assert list(LearningPath.objects.for_person(cast.camille)) == []
        joiner = make_user("newbie", store=cast.paris, role=roles.NEW_HIRES)
        assert list(LearningPath.objects.for_person(joiner)) == [path]

    def test_a_curator_assigns_a_person_by_username(self, client, cast):
        path = make_path(cast.julien, [publish(cast.julien)])
        client.force_login(cast.julien)
        response = client.post(reverse("practices:path-assign", args=[path.pk]), {"username": " @Camille "})
        assert response["Location"] == f"/onboarding/paths/{path.pk}/#people"
        assignment = PathAssignment.objects.get()
        assert (assignment.user, assignment.assigned_by) == (cast.camille, cast.julien)
        assert list(LearningPath.objects.for_person(cast.camille)) == [path]
        client.post(reverse("practices:path-unassign", args=[path.pk, assignment.pk]))
        assert not PathAssignment.objects.exists()

    @pytest.mark.parametrize(
        ("username", "message"),
        [
            ("nobody", "Nobody has the username “nobody”."),
            ("", "Type the username of the person to assign."),
            ("lea", "Lea is already in this path&#x27;s audience."),
            ("camille", "Camille Martin is already assigned to this path."),
        ],
    )
    def test_a_bad_assignment_is_refused_with_a_message(self, client, cast, username, message):
        cast.lea.display_name = "Lea"
        cast.lea.save()
        path = make_path(cast.julien, [])
        onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
        client.force_login(cast.julien)
        response = client.post(reverse("practices:path-assign", args=[path.pk]), {"username": username})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert PathAssignment.objects.count() == 1


class AcknowledgementTests:
    def test_it_records_the_person_the_revision_and_the_time(self, client, cast):
        standard = publish(cast.julien)
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert 'name="revision" value="1"' in page and "I have read and understood" in page
        before = timezone.now()
        response = acknowledge(client, standard, next=ONBOARDING)
        assert response["Location"] == ONBOARDING
        ack = Acknowledgement.objects.get()
        assert (ack.user, ack.standard, ack.revision) == (cast.lea, standard, 1)
        assert before <= ack.acknowledged_at <= timezone.now()
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "You confirmed you read and understood revision 1" in page
        assert "I have read and understood" not in page

    def test_twice_gives_one_record(self, client, cast):
        standard = publish(cast.julien)
        client.force_login(cast.lea)
        acknowledge(client, standard)
        response = acknowledge(client, standard)
        assert "You had already confirmed this revision." in page_messages(response)
        assert Acknowledgement.objects.count() == 1

    def test_an_outside_next_goes_back_to_the_standard(self, client, cast):
        standard = publish(cast.julien)
        client.force_login(cast.lea)
        response = acknowledge(client, standard, next="https://evil.example/")
        assert response["Location"] == standard.get_absolute_url()

    @pytest.mark.parametrize(
        ("revision", "message"),
        [
            (1, "This standard was revised since you opened it: read revision 2, then confirm again."),
            (3, "This standard was revised since you opened it: read revision 2, then confirm again."),
            ("", "This standard was revised since you opened it: read revision 2, then confirm again."),
            ("two", "This standard was revised since you opened it: read revision 2, then confirm again."),
        ],
    )
    def test_a_revision_that_is_not_the_current_one_records_nothing(self, client, cast, revision, message):
        standard = revise(publish(cast.julien), cast.julien, material=False)
        client.force_login(cast.lea)
        response = acknowledge(client, standard, revision=revision)
        assert response["Location"] == standard.get_absolute_url()
        assert message in page_messages(response)
        assert not Acknowledgement.objects.exists()

    def test_a_retired_standard_records_nothing(self, client, cast):
        standard = publish(cast.julien)
        practices_services.standard_retire(standard=standard, editor=cast.julien)
        client.force_login(cast.lea)
        assert "I have read and understood" not in client.get(standard.get_absolute_url()).content.decode()
        response = acknowledge(client, standard, revision=1)
        assert "This standard is retired: there is nothing to confirm." in page_messages(response)
        assert not Acknowledgement.objects.exists()

    def test_a_draft_is_not_found_for_a_new_hire_and_refused_for_a_curator(self, client, cast):
        standard = publish(cast.julien, publish=False)
        client.force_login(cast.lea)
        assert acknowledge(client, standard, revision=0).status_code == 404
        client.force_login(cast.julien)
        response = acknowledge(client, standard, revision=0)
        assert "Only a published standard can be confirmed as read." in page_messages(response)
        assert not Acknowledgement.objects.exists()

    def test_get_is_not_allowed(self, client, cast):
        standard = publish(cast.julien)
        client.force_login(cast.lea)
        assert client.get(reverse("practices:acknowledge", args=[standard.slug])).status_code == 405
        assert not Acknowledgement.objects.exists()

    def test_the_database_keeps_one_record_per_revision(self, cast):
        standard = publish(cast.julien)
        Acknowledgement.objects.create(user=cast.lea, standard=standard, revision=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Acknowledgement.objects.create(user=cast.lea, standard=standard, revision=1)


class RevisionTests:
    def test_a_material_revision_resets_progress_and_tells_each_reader_in_their_language(self, client, cast):
        standard, other = publish(cast.julien), publish(cast.julien, "Carry bags")
        make_path(cast.julien, [standard, other])
        read(cast.lea, standard)
        read(cast.camille, standard)
        read(cast.julien, standard)
        assert progress_of(cast.lea) == [(1, 2)]
        client.force_login(cast.julien)
        edit = {
            "title": standard.title,
            "summary": standard.summary,
            "practice": "Keep umbrellas by the door; write down who borrowed one.",
            "why": "",
            "pillar": "",
            "tags": "",
            "language": "en",
            "review_at": "",
            "change_note": "Write down who borrowed an umbrella.",
            "material": "on",
        }
        client.post(reverse("practices:standard-edit", args=[standard.slug]), edit)
        standard.refresh_from_db()
        assert (standard.revision, standard.material_revision) == (2, 2)
        assert progress_of(cast.lea) == [(0, 2)]
        told = Notification.objects.filter(kind=Notification.Kind.REREAD)
        assert sorted(n.recipient.username for n in told) == ["camille", "lea"]  # not julien, the editor
        assert {n.url for n in told} == {standard.get_absolute_url()}

        client.force_login(cast.lea)
        inbox = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Le standard « Lend an umbrella when it rains » a changé : relisez-le et confirmez." in inbox
        client.force_login(cast.camille)
        inbox = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "The standard “Lend an umbrella when it rains” has changed: read it again and confirm." in inbox

    def test_the_standard_shows_a_reader_what_changed_and_the_earlier_revision(self, client, cast):
        standard = publish(cast.julien)
        read(cast.lea, standard)
        revise(standard, cast.julien, material=False, note="Typo.")
        revise(standard, cast.julien, material=True, note="Write down who borrowed one.")
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "This standard has changed since you read revision 1" in page
        assert "Revision 2: Typo." in page
        assert "Revision 3: Write down who borrowed one. <strong>(material change)</strong>" in page
        assert f'href="{reverse("practices:revision", args=[standard.slug, 1])}"' in page
        assert 'name="revision" value="3"' in page
        acknowledge(client, standard, revision=3)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "This standard has changed" not in page
        assert progress_of(cast.lea) == []  # no path here: nothing to count, nothing broken

    def test_a_minor_revision_resets_nothing(self, client, cast):
        standard = publish(cast.julien)
        make_path(cast.julien, [standard])
        read(cast.lea, standard)
        revise(standard, cast.julien, material=False)
        assert progress_of(cast.lea) == [(1, 1)]
        assert not Notification.objects.filter(kind=Notification.Kind.REREAD).exists()
        client.force_login(cast.lea)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "This standard has changed" not in page
        assert "You confirmed you read and understood revision 1" in page

    def test_reading_again_restores_progress_and_a_repeat_notifies_once(self, cast):
        standard = publish(cast.julien)
        make_path(cast.julien, [standard])
        read(cast.lea, standard)
        revise(standard, cast.julien, material=True)
        revise(standard, cast.julien, material=True)
        # Two material revisions while lea had not read again: one notification each.
        assert Notification.objects.filter(recipient=cast.lea, kind=Notification.Kind.REREAD).count() == 2
        read(cast.lea, standard)
        assert progress_of(cast.lea) == [(1, 1)]

    def test_publishing_a_retired_standard_again_asks_readers_to_read_it_again(self, cast):
        standard = publish(cast.julien)
        read(cast.lea, standard)
        practices_services.standard_retire(standard=standard, editor=cast.julien)
        practices_services.standard_publish(standard=standard, editor=cast.julien)
        standard.refresh_from_db()
        assert (standard.revision, standard.material_revision) == (2, 2)
        assert Notification.objects.filter(recipient=cast.lea, kind=Notification.Kind.REREAD).count() == 1


class JudgementCaseTests:
    def case_standard(self, cast, situation="A customer's phone dies; her ticket is on it.") -> Standard:
        story = make_story(
            cast.camille,
            title="Charging a phone so she could catch her train",
            body="Her phone died.\n\nWe charged it behind the till and she caught her train.",
        )
        promotion = practices_services.story_promote(
            story=story,
            curator=cast.julien,
            new_standard={"title": "Lend a phone charger", "summary": "Keep one at the till.", "practice": "Lend it."},
        )
        standard = promotion.standard
        if situation:
            practices_services.standard_set_situation(standard=standard, editor=cast.julien, situation=situation)
        return standard

    def test_a_curator_writes_the_situation_starting_from_the_source_story(self, client, cast):
        standard = self.case_standard(cast, situation="")
        client.force_login(cast.julien)
        url = reverse("practices:situation-edit", args=[standard.slug])
        assert client.get(url).context["form"]["situation"].value() == "Her phone died."
        response = client.post(url, {"situation": "  Her phone died at the till.  "})
        assert response["Location"] == standard.get_absolute_url()
        standard.refresh_from_db()
        assert (standard.situation, standard.revision) == ("Her phone died at the till.", 1)

    @pytest.mark.parametrize(("situation", "error"), [("x" * 2001, "at most 2000"), ("a\x00b", "control characters")])
    def test_a_bad_situation_is_refused(self, client, cast, situation, error):
        standard = self.case_standard(cast, situation="Before.")
        client.force_login(cast.julien)
        response = client.post(reverse("practices:situation-edit", args=[standard.slug]), {"situation": situation})
        assert error in response.content.decode()
        standard.refresh_from_db()
        assert standard.situation == "Before."

    def test_staff_cannot_edit_a_situation(self, client, cast):
        standard = self.case_standard(cast, situation="Before.")
        client.force_login(cast.camille)
        response = client.post(reverse("practices:situation-edit", args=[standard.slug]), {"situation": "Mine"})
        assert response.status_code == 403
        standard.refresh_from_db()
        assert standard.situation == "Before."

    def test_the_learner_answers_first_then_sees_the_standard_and_the_real_story(self, client, cast):
        standard = self.case_standard(cast)
        make_path(cast.julien, [standard])
        client.force_login(cast.lea)
        listing = client.get(ONBOARDING).content.decode()
        assert f'href="/onboarding/cases/{standard.slug}/"' in listing
        url = reverse("practices:case", args=[standard.slug])
        before = client.get(url).content.decode()
        assert "A customer&#x27;s phone dies; her ticket is on it." in before
        assert "Lend a phone charger" not in before and "Lend it." not in before
        assert "We charged it behind the till" not in before
        response = client.post(url, {"text": "  I would lend her my charger.  "})
        assert response["Location"] == url
        assert CaseAnswer.objects.get().text == "I would lend her my charger."
        after = client.get(url).content.decode()
        assert "I would lend her my charger." in after and "Only you can see it." in after
        assert "Lend it." in after and "We charged it behind the till" in after
        assert 'href="/people/camille/"' in after
        assert 'name="next" value="/onboarding/"' in after
        assert "Your judgement case" in client.get(ONBOARDING).content.decode()

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Write what you would do before revealing the standard."),
            ("   \n  ", "Write what you would do before revealing the standard."),
            ("x" * (ANSWER_LIMIT + 1), "Keep your answer under 1000 characters (it has 1001)."),
            ("I\x00would", "control characters"),
        ],
    )
    def test_an_empty_or_over_long_answer_is_refused_and_nothing_is_revealed(self, client, cast, text, message):
        standard = self.case_standard(cast)
        client.force_login(cast.lea)
        response = client.post(reverse("practices:case", args=[standard.slug]), {"text": text})
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert "Lend it." not in page
        assert not CaseAnswer.objects.exists()

    def test_a_second_answer_keeps_the_first(self, client, cast):
        standard = self.case_standard(cast)
        client.force_login(cast.lea)
        url = reverse("practices:case", args=[standard.slug])
        client.post(url, {"text": "First."})
        response = client.post(url, {"text": "Second, after reading the standard."})
        assert "You already answered this case: your first answer is kept." in page_messages(response)
        assert CaseAnswer.objects.get().text == "First."

    def test_an_answer_is_private(self, client, cast):
        standard = self.case_standard(cast)
        path = make_path(cast.julien, [standard])
        onboarding.case_answer_save(user=cast.lea, standard=standard, text="My private thoughts.")
        for person in [cast.julien, cast.camille, cast.admin]:
            client.force_login(person)
            for url in [
                reverse("practices:case", args=[standard.slug]),
                standard.get_absolute_url(),
                reverse("practices:path-progress", args=[path.pk]),
                reverse("practices:path-progress-csv", args=[path.pk]),
                reverse("practices:path", args=[path.pk]),
            ]:
                response = client.get(url)
                assert b"My private thoughts." not in response.content, (person, url)

    def test_a_standard_without_a_situation_sends_to_the_standard(self, client, cast):
        standard = publish(cast.julien)
        client.force_login(cast.lea)
        response = client.get(reverse("practices:case", args=[standard.slug]))
        assert response["Location"] == standard.get_absolute_url()
        response = client.post(reverse("practices:case", args=[standard.slug]), {"text": "Something"})
        assert not CaseAnswer.objects.exists()


class RetireAndDeleteTests:
    def test_retiring_a_standard_in_a_path_is_refused_with_a_message(self, client, cast):
        standard = publish(cast.julien)
        path = make_path(cast.julien, [standard])
        client.force_login(cast.julien)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert f'href="/onboarding/paths/{path.pk}/">First weeks in store</a>' in page
        response = client.post(reverse("practices:standard-retire", args=[standard.slug]), {"reason": "Outdated"})
        assert (
            "This standard is in the learning path “First weeks in store”: take it out of the path before retiring it."
            in page_messages(response)
        )
        standard.refresh_from_db()
        assert standard.status == "published"
        onboarding.path_step_remove(step=path.steps.get())
        client.post(reverse("practices:standard-retire", args=[standard.slug]), {"reason": "Outdated"})
        standard.refresh_from_db()
        assert standard.status == "retired"

    def test_deleting_a_standard_in_a_path_is_prevented(self, cast):
        standard = publish(cast.julien)
        make_path(cast.julien, [standard])
        with pytest.raises(ProtectedError):
            standard.delete()
        assert Standard.objects.filter(pk=standard.pk).exists()

    def test_a_path_whose_standard_left_the_library_still_works_and_says_so(self, client, cast):
        kept, gone = publish(cast.julien, "Kept"), publish(cast.julien, "Gone")
        path = make_path(cast.julien, [gone, kept])
        read(cast.lea, gone)
        # Retired behind the services' back (the admin, a script): the pages must not break.
        Standard.objects.filter(pk=gone.pk).update(status=Standard.Status.RETIRED)
        client.force_login(cast.lea)
        page = client.get(ONBOARDING).content.decode()
        assert "No longer in the library: not counted" in page
        assert f'<progress class="path-progress" id="progress-{path.pk}" value="0" max="1">' in page
        assert progress_of(cast.lea) == [(0, 1)]
        client.force_login(cast.julien)
        assert "Not published: learners do not count it" in client.get(path.get_absolute_url()).content.decode()
        report = client.get(reverse("practices:path-progress", args=[path.pk]))
        assert report.status_code == 200
        assert [(row.done, row.total) for row in report.context["progress"].people] == [(0, 1)]


class MyPathsTests:
    def test_lea_sees_her_progress_the_next_standard_and_what_is_done(self, client, cast):
        standards = [publish(cast.julien, title) for title in ["One", "Two", "Three"]]
        path = make_path(cast.julien, standards)
        onboarding.path_step_update(step=path.steps.get(standard=standards[1]), note="Ask your manager.")
        read(cast.lea, standards[0])
        client.force_login(cast.lea)
        response = client.get(ONBOARDING)
        page = response.content.decode()
        assert f'<progress class="path-progress" id="progress-{path.pk}" value="1" max="3">33%</progress>' in page
        assert f'<label class="form-label mb-1" for="progress-{path.pk}">1 of 3 standards read</label>' in page
        next_step = response.context["paths"][0].next_step
        assert next_step.standard == standards[1]
        assert '<a href="/library/two/" lang="en">Two</a>' in page
        assert "Ask your manager." in page
        assert page.count('class="path-step done"') == 1
        read(cast.lea, standards[1])
        read(cast.lea, standards[2])
        page = client.get(ONBOARDING).content.decode()
        assert "You have read every standard of this path. Well done!" in page
        assert 'value="3" max="3"' in page

    def test_someone_without_a_path_is_told_so(self, client, cast):
        client.force_login(cast.camille)
        assert "You have no learning path yet." in client.get(ONBOARDING).content.decode()

    @pytest.mark.parametrize("count", [1, 12])
    def test_my_paths_makes_the_same_queries_for_1_or_many_standards_and_paths(
        self, client, cast, count, django_assert_num_queries
    ):
        standards = [publish(cast.julien, f"Standard {i}") for i in range(count)]
        for i in range(min(count, 3)):
            path = make_path(cast.julien, standards, title=f"Path {i}")
            onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
        for standard in standards[: count // 2]:
            read(cast.camille, standard)
        client.force_login(cast.camille)
        # session, user, permissions and unread count (one query), the paths, their steps (with standards,
        # read and answered flags), the standards sent to the person's store (with their read flag)
        with django_assert_num_queries(6):
            response = client.get(ONBOARDING)
        assert len(response.context["paths"]) == min(count, 3)
        assert len(response.context["paths"][0].steps) == count


class ProgressTableTests:
    def test_progress_by_store_and_by_person_with_who_has_not_started(self, client, cast):
        one, two = publish(cast.julien, "One"), publish(cast.julien, "Two")
        path = make_path(cast.julien, [one, two])
        ines = make_user("ines", store=cast.marais, role=roles.NEW_HIRES, display_name="Inès Moreau")
        theo = make_user("theo", store=cast.lyon, role=roles.NEW_HIRES, display_name="Théo Laurent")
        onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
        read(cast.lea, one)
        read(cast.lea, two)
        read(ines, one)
        read(theo, two)
        revise(two, cast.julien, material=True)  # theo's only reading no longer counts; lea drops to 1 of 2
        read(cast.camille, one)
        client.force_login(cast.julien)
        response = client.get(reverse("practices:path-progress", args=[path.pk]))
        report = response.context["progress"]
        assert [(row.person.username, row.done, row.total, row.status) for row in report.people] == [
            ("theo", 0, 2, "not-started"),
            ("ines", 1, 2, "in-progress"),
            ("lea", 1, 2, "in-progress"),
            ("camille", 1, 2, "in-progress"),
        ]
        assert [(group.store.name, len(group.people), group.not_started, group.percent) for group in report.stores] == [
            ("Lyon Bellecour", 1, 1, 0),
            ("Paris Marais", 2, 0, 50),
            ("Paris Opéra", 1, 0, 50),
        ]
        assert [row.person.username for row in report.not_started] == ["theo"]
        page = response.content.decode()
        assert '<ul class="not-started">' in page and "Théo Laurent" in page

    def test_the_csv_export_lists_each_person(self, client, cast):
        one = publish(cast.julien, "One")
        path = make_path(cast.julien, [one])
        read(cast.lea, one)
        make_user("evil", store=None, role=roles.NEW_HIRES, display_name='=HYPERLINK("http://x")')
        client.force_login(cast.julien)
        response = client.get(reverse("practices:path-progress-csv", args=[path.pk]))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="path-{path.pk}-progress-' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "Person", "Username", "Store", "Region", "Standards read", "Of", "Percent", "Status", "Last read"
        ]  # fmt: skip
        assert rows[1][:8] == ["Léa Durand", "lea", "Paris Marais", "Île-de-France", "1", "1", "100", "done"]
        assert rows[2][:8] == ['\'=HYPERLINK("http://x")', "evil", "Head office", "", "0", "1", "0", "not started"]

    def test_the_csv_speaks_the_curator_s_language(self, client, cast):
        path = make_path(cast.julien, [publish(cast.julien)])
        client.force_login(cast.julien)
        response = client.get(reverse("practices:path-progress-csv", args=[path.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header.startswith("Personne,")

    @pytest.mark.parametrize("count", [1, 9])
    def test_the_table_and_the_csv_make_the_same_queries_for_1_or_many_people_stores_and_standards(
        self, client, cast, count, django_assert_num_queries
    ):
        region = cast.paris.region
        stores = [
            Store.objects.create(name=f"Store {i}", slug=f"store-{i}", region=region, city="X") for i in range(count)
        ]
        standards = [publish(cast.julien, f"Standard {i}") for i in range(count)]
        path = make_path(cast.julien, standards)
        for i in range(count):
            person = make_user(f"hire{i}", store=stores[i], role=roles.NEW_HIRES)
            for standard in standards[: i + 1]:
                read(person, standard)
            onboarding.path_assign(
                path=path, person=make_user(f"staff{i}", store=stores[i], role=roles.STAFF), curator=cast.julien
            )
        client.force_login(cast.julien)
        # session, user, permissions and unread count, the path (with its audience), its steps
        # (with standards), the people (with stores, regions and reading counts),
        # the open reports' count (the header's Reports section, issue 16; the CSV has no header)
        with django_assert_num_queries(7):
            response = client.get(reverse("practices:path-progress", args=[path.pk]))
        assert len(response.context["progress"].people) == 2 * count + 1  # lea is a new hire too
        assert len(response.context["progress"].stores) == count + 1
        # the same for the CSV
        with django_assert_num_queries(6):
            response = client.get(reverse("practices:path-progress-csv", args=[path.pk]))
        assert len(response.content.decode().splitlines()) == 2 * count + 2


class DemoTests:
    def test_the_demo_path_has_new_hires_lea_part_way_and_judgement_cases(self, client):
        call_command("seed_demo")
        call_command("seed_demo")  # safe to run again
        path = LearningPath.objects.get(title="Premières semaines en magasin")
        assert path.audience == new_hires()
        assert 5 <= path.steps.count() <= 7
        assert path.steps.exclude(standard__situation="").count() >= 2
        lea = path.audience.user_set.get(username="lea")
        [mine] = onboarding.learner_paths(lea)
        assert 0 < len(mine.done) < len(mine.counted)
        assert any(step.was_read and not step.is_read for step in mine.steps)  # read before a material revision
        assert CaseAnswer.objects.filter(user=lea).count() == 1
        # lea reads French: her whole path is in French (the demo has a French standard for every step).
        assert lea.reading_language == "fr"
        assert {step.standard.language for step in path.steps.select_related("standard")} == {"fr"}
        assert LearningPath.objects.count() == 1
        client.force_login(lea)
        assert client.get(ONBOARDING).status_code == 200


class EdgeTests:
    def test_a_path_without_an_audience_counts_only_the_people_assigned(self, client, cast):
        standard = publish(cast.julien)
        path = onboarding.path_create(curator=cast.julien, title="Refresher", audience=None)
        onboarding.path_step_add(path=path, standard=standard)
        assert list(LearningPath.objects.for_person(cast.lea)) == []
        onboarding.path_assign(path=path, person=cast.hugo, curator=cast.julien)
        read(cast.hugo, standard)
        client.force_login(cast.julien)
        report = client.get(reverse("practices:path-progress", args=[path.pk])).context["progress"]
        assert [(row.person.username, row.done, row.status) for row in report.people] == [("hugo", 1, "done")]
        page = client.get(path.get_absolute_url()).content.decode()
        assert "Only the people assigned below follow this path." in page

    def test_an_empty_path_shows_no_progress_bar_and_no_error(self, client, cast):
        path = make_path(cast.julien, [])
        client.force_login(cast.lea)
        page = client.get(ONBOARDING).content.decode()
        assert "This path has no standard yet." in page and "<progress" not in page
        client.force_login(cast.julien)
        assert client.get(reverse("practices:path-progress", args=[path.pk])).status_code == 200
        assert client.get(reverse("practices:path-progress-csv", args=[path.pk])).status_code == 200

    def test_an_assignment_of_another_path_is_not_found(self, client, cast):
        path, other = make_path(cast.julien, []), make_path(cast.julien, [], title="Other")
        assignment = onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
        client.force_login(cast.julien)
        assert client.post(reverse("practices:path-unassign", args=[other.pk, assignment.pk])).status_code == 404
        assert PathAssignment.objects.filter(pk=assignment.pk).exists()

    def test_an_unknown_path_is_not_found_for_a_curator(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(reverse("practices:path", args=[999])).status_code == 404
        assert client.get(reverse("practices:path-progress-csv", args=[999])).status_code == 404

    def test_the_case_of_a_retired_standard_sends_to_the_standard(self, client, cast):
        standard = publish(cast.julien)
        practices_services.standard_set_situation(standard=standard, editor=cast.julien, situation="A moment.")
        practices_services.standard_retire(standard=standard, editor=cast.julien)
        client.force_login(cast.lea)
        response = client.post(reverse("practices:case", args=[standard.slug]), {"text": "Something"})
        assert response["Location"] == standard.get_absolute_url()
        assert not CaseAnswer.objects.exists()


class PathPageBudgetTests:
    @pytest.mark.parametrize("count", [1, 51])
    def test_the_path_page_lists_the_latest_fifty_people_in_a_fixed_number_of_queries(
        self, client, cast, count, django_assert_num_queries
    ):
        path = make_path(cast.julien, [publish(cast.julien, "Standard")])
        for i in range(count):
            person = make_user(f"staff{i}", store=cast.paris, role=roles.STAFF)
            onboarding.path_assign(path=path, person=person, curator=cast.julien)
        client.force_login(cast.julien)
        # session, user, permissions and unread count, the path, its steps (with standards), the latest
        # assignments (with people, stores, and how many in all), the open reports' count (the header), the
        # standards the add-a-step form offers
        with django_assert_num_queries(8):
            response = client.get(reverse("practices:path", args=[path.pk]))
        assert len(response.context["assignments"]) == min(count, 50)
        page = response.content.decode()
        assert ("of 51 people in all" in page) == (count > 50)
        # the newest first: with 51, the first one assigned is on the progress page only
        assert ("Staff0<" in page) == (count == 1) and ("Staff50<" in page) == (count > 1)
