"""The portal's report pages: report a problem, a report's public page, the map and list, and
"my reports". Thin: they parse, ask ``permissions``/``privacy``, and call ``services`` and
``queries``; what a person may see or do is decided there, not here."""

import json
import math
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from shapely.geometry import shape as to_shapely

from civic.areas.models import AreaKind
from civic.areas.queries import (
    areas_named,
    areas_of_kind,
    areas_version,
    attach_ancestors,
    districts,
)
from civic.core import public_cache
from civic.core.errors import AccessError, DomainError
from civic.core.files import remote_storage, signed_redirect
from civic.core.i18n import localized
from civic.core.text import search_text
from civic.core.tiles import tile_settings

from . import classify, privacy, queries, services
from .forms import (
    LOCATION_FROM_POINT,
    CommentFlagForm,
    CommentForm,
    RateForm,
    ReopenForm,
    ReportFilterForm,
    ReportForm,
    add_errors,
)
from .models import (
    FAMILY_STATES,
    OPEN_STATES,
    Channel,
    Family,
    PhotoKind,
    QuestionType,
    State,
)
from .permissions import can_see, is_own

PAGE_SIZE = 20
PHOTO_SIZES = ("display", "thumbnail")


def _map_settings():
    return tile_settings()


# --- Report a problem ----------------------------------------------------------------------------


def submit_report_form(actor, form, *, channel):
    """File the report a bound ``ReportForm`` describes, or return None with the problems on
    the form. Either way its readable photos are kept as the actor's draft photos first, so a
    form shown again with its problems still holds them and need not be given them again."""
    form.is_valid()
    form.keep_photos(
        services.keep_draft_photos(
            actor,
            form.new_photos(),
            kept=form.kept_photo_tokens(),
            discard=form.removed_photo_tokens(),
        )
    )
    if not form.is_valid():
        return None
    try:
        return services.submit_report(actor, channel=channel, **form.submission())
    except DomainError as exc:
        form.add_service_errors(exc)
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    return None


@login_required
def new_report(request):
    categories = list(queries.active_categories())
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, categories=categories)
        report = submit_report_form(request.user, form, channel=Channel.WEB)
        if report is not None:
            messages.success(request, _confirmation(report))
            return redirect("reports:detail", pk=report.pk)
    else:
        initial = {"client_request_id": uuid.uuid4().hex}
        # "Report a problem here" links from a map pass the point along.
        point = _point(request.GET.get("lat"), request.GET.get("lon"))
        if point:
            initial.update(lat=point[0], lon=point[1], location=LOCATION_FROM_POINT)
        form = ReportForm(initial=initial, categories=categories)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "categories_flags": {
                category.service_code: {"allows_anonymous": category.allows_anonymous}
                for category in categories
            },
            "map": _map_settings(),
        },
    )


def _confirmation(report):
    """What happens next and when: the category's promised times, from its SLA."""
    category = report.category
    when = (
        _("by %(date)s")
        % {"date": date_format(localtime(report.resolve_deadline), "DATETIME_FORMAT")}
        if report.resolve_deadline
        else _("within %(hours)s hours") % {"hours": category.resolve_sla_hours}
    )
    return _(
        "Thank you: your report #%(number)s was sent. The department will look at it within "
        "%(accept)s hours and aims to fix it %(when)s. You will be told at each step."
    ) % {"number": report.pk, "accept": category.accept_sla_hours, "when": when}


NEARBY_RADIUS_M = 150
NEARBY_LIMIT = 5


