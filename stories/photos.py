"""Turn one uploaded photo into safe, re-encoded JPEGs: a full-size image and a thumbnail.

Django's ImageField alone accepts a 100-megapixel image, a truncated JPEG, HTML appended to a JPEG
and a PNG named .jpg, and keeps the camera's GPS position. So we decode the file ourselves, check
its limits, apply its orientation and keep nothing but the pixels.
"""

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
FULL_SIZE = 2048  # longest side of the stored image, px (downscale only)
THUMB_SIZE = 480  # longest side of the thumbnail, px
JPEG_QUALITY = 85

# Pillow's format names. Many camera JPEGs open as MPO (a JPEG with an extra preview frame); a GIF
# gives its first frame. Never SVG: Pillow cannot read it, and it can carry script.
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF", "GIF"})

pillow_heif.register_heif_opener()
# Pillow's default, pinned: if anything turned it on, a half-uploaded photo would be stored as half grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile  # re-encoded JPEG, name "photo.jpg"
    thumbnail: ContentFile  # re-encoded JPEG, name "thumb.jpg"
    width: int  # of `image`
    height: int


def process_photo(upload: UploadedFile) -> ProcessedPhoto:
    """Decode, check limits, apply EXIF orientation, drop all metadata, re-encode.

    Raises ValidationError with code "empty", "too_big", "not_image", "format", "too_many_pixels"
    or "corrupt"; every message names the file.
    """
    name = upload.name or ""
    image = _decode(_read(upload, name), name)
    full = _clean_copy(image, FULL_SIZE)
    thumbnail = _clean_copy(full, THUMB_SIZE)
    return ProcessedPhoto(
        image=ContentFile(_jpeg(full), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg(thumbnail), name="thumb.jpg"),
        width=full.width,
        height=full.height,
    )


def _reject(code: str, message: str, name: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params={"name": name, **params})


def _read(upload: UploadedFile, name: str) -> bytes:
    # Refuse on the announced size before reading anything, then cap the read in case it lied.
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _too_big(name)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise _reject("empty", _("“%(name)s” is empty. Choose the photo again."), name)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big(name)
    return data


def _too_big(name: str) -> ValidationError:
    message = _("“%(name)s” is larger than %(limit)s MB. Use a smaller photo.")
    return _reject("too_big", message, name, limit=MAX_UPLOAD_BYTES // (1024 * 1024))


def _decode(data: bytes, name: str) -> Image.Image:
    """Open and fully decode `data`, upright, checking format and size before the pixels are decoded."""
    # Pillow only warns between its limit and twice its limit: make that a refusal too.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            message = _("“%(name)s” is not a photo we can read. Use a JPEG, PNG, WebP or HEIC image.")
            raise _reject("not_image", message, name) from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(name) from None
        except Exception:
            # A decoder fed untrusted bytes can fail in many ways; a format it recognised but could
            # not parse is a damaged file, not our bug.
            raise _corrupt(name) from None
        if image.format not in ALLOWED_FORMATS:
            message = _("“%(name)s” is a %(format)s file. Use a JPEG, PNG, WebP or HEIC image.")
            raise _reject("format", message, name, format=image.format)
        # The header's dimensions, before a single pixel is decoded.
        if image.width * image.height > MAX_PIXELS:
            raise _too_many_pixels(name)
        try:
            image.load()  # a full decode is what finds truncated and corrupt files
            return ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(name) from None
        except Exception:
            raise _corrupt(name) from None


def _too_many_pixels(name: str) -> ValidationError:
    message = _("“%(name)s” has too many pixels. Use a photo of at most %(limit)s megapixels.")
    return _reject("too_many_pixels", message, name, limit=MAX_PIXELS // 1_000_000)


def _corrupt(name: str) -> ValidationError:
    message = _("“%(name)s” is damaged or incomplete. Export the photo again and retry.")
    return _reject("corrupt", message, name)


def _clean_copy(image: Image.Image, longest_side: int) -> Image.Image:
    """A new RGB image, at most `longest_side` px, transparency on white, without any of `info`."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNGs: converting directly would clip every pixel to white.
        image = image.point(lambda value: value / 256)
    has_alpha = image.has_transparency_data
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    # A fresh image, because Pillow's JPEG writer re-saves a comment it finds in `info`.
    clean = Image.new("RGB", image.size, "white")
    clean.paste(image, mask=image if has_alpha else None)
    return clean


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def device_messages() -> dict[str, str]:
    """The refusals above, for the device to give before sending (static/js/draft-store.js), "%(name)s" kept."""
    return {
        "empty": _("“%(name)s” is empty. Choose the photo again."),
        "not_image": _("“%(name)s” is not a photo we can read. Use a JPEG, PNG, WebP or HEIC image."),
        "too_big": _("“%(name)s” is larger than %(limit)s MB. Use a smaller photo.").replace(
            "%(limit)s", str(MAX_UPLOAD_BYTES // (1024 * 1024))
        ),
    }
