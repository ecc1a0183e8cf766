"""Every change to a report, for every channel (app, web, hotline, Open311).

Each function takes the acting user first, checks permission through ``permissions.py``, runs
in a transaction with the report locked, records a ``ReportEvent`` and sends the matching signal
from ``events.py`` once committed. Retrying a change that already happened (a phone on a flaky
network) returns the report as it is instead of failing or repeating it.
"""

import math
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.areas.geometry import InvalidCoordinates, check_coordinates
from civic.areas.queries import area_at
from civic.core.db import create_or_existing
from civic.core.errors import DomainError, FieldError
from civic.core.permissions import SYSTEM, person, require, require_signed_in
from civic.departments.models import Membership

from . import queries
from .events import SIGNAL_FOR_EVENT
from .models import (
    FAMILY_STATES,
    OPEN_STATES,
    Channel,
    DraftPhoto,
    EventKind,
    Family,
    LocationSource,
    PhotoKind,
    QuestionType,
    RejectReason,
    Report,
    ReportEvent,
    ReportPhoto,
    State,
    Support,
)
from .permissions import (
    can_note,
    can_see,
    can_triage,
    can_work_on,
    is_own,
    is_reports_staff,
)
from .photos import PhotoTooLarge, ProcessedPhoto, process_photo

# What ``secrets.token_urlsafe`` makes; anything else names no draft photo.
DRAFT_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ReportInvalid(DomainError):
    code = "report_invalid"
    default_message = _("The report is not valid.")


class LocationRequired(DomainError):
    code = "location_required"
    default_message = _("Give the problem's location, or a photo that has GPS in it.")


class OutsideCity(DomainError):
    code = "outside_city"
    default_message = _("This place is outside the city's area.")


class CategoryNotOffered(DomainError):
    code = "category_not_offered"
    default_message = _("No department handles this category at this place.")


class TooManyPhotos(DomainError):
    code = "too_many_photos"
    default_message = _("Too many photos.")


class DraftPhotoUnavailable(DomainError):
    code = "draft_photo_unavailable"
    default_message = _(
        "A photo kept from an earlier attempt is no longer available (it expired, or it is not "
        "yours): choose it again."
    )


class AnswerRequired(DomainError):
    code = "answer_required"
    default_message = _("This question needs an answer.")


class AnswerInvalid(DomainError):
    code = "answer_invalid"
    default_message = _("This answer is not valid for the question.")


class AnonymousNotAllowed(DomainError):
    code = "anonymous_not_allowed"
    default_message = _("Reports in this category cannot be anonymous.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_message = _("The report cannot do this in its current state.")


class HandlerNotInDepartment(DomainError):
    code = "handler_not_in_department"
    default_message = _("The handler is not a member of that department.")


class InvalidRating(DomainError):
    code = "invalid_rating"
    default_message = _("Rate from 1 to 5.")


class AlreadyRated(DomainError):
    code = "already_rated"
    default_message = _("You have already rated this report.")


class ReopenWindowPassed(DomainError):
    code = "reopen_window_passed"
    default_message = _("It is too late to reopen this report.")


class OwnReport(DomainError):
    code = "own_report"
    default_message = _("This is your own report.")


class MergeTargetInvalid(DomainError):
    code = "merge_target_invalid"
    default_message = _("A report can only be merged into another open or fixed report.")


# --- Helpers -----------------------------------------------------------------------------------


def _setting(name, default):
    return getattr(settings, name, default)


def _too_long(field, value, limit):
    if len(value) > limit:
        return FieldError(
            field,
            "max_length",
            gettext("At most %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(value)},
        )
    return None


def _raise_if(errors):
    errors = [error for error in errors if error is not None]
    if errors:
        first = errors[0]
        raise ReportInvalid(first.message, field=first.field, code=first.code, errors=errors)


def _record(report, kind, actor, *, from_state="", to_state="", public=True, message="", **data):
    """Add a timeline event and send its signal on commit."""
    event = ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=person(actor),
        from_state=from_state,
        to_state=to_state,
        is_public=public,
        message=message,
        data={key: value for key, value in data.items() if not key.startswith("_")},
    )
    extra = {key[1:]: value for key, value in data.items() if key.startswith("_")}
    # Some events only annotate a timeline (a duplicate merged in: ``report_merged`` tells).
    signal = SIGNAL_FOR_EVENT.get(kind)
    if signal is not None:
        transaction.on_commit(
            lambda: signal.send(sender=Report, report=report, event=event, actor=actor, **extra)
        )
    return event


def _locked(report):
    # Lock the report row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that the (nullable) department brings.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "department", "area")
        .get(pk=report.pk)
    )


