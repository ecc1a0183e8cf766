"""Photo intake against real phone and camera files (../shared/testdata, see its README).

No database: ``process_photo`` works on bytes only.
"""

import hashlib
import io
import struct
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageFile, ImageOps, TiffImagePlugin

from civic.core.errors import ERROR_CODES, DomainError
from reports import photos
from reports.photos import (
    PhotoTooLarge,
    PhotoTooManyPixels,
    PhotoUnreadable,
    PhotoUnsupported,
    ProcessedPhoto,
    process_photo,
)

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
PHOTOS = TESTDATA / "photos"
BAD = TESTDATA / "bad-images"
PHOTO_ERRORS = (PhotoTooLarge, PhotoTooManyPixels, PhotoUnsupported, PhotoUnreadable)


def read(path):
    return Path(path).read_bytes()


def process(name):
    return process_photo(read(PHOTOS / name))


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg_segments(blob):
    """The marker of every JPEG segment up to the start of the scan (APPn, COM, DQT…)."""
    assert blob[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while True:
        assert blob[pos] == 0xFF
        marker = blob[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", blob[pos + 2 : pos + 4])
        pos += 2 + length


def decoded(blob):
    with Image.open(io.BytesIO(blob)) as image:
        image.load()
        return image.copy()


def correlation(a, b):
    """Pearson correlation of two pictures' 32×32 grey versions: compares what the picture
    shows, not its exact colours (the copies are converted to sRGB, the reference is not)."""

    def grey(image):
        return np.asarray(image.convert("L").resize((32, 32)), dtype=float).ravel()

    return float(np.corrcoef(grey(a), grey(b))[0, 1])


# --- metadata read from EXIF ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        # The README's table, to 5 decimals (about 1 m).
        ("iphone6_gps_madrid.jpg", 40.44697, -3.72475),
        ("iphone11_gps.heic", 39.05134, -94.28877),
        ("nikon_gps_a.jpg", 43.46745, 11.88513),
        ("nikon_gps_b.jpg", 43.46708, 11.88454),
    ],
)
def test_gps_is_read_to_five_decimals(name, lat, lon):
    gps = process(name).gps
    assert gps is not None
    assert (round(gps[0], 5), round(gps[1], 5)) == (lat, lon)
    # Stored at 6 decimals, as the files give them: 40°26'49.1" N, 3°43'29.11" W for Madrid.
    assert all(round(v, 6) == v for v in gps)


def test_gps_exact_figures_of_the_madrid_photo():
    lat = 40 + 26 / 60 + 49.1 / 3600
    lon = -(3 + 43 / 60 + 29.11 / 3600)
    assert process("iphone6_gps_madrid.jpg").gps == (round(lat, 6), round(lon, 6))
    assert process("iphone6_gps_madrid.jpg").gps == (40.446972, -3.724753)


@pytest.mark.parametrize(
    "name", ["iphone13_nogps.heic", "portrait_orientation6.jpg", "sample.avif", "sample.png"]
)
def test_no_gps_when_the_photo_has_none(name):
    assert process(name).gps is None


def test_taken_at_without_an_offset_is_read_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    taken = process("iphone6_gps_madrid.jpg").taken_at
    assert timezone.is_aware(taken)
    assert taken == datetime(2015, 4, 10, 20, 12, 23, tzinfo=timezone.get_default_timezone())
    assert taken.utcoffset() == timedelta(hours=2)  # CEST


def test_taken_at_uses_the_offset_the_phone_wrote():
    taken = process("iphone11_gps.heic").taken_at
    assert taken.replace(tzinfo=None) == datetime(2021, 4, 11, 15, 47, 53)
    assert taken.utcoffset() == timedelta(hours=-5)  # OffsetTimeOriginal "-05:00"
    taken = process("iphone13_nogps.heic").taken_at
    assert taken.replace(tzinfo=None) == datetime(2022, 2, 16, 12, 55, 41)
    assert taken.utcoffset() == timedelta(hours=1)


