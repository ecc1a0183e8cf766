"""The demo portal: the city home page as the default site's root, and a published page per
district. Runs after the areas demo; pages that exist are left alone."""

from wagtail.models import Page, Site

from civic.areas.demo import CITY
from civic.areas.models import Area, AreaKind
from civic.areas.queries import areas_of_kind

from .models import DistrictPage, HomePage

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


def seed(progress=iter):
    """Create the home page and the missing district pages; returns the home page."""
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
    return home
