"""Read helpers for the portal's pages and the API: the case library, adopters, districts."""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from civic.core.text import SearchTooLong, search_text
from forums import queries as forum_queries
from forums.models import SpaceKind
from reports import queries as report_queries
from reports.models import Family

from .models import (
    CaseLibraryPage,
    CaseStudyPage,
    CaseStudyReportLink,
    DistrictPage,
    NewsPage,
    Topic,
)
from .permissions import can_add_under, can_adopt_into

LIBRARY_PAGE_SIZE = 12
# The cover picture on a case study card, one rendition per card.
CARD_RENDITION = "fill-480x270"
SORTS = {
    "newest": ("-first_published_at", "-id"),
    "adopted": ("-adoption_count", "-first_published_at", "-id"),
}


def with_adoption_count(queryset):
    """Annotate ``adoption_count``: how many aliases (adoptions) a case study has.

    A subquery rather than a join and GROUP BY, so that keyset cursors can filter on it."""
    aliases = (
        Page.objects.filter(alias_of=OuterRef("pk"))
        .order_by()
        .values("alias_of")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        adoption_count=Coalesce(Subquery(aliases, output_field=IntegerField()), Value(0))
    )


def published_case_studies():
    """Every district's published originals (adopted copies are not listed twice)."""
    return with_adoption_count(
        CaseStudyPage.objects.live().public().filter(alias_of__isnull=True)
    ).select_related("district")


def with_card_data(queryset):
    """What a case study card shows, in a fixed number of queries whatever the page size."""
    return queryset.prefetch_related(
        "topics",
        "tags",
        Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(CARD_RENDITION)),
    )


def filter_case_studies(queryset, *, district=None, topic=None, tag=None, search=None):
    """Narrow case studies by district (an Area), topic slug, tag slug and search words
    (SearchTooLong beyond ``SEARCH_MAX_LENGTH``)."""
    if district is not None:
        queryset = queryset.filter(district=district)
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    search = search_text(search, field="search")
    if search:
        matches = CaseStudyPage.objects.live().search(search)
        queryset = queryset.filter(pk__in=[page.pk for page in matches])
    return queryset


def case_library():
    return CaseLibraryPage.objects.live().public().first()


def district_pages():
    return DistrictPage.objects.live().public().select_related("area").order_by("path")


def districts_to_start_in(user):
    """The district pages ``user`` may start case studies under (none: not one of their tools)."""
    return [page for page in district_pages() if can_add_under(user, page)]


def library_listing(params):
    """The case library's context from its query string (district, topic, tag, q, sort, page)."""
    districts = list(district_pages())
    by_code = {page.area.code: page for page in districts}
    district_page = by_code.get(params.get("district", ""))
    sort = params.get("sort") if params.get("sort") in SORTS else "newest"
    search_error = ""
    try:
        queryset = filter_case_studies(
            published_case_studies(),
            district=district_page.area if district_page else None,
            topic=params.get("topic", "").strip(),
            tag=params.get("tag", "").strip(),
            search=params.get("q", ""),
        ).order_by(*SORTS[sort])
    except SearchTooLong as exc:
        queryset, search_error = CaseStudyPage.objects.none(), exc.message
    page = Paginator(with_card_data(queryset), LIBRARY_PAGE_SIZE).get_page(params.get("page"))
    return {
        "case_studies": page,
        "search_error": search_error,
        "districts": districts,
        "topics": Topic.objects.all(),
        "tags": Tag.objects.filter(portal_casestudytag_items__isnull=False)
        .distinct()
        .order_by("name"),
        "chosen": {
            "district": district_page.area.code if district_page else "",
            "topic": params.get("topic", ""),
            "tag": params.get("tag", ""),
            "q": params.get("q", ""),
            "sort": sort,
        },
    }


def adopters_of(page):
    """The district pages that adopted ``page`` (hold an alias of it), in tree order."""
    paths = [
        path[: -Page.steplen]
        for path in Page.objects.filter(alias_of=page).values_list("path", flat=True)
    ]
    return list(district_pages().filter(path__in=paths))


