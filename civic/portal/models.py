from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from civic.areas import queries as area_queries
from civic.areas.models import AreaKind
from civic.core.i18n import LocalizedName
from civic.departments import queries as department_queries

from .blocks import BodyBlock, FigureBlock

RICH_TEXT = ["h3", "bold", "italic", "ol", "ul", "link"]


class HomePage(Page):
    """The city portal's front page; district home pages sit beneath it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.DistrictPage", "portal.CaseLibraryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("city home page")

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragments are missing (queries.HOME_FRAGMENTS).
        context["home"] = queries.HomeContent(self, request.user)
        context["my_open_reports"] = queries.my_open_reports(request.user)
        return context


class DistrictPage(Page):
    """A district's home page. Districts are sections of one site rather than separate Sites:
    residents move between districts on one address, and editors are kept to their own
    district by page permissions on this subtree."""

    area = models.OneToOneField(
        "areas.Area",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": AreaKind.DISTRICT},
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("area"), FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.CaseStudyPage", "portal.NewsPage"]

    class Meta:
        verbose_name = _("district home page")

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        streets = area_queries.areas_in_tree(parent=self.area)
        context["streets"] = streets
        context["departments"] = department_queries.departments_serving(self.area)
        context["grid_cell_count"] = area_queries.areas_of_kind(
            AreaKind.GRID, within=self.area
        ).count()
        context["case_studies"] = queries.case_studies_of_district(self)
        context["news"] = queries.news_of_district(self)
        context["library"] = queries.case_library()
        return context


@register_snippet
class Topic(LocalizedName):
    """What a case study is about (a snippet editors manage): ageing, accessibility, waste…"""

    # Short and unique: topics are tags on case studies.
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["slug"]

    def __str__(self):
        return self.localized_name


class CaseStudyTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.CaseStudyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CaseStudyPage(Page):
    """What one district did about a problem, written so that another can copy it.

    Another district adopts it as a Wagtail alias under its own home page: the alias shows the
    original's content and Wagtail updates it whenever the original is published again.
    """

    district = models.ForeignKey(
        "areas.Area",
        verbose_name=_("district of origin"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": AreaKind.DISTRICT},
        editable=False,
    )
    summary = models.TextField(_("summary"), max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem = RichTextField(_("the problem"), features=RICH_TEXT)
    actions = RichTextField(_("what was done"), features=RICH_TEXT)
    outcome = RichTextField(_("the outcome"), features=RICH_TEXT, blank=True)
    figures = StreamField(FigureBlock(), verbose_name=_("figures"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("story and pictures"), blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    tags = ClusterTaggableManager(through=CaseStudyTag, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_details = models.CharField(
        _("contact details"), max_length=200, blank=True, help_text=_("A phone number or email.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("problem"),
        FieldPanel("actions"),
        FieldPanel("outcome"),
        FieldPanel("figures"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Topics and tags"),
        ),
        InlinePanel("report_links", heading=_("Reports it grew from"), label=_("report")),
        InlinePanel("thread_links", heading=_("Discussions it grew from"), label=_("thread")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_details")], heading=_("Contact")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.SearchField("actions"),
        index.SearchField("outcome"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("district"),
    ]
    parent_page_types = ["portal.DistrictPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def save(self, *args, **kwargs):
        # The district of origin is where the page is first created; an alias copies it.
        if self.district_id is None and self.path:
            parent = self.get_parent().specific
            if isinstance(parent, DistrictPage):
                self.district_id = parent.area_id
        return super().save(*args, **kwargs)

    @property
    def original(self):
        """The case study itself, for an adopted copy (an alias) as for the original."""
        return self.alias_of.specific if self.alias_of_id else self

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        original = self.original
        context["original"] = original
        context["adopters"] = queries.adopters_of(original)
        context["linked_reports"] = queries.public_linked_reports(original)
        context["adoptable_into"] = queries.districts_user_may_adopt_into(request.user, original)
        context["library"] = queries.case_library()
        return context


class CaseStudyReportLink(Orderable):
    """A report the case study grew from (shown when the report is public)."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="report_links")
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("report"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("report")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "report"], name="portal_case_report_once")
        ]


class CaseStudyThreadLink(Orderable):
    """A forum thread the case study grew from (shown to those who may read it)."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="thread_links")
    thread = models.ForeignKey(
        "forums.Thread", verbose_name=_("thread"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("thread")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "thread"], name="portal_case_thread_once")
        ]


class LeadershipRecommendation(models.Model):
    """An editor recommended the case study to the leadership space; once per case study."""

    page = models.OneToOneField(
        CaseStudyPage,
        verbose_name=_("case study"),
        on_delete=models.CASCADE,
        related_name="leadership_recommendation",
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recommended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation to leadership")
        verbose_name_plural = _("recommendations to leadership")

    def __str__(self):
        return str(self.page)


class NewsPage(Page):
    """News from one district."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = RichTextField(_("body"), features=RICH_TEXT)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.DistrictPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")


class CaseLibraryPage(Page):
    """Every district's published case studies in one place: filter, search, sort."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("case library")

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.library_listing(request.GET))
        return context


class DistrictTeam(models.Model):
    """A district's editors and approvers groups and its moderation workflow, kept by
    ``services.sync_district_team``."""

    district_page = models.OneToOneField(
        DistrictPage, on_delete=models.CASCADE, related_name="team"
    )
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="district_editing"
    )
    approvers = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="district_approving"
    )
    workflow = models.OneToOneField(
        "wagtailcore.Workflow", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("district team")

    def __str__(self):
        return str(self.district_page)
