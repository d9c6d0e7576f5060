"""The HR roster import: `python manage.py import_roster FILE [--dry-run] [--deactivate-missing]`."""

import io
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from accounts import roles
from accounts.models import Region, Store, User
from practices.digest.services import digest_recipients, last_week
from practices.library.services import story_promote
from practices.models import Promotion
from stories import services as story_services
from tests.factories import make_story

pytestmark = pytest.mark.django_db

HEADER = "employee_id,email,first_name,last_name,store_code,store_name,city,region,role,language,active"
CAMILLE = "E1,camille@example.com,Camille,Martin,PAR01,Paris Opéra,Paris,Île-de-France,staff,fr,1"
HUGO = "E2,hugo@example.com,Hugo,Bernard,LYO01,Lyon Bellecour,Lyon,Auvergne-Rhône-Alpes,staff,,1"
JULIEN = "E3,julien@example.com,Julien,Petit,LYO01,Lyon Bellecour,Lyon,Auvergne-Rhône-Alpes,curator,fr,1"
LEA = "E4,lea@example.com,Léa,Durand,PAR02,Paris Marais,Paris,Île-de-France,new_hire,fr,"
ADMIN = "E5,admin@example.com,Admin,Admin,,,,,head_office,en,1"


def roster(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def run(tmp_path, content: str | bytes, *options: str, name: str = "roster.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out = StringIO()
    call_command("import_roster", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(tmp_path, content: str | bytes, *options: str, name: str = "roster.csv", language: str = "en") -> str:
    """Run an import that must fail: the errors it printed; the database must be as before."""
    before = snapshot()
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    err = StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LANG", f"{language}_FR.UTF-8" if language == "fr" else "en_GB.UTF-8")
        patch.delenv("LC_ALL", raising=False)
        with pytest.raises(CommandError):
            call_command("import_roster", str(path), *options, stdout=StringIO(), stderr=err)
    assert snapshot() == before, "a refused roster changed the database"
    return err.getvalue()


def snapshot() -> tuple:
    return (
        sorted(User.objects.values_list("username", "employee_id", "email", "store_id", "is_active", "language")),
        sorted(Store.objects.values_list("name", "store_code", "city", "region_id")),
        sorted(Region.objects.values_list("name", "slug")),
        sorted(User.groups.through.objects.values_list("user_id", "group_id")),
    )


def groups_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


class ImportTests:
    def test_it_creates_people_stores_and_regions(self, tmp_path, db):
        out = run(tmp_path, roster(CAMILLE, HUGO, JULIEN, LEA, ADMIN))
        assert "People: created 5" in out and "Stores: created 3" in out and "Regions: created 2" in out
        camille = User.objects.select_related("store__region").get(employee_id="E1")
        assert camille.username == "camille.martin"
        assert (camille.email, camille.first_name, camille.last_name) == ("camille@example.com", "Camille", "Martin")
        assert (camille.store.store_code, camille.store.name, camille.store.city) == ("PAR01", "Paris Opéra", "Paris")
        assert camille.store.region.name == "Île-de-France" and camille.store.slug == "paris-opera"
        assert camille.language == "fr" and camille.is_active and not camille.has_usable_password()
        assert User.objects.get(employee_id="E4").username == "lea.durand"
        assert User.objects.get(employee_id="E5").store is None
        assert groups_of("julien.petit") == {roles.CURATORS}
        assert groups_of("lea.durand") == {roles.NEW_HIRES}
        assert groups_of("admin.admin") == {roles.STAFF}

    def test_a_second_import_of_the_same_file_changes_nothing(self, tmp_path, cast):
        content = roster(CAMILLE, HUGO, JULIEN, LEA)
        run(tmp_path, content)
        before = snapshot()
        out = run(tmp_path, content)
        assert "People: created 0, updated 0, moved 0, deactivated 0, reactivated 0, unchanged 4" in out
        assert "Stores: created 0, updated 0, unchanged 3" in out
        assert "Done: 4 lines, 0 changes." in out
        assert snapshot() == before

    def test_the_queries_do_not_grow_with_the_number_of_people(self, tmp_path, cast):
        def queries(count: int) -> tuple[int, int]:
            lines = [
                f"N{count}-{i},p{count}-{i}@example.com,P,N{i},S{count}-{i % 3},Store {count}-{i % 3},C,R{count},staff,"
                for i in range(count)
            ]
            content = roster(*lines)
            with CaptureQueriesContext(connection) as first:
                run(tmp_path, content)
            with CaptureQueriesContext(connection) as second:
                run(tmp_path, content)
            return len(first), len(second)

        # first: regions, stores, people and role memberships read (5), then inserted (4) in the transaction (2);
        # second: the same reads and nothing to write.
        small, large = queries(5), queries(60)
        assert small == large

    def test_people_typed_in_by_hand_and_their_stores_are_adopted_not_duplicated(self, tmp_path, cast):
        story = make_story(cast.camille, title="Umbrellas by the door")
        run(tmp_path, roster(CAMILLE, HUGO, LEA))
        camille = User.objects.get(employee_id="E1")
        assert camille.pk == cast.camille.pk and camille.username == "camille"
        assert Store.objects.get(store_code="PAR01").pk == cast.paris.pk
        assert User.objects.count() == 5 and Store.objects.count() == 3
        assert story.author_id == camille.pk

    def test_a_transfer_moves_the_person_and_keeps_their_stories_votes_and_credits(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, HUGO, JULIEN))
        story = make_story(cast.camille, title="Umbrellas by the door")
        story_services.vote_set(user=cast.camille, story=make_story(cast.hugo), voted=True)
        promotion = story_promote(
            story=story, curator=cast.julien, new_standard={"title": "Lend umbrellas", "summary": "s", "practice": "p"}
        )
        moved = CAMILLE.replace(
            "PAR01,Paris Opéra,Paris,Île-de-France", "LYO01,Lyon Bellecour,Lyon,Auvergne-Rhône-Alpes"
        )
        out = run(tmp_path, roster(moved, HUGO, JULIEN), "--dry-run")
        assert "Moved: Camille Martin (E1), Paris Opéra → Lyon Bellecour" in out
        assert User.objects.get(pk=cast.camille.pk).store_id == cast.paris.pk  # a dry run writes nothing
        out = run(tmp_path, roster(moved, HUGO, JULIEN))
        assert "People: created 0, updated 0, moved 1" in out
        camille = User.objects.get(pk=cast.camille.pk)
        assert camille.store_id == cast.lyon.pk
        assert camille.stories.get() == story and camille.votes.count() == 1
        assert Promotion.objects.get(pk=promotion.pk).story.author_id == camille.pk
        page = self_profile(cast)
        assert "Umbrellas by the door" in page

    def test_a_new_email_updates_the_same_person(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE))
        out = run(tmp_path, roster(CAMILLE.replace("camille@example.com", "c.martin@example.com")))
        assert "updated 1" in out
        assert User.objects.get(pk=cast.camille.pk).email == "c.martin@example.com"

    def test_hr_renames_a_store_and_a_region(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, HUGO))
        renamed = CAMILLE.replace("Paris Opéra,Paris,Île-de-France", "Paris Garnier,Paris,Paris et IDF")
        out = run(tmp_path, roster(renamed, HUGO))
        assert "Store updated: Paris Opéra → Paris Garnier (PAR01)" in out
        assert "Region renamed: Île-de-France → Paris et IDF" in out
        store = Store.objects.select_related("region").get(pk=cast.paris.pk)
        assert store.name == "Paris Garnier" and store.slug == "paris-opera"  # the address stays
        assert store.region.name == "Paris et IDF" and Region.objects.count() == 2

    def test_two_stores_can_swap_names(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, LEA))
        swapped = [CAMILLE.replace("Paris Opéra", "Paris Marais"), LEA.replace("Paris Marais", "Paris Opéra")]
        run(tmp_path, roster(*swapped))
        assert Store.objects.get(store_code="PAR01").name == "Paris Marais"
        assert Store.objects.get(store_code="PAR02").name == "Paris Opéra"

    def test_a_new_region_is_created_when_the_old_one_is_still_in_use(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, LEA))
        out = run(tmp_path, roster(CAMILLE, LEA.replace("Île-de-France", "Paris Est")))
        assert "New region: Paris Est" in out
        assert Store.objects.get(store_code="PAR02").region.name == "Paris Est"

    def test_csv_with_bom_semicolons_french_headers_and_words(self, tmp_path, cast):
        header = "Matricule;Courriel;Prénom;Nom;Code magasin;Magasin;Ville;Région;Rôle;Langue;Actif;Commentaire"
        line = "E9;zoe@example.com;Zoé;Lefèvre;PAR01;Paris Opéra;Paris;Île-de-France;Nouvelle arrivante;Français;oui;x"
        run(tmp_path, "\ufeff".encode() + roster(line, header=header).replace("\n", "\r\n").encode())
        zoe = User.objects.get(employee_id="E9")
        assert (zoe.username, zoe.first_name, zoe.language, zoe.store_id) == ("zoe.lefevre", "Zoé", "fr", cast.paris.pk)
        assert groups_of("zoe.lefevre") == {roles.NEW_HIRES}

    def test_xlsx(self, tmp_path, cast):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER.split(","))
        sheet.append(
            [1234, "zoe@example.com", "Zoé", "Lefèvre", "PAR01", "Paris Opéra", "Paris", "", "curateur", "fr", 1]
        )
        sheet.append([None] * 11)
        buffer = io.BytesIO()
        workbook.save(buffer)
        out = run(tmp_path, buffer.getvalue(), name="roster.xlsx")
        assert "created 1" in out
        zoe = User.objects.get(employee_id="1234")
        assert zoe.store_id == cast.paris.pk and groups_of(zoe.username) == {roles.CURATORS}

    def test_usernames_are_unique_and_never_change(self, tmp_path, cast):
        twins = [
            "T1,,Camille,Martin,PAR01,Paris Opéra,Paris,Île-de-France,staff,,",
            "T2,,Camille,Martin,PAR01,Paris Opéra,Paris,Île-de-France,staff,,",
        ]
        run(tmp_path, roster(*twins))
        assert sorted(User.objects.filter(employee_id__in=["T1", "T2"]).values_list("username", flat=True)) == [
            "camille.martin",
            "camille.martin2",
        ]
        run(tmp_path, roster(twins[0].replace("Martin", "Bernard"), twins[1]))
        assert User.objects.get(employee_id="T1").username == "camille.martin"

    def test_roles_follow_the_roster_but_administrators_stay(self, tmp_path, cast):
        User.objects.filter(pk=cast.admin.pk).update(employee_id="E5")
        run(tmp_path, roster(ADMIN.replace("head_office", "curator")))
        admin = User.objects.get(pk=cast.admin.pk)
        assert groups_of("admin") == {roles.ADMINISTRATORS, roles.CURATORS}
        assert admin.is_superuser and admin.is_staff
        run(tmp_path, roster(ADMIN))
        assert groups_of("admin") == {roles.ADMINISTRATORS, roles.STAFF}

    def test_a_new_role_takes_effect_at_once(self, tmp_path, cast, client):
        run(tmp_path, roster(HUGO))
        client.force_login(cast.hugo)
        assert client.get(reverse("practices:dashboard")).status_code == 403
        run(tmp_path, roster(HUGO.replace("staff", "curator")))
        assert client.get(reverse("practices:dashboard")).status_code == 200


