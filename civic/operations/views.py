"""The public pages: open data (the datasets, their dictionary and licence, the downloads) and
the month's 好差评 rankings. Downloads stream and are rate-limited per IP (allauth's counting,
as for the API's mutations)."""

import csv
import json
import math

from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.core.errors import DomainError

from . import services
from .tables import headline_table, rankings_tables, trend_chart

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
RATE_ACTION = "open_data_download"


class RangeForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)


def _too_many(request, action=RATE_ACTION, rates=None):
    """A 429 answer when the client's IP has downloaded (or asked) too often, else None."""
    rates = (rates or settings.OPEN_DATA_RATE_PER_IP).split(",")
    config = {action: ",".join(f"{rate.strip()}/ip" for rate in rates if rate.strip())}
    usage = allauth_ratelimit.consume(
        request, app="civic.operations", action=action, config=config, limit_get=True
    )
    if usage is not None:
        return None
    parsed = allauth_ratelimit.get_rates(app="civic.operations", action=action, config=config)
    response = HttpResponse(
        _("Too many requests in a short time; try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(math.ceil(max(rate.duration for rate in parsed)))
    return response


def _range(request):
    form = RangeForm(request.GET)
    if not form.is_valid():
        raise DomainError(_("Give dates as YYYY-MM-DD."), field="date_from", code="invalid")
    return form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")


def _bad_request(exc):
    return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")


class _Echo:
    def write(self, value):
        return value


def _csv_stream(header, rows):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([row[name] for name in header])


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Licence"] = LICENCE_URL
    return response


def _download(request, produce, filename, render_rows):
    refused = _too_many(request)
    if refused is not None:
        return refused
    try:
        date_from, date_to = _range(request)
        header, rows = produce(date_from, date_to)
    except DomainError as exc:
        return _bad_request(exc)
    return render_rows(header, rows, filename)


def _csv_response(header, rows, filename):
    response = StreamingHttpResponse(
        _csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"{filename}.csv")


def _geojson_stream(rows):
    yield '{"type":"FeatureCollection","licence":' + json.dumps(LICENCE_URL) + ',"features":['
    first = True
    for row in rows:
        properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": properties,
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


def _geojson_response(header, rows, filename):
    response = StreamingHttpResponse(
        _geojson_stream(rows), content_type="application/geo+json; charset=utf-8"
    )
    return _attachment(response, f"{filename}.geojson")


def reports_csv(request):
    return _download(request, services.public_reports, "reports", _csv_response)


def reports_geojson(request):
    return _download(request, services.public_reports, "reports", _geojson_response)


def daily_figures_csv(request):
    return _download(request, services.daily_figures, "daily-figures", _csv_response)


def index(request):
    today = timezone.localdate()
    return render(
        request,
        "operations/open_data.html",
        {
            "form": RangeForm(),
            "dictionaries": [
                (_("Public reports"), services.REPORT_FIELDS),
                (_("Daily figures per district and category"), services.FIGURE_FIELDS),
            ],
            "licence_url": LICENCE_URL,
            "month": f"{today:%Y-%m}",
        },
    )


class DatasetRequestForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Dataset wanted"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What it should hold, and what for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email for the answer"),
        required=False,
        help_text=gettext_lazy("Needed if you are not signed in. Only staff see it."),
    )


def request_dataset(request):
    """Ask for a dataset that is not offered; staff answer in the admin."""
    form = DatasetRequestForm(request.POST or None)
    if request.method == "POST":
        refused = _too_many(request, "open_data_request", settings.OPEN_DATA_REQUESTS_PER_IP)
        if refused is not None:
            return refused
        if form.is_valid():
            try:
                services.request_dataset(request.user, **form.cleaned_data)
            except DomainError as exc:
                for error in exc.errors:
                    form.add_error(
                        error.field if error.field in form.fields else None, error.message
                    )
            else:
                messages.success(request, _("Thank you: staff will answer your request."))
                return redirect("operations:open_data")
    return render(request, "operations/request_dataset.html", {"form": form})


def rankings(request):
    month = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    try:
        result = services.public_rankings(month)
    except DomainError as exc:
        return render(
            request, "operations/rankings.html", {"error": exc.message, "month": month}, status=400
        )
    trend = services.month_trend(result.date_from, result.date_to)
    return render(
        request,
        "operations/rankings.html",
        {
            "rankings": result,
            "headline": headline_table(result.headline),
            "tables": rankings_tables(result),
            "trend": trend,
            "charts": {"trend": trend_chart(trend, day="day")},
            "month": result.period,
        },
    )
