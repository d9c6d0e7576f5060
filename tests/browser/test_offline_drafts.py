"""Issue 16: camille writes a story with no signal; it is kept on the phone and published once, later."""

import pytest
from playwright.sync_api import expect

from stories.models import Story
from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.browser.test_app import wait_for_service_worker
from tests.factories import jpeg_upload, make_story

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Pas de connexion\xa0: votre histoire est gardée sur ce téléphone"


def wait_until_kept(page, url: str) -> None:
    """The service worker has a copy of `url` to give back offline."""
    page.wait_for_function(
        "(url) => caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.match(url)))))"
        ".then(found => found.some(Boolean))",
        arg=url,
    )


def open_site_online(page, cast) -> str:
    """camille reads the feed, a story and the story form online: the worker keeps them."""
    story = make_story(cast.hugo, title="Un parapluie prêté", body="Il pleuvait très fort.")
    log_in(page, "camille")
    page.goto("/stories/")
    wait_for_service_worker(page)
    for url in (story.get_absolute_url(), "/stories/new/"):
        page.goto(url)
        wait_until_kept(page, url)
    return story.get_absolute_url()


def write_offline(page, title: str) -> None:
    page.context.set_offline(True)
    page.goto("/stories/new/")
    page.locator("input[name=kind][value=attention]").check()
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Que s’est-il passé ?").fill("Une cliente sans parapluie, nous lui en avons prêté un.")
    page.locator("#id_tags").fill("pluie, parapluie")
    photo = jpeg_upload("parapluie.jpg")
    page.locator("#id_photos").set_input_files(
        [{"name": "parapluie.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}]
    )
    page.get_by_role("button", name="Publier").click()
    page.locator("#draft-status").get_by_text(SAVED).wait_for()


class OfflineDraftTests:
    def test_a_story_written_offline_is_published_once_when_the_connection_returns(self, new_page, cast):
        page = new_page(locale="fr-FR", device=PHONE)
        story_url = open_site_online(page, cast)

        page.context.set_offline(True)
        page.goto("/stories/new/")
        # A file that is not a photo is refused on the phone, with the server's words.
        page.locator("#id_photos").set_input_files(
            [{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some text"}]
        )
        page.get_by_label("Titre").fill("Un parapluie pour rentrer")
        page.get_by_label("Que s’est-il passé ?").fill("Il pleuvait.")
        page.get_by_role("button", name="Publier").click()
        expect(page.locator("#draft-errors")).to_have_text(
            "Choisissez le type d’histoire. «\xa0notes.jpg\xa0» n’est pas une photo que nous savons lire."
            " Utilisez une image JPEG, PNG, WebP ou HEIC."
        )

        write_offline(page, "Un parapluie pour rentrer")
        drafts = page.locator("#drafts")
        assert drafts.get_by_text("Un parapluie pour rentrer").is_visible()
        assert drafts.get_by_text("En attente d’envoi").is_visible()
        assert Story.objects.filter(title="Un parapluie pour rentrer").count() == 0
        # Chromium has Background Sync: the worker is asked to send it when the connection returns.
        tags = page.evaluate("() => navigator.serviceWorker.ready.then(r => r.sync.getTags())")
        assert tags == ["send-drafts"]
        assert_accessible(page)
        delete = drafts.get_by_role("button", name="Supprimer — Un parapluie pour rentrer")
        box = delete.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44

        # She rereads, offline, a story she had opened.
        page.goto(story_url)
        assert page.get_by_role("heading", name="Un parapluie prêté").is_visible()
        assert page.locator("#offline-notice").is_visible()

        context = page.context
        page.close()
        context.set_offline(False)
        page = context.new_page()
        page.goto("/stories/")
        page.locator("#draft-status").get_by_text(
            "Votre histoire «\xa0Un parapluie pour rentrer\xa0» est publiée."
        ).wait_for()
        assert page.locator("#drafts").is_hidden()
        page.reload()  # nothing is left to send twice
        page.wait_for_timeout(500)
        story = Story.objects.get(title="Un parapluie pour rentrer")
        assert story.author == cast.camille
        assert story.photos.count() == 1
        assert sorted(story.tags.names()) == ["parapluie", "pluie"]
        assert page.evaluate("() => DraftStore.all().then(d => d.length)") == 0

    def test_a_draft_sent_after_the_session_ended_is_sent_once_she_signs_in_again(self, new_page, cast):
        page = new_page(locale="fr-FR", device=PHONE)
        open_site_online(page, cast)
        write_offline(page, "Un café offert")
        page.context.clear_cookies()
        page.context.set_offline(False)
        page.goto("/stories/")  # the session has ended: the sign-in page
        assert Story.objects.filter(title="Un café offert").count() == 0
        log_in(page, "camille")
        page.goto("/stories/")
        page.locator("#draft-status").get_by_text("Votre histoire «\xa0Un café offert\xa0» est publiée.").wait_for()
        assert Story.objects.filter(title="Un café offert").count() == 1

    def test_signing_out_deletes_the_drafts_and_saved_pages_after_a_confirmation(self, new_page, cast):
        page = new_page(locale="fr-FR", device=PHONE)
        open_site_online(page, cast)
        # A draft the server refused stays on the phone until she deletes it.
        page.evaluate(
            "() => DraftStore.put({key: 'k1', fields: {title: 'Un brouillon refusé'}, photos: [], created: 1,"
            " state: 'refused', errors: ['Racontez ce qui s’est passé.']})"
        )
        page.goto("/stories/")
        expect(page.locator("#drafts").get_by_text("Non envoyée\xa0: Racontez ce qui s’est passé.")).to_be_visible()
        dialogs = []

        def answer(dialog):
            dialogs.append(dialog.message)
            dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

        page.on("dialog", answer)
        page.locator("summary").filter(has_text="Menu").click()
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_timeout(300)
        assert dialogs == [
            "Des histoires en attente d’envoi sont gardées sur ce téléphone. Se déconnecter et les supprimer\xa0?"
        ]
        assert page.evaluate("() => DraftStore.all().then(d => d.length)") == 1  # she said no

        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url("**/accounts/login/**")
        assert len(dialogs) == 2
        assert page.evaluate(COUNT_DRAFTS) == 0
        assert page.evaluate("() => caches.keys().then(names => names.filter(n => n.startsWith('pages-')).length)") == 0


COUNT_DRAFTS = """() => new Promise((resolve) => {
  const request = indexedDB.open("story-drafts", 1);
  request.onupgradeneeded = () => request.result.createObjectStore("drafts", { keyPath: "key" });
  request.onsuccess = () => {
    const count = request.result.transaction("drafts").objectStore("drafts").count();
    count.onsuccess = () => resolve(count.result);
  };
})"""
