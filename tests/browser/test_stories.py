import io
import re

import pytest
from PIL import Image

from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.factories import gps_exif, make_pillar, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def phone_photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 160)).save(buffer, "JPEG", exif=gps_exif())
    return {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


class PostAttentionJourneyTests:
    def test_camille_posts_a_petite_attention_with_a_photo_and_hugo_sees_it(self, new_page, cast):
        make_pillar(slug="take-charge", name="Take charge")
        make_story(cast.hugo, title="An older story", kind="guestbook")
        page = new_page(device=PHONE)
        log_in(page, "camille")

        page.get_by_role("navigation", name="Sections").get_by_role("link", name="Post").click()
        page.get_by_label("Petite attention").check()
        page.get_by_label("Title").fill("A dry walk to the tram")
        page.get_by_label("What happened?").fill("It rained hard, so I lent *our* umbrella to Mrs Roux.")
        page.get_by_label("Pillar").select_option(label="Take charge")
        page.get_by_label("Tags").fill("Pluie, umbrella")
        page.locator("#id_photos").set_input_files(phone_photo())
        assert "IMG_2041.jpg" in page.locator("#photo-names").text_content()
        page.get_by_label("What the photos show").fill("A blue umbrella by the door")
        assert_accessible(page)
        page.get_by_role("button", name="Publish").click()

        page.wait_for_url(re.compile(r"/stories/\d+/$"))  # sent by static/js/drafts.js, then the story
        assert page.get_by_text("Thank you! Your story is published.").is_visible()
        assert page.get_by_role("heading", name="A dry walk to the tram").is_visible()
        photo = page.get_by_role("img", name="A blue umbrella by the door")
        assert photo.is_visible()
        assert_accessible(page)

        # The served photo carries no metadata at all.
        full_size_url = page.locator(".photo-grid a").first.get_attribute("href")
        served = page.request.get(full_size_url)
        assert served.ok
        with Image.open(io.BytesIO(served.body())) as image:
            assert not image.getexif()
            assert "exif" not in image.info

        page.goto("/stories/?sort=new")
        first_card = page.locator("#story-list article").first
        assert "A dry walk to the tram" in first_card.text_content()

        first_card.get_by_role("link", name="A dry walk to the tram").click()
        page.get_by_role("link", name="Edit").click()
        page.get_by_label("Title").fill("A dry walk to the tram stop")
        page.get_by_role("button", name="Save the changes").click()
        page.wait_for_url("**/stories/*/")
        page.get_by_role("link", name="History").click()
        history = page.locator("main").text_content()
        assert "A dry walk to the tram stop" in history
        assert "Version replaced on" in history and "A dry walk to the tram\n" in history

        hugo = new_page(device=PHONE)
        log_in(hugo, "hugo")
        hugo.goto("/stories/?sort=new")
        assert "A dry walk to the tram stop" in hugo.locator("#story-list").text_content()
        assert page.console_errors == [] and hugo.console_errors == []

    def test_both_see_this_weeks_exchanged_guestbook(self, new_page, cast):
        make_story(cast.hugo, title="Lyon guestbook idea", kind="guestbook")
        make_story(cast.camille, title="Paris guestbook idea", kind="guestbook")
        for username, own_store in [("camille", "paris-opera"), ("hugo", "lyon-bellecour")]:
            page = new_page(device=PHONE)
            log_in(page, username)
            page.goto(f"/stores/{own_store}/")
            exchange = page.get_by_role("region", name="This week's exchanged guestbook")
            assert exchange.is_visible()
            assert "lends you its guestbook" in exchange.text_content()
            assert_accessible(page)

    def test_filters_behind_the_filter_button_narrow_the_list(self, new_page, cast):
        make_story(cast.camille, title="An attention", kind="attention")
        make_story(cast.hugo, title="A story", kind="story")
        page = new_page(device=PHONE)
        log_in(page, "lea")
        page.goto("/stories/")
        page.locator(".filter-toggle summary").click()  # issue 16: the filters are behind one button
        page.get_by_label("Kind").select_option("attention")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**kind=attention**")
        assert page.locator(".chip").count() == 1
        list_text = page.locator("#story-list").text_content()
        assert "An attention" in list_text and "A story" not in list_text
        assert_accessible(page)
