"""Nothing a non-staff viewer can reach gives away a sensitive report's place or an email-only
reporter (issue 13).

A sensitive report is planted with a distinctive address at an exact point inside a grid cell
with a distinctive code and name, by a resident who ticked "show my name" but has only an email
address. Then every public page (crawled from the home page, plus the feeds and pages no link
leads to), every GraphQL query field (taken from the schema itself, each selecting every field
it can reach) and Open311's GET documents in XML and JSON are read as an anonymous visitor and
as another signed-in resident, and none may contain the address, the email, the exact
coordinates, or the grid cell's or community's code or name. Staff and the reporter still see
what they saw: the same walk finds the secrets there, so the search is not blind.
"""

import json
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import translation
from graphql import (
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from graphql_relay import to_global_id

from civic.api.schema import schema
from civic.areas import spatial
from civic.areas.models import Area
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import MemberRole
from civic.departments.services import add_member, create_department
from civic.portal.models import CaseLibraryPage, CaseStudyReportLink
from forums import services as forum_services
from forums.models import Space, SpaceKind
from reports import services as report_services
from reports.models import Category
from tests.conftest import PASSWORD
from tests.portal.conftest import case_study

ADDRESS = "幸福路88号3单元702室 SecretAddr-Q9"
EMAIL = "planted.reporter.q7@example.org"
PHONE = "+86 139 0000 7777"
EXACT = (0.4371234, 0.6183917)  # inside grid cell G1a (lon 0..1, lat 0..1)
GRID = {"code": "GRIDSECRET7", "name": "秘格七号", "name_en": "Secret Cell Seven"}
COMMUNITY = {"code": "COMMSECRET5", "name": "隐秘社区", "name_en": "Hidden Community"}

ADDRESS_AND_PERSON = ["SecretAddr-Q9", "幸福路88号", "planted.reporter.q7", "139 0000 7777"]
EXACT_POINT = ["0.43712", "0.61839"]
FINE_AREAS = [*GRID.values(), *COMMUNITY.values()]
SECRETS = [*ADDRESS_AND_PERSON, *EXACT_POINT, *FINE_AREAS]

# Pages under these are not public pages (the admin, files, sign-in machinery).
NOT_PAGES = ("/admin/", "/documents/", "/_allauth/", "/static/", "/media/", "/i18n/")
MAX_PAGES = 400


@pytest.fixture
def planted(portal, make_user, settings):
    home, pages = portal
    settings.GRAPHQL_MAX_COST = 10**9
    settings.GRAPHQL_MAX_ALIASES = 10**6
    grid = Area.objects.get(code="G1a")
    Area.objects.filter(pk=grid.pk).update(**GRID)
    Area.objects.filter(code="M1").update(**COMMUNITY)
    spatial.invalidate()
    city = Area.objects.get(code="C")
    roads = create_department(SYSTEM, code="roads", name="道路处", name_en="Roads", areas=[city])
    noise = Category.objects.create(
        service_code="noise",
        name="噪音扰民",
        name_en="Noise",
        default_department=roads,
        sensitive=True,
    )
    reporter = make_user(email=EMAIL, phone=PHONE)
    neighbour = make_user(email="neighbour@example.org", display_name="Bob Neighbour")
    dispatcher = make_user(email="dispatcher@example.org", display_name="Roads Dispatcher")
    add_member(SYSTEM, roads, dispatcher, MemberRole.DISPATCHER)
    report = report_services.submit_report(
        reporter,
        category=noise,
        lat=EXACT[0],
        lon=EXACT[1],
        address=ADDRESS,
        description="楼下酒吧每晚两点还在放音乐",
        show_name=True,
        client_request_id="planted",
    )
    report_services.support(neighbour, report)
    report_services.accept(dispatcher, report, message="已受理，将联系商户")
    public_space = Space.objects.get_or_create(
        slug="public", defaults={"kind": SpaceKind.PUBLIC, "name": "公共论坛"}
    )[0]
    thread = forum_services.create_thread(
        reporter,
        space=public_space,
        title="酒吧噪音怎么办",
        body="<p>大家有同样的问题吗？</p>",
        report=report,
    )
    forum_services.follow(neighbour, thread)
    forum_services.reply(reporter, thread, body="<p>已经报告了</p>")
    page = case_study(pages["D1"], "夜间噪音治理")
    CaseStudyReportLink.objects.create(page=page, report=report)
    page.save_revision().publish()
    library = home.add_child(instance=CaseLibraryPage(title="案例库", slug="library", live=False))
    library.save_revision().publish()
    other = make_user(email="other.resident@example.org")
    return {
        "report": report,
        "reporter": reporter,
        "neighbour": neighbour,
        "other": other,
        "dispatcher": dispatcher,
        "thread": thread,
        "case_study": page,
        "grid": grid,
        "community": Area.objects.get(code=COMMUNITY["code"]),
        "street": Area.objects.get(code="S1"),
        "admin": make_user(Role.ADMIN, email="admin@example.org"),
    }


def _text(response):
    """The response as text, JSON decoded so that escaped characters are searched as read."""
    body = response.content.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _leaks(text, secrets=SECRETS):
    return [secret for secret in secrets if secret in text]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "data-url") and value:
                self.links.append(value)