@require_GET
def nearby_json(request):
    """The form's one "is it one of these?" list before a duplicate is sent: open reports near
    the point that may be the same problem, ranked by smart intake's similarity to ``?text=``
    where it has one, then the chosen ``?category=``'s nearest (``classify.likely_duplicates``);
    distances to the places the public sees."""
    point = _point(request.GET.get("lat"), request.GET.get("lon"))
    category = queries.category_by_code(request.GET.get("category") or "")
    text = request.GET.get("text", "")[: settings.REPORTS_MAX_DESCRIPTION]
    if point is None or (category is None and not text.strip()):
        return JsonResponse(
            {"error": _("A point, and a category or a description, are needed.")}, status=400
        )
    found = classify.likely_duplicates(
        *point, category=category, text=text, radius_m=NEARBY_RADIUS_M, limit=NEARBY_LIMIT
    )
    supported = queries.supported_ids(request.user, [report for report, _m, _s in found])
    return JsonResponse(
        {
            "reports": [
                {
                    "id": report.pk,
                    "category": report.category.localized_name,
                    "description": report.description[:120],
                    "state_label": report.get_state_display(),
                    "distance": round(metres),
                    "similarity": score,
                    "created_at": date_format(localtime(report.created_at), "DATE_FORMAT"),
                    "url": reverse("reports:detail", args=[report.pk]),
                    "support_url": reverse("reports:support", args=[report.pk]),
                    "can_support": not is_own(request.user, report) and report.pk not in supported,
                }
                for report, metres, score in found
            ]
        }
    )


def _point(lat, lon):
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _category_json(category):
    return {
        "code": category.service_code,
        "name": category.localized_name,
        "group": category.localized_group,
        "description": category.localized_description,
        "allows_anonymous": category.allows_anonymous,
        "sensitive": category.sensitive,
        "questions": [
            {
                "code": question.code,
                "label": question.localized_label,
                "datatype": question.datatype,
                "required": question.required,
                "options": [
                    {"key": key, "name": localized(name, name_en)}
                    for key, name, name_en in question.option_list
                ],
            }
            for question in category.questions.all()
        ],
    }


@require_GET
def categories_json(request):
    """The categories offered at ``?lat=&lon=`` (every active one without a point), with their
    questions, so the report form can follow the pin."""
    lat, lon = request.GET.get("lat"), request.GET.get("lon")
    if lat in (None, "") and lon in (None, ""):
        return JsonResponse(
            {
                "inside_city": None,
                "categories": [_category_json(c) for c in queries.active_categories()],
            }
        )
    point = _point(lat, lon)
    if point is None:
        return JsonResponse(
            {"error": _("Latitude must be within ±90 and longitude within ±180 degrees.")},
            status=400,
        )
    areas, categories = queries.categories_at(*point)
    return JsonResponse(
        {
            "inside_city": bool(areas),
            "categories": [_category_json(category) for category in categories],
        }
    )


@require_GET
def suggest_json(request):
    """Smart intake for the report form, as the resident types: the categories ``?text=`` likely
    belongs to (among those offered at ``?lat=&lon=`` when given). May be empty; a bad point is
    ignored. (Reports that may be the same problem are ``nearby_json``'s one list.)"""
    text = request.GET.get("text", "")[: settings.REPORTS_MAX_DESCRIPTION]
    point = _point(request.GET.get("lat"), request.GET.get("lon"))
    lat, lon = point or (None, None)
    suggestions = classify.suggest(text, lat, lon)
    return JsonResponse(
        {
            "suggestions": [
                {
                    "code": suggestion.category.service_code,
                    "name": suggestion.category.localized_name,
                    "confidence": suggestion.confidence,
                }
                for suggestion in suggestions
            ],
        }
    )


# --- A report's public page ---------------------------------------------------------------------


def _visible_report(request, pk):
    report = queries.report_by_id(pk)
    if report is None or not can_see(request.user, report):
        raise Http404
    return report


def _district_of(area):
    for candidate in [*attach_ancestors([area])[0].prefetched_ancestors, area]:
        if candidate.kind == "district":
            return candidate
    return area


def _answers_shown(report):
    shown = []
    for question in report.category.questions.all():
        if question.code not in report.answers:
            continue
        value = report.answers[question.code]
        if question.datatype in (QuestionType.SINGLE, QuestionType.MULTI):
            names = {key: localized(name, name_en) for key, name, name_en in question.option_list}
            values = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(str(item), str(item)) for item in values)
        shown.append((question.localized_label, value))
    return shown


COMMENTS_PER_PAGE = 50


def _comments(request, report):
    """A page of the report's visible comments, each with the name it is shown under."""
    page = Paginator(
        queries.visible_comments(report).order_by(*queries.COMMENT_ORDERING), COMMENTS_PER_PAGE
    ).get_page(request.GET.get("comments"))
    for comment in page:
        comment.shown_name = privacy.comment_author_name(comment, report, request.user)
        comment.by_reporter = comment.author_id == report.reporter_id
    return page