def test_nikon_photos_are_ten_minutes_apart():
    a, b = process("nikon_gps_a.jpg"), process("nikon_gps_b.jpg")
    assert b.taken_at - a.taken_at == timedelta(minutes=9, seconds=41)


def gps_jpeg(gps=None, *, date=None, offset=None):
    """A small JPEG whose EXIF holds the given GPS tags and DateTimeOriginal."""
    exif = Image.Exif()
    if gps is not None:
        exif.get_ifd(0x8825).update(gps)
    if date is not None:
        exif.get_ifd(0x8769)[0x9003] = date
        if offset is not None:
            exif.get_ifd(0x8769)[0x9011] = offset
    return encode(Image.new("RGB", (40, 30), "red"), "JPEG", exif=exif)


R = TiffImagePlugin.IFDRational


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({1: "S", 2: (33.0, 52.0, 4.26), 3: "E", 4: (151.0, 12.0, 36.0)}, (-33.867850, 151.21)),
        (
            {1: "N", 2: (R(40), R(2646, 100), R(0)), 3: "W", 4: (73.0, 59.5, 0.0)},
            (40.441, -73.991667),
        ),
        ({1: "S", 2: (12.5,), 3: "W", 4: (77.25,)}, (-12.5, -77.25)),  # degrees only
        ({1: "N", 2: (40.0, 26.0, 49.1), 4: (3.0, 43.0, 29.11)}, None),  # no E/W reference
        ({1: "N", 2: (40.0, 26.0, 49.1), 3: "X", 4: (3.0, 43.0, 29.11)}, None),  # bad reference
        ({1: "N", 2: (91.0, 0.0, 0.0), 3: "E", 4: (3.0, 0.0, 0.0)}, None),  # latitude > 90
        ({1: "N", 2: (10.0, 0.0, 0.0), 3: "E", 4: (181.0, 0.0, 0.0)}, None),  # longitude > 180
        ({1: "N", 2: (10.0, 75.0, 0.0), 3: "E", 4: (3.0, 0.0, 0.0)}, None),  # 75 minutes
        ({1: "N", 2: (10.0, 0.0, R(0, 0)), 3: "E", 4: (3.0, 0.0, 0.0)}, None),  # 0/0: NaN
        ({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}, None),  # "null island"
        ({1: "N", 2: (10.0, 0.0, 0.0), 3: "E", 4: (3.0, 0.0, 0.0), 9: "V"}, None),  # void fix
        ({1: "N", 2: (1.0, 2.0, 3.0, 4.0), 3: "E", 4: (3.0, 0.0, 0.0)}, None),  # four parts
    ],
)
def test_gps_values_that_make_no_sense_are_dropped(tags, expected):
    assert process_photo(gps_jpeg(tags)).gps == expected


@pytest.mark.parametrize(
    ("date", "offset", "expected"),
    [
        ("2020:07:27 14:46:48", "+05:30", "2020-07-27T14:46:48+05:30"),
        ("2020:07:27 14:46:48", "garbage", "2020-07-27T14:46:48+08:00"),  # site zone instead
        ("0000:00:00 00:00:00", None, None),
        ("1999:99:99 99:99:99", None, None),
        ("2020-07-27", None, None),
        ("2999:01:01 00:00:00", None, None),  # the future
    ],
)
def test_taken_at_that_makes_no_sense_is_dropped(settings, date, offset, expected):
    settings.TIME_ZONE = "Asia/Shanghai"
    taken = process_photo(gps_jpeg(date=date, offset=offset)).taken_at
    assert taken == (datetime.fromisoformat(expected) if expected else None)


# --- orientation ------------------------------------------------------------------------------


def reference_upright(name):
    """What a viewer shows: Pillow's own EXIF transpose of the full decode."""
    with Image.open(PHOTOS / name) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def best_transpose(display, name):
    """Which way of turning the stored pixels looks most like ``display``, and by how far it
    beats the next best (the identity counts as a way)."""
    stored = decoded(read(PHOTOS / name))
    scores = {None: correlation(display, stored)} if stored.size == display.size else {}
    for method in Image.Transpose:
        turned = stored.transpose(method)
        if turned.size == display.size:
            scores[method] = correlation(display, turned)
    ranked = sorted(scores, key=scores.get, reverse=True)
    return ranked[0], scores[ranked[0]] - scores[ranked[1]]


