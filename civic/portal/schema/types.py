"""GraphQL types for case studies: the shared library's case studies, their content, districts.

StreamField content is exposed block by block with a type per block, read from the stream's raw
data so that a page of case studies loads every image it shows in one query (with the
renditions of the fixed sizes in ``ImageSize``), whatever the page size.
"""

from decimal import Decimal

import graphene
from django.conf import settings
from django.db.models import Count, prefetch_related_objects
from graphene import relay
from graphene_django import DjangoObjectType
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html

from civic.core.api.selection import selected_fields
from forums.permissions import can_see_thread

from .. import queries
from ..blocks import DurationUnit
from ..models import CaseStudyPage, DistrictPage

RENDITION_SPECS = {
    "THUMBNAIL": "fill-160x160",
    "CARD": queries.CARD_RENDITION,
    "MEDIUM": "max-800x800",
    "LARGE": "max-1600x1600",
}
ImageSize = graphene.Enum(
    "ImageSize",
    [(name, name) for name in RENDITION_SPECS],
    description="The sizes images come in: thumbnail 160×160 and card 480×270 (cropped to "
    "fill), medium within 800×800 and large within 1600×1600 (whole picture).",
)
CaseStudyOrder = graphene.Enum(
    "CaseStudyOrder",
    [("NEWEST", "newest"), ("MOST_ADOPTED", "adopted")],
    description="Newest first, or the most adopted first (then newest).",
)
DurationUnitEnum = graphene.Enum(
    "DurationUnit", [(code.upper(), code) for code, _label in DurationUnit.CHOICES]
)


def _absolute(url):
    if url and url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


class Rendition(graphene.ObjectType):
    url = graphene.String(required=True, description="Absolute URL of the resized file.")
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