def _render_detail(request, report, *, rate_form=None, reopen_form=None, comment_form=None):
    user = request.user
    shown = privacy.public_view(report, user)
    own = is_own(user, report)
    fixed = report.state in FAMILY_STATES[Family.FIXED]
    photos = list(report.photos.all())
    events = list(queries.timeline(report, public_only=True))
    context = {
        "report": report,
        "family": Family(report.family),
        "events": events,
        "photos": [photo for photo in photos if photo.kind == PhotoKind.REPORT],
        "shown": shown,
        "coarse_metres": round(settings.REPORTS_COARSE_DEGREES * 111_320 / 2, -1),
        "district": _district_of(shown.area),
        "answers": _answers_shown(report),
        "is_own": own,
        "can_support": (
            user.is_authenticated
            and not own
            and report.state in (*OPEN_STATES, *FAMILY_STATES[Family.FIXED])
        ),
        "has_supported": queries.has_supported(user, report),
        "follows": services.follows(user, report),
        "ask_fixed": own and report.state == State.RESOLVED,
        # A form sent back with errors is shown even if the report has moved on meanwhile.
        "rate_form": rate_form or (RateForm() if own and fixed and report.rating is None else None),
        "reopen_form": reopen_form or (ReopenForm() if services.can_reopen(user, report) else None),
        "duplicate_of": (
            report.duplicate_of
            if report.duplicate_of_id and can_see(user, report.duplicate_of)
            else None
        ),
        "map": _map_settings(),
        "comments": _comments(request, report),
        "comment_form": comment_form
        or (
            CommentForm(initial={"client_request_id": uuid.uuid4().hex})
            if user.is_authenticated and report.is_public
            else None
        ),
        "flag_form": CommentFlagForm(),
    }
    return render(request, "reports/report_detail.html", context)


@require_GET
@public_cache.cached_page("reports")
def report_detail(request, pk):
    return _render_detail(request, _visible_report(request, pk))


def _act(request, pk, action, success):
    """Run a reporter's or supporter's action; refusals come back as messages."""
    report = _visible_report(request, pk)
    try:
        action(report)
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def support(request, pk):
    return _act(
        request,
        pk,
        lambda report: services.support(request.user, report),
        _("Thank you: your support was counted."),
    )


@login_required
@require_POST
def follow(request, pk):
    if request.POST.get("stop"):
        return _act(
            request,
            pk,
            lambda report: services.unfollow(request.user, report),
            _("You no longer follow this report."),
        )
    return _act(
        request,
        pk,
        lambda report: services.follow(request.user, report),
        _("You follow this report: you will be told of its progress."),
    )


@login_required
@require_POST
def comment(request, pk):
    report = _visible_report(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            made = services.comment(request.user, report, **form.cleaned_data)
        except AccessError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your comment is posted."))
            return redirect(reverse("reports:detail", args=[report.pk]) + f"#comment-{made.pk}")
    return _render_detail(request, report, comment_form=form)


@login_required
@require_POST
def flag_comment(request, pk, comment_pk):
    form = CommentFlagForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda report: services.flag_comment(request.user, comment_pk, reason=reason),
        _("Thank you: the moderators will look at it."),
    )


@login_required
@require_POST
def confirm_fixed(request, pk):
    return _act(
        request,
        pk,
        lambda report: services.confirm_fixed(request.user, report, fixed=True),
        _("Thank you: the report is closed as fixed."),
    )


@login_required
@require_POST
def rate(request, pk):
    report = _visible_report(request, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                request.user,
                report,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except AccessError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for rating."))
            return redirect("reports:detail", pk=report.pk)
    return _render_detail(request, report, rate_form=form)


@login_required
@require_POST
def reopen(request, pk):
    report = _visible_report(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(request.user, report, reason=form.cleaned_data["reason"])
        except AccessError as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The report was reopened; the department will look again."))
            return redirect("reports:detail", pk=report.pk)
    return _render_detail(request, report, reopen_form=form)


@require_GET
def photo(request, pk, size):
    """A stored photo copy, only for someone who may see its report (media files are not served
    publicly). The copies never change, so they are cacheable; a hidden report's only
    privately."""
    stored = queries.photo_by_id(pk)
    if stored is None or size not in PHOTO_SIZES or not can_see(request.user, stored.report):
        raise Http404
    file = stored.display if size == "display" else stored.thumbnail
    if not file:
        raise Http404  # still being decoded by a worker
    if remote_storage(file.storage):
        return signed_redirect(file, public=stored.report.is_public)
    etag = f'"{stored.checksum[:40]}-{stored.pk}-{size}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    try:
        handle = file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type="image/jpeg",
        filename=f"report-{stored.report_id}-{stored.pk}-{size}.jpg",
    )
    response["ETag"] = etag
    if stored.report.is_public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, max_age=3600)
    return response


