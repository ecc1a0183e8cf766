"""The demo portal: the city home page as the default site's root, a published page per
district with its editors' team, the case library, news, and case studies (some adopted by
other districts, one recommended to leadership). Runs after the areas, accounts and reports
demos; what exists is left alone."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from civic.accounts.models import User
from civic.areas.models import Area, AreaKind
from civic.areas.queries import areas_of_kind
from civic.core.permissions import SYSTEM
from civic.portal import services
from civic.portal.models import (
    CaseLibraryPage,
    CaseStudyPage,
    DistrictPage,
    HomePage,
    LeadershipRecommendation,
    NewsPage,
    Topic,
)

from .areas import CITY
from .case_studies import ADOPTIONS, CASES, RECOMMENDED, TOPICS

# Demo editors (made by the accounts demo) and the district each writes for.
DISTRICT_EDITORS = [
    ("editor@demo.civic", "QH-DH", False),
    ("approver@demo.civic", "QH-DH", True),
    ("editor2@demo.civic", "QH-XL", False),
]

HOME_TITLE = "清河市民参与平台"
HOME_INTRO = (
    "<p>随手拍、反映问题、跟进办理、参与讨论：共建清河。</p>"
    "<p>Snap and report a problem, follow it to the fix, join the discussion: "
    "Qinghe, built together.</p>"
)


def _district_intro(district):
    return f"<p>欢迎来到{district.name}。</p><p>Welcome to {district.name_en}.</p>"


def _home_page():
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title=HOME_TITLE, slug="qinghe", intro=HOME_INTRO, live=False)
        )
        home.save_revision().publish()
    return home


def _make_site_root(home):
    """Point the default site at ``home``; drop Wagtail's untouched "Welcome" page it had."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
        return
    if site.root_page_id == home.pk:
        return
    previous = site.root_page
    site.root_page = home
    site.site_name = site.site_name or HOME_TITLE
    site.save()
    welcome = (
        type(previous.specific) is Page
        and previous.depth == 2
        and previous.get_children_count() == 0
        and not Site.objects.filter(root_page=previous).exists()
    )
    if welcome:
        previous.delete()


def _picture(title, hue, *, after):
    """A small JPEG drawn at seed time: a street scene in blocks, greyer "before" than after."""
    rng = random.Random(f"{title}-{after}")
    image = PILImage.new("RGB", (640, 400), (150, 150, 150) if not after else (170, 210, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 640, 400), fill=(110, 110, 110) if not after else (90, 160, 90))
    for _n in range(6):
        x = rng.randrange(0, 560)
        height = rng.randrange(80, 200)
        colour = (hue, 120, 90) if after else (120, 115, 110)
        draw.rectangle((x, 260 - height, x + 70, 260), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    name = f"{title}-{'after' if after else 'before'}"
    return get_image_model().objects.create(
        title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{name}.jpg")
    )


def _case_study(district_page, spec, topics, hue):
    (
        _code,
        slug,
        title,
        summary,
        problem,
        actions,
        outcome,
        topic_slugs,
        tags,
        figures,
        measure,
    ) = spec
    before, after = _picture(slug, hue, after=False), _picture(slug, hue, after=True)
    cost, weeks, people = figures
    label, measure_before, measure_after, unit = measure
    page = CaseStudyPage(
        title=title,
        slug=slug,
        live=False,
        summary=summary,
        image=after,
        problem=f"<p>{problem}</p>",
        actions=f"<p>{actions}</p>",
        outcome=f"<p>{outcome}</p>",
        figures=[
            ("cost", {"amount": f"{cost}.00", "currency": "CNY", "note": ""}),
            ("duration", {"value": weeks, "unit": "weeks", "note": ""}),
            ("people_reached", {"count": people, "note": ""}),
            (
                "measure",
                {
                    "label": label,
                    "before": str(measure_before),
                    "after": str(measure_after),
                    "unit": unit,
                },
            ),
        ],
        body=[
            ("paragraph", f"<p>{actions}</p>"),
            ("before_after", {"before": before, "after": after, "caption": title}),
        ],
        contact_name="街道办 · Street office",
        contact_details="0571-8800 0000",
    )
    district_page.add_child(instance=page)
    page.topics.set([topics[topic] for topic in topic_slugs])
    page.tags.add(*tags)
    page.save_revision().publish()
    return page


def _case_studies(districts, progress):
    topics = {}
    for slug, name, name_en in TOPICS:
        topics[slug], _created = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    have = set(CaseStudyPage.objects.filter(alias_of__isnull=True).values_list("slug", flat=True))
    pages = {}
    for n, spec in enumerate(progress(CASES)):
        code, slug = spec[0], spec[1]
        if slug in have:
            pages[slug] = CaseStudyPage.objects.get(slug=slug, alias_of__isnull=True)
            continue
        pages[slug] = _case_study(districts[code], spec, topics, 60 + 40 * n)
    for slug, code in ADOPTIONS:
        if (
            not CaseStudyPage.objects.filter(alias_of=pages[slug])
            .child_of(districts[code])
            .exists()
        ):
            services.adopt_case_study(SYSTEM, pages[slug], district_page=districts[code])
    if not LeadershipRecommendation.objects.filter(page=pages[RECOMMENDED]).exists():
        services.recommend_to_leadership(
            SYSTEM, pages[RECOMMENDED], note="值得各区借鉴。Worth copying in every district."
        )


def _news(districts):
    for code, district_page in districts.items():
        slug = f"{code.lower()}-case-library"
        if NewsPage.objects.filter(slug=slug).exists():
            continue
        news = NewsPage(
            title=f"{district_page.title}加入案例库 · {district_page.area.name_en} joins",
            slug=slug,
            live=False,
            summary="各区的经验在案例库里共享。Every district's experience, shared.",
            body="<p>欢迎浏览并采纳其他区的做法。Browse and adopt what other districts did.</p>",
        )
        district_page.add_child(instance=news)
        news.save_revision().publish()


def _library(home):
    if not CaseLibraryPage.objects.exists():
        library = home.add_child(
            instance=CaseLibraryPage(
                title="案例库 · Case library",
                slug="cases",
                live=False,
                intro="<p>各区做过什么、效果如何，供大家借鉴。What each district did, and how "
                "it worked out.</p>",
            )
        )
        library.save_revision().publish()


def _teams(districts):
    for district_page in districts.values():
        services.sync_district_team(district_page)
    for email, code, approver in DISTRICT_EDITORS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            services.add_to_district_team(SYSTEM, user, districts[code], approver=approver)


def seed(progress=iter):
    """Create the home page, the missing district pages with their teams, the library, news
    and case studies; returns the home page."""
    home = _home_page()
    _make_site_root(home)
    city = Area.objects.get(code=CITY[0])
    have_page = set(DistrictPage.objects.values_list("area_id", flat=True))
    for district in progress(list(areas_of_kind(AreaKind.DISTRICT, within=city))):
        if district.pk in have_page:
            continue
        page = home.add_child(
            instance=DistrictPage(
                title=district.name,
                slug=district.code.lower(),
                area=district,
                intro=_district_intro(district),
                live=False,
            )
        )
        page.save_revision().publish()
    districts = {page.area.code: page for page in DistrictPage.objects.select_related("area")}
    _teams(districts)
    _library(home)
    _news(districts)
    _case_studies(districts, progress)
    return home
