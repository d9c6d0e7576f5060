import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from practices.library import services
from tests.factories import make_standard

pytestmark = pytest.mark.django_db

FEED = reverse("practices:standards-feed")
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client) -> list[ET.Element]:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Service standards: new and revised"
    return feed.findall(f"{ATOM}entry")


class StandardsFeedTests:
    def test_it_has_one_entry_per_revision_of_standards_in_the_library(self, client, cast):
        revised = make_standard(cast.julien, title="Umbrellas")
        services.standard_update(
            standard=revised,
            editor=cast.julien,
            title="Umbrellas at the door",
            summary=revised.summary,
            practice="Count them on Mondays.",
            why="",
            pillar=None,
            tags=[],
            change_note="Count them weekly",
        )
        retired = make_standard(cast.julien, title="Handwritten cards")
        services.standard_retire(standard=retired, editor=cast.julien)
        make_standard(cast.julien, title="Draft", publish=False)
        client.force_login(cast.lea)
        found = {(entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href")) for entry in entries(client)}
        assert found == {
            ("Umbrellas at the door (revision 2)", "http://testserver/library/umbrellas/revisions/2/"),
            ("Umbrellas", "http://testserver/library/umbrellas/revisions/1/"),
            ("Handwritten cards", "http://testserver/library/handwritten-cards/revisions/1/"),
        }

    def test_each_entry_says_what_changed_and_who(self, client, cast):
        make_standard(cast.julien, title="Umbrellas", summary="Lend them.")
        client.force_login(cast.lea)
        (entry,) = entries(client)
        assert entry.findtext(f"{ATOM}summary") == "Lend them. — First version"
        assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Julien Petit"
        assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}id")

    def test_an_empty_library_is_a_valid_empty_feed(self, client, cast):
        make_standard(cast.julien, publish=False)
        client.force_login(cast.lea)
        assert entries(client) == []

    def test_it_requires_a_log_in(self, client, cast):
        make_standard(cast.julien)
        response = client.get(FEED)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