def test_orientation_6_is_stored_upright():
    result = process("portrait_orientation6.jpg")
    display = decoded(result.display)
    assert (result.width, result.height) == display.size == (450, 600)
    assert (result.original_width, result.original_height) == (450, 600)
    assert correlation(display, reference_upright("portrait_orientation6.jpg")) > 0.98
    # Orientation 6 means "turn 90° clockwise to view", which is Pillow's ROTATE_270; each of
    # the other three ways that give a portrait shape scores far lower.
    method, lead = best_transpose(display, "portrait_orientation6.jpg")
    assert method is Image.Transpose.ROTATE_270
    assert lead > 0.25
    # Sky at the top, grass at the bottom: brighter top rows.
    grey = np.asarray(display.convert("L"), dtype=float)
    assert grey[:60].mean() > grey[-60:].mean() + 40
    thumbnail = decoded(result.thumbnail)
    assert thumbnail.size == (240, 320)
    assert correlation(thumbnail, reference_upright("portrait_orientation6.jpg")) > 0.98


def test_orientation_3_is_turned_half_a_turn():
    result = process("landscape_orientation3.jpg")
    display = decoded(result.display)
    assert display.size == (600, 450)
    assert (result.original_width, result.original_height) == (600, 450)
    assert correlation(display, reference_upright("landscape_orientation3.jpg")) > 0.98
    method, lead = best_transpose(display, "landscape_orientation3.jpg")
    assert method is Image.Transpose.ROTATE_180  # not left as stored, not merely flipped
    assert lead > 0.25
    assert (
        correlation(decoded(result.thumbnail), reference_upright("landscape_orientation3.jpg"))
        > 0.98
    )


