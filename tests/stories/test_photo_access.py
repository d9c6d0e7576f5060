"""Photos are served through a view that checks who may see the story, and uploads are limited early."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import Story, StoryPhoto
from tests.factories import jpeg_upload, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(cast) -> StoryPhoto:
    story = make_story(cast.camille, photos=[jpeg_upload()], photo_alt="A shelf of umbrellas")
    return story.photos.get()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class PhotoViewTests:
    def test_a_colleague_gets_the_photo_and_its_thumbnail(self, client, cast, photo):
        client.force_login(cast.hugo)
        response = client.get(photo.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=600"
        with photo.image.open("rb") as stored:
            assert body(response) == stored.read()
        thumbnail = client.get(photo.thumbnail_url)
        assert thumbnail.status_code == 200
        with photo.thumbnail.open("rb") as stored:
            assert body(thumbnail) == stored.read()

    def test_urls_name_the_photo_not_the_file(self, photo):
        assert photo.url == f"/photos/{photo.pk}/full/"
        assert photo.thumbnail_url == f"/photos/{photo.pk}/thumb/"
        assert reverse("stories:photo", args=[photo.pk, "thumb"]) == photo.thumbnail_url

    def test_the_story_page_and_the_edit_page_use_the_view(self, client, cast, photo):
        client.force_login(cast.camille)
        for url in [photo.story.get_absolute_url(), reverse("stories:edit", args=[photo.story_id])]:
            html = client.get(url).content.decode()
            assert photo.thumbnail_url in html, url
            assert "/media/" not in html, url

    def test_files_have_no_public_path(self, client, cast, photo):
        client.force_login(cast.hugo)
        assert client.get(f"/media/{photo.image.name}").status_code == 404

    def test_someone_signed_out_is_sent_to_log_in(self, client, photo):
        response = client.get(photo.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_an_unknown_variant_or_photo_is_404(self, client, cast, photo):
        client.force_login(cast.hugo)
        assert client.get(f"/photos/{photo.pk}/original/").status_code == 404
        assert client.get(f"/photos/{photo.pk + 1000}/full/").status_code == 404

    def test_a_deleted_storys_photos_are_404_for_everyone(self, client, cast, photo):
        services.story_set_status(story=photo.story, status=Story.Status.DELETED)
        for person in [cast.hugo, cast.camille, cast.julien, cast.admin]:
            client.force_login(person)
            assert client.get(photo.url).status_code == 404, person.username
            assert client.get(photo.thumbnail_url).status_code == 404, person.username

    def test_a_hidden_storys_photos_are_for_its_author_and_curators(self, client, cast, photo):
        services.story_set_status(story=photo.story, status=Story.Status.HIDDEN)
        for person, status in [(cast.hugo, 404), (cast.lea, 404), (cast.camille, 200), (cast.julien, 200)]:
            client.force_login(person)
            assert client.get(photo.url).status_code == status, person.username

    def test_it_makes_two_queries_beyond_the_session(self, client, cast, photo, django_assert_num_queries):
        client.force_login(cast.hugo)
        # The session, the person, their permissions (may they see hidden stories?), and the photo joined
        # with its story's visibility.
        with django_assert_num_queries(4):
            assert client.get(photo.url).status_code == 200

    def test_nginx_sends_the_file_when_configured(self, client, cast, photo, settings):
        settings.PHOTOS_X_ACCEL_PREFIX = "/protected-media/"
        client.force_login(cast.hugo)
        response = client.get(photo.thumbnail_url)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/protected-media/{photo.thumbnail.name}"
        assert response["Content-Type"] == "image/jpeg"
        assert response.content == b""


class UploadSizeTests:
    class Unreadable:
        """A request body that must not be read."""

        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    def test_a_60_mb_upload_is_refused_before_its_body_is_read(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(
            "/stories/new/",
            CONTENT_TYPE="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH=str(60 * 1024 * 1024),
            **{"wsgi.input": self.Unreadable()},
            headers={"accept-language": "fr"},
        )
        assert response.status_code == 413
        assert "50 Mo" in response.content.decode()
        assert not Story.objects.exists()

    def test_a_story_with_photos_under_the_limit_is_accepted(self, client, cast):
        client.force_login(cast.camille)
        fields = {"kind": "story", "title": "Photos", "body": "Text", "language": "en", "photo_alt": "x"}
        response = client.post("/stories/new/", {**fields, "photos": [jpeg_upload(), jpeg_upload()]})
        assert response.status_code == 302
        assert StoryPhoto.objects.count() == 2
