"""Photo intake for reports: check an upload, read what its EXIF tells us, and make the two
copies we keep (display size and thumbnail) — upright, in sRGB, and without any metadata.

Pure processing on bytes: no models, no storage. The public never gets the uploaded file
itself, so GPS, camera make and serial numbers stop here (DESIGN.md §5, Photos).

Why the pipeline looks the way it does:

* The byte limit is checked before Pillow sees anything, and the pixel limit from the header
  before any pixel is decoded, so a small file that claims billions of pixels costs nothing.
* Only the formats phones produce are ever decoded; other images are named as unsupported from
  their header alone.
* JPEG is decoded once, at the smallest DCT scale (1/2, 1/4, 1/8) that still covers the display
  size (``Image.draft``): a 12-megapixel photo decodes four times fewer pixels. The thumbnail is
  made from the display copy, never from the original.
* Broken metadata never refuses a good picture: orientation, GPS and time are each read
  defensively and dropped when they make no sense.
"""

import hashlib
import io
import math
import numbers
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pillow_heif
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from civic.errors import DomainError

# HEIC/HEIF comes from iPhones; AVIF is native to Pillow ≥ 11.2 (``features.check("avif")``).
pillow_heif.register_heif_opener()

# Defaults for the settings of the same names (civic/settings.py may override them).
REPORTS_PHOTO_MAX_BYTES = 20 * 1024 * 1024
REPORTS_PHOTO_MAX_PIXELS = 60_000_000
REPORTS_PHOTO_DISPLAY_EDGE = 1600
REPORTS_PHOTO_THUMB_EDGE = 320

DISPLAY_QUALITY = 82
THUMB_QUALITY = 75

# Pillow's format names that we decode. The JPEG opener also returns "MPO", the multi-picture
# JPEGs that many phones write (a JPEG with a depth map or preview after it): a JPEG for us.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF")
_FORMAT_NAMES = {"MPO": "JPEG"}

_ORIENTATION_TAG = ExifTags.Base.Orientation  # 0x0112
_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_WHITE = (255, 255, 255)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoError(DomainError):
    """Base of the photo refusals; they all belong to the ``photos`` field of a report."""

    def __init__(self, message=None, *, field="photos", **kwargs):
        super().__init__(message, field=field, **kwargs)


class PhotoTooLarge(PhotoError):
    code = "photo_too_large"
    default_message = _("The photo is too large.")


class PhotoTooManyPixels(PhotoError):
    code = "photo_too_many_pixels"
    default_message = _("The photo has too many pixels.")


class PhotoUnsupported(PhotoError):
    code = "photo_unsupported"
    default_message = _(
        "This type of image is not supported: send a JPEG, PNG, WebP, HEIC or AVIF photo."
    )


class PhotoUnreadable(PhotoError):
    code = "photo_unreadable"
    default_message = _("The file is not a photo, or it is damaged.")


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes
    thumbnail: bytes
    width: int
    height: int
    original_width: int
    original_height: int
    checksum: str
    source_format: str
    gps: tuple[float, float] | None
    taken_at: datetime | None


def _setting(name):
    return getattr(settings, name, globals()[name])


def process_photo(data: bytes) -> ProcessedPhoto:
    """Check ``data`` and make the copies we keep; raise a ``PhotoError`` subclass otherwise.

    No other exception leaves this function, whatever the bytes: image decoders fail in many
    ways on hostile input (OSError, SyntaxError, struct.error, ValueError…), and to the resident
    they all mean the same thing.
    """
    data = bytes(data)
    max_bytes = _setting("REPORTS_PHOTO_MAX_BYTES")
    if len(data) > max_bytes:
        raise PhotoTooLarge(
            _("The photo is too large: the limit is %(limit)s MB.")
            % {"limit": _megabytes(max_bytes)}
        )
    if not data:
        raise PhotoUnreadable()
    try:
        return _process(data)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning only arrives as an exception when a warnings filter says "error"; our own
        # limit (never above Pillow's) refuses the same pictures in any case.
        raise _too_many_pixels() from None
    except Exception:
        raise PhotoUnreadable() from None


