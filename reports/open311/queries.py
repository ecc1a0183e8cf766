"""Read helpers for Open311: the public requests, filtered as GET requests asks."""

from reports import queries as report_queries
from reports.models import FAMILY_STATES, Family

from .models import Submission

CLOSED_STATES = FAMILY_STATES[Family.FIXED] + FAMILY_STATES[Family.CLOSED_NOT_FIXED]
STATUS_STATES = {"open": FAMILY_STATES[Family.OPEN], "closed": CLOSED_STATES}


def requests():
    """Public reports with what a request document shows, in a fixed number of queries."""
    return report_queries.with_public_events(report_queries.public_reports())


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