def red_left_half():
    stored = Image.new("RGB", (40, 30), "blue")
    stored.paste((255, 0, 0), (0, 0, 20, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    return stored, exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_orientation_6_in_every_format(fmt):
    """Pixel check: a picture with a red left half, orientation 6 (turn 90° clockwise to view),
    must come out 30 wide and 40 high with the red on top. (Pillow leaves AVIF's rotation to
    the EXIF tag, as for the others.)"""
    stored, exif = red_left_half()
    result = process_photo(encode(stored, fmt, exif=exif, quality=90))
    assert (result.original_width, result.original_height) == (30, 40)
    display = decoded(result.display)
    assert display.size == (30, 40)
    top, bottom = display.getpixel((15, 5)), display.getpixel((15, 35))
    assert (top[0] > 200, top[2] < 60) == (True, True)  # red
    assert (bottom[2] > 200, bottom[0] < 60) == (True, True)  # blue


def test_heif_is_turned_once_by_libheif_not_again():
    """In HEIF the container's rotation (irot) rules, and libheif applies it while decoding;
    pillow_heif then resets the EXIF tag to 1. pillow_heif's encoder turns an EXIF orientation
    into an irot that shows the pixels as given, so this file is seen as 40 × 30 red-left —
    and must not be turned a second time by its EXIF."""
    stored, exif = red_left_half()
    data = encode(stored, "HEIF", exif=exif, quality=90)
    with Image.open(io.BytesIO(data)) as image:
        assert image.info["original_orientation"] == 6
        assert image.getexif()[0x0112] == 1
    display = decoded(process_photo(data).display)
    assert display.size == (40, 30)
    assert display.getpixel((5, 15))[0] > 200  # red still on the left


def test_broken_orientation_values_are_ignored():
    for value in (0, 9, 65535):
        exif = Image.Exif()
        exif[0x0112] = value
        result = process_photo(encode(Image.new("RGB", (40, 30), "red"), "JPEG", exif=exif))
        assert (result.width, result.height) == (40, 30)


# --- formats and sizes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source_format", "upright", "display"),
    [
        ("iphone6_gps_madrid.jpg", "JPEG", (3264, 2448), (1600, 1200)),
        ("iphone11_gps.heic", "HEIF", (2566, 3313), (1239, 1600)),
        ("iphone13_nogps.heic", "HEIF", (3024, 4032), (1200, 1600)),
        ("nikon_gps_a.jpg", "JPEG", (640, 480), (640, 480)),
        ("nikon_gps_b.jpg", "JPEG", (640, 480), (640, 480)),
        ("portrait_orientation6.jpg", "JPEG", (450, 600), (450, 600)),
        ("landscape_orientation3.jpg", "JPEG", (600, 450), (600, 450)),
        ("sample.avif", "AVIF", (512, 512), (512, 512)),
        ("sample.webp", "WEBP", (128, 128), (128, 128)),
        ("sample.png", "PNG", (128, 128), (128, 128)),
    ],
)
def test_every_sample_photo_is_accepted(name, source_format, upright, display):
    data = read(PHOTOS / name)
    result = process_photo(data)
    assert isinstance(result, ProcessedPhoto)
    assert result.source_format == source_format
    assert (result.original_width, result.original_height) == upright
    assert (result.width, result.height) == display
    assert decoded(result.display).size == display
    thumbnail = decoded(result.thumbnail)
    assert max(thumbnail.size) == min(320, max(display))
    assert decoded(result.display).mode == thumbnail.mode == "RGB"
    assert result.checksum == hashlib.sha256(data).hexdigest()


def test_large_jpeg_is_decoded_once_at_reduced_scale(monkeypatch):
    """12 megapixels decoded at half scale by the JPEG decoder itself (1632 × 1224 ≥ the 1600
    × 1200 display size), once; the thumbnail is made from the display copy."""
    decoders, resizes = [], []
    getdecoder, resize = Image._getdecoder, Image.Image.resize

    def spy_getdecoder(mode, decoder_name, *args, **kwargs):
        decoders.append(decoder_name)
        return getdecoder(mode, decoder_name, *args, **kwargs)

    def spy_resize(self, size, *args, **kwargs):
        resizes.append((self.size, tuple(size)))
        return resize(self, size, *args, **kwargs)

    monkeypatch.setattr(Image, "_getdecoder", spy_getdecoder)
    monkeypatch.setattr(Image.Image, "resize", spy_resize)
    process("iphone6_gps_madrid.jpg")
    assert decoders == ["jpeg"]
    assert resizes == [((1632, 1224), (1600, 1200)), ((1600, 1200), (320, 240))]


def test_every_photo_in_the_folder_is_in_the_table_above():
    names = {p.name for p in PHOTOS.iterdir()}
    assert len(names) == 10


def test_upright_shape_is_kept_for_the_heic_that_libheif_rotates():
    # iphone13_nogps.heic is stored landscape with a rotation that pillow_heif applies while
    # decoding; the EXIF orientation it leaves says 1, so it is not turned a second time.
    result = process("iphone13_nogps.heic")
    assert result.height > result.width


@pytest.mark.parametrize(
    ("display_edge", "thumb_edge", "display", "thumbnail"),
    [
        (1600, 320, (1600, 1200), (320, 240)),
        (500, 100, (500, 375), (100, 75)),
        (800, 800, (800, 600), (800, 600)),
        (5000, 64, (3264, 2448), (64, 48)),  # never enlarged
    ],
)
def test_derivative_edges_follow_the_settings(
    settings, display_edge, thumb_edge, display, thumbnail
):
    settings.REPORTS_PHOTO_DISPLAY_EDGE = display_edge
    settings.REPORTS_PHOTO_THUMB_EDGE = thumb_edge
    result = process("iphone6_gps_madrid.jpg")
    assert (result.width, result.height) == decoded(result.display).size == display
    assert decoded(result.thumbnail).size == thumbnail


def test_small_pictures_are_not_enlarged():
    result = process("sample.png")
    assert decoded(result.display).size == decoded(result.thumbnail).size == (128, 128)


def test_checksum_is_the_sha256_of_the_upload():
    data = read(PHOTOS / "nikon_gps_a.jpg")
    assert process_photo(data).checksum == hashlib.sha256(data).hexdigest()
    assert process_photo(bytearray(data)).checksum == hashlib.sha256(data).hexdigest()


def test_multi_picture_jpeg_counts_as_jpeg():
    image = Image.new("RGB", (64, 48), "green")
    data = encode(image, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert process_photo(data).source_format == "JPEG"


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGBA", (20, 10), (255, 0, 0, 0)),  # fully transparent red
        Image.new("LA", (20, 10), (0, 0)),
        Image.new("P", (20, 10), 0),  # palette entry 0 marked transparent below
    ],
    ids=["RGBA", "LA", "P"],
)
def test_transparency_is_flattened_onto_white(image):
    params = {"transparency": 0} if image.mode == "P" else {}
    for fmt in ("PNG", "WEBP"):
        if fmt == "WEBP" and image.mode == "P":
            continue
        display = decoded(process_photo(encode(image, fmt, **params)).display)
        assert min(display.getpixel((10, 5))) > 245


