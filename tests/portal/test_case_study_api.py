"""The case library over GraphQL: filters, keyset pages, typed StreamField blocks, renditions of
fixed sizes, districts with their counts; queries do not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from civic.portal.services import adopt_case_study

from .conftest import case_study, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_field_at_once(settings):
    """These documents ask for every field of a case study in one list, far more than the app's
    own operation (which the cost limit is checked against in tests/api); the limit is not
    what these tests measure."""
    settings.GRAPHQL_MAX_COST = 1_000_000


CASE_STUDIES = """
query($first: Int, $after: String, $district: String, $topic: String, $tag: String,
      $search: String, $order: CaseStudyOrder) {
  caseStudies(first: $first, after: $after, district: $district, topic: $topic, tag: $tag,
              search: $search, order: $order) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id title slug url summary publishedAt adoptionCount
      district { code name }
      adoptedBy { code }
      topics { slug name }
      tags
      coverImage { rendition(size: CARD) { url width height } }
      figures {
        __typename
        ... on CostFigure { amount currency }
        ... on DurationFigure { value timeUnit }
        ... on PeopleReachedFigure { count }
        ... on MeasureFigure { label before after unit }
      }
      body {
        __typename
        ... on ParagraphBlock { html }
        ... on BeforeAfterBlock {
          caption
          before { rendition(size: THUMBNAIL) { url width height } }
          after { rendition(size: LARGE) { url width height } }
        }
      }
    } }
  }
}
"""


def titles(body):
    return [edge["node"]["title"] for edge in body["data"]["caseStudies"]["edges"]]


def test_case_studies_with_typed_blocks_and_renditions(teams, topics, gql):
    page = case_study(
        teams.D1.page, "Ramp", topics=[topics.access], tags=["ramp"], image=make_image("cover")
    )
    adopt_case_study(teams.D2.editor, page, district_page=teams.D2.page)
    node = gql(CASE_STUDIES, {"first": 5})["data"]["caseStudies"]["edges"][0]["node"]
    assert node["id"] == to_global_id("CaseStudy", page.pk)
    assert node["district"] == {"code": "D1", "name": "第1区"}
    assert node["adoptionCount"] == 1
    assert node["adoptedBy"] == [{"code": "D2"}]
    assert node["tags"] == ["ramp"]
    assert node["topics"] == [{"slug": "access", "name": "无障碍"}]
    assert node["coverImage"]["rendition"]["width"] == 64  # never enlarged beyond the original
    assert node["coverImage"]["rendition"]["url"].startswith("http")
    assert node["figures"] == [
        {"__typename": "CostFigure", "amount": "12000.00", "currency": "CNY"},
        {"__typename": "DurationFigure", "value": 6, "timeUnit": "WEEKS"},
        {"__typename": "PeopleReachedFigure", "count": 1500},
        {
            "__typename": "MeasureFigure",
            "label": "Falls a month",
            "before": "4",
            "after": "0",
            "unit": "",
        },
    ]
    paragraph, pair = node["body"]
    assert paragraph == {"__typename": "ParagraphBlock", "html": "<p>How we did it.</p>"}
    assert pair["__typename"] == "BeforeAfterBlock"
    assert pair["caption"] == "The entrance"
    assert pair["before"]["rendition"]["url"] != pair["after"]["rendition"]["url"]


def test_sizes_are_a_fixed_set(teams, gql):
    case_study(teams.D1.page, "Ramp", image=make_image("cover"))
    body = gql(
        '{ caseStudies { edges { node { coverImage { rendition(size: "fill-4000x4000") '
        "{ url } } } } } }",
        expect_errors=True,
    )
    assert body["errors"]


def test_filters_order_and_keyset_pages(teams, topics, gql):
    ramp = case_study(teams.D1.page, "Ramp", topics=[topics.access], tags=["ramp"])
    bins = case_study(
        teams.D2.page,
        "Bins",
        topics=[topics.waste],
        tags=["bins"],
        summary="Composting in courtyards",
    )
    case_study(teams.D2.page, "Benches", topics=[topics.access])
    adopt_case_study(teams.D1.editor, bins, district_page=teams.D1.page)

    assert titles(gql(CASE_STUDIES)) == ["Benches", "Bins", "Ramp"]
    assert titles(gql(CASE_STUDIES, {"order": "MOST_ADOPTED"})) == ["Bins", "Benches", "Ramp"]
    assert titles(gql(CASE_STUDIES, {"district": "D2"})) == ["Benches", "Bins"]
    assert titles(gql(CASE_STUDIES, {"topic": "access"})) == ["Benches", "Ramp"]
    assert titles(gql(CASE_STUDIES, {"tag": "ramp"})) == ["Ramp"]
    assert titles(gql(CASE_STUDIES, {"search": "composting"})) == ["Bins"]

    first = gql(CASE_STUDIES, {"first": 2, "order": "MOST_ADOPTED"})["data"]["caseStudies"]
    assert first["pageInfo"]["hasNextPage"]
    rest = gql(
        CASE_STUDIES, {"first": 2, "order": "MOST_ADOPTED", "after": first["pageInfo"]["endCursor"]}
    )
    assert titles(rest) == ["Ramp"]
    assert ramp.pk


def test_one_case_study_by_slug_or_id_and_districts(teams, gql):
    page = case_study(teams.D1.page, "Ramp")
    adopt_case_study(teams.D2.editor, page, district_page=teams.D2.page)
    query = (
        "query($id: ID, $slug: String) { caseStudy(id: $id, slug: $slug) { title adoptionCount } }"
    )
    by_slug = gql(query, {"slug": page.slug})["data"]["caseStudy"]
    assert by_slug == {"title": "Ramp", "adoptionCount": 1}
    by_id = gql(query, {"id": to_global_id("CaseStudy", page.pk)})["data"]["caseStudy"]
    assert by_id == by_slug
    assert gql(query, {"slug": "nothing"})["data"]["caseStudy"] is None
    draft = case_study(teams.D1.page, "Draft", publish=False)
    assert gql(query, {"id": to_global_id("CaseStudy", draft.pk)})["data"]["caseStudy"] is None
    districts = gql("{ districts { code name caseStudyCount adoptedCount } }")["data"]["districts"]
    assert districts == [
        {"code": "D1", "name": "第1区", "caseStudyCount": 1, "adoptedCount": 0},
        {"code": "D2", "name": "第2区", "caseStudyCount": 0, "adoptedCount": 1},
    ]


def test_queries_do_not_grow_with_the_page_size(teams, topics, gql):
    for n in range(8):
        page = case_study(
            teams.D1.page if n % 2 else teams.D2.page,
            f"Case {n}",
            topics=[topics.access, topics.waste],
            tags=["a", f"t{n}"],
            image=make_image(f"cover {n}"),
        )
        if n % 2:
            adopt_case_study(teams.D2.editor, page, district_page=teams.D2.page)

    def count(first):
        gql(CASE_STUDIES, {"first": first})  # renditions are made once, on the first ask
        with CaptureQueriesContext(connection) as captured:
            body = gql(CASE_STUDIES, {"first": first})
        assert len(body["data"]["caseStudies"]["edges"]) == first
        assert all(
            edge["node"]["body"][1]["before"]["rendition"]["url"]
            for edge in body["data"]["caseStudies"]["edges"]
        )
        return len(captured)

    few, many = count(2), count(8)
    print(f"caseStudies queries: {few} at 2 per page, {many} at 8")
    assert few == many