class CaseStudyImage(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    rendition = graphene.Field(Rendition, required=True, size=ImageSize(required=True))

    def resolve_id(image, info):
        return image.pk

    def resolve_rendition(image, info, size):
        rendition = image.get_rendition(RENDITION_SPECS[getattr(size, "value", size)])
        return Rendition(
            url=_absolute(rendition.url), width=rendition.width, height=rendition.height
        )


# --- StreamField blocks, one type each -------------------------------------------------------


class _Block:
    """A block read from a stream's raw data; ``images`` resolves image ids."""

    def __init__(self, raw, images):
        self.kind = raw["type"]
        self.id = raw.get("id") or ""
        self.value = raw["value"]
        self.images = images

    def image(self, key):
        return self.images.get(self.value.get(key))


class BlockFields:
    id = graphene.String(required=True, description="Stable within the page's revisions.")


class ParagraphBlock(BlockFields, graphene.ObjectType):
    html = graphene.String(required=True)

    def resolve_html(block, info):
        return expand_db_html(block.value)


class ImageBlock(BlockFields, graphene.ObjectType):
    image = graphene.Field(CaseStudyImage, description="Null if the image was deleted.")
    caption = graphene.String(required=True)

    def resolve_image(block, info):
        return block.image("image")

    def resolve_caption(block, info):
        return block.value.get("caption") or ""


class BeforeAfterBlock(BlockFields, graphene.ObjectType):
    before = graphene.Field(CaseStudyImage)
    after = graphene.Field(CaseStudyImage)
    caption = graphene.String(required=True)

    def resolve_before(block, info):
        return block.image("before")

    def resolve_after(block, info):
        return block.image("after")

    def resolve_caption(block, info):
        return block.value.get("caption") or ""


class CaseStudyBodyBlock(graphene.Union):
    class Meta:
        types = (ParagraphBlock, ImageBlock, BeforeAfterBlock)
        description = "A part of a case study's story: text, a picture, a before/after pair."

    @classmethod
    def resolve_type(cls, block, info):
        return {"paragraph": ParagraphBlock, "image": ImageBlock, "before_after": BeforeAfterBlock}[
            block.kind
        ]


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


class CostFigure(BlockFields, graphene.ObjectType):
    amount = graphene.Decimal(required=True)
    currency = graphene.String(required=True, description="ISO 4217 code, e.g. CNY.")
    note = graphene.String(required=True)

    def resolve_amount(block, info):
        return _decimal(block.value.get("amount"))

    def resolve_currency(block, info):
        return block.value.get("currency") or ""

    def resolve_note(block, info):
        return block.value.get("note") or ""


class DurationFigure(BlockFields, graphene.ObjectType):
    value = graphene.Int(required=True)
    # Not "unit": MeasureFigure's unit is free text, and fields of one name in a union must
    # agree in type.
    time_unit = graphene.Field(DurationUnitEnum, required=True)
    note = graphene.String(required=True)

    def resolve_value(block, info):
        return block.value.get("value")

    def resolve_time_unit(block, info):
        return block.value.get("unit")

    def resolve_note(block, info):
        return block.value.get("note") or ""


class PeopleReachedFigure(BlockFields, graphene.ObjectType):
    count = graphene.Int(required=True)
    note = graphene.String(required=True)

    def resolve_count(block, info):
        return block.value.get("count")

    def resolve_note(block, info):
        return block.value.get("note") or ""


class MeasureFigure(BlockFields, graphene.ObjectType):
    label = graphene.String(required=True, description="What was measured.")
    before = graphene.Decimal(required=True)
    after = graphene.Decimal(required=True)
    unit = graphene.String(required=True)

    def resolve_label(block, info):
        return block.value.get("label") or ""

    def resolve_before(block, info):
        return _decimal(block.value.get("before"))

    def resolve_after(block, info):
        return _decimal(block.value.get("after"))

    def resolve_unit(block, info):
        return block.value.get("unit") or ""


class OutcomeFigure(graphene.Union):
    class Meta:
        types = (CostFigure, DurationFigure, PeopleReachedFigure, MeasureFigure)
        description = "A figure of the outcome: cost, time taken, people reached, a measure."

    @classmethod
    def resolve_type(cls, block, info):
        return {
            "cost": CostFigure,
            "duration": DurationFigure,
            "people_reached": PeopleReachedFigure,
            "measure": MeasureFigure,
        }[block.kind]


# --- Districts, topics, case studies ---------------------------------------------------------


class District(DjangoObjectType):
    """A district's home page in the portal."""

    code = graphene.String(required=True, description="The district's area code.")
    name = graphene.String(required=True, description="In the request's language.")
    url = graphene.String(required=True)
    case_study_count = graphene.Int(
        required=True, description="Published case studies that started here."
    )
    adopted_count = graphene.Int(
        required=True, description="Other districts' case studies adopted here."
    )

    class Meta:
        model = DistrictPage
        name = "District"
        interfaces = (relay.Node,)
        fields = ()

    @classmethod
    def get_node(cls, info, id):
        return live_districts(info).get(int(id)) if str(id).isdigit() else None

    def resolve_code(page, info):
        return page.area.code

    def resolve_name(page, info):
        return page.area.localized_name

    def resolve_url(page, info):
        return _absolute(page.url)

    def resolve_case_study_count(page, info):
        return _district_counts(info)[0].get(page.area_id, 0)

    def resolve_adopted_count(page, info):
        return _district_counts(info)[1].get(page.pk, 0)


def live_districts(info):
    """The live district pages, read once per request: ``{page id: page}``."""
    cache = info.context.__dict__.setdefault("_portal_districts", {})
    if not cache:
        cache.update({page.pk: page for page in queries.district_pages()})
    return cache


def _district_counts(info):
    """Originals per district area and adopted copies per district page, two queries per
    request."""
    counts = info.context.__dict__.get("_portal_district_counts")
    if counts is None:
        own = dict(
            queries.published_case_studies()
            .order_by()
            .values_list("district")
            .annotate(n=Count("pk"))
            .values_list("district", "n")
        )
        pages = live_districts(info)
        adopted = dict.fromkeys(pages, 0)
        by_path = {page.path: page.pk for page in pages.values()}
        aliases = CaseStudyPage.objects.live().filter(alias_of__isnull=False)
        for path in aliases.values_list("path", flat=True):
            parent = by_path.get(path[: -DistrictPage.steplen])
            if parent is not None:
                adopted[parent] += 1
        counts = info.context._portal_district_counts = (own, adopted)
    return counts


class TopicType(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True, description="In the request's language.")

    def resolve_name(topic, info):
        return topic.localized_name


class CaseStudyContact(graphene.ObjectType):
    name = graphene.String(required=True)
    details = graphene.String(required=True, description="A phone number or email.")


class CaseStudyType(DjangoObjectType):
    """What one district did about a problem, for others to copy."""

    url = graphene.String(required=True)
    published_at = graphene.DateTime(required=True)
    problem_html = graphene.String(required=True)
    actions_html = graphene.String(required=True)
    outcome_html = graphene.String(required=True)
    figures = graphene.List(graphene.NonNull(OutcomeFigure), required=True)
    body = graphene.List(graphene.NonNull(CaseStudyBodyBlock), required=True)
    cover_image = graphene.Field(CaseStudyImage)
    topics = graphene.List(graphene.NonNull(TopicType), required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    district = graphene.Field(District, description="The district of origin.")
    adoption_count = graphene.Int(required=True, description="Districts that adopted it.")
    adopted_by = graphene.List(graphene.NonNull(District), required=True)
    report_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Global IDs of the public reports it grew from (query them with node).",
    )
    thread_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Global IDs of the forum threads it grew from that you may read "
        "(ForumThread; query them with node).",
    )
    contact = graphene.Field(CaseStudyContact, required=True)

    class Meta:
        model = CaseStudyPage
        name = "CaseStudy"
        interfaces = (relay.Node,)
        fields = ("title", "slug", "summary")

    @classmethod
    def get_node(cls, info, id):
        page = queries.published_case_studies().filter(pk=id).first() if str(id).isdigit() else None
        if page is not None:
            prepare_case_studies(info)([page])
        return page

    def resolve_url(page, info):
        return _absolute(page.url)

    def resolve_published_at(page, info):
        return page.first_published_at

    def resolve_problem_html(page, info):
        return expand_db_html(page.problem)

    def resolve_actions_html(page, info):
        return expand_db_html(page.actions)

    def resolve_outcome_html(page, info):
        return expand_db_html(page.outcome)

    def resolve_figures(page, info):
        return [_Block(raw, page.api_images) for raw in page.figures.raw_data]

    def resolve_body(page, info):
        return [_Block(raw, page.api_images) for raw in page.body.raw_data]

    def resolve_cover_image(page, info):
        return page.api_images.get(page.image_id)

    def resolve_topics(page, info):
        return list(page.topics.all())

    def resolve_tags(page, info):
        return sorted(tag.name for tag in page.tags.all())

    def resolve_district(page, info):
        return page.api_district

    def resolve_adoption_count(page, info):
        return page.adoption_count

    def resolve_adopted_by(page, info):
        return page.api_adopters

    def resolve_report_ids(page, info):
        return [
            relay.Node.to_global_id("Report", link.report_id)
            for link in page.report_links.all()
            if link.report.is_public
        ]

    def resolve_thread_ids(page, info):
        user = info.context.user
        return [
            relay.Node.to_global_id("ForumThread", link.thread_id)
            for link in page.thread_links.all()
            if can_see_thread(user, link.thread)
        ]

    def resolve_contact(page, info):
        return CaseStudyContact(name=page.contact_name, details=page.contact_details)