def _expect(report, states):
    if report.state not in states:
        raise InvalidTransition(
            gettext("The report is %(state)s; this needs it to be %(needed)s.")
            % {
                "state": report.get_state_display(),
                "needed": " / ".join(str(State(state).label) for state in states),
            },
            field="state",
        )


def _hours(hours, now):
    return now + timedelta(hours=hours)


# --- Photos ------------------------------------------------------------------------------------


def _read_each(files):
    """``(cleaned photos, field errors)``: each photo that could be read, and an error naming
    each one that could not by its position, so the reporter knows which one to replace."""
    max_bytes = _setting("REPORTS_PHOTO_MAX_BYTES", 20 * 1024 * 1024)
    processed, errors = [], []
    for number, upload in enumerate(files, start=1):
        try:
            if hasattr(upload, "read"):
                # Never read more than the limit into memory.
                data = upload.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise PhotoTooLarge()
            else:
                data = bytes(upload)
            processed.append(process_photo(data))
        except DomainError as exc:
            errors.append(
                FieldError(
                    "photos",
                    exc.code,
                    gettext("Photo %(number)s: %(problem)s")
                    % {"number": number, "problem": exc.message},
                )
            )
    return processed, errors


def _too_many_photos(count):
    limit = _setting("REPORTS_MAX_PHOTOS", 6)
    return FieldError(
        "photos",
        TooManyPhotos.code,
        gettext("At most %(limit)s photos (%(count)s were sent).")
        % {"limit": limit, "count": count},
    )


def read_uploads(files, *, already=0):
    """Decode and clean uploaded photos (bytes or file objects) before any transaction.
    ``already`` photos (kept drafts) count toward the limit too."""
    files = list(files or ())
    if already + len(files) > _setting("REPORTS_MAX_PHOTOS", 6):
        error = _too_many_photos(already + len(files))
        raise TooManyPhotos(error.message, field=error.field)
    processed, errors = _read_each(files)
    _raise_if(errors)
    return processed


def _store_photos(report, processed, *, kind, event, uploaded_by):
    start = report.photos.count()
    for order, photo in enumerate(processed, start=start):
        stored = ReportPhoto(
            report=report,
            event=event,
            kind=kind,
            width=photo.width,
            height=photo.height,
            checksum=photo.checksum,
            uploaded_by=person(uploaded_by),
            sort_order=order,
        )
        stored.display.save("display.jpg", ContentFile(photo.display), save=False)
        stored.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
        stored.save()


# --- Draft photos: kept between a refused submission and the next -------------------------------


@dataclass(frozen=True)
class KeptPhotos:
    """What ``keep_draft_photos`` kept (``DraftPhoto``s, in order) and why it kept no more."""

    drafts: list
    errors: list


def _unavailable_drafts():
    return FieldError(
        "photos", DraftPhotoUnavailable.code, str(DraftPhotoUnavailable.default_message)
    )


def _owned_drafts(actor, tokens):
    """``(drafts, all found)``: the actor's unexpired drafts named by ``tokens``, in their
    order. Another user's token finds nothing, exactly as an expired or invented one."""
    tokens = list(dict.fromkeys(token for token in tokens if token))
    if not tokens:
        return [], True
    wellformed = [token for token in tokens if DRAFT_TOKEN.fullmatch(token)]
    found = {
        draft.token: draft
        for draft in DraftPhoto.objects.filter(
            owner=person(actor), token__in=wellformed, expires_at__gt=timezone.now()
        )
    }
    return [found[token] for token in tokens if token in found], len(found) == len(tokens)


