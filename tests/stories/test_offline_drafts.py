"""Issue 16: a story written offline is kept on the device and sent later with a key, so it is published once."""

import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from stories import services
from stories.models import Story
from tests.factories import jpeg_upload
from tests.stories.test_posting import story_data

pytestmark = pytest.mark.django_db

LATER = {"X-Story-Draft": "later"}


def send_draft(client, key, headers=LATER, **kw):
    return client.post(reverse("stories:new"), {**story_data(**kw), "draft_key": str(key)}, headers=headers)


class OfflineDraftTests:
    def test_a_replayed_draft_is_one_story_and_the_second_answer_names_it(self, client, cast):
        client.force_login(cast.camille)
        key = uuid.uuid4()
        first = send_draft(client, key, photos=[jpeg_upload("a.jpg")])
        second = send_draft(client, key, title="Changed on the way", photos=[jpeg_upload("b.jpg")])
        story = Story.objects.get()
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json() == {"url": story.get_absolute_url(), "title": story.title}
        assert story.draft_key == key
        assert story.title == "An umbrella for the walk home"
        assert story.photos.count() == 1

    def test_a_replay_by_the_plain_form_is_also_one_story(self, client, cast):
        client.force_login(cast.camille)
        key = uuid.uuid4()
        send_draft(client, key)
        response = send_draft(client, key, headers={})
        story = Story.objects.get()
        assert response.status_code == 302
        assert response["Location"] == story.get_absolute_url()

    def test_another_authors_same_key_is_their_own_story(self, client, cast):
        key = uuid.uuid4()
        client.force_login(cast.camille)
        send_draft(client, key)
        client.force_login(cast.hugo)
        response = send_draft(client, key, title="Hugo's own")
        assert Story.objects.count() == 2
        hugos = Story.objects.get(author=cast.hugo)
        assert response.json()["url"] == hugos.get_absolute_url()
        assert hugos.title == "Hugo's own"

    def test_the_service_returns_the_first_story_for_a_key(self, cast):
        key = uuid.uuid4()
        values = {"kind": "story", "title": "Once", "body": "Only once."}
        first = services.story_create(author=cast.camille, draft_key=key, **values)
        again = services.story_create(author=cast.camille, draft_key=key, **{**values, "title": "Twice"})
        assert again.pk == first.pk
        assert Story.objects.count() == 1

    def test_without_a_key_each_post_is_a_story(self, client, cast):
        client.force_login(cast.camille)
        client.post(reverse("stories:new"), story_data())
        client.post(reverse("stories:new"), {**story_data(), "draft_key": ""})
        assert Story.objects.count() == 2
        assert not Story.objects.exclude(draft_key=None).exists()

    def test_a_draft_with_a_file_that_is_not_a_photo_is_refused_with_the_devices_message(self, client, cast):
        client.force_login(cast.camille)
        fake = jpeg_upload("notes.jpg")
        fake.file.seek(0)
        fake.file.truncate()
        fake.file.write(b"just some text, not a photo")
        fake.file.seek(0)
        response = send_draft(client, uuid.uuid4(), photos=[fake])
        assert response.status_code == 400
        expected = "“notes.jpg” is not a photo we can read. Use a JPEG, PNG, WebP or HEIC image."
        assert response.json() == {"errors": [expected]}
        assert Story.objects.count() == 0
        page = client.get(reverse("stories:new")).content.decode()
        assert 'data-photo-not-image="“%(name)s” is not a photo we can read.' in page

    def test_a_draft_with_a_photo_too_large_is_refused(self, client, cast):
        client.force_login(cast.camille)
        big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + bytes(15 * 1024 * 1024), "image/jpeg")
        response = send_draft(client, uuid.uuid4(), photos=[big])
        assert response.status_code == 400
        assert response.json()["errors"] == ["“big.jpg” is larger than 15 MB. Use a smaller photo."]
        assert Story.objects.count() == 0

    def test_the_device_gets_the_photo_messages_in_french(self, client, cast):
        client.force_login(cast.camille)
        page = client.get(reverse("stories:new"), headers={"accept-language": "fr"}).content.decode()
        assert 'data-photo-too-big="«\xa0%(name)s\xa0» dépasse 15 Mo. Utilisez une photo plus légère."' in page

    def test_a_bad_key_is_refused(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(reverse("stories:new"), {**story_data(), "draft_key": "not-a-uuid"}, headers=LATER)
        assert response.status_code == 400
        assert Story.objects.count() == 0

    def test_a_draft_sent_after_the_session_ended_goes_to_the_sign_in_page(self, client, cast):
        response = send_draft(client, uuid.uuid4())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert Story.objects.count() == 0

    def test_the_page_sending_a_draft_while_waiting_is_thanked_on_the_story_page(self, client, cast):
        client.force_login(cast.camille)
        response = send_draft(client, uuid.uuid4(), headers={"X-Story-Draft": "now"})
        page = client.get(response.json()["url"]).content.decode()
        assert "Thank you! Your story is published." in page

    def test_the_feed_and_the_form_have_a_place_for_drafts(self, client, cast):
        client.force_login(cast.camille)
        for url in (reverse("stories:feed"), reverse("stories:new")):
            page = client.get(url).content.decode()
            assert 'id="drafts"' in page
            assert "js/drafts.js" in page
        assert 'name="draft_key"' in client.get(reverse("stories:new")).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL")
def test_the_same_draft_sent_twice_at_once_is_one_story(cast):
    key = uuid.uuid4()
    values = {"kind": "story", "title": "Once", "body": "Only once."}
    barrier = threading.Barrier(2)
    found = []

    def send():
        barrier.wait()
        try:
            found.append(services.story_create(author=cast.camille, draft_key=key, **values).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Story.objects.count() == 1
    assert found == [Story.objects.get().pk] * 2


def test_the_service_worker_carries_the_draft_store_and_push_handlers(client):
    body = client.get("/sw.js?v=1&lang=fr").content.decode()
    assert body.index("var DraftStore") < body.index('addEventListener("sync"')
    assert 'addEventListener("push"' in body and 'addEventListener("notificationclick"' in body
