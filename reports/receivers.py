"""The reports app's part when an account closes or its holder asks for their data."""

from civic.accounts import events as account_events

from .models import Report, Support


def forget_reporter(sender, user, **kwargs):
    """Their reports stay for the city, with nobody behind them: no reporter, no name shown,
    no contact details. Timeline lines they wrote keep their (now nameless) account, which
    shows as a deleted account."""
    Report.objects.filter(reporter=user).update(reporter=None, show_name=False, contact={})
    Report.objects.filter(submitted_by=user).update(submitted_by=None)


def personal_data(sender, user, **kwargs):
    reports = Report.objects.filter(reporter=user).select_related("category").order_by("pk")
    return {
        "reports": [
            {
                "id": report.pk,
                "category": report.category.service_code,
                "description": report.description,
                "answers": report.answers,
                "location": {"lat": report.lat, "lon": report.lon},
                "address": report.address,
                "state": report.state,
                "anonymous": report.is_anonymous,
                "showName": report.show_name,
                "rating": report.rating,
                "ratingComment": report.rating_comment,
                "submittedAt": report.created_at.isoformat(),
            }
            for report in reports
        ],
        "supportedReports": list(
            Support.objects.filter(user=user).order_by("pk").values_list("report_id", flat=True)
        ),
    }


def connect():
    account_events.account_deleted.connect(forget_reporter, dispatch_uid="reports.forget_reporter")
    account_events.personal_data_requested.connect(
        personal_data, dispatch_uid="reports.personal_data"
    )