def adopters_by_page(pages):
    """``{page id: [district pages]}`` for many case studies in two queries."""
    aliases = list(Page.objects.filter(alias_of__in=pages).values_list("alias_of_id", "path"))
    parents = {
        page.path: page
        for page in district_pages().filter(path__in={p[: -Page.steplen] for _id, p in aliases})
    }
    found = {page.pk: [] for page in pages}
    for original_id, path in aliases:
        parent = parents.get(path[: -Page.steplen])
        if parent is not None:
            found[original_id].append(parent)
    return found


def districts_user_may_adopt_into(user, page):
    """District pages where ``user`` may adopt ``page`` now (not its own, not adopted yet)."""
    if not getattr(user, "is_authenticated", False):
        return []
    adopted = {district.pk for district in adopters_of(page)}
    return [
        district
        for district in district_pages()
        if district.area_id != page.district_id
        and district.pk not in adopted
        and can_adopt_into(user, district)
    ]


def public_linked_reports(page):
    return [
        link.report
        for link in CaseStudyReportLink.objects.filter(page=page, report__is_public=True)
        .select_related("report__category")
        .order_by("sort_order")
    ]


def latest_case_studies(limit=6):
    return with_card_data(published_case_studies().order_by("-first_published_at", "-id"))[:limit]


def hot_public_threads(viewer, limit=5):
    """The public forum's hottest threads the viewer may read (a private group's stay out)."""
    space = forum_queries.space_of_kind(SpaceKind.PUBLIC)
    if space is None:
        return []
    return forum_queries.threads(viewer, space=space, order="hot")[:limit]


def case_studies_of_district(district_page, limit=6):
    """A district's own case studies and the ones it adopted, newest first."""
    return with_card_data(
        with_adoption_count(CaseStudyPage.objects.live().public().child_of(district_page))
        .select_related("district")
        .order_by("-first_published_at", "-id")
    )[:limit]


def news_of_district(district_page, limit=5):
    return NewsPage.objects.live().public().child_of(district_page).order_by("-date", "-id")[:limit]


def my_open_reports(user, limit=5):
    """The signed-in resident's own open reports, newest first (none for a visitor)."""
    if not user.is_authenticated:
        return []
    return report_queries.filter_reports(
        report_queries.reports_of(user), family=Family.OPEN
    ).order_by("-created_at", "-id")[:limit]


def open_reports_near(district_page, limit=3):
    """The newest open public reports in the district (the reports app's own filters)."""
    return report_queries.filter_reports(
        report_queries.public_reports(), area=district_page.area, family=Family.OPEN
    ).order_by("-created_at", "-id")[:limit]


# The home page's fragments that change rarely, cached per language (the template's ``{% cache
# %}`` tags) and forgotten by ``receivers`` on the events that change them; the timeouts are a
# safety net. The hot threads are cached only for anonymous readers (a signed-in reader may see
# a group's threads), for a minute since the ranking moves with time.
HOME_FRAGMENTS = {"portal_home": 600, "portal_home_reports": 600, "portal_home_hot": 60}


def forget_home(*fragments):
    """Drop the home page's cached ``fragments`` (all of them by default), in every language."""
    keys = [
        make_template_fragment_key(name, [language])
        for name in fragments or HOME_FRAGMENTS
        for language, _name in settings.LANGUAGES
    ]
    cache.delete_many(keys)


class HomeContent:
    """What the city's home page shows, each part read when the template first asks for it."""

    def __init__(self, home, viewer):
        self.home = home
        self.viewer = viewer

    @cached_property
    def district_pages(self):
        return list(DistrictPage.objects.live().public().child_of(self.home).select_related("area"))

    @cached_property
    def district_areas(self):
        return [page.area for page in self.district_pages]

    @cached_property
    def pages_by_area(self):
        return {page.area_id: page for page in self.district_pages}

    @cached_property
    def latest_case_studies(self):
        return latest_case_studies()

    @cached_property
    def hot_threads(self):
        return hot_public_threads(self.viewer)

    @cached_property
    def library(self):
        return case_library()

    @cached_property
    def open_reports(self):
        return [(page, open_reports_near(page)) for page in self.district_pages]

    @property
    def fragment_timeouts(self):
        return HOME_FRAGMENTS
