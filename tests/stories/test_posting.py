import pytest
from django.urls import reverse
from PIL import Image

from stories.models import Story, StoryRevision
from tests.factories import gps_exif, jpeg_upload, make_pillar, make_story

pytestmark = pytest.mark.django_db


def story_data(**kw) -> dict:
    data = {"kind": "attention", "title": "An umbrella for the walk home", "body": "It was pouring.",
            "tags": "Pluie, Parapluie", "language": "en"}  # fmt: skip
    data.update(kw)
    return data


class PostStoryTests:
    def test_it_publishes_and_redirects_to_the_story(self, client, cast):
        pillar = make_pillar()
        client.force_login(cast.camille)
        response = client.post(reverse("stories:new"), story_data(pillar=pillar.pk))
        story = Story.objects.get()
        assert response.status_code == 302
        assert response["Location"] == story.get_absolute_url()
        assert story.author == cast.camille
        assert story.store == cast.paris
        assert story.kind == "attention"
        assert story.pillar == pillar
        assert sorted(story.tags.names()) == ["parapluie", "pluie"]
        assert story.body_html == "<p>It was pouring.</p>\n"
        assert story.hot_score > 0

    def test_it_keeps_photos_without_metadata(self, client, cast):
        client.force_login(cast.camille)
        upload = jpeg_upload("IMG_0001.jpg", exif=gps_exif())
        client.post(reverse("stories:new"), {**story_data(), "photos": [upload], "photo_alt": "A red umbrella"})
        photo = Story.objects.get().photos.get()
        with Image.open(photo.image.path) as image:
            assert not image.getexif()
            assert "exif" not in image.info
            assert image.size == (480, 640)  # orientation applied
        assert photo.alt_text == "A red umbrella"
        assert "IMG_0001" not in photo.image.name

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("title", "", "Give your story a title."),
            ("title", "   ", "Give your story a title."),
            ("title", "x" * 121, "at most 120 characters"),
            ("body", "", "Tell what happened."),
            ("body", "y" * 10_001, "under 10,000 characters"),
            ("title", "Null\x00byte", "Null characters are not allowed."),
            ("body", "Bell\x07char", "invisible control characters"),
            ("kind", "poem", "Select a valid choice"),
            ("tags", ", ".join(f"t{i}" for i in range(11)), "at most 10 tags"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_the_text_kept(self, client, cast, field, value, message):
        client.force_login(cast.camille)
        data = story_data(**{field: value})
        response = client.post(reverse("stories:new"), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page, page[:3000]
        assert Story.objects.count() == 0
        if field != "body":
            assert "It was pouring." in page

    def test_a_french_person_gets_the_message_in_french(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(reverse("stories:new"), story_data(title=""), headers={"accept-language": "fr"})
        assert "Donnez un titre à votre histoire." in response.content.decode()

    def test_bad_photos_are_named_and_nothing_is_saved(self, client, cast):
        client.force_login(cast.camille)
        fake = jpeg_upload("notes.jpg")
        fake.file.seek(0)
        fake.file.truncate()
        fake.file.write(b"<html><script>alert(1)</script></html>")
        fake.size = 40
        fake.file.seek(0)
        response = client.post(reverse("stories:new"), {**story_data(), "photos": [fake]})
        assert response.status_code == 200
        assert "notes.jpg" in response.content.decode()
        assert Story.objects.count() == 0

    def test_more_than_six_photos_are_refused(self, client, cast):
        client.force_login(cast.camille)
        uploads = [jpeg_upload(f"p{i}.jpg", size=(32, 32)) for i in range(7)]
        response = client.post(reverse("stories:new"), {**story_data(), "photos": uploads})
        assert "at most 6 photos" in response.content.decode()
        assert Story.objects.count() == 0

    def test_markdown_script_and_javascript_links_are_inert(self, client, cast):
        client.force_login(cast.camille)
        body = '<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(1)">'
        client.post(reverse("stories:new"), story_data(body=body))
        story = Story.objects.get()
        page = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page
        assert 'href="javascript:' not in page
        assert "<img src=x" not in page

    def test_a_head_office_person_cannot_write_a_guestbook_entry_from_the_form(self, client, cast):
        cast.julien.store = None
        cast.julien.save()
        client.force_login(cast.julien)
        response = client.post(reverse("stories:new"), story_data(kind="guestbook"))
        assert response.status_code == 200
        assert Story.objects.count() == 0

    def test_a_person_without_a_role_cannot_post(self, client, cast):
        cast.camille.groups.clear()
        client.force_login(cast.camille)
        assert client.get(reverse("stories:new")).status_code == 403
        assert client.post(reverse("stories:new"), story_data()).status_code == 403
        assert Story.objects.count() == 0


class EditStoryTests:
    def test_the_author_edits_and_the_history_keeps_both_versions(self, client, cast):
        story = make_story(cast.camille, title="First title", body="First text")
        client.force_login(cast.camille)
        response = client.post(
            reverse("stories:edit", args=[story.pk]), story_data(title="Second title", body="Second text")
        )
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.title == "Second title"
        revision = StoryRevision.objects.get(story=story)
        assert (revision.title, revision.body, revision.editor) == ("First title", "First text", cast.camille)
        history = client.get(reverse("stories:history", args=[story.pk])).content.decode()
        assert "First text" in history and "Second text" in history

    def test_someone_else_cannot_edit_or_delete(self, client, cast):
        story = make_story(cast.camille, title="Mine")
        client.force_login(cast.hugo)
        assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 403
        assert client.post(reverse("stories:edit", args=[story.pk]), story_data(title="Hacked")).status_code == 403
        assert client.post(reverse("stories:delete", args=[story.pk])).status_code == 403
        assert client.get(reverse("stories:history", args=[story.pk])).status_code == 403
        story.refresh_from_db()
        assert (story.title, story.status) == ("Mine", "published")
        assert not StoryRevision.objects.exists()

    def test_a_curator_may_edit_for_moderation(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.julien)
        response = client.post(reverse("stories:edit", args=[story.pk]), story_data(title="Tidied"))
        assert response.status_code == 302
        assert StoryRevision.objects.get().editor == cast.julien

    def test_photos_can_be_described_and_removed(self, client, cast):
        story = make_story(cast.camille, photos=[], title="With photos")
        client.force_login(cast.camille)
        client.post(
            reverse("stories:edit", args=[story.pk]), {**story_data(), "photos": [jpeg_upload(), jpeg_upload()]}
        )
        first, second = story.photos.all()
        data = {
            **story_data(),
            f"photo-{first.pk}-alt_text": "A wrapped gift",
            f"photo-{second.pk}-alt_text": second.alt_text,
            f"photo-{second.pk}-remove": "on",
        }
        assert client.post(reverse("stories:edit", args=[story.pk]), data).status_code == 302
        assert list(story.photos.values_list("alt_text", flat=True)) == ["A wrapped gift"]

    def test_a_bad_edit_changes_nothing(self, client, cast):
        story = make_story(cast.camille, title="Kept")
        client.force_login(cast.camille)
        response = client.post(reverse("stories:edit", args=[story.pk]), story_data(title="\x00"))
        assert response.status_code == 200
        story.refresh_from_db()
        assert story.title == "Kept"
        assert not StoryRevision.objects.exists()


class DeleteAndHideTests:
    def test_the_author_deletes_softly(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.camille)
        assert client.post(reverse("stories:delete", args=[story.pk])).status_code == 302
        story.refresh_from_db()
        assert story.status == "deleted"
        assert client.get(story.get_absolute_url()).status_code == 404
        assert story.title not in client.get(reverse("stories:feed")).content.decode()

    def test_a_curator_hides_and_the_author_still_sees_it(self, client, cast):
        story = make_story(cast.camille, title="Hide me")
        client.force_login(cast.julien)
        assert client.post(reverse("stories:hide", args=[story.pk]), {"reason": "Names a customer"}).status_code == 302
        story.refresh_from_db()
        assert story.status == "hidden"
        client.force_login(cast.hugo)
        assert client.get(story.get_absolute_url()).status_code == 404
        client.force_login(cast.camille)
        assert client.get(story.get_absolute_url()).status_code == 200

    def test_staff_cannot_hide(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:hide", args=[story.pk])).status_code == 403
        assert client.get(reverse("stories:hide", args=[story.pk])).status_code == 403
        story.refresh_from_db()
        assert story.status == "published"

    def test_a_missing_story_is_404(self, client, cast):
        client.force_login(cast.hugo)
        assert client.get("/stories/999999/").status_code == 404
