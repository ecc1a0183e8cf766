"""The case-study root queries: the shared library (``caseStudies``), one case study,
districts and topics."""

import graphene

from civic.core.api.ids import pk_from_global_id
from civic.core.api.pagination import connection_args, paginate
from civic.core.errors import NotFound

from .. import queries
from ..models import Topic
from .types import (
    CaseStudyConnection,
    CaseStudyOrder,
    CaseStudyType,
    District,
    TopicType,
    live_districts,
    prepare_case_studies,
)


class Query(graphene.ObjectType):
    case_studies = graphene.Field(
        CaseStudyConnection,
        required=True,
        district=graphene.String(description="A district's area code."),
        topic=graphene.String(description="A topic's slug."),
        tag=graphene.String(description="A tag's slug."),
        search=graphene.String(description="Words to look for."),
        order=CaseStudyOrder(default_value="newest"),
        **connection_args(),
        description="The case library: every district's published case studies.",
    )
    case_study = graphene.Field(
        CaseStudyType,
        id=graphene.ID(description="A CaseStudy global ID."),
        slug=graphene.String(description="The original's slug (as in its web address)."),
        description="One published case study, by ID or slug; null if there is none.",
    )
    districts = graphene.List(
        graphene.NonNull(District), required=True, description="Districts with a home page."
    )
    case_study_topics = graphene.List(
        graphene.NonNull(TopicType), required=True, description="Topics to filter by."
    )

    def resolve_case_studies(
        root, info, district=None, topic=None, tag=None, search=None, order="newest", **page
    ):
        area = None
        if district:
            match = [p for p in live_districts(info).values() if p.area.code == district]
            if not match:
                raise NotFound(field="district")
            area = match[0].area
        queryset = queries.filter_case_studies(
            queries.published_case_studies(), district=area, topic=topic, tag=tag, search=search
        )
        return paginate(
            CaseStudyConnection,
            queryset,
            ordering=queries.SORTS[getattr(order, "value", order)],
            prepare=prepare_case_studies(info, "edges", "node"),
            **page,
        )

    def resolve_case_study(root, info, id=None, slug=None):
        pages = queries.published_case_studies()
        if id:
            pages = pages.filter(pk=pk_from_global_id(id, "CaseStudy", field="id"))
        elif slug:
            pages = pages.filter(slug=slug)
        else:
            return None
        page = pages.first()
        if page is not None:
            prepare_case_studies(info)([page])
        return page

    def resolve_districts(root, info):
        return list(live_districts(info).values())

    def resolve_case_study_topics(root, info):
        return list(Topic.objects.all())
