import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Region, Store
from practices.dashboard import charts
from practices.dashboard import report as dashboard
from practices.dashboard.tables import TABLES
from practices.library import services as practices_services
from practices.models import Feedback
from practices.onboarding import services as onboarding
from stories import services
from stories.models import Story
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def export_url(table: str) -> str:
    return reverse("practices:dashboard-export", args=[table])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def days_ago(story: Story, days: int) -> Story:
    when = timezone.now() - timedelta(days=days)
    Story.objects.filter(pk=story.pk).update(published_at=when, created_at=when)
    return story


def read(user, standard) -> None:
    standard.refresh_from_db()
    onboarding.standard_acknowledge(user=user, standard=standard, revision=standard.revision)


@pytest.fixture
def network(cast):
    """A small network with known numbers, as of today (the default period is the last 28 days).

    Île-de-France: Paris Opéra (camille), Paris Marais (lea), Versailles (theo, who last posted 40 days ago).
    Auvergne-Rhône-Alpes: Lyon Bellecour (hugo, julien), Annecy (zoe, who never did anything).
    """
    ara = cast.lyon.region
    versailles = Store.objects.create(name="Versailles Parly", slug="versailles", region=cast.paris.region, city="V")
    annecy = Store.objects.create(name="Annecy Vieille Ville", slug="annecy", region=ara, city="Annecy")
    theo = make_user("theo", store=versailles, role=roles.STAFF)
    make_user("zoe", store=annecy, role=roles.STAFF)
    make_user("gone", store=annecy, role=roles.STAFF, is_active=False)  # not staff any more
    take_charge = make_pillar()
    positive = make_pillar(slug="be-positive", name="Be positive", name_fr="Soyez positif", order=1)

    story = make_story(cast.camille, title="A refund", pillar=take_charge)
    days_ago(make_story(cast.camille, kind="attention", title="A coffee", pillar=positive), 10)
    make_story(cast.hugo, kind="attention", title="A chair", pillar=take_charge)
    make_story(cast.julien, kind="guestbook", title="Thank you, Lyon")
    days_ago(make_story(theo, title="An old one", pillar=positive), 40)
    hidden = make_story(cast.camille, title="Hidden")
    services.story_set_status(story=hidden, status=Story.Status.HIDDEN)
    make_story(cast.admin, title="From head office")  # no store: not counted
    services.vote_set(user=cast.hugo, story=story)
    services.tried_record(user=cast.hugo, story=story)
    services.comment_add(author=cast.hugo, story=story, body="We did it too.")
    own = make_story(cast.hugo, title="Tried at home")
    # A store trying its own idea (refused since issue 16, but older data holds some): not travelling.
    own.tries.create(store=cast.julien.store, user=cast.julien)
    services._recount_tries(own.pk)

    one, two = make_standard(cast.julien, title="One"), make_standard(cast.julien, title="Two")
    practices_services.story_promote(story=story, curator=cast.julien, standard=one)
    new_hires = Group.objects.get(name=roles.NEW_HIRES)
    path = onboarding.path_create(curator=cast.julien, title="First weeks", audience=new_hires)
    onboarding.path_step_add(path=path, standard=one)
    onboarding.path_step_add(path=path, standard=two)
    onboarding.path_assign(path=path, person=cast.camille, curator=cast.julien)
    onboarding.path_assign(path=path, person=cast.hugo, curator=cast.julien)
    read(cast.lea, one)
    read(cast.hugo, one)
    read(cast.hugo, two)
    return cast


def store_row(report, name: str):
    return next(row for row in report.stores if row.store.name == name)


