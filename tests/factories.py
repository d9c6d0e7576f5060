"""Plain factory functions for tests: the smallest object that makes sense, overridable by keyword."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from practices.library import services as practices_services
from practices.models import Standard
from stories import services
from stories.models import Pillar, Story
from stories.photos import process_photo


def make_pillar(**kw) -> Pillar:
    slug = kw.pop("slug", "take-charge")
    defaults = {"name": "Take charge", "name_fr": "Prenez les choses en main", "order": 3}
    return Pillar.objects.get_or_create(slug=slug, defaults={**defaults, **kw})[0]


def make_story(author: User, **kw) -> Story:
    fields = {
        "kind": Story.Kind.STORY,
        "title": "A refund nobody expected",
        "body": "The customer had bought the item elsewhere; we refunded it anyway.",
        "tags": [],
        "language": "en",
    }
    fields.update(kw)
    fields["photos"] = [process_photo(upload) for upload in fields.get("photos", [])]
    return services.story_create(author=author, **fields)


def make_standard(owner: User, **kw) -> Standard:
    """A standard written by `owner`, published (revision 1) unless publish=False."""
    fields = {
        "title": "Lend an umbrella when it rains",
        "summary": "Keep a few umbrellas by the door and lend them without formalities.",
        "practice": "Keep umbrellas near the entrance; lend them with no deposit.",
        "publish": True,
    }
    fields.update(kw)
    return practices_services.standard_create(owner=owner, **fields)


def jpeg_upload(name: str = "photo.jpg", size: tuple[int, int] = (640, 480), exif: bytes | None = None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def gps_exif() -> bytes:
    """EXIF with a GPS position (Paris) and an orientation, like a phone's photo."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 52.0, 12.0), 3: "E", 4: (2.0, 20.0, 5.0)}
    return exif.tobytes()
