"""On a phone, in French: a curator's destructive decisions ask for confirmation and a reason first."""

import pytest

from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.factories import make_standard, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def test_julien_retires_a_standard_and_hides_a_story_with_reasons(new_page, cast):
    standard = make_standard(cast.julien, title="Prêter un parapluie", language="fr")
    story = make_story(cast.camille, title="Le numéro d'une cliente", body="Son numéro est le 06…", language="fr")
    julien = new_page(locale="fr-FR", device=PHONE)
    log_in(julien, "julien")

    julien.goto(standard.get_absolute_url())
    julien.get_by_role("link", name="Retirer", exact=True).click()
    assert julien.get_by_role("heading", name="Retirer le standard").is_visible()
    julien.get_by_role("button", name="Retirer", exact=True).click()  # no reason
    assert julien.get_by_text("Indiquez un motif : il est conservé dans le journal des décisions.").is_visible()
    assert_accessible(julien)
    button = julien.get_by_role("button", name="Retirer", exact=True).bounding_box()
    assert button["height"] >= 44 and button["width"] >= 44
    julien.get_by_label("Motif (conservé dans le journal des décisions)").fill("Remplacé par le prêt de capes")
    julien.get_by_role("button", name="Retirer", exact=True).click()
    julien.wait_for_url(f"**{standard.get_absolute_url()}")
    assert julien.locator(".retirement").get_by_text("Remplacé par le prêt de capes", exact=False).is_visible()

    julien.goto(story.get_absolute_url())
    julien.get_by_role("link", name="Masquer", exact=True).click()
    julien.get_by_role("link", name="Annuler").click()  # changed his mind: nothing happens
    julien.wait_for_url(f"**{story.get_absolute_url()}")
    julien.get_by_role("link", name="Masquer", exact=True).click()
    julien.get_by_label("Motif (conservé dans le journal des décisions)").fill("Un numéro de téléphone de cliente")
    julien.get_by_role("button", name="Masquer", exact=True).click()
    assert julien.get_by_text("Un numéro de téléphone de cliente", exact=False).is_visible()
    story.refresh_from_db()
    assert story.status == "hidden"
    assert julien.console_errors == []
