"""Staff entering a hotline call in the admin work queue, over HTTP as a dispatcher does it: the
form, the report it files (hotline channel, no reporter account, the caller's contact kept for
staff), retries, refusals shown on the form, and what the public sees of such a report."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from graphql_relay import to_global_id

from reports.models import Channel, Report, State
from tests.reports.conftest import BAD_IMAGES, MADRID, MISSOURI, NIKON_A, photo_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HOTLINE = reverse("report_queue:hotline")
QUEUE = reverse("report_queue:index")
CALLER = "王建国"
PHONE = "+86 138 1234 5678"
EMAIL = "caller@example.org"


@pytest.fixture
def dispatcher(world, as_user):
    return as_user(world.dispatcher)


def call(client, **fields):
    """The form as the dispatcher fills it in: a pothole call in district DW, with a request id
    taken from the rendered form."""
    response = client.get(HOTLINE)
    assert response.status_code == 200
    data = {
        "category": "pothole",
        "q__pothole__size": "large",
        "description": "来电反映：路面有深坑",
        "lat": str(MADRID[0]),
        "lon": str(MADRID[1]),
        "address": "Calle Mayor 1",
        "caller_name": CALLER,
        "caller_phone": PHONE,
        "caller_email": EMAIL,
        "client_request_id": response.context["form"].initial["client_request_id"],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response):
    return response.context["form"].errors


# --- The button and the form ----------------------------------------------------------------------


def test_the_queue_offers_staff_the_hotline_form(dispatcher):
    page = dispatcher.get(QUEUE).content.decode()
    assert f'href="{HOTLINE}"' in page
    assert "Enter a hotline call" in page

    response = dispatcher.get(HOTLINE)
    assert response.status_code == 200
    page = response.content.decode()
    # Each active category with its questions, as the portal's form has them.
    assert 'name="q__pothole__size"' in page
    assert "How big is it? (required)" in page
    assert 'name="caller_phone"' in page
    assert 'name="area"' in page
    request_id = response.context["form"].initial["client_request_id"]
    assert len(request_id) == 32
    assert f'value="{request_id}"' in page
    # A fresh id each time the form opens: two calls are two reports.
    assert dispatcher.get(HOTLINE).context["form"].initial["client_request_id"] != request_id


def test_a_resident_cannot_open_the_form(world, as_user):
    client = as_user(world.resident)
    response = client.get(HOTLINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(HOTLINE, {"category": "pothole", "description": "x"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_an_anonymous_visitor_cannot_open_the_form(world, client):
    response = client.get(HOTLINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Entering a call ------------------------------------------------------------------------------


def test_entering_a_call_files_a_hotline_report(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher))

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_queue:inspect", args=[report.pk])
    assert report.channel == Channel.HOTLINE
    assert report.reporter is None
    assert report.submitted_by == world.dispatcher
    assert report.contact == {"name": CALLER, "phone": PHONE, "email": EMAIL}
    assert report.department == world.roads
    assert report.state == State.SUBMITTED
    assert report.answers == {"size": "large"}
    assert (report.lat, report.lon) == MADRID
    assert report.address == "Calle Mayor 1"
    assert report.is_anonymous is False
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [
        f"Hotline call entered as report #{report.pk}."
    ]

    # The report's page shows staff the caller, how to reach them, and the channel.
    page = dispatcher.get(response["Location"]).content.decode()
    assert CALLER in page
    assert f'href="tel:{PHONE}"' in page
    assert f'href="mailto:{EMAIL}"' in page
    assert "Hotline (entered by staff)" in page
    assert "entered by roads-dispatcher" in page


def test_a_call_is_routed_to_the_department_handling_its_place(world, dispatcher):
    # A fallen tree in district DE goes to parks, which the roads dispatcher does not work for.
    data = call(
        dispatcher,
        category="fallen-tree",
        lat=str(NIKON_A[0]),
        lon=str(NIKON_A[1]),
        q__pothole__size=None,
    )
    response = dispatcher.post(HOTLINE, data)

    report = Report.objects.get()
    assert report.department == world.parks
    assert report.channel == Channel.HOTLINE
    # Its page is not theirs to open, so they go back to the queue, told where it went.
    assert response["Location"] == QUEUE
    [message] = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert f"#{report.pk}" in message
    assert "Parks" in message


def test_a_chosen_area_places_the_call_at_its_centre(world, dispatcher):
    cell = world.areas["DW-G2"]  # lon 0..5, lat 38..45
    response = dispatcher.post(HOTLINE, call(dispatcher, lat="", lon="", area=str(cell.pk)))

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.lat, report.lon) == pytest.approx((41.5, 2.5))
    assert report.area == cell
    assert report.department == world.roads


def test_typed_coordinates_win_over_the_chosen_area(world, dispatcher):
    data = call(dispatcher, area=str(world.areas["DE"].pk))
    dispatcher.post(HOTLINE, data)
    assert (Report.objects.get().lat, Report.objects.get().lon) == MADRID


def test_a_call_with_photos_and_an_anonymous_caller(world, dispatcher):
    photo = SimpleUploadedFile(
        "hole.jpg", photo_bytes("iphone6_gps_madrid.jpg"), content_type="image/jpeg"
    )
    data = call(
        dispatcher,
        category="noise",
        q__pothole__size=None,
        caller_name="",
        is_anonymous="on",
        photos=photo,
    )
    response = dispatcher.post(HOTLINE, data)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.is_anonymous is True
    assert report.photos.count() == 1
    assert report.contact == {"phone": PHONE, "email": EMAIL}


def test_a_double_submit_files_one_report(world, dispatcher):
    data = call(dispatcher)
    first = dispatcher.post(HOTLINE, data)
    second = dispatcher.post(HOTLINE, data)

    report = Report.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("report_queue:inspect", args=[report.pk])
    )


# --- Refusals, shown on the form ------------------------------------------------------------------


def test_a_place_outside_the_city_is_refused_beside_the_coordinates(world, dispatcher):
    data = call(dispatcher, lat=str(MISSOURI[0]), lon=str(MISSOURI[1]))
    response = dispatcher.post(HOTLINE, data)

    assert response.status_code == 200
    assert not Report.objects.exists()
    assert list(errors_of(response)) == ["lat"]
    assert escape(errors_of(response)["lat"][0]) in response.content.decode()
    # What was typed stays on the form, with the same request id for the retry.
    assert response.context["form"]["caller_phone"].value() == PHONE
    assert f'value="{data["client_request_id"]}"' in response.content.decode()


def test_no_place_at_all_is_refused(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, lat="", lon=""))
    assert response.status_code == 200
    assert "lat" in errors_of(response)
    assert not Report.objects.exists()


def test_half_a_coordinate_is_refused(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, lon=""))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["lon"]
    assert not Report.objects.exists()


def test_a_missing_required_answer_is_refused_beside_the_question(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, q__pothole__size=None))

    assert response.status_code == 200
    assert not Report.objects.exists()
    assert list(errors_of(response)) == ["q__pothole__size"]
    assert escape(errors_of(response)["q__pothole__size"][0]) in response.content.decode()


def test_a_bad_phone_number_is_refused(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, caller_phone="call me maybe"))

    assert response.status_code == 200
    assert not Report.objects.exists()
    assert errors_of(response)["caller_phone"] == [
        "Enter a phone number of digits, optionally starting with +."
    ]


def test_anonymity_is_refused_where_the_category_does_not_allow_it(world, dispatcher):
    data = call(
        dispatcher, category="dumping", q__pothole__size=None, caller_name="", is_anonymous="on"
    )
    response = dispatcher.post(HOTLINE, data)

    assert response.status_code == 200
    assert not Report.objects.exists()
    assert list(errors_of(response)) == ["is_anonymous"]


def test_an_anonymous_callers_name_is_not_recorded(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, category="noise", is_anonymous="on"))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["caller_name"]
    assert not Report.objects.exists()


def test_a_category_not_handled_at_the_place_is_refused_beside_the_category(world, dispatcher):
    # Graffiti is handled by sanitation, which serves district DW only.
    data = call(
        dispatcher,
        category="graffiti",
        q__pothole__size=None,
        lat=str(NIKON_A[0]),
        lon=str(NIKON_A[1]),
    )
    response = dispatcher.post(HOTLINE, data)
    assert response.status_code == 200
    assert list(errors_of(response)) == ["category"]
    assert not Report.objects.exists()


def test_a_bad_photo_is_refused_beside_the_photos(world, dispatcher):
    bad = SimpleUploadedFile(
        "bad.jpg", (BAD_IMAGES / "not_an_image.jpg").read_bytes(), content_type="image/jpeg"
    )
    response = dispatcher.post(HOTLINE, call(dispatcher, photos=bad))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["photos"]
    assert errors_of(response)["photos"][0].startswith("Photo 1:")
    assert not Report.objects.exists()


def test_an_unknown_category_and_a_missing_description_are_refused(world, dispatcher):
    response = dispatcher.post(HOTLINE, call(dispatcher, category="volcano"))
    assert response.status_code == 200
    assert "category" in errors_of(response)

    response = dispatcher.post(HOTLINE, call(dispatcher, description=""))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["description"]
    assert not Report.objects.exists()


# --- What others see ------------------------------------------------------------------------------


def _entered(dispatcher):
    dispatcher.post(HOTLINE, call(dispatcher))
    return Report.objects.get()


def test_the_public_page_never_shows_the_caller(world, dispatcher):
    report = _entered(dispatcher)
    for user in (None, world.resident, world.other_staff):
        visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            visitor.force_login(user)
        response = visitor.get(f"/reports/{report.pk}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "路面有深坑" in page  # the report itself is shown…
        for secret in (CALLER, PHONE, EMAIL, "138 1234"):
            assert secret not in page  # …its caller is not


REPORT_QUERY = """
query R($id: ID!) {
  report(id: $id) { number description reporterName staff { reporter { name phone email } } }
}"""


def _graphql(client, report):
    response = client.post(
        "/graphql/",
        data=json.dumps(
            {"query": REPORT_QUERY, "variables": {"id": to_global_id("Report", report.pk)}}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response


def test_the_api_never_shows_the_caller_to_the_public(world, dispatcher):
    report = _entered(dispatcher)
    for user in (None, world.resident):
        visitor = Client()
        if user is not None:
            visitor.force_login(user)
        response = _graphql(visitor, report)
        body = response.json()
        assert body["data"]["report"] == {
            "number": report.pk,
            "description": "来电反映：路面有深坑",
            "reporterName": None,
            "staff": None,
        }
        for secret in (CALLER, PHONE, EMAIL):
            assert secret not in response.content.decode()

    # Staff of its department do get the caller's details through the API.
    staff = Client()
    staff.force_login(world.supervisor)
    reporter = _graphql(staff, report).json()["data"]["report"]["staff"]["reporter"]
    assert reporter == {"name": CALLER, "phone": PHONE, "email": EMAIL}
