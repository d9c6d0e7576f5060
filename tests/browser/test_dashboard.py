import csv
import io
import re

import pytest

from accounts import roles
from accounts.models import Store
from stories import services
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.conftest import make_user
from tests.factories import make_pillar, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def some_activity(cast) -> None:
    """Stories in both regions, a vote, a comment and a try from Lyon, and a quiet store in Annecy."""
    annecy = Store.objects.create(name="Annecy Vieille Ville", slug="annecy", region=cast.lyon.region, city="Annecy")
    make_user("zoe", store=annecy, role=roles.STAFF)
    pillar = make_pillar()
    story = make_story(cast.camille, title="A refund nobody expected", pillar=pillar)
    make_story(cast.hugo, kind="attention", title="A chair for a tired customer", pillar=pillar)
    make_story(cast.julien, kind="guestbook", title="Thank you, Lyon")
    services.vote_set(user=cast.hugo, story=story)
    services.comment_add(author=cast.hugo, story=story, body="We did it too.")
    services.tried_record(user=cast.hugo, story=story)


class DashboardJourneyTests:
    def test_julien_reads_his_region_switches_and_downloads_a_csv(self, new_page, cast):
        some_activity(cast)
        julien = new_page(device=DESKTOP)
        log_in(julien, "julien")
        julien.get_by_role("link", name="Dashboard").click()
        julien.wait_for_url("**/dashboard/")
        assert julien.get_by_role("heading", name="Dashboard", level=1).is_visible()
        assert "Auvergne-Rhône-Alpes, over the last 28 days" in julien.locator(".lead").text_content()
        for name in (
            "Stories, petites attentions and guestbook entries over time",
            "Share of staff who took part, by store",
            "Pillar coverage",
        ):
            assert julien.get_by_role("img", name=name).is_visible(), name
        stores = julien.get_by_role("table", name="Participation by store")
        region_rows = stores.locator("tbody.current th[scope=row]")
        assert region_rows.all_text_contents() == ["Annecy Vieille Ville", "Lyon Bellecour"]
        lyon = stores.get_by_role("row", name=re.compile("^Lyon Bellecour"))
        assert lyon.locator("td").all_text_contents()[:4] == ["Auvergne-Rhône-Alpes", "2", "2", "100"]
        quiet = julien.get_by_role("table", name="Quiet stores")
        assert quiet.get_by_role("rowheader", name="Annecy Vieille Ville").is_visible()
        assert_accessible(julien)

        with julien.expect_download() as info:
            julien.get_by_role("link", name="Download “Participation by store” as CSV").click()
        download = info.value
        filename = r"dashboard-stores-auvergne-rhone-alpes-28d-\d{4}-\d{2}-\d{2}\.csv"
        assert re.fullmatch(filename, download.suggested_filename)
        with open(download.path(), encoding="utf-8-sig") as file:
            rows = list(csv.reader(io.StringIO(file.read())))
        assert rows[0][:3] == ["Store", "Region", "Staff"]
        assert rows[1][0] == "Annecy Vieille Ville" and rows[2][:5] == [
            "Lyon Bellecour",
            "Auvergne-Rhône-Alpes",
            "2",
            "2",
            "100",
        ]

        julien.get_by_label("Region", exact=True).select_option(label="Île-de-France")
        julien.get_by_label("Period in days").fill("7")
        julien.get_by_role("button", name="Show").click()
        julien.wait_for_url(re.compile(r"region=ile-de-france&period=7"))
        assert "Île-de-France, over the last 7 days" in julien.locator(".lead").text_content()
        region_rows = julien.get_by_role("table", name="Participation by store").locator("tbody.current th[scope=row]")
        assert region_rows.all_text_contents() == ["Paris Marais", "Paris Opéra"]
        assert julien.console_errors == []

    def test_on_a_phone_in_french_tables_scroll_sideways_and_a_bad_period_is_explained(self, new_page, cast):
        some_activity(cast)
        julien = new_page(locale="fr-FR", device=PHONE)
        log_in(julien, "julien")
        julien.goto("/dashboard/?period=mille")
        assert julien.get_by_role("heading", name="Tableau de bord", level=1).is_visible()
        note = julien.locator(".dashboard-note").text_content()
        assert "«\u00a0mille\u00a0» n’est pas un nombre de jours" in note
        # The page itself does not scroll sideways; the wide tables do, inside their own box.
        assert julien.evaluate("document.documentElement.scrollWidth") <= 390
        box = julien.locator("#stores-table .table-responsive")
        assert box.evaluate("element => element.scrollWidth > element.clientWidth")
        assert_accessible(julien)
        assert julien.console_errors == []
