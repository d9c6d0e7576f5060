"""Issue 16: the feed on a 390x844 phone in French opens on the stories."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import jpeg_upload, make_pillar, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def tap_targets_too_small(page) -> list[str]:
    """Buttons, tab links and chips smaller than 44x44 CSS pixels (visible ones only)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.btn, .tab-bar a, .chip, .header-target, .card-actions > *')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width < 44 || r.height < 44)
            .map(([e, r]) => `${e.textContent.trim()} ${r.width}x${r.height}`)"""
    )


class PhoneFeedTests:
    def test_the_first_card_starts_in_the_top_quarter_in_french(self, new_page, cast):
        pillar = make_pillar(slug="take-charge", name="Take charge")
        for number in range(3):
            make_story(
                cast.hugo,
                title=f"Un parapluie prêté à une cliente un jour de pluie battante, numéro {number}",
                body="Il pleuvait très fort. J’ai prêté **notre** parapluie à Mme Roux, qui l’a rapporté le lendemain.",
                pillar=pillar,
            )
        page = new_page(locale="fr-FR", device=PHONE)
        log_in(page, "camille")
        page.goto("/stories/?kind=story")

        card = page.locator(".story-card").first
        box = card.bounding_box()
        assert box["y"] < 844 / 4, f"the first card starts at {box['y']}px"
        title = card.locator(".card-title")
        title_box = title.bounding_box()
        assert title_box["y"] + title_box["height"] <= 844 - 56  # above the tab bar
        assert "Il pleuvait très fort. J’ai prêté notre parapluie" in card.locator(".excerpt").text_content()

        # One-row header, the tab bar, the filters behind one button, an active filter as a chip.
        header = page.locator(".header-row").bounding_box()
        assert header["height"] <= 64
        tabs = page.get_by_role("navigation", name="Rubriques")
        assert tabs.is_visible() and not page.get_by_role("navigation", name="Principale").is_visible()
        assert [t.strip() for t in tabs.locator("a").all_text_contents()] == [
            "Fil", "Bibliothèque", "Publier", "Apprendre", "Moi",
        ]  # fmt: skip
        assert not page.locator("#id_sort").is_visible()
        assert page.locator("#id_q").is_visible()
        chip = page.locator(".chip")
        assert chip.count() == 1
        assert not tap_targets_too_small(page)
        assert_accessible(page)

        page.locator(".filter-toggle summary", has_text="Filtrer").click()
        assert page.locator("#id_sort").is_visible()
        assert_accessible(page)
        chip.click()
        page.wait_for_url("**/stories/")
        assert page.locator(".chip").count() == 0

    def test_a_card_keeps_its_place_while_its_photo_loads(self, new_page, cast):
        """The cover's box is fixed before the photo arrives: no layout shift (bench/README.md, Lighthouse)."""
        make_story(cast.hugo, title="With a photo", photos=[jpeg_upload(size=(640, 480))])
        page = new_page(device=PHONE)
        log_in(page, "camille")
        page.route("**/photos/**", lambda route: route.abort())  # the photo never comes
        page.goto("/stories/")
        before = page.locator(".story-card .card-title").first.bounding_box()["y"]
        assert page.locator(".story-card .card-cover").first.bounding_box()["height"] == 224  # 14rem

        page.unroute("**/photos/**")
        page.reload()
        page.wait_for_function("() => document.querySelector('.card-cover').naturalWidth > 0")
        assert page.locator(".story-card .card-title").first.bounding_box()["y"] == before

    def test_the_menu_holds_the_curators_sections(self, new_page, cast):
        make_story(cast.hugo, title="Une histoire")
        page = new_page(locale="fr-FR", device=PHONE)
        log_in(page, "julien")
        page.locator(".person-menu summary").click()
        menu = page.locator(".person-menu-list")
        assert menu.get_by_role("link", name="Signalements").is_visible()
        assert not tap_targets_too_small(page)
        assert_accessible(page)

    def test_a_laptop_keeps_the_navigation_row(self, new_page, cast):
        make_story(cast.hugo, title="Une histoire")
        page = new_page(locale="en-GB", device=DESKTOP)
        log_in(page, "julien")
        assert page.get_by_role("navigation", name="Main").is_visible()
        assert not page.get_by_role("navigation", name="Sections").is_visible()
        assert_accessible(page)