class NumbersTests:
    def test_participation_by_store_on_a_known_network(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        paris = store_row(report, "Paris Opéra").participation
        assert (paris.stories, paris.attentions, paris.guestbook, paris.votes, paris.comments) == (1, 1, 0, 0, 0)
        assert (paris.tries, paris.acknowledgements, paris.staff, paris.active, paris.share) == (0, 0, 1, 1, 100)
        lyon = store_row(report, "Lyon Bellecour").participation
        # hugo's attention and "Tried at home", julien's guestbook entry; hugo's vote and comment; two tries
        assert (lyon.stories, lyon.attentions, lyon.guestbook, lyon.votes, lyon.comments) == (1, 1, 1, 1, 1)
        assert (lyon.tries, lyon.acknowledgements, lyon.staff, lyon.active, lyon.share) == (2, 2, 2, 2, 100)
        marais = store_row(report, "Paris Marais").participation
        assert (marais.contributions, marais.acknowledgements, marais.staff, marais.active) == (1, 1, 1, 1)
        versailles = store_row(report, "Versailles Parly").participation
        assert (versailles.contributions, versailles.staff, versailles.active, versailles.share) == (0, 1, 0, 0)

    def test_a_store_with_no_activity_counts_zero_and_is_quiet(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        annecy = store_row(report, "Annecy Vieille Ville")
        assert annecy.participation.contributions == 0
        assert (annecy.participation.staff, annecy.participation.active, annecy.participation.share) == (1, 0, 0)
        assert annecy.adoption.people == 0 and annecy.adoption.percent is None
        # Versailles posted 40 days ago: quiet too, whatever the period.
        assert [row.store.name for row in report.quiet_stores] == ["Annecy Vieille Ville", "Versailles Parly"]
        longer = dashboard.build_report(dashboard.Period(365))
        assert [row.store.name for row in longer.quiet_stores] == ["Annecy Vieille Ville", "Versailles Parly"]

    def test_regions_and_network_sum_their_stores(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        ara, idf = report.regions  # by name
        assert (ara.region.name, len(ara.stores), ara.participation.staff, ara.participation.active) == (
            "Auvergne-Rhône-Alpes",
            2,
            3,
            2,
        )
        assert ara.participation.share == 67
        assert (idf.participation.staff, idf.participation.active, idf.participation.share) == (3, 2, 67)
        assert report.network.participation.contributions == 12
        assert report.network.participation.staff == 6

    def test_a_longer_period_counts_older_contributions(self, network):
        report = dashboard.build_report(dashboard.Period(90))
        versailles = store_row(report, "Versailles Parly").participation
        assert (versailles.stories, versailles.active) == (1, 1)
        assert report.timeline.by_week

    def test_how_practices_travel(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        paris, lyon = store_row(report, "Paris Opéra"), store_row(report, "Lyon Bellecour")
        assert (paris.participation.travelled, paris.participation.travelled_far) == (1, 1)
        assert (lyon.participation.travelled, lyon.participation.adopted) == (0, 1)  # its own idea does not count
        ara, idf = report.regions
        assert (idf.promotions, idf.standards, ara.promotions) == (1, 1, 0)
        assert (report.network.promotions, report.network.standards) == (1, 1)

    def test_pillar_coverage_and_its_gaps(self, network):
        coverage = dashboard.build_report(dashboard.parse_period(None)).coverage
        ara, idf = network.lyon.region, network.paris.region
        assert [pillar.slug for pillar in coverage.pillars] == ["be-positive", "take-charge"]
        positive, take_charge = coverage.pillars
        assert (coverage.count(idf.pk, positive.pk), coverage.count(idf.pk, take_charge.pk)) == (1, 1)
        assert (coverage.count(ara.pk, positive.pk), coverage.count(ara.pk, take_charge.pk)) == (0, 1)
        assert coverage.count(ara.pk, None) == 2  # the guestbook entry and "Tried at home" have no pillar
        assert coverage.is_gap(ara.pk, positive.pk) and not coverage.is_gap(ara.pk, take_charge.pk)
        assert not coverage.is_gap(idf.pk, positive.pk) and not coverage.is_gap(idf.pk, take_charge.pk)

    def test_the_line_counts_stories_per_day(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        timeline = report.timeline
        assert len(timeline.buckets) == 28 and timeline.buckets[-1] == timezone.localdate()
        idf = timeline.series(network.paris.region_id)
        assert idf[-1] == 1 and idf[-11] == 1 and sum(idf) == 2
        assert timeline.series(None)[-1] == 4  # with Lyon's three

    def test_adoption_by_store_today(self, network):
        report = dashboard.build_report(dashboard.parse_period(None))
        marais = store_row(report, "Paris Marais").adoption  # lea, a new hire: 1 of 2
        assert (marais.people, marais.finished, marais.not_started, marais.percent) == (1, 0, 0, 50)
        paris = store_row(report, "Paris Opéra").adoption  # camille, assigned, nothing read
        assert (paris.people, paris.finished, paris.not_started, paris.percent) == (1, 0, 1, 0)
        lyon = store_row(report, "Lyon Bellecour").adoption  # hugo, assigned, both read; julien on no path
        assert (lyon.people, lyon.finished, lyon.not_started, lyon.percent) == (1, 1, 0, 100)
        assert report.network.adoption.percent == 50  # 3 of 6

    def test_a_material_revision_lowers_adoption(self, network):
        one = network.lea.acknowledgements.get().standard
        one.refresh_from_db()
        practices_services.standard_update(
            standard=one,
            editor=network.julien,
            title=one.title,
            summary=one.summary,
            practice=one.practice + " Changed.",
            why=one.why,
            pillar=None,
            tags=[],
            change_note="Changed",
            material=True,
        )
        report = dashboard.build_report(dashboard.parse_period(None))
        assert store_row(report, "Paris Marais").adoption.percent == 0
        assert store_row(report, "Lyon Bellecour").adoption.percent == 50


class PeriodTests:
    @pytest.mark.parametrize(
        ("raw", "days", "noted"),
        [
            (None, 28, False),
            ("", 28, False),
            ("7", 7, False),
            (" 90 ", 90, False),
            ("365", 365, False),
            ("abc", 28, True),
            ("7.5", 28, True),
            ("0", 1, True),
            ("-5", 1, True),
            ("366", 365, True),
            ("99999999999999999999999999", 365, True),
        ],
    )
    def test_the_period_is_clamped_with_a_note(self, raw, days, noted):
        period = dashboard.parse_period(raw)
        assert period.days == days
        assert bool(period.note) == noted

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("abc", "“abc” is not a number of days: the dashboard shows the last 28 days."),
            ("-3", "A period is at least one day: the dashboard shows today only."),
            ("5000", "A period is at most 365 days: the dashboard shows the last 365 days."),
        ],
    )
    def test_a_bad_period_shows_a_note_and_never_a_500(self, client, network, raw, message):
        client.force_login(network.julien)
        response = client.get(DASHBOARD, {"period": raw})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert csv_rows(client.get(export_url("stores"), {"period": raw}))[0][0] == "Store"

    def test_the_note_is_escaped(self, client, network):
        client.force_login(network.julien)
        response = client.get(DASHBOARD, {"period": "<script>x</script>"})
        assert "<script>x" not in response.content.decode()

    def test_the_page_and_the_csv_speak_french(self, client, network):
        client.force_login(network.julien)
        response = client.get(DASHBOARD, {"period": "1000"}, HTTP_ACCEPT_LANGUAGE="fr")
        page = response.content.decode()
        assert "Une période dure au plus 365 jours\u00a0: le tableau de bord montre les 365 derniers jours." in page
        assert "<h1>Tableau de bord</h1>" in page
        assert "Auvergne-Rhône-Alpes, sur les 365 derniers jours (du " in page
        header = csv_rows(client.get(export_url("stores"), HTTP_ACCEPT_LANGUAGE="fr"))[0]
        assert header[:5] == [
            "Magasin",
            "Région",
            "Effectif",
            "Ont participé",
            "Part de l’effectif qui a participé (%)",
        ]


class RegionTests:
    def test_a_regional_manager_sees_his_region_first(self, client, network):
        client.force_login(network.julien)
        response = client.get(DASHBOARD)
        assert response.context["scope"].region == network.lyon.region
        stores = response.context["tables"]["stores"]
        assert [group.label for group in stores.groups] == ["Auvergne-Rhône-Alpes", "Rest of the network"]
        assert [row[0] for row in stores.groups[0].rows] == ["Annecy Vieille Ville", "Lyon Bellecour"]
        assert [row[0] for row in stores.groups[1].rows] == ["Paris Marais", "Paris Opéra", "Versailles Parly"]
        assert [row[0] for row in response.context["tables"]["regions"].all_rows] == [
            "Auvergne-Rhône-Alpes",
            "Île-de-France",
            "Network",
        ]

    def test_region_switches_to_another_region_or_the_network(self, client, network):
        client.force_login(network.julien)
        response = client.get(DASHBOARD, {"region": "ile-de-france"})
        assert response.context["scope"].region == network.paris.region
        assert response.context["tables"]["regions"].all_rows[0][0] == "Île-de-France"
        response = client.get(DASHBOARD, {"region": "all"})
        assert response.context["scope"].region is None
        assert len(response.context["tables"]["stores"].groups) == 1

    def test_an_unknown_region_falls_back_with_a_note(self, client, network):
        client.force_login(network.julien)
        response = client.get(DASHBOARD, {"region": "atlantis"})
        assert response.status_code == 200
        assert response.context["scope"].region == network.lyon.region
        assert "There is no region “atlantis”" in response.content.decode()

    def test_a_head_office_curator_sees_the_network(self, client, network):
        boss = make_user("boss", store=None, role=roles.CURATORS)
        client.force_login(boss)
        assert client.get(DASHBOARD).context["scope"].region is None


class PageTests:
    def test_three_charts_each_with_a_text_alternative_and_a_table(self, client, network):
        client.force_login(network.julien)
        page = client.get(DASHBOARD).content.decode()
        assert page.count('role="img"') == 3
        for chart in ("chart-timeline", "chart-stores", "chart-pillars"):
            assert f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in page
        assert "Gaps: Be positive in Auvergne-Rhône-Alpes (0)." in page
        assert "Lyon Bellecour: 100%; Annecy Vieille Ville: 0%" not in page  # bars follow the table's order
        assert "Annecy Vieille Ville: 0%; Lyon Bellecour: 100%" in page
        for table in TABLES:
            assert f'<caption id="{table}-caption">' in page
            assert f'href="{export_url(table)}?period=28&amp;region=auvergne-rhone-alpes"' in page

    def test_chart_coordinates_stay_numbers_in_french(self, client, network):
        client.force_login(network.julien)
        page = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        points = re.findall(r'<polyline class="[^"]+" points="([^"]+)"', page)
        assert len(points) == 2
        assert all(re.fullmatch(r"(\d+\.\d,\d+\.\d ?)+", line) for line in points)
        assert re.search(r'<rect class="bar" x="150" y="\d+\.\d" width="\d+\.\d"', page)

    def test_the_dashboard_link_is_for_curators(self, client, network):
        client.force_login(network.julien)
        assert 'href="/dashboard/"' in client.get("/library/").content.decode()
        client.force_login(network.camille)
        assert 'href="/dashboard/"' not in client.get("/library/").content.decode()

    def test_an_empty_network_shows_the_page(self, client, cast):
        client.force_login(cast.julien)
        response = client.get(DASHBOARD, {"period": "365"})
        assert response.status_code == 200
        assert "No quiet store" not in response.content.decode()  # nobody contributed: all three are quiet


class RefusalTests:
    @pytest.mark.parametrize("who", ["camille", "lea"])
    def test_staff_and_new_hires_get_403_on_the_page_and_every_csv(self, client, cast, who):
        client.force_login(getattr(cast, who))
        assert client.get(DASHBOARD).status_code == 403
        for table in [*TABLES, "nothing"]:
            assert client.get(export_url(table)).status_code == 403, table

    def test_anonymous_people_are_sent_to_log_in(self, client, cast):
        for url in (DASHBOARD, export_url("stores")):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_an_unknown_table_is_not_found(self, client, cast):
        client.force_login(cast.julien)
        assert client.get(export_url("secrets")).status_code == 404

    def test_an_administrator_sees_it(self, client, cast):
        client.force_login(cast.admin)
        assert client.get(DASHBOARD).status_code == 200


class ExportTests:
    def test_the_stores_csv(self, client, network):
        client.force_login(network.julien)
        response = client.get(export_url("stores"), {"period": "28", "region": "ile-de-france"})
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="dashboard-stores-ile-de-france-28d-')
        rows = csv_rows(response)
        assert rows[0] == [
            "Store", "Region", "Staff", "Took part", "Share of staff who took part (%)", "Stories",
            "Petites attentions", "Guestbook entries", "Votes", "Comments", "“We tried it”", "Acknowledgements",
            "Its stories tried by other stores",
        ]  # fmt: skip
        assert rows[1:] == [
            ["Paris Marais", "Île-de-France", "1", "1", "100", "0", "0", "0", "0", "0", "0", "1", "0"],
            ["Paris Opéra", "Île-de-France", "1", "1", "100", "1", "1", "0", "0", "0", "0", "0", "1"],
            ["Versailles Parly", "Île-de-France", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
            ["Annecy Vieille Ville", "Auvergne-Rhône-Alpes", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
            ["Lyon Bellecour", "Auvergne-Rhône-Alpes", "2", "2", "100", "1", "1", "1", "1", "1", "2", "2", "0"],
        ]

    def test_the_other_csvs(self, client, network):
        client.force_login(network.julien)
        regions = csv_rows(client.get(export_url("regions")))
        assert regions[-1][:5] == ["Network", "5", "6", "4", "67"]
        travel = csv_rows(client.get(export_url("travel")))
        assert travel[1:] == [
            ["Auvergne-Rhône-Alpes", "0", "0", "1", "0", "0"],
            ["Île-de-France", "1", "1", "0", "1", "1"],
            ["Network", "1", "1", "1", "1", "1"],
        ]
        timeline = csv_rows(client.get(export_url("timeline")))
        assert timeline[0] == ["Day", "Auvergne-Rhône-Alpes", "Network"]
        assert timeline[-1] == [timezone.localdate().isoformat(), "3", "4"]
        assert len(timeline) == 29
        pillars = csv_rows(client.get(export_url("pillars")))
        assert pillars == [
            ["Region", "Be positive", "Take charge", "No pillar", "Gaps"],
            ["Auvergne-Rhône-Alpes", "0", "1", "2", "Be positive"],
            ["Île-de-France", "1", "1", "0", ""],
        ]
        quiet = csv_rows(client.get(export_url("quiet")))
        assert quiet[1:] == [
            ["Annecy Vieille Ville", "Auvergne-Rhône-Alpes", "1"],
            ["Versailles Parly", "Île-de-France", "1"],
        ]
        adoption = csv_rows(client.get(export_url("adoption")))
        assert adoption[0] == ["Store", "Region", "People on a path", "Finished", "Not started", "Standards read (%)"]
        assert ["Lyon Bellecour", "Auvergne-Rhône-Alpes", "1", "1", "0", "100"] in adoption
        assert adoption[-1] == ["Network", "", "3", "1", "1", "50"]

    def test_the_csv_speaks_the_curator_s_language_and_defuses_formulas(self, client, network):
        Store.objects.filter(pk=network.marais.pk).update(name="=HYPERLINK(1)")
        client.force_login(network.julien)
        response = client.get(export_url("stores"), HTTP_ACCEPT_LANGUAGE="fr")
        rows = csv_rows(response)
        assert rows[0][0] == "Magasin"
        assert ["'=HYPERLINK(1)", "Île-de-France"] in [row[:2] for row in rows]


class QueryCountTests:
    @pytest.mark.parametrize("store_count", [3, 30])
    def test_the_page_and_a_csv_make_the_same_queries_for_3_or_30_stores(
        self, client, cast, store_count, django_assert_num_queries
    ):
        story = make_story(cast.camille, title="A refund", pillar=make_pillar())
        standard = make_standard(cast.julien)
        practices_services.story_promote(story=story, curator=cast.julien, standard=standard)
        path = onboarding.path_create(curator=cast.julien, title="First weeks", audience=None)
        onboarding.path_step_add(path=path, standard=standard)
        region = Region.objects.create(name="Bretagne", slug="bretagne")
        for i in range(store_count - 3):
            store = Store.objects.create(name=f"Store {i:02}", slug=f"store-{i}", region=region, city="Rennes")
            person = make_user(f"person{i}", store=store, role=roles.STAFF)
            make_story(person, title=f"Story {i}", kind=["story", "attention", "guestbook"][i % 3])
            services.vote_set(user=person, story=story)
            services.tried_record(user=person, story=story)
            services.comment_add(author=person, story=story, body="Yes.")
            onboarding.path_assign(path=path, person=person, curator=cast.julien)
            read(person, standard)
            for source in ("survey", "mystery_shop"):
                item = Feedback.objects.create(
                    store=store,
                    source=source,
                    text="Queue",
                    rating=3,
                    sentiment="complaint",
                    pillar_scores={"take-charge": 4} if source == "mystery_shop" else {},
                )
                item.pillars.add(story.pillar)
        client.force_login(cast.julien)
        # session, user, permissions and unread count (one query);
        # 1 stores (with regions, and whether each contributed in the last 30 days), 2 stories per store, kind
        # and pillar, 3 staff and who took part per store, 4 votes per store, 5 comments per store, 6 tries
        # per store (and how many of other stores' stories), 7 acknowledgements per store, 8 stories tried by
        # other stores per story's store, 9 learning-path progress per store, 10 promotions per region and
        # standard, 11 stories per region and day, 12 pillars, 13 feedback and ratings per store and source,
        # 14 complaints per store and pillar, 15 mystery-shop scores per region and week; and the open
        # reports' count (the header's Reports section, issue 16; the CSV has no header)
        with django_assert_num_queries(19):
            response = client.get(DASHBOARD)
        assert len(response.context["report"].stores) == store_count
        # the same for the CSV
        cache.clear()
        with django_assert_num_queries(18):
            rows = csv_rows(client.get(export_url("stores")))
        assert len(rows) == 1 + store_count

    def test_curators_share_the_report_for_a_minute(self, client, network, django_assert_num_queries):
        client.force_login(network.julien)
        first = client.get(DASHBOARD).context["report"]
        make_story(network.camille, title="Too recent for this minute")
        # session, user, permissions and unread count, the open reports' count (the header's Reports section,
        # issue 16): the report comes from the cache
        with django_assert_num_queries(4):
            response = client.get(DASHBOARD, {"region": "ile-de-france"})
        assert response.context["report"].computed_at == first.computed_at
        assert store_row(response.context["report"], "Paris Opéra").participation.stories == 1
        # another period is another report
        assert client.get(DASHBOARD, {"period": "7"}).context["report"].computed_at > first.computed_at
        cache.clear()  # as when the minute is over
        fresh = client.get(DASHBOARD).context["report"]
        assert store_row(fresh, "Paris Opéra").participation.stories == 2

    def test_a_broken_cache_only_means_computing_the_report(self, client, network, monkeypatch):
        def broken(*args, **kwargs):
            raise ConnectionError("the cache is down")

        monkeypatch.setattr(cache, "get_many", broken)
        monkeypatch.setattr(cache, "set_many", broken)
        client.force_login(network.julien)
        response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert store_row(response.context["report"], "Lyon Bellecour").participation.votes == 1


class ChartTests:
    @pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (180, 200), (501, 1000)])
    def test_an_axis_ends_on_a_round_number(self, value, top):
        assert charts.nice_max(value) == top

    def test_a_line_of_one_day_and_bars_without_staff(self):
        day = timezone.localdate()
        chart = charts.line_chart([day], [("Network", [0])])
        assert chart.lines[0].points == "215.0,172.0"
        bars = charts.bar_chart([("A very long store name indeed, really", None), ("B", 50)], unit="%")
        assert [bar.text for bar in bars.bars] == ["—", "50%"]
        assert bars.bars[0].label == "A very long store n…"
        assert bars.bars[0].width == "0.0" and bars.bars[1].width == "101.0"


class CustomerVoiceTests:
    """What customers said, on the dashboard: counts, ratings per source, complaints against stories, mystery shops."""

    @pytest.fixture
    def voice(self, cast):
        take_charge = make_pillar(slug="take-charge", name="Take charge", order=3)
        positive = make_pillar(slug="be-positive", name="Be positive", order=1)
        make_story(cast.camille, title="A smile at the door", pillar=positive)
        make_story(cast.camille, title="Another smile", pillar=positive)
        today = timezone.localdate()
        for index in range(4):
            item = Feedback.objects.create(
                store=cast.paris,
                source="survey",
                text="Too long a wait",
                rating=2 + index,
                sentiment="complaint",
                date=today - timedelta(days=index),
            )
            item.pillars.add(take_charge)
        for week in range(3):
            Feedback.objects.create(
                store=cast.paris,
                source="mystery_shop",
                text="Visit",
                rating=7,
                date=today - timedelta(days=7 * week),
                pillar_scores={"take-charge": 4 + week, "be-positive": 8},
            )
        Feedback.objects.create(store=cast.lyon, source="review", text="Fine", rating=9, sentiment="praise")
        cast.take_charge, cast.positive = take_charge, positive
        return cast

    def test_counts_and_average_ratings_per_source(self, client, voice):
        client.force_login(voice.julien)
        rows = csv_rows(client.get(export_url("customers"), {"region": "ile-de-france"}))
        header, paris = rows[0], next(row for row in rows if row[0] == "Paris Opéra")
        assert paris[header.index("Feedback")] == "7"
        assert paris[header.index("Average rating: Survey")] == "3.5"
        assert paris[header.index("Average rating: Mystery shop")] == "7.0"
        assert paris[header.index("Average rating: Online review")] == ""
        lyon = next(row for row in rows if row[0] == "Lyon Bellecour")
        assert lyon[header.index("Average rating: Online review")] == "9.0"

    def test_the_gap_between_complaints_and_stories_is_marked(self, client, voice):
        client.force_login(voice.julien)
        response = client.get(DASHBOARD, {"region": "ile-de-france"})
        page = response.content.decode()
        assert "customers complain about “Take charge” (100% of complaints), your stores tell 0% of" in page
        rows = csv_rows(client.get(export_url("customer_pillars"), {"region": "ile-de-france"}))
        header, idf = rows[0], rows[1]
        assert idf[0] == "Île-de-France" and idf[-1] == "Take charge"
        assert idf[header.index("Take charge: share of complaints (%)")] == "100"
        assert idf[header.index("Be positive: share of stories (%)")] == "100"
        # No complaint about being positive: no gap there.
        assert "Be positive" not in idf[-1]
        rows = csv_rows(client.get(export_url("customer_pillars_stores"), {"region": "ile-de-france"}))
        header, paris = rows[0], next(row for row in rows if row[0] == "Paris Opéra")
        assert paris[header.index("Take charge: share of complaints (%)")] == "100" and paris[-1] == "Take charge"
        lyon = next(row for row in rows if row[0] == "Lyon Bellecour")
        assert lyon[header.index("Take charge: share of complaints (%)")] == "" and lyon[-1] == ""

    def test_mystery_shop_scores_over_time_as_chart_and_table(self, client, voice):
        client.force_login(voice.julien)
        page = client.get(DASHBOARD, {"region": "ile-de-france", "period": "28"}).content.decode()
        assert 'id="chart-mystery-title"' in page
        rows = csv_rows(client.get(export_url("mystery_shop"), {"region": "ile-de-france", "period": "28"}))
        assert rows[0] == ["Week of", "Be positive", "Take charge"]
        assert rows[-1][1:] == ["8.0", "4.0"]
        assert ["8.0", "6.0"] in [row[1:] for row in rows]