class LeaverTests:
    def test_active_0_signs_the_person_out_and_stops_their_digest_but_keeps_their_stories(self, tmp_path, cast, client):
        story = make_story(cast.camille, title="Umbrellas by the door")
        client.force_login(cast.camille)
        assert client.get("/").status_code == 200
        out = run(tmp_path, roster(CAMILLE[:-1] + "0"))
        assert "deactivated 1" in out
        assert client.get("/").status_code == 302  # signed out
        camille = User.objects.get(pk=cast.camille.pk)
        assert not camille.is_active
        assert camille not in digest_recipients(week=last_week()).to_send
        assert camille.stories.get() == story
        client.post("/accounts/login/", {"username": "camille", "password": "demo-pass-2026"})
        assert "_auth_user_id" not in client.session  # a leaver cannot sign in again

    def test_they_come_back_with_active_1(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE[:-1] + "non"))
        out = run(tmp_path, roster(CAMILLE))
        assert "reactivated 1" in out and User.objects.get(pk=cast.camille.pk).is_active

    def test_people_missing_from_the_file_stay_unless_asked(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, HUGO))
        run(tmp_path, roster(CAMILLE))
        assert User.objects.get(pk=cast.hugo.pk).is_active
        out = run(tmp_path, roster(CAMILLE), "--deactivate-missing")
        assert "Left: Hugo Bernard (E2)" in out and "deactivated 1" in out
        assert not User.objects.get(pk=cast.hugo.pk).is_active
        assert User.objects.get(pk=cast.julien.pk).is_active  # no employee ID: not the roster's


