import pytest

from accounts.services import notifications_mark_read
from stories import services
from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


class ReactionsJourneyTests:
    def test_hugo_responds_camille_hears_and_julien_moderates(self, new_page, cast):
        story = make_story(cast.camille, title="Coffee during the repair")
        services.comment_add(author=cast.lea, story=story, body="Buy cheap coffee, nobody will notice")
        notifications_mark_read(user=cast.camille)

        hugo = new_page(device=PHONE)
        log_in(hugo, "hugo")
        hugo.goto(f"/stories/{story.pk}/")
        vote = hugo.locator(".vote-button")
        assert "0 votes" in vote.text_content()
        hugo.evaluate("window.notReloaded = true")
        vote.click()
        hugo.locator(".vote-button[aria-pressed=true]").wait_for()
        assert "1 vote" in hugo.locator(".vote-button").text_content()
        assert hugo.evaluate("window.notReloaded") is True  # no page load

        hugo.get_by_label("How did it go? (optional)").fill("Customers loved it")
        hugo.get_by_role("button", name="We tried it at Lyon Bellecour").click()
        assert hugo.get_by_text("Customers loved it").is_visible()

        hugo.get_by_label("Your comment").fill("We did it too, thanks @camille!")
        hugo.evaluate("window.notReloaded = true")
        hugo.get_by_role("button", name="Send", exact=True).click()
        hugo.locator("#comments").get_by_text("We did it too").wait_for()
        assert hugo.evaluate("window.notReloaded") is True
        assert hugo.locator("#comments a[href='/people/camille/']").count() == 1
        assert_accessible(hugo)

        camille = new_page(device=PHONE)
        log_in(camille, "camille")
        link = camille.locator("#notifications-link")
        assert "3 unread" in link.text_content()
        link.click()
        for _ in range(3):
            camille.locator(".notifications li.unread button").first.click()
            camille.wait_for_url(f"**/stories/{story.pk}/**")
            camille.goto("/notifications/")
        assert camille.locator(".notifications li.unread").count() == 0
        assert camille.locator("#notifications-link .badge").count() == 0
        assert_accessible(camille)
        camille.goto(f"/stories/{story.pk}/")
        camille.locator("#comments .comment", has_text="We did it too").get_by_role("link", name="Reply").click()
        assert camille.get_by_text("Your reply to").is_visible()
        camille.get_by_label("Your comment").fill("So glad it worked in Lyon")
        camille.get_by_role("button", name="Send", exact=True).click()
        camille.locator("#comments .replies").get_by_text("So glad it worked in Lyon").wait_for()

        hugo.get_by_role("link", name="Report the comment by Léa Durand").click()
        hugo.get_by_label("Wrong or unsafe practice").check()
        hugo.get_by_role("button", name="Send the report").click()
        assert hugo.get_by_text("A curator will look at it").is_visible()

        julien = new_page(device=PHONE)
        log_in(julien, "julien")
        julien.locator(".person-menu summary").click()  # issue 16: curators' sections are in the menu on a phone
        julien.get_by_role("link", name="Reports 1 open").click()  # with the count of open reports
        assert julien.get_by_text("Buy cheap coffee").is_visible()
        assert_accessible(julien)
        julien.get_by_role("button", name="Hide the content").click()
        assert julien.get_by_text("Give a reason: it is kept in the decision log.").is_visible()  # a reason first
        julien.get_by_label("Reason (kept in the decision log)").fill("Advice against the store's rules")
        julien.get_by_role("button", name="Hide the content").click()
        assert julien.get_by_text("No open report").is_visible()
        assert julien.get_by_text("“Advice against the store's rules”").is_visible()  # in the decision log
        julien.goto(f"/stories/{story.pk}/")
        hugo.reload()
        assert hugo.get_by_text("Comment hidden by a curator.").is_visible()
        assert not hugo.get_by_text("Buy cheap coffee").is_visible()
        assert hugo.console_errors == [] and camille.console_errors == [] and julien.console_errors == []
