"""``manage.py seed_demo`` fills the reports app: categories with questions and routing, reply
templates, and a few hundred reports in every state, all made through the services."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone, translation
from PIL import Image
from shapely.geometry import Point

from civic.accounts.models import User
from civic.areas.geometry import parse_boundary
from civic.areas.models import Area, AreaKind
from civic.departments.models import Department, MemberRole, Membership
from reports import queries, services
from reports.models import (
    OPEN_STATES,
    CallbackOutcome,
    Category,
    CategoryQuestion,
    Channel,
    Comment,
    EventKind,
    PhotoKind,
    QuestionType,
    RejectReason,
    Report,
    ReportEvent,
    ReportPhoto,
    ResponseTemplate,
    RoutingRule,
    State,
    Support,
)
from reports.permissions import can_see
from tests.conftest import seeded_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory, language="en") as output:
        yield output


def counts():
    return {
        "reports": Report.objects.count(),
        "events": ReportEvent.objects.count(),
        "supports": Support.objects.count(),
        "photos": ReportPhoto.objects.count(),
        "categories": Category.objects.count(),
        "questions": CategoryQuestion.objects.count(),
        "routes": RoutingRule.objects.count(),
        "templates": ResponseTemplate.objects.count(),
        "users": User.objects.count(),
        "comments": Comment.objects.count(),
    }


def test_the_summary_counts_the_reports(seeded):
    assert f"{Report.objects.count()} reports." in seeded
    assert Report.objects.count() >= 250


def test_running_it_again_creates_nothing(capsys):
    before = counts()
    states = dict(Report.objects.values_list("pk", "state"))
    with translation.override("en"):
        call_command("seed_demo", force=True)
    assert counts() == before
    assert dict(Report.objects.values_list("pk", "state")) == states
    assert "0 users, 0 portal pages and 0 reports." in capsys.readouterr().out


def test_neighbours_comment_on_the_most_supported_open_reports(client):
    from django.urls import reverse
    from graphql_relay import to_global_id

    commented = Report.objects.filter(comments__isnull=False).distinct()
    assert commented.count() == 8
    assert set(commented.values_list("state", flat=True)) <= set(OPEN_STATES)
    now = timezone.now()
    for comment in Comment.objects.select_related("report"):
        assert comment.author_id != comment.report.reporter_id
        assert comment.report.created_at < comment.created_at < now
    report = commented.annotate(n=Count("comments")).order_by("-n", "pk").first()
    bodies = list(report.comments.order_by("created_at").values_list("body", flat=True))
    assert len(bodies) == 3
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert all(body in page for body in bodies)
    query = "query Q($id: ID!) { report(id: $id) { comments { edges { node { body } } } } }"
    answer = client.post(
        "/graphql/",
        {"query": query, "variables": {"id": to_global_id("Report", report.pk)}},
        content_type="application/json",
    ).json()
    edges = answer["data"]["report"]["comments"]["edges"]
    assert [edge["node"]["body"] for edge in edges] == bodies


def test_categories_are_offered_everywhere_with_questions_of_every_type():
    categories = list(Category.objects.filter(is_active=True).select_related("default_department"))
    assert len(categories) >= 12
    districts = list(Area.objects.filter(kind=AreaKind.DISTRICT))
    for category in categories:
        assert category.name
        assert category.name_en
        assert category.group
        assert category.group_en
        assert category.keyword_list
        assert category.description
        assert category.description_en
        assert category.accept_sla_hours < category.resolve_sla_hours
        assert category.default_department.areas.exists()
        for district in districts:
            department = queries.route(category, district)
            assert department is not None, (category, district)
            assert department.is_active
    datatypes = set(CategoryQuestion.objects.values_list("datatype", flat=True))
    assert datatypes == set(QuestionType.values)
    for question in CategoryQuestion.objects.all():
        question.full_clean()  # list questions have options, keys are unique
    assert Category.objects.filter(allows_anonymous=False).count() >= 2
    assert Category.objects.filter(allows_anonymous=True).exists()
    noise = Category.objects.get(service_code="noise")
    assert noise.sensitive
    assert noise.allows_anonymous
    assert noise.questions.filter(datatype=QuestionType.DATETIME).exists()


def test_routing_rules_send_graffiti_to_district_offices_and_some_fallen_trees():
    graffiti = Category.objects.get(service_code="graffiti")
    fallen_tree = Category.objects.get(service_code="fallen-tree")
    for district in Area.objects.filter(kind=AreaKind.DISTRICT):
        office = Department.objects.get(areas=district)
        assert queries.route(graffiti, district) == office
    tree_offices = [
        district
        for district in Area.objects.filter(kind=AreaKind.DISTRICT)
        if queries.route(fallen_tree, district).areas.filter(pk=district.pk).exists()
    ]
    assert 1 <= len(tree_offices) < Area.objects.filter(kind=AreaKind.DISTRICT).count()
    assert fallen_tree.default_department.code == "parks"


def test_response_templates_cover_rejecting_resolving_and_updates():
    templates = ResponseTemplate.objects.filter(is_active=True)
    assert templates.count() >= 6
    assert {t.for_action for t in templates} >= {
        EventKind.REJECTED,
        EventKind.RESOLVED,
        EventKind.UPDATE,
    }
    assert all(t.text and t.text_en for t in templates)
    assert templates.filter(categories__isnull=False).exists()


def test_reports_are_in_every_state_over_the_last_year():
    by_state = dict(Report.objects.values_list("state").annotate(n=Count("pk")))
    assert set(by_state) == set(State.values)
    now = timezone.now()
    times = Report.objects.order_by("created_at").values_list("created_at", flat=True)
    # A year of history, so the operations centre's charts have months to show.
    assert times.first() >= now - timedelta(days=366)
    assert times.last() <= now
    assert times.last() - times.first() >= timedelta(days=300)
    assert Report.objects.filter(channel=Channel.HOTLINE, reporter=None).exists()
    assert Report.objects.filter(is_anonymous=True).exists()


def test_every_report_lies_in_its_area_and_its_department_handles_it_there():
    shapes = {}
    reports = Report.objects.select_related("area", "category", "department")
    for report in reports:
        area = report.area
        if area.pk not in shapes:
            shapes[area.pk] = parse_boundary(area.boundary)
        assert area.kind == AreaKind.GRID
        assert report.area_path == area.path
        assert shapes[area.pk].covers(Point(report.lon, report.lat)), report
        assert queries.route(report.category, area) == report.department, report


def test_closed_reports_carry_ratings_and_only_closed_ones_do():
    closed = Report.objects.filter(state=State.CLOSED)
    rated = closed.exclude(rating=None)
    assert rated.count() >= closed.count() // 2
    assert set(rated.values_list("rating", flat=True)) >= {3, 4, 5}
    assert not Report.objects.exclude(state=State.CLOSED).exclude(rating=None).exists()
    # The others were closed by the sweep once the reporter's time to rate ran out.
    for report in closed.filter(rating=None):
        assert report.events.filter(kind=EventKind.CLOSED, data__automatic=True).exists()
        assert report.closed_at - report.resolved_at == timedelta(days=7)


def test_duplicates_are_merged_and_their_reporters_support_the_original():
    duplicates = Report.objects.filter(state=State.DUPLICATE).select_related("duplicate_of")
    assert duplicates.exists()
    for duplicate in duplicates:
        original = duplicate.duplicate_of
        assert original is not None
        assert original.category_id == duplicate.category_id
        assert original.state not in (State.REJECTED, State.DUPLICATE)
        assert queries.distance_m(duplicate.lat, duplicate.lon, original.lat, original.lon) < 100
        assert Support.objects.filter(report=original, user=duplicate.reporter).exists()
        assert original.created_at < duplicate.created_at <= duplicate.closed_at
    assert Support.objects.filter(via_duplicate__isnull=False).exists()
    assert Support.objects.filter(via_duplicate=None).exists()  # plain "me too"s as well
    for report in Report.objects.annotate(n=Count("supports")):
        assert report.support_count == report.n
        assert not report.supports.filter(user_id=report.reporter_id).exists()


def test_the_abusive_report_is_rejected_and_hidden():
    hidden = Report.objects.filter(is_public=False)
    assert hidden.count() == 1
    report = hidden.get()
    assert report.state == State.REJECTED
    assert report.events.get(kind=EventKind.REJECTED).data["reason"] == RejectReason.ABUSIVE
    assert not queries.public_reports().filter(pk=report.pk).exists()
    assert not can_see(AnonymousUser(), report)
    assert can_see(report.reporter, report)
    assert Report.objects.filter(state=State.REJECTED, is_public=True).exists()


def test_overdue_reports_are_escalated():
    # A supervisor's callback may raise a report to the leaders (level 3) whatever its clock.
    called_up = Report.objects.filter(
        events__kind=EventKind.CALLBACK, events__data__outcome=CallbackOutcome.ESCALATE
    )
    assert called_up.exists()
    assert set(called_up.values_list("escalation_level", flat=True)) == {3}
    overdue = Report.objects.filter(queries.overdue_filter())
    assert overdue.count() >= 5
    assert set(overdue.values_list("state", flat=True)) >= {State.SUBMITTED, State.ACCEPTED}
    for report in overdue.exclude(pk__in=called_up).select_related("category"):
        assert report.escalation_level >= 1
        event = report.events.filter(kind=EventKind.ESCALATED).latest("created_at")
        assert event.data["level"] == report.escalation_level
        assert not event.is_public
    # Reports within their deadlines are not escalated.
    on_time = (
        Report.objects.filter(state__in=OPEN_STATES)
        .exclude(queries.overdue_filter())
        .exclude(pk__in=called_up)
    )
    assert on_time.count() > overdue.count()
    assert not on_time.exclude(escalation_level=0).exists()
    assert Report.objects.filter(reopen_count__gt=0, state__in=OPEN_STATES).exists()
    assert Report.objects.filter(reopen_count__gt=0, state=State.CLOSED).exists()


def test_each_timeline_is_a_chain_of_transitions_in_time_order():
    """Back-dating kept the order the services gave: from-state follows to-state."""
    now = timezone.now()
    events = ReportEvent.objects.order_by("report_id", "created_at", "pk")
    reports = {r.pk: r for r in Report.objects.all()}
    chains = {}
    for event in events:
        report = reports[event.report_id]
        assert report.created_at <= event.created_at <= now
        if event.to_state:
            chain = chains.setdefault(report.pk, [])
            assert event.from_state == (chain[-1] if chain else ""), (report.pk, event.kind)
            chain.append(event.to_state)
    for pk, report in reports.items():
        assert chains[pk][-1] == report.state
        times = [report.created_at, report.accepted_at, report.resolved_at, report.closed_at]
        times = [t for t in times if t is not None]
        if report.reopen_count == 0:
            assert times == sorted(times), pk


def test_demo_data_keeps_the_services_rules():
    memberships = set(Membership.objects.values_list("department_id", "user_id"))
    for report in Report.objects.select_related("category").prefetch_related("category__questions"):
        if not report.events.filter(kind=EventKind.RECATEGORISED).exists():
            cleaned, errors = services.clean_answers(report.category, report.answers)
            assert errors == [], report.pk
            assert cleaned == report.answers, report.pk
        if report.is_anonymous:
            assert report.category.allows_anonymous
            assert not report.show_name
        if report.channel == Channel.HOTLINE:
            assert report.reporter is None
            assert report.contact
        else:
            assert report.reporter is not None
            assert report.reporter == report.submitted_by
        if report.handler_id:
            assert (report.department_id, report.handler_id) in memberships
        if report.state in (State.ASSIGNED, State.IN_PROGRESS):
            assert report.handler_id
        if report.state == State.SUBMITTED:
            assert report.accepted_at is None
        else:
            assert report.closed_at or report.accepted_at


def test_demo_logins_find_work_and_their_own_reports():
    resident = User.objects.get(email="resident@demo.civic")
    states = set(queries.reports_of(resident).values_list("state", flat=True))
    assert {State.SUBMITTED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED} <= states
    assert Support.objects.filter(user=resident).exists()
    handler = User.objects.get(email="handler@demo.civic")
    queue = queries.staff_queue(handler)
    assert queue.filter(state=State.ASSIGNED, handler=handler).exists()
    assert queue.filter(state=State.IN_PROGRESS, handler=handler).exists()
    assert queue.filter(state=State.SUBMITTED).exists()
    urban = Department.objects.get(code="urban-management")
    actors = set(
        ReportEvent.objects.filter(report__department=urban)
        .exclude(actor=None)
        .values_list("actor__email", flat=True)
    )
    assert {"dispatcher@demo.civic", "handler@demo.civic"} <= actors
    assert urban.memberships.filter(role=MemberRole.SUPERVISOR, user__email__in=actors).exists()
    assert (
        User.objects.filter(email__startswith="resident", email__endswith="@demo.civic").count()
        >= 20
    )


def test_some_reports_have_pictures_without_metadata():
    photos = ReportPhoto.objects.all()
    assert photos.filter(kind=PhotoKind.REPORT).count() >= 5
    assert photos.filter(kind=PhotoKind.AFTER).exists()
    for photo in photos[:5]:
        for stored in (photo.display, photo.thumbnail):
            assert default_storage.exists(stored.name)
            with default_storage.open(stored.name) as file, Image.open(file) as image:
                assert image.format == "JPEG"
                assert not image.getexif()
        assert (photo.width, photo.height) == (640, 480)


def test_the_leader_and_supervisors_have_something_to_see():
    from civic.departments.models import DutyShift
    from reports.models import FollowUp, Instruction, InstructionState, Priority

    leader = User.objects.get(email="leader@demo.civic")
    assert leader.home_area.code == "QH-DH"
    area_reports = queries.staff_queue(leader)
    assert area_reports.exists()
    assert not area_reports.exclude(area_path__startswith=leader.home_area.path).exists()
    instructions = Instruction.objects.filter(issued_by=leader)
    assert {i.state for i in instructions} == {InstructionState.ANSWERED, InstructionState.ISSUED}
    assert Report.objects.filter(priority=Priority.URGENT).exists()
    assert DutyShift.objects.filter(ends_at__gt=timezone.now()).exists()
    # The demo's bad ratings and reopenings left callbacks: the supervisors made most of them,
    # through the service (each call is on the report's timeline), and a few are waiting.
    made = FollowUp.objects.exclude(outcome="")
    assert FollowUp.objects.filter(outcome="").count() == 3
    assert set(made.values_list("outcome", flat=True)) == {"accepted", "redo", "escalate"}
    for follow_up in made:
        assert follow_up.report.events.filter(
            kind=EventKind.CALLBACK, data__follow_up=follow_up.pk
        ).exists()
        assert follow_up.called_by.department_memberships.filter(
            department=follow_up.department, role=MemberRole.SUPERVISOR
        ).exists()