def _megabytes(n):
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


def _pixel_limit():
    """Our limit, never above Pillow's own warning threshold: a picture Pillow would call a
    possible decompression bomb is refused, without changing Pillow's global settings."""
    limit = _setting("REPORTS_PHOTO_MAX_PIXELS")
    if Image.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, Image.MAX_IMAGE_PIXELS)
    return limit


def _too_many_pixels():
    return PhotoTooManyPixels(
        _("The photo has too many pixels: the limit is %(limit)s megapixels.")
        % {"limit": f"{_pixel_limit() / 1e6:g}"}
    )


def _check_pixels(size):
    width, height = size
    if width < 1 or height < 1:
        raise PhotoUnreadable()
    if width * height > _pixel_limit():
        raise _too_many_pixels()


def _process(data):
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        _refuse_other_format(data)
        raise  # not reached: _refuse_other_format always raises
    with image:
        _check_pixels(image.size)
        source_format = _FORMAT_NAMES.get(image.format, image.format)
        exif = _exif(image)
        orientation = _orientation(exif)
        gps = _gps(exif)
        taken_at = _taken_at(exif)
        icc = image.info.get("icc_profile")

        width, height = image.size
        # Orientations 5 to 8 show the picture turned a quarter: width and height swap.
        original_size = (height, width) if orientation in (5, 6, 7, 8) else (width, height)

        target = _fit(image.size, _setting("REPORTS_PHOTO_DISPLAY_EDGE"))
        # For JPEG: decode at the smallest DCT scale that still covers ``target``. A no-op for
        # other formats.
        image.draft("RGB", target)
        image.load()
        display = _flatten(image)
        if display.size != target:
            # Bicubic (as Image.thumbnail): after the DCT-scaled decode the step left is usually
            # small (1632 → 1600 for a 12-megapixel photo), where Lanczos costs 25% more time
            # for no visible gain.
            display = display.resize(target, Image.Resampling.BICUBIC, reducing_gap=3.0)
        elif display is image:
            display = image.copy()  # closing the file drops the pixels of ``image`` itself

    display = _to_srgb(display, icc)
    for method in _TRANSPOSE.get(orientation, ()):
        display = display.transpose(method)

    thumb_size = _fit(display.size, _setting("REPORTS_PHOTO_THUMB_EDGE"))
    thumbnail = (
        display.resize(thumb_size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        if thumb_size != display.size
        else display
    )
    return ProcessedPhoto(
        display=_jpeg(display, DISPLAY_QUALITY),
        thumbnail=_jpeg(thumbnail, THUMB_QUALITY),
        width=display.width,
        height=display.height,
        original_width=original_size[0],
        original_height=original_size[1],
        checksum=hashlib.sha256(data).hexdigest(),
        source_format=source_format,
        gps=gps,
        taken_at=taken_at,
    )


def _refuse_other_format(data):
    """Not one of ours: say "unsupported" when Pillow knows the format from its header (GIF,
    BMP, TIFF…), "unreadable" when nothing does. Only the header is read, never the pixels;
    a header that claims too many pixels is refused as such first (decompression bombs)."""
    try:
        other = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        raise PhotoUnreadable() from None
    with other:
        _check_pixels(other.size)
    raise PhotoUnsupported()


def _fit(size, edge):
    """``size`` scaled down (never up) so that its longest side is at most ``edge``."""
    width, height = size
    longest = max(width, height)
    if longest <= edge:
        return (width, height)
    scale = edge / longest
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def _flatten(image):
    """A mode the resizer and the colour transform handle: RGB, L or CMYK; transparency is
    flattened onto white (a transparent PNG would otherwise turn black in a JPEG)."""
    mode = image.mode
    if mode in ("RGB", "L", "CMYK"):
        return image
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit grey: scale to 8 bits rather than clipping everything above 255 to white.
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode == "P" and "transparency" not in image.info:
        return image.convert("RGB")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, _WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _to_srgb(image, icc):
    """RGB in sRGB. Phones tag photos with their own colour profile (Display P3 on iPhones);
    since the copies carry no profile, browsers read them as sRGB, so convert the pixels
    rather than let the colours go dull. A profile that does not parse is ignored."""
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = profile.profile.xcolor_space.strip()
            if (space, image.mode) in (("RGB", "RGB"), ("CMYK", "CMYK"), ("GRAY", "L")):
                return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB")
        except Exception:  # any failure of a broken profile: fall back to no conversion
            pass
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image, quality):
    """Encode with nothing but pixels: a fresh ``info`` and no exif/icc/comment arguments, so
    no metadata from the upload can be carried over by Pillow's defaults.

    Baseline, not progressive: progressive encoding took five times as long (38 ms against
    7 ms for a 1600 × 1200 photo) for files only 5% smaller."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


# --- metadata: every reader returns a harmless default on any failure -----------------------


def _exif(image):
    try:
        return image.getexif()
    except Exception:
        return Image.Exif()


def _orientation(exif):
    try:
        value = int(exif.get(_ORIENTATION_TAG, 1))
    except Exception:
        return 1
    return value if value in _TRANSPOSE else 1


def _gps(exif):
    """(lat, lon) in degrees, rounded to 6 decimals (about 0.1 m); None when absent or when
    the values make no sense (out of range, missing hemisphere, a void fix, 0/0)."""
    try:
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if _text(ifd.get(ExifTags.GPS.GPSStatus)) == "V":  # "void": no valid fix
            return None
        lat = _degrees(ifd.get(ExifTags.GPS.GPSLatitude), ifd.get(ExifTags.GPS.GPSLatitudeRef))
        lon = _degrees(ifd.get(ExifTags.GPS.GPSLongitude), ifd.get(ExifTags.GPS.GPSLongitudeRef))
    except Exception:
        return None
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return (round(lat, 6), round(lon, 6))


def _text(value):
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ").upper() if isinstance(value, str) else None


def _degrees(value, ref):
    """Degrees, minutes, seconds (EXIF rationals) and an N/S/E/W reference → signed degrees."""
    ref = _text(ref)
    if isinstance(value, numbers.Real):  # one value, degrees only (Pillow unwraps a 1-tuple)
        value = (value,)
    if ref not in ("N", "S", "E", "W") or not isinstance(value, tuple | list):
        return None
    if not 1 <= len(value) <= 3:
        return None
    parts = [float(v) for v in value]
    if not all(math.isfinite(p) and p >= 0 for p in parts):
        return None
    if any(p >= 60 for p in parts[1:]):
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    return -degrees if ref in ("S", "W") else degrees


def _taken_at(exif):
    """When the photo was taken: DateTimeOriginal, with its own UTC offset when the camera wrote
    one (OffsetTimeOriginal), otherwise read in settings.TIME_ZONE. None when missing,
    malformed, or more than a day in the future."""
    try:
        ifd = exif.get_ifd(ExifTags.IFD.Exif)
        raw = _text(ifd.get(ExifTags.Base.DateTimeOriginal))
        if not raw:
            return None
        naive = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
        offset = _offset(ifd.get(ExifTags.Base.OffsetTimeOriginal))
        if offset is not None:
            taken = naive.replace(tzinfo=offset)
        else:
            taken = timezone.make_aware(naive, timezone.get_default_timezone())
    except Exception:
        return None
    if taken > timezone.now() + timedelta(days=1):
        return None
    return taken


def _offset(value):
    """ "+01:00" / "-05:00" → a fixed timezone; None when absent or malformed."""
    text = _text(value)
    if not text or len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes >= 60:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return dt_timezone(-delta if text[0] == "-" else delta)