def _crawl(client, report, thread, case_page):
    """GET every same-site page reachable from the home page and the pages no link leads to;
    ``{url: text}``."""
    queue = [
        "/",
        "/reports/map/",
        f"/reports/{report.pk}/",
        "/reports/reports.geojson",
        "/reports/reports.geojson?bbox=0,0,1,1",
        "/reports/reports.geojson?bbox=0.6,0.4,0.65,0.45",
        "/reports/areas.geojson",
        "/reports/categories.json",
        f"/reports/categories.json?lat={EXACT[0]}&lon={EXACT[1]}",
        "/forums/",
        f"/forums/t/{thread.pk}/",
        "/forums/search/?q=噪音",
        "/rewards/leaderboard/",
        "/rewards/leaderboard/?period=week",
        "/rewards/catalogue/",
        "/rewards/",
        "/notifications/",
        "/reports/mine/",
        case_page.url,
        "/library/",
        "/library/?district=D1",
        "/library/?q=噪音",
    ]
    seen = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url in seen or url.startswith(NOT_PAGES):
            continue
        if "/logout" in url or parts.path.endswith((".jpg", ".png", ".css", ".js")):
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        seen[url] = _text(response) if response.status_code == 200 else ""
        if "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(seen[url])
            queue += [urljoin(url, link.split("#")[0]) for link in parser.links]
    return seen


# What ``node(id:)`` is asked for: the planted report and thread.
NODE_TYPES = {"Report", "ForumThread"}