@login_required
@require_GET
def draft_photo(request, token):
    """The thumbnail of a photo kept from a form's earlier attempt, for its owner only."""
    draft = services.draft_photo_of(request.user, token)
    if draft is None:
        raise Http404
    try:
        handle = draft.thumbnail.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Map and list -------------------------------------------------------------------------------


def _filter_form(request):
    return ReportFilterForm(
        request.GET or None,
        categories=list(queries.active_categories()),
        districts=list(districts()),
    )


def _districts_by_path(district_list):
    return sorted(((d.path, d) for d in district_list), key=lambda pair: -len(pair[0]))


def _district_for(report, by_path):
    for path, district in by_path:
        if report.area_path.startswith(path):
            return district
    return None


@require_GET
def report_map(request):
    form = _filter_form(request)
    reports = queries.filter_reports(
        queries.public_reports(), viewer=request.user, **form.filters()
    )
    page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    by_path = _districts_by_path(form.districts.values())
    rows = [(report, _district_for(report, by_path)) for report in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/report_map.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "map": _map_settings(),
            "max_features": settings.REPORTS_MAP_MAX_FEATURES,
        },
    )


class BadRequest(ValueError):
    pass


def _bbox(value):
    """``min_lon,min_lat,max_lon,max_lat`` → ``(min_lon, min_lat, max_lon, max_lat)`` clamped to
    the world, or raise BadRequest."""
    parts = value.split(",")
    if len(parts) != 4:
        raise BadRequest(_("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat."))
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise BadRequest(_("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat.")) from None
    if not all(math.isfinite(n) for n in numbers):
        raise BadRequest(_("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat."))
    min_lon, min_lat, max_lon, max_lat = numbers
    if min_lon > max_lon or min_lat > max_lat:
        raise BadRequest(_("bbox's minimum must not be greater than its maximum."))
    return (
        max(min_lon, -180.0),
        max(min_lat, -90.0),
        min(max_lon, 180.0),
        min(max_lat, 90.0),
    )


def _feature(report, viewer):
    shown = privacy.public_view(report, viewer)
    photos = list(report.photos.all())
    family = Family(report.family)
    return {
        "type": "Feature",
        "id": report.pk,
        "geometry": {"type": "Point", "coordinates": [shown.lon, shown.lat]},
        "properties": {
            "id": report.pk,
            "category": report.category.localized_name,
            "state": report.state,
            "state_label": report.get_state_display(),
            "family": family.value,
            "family_label": str(family.label),
            "exact": shown.exact,
            "created_at": report.created_at.isoformat(),
            "url": reverse("reports:detail", args=[report.pk]),
            "thumbnail": (
                reverse("reports:photo", args=[photos[0].pk, "thumbnail"]) if photos else None
            ),
        },
    }


