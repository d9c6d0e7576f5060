"""Private Atom links for feed readers: a token per person and feed, shown on the profile, revocable, made
again on a password change; it opens that feed only, and a tampered or revoked token is a plain 404."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from accounts import services
from accounts.feeds import feed_token, feed_user
from tests.conftest import PASSWORD
from tests.factories import make_pillar, make_standard, make_story

ATOM = "{http://www.w3.org/2005/Atom}"


def standards_url(user) -> str:
    return reverse("standards-private-feed", args=[feed_token(user, "standards")])


def stories_url(user, query: str = "") -> str:
    return reverse("stories-private-feed", args=[feed_token(user, "stories")]) + query


def titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


class FeedLinksOnTheProfileTests:
    def test_links_are_made_shown_on_my_profile_only_and_renewed(self, client, cast):
        client.force_login(cast.camille)
        profile = reverse("accounts:profile", args=["camille"])
        assert "Make my feed links" in client.get(profile).content.decode()
        response = client.post(reverse("accounts:feed-links"), {"action": "renew"})
        assert response.status_code == 302
        cast.camille.refresh_from_db()
        first = feed_token(cast.camille, "standards")
        page = client.get(profile).content.decode()
        assert f"http://testserver{standards_url(cast.camille)}" in page
        assert f"http://testserver{stories_url(cast.camille)}" in page
        client.force_login(cast.hugo)
        assert first not in client.get(profile).content.decode()  # someone else's profile never shows them
        client.force_login(cast.camille)
        client.post(reverse("accounts:feed-links"), {"action": "renew"})
        cast.camille.refresh_from_db()
        assert feed_token(cast.camille, "standards") != first
        assert client.get(reverse("standards-private-feed", args=[first])).status_code == 404

    def test_revoked_links_answer_404(self, client, cast):
        services.feed_key_renew(user=cast.camille)
        url = standards_url(cast.camille)
        client.force_login(cast.camille)
        client.post(reverse("accounts:feed-links"), {"action": "revoke"})
        cast.camille.refresh_from_db()
        assert cast.camille.feed_key == ""
        client.logout()
        assert client.get(url).status_code == 404

    def test_a_bad_action_changes_nothing(self, client, cast):
        key = services.feed_key_renew(user=cast.camille)
        client.force_login(cast.camille)
        client.post(reverse("accounts:feed-links"), {"action": "delete-everything"})
        cast.camille.refresh_from_db()
        assert cast.camille.feed_key == key

    def test_the_buttons_need_a_session_and_a_post(self, client, cast):
        assert client.post(reverse("accounts:feed-links"), {"action": "renew"}).status_code == 302  # to log in
        client.force_login(cast.camille)
        assert client.get(reverse("accounts:feed-links")).status_code == 405
        cast.camille.refresh_from_db()
        assert cast.camille.feed_key == ""

    def test_changing_the_password_makes_new_links(self, client, cast):
        services.feed_key_renew(user=cast.camille)
        old = standards_url(cast.camille)
        client.force_login(cast.camille)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "another-pass-2027", "new_password2": "another-pass-2027"},
        )
        assert response.status_code == 302
        cast.camille.refresh_from_db()
        assert standards_url(cast.camille) != old
        client.logout()
        assert client.get(old).status_code == 404
        assert client.get(standards_url(cast.camille)).status_code == 200

    def test_a_new_password_from_a_reset_link_makes_new_links(self, client, cast, mailoutbox):
        services.feed_key_renew(user=cast.camille)
        old = standards_url(cast.camille)
        client.post(reverse("password_reset"), {"email": "camille@example.com"})
        link = re.search(r"/accounts/reset/\S+/", mailoutbox[0].body).group(0)
        form_page = client.get(link, follow=True)  # Django swaps the token for a session value first
        assert form_page.status_code == 200
        new_password = {"new_password1": "another-pass-2027", "new_password2": "another-pass-2027"}
        assert client.post(form_page.redirect_chain[-1][0], new_password).status_code == 302
        cast.camille.refresh_from_db()
        assert cast.camille.check_password("another-pass-2027")
        assert client.get(old).status_code == 404
        assert client.get(standards_url(cast.camille)).status_code == 200

    def test_an_administrator_setting_a_password_makes_new_links(self, client, cast):
        services.feed_key_renew(user=cast.camille)
        old = standards_url(cast.camille)
        client.force_login(cast.admin)
        url = reverse("admin:auth_user_password_change", args=[cast.camille.pk])
        data = {"password1": "another-pass-2027", "password2": "another-pass-2027", "usable_password": "true"}
        assert client.post(url, data).status_code == 302
        cast.camille.refresh_from_db()
        assert cast.camille.check_password("another-pass-2027") and standards_url(cast.camille) != old

    def test_in_french(self, client, cast):
        client.force_login(cast.camille)
        page = client.get(reverse("accounts:profile", args=["camille"]), headers={"accept-language": "fr"})
        assert "Flux pour votre lecteur" in page.content.decode()


class PrivateFeedTests:
    def test_a_feed_reader_reads_the_standards_without_a_session(self, client, cast):
        make_standard(cast.julien, title="Umbrellas")
        make_standard(cast.julien, title="Draft", publish=False)
        services.feed_key_renew(user=cast.lea)
        response = client.get(standards_url(cast.lea))
        assert titles(response) == ["Umbrellas"]
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_the_stories_feed_follows_the_filters_of_the_link(self, client, cast):
        pillar = make_pillar()
        make_story(cast.camille, title="With the pillar", pillar=pillar)
        make_story(cast.hugo, title="Without")
        hidden = make_story(cast.hugo, title="Hidden one")
        hidden.status = "hidden"
        hidden.save()
        services.feed_key_renew(user=cast.lea)
        assert sorted(titles(client.get(stories_url(cast.lea)))) == ["With the pillar", "Without"]
        assert titles(client.get(stories_url(cast.lea, f"?pillar={pillar.slug}"))) == ["With the pillar"]
        assert titles(client.get(stories_url(cast.lea, "?store=lyon-bellecour&sort=new"))) == ["Without"]

    def test_the_feed_is_in_the_persons_language(self, client, cast):
        cast.lea.preferred_language = "fr"
        cast.lea.save()
        services.feed_key_renew(user=cast.lea)
        feed = ET.fromstring(client.get(standards_url(cast.lea)).content)  # noqa: S314
        assert feed.findtext(f"{ATOM}title") == "Standards de service : nouveaux et révisés"

    def test_the_feed_page_offers_the_link_with_its_filters(self, client, cast):
        services.feed_key_renew(user=cast.camille)
        client.force_login(cast.camille)
        page = client.get(reverse("stories:feed"), {"sort": "top", "page": "2"}).content.decode()
        assert f'href="{stories_url(cast.camille, "?sort=top")}"' in page
        client.force_login(cast.hugo)  # no links made: nothing offered
        assert "/stories.atom" not in client.get(reverse("stories:feed")).content.decode()

    @pytest.mark.parametrize(
        "mangle",
        [
            lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),  # tampered
            lambda token: "9999." + token.split(".", 1)[1],  # another id
            lambda token: token.split(".", 1)[0],  # no signature
            lambda token: "x" * 10,
            lambda token: token + "0",
        ],
    )
    def test_a_tampered_token_is_404_and_shows_nothing(self, client, cast, mangle):
        make_standard(cast.julien, title="Secret umbrellas")
        services.feed_key_renew(user=cast.lea)
        for feed in ("standards", "stories"):
            token = mangle(feed_token(cast.lea, feed))
            response = client.get(reverse(f"{feed}-private-feed", args=[token]))
            assert response.status_code == 404
            assert "Secret umbrellas" not in response.content.decode()

    def test_a_token_opens_its_own_feed_only(self, client, cast):
        story = make_story(cast.camille, title="Private story")
        services.feed_key_renew(user=cast.lea)
        standards_token = feed_token(cast.lea, "standards")
        assert feed_user(standards_token, "stories") is None
        assert client.get(reverse("stories-private-feed", args=[standards_token])).status_code == 404
        # Nothing else opens with it: no session was made, pages still ask to sign in.
        client.get(standards_url(cast.lea))
        response = client.get(story.get_absolute_url())
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get(reverse("practices:standards-feed")).status_code == 302

    def test_a_deactivated_person_s_links_stop(self, client, cast):
        services.feed_key_renew(user=cast.lea)
        url = standards_url(cast.lea)
        cast.lea.is_active = False
        cast.lea.save()
        assert client.get(url).status_code == 404

    def test_no_links_means_no_token(self, cast):
        assert feed_token(cast.lea, "standards") == ""
        assert feed_user("", "standards") is None
