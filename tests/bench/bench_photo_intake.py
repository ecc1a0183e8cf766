"""Photo intake: ``process_photo`` against Pillow used naively on a 12-megapixel iPhone JPEG.

Run with ``./dev bench`` (or ``./dev bench -k photo``). Both sides make the same two JPEGs
(display copy and thumbnail, same edges and qualities); runs are interleaved so that a busy
machine slows both alike, and the medians and their ratio are printed.
"""

import io
import statistics
import time
from pathlib import Path

from PIL import Image, ImageOps

from reports.photos import (
    DISPLAY_QUALITY,
    REPORTS_PHOTO_DISPLAY_EDGE,
    REPORTS_PHOTO_THUMB_EDGE,
    THUMB_QUALITY,
    process_photo,
)
from tests.bench.conftest import report

PHOTO = Path(__file__).resolve().parents[2].parent / "shared/testdata/photos/iphone6_gps_madrid.jpg"
REPEAT = 15


def naive_pillow(
    data,
    display_edge=REPORTS_PHOTO_DISPLAY_EDGE,
    thumb_edge=REPORTS_PHOTO_THUMB_EDGE,
):
    """What one writes with Pillow alone: open, ``exif_transpose`` (which decodes the whole
    picture at full size), then ``thumbnail()`` a copy of it for each size and save it."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    blobs = []
    for edge, quality in ((display_edge, DISPLAY_QUALITY), (thumb_edge, THUMB_QUALITY)):
        copy = upright.copy()
        copy.thumbnail((edge, edge))
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=quality)
        blobs.append(buffer.getvalue())
    return blobs


def interleaved(functions, repeat=REPEAT):
    """Median seconds of each function, called in turn ``repeat`` times after a warm-up."""
    samples = {name: [] for name in functions}
    for fn in functions.values():
        fn()
    for _ in range(repeat):
        for name, fn in functions.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def test_photo_intake_against_naive_pillow():
    data = PHOTO.read_bytes()
    ours = process_photo(data)
    # The same work on both sides: two JPEGs of the same sizes.
    for naive_blob, our_blob in zip(
        naive_pillow(data), (ours.display, ours.thumbnail), strict=True
    ):
        assert _size(naive_blob) == _size(our_blob)

    medians = interleaved(
        {"process_photo": lambda: process_photo(data), "naive": lambda: naive_pillow(data)}
    )
    ratio = medians["process_photo"] / medians["naive"]
    report(
        f"photo intake, {PHOTO.name} ({len(data) / 1e6:.1f} MB, 3264 × 2448), "
        f"median of {REPEAT} interleaved runs",
        [
            (
                "process_photo (draft decode, one decode, metadata, 2 JPEGs)",
                _ms(medians, "process_photo"),
            ),
            ("Pillow naively (exif_transpose, thumbnail() ×2, 2 JPEGs)", _ms(medians, "naive")),
            ("process_photo ÷ naive", f"{ratio:.2f}"),
        ],
    )
    assert ratio < 1.0


def _size(blob):
    with Image.open(io.BytesIO(blob)) as image:
        return image.size


def _ms(medians, name):
    return f"{medians[name] * 1000:.0f} ms"
