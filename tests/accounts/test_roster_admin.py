"""The admin's roster upload: file → dry-run summary → confirm → applied, errors with their line numbers."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import RosterUpload, User
from tests.accounts.test_roster import CAMILLE, HUGO, roster, snapshot
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:accounts_user_roster")
NEW_PERSON = "E8,zoe@example.com,Zoé,Lefèvre,PAR01,Paris Opéra,Paris,Île-de-France,staff,fr,1"


def send(client, content: str, name: str = "roster.csv", **headers):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content.encode())}, follow=True, headers=headers)


class RosterUploadTests:
    def test_the_people_list_has_the_button(self, client, cast):
        client.force_login(cast.admin)
        page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
        assert f'href="{UPLOAD}"' in page and "Import the HR roster" in page

    def test_a_good_file_is_checked_then_applied_on_confirmation(self, client, cast):
        client.force_login(cast.admin)
        before = snapshot()
        page = send(client, roster(CAMILLE, HUGO, NEW_PERSON))
        upload = RosterUpload.objects.get()
        assert page.redirect_chain[-1][0] == reverse("admin:accounts_user_roster_status", args=[upload.pk])
        html = page.content.decode()
        assert upload.status == "checked" and snapshot() == before  # nothing changed yet
        assert "created: <strong>1</strong>" in html and "New: Zoé Lefèvre (E8), Paris Opéra" in html
        # Zoé is new; camille and hugo, typed in by hand, get their employee IDs, and their stores their codes.
        assert "Apply 5 changes" in html
        page = client.post(reverse("admin:accounts_user_roster_apply", args=[upload.pk]), follow=True)
        upload.refresh_from_db()
        assert upload.status == "applied" and bytes(upload.content) == b""
        assert User.objects.filter(employee_id="E8", store=cast.paris).exists()
        assert User.objects.get(pk=cast.camille.pk).employee_id == "E1"
        assert "Back to the people" in page.content.decode()

    def test_applying_twice_applies_once(self, client, cast):
        client.force_login(cast.admin)
        send(client, roster(NEW_PERSON))
        upload = RosterUpload.objects.get()
        apply = reverse("admin:accounts_user_roster_apply", args=[upload.pk])
        client.post(apply)
        User.objects.filter(employee_id="E8").update(first_name="Changed since")
        client.post(apply)
        assert User.objects.get(employee_id="E8").first_name == "Changed since"

    def test_a_bad_file_lists_every_line_and_changes_nothing(self, client, cast):
        client.force_login(cast.admin)
        before = snapshot()
        page = send(client, roster(CAMILLE.replace("staff", "boss"), HUGO, NEW_PERSON.replace("zoe@", "zoe")))
        html = page.content.decode()
        assert "Line 2: Unknown role “boss”" in html
        assert "Line 4: “zoeexample.com” is not a valid e-mail address." in html
        upload = RosterUpload.objects.get()
        assert upload.status == "invalid" and bytes(upload.content) == b""
        assert "Apply" not in html and snapshot() == before

    def test_the_page_speaks_the_admins_language(self, client, cast):
        client.force_login(cast.admin)
        html = send(client, roster(CAMILLE.replace("staff", "patron")), accept_language="fr").content.decode()
        assert "Ligne 2 : Rôle inconnu « patron »" in html

    def test_a_file_over_the_limit_is_refused_in_the_form(self, client, cast, settings):
        settings.ROSTER_MAX_BYTES = 100
        client.force_login(cast.admin)
        page = send(client, roster(CAMILLE, HUGO))
        assert "The file is larger than" in page.content.decode()
        assert not RosterUpload.objects.exists()

    def test_staff_and_curators_get_no_roster_page(self, client, cast):
        for person in [cast.camille, cast.julien]:
            client.force_login(person)
            response = client.get(UPLOAD)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/")

    def test_an_admin_user_without_the_people_permissions_gets_403(self, client, cast):
        clerk = make_user("clerk", store=None, role="Staff", is_staff=True)
        clerk.user_permissions.add(Permission.objects.get(codename="view_user"))
        client.force_login(clerk)
        assert client.get(UPLOAD).status_code == 403
        assert send(client, roster(NEW_PERSON)).status_code == 403
        assert not RosterUpload.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection, as in production
class RosterUploadQueueTests:
    def test_with_a_task_worker_the_page_says_it_is_working_and_reloads(self, client, cast, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        client.force_login(cast.admin)
        html = send(client, roster(NEW_PERSON)).content.decode()
        assert RosterUpload.objects.get().status == "checking"
        assert '<meta http-equiv="refresh" content="2">' in html and "<progress" in html and "Working…" in html
        work()
        upload = RosterUpload.objects.get()
        assert upload.status == "checked"
        status = client.get(reverse("admin:accounts_user_roster_status", args=[upload.pk])).content.decode()
        assert 'http-equiv="refresh"' not in status
        assert "Apply 2 changes" in status  # Zoé, and Paris Opéra's store code
        client.post(reverse("admin:accounts_user_roster_apply", args=[upload.pk]))
        assert RosterUpload.objects.get().status == "applying"
        work()
        assert RosterUpload.objects.get().status == "applied"
        assert User.objects.filter(employee_id="E8").exists()


def work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO(), stderr=StringIO())