def draft_photo_of(actor, token):
    """The actor's own unexpired draft photo with this token, or None (for anyone else too)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    drafts, _all_found = _owned_drafts(actor, [token])
    return drafts[0] if drafts else None


def _delete_drafts(drafts):
    """Delete draft rows now and their files once the transaction commits; the count deleted."""
    files = [file for draft in drafts for file in (draft.display, draft.thumbnail)]
    count, _per_model = DraftPhoto.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in files])
    return count


# What a draft keeps of its ``ProcessedPhoto`` as it is, besides the copies and the GPS.
_DRAFT_FACTS = (
    "width",
    "height",
    "original_width",
    "original_height",
    "checksum",
    "source_format",
    "taken_at",
)


def _store_draft(actor, photo, now):
    draft = DraftPhoto(
        token=secrets.token_urlsafe(32),
        owner=actor,
        **{name: getattr(photo, name) for name in _DRAFT_FACTS},
        gps_lat=photo.gps[0] if photo.gps else None,
        gps_lon=photo.gps[1] if photo.gps else None,
        expires_at=now + timedelta(hours=_setting("REPORTS_DRAFT_PHOTO_HOURS", 24)),
    )
    draft.display.save("display.jpg", ContentFile(photo.display), save=False)
    draft.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    draft.save()
    return draft


def _draft_as_photo(draft):
    """The draft as the cleaned photo it was made from, or raise DraftPhotoUnavailable."""
    try:
        with draft.display.storage.open(draft.display.name, "rb") as file:
            display = file.read()
        with draft.thumbnail.storage.open(draft.thumbnail.name, "rb") as file:
            thumbnail = file.read()
    except OSError:
        raise DraftPhotoUnavailable(field="photos") from None
    gps = (draft.gps_lat, draft.gps_lon) if draft.gps_lat is not None else None
    return ProcessedPhoto(
        display=display,
        thumbnail=thumbnail,
        gps=gps,
        **{name: getattr(draft, name) for name in _DRAFT_FACTS},
    )


def keep_draft_photos(actor, files, *, kept=(), discard=()):
    """Keep a form's photos for its next submission: clean the new ``files`` as any upload and
    store those that can be read as the actor's draft photos, after the drafts named in
    ``kept`` (less those in ``discard``, which are deleted). Returns ``KeptPhotos``; its errors
    name each photo that could not be kept (unreadable, over the limit, a token that is not
    the actor's or has expired)."""
    require_signed_in(actor)
    actor = person(actor)
    discarded, _all_found = _owned_drafts(actor, discard)
    with transaction.atomic():
        _delete_drafts(discarded)
    drafts, all_found = _owned_drafts(actor, [token for token in kept if token not in discard])
    errors = [] if all_found else [_unavailable_drafts()]
    files = list(files or ())
    room = max(0, _setting("REPORTS_MAX_PHOTOS", 6) - len(drafts))
    if len(files) > room:
        errors.append(_too_many_photos(len(drafts) + len(files)))
        files = files[:room]
    processed, photo_errors = _read_each(files)
    now = timezone.now()
    drafts += [_store_draft(actor, photo, now) for photo in processed]
    return KeptPhotos(drafts=drafts, errors=errors + photo_errors)


def remove_expired_draft_photos(now=None):
    """Delete the draft photos past their expiry; the number deleted."""
    expired = list(DraftPhoto.objects.filter(expires_at__lte=now or timezone.now()))
    with transaction.atomic():
        return _delete_drafts(expired)


# --- Answers to a category's questions ----------------------------------------------------------


def _clean_answer(question, value):
    """The stored form of one answer, or raise ValueError with a reason for people."""
    kind = question.datatype
    if kind in (QuestionType.STRING, QuestionType.TEXT):
        text = str(value).strip()
        limit = 255 if kind == QuestionType.STRING else 2000
        if len(text) > limit:
            raise ValueError(gettext("At most %(limit)s characters.") % {"limit": limit})
        return text
    if kind == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(gettext("Enter a number."))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(gettext("Enter a number.")) from None
        if not math.isfinite(number):
            raise ValueError(gettext("Enter a number."))
        return int(number) if number.is_integer() else number
    if kind == QuestionType.DATETIME:
        moment = parse_datetime(str(value)) if isinstance(value, str) else None
        if moment is None:
            raise ValueError(gettext("Enter a date and time such as 2026-05-01T08:30:00+08:00."))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    keys = {key for key, _name, _en in question.option_list}
    chosen = value if isinstance(value, list | tuple) else [value]
    chosen = [str(item) for item in chosen if str(item) != ""]
    unknown = [item for item in chosen if item not in keys]
    if unknown:
        raise ValueError(
            gettext("Not one of the options: %(values)s") % {"values": ", ".join(unknown)}
        )
    if kind == QuestionType.SINGLE:
        if len(chosen) > 1:
            raise ValueError(gettext("Choose one option."))
        return chosen[0] if chosen else ""
    return sorted(set(chosen), key=chosen.index)


def clean_answers(category, answers):
    """``(cleaned answers, field errors)`` for the category's questions."""
    answers = dict(answers or {})
    questions = list(category.questions.all())
    known = {question.code for question in questions}
    cleaned, errors = {}, []
    for code in answers:
        if code not in known:
            errors.append(
                FieldError(
                    f"answers.{code}",
                    AnswerInvalid.code,
                    gettext("This category asks no question “%(code)s”.") % {"code": code},
                )
            )
    for question in questions:
        value = answers.get(question.code)
        if value is None or value == "" or value == []:
            if question.required:
                errors.append(
                    FieldError(
                        f"answers.{question.code}",
                        AnswerRequired.code,
                        gettext("Please answer: %(question)s")
                        % {"question": question.localized_label},
                    )
                )
            continue
        try:
            cleaned[question.code] = _clean_answer(question, value)
        except ValueError as exc:
            errors.append(FieldError(f"answers.{question.code}", AnswerInvalid.code, str(exc)))
    return cleaned, errors


# --- Intake -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a point falls: its areas (city first) and the department handling a category."""

    areas: list
    department: object


def place(category, lat, lon):
    """The areas and department for a category at a point, or raise the refusal a reporter
    should see."""
    check_coordinates(lat, lon)
    areas = area_at(lat, lon)
    if not areas:
        raise OutsideCity(field="location")
    department = queries.route(category, areas[-1]) if category else None
    if department is None:
        raise CategoryNotOffered(field="category")
    return Placement(areas=areas, department=department)


def _existing_submission(submitted_by, client_request_id):
    if not client_request_id or submitted_by is None:
        return None
    return Report.objects.filter(
        submitted_by=submitted_by, client_request_id=client_request_id
    ).first()


def submit_report(
    actor,
    *,
    category,
    description="",
    lat=None,
    lon=None,
    photos=(),
    draft_photos=(),
    answers=None,
    is_anonymous=False,
    show_name=False,
    channel=Channel.APP,
    client_request_id="",
    address="",
    contact=None,
    reporter=None,
):
    """File a report. Returns the report; a retry with the same ``client_request_id`` from the
    same submitter returns the report the first attempt made.

    ``category`` is a Category (or None for an unknown code). ``photos`` are bytes or file
    objects, ``draft_photos`` the tokens of the actor's draft photos (``keep_draft_photos``),
    which come first; without ``lat``/``lon`` the first photo's GPS gives the location. Staff
    entering a hotline call pass ``channel=HOTLINE`` and the caller's ``contact``; an Open311
    client passes ``reporter`` when its user has an account here.
    """
    require_signed_in(actor)
    submitter = person(actor)
    client_request_id = (client_request_id or "").strip()
    existing = _existing_submission(submitter, client_request_id)
    if existing is not None:
        return existing

    if channel == Channel.HOTLINE:
        require(is_reports_staff(actor), gettext("Only staff enter hotline calls."))
    elif reporter is None:
        reporter = submitter

    description = (description or "").strip()
    address = (address or "").strip()
    errors = [
        _too_long("description", description, _setting("REPORTS_MAX_DESCRIPTION", 2000)),
        _too_long("address", address, 255),
        _too_long("client_request_id", client_request_id, 64),
    ]
    drafts, all_found = _owned_drafts(submitter, draft_photos)
    if not all_found:
        errors.append(_unavailable_drafts())
    if not description and not photos and not drafts:
        errors.append(
            FieldError("description", "required", gettext("Describe the problem or add a photo."))
        )
    if category is None:
        errors.append(
            FieldError("category", CategoryNotOffered.code, CategoryNotOffered.default_message)
        )
    else:
        if is_anonymous and not category.allows_anonymous:
            errors.append(
                FieldError(
                    "is_anonymous", AnonymousNotAllowed.code, AnonymousNotAllowed.default_message
                )
            )
        answers, answer_errors = clean_answers(category, answers)
        errors += answer_errors
    _raise_if(errors)
    processed = [_draft_as_photo(draft) for draft in drafts]
    processed += read_uploads(photos, already=len(drafts))

    if lat is None or lon is None:
        with_gps = next((photo for photo in processed if photo.gps), None)
        if with_gps is None:
            raise LocationRequired(field="location")
        (lat, lon), source = with_gps.gps, LocationSource.PHOTO
    else:
        source = LocationSource.GIVEN
    try:
        placement = place(category, lat, lon)
    except InvalidCoordinates as exc:
        raise InvalidCoordinates(field="location") from exc

    now = timezone.now()

    def create():
        if _delete_drafts(drafts) != len(drafts):
            # Used meanwhile by another submission of the same form.
            raise DraftPhotoUnavailable(field="photos")
        report = Report.objects.create(
            category=category,
            description=description,
            answers=answers,
            lat=lat,
            lon=lon,
            location_source=source,
            address=address,
            area=placement.areas[-1],
            area_path=placement.areas[-1].path,
            department=placement.department,
            reporter=reporter,
            submitted_by=submitter,
            client_request_id=client_request_id,
            channel=channel,
            is_anonymous=is_anonymous,
            show_name=show_name and not is_anonymous,
            contact=contact or {},
            accept_deadline=_hours(category.accept_sla_hours, now),
        )
        event = _record(
            report,
            EventKind.SUBMITTED,
            actor,
            to_state=State.SUBMITTED,
            channel=channel,
        )
        _store_photos(report, processed, kind=PhotoKind.REPORT, event=event, uploaded_by=actor)
        return report

    report, _created = create_or_existing(
        create,
        # The same request arriving twice at once: the other attempt won.
        lambda: _existing_submission(submitter, client_request_id),
    )
    return report


# --- Staff transitions --------------------------------------------------------------------------


@transaction.atomic
def accept(actor, report, *, message=""):
    report = _locked(report)
    require(can_triage(actor, report))
    if report.state == State.ACCEPTED:
        return report
    _expect(report, [State.SUBMITTED])
    now = timezone.now()
    report.state = State.ACCEPTED
    report.accepted_at = now
    report.resolve_deadline = _hours(report.category.resolve_sla_hours, now)
    report.escalation_level = 0
    report.save()
    _record(
        report,
        EventKind.ACCEPTED,
        actor,
        from_state=State.SUBMITTED,
        to_state=State.ACCEPTED,
        message=(message or "").strip(),
    )
    return report


@transaction.atomic
def reject(actor, report, *, reason, message=""):
    report = _locked(report)
    require(can_triage(actor, report))
    if report.state == State.REJECTED:
        return report
    if reason not in RejectReason.values:
        raise ReportInvalid(
            gettext("Choose one of the reasons."), field="reason", code="invalid_choice"
        )
    _expect(report, OPEN_STATES)
    _raise_if([_too_long("message", (message or "").strip(), 2000)])
    previous = report.state
    report.state = State.REJECTED
    report.closed_at = timezone.now()
    # Abuse and spam leave the public's view entirely; other refusals stay visible with why.
    report.is_public = reason != RejectReason.ABUSIVE
    report.save()
    _record(
        report,
        EventKind.REJECTED,
        actor,
        from_state=previous,
        to_state=State.REJECTED,
        message=(message or "").strip() or str(RejectReason(reason).label),
        reason=reason,
    )
    return report


def _is_repeated_dispatch(actor, report, department, handler):
    if handler is not None or department is None or report.department_id != department.pk:
        return False
    last = report.events.filter(kind=EventKind.ASSIGNED).order_by("-created_at", "-pk").first()
    return (
        report.state == State.ACCEPTED
        and last is not None
        and last.actor_id == getattr(person(actor), "pk", None)
        and last.data.get("department") == department.code
    )


@transaction.atomic
def assign(actor, report, *, department=None, handler=None, message=""):
    """Dispatch to a department (another one sends it there, to be assigned by its staff)
    and/or to a handler of the department."""
    report = _locked(report)
    if _is_repeated_dispatch(actor, report, department, handler):
        # The caller's dispatch already happened and took the report out of their hands.
        return report
    require(can_triage(actor, report))
    department = department or report.department
    if handler is None and department == report.department:
        raise ReportInvalid(
            gettext("Choose a handler, or another department."), field="handler", code="required"
        )
    if not department.is_active:
        raise ReportInvalid(gettext("That department is not active."), field="department")
    if (
        handler is not None
        and not Membership.objects.filter(department=department, user=handler).exists()
    ):
        raise HandlerNotInDepartment(field="handler")
    to_state = State.ASSIGNED if handler is not None else State.ACCEPTED
    # A retry after the handler has started must not send the work back to "assigned".
    same_states = (State.ASSIGNED, State.IN_PROGRESS) if handler is not None else (to_state,)
    if (
        report.state in same_states
        and report.department_id == department.pk
        and report.handler_id == getattr(handler, "pk", None)
    ):
        return report
    _expect(report, [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS])
    previous = report.state
    report.department = department
    report.handler = handler
    report.state = to_state
    report.save()
    _record(
        report,
        EventKind.ASSIGNED,
        actor,
        from_state=previous,
        to_state=to_state,
        message=(message or "").strip(),
        department=department.code,
        handler=getattr(handler, "pk", None),
        _handler=handler,
    )
    return report


@transaction.atomic
def start(actor, report, *, message=""):
    report = _locked(report)
    require(can_work_on(actor, report))
    if report.state == State.IN_PROGRESS:
        return report
    _expect(report, [State.ASSIGNED])
    report.state = State.IN_PROGRESS
    report.save()
    _record(
        report,
        EventKind.STARTED,
        actor,
        from_state=State.ASSIGNED,
        to_state=State.IN_PROGRESS,
        message=(message or "").strip(),
    )
    return report


def resolve(actor, report, *, message, photos=()):
    """Mark the work done, saying what was done, with optional "after" photos."""
    message = (message or "").strip()
    if not message:
        raise ReportInvalid(
            gettext("Say what was done; the reporter reads it."), field="message", code="required"
        )
    _raise_if([_too_long("message", message, 2000)])
    processed = read_uploads(photos)
    with transaction.atomic():
        report = _locked(report)
        require(can_work_on(actor, report))
        if report.state == State.RESOLVED:
            return report
        _expect(report, [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS])
        previous = report.state
        report.state = State.RESOLVED
        report.resolved_at = timezone.now()
        report.save()
        event = _record(
            report,
            EventKind.RESOLVED,
            actor,
            from_state=previous,
            to_state=State.RESOLVED,
            message=message,
        )
        _store_photos(report, processed, kind=PhotoKind.AFTER, event=event, uploaded_by=actor)
    return report


@transaction.atomic
def recategorise(actor, report, category, *, message=""):
    """Change the category; a different department then triages it afresh."""
    report = _locked(report)
    require(can_triage(actor, report))
    if category is None or category.pk == report.category_id:
        if category is None:
            raise CategoryNotOffered(field="category")
        return report
    _expect(report, OPEN_STATES)
    placement = place(category, report.lat, report.lon)
    previous_code, previous_state = report.category.service_code, report.state
    report.category = category
    moved = placement.department.pk != report.department_id
    if moved:
        now = timezone.now()
        report.department = placement.department
        report.handler = None
        report.state = State.SUBMITTED
        report.accepted_at = None
        report.accept_deadline = _hours(category.accept_sla_hours, now)
        report.resolve_deadline = None
        report.escalation_level = 0
    report.save()
    _record(
        report,
        EventKind.RECATEGORISED,
        actor,
        from_state=previous_state,
        to_state=report.state,
        message=(message or "").strip(),
        category_from=previous_code,
        category_to=category.service_code,
        department=report.department.code,
    )
    return report


@transaction.atomic
def post_update(actor, report, *, message, public=True):
    """A public update for the reporter and the public, or an internal note for staff."""
    report = _locked(report)
    require(can_work_on(actor, report) if public else can_note(actor, report))
    message = (message or "").strip()
    if not message:
        raise ReportInvalid(gettext("Write the message."), field="message", code="required")
    _raise_if([_too_long("message", message, 2000)])
    _record(
        report,
        EventKind.UPDATE if public else EventKind.NOTE,
        actor,
        public=public,
        message=message,
    )
    return report


def merge(actor, duplicate, original, *, message=""):
    """Close ``duplicate`` as a copy of ``original``; its reporter becomes a supporter."""
    if duplicate.pk == original.pk:
        raise MergeTargetInvalid(field="original")
    with transaction.atomic():
        # Lock both in a fixed order so two merges of the same pair cannot deadlock.
        first, second = sorted((duplicate, original), key=lambda r: r.pk)
        locked = {first.pk: _locked(first), second.pk: _locked(second)}
        duplicate, original = locked[duplicate.pk], locked[original.pk]
        require(can_triage(actor, duplicate) and can_see(actor, original))
        if duplicate.state == State.DUPLICATE and duplicate.duplicate_of_id == original.pk:
            return duplicate
        _expect(duplicate, OPEN_STATES)
        if original.state not in FAMILY_STATES[Family.OPEN] + FAMILY_STATES[Family.FIXED]:
            raise MergeTargetInvalid(field="original")
        previous = duplicate.state
        duplicate.state = State.DUPLICATE
        duplicate.duplicate_of = original
        duplicate.closed_at = timezone.now()
        duplicate.save()
        supporter = None
        if duplicate.reporter_id and duplicate.reporter_id != original.reporter_id:
            _support, created = Support.objects.get_or_create(
                report=original,
                user_id=duplicate.reporter_id,
                defaults={"via_duplicate": duplicate},
            )
            if created:
                Report.objects.filter(pk=original.pk).update(support_count=F("support_count") + 1)
                original.refresh_from_db(fields=["support_count"])
                supporter = duplicate.reporter
        _record(
            duplicate,
            EventKind.MERGED,
            actor,
            from_state=previous,
            to_state=State.DUPLICATE,
            message=(message or "").strip(),
            original=original.pk,
            _original=original,
            _supporter=supporter,
        )
        _record(original, EventKind.DUPLICATE_ADDED, actor, duplicate=duplicate.pk)
    return duplicate


# --- The reporter and the public ----------------------------------------------------------------


@transaction.atomic
def support(actor, report):
    """ "Me too". Supporting twice is the same as once."""
    require_signed_in(actor)
    report = _locked(report)
    require(can_see(actor, report))
    if is_own(actor, report):
        raise OwnReport()
    if Support.objects.filter(report=report, user=actor).exists():
        return report
    _expect(report, OPEN_STATES + FAMILY_STATES[Family.FIXED])
    Support.objects.create(report=report, user=actor)
    report.support_count = F("support_count") + 1
    report.save(update_fields=["support_count", "updated_at"])
    report.refresh_from_db(fields=["support_count"])
    # Who supports is not public; the count is.
    _record(report, EventKind.SUPPORTED, actor, public=False, _supporter=actor)
    return report


@transaction.atomic
def rate(actor, report, *, rating, comment=""):
    """The reporter confirms the outcome with one to five stars; a resolved report closes."""
    require_signed_in(actor)
    report = _locked(report)
    require(is_own(actor, report), gettext("Only the reporter can rate a report."))
    comment = (comment or "").strip()
    if report.rating is not None:
        if report.rating == rating and report.rating_comment == comment:
            return report
        raise AlreadyRated(field="rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidRating(field="rating")
    _raise_if([_too_long("comment", comment, 1000)])
    _expect(report, FAMILY_STATES[Family.FIXED])
    previous = report.state
    report.rating = rating
    report.rating_comment = comment
    if previous == State.RESOLVED:
        report.state = State.CLOSED
        report.closed_at = timezone.now()
    report.save()
    _record(
        report,
        EventKind.RATED,
        actor,
        from_state=previous,
        to_state=report.state,
        message=comment,
        rating=rating,
    )
    return report


def _within_reopen_window(report, now):
    if report.state not in FAMILY_STATES[Family.FIXED] or report.resolved_at is None:
        return False
    return now - report.resolved_at <= timedelta(days=_setting("REPORTS_REOPEN_DAYS", 14))


def can_reopen(user, report) -> bool:
    """Whether ``reopen`` would take the user's dispute now: their own report, resolved
    within the window."""
    return is_own(user, report) and _within_reopen_window(report, timezone.now())


@transaction.atomic
def reopen(actor, report, *, reason):
    """The reporter disputes the outcome (重办) within the window after resolution."""
    require_signed_in(actor)
    report = _locked(report)
    require(is_own(actor, report), gettext("Only the reporter can reopen a report."))
    reason = (reason or "").strip()
    if not reason:
        raise ReportInvalid(gettext("Say what is still wrong."), field="reason", code="required")
    _raise_if([_too_long("reason", reason, 2000)])
    if report.state in OPEN_STATES and report.reopen_count and report.resolved_at is None:
        return report
    _expect(report, FAMILY_STATES[Family.FIXED])
    now = timezone.now()
    if not _within_reopen_window(report, now):
        raise ReopenWindowPassed(field="state")
    previous = report.state
    report.state = State.IN_PROGRESS if report.handler_id else State.ACCEPTED
    report.resolve_deadline = _hours(report.category.resolve_sla_hours, now)
    report.escalation_level = 0
    report.reopen_count += 1
    report.resolved_at = None
    report.closed_at = None
    report.rating = None
    report.rating_comment = ""
    report.save()
    _record(
        report,
        EventKind.REOPENED,
        actor,
        from_state=previous,
        to_state=report.state,
        message=reason,
    )
    return report


# --- The clock ----------------------------------------------------------------------------------

ESCALATION_ROLES = {1: "handler", 2: "supervisor", 3: "district_leader"}


def escalation_due(deadline, sla_hours, now):
    """The level an open report should be at: 1 once past its deadline, 2 once half the SLA
    again has passed, 3 (the district's leaders) once a whole SLA again has passed."""
    if deadline is None or now <= deadline:
        return 0
    overdue = (now - deadline) / timedelta(hours=sla_hours)
    return 1 if overdue < 0.5 else 2 if overdue < 1 else 3


def _phase(report):
    if report.state == State.SUBMITTED:
        return "accept", report.accept_deadline, report.category.accept_sla_hours
    return "resolve", report.resolve_deadline, report.category.resolve_sla_hours


@dataclass
class SweepResult:
    escalated: int = 0
    closed: int = 0
    drafts_removed: int = 0


def sweep(now=None, *, progress=None):
    """Escalate overdue reports, close those resolved long enough ago and delete expired
    draft photos.

    Safe to run as often as wanted, and from two workers at once: each report is locked and
    re-checked, and only moves up to the level its lateness calls for.
    """
    now = now or timezone.now()
    result = SweepResult()
    overdue = (
        Report.objects.filter(queries.overdue_filter(now), escalation_level__lt=3)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    close_before = now - timedelta(days=_setting("REPORTS_AUTO_CLOSE_DAYS", 7))
    resolved = (
        Report.objects.filter(state=State.RESOLVED, resolved_at__lt=close_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    work = [(pk, _escalate_one) for pk in overdue] + [(pk, _close_one) for pk in resolved]
    for pk, step in progress(work) if progress else work:
        outcome = step(pk, now)
        if outcome == "escalated":
            result.escalated += 1
        elif outcome == "closed":
            result.closed += 1
    result.drafts_removed = remove_expired_draft_photos(now)
    return result


@transaction.atomic
def _escalate_one(pk, now):
    report = _locked(Report(pk=pk))
    if report.state not in OPEN_STATES:
        return None
    phase, deadline, sla_hours = _phase(report)
    level = escalation_due(deadline, sla_hours, now)
    if level <= report.escalation_level:
        return None
    previous = report.escalation_level
    report.escalation_level = level
    report.save(update_fields=["escalation_level", "updated_at"])
    _record(
        report,
        EventKind.ESCALATED,
        SYSTEM,
        public=False,
        level=level,
        previous_level=previous,
        phase=phase,
        to=ESCALATION_ROLES[level],
        _level=level,
    )
    return "escalated"


@transaction.atomic
def _close_one(pk, now):
    report = _locked(Report(pk=pk))
    close_before = now - timedelta(days=_setting("REPORTS_AUTO_CLOSE_DAYS", 7))
    if report.state != State.RESOLVED or report.resolved_at >= close_before:
        return None
    report.state = State.CLOSED
    report.closed_at = now
    report.save(update_fields=["state", "closed_at", "updated_at"])
    _record(
        report,
        EventKind.CLOSED,
        SYSTEM,
        from_state=State.RESOLVED,
        to_state=State.CLOSED,
        automatic=True,
    )
    return "closed"
