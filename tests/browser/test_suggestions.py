"""Suggestions as one types, in a real browser: htmx under a strict CSP, a list of links, accessible."""

import pytest

from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.factories import make_standard, make_story

pytestmark = pytest.mark.django_db(transaction=True)


class SuggestionsJourneyTests:
    def test_lea_types_three_letters_and_follows_a_suggestion(self, new_page, cast):
        story = make_story(cast.camille, title="Un café offert", body="Pendant les travaux.")
        make_standard(cast.julien, title="Offrir un café aux clients qui attendent", summary="Un geste.")
        errors = []
        page = new_page(device=PHONE)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        log_in(page, "lea")
        page.goto("/stories/")
        page.get_by_role("searchbox", name="Search").press_sequentially("caf", delay=50)
        suggestions = page.locator("#q-suggestions")
        suggestions.get_by_role("link", name="Story: Un café offert").wait_for()
        assert suggestions.get_by_role("link", name="Standard: Offrir un café aux clients qui attendent").is_visible()
        assert suggestions.locator("mark").first.text_content() == "café"
        assert_accessible(page)
        suggestions.get_by_role("link", name="Story: Un café offert").click()
        page.wait_for_url(f"**/stories/{story.pk}/")
        page.goto("/library/")
        page.get_by_label("Search standards and stories").press_sequentially("offr", delay=50)
        page.locator("#q-suggestions").get_by_role(
            "link", name="Standard: Offrir un café aux clients qui attendent"
        ).wait_for()
        assert page.url.endswith("/library/")  # the suggestions never change the address
        assert not [error for error in errors if "Content Security Policy" in error]