def test_sixteen_bit_grey_png_keeps_its_tones():
    image = Image.new("I;16", (16, 16), 32768)  # half of 65535
    display = decoded(process_photo(encode(image, "PNG")).display)
    assert 120 < display.getpixel((8, 8))[0] < 136


def test_colour_profile_is_applied_before_it_is_dropped():
    """iPhones tag photos as Display P3; the copies have no profile, so browsers read them as
    sRGB. The pixels must be converted, or saturated colours go dull."""
    with Image.open(PHOTOS / "iphone11_gps.heic") as heic:
        p3 = heic.info["icc_profile"]
    colour = (40, 200, 60)
    result = process_photo(encode(Image.new("RGB", (32, 32), colour), "PNG", icc_profile=p3))
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(p3)),
        ImageCms.createProfile("sRGB"),
    ).getpixel((0, 0))
    got = decoded(result.display).getpixel((16, 16))
    assert all(abs(a - b) <= 4 for a, b in zip(got, expected, strict=True))
    assert any(abs(a - b) > 10 for a, b in zip(got, colour, strict=True))


def test_a_broken_colour_profile_is_ignored():
    data = encode(Image.new("RGB", (32, 32), (10, 20, 30)), "PNG", icc_profile=b"not a profile")
    got = decoded(process_photo(data).display).getpixel((16, 16))
    assert all(abs(a - b) <= 4 for a, b in zip(got, (10, 20, 30), strict=True))


# --- no metadata in what we keep ------------------------------------------------------------

# Start of image, JFIF header, quantisation tables, frame header, Huffman tables, scan: pixels.
PIXEL_SEGMENTS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA}


@pytest.mark.parametrize("name", sorted(p.name for p in PHOTOS.iterdir()))
def test_stored_copies_have_no_metadata(name):
    result = process(name)
    for blob in (result.display, result.thumbnail):
        with Image.open(io.BytesIO(blob)) as image:
            assert image.format == "JPEG"
            assert not image.getexif()
            assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(image.info)
            assert [marker for marker, _ in image.applist] == ["APP0"]  # JFIF's only
        assert set(jpeg_segments(blob)) <= PIXEL_SEGMENTS
        for needle in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"Apple", b"NIKON"):
            assert needle not in blob


def test_the_inputs_did_hold_metadata():
    """So that the test above proves something."""
    assert b"Exif" in read(PHOTOS / "iphone6_gps_madrid.jpg")
    assert b"Apple" in read(PHOTOS / "iphone11_gps.heic")
    assert b"http://ns.adobe.com/xap" in read(PHOTOS / "nikon_gps_a.jpg")
    assert b"ICC_PROFILE" in read(PHOTOS / "portrait_orientation6.jpg")


# --- refusals ----------------------------------------------------------------------------------

ACCEPT = "accept"