def _image_ids(page):
    ids = {page.image_id}
    for raw in page.body.raw_data:
        value = raw["value"]
        if raw["type"] == "image":
            ids.add(value.get("image"))
        elif raw["type"] == "before_after":
            ids.update((value.get("before"), value.get("after")))
    return {pk for pk in ids if pk}


def prepare_case_studies(info, *path):
    """A ``prepare`` for ``paginate`` (and single case studies): one query per relation for the
    whole page — images with their renditions, topics, tags, report links, adopters."""
    wanted = selected_fields(info, *path)

    def prepare(pages):
        image_ids = set().union(*(_image_ids(page) for page in pages))
        images = (
            get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_renditions(*RENDITION_SPECS.values())
            .in_bulk()
            if image_ids and wanted & {"body", "coverImage"}
            else {}
        )
        districts = {page.area_id: page for page in live_districts(info).values()}
        adopters = queries.adopters_by_page(pages) if "adoptedBy" in wanted else {}
        if "topics" in wanted:
            prefetch_related_objects(pages, "topics")
        if "tags" in wanted:
            prefetch_related_objects(pages, "tags")
        if "reportIds" in wanted:
            prefetch_related_objects(pages, "report_links__report")
        if "threadIds" in wanted:
            prefetch_related_objects(pages, "thread_links__thread")
        for page in pages:
            page.api_images = images
            page.api_district = districts.get(page.district_id)
            page.api_adopters = adopters.get(page.pk, [])

    return prepare


class CaseStudyConnection(relay.Connection):
    class Meta:
        node = CaseStudyType
