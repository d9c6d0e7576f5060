import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, ImageFile

from stories.photos import FULL_SIZE, MAX_UPLOAD_BYTES, THUMB_SIZE, ProcessedPhoto, process_photo

HTML = b"<html><body><script>alert('appended')</script></body></html>"


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20), mode: str = "RGB", color="red", **params) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **params)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces `width` x `height`: a decompression bomb without the memory."""
    png = bytearray(image_bytes("PNG", size=(1, 1), mode="L"))
    # After the 8-byte signature: IHDR's length (4), type (4), data (13: width and height first), CRC (4).
    png[16:24] = struct.pack(">II", width, height)
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    return bytes(png)


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def rejection(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_photo(SimpleUploadedFile(name, content))
    return caught.value


class PhotoProcessingTests:
    def test_it_returns_re_encoded_jpegs(self):
        photo = process_photo(SimpleUploadedFile("shop.png", image_bytes("PNG")))

        assert isinstance(photo, ProcessedPhoto)
        assert photo.image.name == "photo.jpg"
        assert photo.thumbnail.name == "thumb.jpg"
        assert opened(photo.image.read()).format == "JPEG"
        assert opened(photo.thumbnail.read()).format == "JPEG"
        assert (photo.width, photo.height) == (40, 20)

    def test_it_drops_all_metadata_and_applies_the_orientation(self):
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6  # the camera was turned: rotate 90° clockwise to view
        exif[ExifTags.Base.Make] = "PhoneCo"
        exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0)}
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        content = image_bytes("JPEG", exif=exif, icc_profile=icc, comment=b"home", xmp=b"<x:xmpmeta>home</x:xmpmeta>")
        assert opened(content).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really carries a position

        photo = process_photo(SimpleUploadedFile("IMG_0001.jpg", content))

        for output in (photo.image.read(), photo.thumbnail.read()):
            image = opened(output)
            assert not image.getexif()
            assert not {"exif", "icc_profile", "xmp", "comment"} & image.info.keys()
            assert b"Exif" not in output
            assert b"PhoneCo" not in output
            assert b"home" not in output
            assert image.size == (20, 40)
        assert (photo.width, photo.height) == (20, 40)

    def test_it_flattens_transparency_onto_white(self):
        content = image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 0))

        photo = process_photo(SimpleUploadedFile("logo.png", content))

        image = opened(photo.image.read())
        assert image.mode == "RGB"
        assert all(channel > 245 for channel in image.getpixel((10, 10)))

    def test_it_keeps_16_bit_greyscale_grey(self):
        content = image_bytes("PNG", mode="I;16", color=32768)

        photo = process_photo(SimpleUploadedFile("scan.png", content))

        red, green, blue = opened(photo.image.read()).getpixel((10, 10))
        assert 120 < red < 136
        assert red == green == blue

    def test_it_accepts_heic(self):
        # stories.photos registered pillow-heif's opener, which also lets Pillow write HEIF.
        buffer = io.BytesIO()
        try:
            Image.new("RGB", (64, 32), "blue").save(buffer, format="HEIF")
        except (KeyError, OSError, ValueError, RuntimeError) as error:
            pytest.skip(f"pillow_heif cannot encode HEIC in this environment: {error}")

        photo = process_photo(SimpleUploadedFile("IMG_0002.HEIC", buffer.getvalue()))

        assert opened(photo.image.read()).format == "JPEG"
        assert (photo.width, photo.height) == (64, 32)

    @pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
    def test_it_accepts_other_common_formats(self, fmt):
        photo = process_photo(SimpleUploadedFile(f"photo.{fmt.lower()}", image_bytes(fmt)))

        assert opened(photo.image.read()).format == "JPEG"

    def test_it_accepts_a_png_named_jpg(self):
        photo = process_photo(SimpleUploadedFile("really-a-png.jpg", image_bytes("PNG")))

        assert opened(photo.image.read()).format == "JPEG"

    def test_it_re_encodes_away_html_appended_to_a_jpeg(self):
        photo = process_photo(SimpleUploadedFile("polyglot.jpg", image_bytes("JPEG") + HTML))

        for output in (photo.image.read(), photo.thumbnail.read()):
            assert b"<script" not in output
            assert b"alert" not in output
            assert output.endswith(b"\xff\xd9")  # the JPEG ends where its image ends

    def test_it_downscales_keeping_the_aspect_ratio(self):
        photo = process_photo(SimpleUploadedFile("wide.jpg", image_bytes("JPEG", size=(3000, 1500))))

        assert (photo.width, photo.height) == (FULL_SIZE, FULL_SIZE // 2)
        assert opened(photo.image.read()).size == (FULL_SIZE, FULL_SIZE // 2)
        assert opened(photo.thumbnail.read()).size == (THUMB_SIZE, THUMB_SIZE // 2)

    def test_it_reads_from_the_start_of_the_file(self):
        upload = SimpleUploadedFile("read-before.jpg", image_bytes("JPEG"))
        upload.read(10)

        assert process_photo(upload).width == 40

    def test_it_keeps_pillow_strict_about_truncated_files(self):
        assert ImageFile.LOAD_TRUNCATED_IMAGES is False


class PhotoRejectionTests:
    def test_it_rejects_an_empty_file(self):
        error = rejection("empty.jpg", b"")

        assert error.code == "empty"
        assert "empty.jpg" in error.messages[0]

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("notes.jpg", b"Just some notes, not a photo.\n"),
            ("page.jpg", HTML),
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>x()</script></svg>'),
            ("scan.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
        ],
    )
    def test_it_rejects_what_is_not_an_image(self, name, content):
        error = rejection(name, content)

        assert error.code == "not_image"
        assert name in error.messages[0]

    @pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
    def test_it_rejects_image_formats_outside_the_allow_list(self, fmt):
        error = rejection("odd.jpg", image_bytes(fmt, size=(16, 16)))

        assert error.code == "format"
        assert "odd.jpg" in error.messages[0]

    @pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
    def test_it_rejects_a_truncated_file(self, fmt):
        # Noise, so that the second half of the file is pixel data and not padding.
        noisy = io.BytesIO()
        Image.effect_noise((256, 256), 60).convert("RGB").save(noisy, format=fmt)
        content = noisy.getvalue()

        error = rejection("half.jpg", content[: len(content) // 2])

        assert error.code == "corrupt"
        assert "half.jpg" in error.messages[0]

    @pytest.mark.parametrize(
        ("width", "height"),
        [
            (7_000, 7_000),  # over our 40 MP limit, under Pillow's: our header check
            (10_000, 10_000),  # over Pillow's limit: its warning, made an error
            (20_000, 20_000),  # over twice Pillow's limit: its DecompressionBombError
        ],
    )
    def test_it_rejects_too_many_pixels_before_decoding(self, width, height):
        error = rejection("bomb.png", png_claiming(width, height))

        assert error.code == "too_many_pixels"
        assert "bomb.png" in error.messages[0]

    def test_it_treats_pillows_decompression_bomb_warning_as_an_error(self, monkeypatch):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)

        error = rejection("small-bomb.png", image_bytes("PNG", size=(40, 30)))  # 1,200 pixels

        assert error.code == "too_many_pixels"

    def test_it_rejects_too_many_bytes(self):
        error = rejection("huge.jpg", image_bytes("JPEG") + b"\0" * MAX_UPLOAD_BYTES)

        assert error.code == "too_big"
        assert "huge.jpg" in error.messages[0]

    def test_it_rejects_on_the_announced_size_before_reading(self):
        # The content is a valid small photo: only the announced size can refuse it.
        upload = SimpleUploadedFile("announced.jpg", image_bytes("JPEG"))
        upload.size = MAX_UPLOAD_BYTES + 1

        with pytest.raises(ValidationError) as caught:
            process_photo(upload)

        assert caught.value.code == "too_big"

    def test_it_caps_the_read_when_the_announced_size_is_wrong(self):
        upload = SimpleUploadedFile("liar.jpg", image_bytes("JPEG") + b"\0" * MAX_UPLOAD_BYTES)
        upload.size = 1_000

        with pytest.raises(ValidationError) as caught:
            process_photo(upload)

        assert caught.value.code == "too_big"

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_it_names_the_file_in_every_language(self, language):
        # French wording arrives later; whatever the catalogue says, the name must be filled in.
        with translation.override(language):
            error = rejection("vitrine-été.txt", b"plain text")

        message = error.messages[0]
        assert isinstance(message, str)
        assert "vitrine-été.txt" in message
        assert "%(" not in message