@require_GET
def reports_geojson(request):
    """Public reports in a box as GeoJSON: privacy-safe points (``privacy.shown_location``), at
    most ``REPORTS_MAP_MAX_FEATURES`` of the newest, with ``truncated`` when there were more."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse(
            {"error": _("Unknown filter value."), "fields": form.errors}, status=400
        )
    reports = queries.filter_reports(
        queries.public_reports(), viewer=request.user, **form.filters()
    )
    if request.GET.get("bbox"):
        try:
            min_lon, min_lat, max_lon, max_lat = _bbox(request.GET["bbox"])
        except BadRequest as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        # The indexed exact columns narrow the rows (a coarse point is never further than one
        # grid step from its exact one); the public coordinates decide.
        margin = settings.REPORTS_COARSE_DEGREES
        reports = privacy.with_public_coordinates(
            queries.filter_reports(
                reports,
                bbox=(min_lat - margin, min_lon - margin, max_lat + margin, max_lon + margin),
            )
        ).filter(
            public_lat__gte=min_lat,
            public_lat__lte=max_lat,
            public_lon__gte=min_lon,
            public_lon__lte=max_lon,
        )
    limit = settings.REPORTS_MAP_MAX_FEATURES
    rows = list(reports.order_by("-created_at", "-pk")[: limit + 1])
    features = [_feature(report, request.user) for report in rows[:limit]]
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "truncated": len(rows) > limit,
            "limit": limit,
        },
        content_type="application/geo+json",
    )


# The drawn base map's layers, coarse to fine: each is fetched when the map first zooms to it.
BASE_MAP_KINDS = (AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID)
# The zoom a found area is shown at.
BASE_MAP_ZOOM = {
    AreaKind.CITY: 11,
    AreaKind.DISTRICT: 12,
    AreaKind.STREET: 14,
    AreaKind.COMMUNITY: 15,
    AreaKind.GRID: 16,
}


def _areas_collection(kind):
    features = []
    for area in areas_of_kind(kind).only("code", "name", "name_en", "boundary"):
        label = to_shapely(area.boundary).representative_point()
        features.append(
            {
                "type": "Feature",
                "id": area.code,
                "geometry": area.boundary,
                "properties": {
                    "code": area.code,
                    "kind": kind,
                    "name": area.localized_name,
                    # Inside the shape even when it is concave: where its name is written.
                    "label": [round(label.y, 6), round(label.x, 6)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_GET
def areas_geojson(request):
    """One level of the city's areas (``?kind=``, districts by default) with their names and
    where to write them, drawn under every map so it shows the city without a tile server.
    Built once per change of the areas and language (the server's cache), and cacheable by
    browsers, which revalidate with the ETag."""
    kind = request.GET.get("kind") or AreaKind.DISTRICT
    if kind not in BASE_MAP_KINDS:
        return JsonResponse(
            {"error": _("Unknown kind of area."), "kinds": list(BASE_MAP_KINDS)}, status=400
        )
    version = areas_version(kind)
    language = get_language()
    etag = f'"areas-{kind}-{language}-{version}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        key = f"reports:areas-geojson:{kind}:{language}:{version}"
        body = cache.get(key)
        if body is None:
            body = json.dumps(_areas_collection(kind), ensure_ascii=False)
            cache.set(key, body, settings.MAP_AREAS_CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/geo+json")
        response["ETag"] = etag
    else:
        response = not_modified
    patch_cache_control(response, public=True, max_age=settings.MAP_AREAS_CACHE_SECONDS)
    # The names follow the language, which a cookie may choose.
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


PLACES_LIMIT = 8


@require_GET
def places_json(request):
    """The address search over the maps: areas by name, and recent public reports' addresses
    (as the public may see them), each with where to put the map."""
    try:
        text = search_text(request.GET.get("q"))
    except DomainError as exc:
        return JsonResponse({"error": exc.message, "code": exc.code}, status=400)
    if not text:
        return JsonResponse({"places": []})
    places = []
    for area in areas_named(text, limit=PLACES_LIMIT):
        label = to_shapely(area.boundary).representative_point()
        places.append(
            {
                "name": area.localized_name,
                "kind_label": str(area.get_kind_display()),
                "lat": round(label.y, 6),
                "lon": round(label.x, 6),
                "zoom": BASE_MAP_ZOOM[area.kind],
            }
        )
    for report in queries.recent_addresses(text, limit=PLACES_LIMIT):
        shown = privacy.public_view(report, request.user)
        if not shown.address:
            continue
        places.append(
            {
                "name": shown.address,
                "kind_label": _("Address of a report"),
                "lat": shown.lat,
                "lon": shown.lon,
                "zoom": 17,
            }
        )
    return JsonResponse({"places": places})


# --- My reports ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_reports(request):
    reports = queries.with_public_events(queries.reports_of(request.user))
    page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (
            report,
            report.public_events_newest_first[0] if report.public_events_newest_first else None,
        )
        for report in page.object_list
    ]
    return render(request, "reports/my_reports.html", {"page": page, "rows": rows})
