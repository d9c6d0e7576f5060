"""Photos in S3-compatible object storage: a real S3 server (moto's, over HTTP on loopback), not a mock."""

import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.urls import reverse

from config.settings import s3_storage
from stories import services
from stories.models import Story, StoryPhoto
from tests.factories import jpeg_upload
from tests.operations.servers import free_port, running

BUCKET = "stories-photos"
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)]
    with running(command, port=port, log=tmp_path_factory.mktemp("moto") / "moto.log"):
        endpoint = f"http://127.0.0.1:{port}"
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET)
        yield endpoint, s3


@pytest.fixture
def photos_in_s3(settings, s3_endpoint):
    endpoint, s3 = s3_endpoint
    environ = {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_ADDRESSING_STYLE": "path", **KEYS}
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    return s3


@pytest.mark.django_db
class ObjectStorageTests:
    def test_a_story_posted_with_a_photo_is_read_back_through_the_photo_view(
        self, client, cast, photos_in_s3, settings
    ):
        client.force_login(cast.camille)
        fields = {"kind": "story", "title": "Umbrellas", "body": "By the door", "language": "en", "photo_alt": "x"}
        assert client.post("/stories/new/", {**fields, "photos": [jpeg_upload()]}).status_code == 302
        photo = StoryPhoto.objects.get()
        stored = photos_in_s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
        assert stored[:2] == b"\xff\xd8"  # the re-encoded JPEG is in the bucket
        assert not Path(settings.MEDIA_ROOT).exists()  # nothing on local disk

        client.force_login(cast.hugo)
        response = client.get(photo.url)
        assert response.status_code == 302
        signed = response["Location"]
        assert signed.startswith(f"{photos_in_s3.meta.endpoint_url}/{BUCKET}/{photo.image.name}?")
        assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
        assert response["Cache-Control"] == "private, max-age=150"
        with urllib.request.urlopen(signed) as answer:  # noqa: S310 (our loopback server)
            assert answer.read() == stored

        thumbnail = client.get(photo.thumbnail_url)
        assert thumbnail.status_code == 302
        assert photo.thumbnail.name in thumbnail["Location"]

    def test_a_deleted_storys_photo_gets_no_signed_url(self, client, cast, photos_in_s3):
        client.force_login(cast.camille)
        fields = {"kind": "story", "title": "Gone", "body": "Soon", "language": "en", "photo_alt": "x"}
        client.post("/stories/new/", {**fields, "photos": [jpeg_upload()]})
        photo = StoryPhoto.objects.get()
        services.story_set_status(story=Story.objects.get(), status=Story.Status.DELETED)
        assert client.get(photo.url).status_code == 404

    def test_removing_a_photo_removes_its_objects(self, client, cast, photos_in_s3, django_capture_on_commit_callbacks):
        client.force_login(cast.camille)
        fields = {"kind": "story", "title": "Edit me", "body": "Text", "language": "en", "photo_alt": "x"}
        client.post("/stories/new/", {**fields, "photos": [jpeg_upload()]})
        story, photo = Story.objects.get(), StoryPhoto.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("stories:edit", args=[story.pk]),
                {**fields, f"photo-{photo.pk}-alt_text": "x", f"photo-{photo.pk}-remove": "on"},
            )
        assert response.status_code == 302
        listed = photos_in_s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        assert photo.image.name not in {item["Key"] for item in listed}


@pytest.mark.django_db
class ObjectStorageBackupTests:
    def test_a_backup_takes_the_photos_from_the_bucket(self, client, cast, photos_in_s3, tmp_path):
        from django.core.management import call_command

        from tests.operations.backup_facts import facts
        from tests.operations.test_backup import comparable, facts_of, manage

        client.force_login(cast.camille)
        fields = {"kind": "story", "title": "Umbrellas", "body": "By the door", "language": "en", "photo_alt": "x"}
        client.post("/stories/new/", {**fields, "photos": [jpeg_upload(), jpeg_upload(size=(300, 200))]})
        source = facts()
        assert len(source["photos"]) == 4
        archive = tmp_path / "backup.tar.gz"
        call_command("backup", str(archive))
        target = {"database_url": "", "var_dir": tmp_path / "sqlite", "media_root": tmp_path / "media"}
        result = manage("restore", str(archive), **target)
        assert result.returncode == 0, result.stderr
        assert comparable(facts_of(**target), same_engine=False) == comparable(source, same_engine=False)