def _selection(type_, depth, alias=""):
    """Every field of ``type_`` reachable in ``depth`` levels whose arguments are optional.
    Fields inside a fragment are aliased by type, so that two members' same-named fields of
    different types do not conflict."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if depth == 0:
        return None
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        members = (
            named.types
            if isinstance(named, GraphQLUnionType)
            else [
                member
                for member in schema.graphql_schema.get_implementations(named).objects
                if member.name in NODE_TYPES
            ]
        )
        parts = []
        for member in members:
            inner = _selection(member, depth, alias=member.name)
            if inner:
                parts.append(f"... on {member.name} {inner}")
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType)
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(
            isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
            for arg in field.args.values()
        ):
            continue
        inner = _selection(field.type, depth - 1)
        if inner is not None:
            parts.append(f"{alias}_{name}: {name}{inner}" if alias else name + inner)
    return "{ " + " ".join(parts) + " }"


def _query_documents(planted):
    """One document per Query field, with the arguments that make it return the planted
    report, thread, case study or person where it can."""
    report = planted["report"]
    report_id = to_global_id("Report", report.pk)
    arguments = {
        "report": [f'id: "{report_id}"'],
        "node": [
            f'id: "{report_id}"',
            f'id: "{to_global_id("ForumThread", planted["thread"].pk)}"',
        ],
        "reports": [
            "",
            f'areaId: "{to_global_id("Area", planted["grid"].pk)}"',
            f'areaId: "{to_global_id("Area", planted["community"].pk)}"',
            f'areaId: "{to_global_id("Area", planted["street"].pk)}"',
            "bbox: {minLat: 0.43, minLon: 0.61, maxLat: 0.44, maxLon: 0.62}",
        ],
        "nearbyReports": [f"lat: {EXACT[0]}, lon: {EXACT[1]}, radius: 2000"],
        "categoriesAt": [f"lat: {EXACT[0]}, lon: {EXACT[1]}"],
        "areaAt": [f"lat: {EXACT[0]}, lon: {EXACT[1]}"],
        "threads": ['space: "public"'],
        "thread": [f'id: "{to_global_id("ForumThread", planted["thread"].pk)}"'],
        "searchThreads": ['text: "噪音"'],
        "forumGroup": ['slug: "none"'],
        "caseStudy": [f'slug: "{planted["case_study"].slug}"'],
        "leaderboard": ["period: ALL", "period: WEEK"],
        "suggestCategories": [f'description: "酒吧噪音扰民", lat: {EXACT[0]}, lon: {EXACT[1]}'],
        "similarReports": [f'description: "酒吧噪音扰民", lat: {EXACT[0]}, lon: {EXACT[1]}'],
        "gridCell": [f"lat: {EXACT[0]}, lon: {EXACT[1]}"],
        "gridSummary": [
            f'areaId: "{to_global_id("Area", planted["grid"].pk)}", date: "{date.today()}"'
        ],
        "departmentRankings": [f'period: "{date.today():%Y-%m}"'],
        "assignableHandlers": [f'reportId: "{report_id}"'],
        "responseTemplates": [f'reportId: "{report_id}"'],
    }
    documents = []
    for name, field in schema.graphql_schema.query_type.fields.items():
        for args in arguments.get(name, [""]):
            selection = _selection(field.type, 5) or ""
            call = f"{name}({args})" if args else name
            documents.append((name, f"query {{ {call} {selection} }}"))
    return documents


# Queries about the area tree itself: it is public, grid cells included, whatever lies in them
# (gridCell names the cell at the point the caller gave, and who looks after it).
AREA_TREE = {"areas", "areaAt", "districts", "departments", "categoriesAt", "gridCell"}


def _graphql_leaks(gql, planted):
    leaks = {}
    for name, document in _query_documents(planted):
        body = gql(document, expect_errors=True)
        assert body["status"] == 200, (name, body)
        codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
        assert "internal_error" not in codes, (name, body)
        assert "GRAPHQL_VALIDATION_FAILED" not in codes, (name, body)
        for error in body.get("errors", []):
            assert "Cannot query field" not in error["message"], (name, error)
        secrets = [*ADDRESS_AND_PERSON, *EXACT_POINT]
        if name not in AREA_TREE:
            secrets += FINE_AREAS
        found = _leaks(json.dumps(body, ensure_ascii=False), secrets)
        if found:
            leaks[f"{name}: {document[:120]}"] = found
    return leaks


def _open311_leaks(client, report):
    leaks = {}
    for fmt in ("json", "xml"):
        for url in (
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests.{fmt}?service_code=noise",
            f"/open311/v2/requests.{fmt}?service_request_id={report.pk}",
            f"/open311/v2/requests/{report.pk}.{fmt}",
            f"/open311/v2/services.{fmt}",
            f"/open311/v2/services/noise.{fmt}",
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            text = _text(response)
            assert str(report.pk) in text or "services" in url, url
            found = _leaks(text)
            if found:
                leaks[url] = found
    return leaks


def _sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.parametrize("viewer", ["anonymous", "other resident", "supporter"])
def test_no_public_page_feed_query_or_open311_document_reveals_the_planted_secrets(
    planted, client, gql, viewer
):
    if viewer == "other resident":
        _sign_in(client, planted["other"])
    elif viewer == "supporter":
        _sign_in(client, planted["neighbour"])
    report = planted["report"]

    pages = _crawl(client, report, planted["thread"], planted["case_study"])
    # The walk reached the places that show the report or its reporter.
    for url in ("/", f"/reports/{report.pk}/", f"/forums/t/{planted['thread'].pk}/"):
        assert "噪音扰民" in pages[url] or "酒吧噪音" in pages[url], url
    assert "/rewards/leaderboard/" in pages
    assert planted["case_study"].url in pages
    leaks = {
        "pages": {url: found for url, text in pages.items() if (found := _leaks(text))},
        "graphql": _graphql_leaks(gql, planted),
        "open311": _open311_leaks(client, report),
    }
    assert leaks == {"pages": {}, "graphql": {}, "open311": {}}


def test_the_reporter_and_staff_still_see_the_place_and_the_person(planted, client, gql):
    """The same searches find the secrets where they may be seen, so the walk is not blind."""
    report = planted["report"]
    query = (
        '{ report(id: "%s") { address location { lat lon exact } area { code name } '
        "staff { reporter { email } } } }" % to_global_id("Report", report.pk)
    )
    for who, secrets in (
        ("reporter", ["SecretAddr-Q9", "0.43712", "GRIDSECRET7"]),
        ("dispatcher", ["SecretAddr-Q9", "0.43712", "GRIDSECRET7", "planted.reporter.q7"]),
    ):
        client.logout()
        _sign_in(client, planted[who])
        page = _text(client.get(f"/reports/{report.pk}/"))
        assert _leaks(page, ["SecretAddr-Q9", "0.43712"]) == ["SecretAddr-Q9", "0.43712"], who
        body = json.dumps(gql(query), ensure_ascii=False)
        assert _leaks(body, secrets) == secrets, who


def test_a_sensitive_report_names_its_street_not_its_grid_cell_and_is_not_found_by_cell(
    planted, gql
):
    report_id = to_global_id("Report", planted["report"].pk)
    shown = gql('{ report(id: "%s") { area { code kind parent { code } } } }' % report_id)
    assert shown["data"]["report"]["area"] == {
        "code": "S1",
        "kind": "STREET",
        "parent": {"code": "D1"},
    }

    def found_in(area):
        body = gql(
            '{ reports(areaId: "%s") { edges { node { id } } } }' % to_global_id("Area", area.pk)
        )
        return [edge["node"]["id"] for edge in body["data"]["reports"]["edges"]]

    assert found_in(planted["street"]) == [report_id]
    assert found_in(planted["grid"]) == []
    assert found_in(planted["community"]) == []


@pytest.mark.parametrize(
    ("display_name", "shown"),
    [
        ("", "A resident"),
        ("someone@example.org", "A resident"),
        ("139 0000 7777", "A resident"),
        ("小王", "小王"),
    ],
)
def test_a_public_name_is_a_display_name_or_a_resident(make_user, display_name, shown):
    translation.activate("en")
    user = make_user(email="name.test@example.org", phone=PHONE, display_name=display_name)
    assert user.public_name == shown
    assert not re.search(r"@|139", user.public_name)
