"""The report form keeps its photos across a refused submission (as draft photos) and says what
is wrong, through Django's test client; the sweep deletes expired drafts."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from reports.models import DraftPhoto, Report
from tests.reports.conftest import BAD_IMAGES, MADRID, PHOTOS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NEW = "/reports/new/"
EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def upload(path):
    path = path if hasattr(path, "read_bytes") else PHOTOS / path
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="image/jpeg")


def form_data(**fields):
    data = {
        "category": "pothole",
        "description": "路面有个大坑",
        "location": "photo",
        "lat": "",
        "lon": "",
        "address": "人民路12号门口",
        "q__pothole__size": "large",
        "client_request_id": "web-drafts-1",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def kept_tokens(response):
    return re.findall(r'name="draft_photos" value="([^"]+)"', response.content.decode())


def signed_in(client, user):
    client.force_login(user)
    return client


def first_attempt(client, headers=EN, **fields):
    """A submission with a photo and no answer to the required question: refused."""
    data = form_data(q__pothole__size=None, photos=upload("iphone6_gps_madrid.jpg"), **fields)
    response = client.post(NEW, data, headers=headers)
    assert response.status_code == 200
    return response


def test_a_missing_answer_is_named_and_the_photo_is_kept_for_the_resubmit(
    client, world, django_capture_on_commit_callbacks
):
    signed_in(client, world.resident)
    response = first_attempt(client)
    html = response.content.decode()

    # The question says what is wrong, beside it and in the summary at the top, which links to
    # the question's first option.
    message = "Please answer: How big is it?"
    beside = re.search(r'<ul class="errorlist" id="id_q__pothole__size_error">(.*?)</ul>', html)
    assert beside
    assert message in beside.group(1)
    summary = re.search(r'<div class="form-problems".*?</div>', html, re.S).group(0)
    assert f'<a href="#id_q__pothole__size_0">{message}</a>' in summary
    assert re.search(r'<fieldset aria-describedby="id_q__pothole__size_error"', html)
    assert re.search(r'<input type="radio" name="q__pothole__size"[^>]*aria-invalid="true"', html)
    # Everything else typed is still there.
    assert "路面有个大坑" in html
    assert 'value="人民路12号门口"' in html
    assert 'name="client_request_id" value="web-drafts-1"' in html

    # The photo is kept, cleaned, and shown to its owner as a thumbnail with a remove control.
    assert not Report.objects.exists()
    [token] = kept_tokens(response)
    draft = DraftPhoto.objects.get(token=token)
    assert draft.owner == world.resident
    assert f'src="/reports/drafts/{token}.jpg"' in html
    assert f'name="remove_draft_photos" value="{token}"' in html
    assert "Photos are not kept" not in html
    thumbnail = client.get(f"/reports/drafts/{token}.jpg")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert "no-store" in thumbnail["Cache-Control"]
    assert "private" in thumbnail["Cache-Control"]
    for stored in (draft.display, draft.thumbnail):
        with default_storage.open(stored.name, "rb") as file, Image.open(file) as image:
            assert not image.getexif()
            assert not {"exif", "icc_profile", "xmp"} & set(image.info)

    # The resident answers and sends again without choosing the file again.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data(draft_photos=token), headers=EN)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.photos.count() == 1
    # The kept photo still gives the location.
    assert report.location_source == "photo"
    assert round(report.lat, 4) == round(MADRID[0], 4)
    assert report.answers == {"size": "large"}
    assert not DraftPhoto.objects.exists()
    assert not default_storage.exists(draft.display.name)
    page = client.get(response["Location"]).content.decode()
    assert f"/reports/photos/{report.photos.get().pk}/thumbnail.jpg" in page


def test_the_missing_answer_is_named_in_chinese(client, world):
    signed_in(client, world.resident)
    response = first_attempt(client, headers=ZH)
    errors = response.context["form"].errors
    assert errors["q__pothole__size"] == ["请回答：坑有多大？"]


def test_another_users_token_is_refused_with_a_clear_error(client, world):
    signed_in(client, world.resident)
    [token] = kept_tokens(first_attempt(client))

    signed_in(client, world.neighbour)
    assert client.get(f"/reports/drafts/{token}.jpg").status_code == 404
    response = client.post(
        NEW, form_data(draft_photos=token, client_request_id="theirs"), headers=EN
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["photos"] == [
        "A photo kept from an earlier attempt is no longer available (it expired, or it is not "
        "yours): choose it again."
    ]
    assert kept_tokens(response) == []
    assert not Report.objects.exists()
    # Removing it is no more possible than using it.
    client.post(NEW, form_data(remove_draft_photos=token, client_request_id="x"), headers=EN)
    assert DraftPhoto.objects.get(token=token).owner == world.resident

    client.logout()
    response = client.get(f"/reports/drafts/{token}.jpg")
    assert response.status_code == 302


def test_an_expired_draft_is_refused_and_the_sweep_deletes_it(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_DRAFT_PHOTO_HOURS = 24
    signed_in(client, world.resident)
    [token] = kept_tokens(first_attempt(client))
    draft = DraftPhoto.objects.get(token=token)
    assert abs(draft.expires_at - draft.created_at - timedelta(hours=24)) < timedelta(minutes=1)
    DraftPhoto.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(f"/reports/drafts/{token}.jpg").status_code == 404
    response = client.post(NEW, form_data(draft_photos=token), headers=EN)
    assert "no longer available" in response.context["form"].errors["photos"][0]
    assert not Report.objects.exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_reports", stdout=out, verbosity=1)
    assert "Deleted 1 expired draft photo." in out.getvalue()
    assert not DraftPhoto.objects.exists()
    assert not default_storage.exists(draft.display.name)
    assert not default_storage.exists(draft.thumbnail.name)


def test_kept_photos_count_toward_the_limit(client, world, settings):
    settings.REPORTS_MAX_PHOTOS = 2
    signed_in(client, world.resident)
    photos = [upload("iphone6_gps_madrid.jpg"), upload("sample.png")]
    response = client.post(NEW, form_data(q__pothole__size=None, photos=photos), headers=EN)
    tokens = kept_tokens(response)
    assert len(tokens) == 2

    response = client.post(
        NEW, form_data(draft_photos=tokens, photos=upload("nikon_gps_a.jpg")), headers=EN
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["At most 2 photos (3 were sent)."]
    assert kept_tokens(response) == tokens
    assert DraftPhoto.objects.count() == 2

    response = client.post(NEW, form_data(draft_photos=tokens), headers=EN)
    assert response.status_code == 302
    assert Report.objects.get().photos.count() == 2


def test_a_bad_image_is_still_refused_and_the_good_one_kept(client, world):
    signed_in(client, world.resident)
    photos = [upload("iphone6_gps_madrid.jpg"), upload(BAD_IMAGES / "not_an_image.jpg")]
    response = client.post(NEW, form_data(photos=photos), headers=EN)
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [
        "Photo 2: The file is not a photo, or it is damaged."
    ]
    assert not Report.objects.exists()
    [token] = kept_tokens(response)

    response = client.post(NEW, form_data(draft_photos=token), headers=EN)
    assert response.status_code == 302
    assert Report.objects.get().photos.count() == 1


def test_a_removed_photo_is_not_sent_and_is_deleted(client, world):
    signed_in(client, world.resident)
    [token] = kept_tokens(first_attempt(client))
    response = client.post(
        NEW,
        form_data(
            draft_photos=token, remove_draft_photos=token, location="point", lat="40.45", lon="-3.7"
        ),
        headers=EN,
    )
    assert response.status_code == 302
    assert Report.objects.get().photos.count() == 0
    assert not DraftPhoto.objects.exists()


def test_a_forged_token_names_no_photo(client, world):
    signed_in(client, world.resident)
    for forged in ("x" * 500, "../../etc/passwd"):
        response = client.post(NEW, form_data(draft_photos=forged), headers=EN)
        assert response.status_code == 200
        assert "no longer available" in response.context["form"].errors["photos"][0]
    # A NUL byte is refused before any form sees it, as in every other field.
    response = client.post(NEW, form_data(draft_photos="a\x00b"), headers=EN)
    assert response.status_code == 400
    assert "draft_photos" in response.content.decode()
    assert not Report.objects.exists()