def self_profile(cast) -> str:
    from django.test import Client

    client = Client()
    client.force_login(cast.hugo)
    return client.get(reverse("accounts:profile", args=["camille"])).content.decode()


class BadRosterTests:
    def test_a_missing_required_column(self, tmp_path, cast):
        err = refused(tmp_path, roster("E1,Camille", header="employee_id,first_name"))
        assert "Line 1: Required columns are missing: email, last_name, store_code, role" in err

    def test_a_duplicate_employee_id(self, tmp_path, cast):
        err = refused(tmp_path, roster(CAMILLE, HUGO.replace("E2", "E1")))
        assert "Line 3: The employee ID E1 is already on line 2." in err

    def test_an_unknown_role(self, tmp_path, cast):
        err = refused(tmp_path, roster(CAMILLE, HUGO.replace("staff", "boss")))
        assert "Line 3: Unknown role “boss” (expected one of: staff, new_hire, curator, head_office)." in err

    def test_an_empty_store_code(self, tmp_path, cast):
        err = refused(tmp_path, roster(CAMILLE.replace("PAR01", "")))
        assert "Line 2: The store code is empty (only head-office people and curators may have no store)." in err

    def test_a_malformed_email(self, tmp_path, cast):
        err = refused(tmp_path, roster(CAMILLE.replace("camille@example.com", "camille@")))
        assert "Line 2: “camille@” is not a valid e-mail address." in err

    @pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
    def test_a_control_character(self, tmp_path, cast, character):
        err = refused(tmp_path, roster(CAMILLE, HUGO.replace("Hugo", f"Hu{character}go")))
        assert "Line 3: “first_name” contains a control character." in err

    def test_every_bad_line_is_listed_in_the_operators_language(self, tmp_path, cast):
        err = refused(
            tmp_path,
            roster(CAMILLE.replace("staff", "patron"), HUGO, LEA.replace("lea@example.com", "pas-une-adresse")),
            language="fr",
        )
        assert "Ligne 2 : Rôle inconnu « patron »" in err
        assert "Ligne 4 : « pas-une-adresse » n’est pas une adresse e-mail valide." in err

    def test_a_file_over_the_size_limit(self, tmp_path, cast):
        big = roster(CAMILLE) + ("x" * 1000 + "\n") * 20_500  # 20 MB
        err = refused(tmp_path, big)
        assert "The file is larger than 10 MB" in err

    def test_a_binary_file_named_csv(self, tmp_path, cast):
        err = refused(tmp_path, bytes(range(256)) * 40)
        assert "Line 1: This is not a text file: export the roster as CSV (UTF-8) or XLSX." in err

    def test_latin_1_bytes_in_a_utf_8_file(self, tmp_path, cast):
        content = roster(CAMILLE, HUGO).encode() + "E6,zoe@example.com,Zoé,Lefèvre,PAR01,,,,staff,,\n".encode("latin-1")
        err = refused(tmp_path, content)
        assert "Line 4: This line is not UTF-8 text" in err

    def test_a_damaged_xlsx(self, tmp_path, cast):
        err = refused(tmp_path, b"PK\x03\x04 not really a zip", name="roster.xlsx")
        assert "This is not a readable XLSX file." in err

    def test_a_new_store_without_its_name_and_region(self, tmp_path, cast):
        err = refused(tmp_path, roster("E7,zoe@example.com,Zoé,Lefèvre,NEW1,,,,staff,,"))
        assert "Line 2: Store NEW1 is new: give its name and region." in err

    def test_lines_that_disagree_about_a_store(self, tmp_path, cast):
        err = refused(tmp_path, roster(HUGO, JULIEN.replace("Lyon Bellecour", "Lyon Part-Dieu")))
        assert "Line 3: Store LYO01: “store_name” is “Lyon Part-Dieu” here but “Lyon Bellecour” on line 2." in err

    def test_a_store_named_like_another(self, tmp_path, cast):
        run(tmp_path, roster(CAMILLE, HUGO))
        err = refused(tmp_path, roster(CAMILLE.replace("Paris Opéra", "Lyon Bellecour")))
        assert "another store has that name" in err

    def test_a_bad_active_value_and_a_bad_language(self, tmp_path, cast):
        err = refused(tmp_path, roster(CAMILLE.replace(",fr,1", ",de,maybe")))
        assert "Line 2: Unknown language “de” (fr, en or empty)." in err
        assert "Line 2: “maybe” is not a yes or no for “active” (1/0, yes/no, oui/non)." in err

    def test_an_empty_file(self, tmp_path, cast):
        assert "The file is empty." in refused(tmp_path, b"")

    def test_a_missing_file(self, tmp_path, cast):
        with pytest.raises(CommandError, match="No such file"):
            call_command("import_roster", str(tmp_path / "nope.csv"), stdout=StringIO())

    def test_a_dry_run_writes_nothing(self, tmp_path, cast):
        before = snapshot()
        out = run(tmp_path, roster(CAMILLE, HUGO, JULIEN, LEA, ADMIN), "--dry-run")
        assert "Dry run: nothing was written." in out
        assert snapshot() == before
        assert Group.objects.filter(name=roles.STAFF).exists()
