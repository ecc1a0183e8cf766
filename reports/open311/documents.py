"""What GeoReport v2 says about services and requests, built from the reports app's models.

Requests are described as the public sees them (``reports.privacy`` with an anonymous viewer):
Open311 reads need no key, so they never carry the reporter's identity or contact details,
internal notes, or a sensitive category's exact location.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext

from civic.core.i18n import localized
from reports import privacy
from reports import queries as report_queries
from reports.models import STATE_FAMILY, Family, PhotoKind

from .serializers import FORMATS, w3c

ANONYMOUS = AnonymousUser()


def service_notice(category):
    return gettext("The department responsible looks at it within %(hours)s hours.") % {
        "hours": category.accept_sla_hours
    }


def discovery(base_url):
    return {
        "changeset": settings.OPEN311_CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base_url,
                "changeset": settings.OPEN311_CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }


def service(category):
    questions = list(category.questions.all())
    return {
        "service_code": category.service_code,
        "service_name": category.localized_name,
        "description": category.localized_description,
        "metadata": bool(questions),
        "type": "realtime",
        "keywords": ", ".join(category.keyword_list),
        "group": category.localized_group,
    }


def service_definition(category):
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        attributes.append(
            {
                "variable": True,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": None,
                "order": order,
                "description": question.localized_label,
                "values": [
                    {"key": key, "name": localized(name, name_en)}
                    for key, name, name_en in question.option_list
                ],
            }
        )
    return {"service_code": category.service_code, "attributes": attributes}


def _updated(report, status):
    if status == "closed":
        return report.closed_at or report.resolved_at or report.updated_at
    return report.updated_at


def _media_url(report, request):
    photo = next((p for p in report.photos.all() if p.kind == PhotoKind.REPORT), None)
    if photo is None:
        return None
    return request.build_absolute_uri(reverse("reports:photo", args=[photo.pk, "display"]))


def open311_status(report):
    return "open" if STATE_FAMILY[report.state] == Family.OPEN else "closed"


def service_request(report, request):
    """One request as GET requests answers it; ``report`` comes from ``queries.requests()``."""
    shown = privacy.public_view(report, ANONYMOUS)
    status = open311_status(report)
    return {
        "service_request_id": report.pk,
        "status": status,
        "status_notes": report_queries.latest_agency_note(report),
        "service_name": report.category.localized_name,
        "service_code": report.category.service_code,
        "description": report.description,
        "agency_responsible": report.department.localized_name if report.department else None,
        "service_notice": service_notice(report.category),
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(_updated(report, status)),
        "expected_datetime": w3c(report.resolve_deadline),
        "address": shown.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": shown.lat,
        "long": shown.lon,
        "media_url": _media_url(report, request),
    }
