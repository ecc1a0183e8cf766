"""Pictures without metadata: every image the platform stores passes through here, so GPS,
camera make and serial numbers, XMP, colour profiles and comments never reach storage.

Pure processing on bytes: no models, no storage. Two callers: report photos
(``reports/photos.py``, which also reads the GPS and time before dropping them) and the Wagtail
image library (``civic/portal/image_intake.py``: case-study, reward and any other images).

The picture is re-encoded from its pixels, the only way to be sure nothing else is carried
over: turned upright first (the EXIF orientation is applied, then dropped), converted to sRGB
(the colour profile is applied, then dropped) and encoded with a fresh ``info`` and no
metadata arguments, since several of Pillow's encoders copy ``info`` by default.
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

import pillow_heif
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from civic.core.errors import DomainError

# HEIC/HEIF comes from iPhones; AVIF is native to Pillow ≥ 11.2 (``features.check("avif")``).
pillow_heif.register_heif_opener()

# Pillow's format names that we decode. The JPEG opener also returns "MPO", the multi-picture
# JPEGs that many phones write (a JPEG with a depth map or preview after it): a JPEG for us.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF")
_FORMAT_NAMES = {"MPO": "JPEG"}

# A kept original is written in its own format, except HEIF, which browsers do not show.
_KEPT_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "AVIF": "AVIF", "HEIF": "JPEG"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
# Quality of a kept original: high, since renditions are made from it.
_ORIGINAL_QUALITY = {"JPEG": {"quality": 92}, "WEBP": {"quality": 92}, "AVIF": {"quality": 90}}

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
_QUARTER_TURNS = (5, 6, 7, 8)
_WHITE = (255, 255, 255)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoError(DomainError):
    """Base of the image refusals; for report photos they belong to the ``photos`` field."""

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
class CleanImage:
    """A whole picture, upright, in sRGB, with nothing but pixels; ``name`` ends in the
    extension of the format it is now written in."""

    content: bytes
    name: str
    width: int
    height: int


def refusing_hostile_input(process, data, max_pixels):
    """``process(data)``, with any failure of the decoders turned into a ``PhotoError``.

    Image decoders fail in many ways on hostile input (OSError, SyntaxError, struct.error,
    ValueError…), and to the person uploading they all mean the same thing.
    """
    if not data:
        raise PhotoUnreadable()
    try:
        return process(data)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning only arrives as an exception when a warnings filter says "error"; our own
        # limit (never above Pillow's) refuses the same pictures in any case.
        raise too_many_pixels(max_pixels) from None
    except Exception:
        raise PhotoUnreadable() from None


def clean_image(data: bytes, name: str, *, max_pixels: int) -> CleanImage:
    """The picture in ``data`` at full size, without metadata; raise a ``PhotoError`` when it
    is not a picture we accept. ``name`` is the uploaded file's name, kept but for its
    extension."""
    data = bytes(data)
    return refusing_hostile_input(lambda d: _clean(d, name, max_pixels), data, max_pixels)


def _clean(data, name, max_pixels):
    with open_accepted(data, max_pixels) as image:
        source_format = format_name(image)
        orientation = orientation_of(exif_of(image))
        icc = image.info.get("icc_profile")
        image.load()
        keep_alpha = source_format != "JPEG" and _has_alpha(image)
        picture = _rgba(image) if keep_alpha else flatten(image)
        if picture is image:
            picture = image.copy()  # closing the file drops the pixels of ``image`` itself
    picture = upright(to_srgb(picture, icc), orientation)
    kept_format = _KEPT_FORMATS[source_format]
    content = encode(picture, kept_format, **_ORIGINAL_QUALITY.get(kept_format, {}))
    stem = PurePath(name or "image").stem or "image"
    return CleanImage(
        content=content,
        name=f"{stem}.{_EXTENSIONS[kept_format]}",
        width=picture.width,
        height=picture.height,
    )


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _rgba(image):
    return image if image.mode == "RGBA" else image.convert("RGBA")


def open_accepted(data, max_pixels):
    """The picture opened (header only) when it is in one of our formats and within
    ``max_pixels``; any other file is refused without decoding a pixel."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        _refuse_other_format(data, max_pixels)
        raise  # not reached: _refuse_other_format always raises
    try:
        check_pixels(image.size, max_pixels)
    except PhotoError:
        image.close()
        raise
    return image


def format_name(image):
    return _FORMAT_NAMES.get(image.format, image.format)


def pixel_limit(limit):
    """``limit``, never above Pillow's own warning threshold: a picture Pillow would call a
    possible decompression bomb is refused, without changing Pillow's global settings."""
    if Image.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, Image.MAX_IMAGE_PIXELS)
    return limit


def too_many_pixels(max_pixels):
    return PhotoTooManyPixels(
        _("The photo has too many pixels: the limit is %(limit)s megapixels.")
        % {"limit": f"{pixel_limit(max_pixels) / 1e6:g}"}
    )


def check_pixels(size, max_pixels):
    width, height = size
    if width < 1 or height < 1:
        raise PhotoUnreadable()
    if width * height > pixel_limit(max_pixels):
        raise too_many_pixels(max_pixels)


def _refuse_other_format(data, max_pixels):
    """Not one of ours: say "unsupported" when Pillow knows the format from its header (GIF,
    BMP, TIFF…), "unreadable" when nothing does. Only the header is read, never the pixels;
    a header that claims too many pixels is refused as such first (decompression bombs)."""
    try:
        other = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(max_pixels) from None
    except Exception:
        raise PhotoUnreadable() from None
    with other:
        check_pixels(other.size, max_pixels)
    raise PhotoUnsupported()


def fit(size, edge):
    """``size`` scaled down (never up) so that its longest side is at most ``edge``."""
    width, height = size
    longest = max(width, height)
    if longest <= edge:
        return (width, height)
    scale = edge / longest
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def flatten(image):
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


def to_srgb(image, icc):
    """RGB (or RGBA) in sRGB. Phones tag photos with their own colour profile (Display P3 on
    iPhones); since what we keep carries no profile, browsers read it as sRGB, so convert the
    pixels rather than let the colours go dull. A profile that does not parse is ignored."""
    if image.mode == "RGBA":
        alpha = image.getchannel("A")
        converted = to_srgb(image.convert("RGB"), icc)
        converted.putalpha(alpha)
        return converted
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = profile.profile.xcolor_space.strip()
            if (space, image.mode) in (("RGB", "RGB"), ("CMYK", "CMYK"), ("GRAY", "L")):
                return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB")
        except Exception:  # any failure of a broken profile: fall back to no conversion
            pass
    return image if image.mode == "RGB" else image.convert("RGB")


def orientation_of(exif):
    """The EXIF orientation (1 to 8); 1 when absent or broken."""
    try:
        value = int(exif.get(_ORIENTATION_TAG, 1))
    except Exception:
        return 1
    return value if value in _TRANSPOSE else 1


def exif_of(image):
    """The picture's EXIF; empty when it cannot be read."""
    try:
        return image.getexif()
    except Exception:
        return Image.Exif()


def turns_a_quarter(orientation):
    """Whether the picture is shown turned a quarter: width and height swap."""
    return orientation in _QUARTER_TURNS


def upright(image, orientation):
    for method in _TRANSPOSE.get(orientation, ()):
        image = image.transpose(method)
    return image


def encode(image, format, **params):
    """Encode with nothing but pixels: a fresh ``info`` and no exif/icc/xmp/comment
    arguments, so no metadata from the upload can be carried over by Pillow's defaults."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()
