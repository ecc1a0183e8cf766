"""Portal pages rendered through the full stack (Wagtail serving, templates, i18n)."""

import pytest

from civic.core.permissions import SYSTEM
from civic.departments.services import create_department

pytestmark = pytest.mark.django_db


def get(client, path, language):
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_home_page_lists_and_maps_the_districts_in_chinese(portal, client):
    html = get(client, "/", "zh-hans")
    assert '<html lang="zh-hans">' in html
    assert "第1区" in html
    assert "第2区" in html
    assert 'href="/d1/"' in html
    assert 'href="/d2/"' in html
    assert '<svg class="area-map"' in html
    assert "<title>第1区</title>" in html
    assert "登录" in html  # interface text through Django's i18n


def test_home_page_in_english(portal, client):
    html = get(client, "/", "en")
    assert '<html lang="en">' in html
    assert "District 1" in html
    assert "District 2" in html
    assert "Sign in" in html
    assert "Districts" in html


def test_district_page_in_both_languages(portal, client, city):
    create_department(SYSTEM, code="water", name="水务局", name_en="Water Bureau", areas=[city.C])
    create_department(SYSTEM, code="d2-office", name="二区办", name_en="D2 Office", areas=[city.D2])
    chinese = get(client, "/d1/", "zh-hans")
    english = get(client, "/d1/", "en")
    assert "<h1>第1区</h1>" in chinese
    assert "<h1>District 1</h1>" in english
    assert "水务局" in chinese
    assert "Water Bureau" in english
    assert "D2 Office" not in english  # serves another district only
    assert "4 grid cells" in english
    assert '<svg class="area-map"' in english


def test_the_language_switcher_changes_the_language_and_returns_to_the_page(portal, client):
    get(client, "/d1/", "zh-hans")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/d1/"})
    assert response.status_code == 302
    assert response["Location"] == "/d1/"
    html = client.get("/d1/").content.decode()  # no Accept-Language: the cookie decides
    assert "<h1>District 1</h1>" in html
    assert 'aria-current="true">English</button>' in html


def test_an_unknown_page_is_a_translated_404(portal, client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_page_shows_hot_public_threads_but_nothing_a_resident_may_not_read(
    portal, client, make_user
):
    from civic.core.roles import Role
    from forums import services as forums
    from forums.models import SpaceKind, Visibility

    author, leader = make_user(), make_user(Role.LEADER)
    public = forums.space_of_kind(SpaceKind.PUBLIC)
    forums.create_thread(author, space=public, title="Benches for the bus stop", body="Please")
    forums.create_thread(
        leader,
        space=forums.space_of_kind(SpaceKind.LEADERSHIP),
        title="Budget talk among leaders",
        body="Not for the public",
    )
    group = forums.create_group(author, name="Stairwell neighbours", visibility=Visibility.PRIVATE)
    forums.create_thread(
        author, space=public, group=group, title="Our private stairwell", body="Members only"
    )

    client.force_login(make_user())
    html = get(client, "/", "en")
    assert "Hot in the public forum" in html
    assert "Benches for the bus stop" in html
    assert "Budget talk among leaders" not in html
    assert "Our private stairwell" not in html
    # The page's head holds styles only: the page's sections are in its body.
    head = html.split("</head>", 1)[0]
    assert "Latest case studies" not in head

    client.force_login(leader)
    assert "Benches for the bus stop" in get(client, "/", "zh-hans")
