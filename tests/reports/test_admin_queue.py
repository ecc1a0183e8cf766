"""The staff's report screens in the Wagtail admin, driven over HTTP as staff use them: the work
queue, a report's page and its action forms, photos, bulk actions and the configuration screens.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from reports import services
from reports.models import (
    Category,
    CategoryQuestion,
    EventKind,
    PhotoKind,
    Report,
    ResponseTemplate,
    RoutingRule,
    State,
)
from tests.reports.conftest import photo_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HOME = reverse("wagtailadmin_home")
REFUSED = "Sorry, you do not have permission to access this area."


def queue_url(**params):
    url = reverse("report_queue:index")
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params, doseq=True)
    return url


def detail_url(report):
    return reverse("report_queue:inspect", args=[report.pk])


def act_url(report, action):
    return reverse("report_queue:act", args=[report.pk, action])


def photo_url(photo, variant="display"):
    return reverse("reports:photo", args=[photo.pk, variant])


def bulk_url(action, reports, **extra):
    from urllib.parse import urlencode

    query = [("id", report.pk) for report in reports] + [("next", queue_url())]
    query += list(extra.items())
    return (
        reverse("wagtail_bulk_action", args=["reports", "report", action]) + "?" + urlencode(query)
    )


def messages_of(response, level=None):
    """The messages a response leaves for the next page (a redirect's) or shows itself."""
    if response.context is not None and "messages" in response.context:
        shown = response.context["messages"]
    else:
        shown = get_messages(response.wsgi_request)
    return [
        str(message).strip() for message in shown if level is None or message.level_tag == level
    ]


def act(client, report, action, data=None):
    """Post one of a report's action forms and land back on the report's page, as staff do."""
    response = client.post(act_url(report, action), data or {}, follow=True)
    assert response.redirect_chain == [(detail_url(report), 302)], response.redirect_chain
    return response


def listed(response):
    return [report.pk for report in response.context["object_list"]]


def fresh(report):
    return Report.objects.get(pk=report.pk)


def upload(name, content_type="image/jpeg"):
    return SimpleUploadedFile(name, photo_bytes(name), content_type=content_type)


# --- The whole loop ----------------------------------------------------------------------------


def test_the_whole_loop_through_the_admin(world, as_user):
    report = services.submit_report(
        world.resident,
        category=world.pothole,
        description="路面塌陷，很危险",
        photos=[photo_bytes("iphone6_gps_madrid.jpg")],
        answers={"size": "large", "depth_cm": "12"},
    )
    client = as_user(world.dispatcher)

    response = client.get(queue_url())
    assert response.status_code == 200
    assert listed(response) == [report.pk]

    response = client.get(detail_url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert "路面塌陷，很危险" in page
    assert "Alice Resident" in page  # staff see who reported (not anonymous)
    assert "How big is it?" in page
    assert "Large" in page
    [photo] = report.photos.all()
    assert photo_url(photo, "thumbnail") in page
    assert photo_url(photo, "display") in page
    assert 'class="area-map"' in page
    assert 'class="report-pin"' in page
    offered = [entry["action"].name for entry in response.context["actions"]]
    assert offered == ["accept", "update", "note", "recategorise", "merge", "reject", "priority"]

    response = act(client, report, "accept", {"accept-message": "收到"})
    assert messages_of(response, "success") == [f"Report #{report.pk} accepted."]
    assert fresh(report).state == State.ACCEPTED

    response = act(
        client,
        report,
        "assign",
        {
            "assign-department": world.roads.pk,
            "assign-handler": world.handler.pk,
            "assign-message": "",
        },
    )
    assert messages_of(response, "success") == [f"Report #{report.pk} assigned."]
    report = fresh(report)
    assert (report.state, report.handler) == (State.ASSIGNED, world.handler)

    client = as_user(world.handler)
    response = client.get(detail_url(report))
    offered = [entry["action"].name for entry in response.context["actions"]]
    assert offered == ["start", "resolve", "update", "note"]  # a handler does not triage
    response = act(client, report, "start", {"start-message": ""})
    assert fresh(report).state == State.IN_PROGRESS

    response = act(
        client,
        report,
        "resolve",
        {
            "resolve-message": "已修补完毕",
            "resolve-photos": [upload("portrait_orientation6.jpg")],
        },
    )
    assert messages_of(response, "success") == [f"Report #{report.pk} resolved."]
    report = fresh(report)
    assert report.state == State.RESOLVED
    [after] = report.photos.filter(kind=PhotoKind.AFTER)
    assert after.event.kind == EventKind.RESOLVED
    assert after.height > after.width  # the EXIF orientation was applied

    services.rate(world.resident, report, rating=4, comment="谢谢")
    assert fresh(report).state == State.CLOSED

    response = as_user(world.dispatcher).get(detail_url(report))
    timeline = response.context["timeline"]
    assert [event.kind for event in timeline] == [
        "submitted",
        "priority",  # "很危险" (dangerous) raised it at intake, said on the staff timeline
        "accepted",
        "assigned",
        "started",
        "resolved",
        "rated",
    ]
    assert [entry["action"].name for entry in response.context["actions"]] == ["update", "note"]
    assert "4 of 5" in response.content.decode()


def test_a_failed_action_shows_the_services_message_and_changes_nothing(world, submit, as_user):
    report = submit()
    services.reject(world.dispatcher, report, reason="not_ours")
    client = as_user(world.dispatcher)

    response = act(client, report, "accept", {"accept-message": ""})
    [error] = messages_of(response, "error")
    assert "Rejected" in error
    assert "Submitted" in error
    assert fresh(report).state == State.REJECTED

    other = submit()
    services.accept(world.dispatcher, other)
    response = act(client, other, "resolve", {"resolve-message": "  "})
    assert messages_of(response, "error") == [
        "Message: Write the message or choose a response template."
    ]
    response = act(
        client,
        other,
        "resolve",
        {"resolve-message": "done", "resolve-photos": [SimpleUploadedFile("x.jpg", b"nope")]},
    )
    [error] = messages_of(response, "error")
    assert error.startswith("Photo 1:")
    assert fresh(other).state == State.ACCEPTED

    # A handler from another department is not even offered, and refused if sent.
    response = act(
        client,
        other,
        "assign",
        {"assign-department": world.roads.pk, "assign-handler": world.other_staff.pk},
    )
    assert messages_of(response, "error")
    assert fresh(other).handler is None

    assert client.post(act_url(other, "fly")).status_code == 404
    assert client.get(act_url(other, "accept")).status_code == 405


def test_internal_notes_and_public_updates_are_marked_on_the_timeline(world, submit, as_user):
    report = submit()
    client = as_user(world.dispatcher)
    act(client, report, "note", {"note-message": "先看看预算"})
    act(client, report, "update", {"update-message": "我们会尽快处理"})

    response = client.get(detail_url(report))
    events = {event.kind: event for event in response.context["timeline"]}
    assert events[EventKind.NOTE].is_public is False
    assert events[EventKind.UPDATE].is_public is True
    page = response.content.decode()
    assert "report-event--internal" in page
    assert "先看看预算" in page
    assert page.count("report-event--public") == 2  # submitted, update


def test_reject_with_a_response_template(world, submit, as_user):
    report = submit()
    ResponseTemplate.objects.create(
        title="Not the city's",
        text="这不属于城市管理范围。",
        text_en="This is not the city's to fix.",
        for_action=EventKind.REJECTED,
    )
    graffiti_only = ResponseTemplate.objects.create(
        title="Graffiti only", text="涂鸦", for_action=EventKind.REJECTED
    )
    graffiti_only.categories.set([world.graffiti])
    client = as_user(world.dispatcher)

    response = client.get(detail_url(report))
    [reject] = [e for e in response.context["actions"] if e["action"].name == "reject"]
    offered = [label for value, label in reject["form"].fields["template"].choices if value]
    assert offered == ["Not the city's"]
    assert 'data-controller="w-sync"' in response.content.decode()

    response = act(
        client,
        report,
        "reject",
        {
            "reject-reason": "not_ours",
            "reject-template": "This is not the city's to fix.",
            "reject-message": "",
        },
    )
    assert messages_of(response, "success") == [f"Report #{report.pk} rejected."]
    report = fresh(report)
    assert report.state == State.REJECTED
    event = report.events.get(kind=EventKind.REJECTED)
    assert (event.message, event.data["reason"]) == ("This is not the city's to fix.", "not_ours")

    # A template that is not offered is refused, not sent.
    other = submit()
    response = act(
        client,
        other,
        "reject",
        {"reject-reason": "not_ours", "reject-template": "涂鸦", "reject-message": ""},
    )
    assert messages_of(response, "error")
    assert fresh(other).state == State.SUBMITTED


def test_merge_a_duplicate_offered_nearby_or_by_number(world, submit, as_user):
    original = submit(lat=40.45, lon=-3.7)
    duplicate = submit(world.neighbour, lat=40.4505, lon=-3.7)  # about 56 m away
    far = submit(lat=40.6, lon=-3.7)
    client = as_user(world.dispatcher)

    response = client.get(detail_url(duplicate))
    [merge] = [e for e in response.context["actions"] if e["action"].name == "merge"]
    assert [value for value, _label in merge["form"].fields["original"].choices] == [original.pk]

    response = act(client, duplicate, "merge", {"merge-original": original.pk})
    assert messages_of(response, "success") == [f"Report #{duplicate.pk} merged as a duplicate."]
    duplicate, original = fresh(duplicate), fresh(original)
    assert (duplicate.state, duplicate.duplicate_of) == (State.DUPLICATE, original)
    assert original.support_count == 1  # the neighbour now supports the original

    third = submit(world.neighbour, lat=40.6005, lon=-3.7)
    response = act(client, third, "merge", {"merge-number": str(far.pk)})
    assert fresh(third).duplicate_of == far

    fourth = submit()
    response = act(client, fourth, "merge", {"merge-number": "999999"})
    assert messages_of(response, "error") == ["There is no report #999999."]
    response = act(client, fourth, "merge", {"merge-number": str(fourth.pk)})
    assert messages_of(response, "error") == [
        "A report can only be merged into another open or fixed report."
    ]
    assert fresh(fourth).state == State.SUBMITTED


def test_recategorise_to_another_departments_category(world, submit, as_user):
    report = submit()
    client = as_user(world.dispatcher)
    response = client.post(
        act_url(report, "recategorise"), {"recategorise-category": world.graffiti.pk}
    )
    assert messages_of(response, "success")
    report = fresh(report)
    assert (report.category, report.department) == (world.graffiti, world.sanitation)
    # Now the sanitation department's: roads staff no longer open it.
    response = client.get(detail_url(report))
    assert (response.status_code, response.url) == (302, HOME)


# --- Bulk actions --------------------------------------------------------------------------------


def test_bulk_accept_reports_what_succeeded_and_what_failed(world, submit, as_user):
    waiting = [submit(), submit(), submit()]
    rejected = submit()
    services.reject(world.dispatcher, rejected, reason="insufficient")
    elsewhere = submit(category=world.graffiti)  # sanitation's
    client = as_user(world.dispatcher)

    url = bulk_url("accept", [*waiting, rejected, elsewhere])
    response = client.get(url)
    assert response.status_code == 200
    assert [entry["item"].pk for entry in response.context["items"]] == sorted(
        r.pk for r in [*waiting, rejected]
    )

    response = client.post(url)
    assert (response.status_code, response.url) == (302, queue_url())
    assert messages_of(response, "success") == ["3 reports accepted."]
    [error] = messages_of(response, "error")
    assert error.startswith(f"1 report was not changed: #{rejected.pk}: The report is Rejected")
    assert {fresh(r).state for r in waiting} == {State.ACCEPTED}
    assert fresh(rejected).state == State.REJECTED
    assert fresh(elsewhere).state == State.SUBMITTED


def test_bulk_assign_to_a_handler(world, submit, as_user):
    reports = [submit(), submit()]
    for report in reports:
        services.accept(world.dispatcher, report)
    client = as_user(world.dispatcher)
    url = bulk_url("assign", reports)

    response = client.get(url)
    assert response.status_code == 200
    handlers = list(response.context["form"].fields["handler"].queryset)
    assert world.handler in handlers
    assert world.other_staff not in handlers

    response = client.post(url, {"handler": world.handler.pk, "message": "今天处理"})
    assert messages_of(response, "success") == ["2 reports assigned to roads-handler."]
    assert {(fresh(r).state, fresh(r).handler) for r in reports} == {
        (State.ASSIGNED, world.handler)
    }


def test_bulk_actions_with_all_in_listing_follow_the_filters(world, submit, as_user):
    overdue, on_time = submit(), submit()
    Report.objects.filter(pk=overdue.pk).update(accept_deadline=timezone.now() - timedelta(hours=1))
    client = as_user(world.dispatcher)
    url = reverse("wagtail_bulk_action", args=["reports", "report", "accept"])
    response = client.post(f"{url}?overdue=yes&id=all&next=/admin/")
    assert messages_of(response, "success") == ["1 report accepted."]
    assert (fresh(overdue).state, fresh(on_time).state) == (State.ACCEPTED, State.SUBMITTED)


def test_a_handler_cannot_bulk_accept(world, submit, as_user):
    report = submit()
    client = as_user(world.handler)
    url = bulk_url("accept", [report])
    response = client.get(url)
    assert response.context["items"] == []
    assert response.context["items_with_no_access"] == [report]
    response = client.post(url, follow=True)
    assert messages_of(response, "success") == []
    assert fresh(report).state == State.SUBMITTED


# --- The queue: filters, ordering, queries -------------------------------------------------------


def test_queue_filters_by_overdue_and_state_and_puts_the_oldest_deadline_first(
    world, submit, as_user
):
    late, fresh_one, accepted = submit(), submit(), submit()
    services.accept(world.dispatcher, accepted)
    Report.objects.filter(pk=late.pk).update(accept_deadline=timezone.now() - timedelta(hours=2))
    closed = submit()
    services.reject(world.dispatcher, closed, reason="not_a_problem")
    client = as_user(world.dispatcher)

    response = client.get(queue_url())
    # Overdue first, then by deadline; a closed report has no deadline and comes last.
    assert listed(response) == [late.pk, fresh_one.pk, accepted.pk, closed.pk]
    page = response.content.decode()
    assert len(re.findall(r'class="w-status w-status--primary">\s*Overdue\s*<', page)) == 1

    assert listed(client.get(queue_url(overdue="yes"))) == [late.pk]
    assert set(listed(client.get(queue_url(overdue="no")))) == {
        fresh_one.pk,
        accepted.pk,
        closed.pk,
    }
    assert listed(client.get(queue_url(state=["accepted"]))) == [accepted.pk]
    assert set(listed(client.get(queue_url(state=["submitted", "rejected"])))) == {
        late.pk,
        fresh_one.pk,
        closed.pk,
    }
    assert listed(client.get(queue_url(category=world.graffiti.pk))) == []
    assert len(listed(client.get(queue_url(district=world.areas["DW"].pk)))) == 4
    assert listed(client.get(queue_url(district=world.areas["DE"].pk))) == []
    assert listed(client.get(queue_url(q=f"#{accepted.pk}"))) == [accepted.pk]
    # The department filter offers the user's departments only.
    response = client.get(queue_url())
    offered = list(response.context["filters"].form.fields["department"].queryset)
    assert offered == [world.roads]
    # A nonsense filter value is a form error, never a 500.
    assert client.get(queue_url(state=["nonsense"], overdue="maybe")).status_code == 200


def test_queue_shows_the_district_and_the_deadline_of_the_current_phase(world, submit, as_user):
    report = submit()
    services.accept(world.dispatcher, report)
    response = as_user(world.dispatcher, "en").get(queue_url())
    [row] = response.context["object_list"]
    assert row.deadline == fresh(report).resolve_deadline
    assert "DW区" in response.content.decode()


def test_queue_queries_do_not_grow_with_the_page_size(world, submit, as_user):
    def queries_for_queue(count):
        Report.objects.all().delete()
        for n in range(count):
            report = submit()
            if n % 3 == 1:
                services.accept(world.dispatcher, report)
                services.assign(world.dispatcher, report, handler=world.handler)
        client = as_user(world.dispatcher)
        client.get(queue_url())  # warms the per-process caches (model version, categories)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(queue_url())
        assert len(response.context["object_list"]) == count
        return len(captured)

    assert queries_for_queue(10) == queries_for_queue(30)


# --- Who sees what --------------------------------------------------------------------------------


def test_staff_of_another_department_are_refused_a_report_and_its_actions(world, submit, as_user):
    report = submit()  # a roads report
    client = as_user(world.other_staff)

    assert listed(client.get(queue_url())) == []
    response = client.get(detail_url(report), follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    assert messages_of(response, "error") == [REFUSED]

    for action, data in [
        ("accept", {}),
        ("reject", {"reject-reason": "not_ours"}),
        ("note", {"note-message": "x"}),
    ]:
        response = client.post(act_url(report, action), data)
        assert (response.status_code, response.url) == (302, HOME)
    report = fresh(report)
    assert report.state == State.SUBMITTED
    assert report.events.count() == 1


def test_a_handler_may_not_triage(world, submit, as_user):
    report = submit()
    client = as_user(world.handler)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    assert [entry["action"].name for entry in response.context["actions"]] == ["note"]
    response = client.post(act_url(report, "accept"))
    assert (response.status_code, response.url) == (302, HOME)
    assert fresh(report).state == State.SUBMITTED


def test_residents_do_not_get_into_the_queue(world, submit, client):
    submit()
    client.force_login(world.resident)
    response = client.get(queue_url())
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_anonymous_reporters_stay_anonymous_to_staff(world, submit, as_user):
    report = submit(is_anonymous=True, description="匿名的坑")
    response = as_user(world.dispatcher).get(detail_url(report))
    page = response.content.decode()
    assert "Alice Resident" not in page
    assert "resident@example.org" not in page
    assert response.context["reporter"] == "A resident"
    submitted = response.context["timeline"][0]
    assert submitted.actor_label == "A resident"


def test_hotline_callers_contact_details_are_shown_to_staff(world, as_user):
    report = services.submit_report(
        world.dispatcher,
        category=world.pothole,
        description="电话报告",
        lat=40.45,
        lon=-3.7,
        answers={"size": "small"},
        channel="hotline",
        contact={"name": "王先生", "phone": "+86 138 0000 0000"},
    )
    response = as_user(world.supervisor).get(detail_url(report))
    page = response.content.decode()
    assert "王先生" in page
    assert "+86 138 0000 0000" in page


# --- Photos ---------------------------------------------------------------------------------------


def test_the_page_shows_photos_through_the_checked_photo_view(world, submit, as_user):
    report = submit(photos=[photo_bytes("iphone6_gps_madrid.jpg")])
    services.reject(world.dispatcher, report, reason="abusive")
    [photo] = report.photos.all()

    # The report is hidden: its photos are for its reporter and its department's staff only.
    assert as_user(world.other_staff).get(photo_url(photo)).status_code == 404
    assert as_user(world.neighbour).get(photo_url(photo)).status_code == 404
    client = as_user(world.dispatcher)
    for variant in ("display", "thumbnail"):
        response = client.get(photo_url(photo, variant))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


# --- Languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "html_lang", "category_name"),
    [("en", 'lang="en"', "Pothole"), ("zh-hans", 'lang="zh-hans"', "道路坑洼")],
)
def test_admin_pages_render_in_english_and_chinese(
    world, submit, as_user, language, html_lang, category_name
):
    report = submit(photos=[photo_bytes("iphone6_gps_madrid.jpg")])
    client = as_user(world.dispatcher, language)
    for url in (queue_url(), detail_url(report), bulk_url("accept", [report])):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert html_lang in page, url
        assert category_name in page, url


def test_the_admin_language_follows_the_users_preference(world, submit, as_user):
    report = submit()
    profile = UserProfile.get_for_user(world.dispatcher)
    profile.preferred_language = "en"
    profile.save()
    response = as_user(world.dispatcher, "zh-hans").get(detail_url(report))
    assert 'lang="en"' in response.content.decode()
    assert "Pothole" in response.content.decode()


# --- Configuration: categories, routing, templates ------------------------------------------------


def category_form(category, questions, *, initial=0):
    data = nested_form_data(
        {
            "service_code": category.service_code,
            "name": category.name,
            "name_en": category.name_en,
            "group": category.group,
            "group_en": category.group_en,
            "description": category.description,
            "description_en": category.description_en,
            "keywords": category.keywords,
            "default_department": category.default_department_id or "",
            "accept_sla_hours": category.accept_sla_hours,
            "resolve_sla_hours": category.resolve_sla_hours,
            "allows_anonymous": "on" if category.allows_anonymous else "",
            "sensitive": "on" if category.sensitive else "",
            "is_active": "on" if category.is_active else "",
            "questions": inline_formset(list(questions), initial=initial),
        }
    )
    return data


def question_row(question=None, **fields):
    row = {
        "code": "",
        "label": "",
        "label_en": "",
        "datatype": "string",
        "required": "",
        "options": "",
        "sort_order": 0,
    }
    if question is not None:
        row.update(
            id=question.pk,
            code=question.code,
            label=question.label,
            label_en=question.label_en,
            datatype=question.datatype,
            required="on" if question.required else "",
            options=question.options,
            sort_order=question.sort_order,
        )
    row.update(fields)
    return row


def test_admins_edit_a_category_with_its_questions(world, as_user):
    pothole = world.pothole
    size, depth = pothole.questions.order_by("sort_order")
    client = as_user(world.admin)
    url = reverse("report_category_admin:edit", args=[pothole.pk])
    assert client.get(url).status_code == 200

    data = category_form(
        pothole,
        [
            question_row(size, label_en="How large is the hole?"),
            question_row(depth, DELETE="on"),
            question_row(
                code="lane",
                label="哪条车道？",
                label_en="Which lane?",
                datatype="singlevaluelist",
                options="left|左|Left\nright|右|Right",
                sort_order=3,
            ),
        ],
        initial=2,
    )
    data["resolve_sla_hours"] = 48
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    pothole.refresh_from_db()
    assert pothole.resolve_sla_hours == 48
    assert [(q.code, q.label_en) for q in pothole.questions.order_by("sort_order")] == [
        ("size", "How large is the hole?"),
        ("lane", "Which lane?"),
    ]
    assert CategoryQuestion.objects.get(code="lane").option_list[1] == ("right", "右", "Right")


def test_a_list_question_without_options_is_refused_in_the_form(world, as_user):
    client = as_user(world.admin)
    url = reverse("report_category_admin:edit", args=[world.graffiti.pk])
    data = category_form(
        world.graffiti, [question_row(code="colour", label="颜色", datatype="multivaluelist")]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert not world.graffiti.questions.exists()


def test_admins_create_a_category_and_a_routing_rule(world, as_user):
    client = as_user(world.admin)
    data = category_form(
        Category(service_code="streetlight", name="路灯故障", name_en="Street light"),
        [question_row(code="pole", label="灯杆编号")],
    )
    data["default_department"] = world.roads.pk
    response = client.post(reverse("report_category_admin:add"), data)
    assert response.status_code == 302
    light = Category.objects.get(service_code="streetlight")
    assert [q.code for q in light.questions.all()] == ["pole"]

    response = client.post(
        reverse("routing_rule_admin:add"),
        {"category": light.pk, "area": world.areas["DE"].pk, "department": world.parks.pk},
    )
    assert response.status_code == 302
    assert RoutingRule.objects.filter(category=light, department=world.parks).exists()
    # The same category and area twice is a form error.
    response = client.post(
        reverse("routing_rule_admin:add"),
        {"category": light.pk, "area": world.areas["DE"].pk, "department": world.roads.pk},
    )
    assert response.status_code == 200
    assert RoutingRule.objects.filter(category=light).count() == 1


def test_admins_write_response_templates(world, as_user):
    client = as_user(world.admin)
    response = client.post(
        reverse("response_template_admin:add"),
        {
            "title": "Fixed",
            "text": "已处理，谢谢您的报告。",
            "text_en": "Fixed, thank you for reporting it.",
            "for_action": "resolved",
            "categories": [world.pothole.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template = ResponseTemplate.objects.get(title="Fixed")
    assert list(template.categories.all()) == [world.pothole]


def test_a_category_with_reports_is_not_deleted(world, submit, as_user):
    submit()
    client = as_user(world.admin)
    response = client.post(reverse("report_category_admin:delete", args=[world.pothole.pk]))
    assert response.status_code == 302
    assert Category.objects.filter(pk=world.pothole.pk).exists()
    [error] = messages_of(response, "error")
    assert "Make it inactive instead" in error


def test_admins_open_every_configuration_list(world, as_user):
    ResponseTemplate.objects.create(title="Thanks", text="谢谢")
    client = as_user(world.admin)
    for name in ("report_category_admin", "routing_rule_admin", "response_template_admin"):
        response = client.get(reverse(f"{name}:index"))
        assert response.status_code == 200, name
    page = client.get(reverse("routing_rule_admin:index")).content.decode()
    assert "Fallen tree" in page
    assert "Parks" in page


def test_staff_look_at_categories_and_templates_but_do_not_change_them(world, as_user):
    client = as_user(world.dispatcher)
    assert client.get(reverse("report_category_admin:index")).status_code == 200
    assert client.get(reverse("response_template_admin:index")).status_code == 200
    response = client.get(reverse("report_category_admin:inspect", args=[world.pothole.pk]))
    assert response.status_code == 200
    for url in (
        reverse("report_category_admin:edit", args=[world.pothole.pk]),
        reverse("report_category_admin:add"),
        reverse("routing_rule_admin:index"),
        reverse("response_template_admin:add"),
    ):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, HOME), url
    response = client.post(
        reverse("report_category_admin:edit", args=[world.pothole.pk]),
        category_form(world.pothole, []),
    )
    assert (response.status_code, response.url) == (302, HOME)


def test_the_reports_menu_shows_what_each_user_may_open(world, as_user):
    page = as_user(world.dispatcher).get(HOME).content.decode()
    assert "Work queue" in page
    assert "Resident reports" in page
    assert "Routing rules" not in page
    page = as_user(world.admin).get(HOME).content.decode()
    assert "Routing rules" in page
