"""Every image the platform stores or serves carries no metadata, whatever path it came in by.

Each real photo in ``../shared/testdata/photos`` goes through every upload path — report photos
(the app's GraphQL and the portal form), after photos (staff resolving, in GraphQL and in the
admin), the Wagtail image library (the admin's add view, its multiple-upload view, the
chooser's upload used for reward item images) — and then every file under MEDIA_ROOT and every
image served over HTTP (report photo views, Wagtail renditions) is read back byte by byte.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, re_path, reverse
from django.views.static import serve
from PIL import ExifTags, Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from civic.core.images import CleanImage, clean_image
from reports import services
from reports.models import PhotoKind, Report, ReportPhoto
from rewards.models import RewardItem
from tests.reports.conftest import BAD_IMAGES, PHOTOS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The project's URLs, plus MEDIA_URL served from MEDIA_ROOT as a web server would in production.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", _media), path("", include("civic.urls"))]

PHOTO_NAMES = sorted(p.name for p in PHOTOS.iterdir())
# Bytes that only metadata puts in a file: EXIF (JPEG APP1, HEIF/AVIF item), XMP, ICC (JPEG
# APP2, HEIF ``colr`` box, PNG chunk, WebP chunk, and ``acsp``, the signature inside every ICC
# profile), PNG text and EXIF chunks, Photoshop blocks, and the makers of the test photos.
METADATA_MARKERS = (
    b"Exif",
    b"EXIF",
    b"http://ns.adobe.com/xap",
    b"x:xmpmeta",
    b"ICC_PROFILE",
    b"ICCP",
    b"iCCP",
    b"acsp",
    b"colrprof",
    b"colrrICC",
    b"eXIf",
    b"tEXt",
    b"iTXt",
    b"zTXt",
    b"Photoshop",
    b"Apple",
    b"iPhone",
    b"NIKON",
    b"Nikon",
)
METADATA_INFO_KEYS = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"}
WAGTAIL_RENDITIONS = (
    "original",
    "max-800x600",
    "width-320",
    "fill-120x90",
    "max-165x165",
    "fill-100x100|format-webp",
    "width-200|format-png",
    "width-200|format-avif",
)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.REPORTS_MAX_PHOTOS = len(PHOTO_NAMES)


def uploads():
    return [SimpleUploadedFile(name, (PHOTOS / name).read_bytes()) for name in PHOTO_NAMES]


def makers(name):
    """The camera make, model and software the original names, as bytes."""
    with Image.open(PHOTOS / name) as image:
        exif = image.getexif()
    tags = (ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.Software)
    return {str(exif[tag]).strip("\x00 ").encode() for tag in tags if exif.get(tag)}


# Short values ("8.3", iOS's version) would match compressed pixels by chance.
ALL_MAKERS = {maker for name in PHOTO_NAMES for maker in makers(name) if len(maker) >= 5}


def metadata_in(data):
    """What metadata ``data`` carries: empty when it is only pixels."""
    found = [marker for marker in METADATA_MARKERS if marker in data]
    found += [maker for maker in ALL_MAKERS if maker in data]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        found += sorted(METADATA_INFO_KEYS & set(image.info))
        if image.getexif():
            found.append("getexif")
        # JPEG: no APP segment but the JFIF header (APP1 EXIF/XMP, APP2 ICC/MPF, APP13…).
        found += [marker for marker, _ in getattr(image, "applist", []) if marker != "APP0"]
    return found


def assert_clean(data, where):
    assert data, where
    assert metadata_in(data) == [], where


def assert_media_root_clean():
    """Every file anything stored: originals, report copies, renditions, parked uploads."""
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert files
    for stored in files:
        assert_clean(stored.read_bytes(), stored)
    return files


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    content = getattr(response, "streaming_content", None)
    return b"".join(content) if content is not None else response.content


def assert_served_clean(client, urls):
    assert urls
    for url in urls:
        assert_clean(fetch(client, url), url)


def image_sources(html):
    return [src for src in re.findall(r'<img[^>]+src="([^"]+)"', html) if "/media/" in src]


def test_the_test_photos_carry_the_metadata_we_look_for():
    """The check finds what it is meant to find: the originals are full of it."""
    for name in ("iphone6_gps_madrid.jpg", "iphone11_gps.heic", "nikon_gps_a.jpg"):
        assert metadata_in((PHOTOS / name).read_bytes()), name
    assert {b"Apple", b"NIKON"} <= ALL_MAKERS


# --- report photos and after photos ----------------------------------------------------------


def report_photo_urls(report):
    return [
        reverse("reports:photo", kwargs={"pk": photo.pk, "size": size})
        for photo in ReportPhoto.objects.filter(report=report)
        for size in ("display", "thumbnail")
    ]


def graphql(client, query, variables, files):
    operations = {"query": query, "variables": variables}
    data = {
        "operations": json.dumps(operations),
        "map": json.dumps({str(i): [key] for i, (key, _) in enumerate(files)}),
    }
    for i, (_, upload) in enumerate(files):
        data[str(i)] = upload
    response = client.post("/graphql/", data=data)
    assert response.status_code == 200, response.content[:500]
    return response.json()["data"]


@pytest.mark.urls(__name__)
def test_report_photos_from_the_app_and_after_photos_from_staff(client, world):
    client.force_login(world.resident)
    files = [(f"variables.input.photos.{i}", upload) for i, upload in enumerate(uploads())]
    submitted = graphql(
        client,
        "mutation M($input: SubmitReportInput!) { submitReport(input: $input) "
        "{ errors { code message } report { id photos { url thumbnailUrl } } } }",
        {
            "input": {
                "category": "pothole",
                "description": "路面坑洼",
                "location": {"lat": 40.45, "lon": -3.7},
                "answers": [{"code": "size", "value": "large"}],
                "clientRequestId": "all-photos",
                "photos": [None] * len(files),
            }
        },
        files,
    )["submitReport"]
    assert submitted["errors"] == []
    report = Report.objects.get()
    assert report.photos.filter(kind=PhotoKind.REPORT).count() == len(PHOTO_NAMES)
    served = [photo["url"] for photo in submitted["report"]["photos"]]
    served += [photo["thumbnailUrl"] for photo in submitted["report"]["photos"]]

    services.accept(world.dispatcher, report, message="")
    services.assign(world.dispatcher, report, department=world.roads, handler=world.handler)
    client.force_login(world.handler)
    resolved = graphql(
        client,
        "mutation M($input: ResolveReportInput!) { resolveReport(input: $input) "
        "{ errors { code } report { state } } }",
        {
            "input": {
                "reportId": submitted["report"]["id"],
                "message": "已修补",
                "photos": [None] * len(files),
            }
        },
        [(f"variables.input.photos.{i}", upload) for i, upload in enumerate(uploads())],
    )["resolveReport"]
    assert report.photos.filter(kind=PhotoKind.AFTER).count() == len(PHOTO_NAMES)
    assert resolved == {"errors": [], "report": {"state": "RESOLVED"}}

    assert_media_root_clean()
    assert_served_clean(client, served + report_photo_urls(report))


@pytest.mark.urls(__name__)
def test_report_photos_from_the_portal_form_and_after_photos_from_the_admin(client, world):
    client.force_login(world.resident)
    response = client.post(
        "/reports/new/",
        {
            "category": "pothole",
            "description": "路面有个大坑",
            "location": "point",
            "lat": "40.45",
            "lon": "-3.7",
            "q__pothole__size": "large",
            "client_request_id": "web-all-photos",
            "photos": uploads(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get()
    assert report.photos.count() == len(PHOTO_NAMES)

    services.accept(world.dispatcher, report, message="")
    client.force_login(world.dispatcher)
    response = client.post(
        reverse("report_queue:act", args=[report.pk, "resolve"]),
        {"resolve-message": "已修补完毕", "resolve-photos": uploads()},
    )
    assert response.status_code == 302
    assert report.photos.filter(kind=PhotoKind.AFTER).count() == len(PHOTO_NAMES)

    assert_media_root_clean()
    html = client.get(reverse("report_queue:inspect", args=[report.pk])).content.decode()
    shown = set(re.findall(r'(?:src|href)="(/reports/photos/[^"]+)"', html))
    assert shown == set(report_photo_urls(report))
    assert_served_clean(client, shown)


# --- the Wagtail image library -----------------------------------------------------------------


def rendition_urls(image):
    return [image.get_rendition(spec).url for spec in WAGTAIL_RENDITIONS]


def assert_library_clean(client):
    images = list(get_image_model().objects.all())
    assert len(images) == len(PHOTO_NAMES)
    for image in images:
        # The picture keeps its size and is upright: portrait_orientation6.jpg is stored
        # 600 × 450 and shown turned a quarter.
        with image.open_file() as stored:
            data = stored.read()
        assert image.file_size == len(data)
        with Image.open(io.BytesIO(data)) as decoded:
            assert decoded.size == (image.width, image.height)
        assert not image.file.name.endswith(".heic")  # kept as JPEG, which browsers show
    upright = get_image_model().objects.get(title__startswith="portrait_orientation6")
    assert (upright.width, upright.height) == (450, 600)
    madrid = get_image_model().objects.get(title__startswith="iphone6_gps_madrid")
    assert (madrid.width, madrid.height) == (3264, 2448)  # full size: nothing but metadata lost

    served = [url for image in images for url in rendition_urls(image)]
    for image in images:
        page = client.get(reverse("wagtailimages:edit", args=[image.pk])).content.decode()
        served += image_sources(page)
    assert_media_root_clean()
    assert_served_clean(client, served)


@pytest.fixture
def superuser(make_user):
    return make_user(None, superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.urls(__name__)
def test_wagtail_images_from_the_admin_add_view(admin_client):
    for upload in uploads():
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": upload.name,
                "file": upload,
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 302, (upload.name, response.context["form"].errors)
        assert response["Location"] == reverse("wagtailimages:index"), response["Location"]
    assert_library_clean(admin_client)


@pytest.mark.urls(__name__)
def test_wagtail_images_from_the_multiple_upload_view(admin_client):
    for upload in uploads():
        response = admin_client.post(
            reverse("wagtailimages:add_multiple"),
            {"files[]": upload, "collection": Collection.get_first_root_node().pk},
        )
        assert response.status_code == 200
        assert response.json()["success"], (upload.name, response.json())
    assert_library_clean(admin_client)


@pytest.mark.urls(__name__)
def test_reward_item_images_from_the_chooser_upload(admin_client, world, superuser):
    for n, upload in enumerate(uploads()):
        response = admin_client.post(
            reverse("wagtailimages_chooser:create"),
            {
                "image-chooser-upload-title": upload.name,
                "image-chooser-upload-file": upload,
                "image-chooser-upload-collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 200
        chosen = response.json()
        assert chosen["step"] == "chosen", (upload.name, chosen)
        response = admin_client.post(
            reverse("reward_item_admin:add"),
            {
                "kind": "souvenir",
                "name": f"雨伞{n}",
                "name_en": f"Umbrella {n}",
                "image": chosen["result"]["id"],
                "cost": "40",
                "sort_order": str(n),
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    assert RewardItem.objects.exclude(image=None).count() == len(PHOTO_NAMES)

    admin_client.force_login(world.resident)
    catalogue = admin_client.get("/rewards/catalogue/").content.decode()
    assert len(image_sources(catalogue)) == len(PHOTO_NAMES)
    assert_served_clean(admin_client, image_sources(catalogue))
    admin_client.force_login(superuser)
    assert_library_clean(admin_client)


def test_images_made_in_code_are_cleaned_too():
    """Services and the demo create images without a form: the file is cleaned on save."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile

    for name in ("iphone6_gps_madrid.jpg", "iphone11_gps.heic", "sample.png"):
        data = (PHOTOS / name).read_bytes()
        image = get_image_model().objects.create(
            title=name, file=ImageFile(io.BytesIO(data), name=name)
        )
        with image.open_file() as stored:
            assert_clean(stored.read(), name)
    image = get_image_model()(title="saved first")
    image.file.save("late.jpg", ContentFile((PHOTOS / "nikon_gps_a.jpg").read_bytes()), save=False)
    image.save()
    with image.open_file() as stored:
        assert_clean(stored.read(), image.file.name)
    assert_media_root_clean()


@pytest.mark.parametrize(
    "name", ["not_an_image.jpg", "truncated_jpeg.jpg", "empty.jpg", "decompression_bomb.gif"]
)
@pytest.mark.urls(__name__)
def test_a_file_the_library_cannot_clean_is_a_form_error(admin_client, name):
    upload = SimpleUploadedFile(name, (BAD_IMAGES / name).read_bytes())
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_clean_image_keeps_transparency_and_size():
    transparent = Image.new("RGBA", (40, 30), (255, 0, 0, 0))
    buffer = io.BytesIO()
    transparent.save(buffer, "PNG", icc_profile=b"", pnginfo=None)
    clean = clean_image(buffer.getvalue(), "drawing.png", max_pixels=10_000)
    assert isinstance(clean, CleanImage)
    assert (clean.name, clean.width, clean.height) == ("drawing.png", 40, 30)
    with Image.open(io.BytesIO(clean.content)) as decoded:
        assert decoded.mode == "RGBA"
        assert decoded.getpixel((0, 0))[3] == 0
