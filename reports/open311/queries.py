"""Read helpers for Open311: the public requests, filtered as GET requests asks."""

from reports.models import FAMILY_STATES, Family, Report

from .models import Submission

CLOSED_STATES = FAMILY_STATES[Family.FIXED] + FAMILY_STATES[Family.CLOSED_NOT_FIXED]
STATUS_STATES = {"open": FAMILY_STATES[Family.OPEN], "closed": CLOSED_STATES}


# The columns a request document prints or decides by (``documents.service_requests``), and
# none of the others: no answers or contact to decode, no area with its boundary.
REQUEST_COLUMNS = (
    "id",
    "state",
    "description",
    "address",
    "lat",
    "lon",
    "category_id",
    "department_id",
    "reporter_id",
    "created_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "resolve_deadline",
)


def requests():
    """Public reports, with the columns a request document needs (what else it shows comes in
    a fixed number of queries in ``documents.service_requests``)."""
    return Report.objects.filter(is_public=True).only(*REQUEST_COLUMNS)


def filter_requests(queryset, *, ids=None, service_codes=None, start=None, end=None, statuses=None):
    """``ids`` overrides every other filter, as the specification says."""
    if ids is not None:
        return queryset.filter(pk__in=ids)
    if service_codes:
        queryset = queryset.filter(category__service_code__in=service_codes)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lte=end)
    if statuses:
        states = [state for status in statuses for state in STATUS_STATES[status]]
        queryset = queryset.filter(state__in=states)
    return queryset


def submission_by_token(token):
    return Submission.objects.filter(token=token).select_related("report").first()
