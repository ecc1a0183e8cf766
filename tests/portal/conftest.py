"""Case study fixtures: each test district's team (made when its page is), its editors and
approvers, Wagtail images drawn with Pillow, and published case studies."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.portal.models import CaseStudyPage, DistrictTeam, Topic
from civic.portal.services import add_to_district_team


def make_image(title, colour=(40, 120, 90), size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.jpg")
    )


def case_study(district_page, title, *, publish=True, topics=(), tags=(), image=None, **fields):
    before, after = make_image(f"{title}-before"), make_image(f"{title}-after", (200, 80, 40))
    page = CaseStudyPage(
        title=title,
        live=False,
        summary=fields.pop("summary", f"{title} summary"),
        problem="<p>Steps too high for wheelchairs.</p>",
        actions="<p>Built a ramp with the residents.</p>",
        outcome="<p>Everyone gets in.</p>",
        image=image,
        figures=[
            ("cost", {"amount": "12000.00", "currency": "CNY", "note": ""}),
            ("duration", {"value": 6, "unit": "weeks", "note": ""}),
            ("people_reached", {"count": 1500, "note": ""}),
            ("measure", {"label": "Falls a month", "before": "4", "after": "0", "unit": ""}),
        ],
        body=[
            ("paragraph", "<p>How we did it.</p>"),
            ("before_after", {"before": before, "after": after, "caption": "The entrance"}),
        ],
        **fields,
    )
    district_page.add_child(instance=page)
    page.topics.set(topics)
    page.tags.add(*tags)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


@pytest.fixture
def teams(portal, make_user):
    """Editors and approvers for D1 and D2 (the teams were made with the district pages)."""
    _home, pages = portal
    people = {}
    for code, page in pages.items():
        editor = make_user(Role.RESIDENT, email=f"editor-{code.lower()}@example.org")
        approver = make_user(Role.RESIDENT, email=f"approver-{code.lower()}@example.org")
        add_to_district_team(SYSTEM, editor, page)
        add_to_district_team(SYSTEM, approver, page, approver=True)
        people[code] = SimpleNamespace(
            page=page,
            team=DistrictTeam.objects.get(district_page=page),
            editor=editor,
            approver=approver,
        )
    return SimpleNamespace(**people)


@pytest.fixture
def topics(db):
    return SimpleNamespace(
        access=Topic.objects.create(name="无障碍", name_en="Accessibility", slug="access"),
        waste=Topic.objects.create(name="垃圾分类", name_en="Waste sorting", slug="waste"),
    )


@pytest.fixture
def library(portal):
    from civic.portal.models import CaseLibraryPage

    home, _pages = portal
    page = home.add_child(instance=CaseLibraryPage(title="案例库", slug="library", live=False))
    page.save_revision().publish()
    return page