# Every file in bad-images/, with what must happen to it.
BAD_IMAGES = {
    "decompression_bomb.gif": PhotoTooManyPixels,  # 44 bytes claiming 4.4 billion pixels
    # 100 × 100 GIF whose later frame overflows the canvas: only its header is read, and it is
    # a GIF, which we do not take.
    "decompression_bomb_extents.gif": PhotoUnsupported,
    "truncated_jpeg.jpg": PhotoUnreadable,
    "not_an_image.jpg": PhotoUnreadable,
    "empty.jpg": PhotoUnreadable,
    # Good pictures with broken metadata: kept, metadata ignored.
    "exif_gps.jpg": ACCEPT,
    "exif_gps_typeerror.jpg": ACCEPT,
    "empty_gps_ifd.jpg": ACCEPT,
    "hopper_bad_exif.jpg": ACCEPT,
    "multiple_exif.jpg": ACCEPT,
}


def test_every_bad_image_has_an_expected_outcome():
    assert {p.name for p in BAD.iterdir()} == set(BAD_IMAGES)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@pytest.mark.parametrize(("name", "expected"), sorted(BAD_IMAGES.items()))
@pytest.mark.parametrize("warnings_as_errors", [False, True], ids=["default", "W-error"])
def test_bad_images(name, expected, warnings_as_errors):
    data = read(BAD / name)
    with warnings.catch_warnings():
        if warnings_as_errors:  # as under `python -W error`: must not change the outcome
            warnings.simplefilter("error")
        if expected is ACCEPT:
            result = process_photo(data)
            assert result.gps is None
            assert decoded(result.display).size == (result.width, result.height)
        else:
            with pytest.raises(expected) as refused:
                process_photo(data)
            assert refused.value.field == "photos"
            assert refused.value.errors[0].code == expected.code


def test_nonsense_exif_date_is_dropped():
    # exif_gps.jpg says it was taken in 2099.
    assert process_photo(read(BAD / "exif_gps.jpg")).taken_at is None


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("GIF", "P"), ("BMP", "RGB"), ("TIFF", "RGB"), ("ICO", "RGBA"), ("PPM", "RGB")],
)
def test_other_image_formats_are_unsupported(fmt, mode):
    with pytest.raises(PhotoUnsupported) as refused:
        process_photo(encode(Image.new(mode, (32, 32)), fmt))
    assert str(refused.value) == str(PhotoUnsupported.default_message)


def test_error_codes_are_registered():
    for error in PHOTO_ERRORS:
        assert issubclass(error, DomainError)
        assert ERROR_CODES[error.code] == error.default_message
    assert [e.code for e in PHOTO_ERRORS] == [
        "photo_too_large",
        "photo_too_many_pixels",
        "photo_unsupported",
        "photo_unreadable",
    ]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
def test_size_limit(settings):
    data = read(PHOTOS / "iphone6_gps_madrid.jpg")  # 1.9 MB
    settings.REPORTS_PHOTO_MAX_BYTES = 1024 * 1024
    with pytest.raises(PhotoTooLarge) as refused:
        process_photo(data)
    assert refused.value.field == "photos"
    assert refused.value.message == "The photo is too large: the limit is 1 MB."
    settings.REPORTS_PHOTO_MAX_BYTES = len(data)
    assert process_photo(data).width == 1600


def test_default_size_limit_is_20_mb(settings):
    del settings.REPORTS_PHOTO_MAX_BYTES
    with pytest.raises(PhotoTooLarge, match="20 MB"):
        process_photo(b"\xff\xd8" + bytes(20 * 1024 * 1024))


@pytest.mark.usefixtures("english")
def test_pixel_limit(settings):
    data = read(PHOTOS / "nikon_gps_a.jpg")  # 640 × 480
    settings.REPORTS_PHOTO_MAX_PIXELS = 640 * 480 - 1
    with pytest.raises(PhotoTooManyPixels) as refused:
        process_photo(data)
    assert refused.value.field == "photos"
    assert "0.307199 megapixels" in refused.value.message
    settings.REPORTS_PHOTO_MAX_PIXELS = 640 * 480
    assert process_photo(data).width == 640


def test_pixel_limit_is_checked_before_any_decoding(settings, monkeypatch):
    decodes = []

    def load(self):
        decodes.append(self)
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    settings.REPORTS_PHOTO_MAX_PIXELS = 1000
    for name in ("iphone6_gps_madrid.jpg", "iphone11_gps.heic", "sample.png", "sample.avif"):
        with pytest.raises(PhotoTooManyPixels):
            process(name)
    assert decodes == []


