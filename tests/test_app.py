"""Issue 16: the web app manifest, the service worker's script and the offline pages, public and in both languages."""

import json

import pytest

pytestmark = pytest.mark.django_db


class ManifestTests:
    def test_the_manifest_names_the_app_its_icons_and_the_feed(self, client):
        response = client.get("/manifest.webmanifest", headers={"accept-language": "fr"})
        assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.content)
        assert manifest["name"] == "Histoires de service" and manifest["lang"] == "fr"
        assert manifest["start_url"] == "/stories/" and manifest["display"] == "standalone"
        assert manifest["theme_color"] == "#123c69"
        sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
        assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        for icon in manifest["icons"]:
            assert icon["src"].startswith("/static/img/icon")

    def test_pages_link_the_manifest_and_register_the_worker_without_inline_script(self, client, cast):
        client.force_login(cast.camille)
        page = client.get("/stories/").content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert 'data-service-worker="/sw.js?v=' in page
        assert "<script>" not in page


class ServiceWorkerTests:
    def test_served_from_the_root_as_javascript(self, client):
        response = client.get("/sw.js?v=1&lang=fr")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Service-Worker-Allowed"] == "/"
        assert b'addEventListener("fetch"' in response.content
        assert "Content-Security-Policy" in response

    def test_the_offline_page_in_both_languages(self, client):
        assert "You are offline" in client.get("/offline/en/").content.decode()
        assert "Vous êtes hors ligne" in client.get("/offline/fr/").content.decode()
        assert client.get("/offline/de/").status_code == 404
