"""Issue 16: the installable app: a manifest Chromium accepts, and stories reread offline."""

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, log_in
from tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_service_worker(page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


class InstallableAppTests:
    def test_chromium_reports_no_installability_errors_for_the_feed(self, browser, live_server, tmp_path, cast):
        # A profile on disk: Chromium installs no app from an incognito context (new_page's).
        context = browser.browser_type.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="fr-FR",
            base_url=live_server.url, **PHONE,
        )  # fmt: skip
        page = context.pages[0] if context.pages else context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        log_in(page, "camille")
        page.goto("/stories/")
        wait_for_service_worker(page)
        session = page.context.new_cdp_session(page)
        result = session.send("Page.getInstallabilityErrors")
        assert result["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert not manifest["errors"]
        assert page.console_errors == []
        context.close()

    def test_camille_rereads_a_story_offline_with_the_saved_copy_notice(self, new_page, cast):
        story = make_story(cast.hugo, title="Un parapluie prêté", body="Il pleuvait très fort.")
        page = new_page(locale="fr-FR", device=PHONE)
        log_in(page, "camille")
        page.goto("/stories/")
        wait_for_service_worker(page)
        page.goto(story.get_absolute_url())  # read once, online: the worker keeps a copy
        assert not page.locator("#offline-notice").is_visible()
        page.wait_for_function(
            "(url) => caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.match(url)))))"
            ".then(found => found.some(Boolean))",
            arg=story.get_absolute_url(),
        )

        page.context.set_offline(True)
        page.goto(story.get_absolute_url())
        assert page.get_by_role("heading", name="Un parapluie prêté").is_visible()
        notice = page.locator("#offline-notice")
        assert notice.is_visible()
        assert notice.text_content().startswith("Hors ligne : copie enregistrée à")

        page.goto("/library/")  # never read: the offline page, in French
        assert page.get_by_role("heading", name="Vous êtes hors ligne").is_visible()
        page.context.set_offline(False)
