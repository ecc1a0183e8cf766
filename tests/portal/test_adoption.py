"""Adopting another district's case study (a Wagtail alias kept in step with the original),
and recommending one to leadership."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from civic.core.errors import Forbidden
from civic.core.permissions import SYSTEM
from civic.portal import events
from civic.portal.models import CaseStudyPage, LeadershipRecommendation
from civic.portal.services import (
    AlreadyAdopted,
    AlreadyRecommended,
    NotPublished,
    OwnCaseStudy,
    adopt_case_study,
    recommend_to_leadership,
)

from .conftest import case_study

pytestmark = pytest.mark.django_db


def test_adopting_makes_an_alias_that_follows_the_original(teams, client):
    original = case_study(teams.D1.page, "Ramp")
    alias = adopt_case_study(teams.D2.editor, original, district_page=teams.D2.page)

    assert alias.alias_of_id == original.pk
    assert alias.get_parent().pk == teams.D2.page.pk
    assert alias.live
    assert alias.district_id == teams.D1.page.area_id  # the district of origin stays
    assert client.get(alias.url).status_code == 200

    # The original district republishes a change; Wagtail updates the alias.
    original.title = "Ramp, revised"
    original.summary = "Now with handrails."
    original.save_revision().publish()
    alias = CaseStudyPage.objects.get(pk=alias.pk)
    assert alias.title == "Ramp, revised"
    assert alias.summary == "Now with handrails."

    html = client.get(original.url, headers={"accept-language": "en"}).content.decode()
    assert "Adopted by 1 district" in html
    assert f'href="{teams.D2.page.url}"' in html

    entry = PageLogEntry.objects.get(page=original, action="portal.adopt_case_study")
    assert entry.user == teams.D2.editor
    assert entry.data["alias_id"] == alias.pk


def test_adopting_twice_or_ones_own_is_refused(teams):
    original = case_study(teams.D1.page, "Ramp")
    adopt_case_study(teams.D2.editor, original, district_page=teams.D2.page)
    with pytest.raises(AlreadyAdopted) as refused:
        adopt_case_study(teams.D2.editor, original, district_page=teams.D2.page)
    assert refused.value.code == "already_adopted"
    # Adopting the adopted copy is adopting the original.
    alias = CaseStudyPage.objects.get(alias_of=original)
    with pytest.raises(AlreadyAdopted):
        adopt_case_study(teams.D2.editor, alias, district_page=teams.D2.page)
    with pytest.raises(OwnCaseStudy):
        adopt_case_study(teams.D1.editor, original, district_page=teams.D1.page)
    # An editor cannot put a copy in a district they do not write for.
    with pytest.raises(Forbidden):
        adopt_case_study(teams.D1.editor, original, district_page=teams.D2.page)
    draft = case_study(teams.D1.page, "Draft", publish=False)
    with pytest.raises(NotPublished):
        adopt_case_study(teams.D2.editor, draft, district_page=teams.D2.page)
    assert CaseStudyPage.objects.filter(alias_of=original).count() == 1


def test_adopting_through_the_admin(teams, client):
    original = case_study(teams.D1.page, "Ramp")
    url = reverse("portal_admin:adopt", args=[original.pk])
    client.force_login(teams.D2.editor)
    form = client.get(url, headers={"accept-language": "en"})
    assert form.status_code == 200
    assert f'value="{teams.D2.page.pk}"' in form.content.decode()
    assert f'value="{teams.D1.page.pk}"' not in form.content.decode()  # its own district
    response = client.post(url, {"district_page": teams.D2.page.pk})
    assert response.status_code == 302
    assert CaseStudyPage.objects.filter(alias_of=original).count() == 1
    again = client.post(
        url, {"district_page": teams.D2.page.pk}, headers={"accept-language": "en"}, follow=True
    )
    assert "This district has already adopted this case study." in again.content.decode()
    assert CaseStudyPage.objects.filter(alias_of=original).count() == 1


def test_the_library_sorts_by_adoptions(teams, client):
    case_study(teams.D1.page, "Less adopted")
    popular = case_study(teams.D2.page, "Popular")
    adopt_case_study(teams.D1.editor, popular, district_page=teams.D1.page)
    from civic.portal.queries import SORTS, published_case_studies

    ranked = list(published_case_studies().order_by(*SORTS["adopted"]))
    assert [page.title for page in ranked] == ["Popular", "Less adopted"]
    assert ranked[0].adoption_count == 1
    # Adopted copies are not listed a second time.
    assert published_case_studies().count() == 2


def test_recommending_records_once_and_signals_once(teams, django_capture_on_commit_callbacks):
    original = case_study(teams.D1.page, "Ramp")
    heard = []

    def receiver(sender, page, actor, recommendation, **kwargs):
        heard.append((page.pk, actor, recommendation.pk))

    events.case_study_recommended.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            recommendation = recommend_to_leadership(teams.D1.editor, original, note="Read it")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyRecommended):
            recommend_to_leadership(teams.D1.approver, original)
    finally:
        events.case_study_recommended.disconnect(receiver)
    assert heard == [(original.pk, teams.D1.editor, recommendation.pk)]
    assert LeadershipRecommendation.objects.filter(page=original).count() == 1
    entry = PageLogEntry.objects.get(page=original, action="portal.recommend_to_leadership")
    assert entry.user == teams.D1.editor


def test_recommending_keeps_nothing_when_the_leadership_thread_cannot_be_made(teams):
    """The thread is made in the recommending transaction: no recommendation without it, and
    the editor may try again."""
    from forums.models import Space, SpaceKind
    from forums.services import SpaceMissing

    original = case_study(teams.D1.page, "Ramp")
    Space.objects.filter(kind=SpaceKind.LEADERSHIP).delete()
    with pytest.raises(SpaceMissing):
        recommend_to_leadership(teams.D1.editor, original)
    assert not LeadershipRecommendation.objects.filter(page=original).exists()
    assert not PageLogEntry.objects.filter(
        page=original, action="portal.recommend_to_leadership"
    ).exists()


def test_only_editors_who_may_edit_it_recommend(teams, make_user):
    original = case_study(teams.D1.page, "Ramp")
    with pytest.raises(Forbidden):
        recommend_to_leadership(teams.D2.editor, original)
    with pytest.raises(Forbidden):
        recommend_to_leadership(make_user(), original)
    assert not LeadershipRecommendation.objects.exists()
    recommend_to_leadership(SYSTEM, original)
    assert LeadershipRecommendation.objects.filter(page=original, recommended_by=None).exists()


def test_recommending_through_the_admin(teams, client):
    original = case_study(teams.D1.page, "Ramp")
    url = reverse("portal_admin:recommend", args=[original.pk])
    client.force_login(teams.D1.editor)
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "Worth copying"}).status_code == 302
    assert LeadershipRecommendation.objects.get(page=original).note == "Worth copying"
    client.force_login(teams.D2.editor)
    refused = client.post(url, {"note": "Again"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "denied"
    assert LeadershipRecommendation.objects.get(page=original).note == "Worth copying"


def test_recommending_opens_one_leadership_thread_seen_by_leaders_and_editors(
    teams, make_user, django_capture_on_commit_callbacks
):
    from civic.core.roles import Role
    from forums.models import Thread
    from forums.permissions import can_see_thread

    original = case_study(teams.D1.page, "Ramp")
    with django_capture_on_commit_callbacks(execute=True):
        recommend_to_leadership(teams.D1.editor, original, note="Copy <this>")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyRecommended):
        recommend_to_leadership(teams.D1.editor, original)
    thread = Thread.objects.get(case_study=original)
    assert thread.is_leadership
    assert thread.title == "Ramp"
    assert "Copy &lt;this&gt;" in thread.body
    assert original.url in thread.body
    assert can_see_thread(make_user(Role.LEADER), thread)
    assert can_see_thread(teams.D2.editor, thread)
    assert not can_see_thread(make_user(Role.RESIDENT), thread)


def test_the_admin_offers_adopt_and_recommend_on_case_studies(teams, make_user, client):
    """Editors of other districts adopt from the public page (their admin shows their own
    district only); in the admin the buttons are on the case study's header and listing."""
    from civic.core.roles import Role

    original = case_study(teams.D1.page, "Ramp")
    adopt = reverse("portal_admin:adopt", args=[original.pk])
    recommend = reverse("portal_admin:recommend", args=[original.pk])
    client.force_login(teams.D1.editor)
    own = client.get(reverse("wagtailadmin_pages:edit", args=[original.pk])).content.decode()
    assert recommend in own
    client.force_login(make_user(Role.ADMIN, superuser=True))
    listing = client.get(reverse("wagtailadmin_explore", args=[teams.D1.page.pk]))
    assert listing.status_code == 200
    assert adopt in listing.content.decode()
    assert recommend in listing.content.decode()
    recommend_to_leadership(SYSTEM, original)
    listing = client.get(reverse("wagtailadmin_explore", args=[teams.D1.page.pk]))
    assert recommend not in listing.content.decode()  # once per case study