def test_pillow_limit_below_ours_also_refuses(settings, monkeypatch):
    """Where Pillow would only warn of a decompression bomb, the picture is refused all the
    same, whether or not warnings are errors, and Pillow's global is left as it was."""
    settings.REPORTS_PHOTO_MAX_PIXELS = 60_000_000
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 200_000)
    data = read(PHOTOS / "nikon_gps_a.jpg")  # 307,200 pixels: Pillow warns, does not raise
    for action in ("ignore", "error"):
        with warnings.catch_warnings():
            warnings.simplefilter(action)
            with pytest.raises(PhotoTooManyPixels):
                process_photo(data)
    assert Image.MAX_IMAGE_PIXELS == 200_000
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # 3× over: Pillow raises itself
    with pytest.raises(PhotoTooManyPixels):
        process_photo(data)


def test_pillow_global_limit_is_not_changed():
    before = Image.MAX_IMAGE_PIXELS
    process("nikon_gps_a.jpg")
    with pytest.raises(PhotoTooManyPixels):
        process_photo(read(BAD / "decompression_bomb.gif"))
    assert before == Image.MAX_IMAGE_PIXELS


# --- fuzz: only the four refusals or a result, whatever the bytes ------------------------------

FUZZ = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
NIKON = read(PHOTOS / "nikon_gps_a.jpg")
SMALL_INPUTS = [
    read(PHOTOS / "sample.png"),
    read(PHOTOS / "sample.webp"),
    read(PHOTOS / "sample.avif"),
    read(PHOTOS / "portrait_orientation6.jpg")[:20_000],
    read(BAD / "exif_gps.jpg"),
    read(BAD / "multiple_exif.jpg"),
]


def outcome(data, warnings_as_errors=False):
    """The refusal's code, or "ok"; anything else (another exception) fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error" if warnings_as_errors else "ignore")
            result = process_photo(data)
    except PHOTO_ERRORS as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        assert refused.field == "photos"
        return refused.code
    assert isinstance(result, ProcessedPhoto)
    assert result.display[:2] == b"\xff\xd8"
    return "ok"


@FUZZ
@given(st.binary(max_size=4096), st.booleans())
def test_fuzz_random_bytes(data, warnings_as_errors):
    outcome(data, warnings_as_errors)


@FUZZ
@given(
    st.sampled_from(
        [
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"RIFF\x00\x00\x00\x00WEBPVP8 ",
            b"\x00\x00\x00\x18ftypheic",
            b"\x00\x00\x00\x1cftypavif",
            b"GIF89a",
        ]
    ),
    st.binary(max_size=2048),
    st.booleans(),
)
def test_fuzz_known_signatures_with_garbage(signature, rest, warnings_as_errors):
    outcome(signature + rest, warnings_as_errors)


@FUZZ
@given(st.integers(min_value=0, max_value=len(NIKON)), st.booleans())
def test_fuzz_truncated_jpeg(length, warnings_as_errors):
    # Cut anywhere: in the headers, the EXIF, or the scan.
    outcome(NIKON[:length], warnings_as_errors)


@FUZZ
@given(
    st.sampled_from(SMALL_INPUTS),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
    st.booleans(),
)
def test_fuzz_corrupted_bytes(data, changes, warnings_as_errors):
    corrupted = bytearray(data)
    for position, value in changes:
        corrupted[position % len(corrupted)] = value
    outcome(bytes(corrupted), warnings_as_errors)


def test_a_truncated_real_jpeg_is_unreadable():
    assert outcome(NIKON[: len(NIKON) // 2]) == "photo_unreadable"


def test_defaults_are_module_constants():
    assert photos.REPORTS_PHOTO_MAX_BYTES == 20 * 1024 * 1024
    assert photos.REPORTS_PHOTO_MAX_PIXELS == 60_000_000
    assert photos.REPORTS_PHOTO_DISPLAY_EDGE == 1600
    assert photos.REPORTS_PHOTO_THUMB_EDGE == 320
