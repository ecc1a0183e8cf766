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
from civic.departments.models import Department
from reports import privacy
from reports import queries as report_queries
from reports.models import STATE_FAMILY, Category, Family, PhotoKind

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


# A number no real photo id will reach in a URL, replaced by each photo's id.
_PHOTO_ID_MARK = 987654321987654321


def _media_urls(request):
    """A function from a photo id to the absolute address of its display copy: the address is
    reversed and made absolute once per request, not once per photo."""
    template = request.build_absolute_uri(
        reverse("reports:photo", args=[_PHOTO_ID_MARK, "display"])
    )
    before, _mark, after = template.rpartition(str(_PHOTO_ID_MARK))
    return lambda pk: f"{before}{pk}{after}"


def open311_status(report):
    return "open" if STATE_FAMILY[report.state] == Family.OPEN else "closed"


def service_requests(reports, request):
    """The documents of GET requests for ``reports`` (from ``queries.requests()``), one by one.

    A fixed number of queries whatever their number: the agencies' notes, the first photos,
    the categories and the departments are each read once for all of them, and only the columns
    the documents print."""
    reports = list(reports)
    ids = [report.pk for report in reports]
    notes = report_queries.latest_agency_notes(ids)
    photos = report_queries.first_photo_ids(ids, PhotoKind.REPORT)
    categories = Category.objects.in_bulk({report.category_id for report in reports})
    departments = Department.objects.only("name", "name_en").in_bulk(
        {report.department_id for report in reports if report.department_id}
    )
    media_url = _media_urls(request)
    notices = {pk: service_notice(category) for pk, category in categories.items()}
    for report in reports:
        report.category = category = categories[report.category_id]
        department = departments.get(report.department_id)
        shown = privacy.public_view(report, ANONYMOUS)
        status = open311_status(report)
        photo = photos.get(report.pk)
        yield {
            "service_request_id": report.pk,
            "status": status,
            "status_notes": notes.get(report.pk),
            "service_name": category.localized_name,
            "service_code": category.service_code,
            "description": report.description,
            "agency_responsible": department.localized_name if department else None,
            "service_notice": notices[category.pk],
            "requested_datetime": w3c(report.created_at),
            "updated_datetime": w3c(_updated(report, status)),
            "expected_datetime": w3c(report.resolve_deadline),
            "address": shown.address or None,
            "address_id": None,
            "zipcode": None,
            "lat": shown.lat,
            "long": shown.lon,
            "media_url": media_url(photo) if photo is not None else None,
        }
