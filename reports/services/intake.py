"""Intake: checking the answers to a category's questions, placing a report in an area and a
department, and filing it."""

import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from civic.areas.geometry import InvalidCoordinates, check_coordinates
from civic.areas.queries import area_at
from civic.core.db import create_or_existing
from civic.core.errors import FieldError
from civic.core.permissions import person, require, require_signed_in

from .. import queries
from ..models import (
    STAFF_CHANNELS,
    Channel,
    EventKind,
    LocationSource,
    PhotoKind,
    QuestionType,
    Report,
    State,
    higher_priority,
)
from ..permissions import is_reports_staff
from ._common import _raise_if, _record, _setting, _too_long, deadline
from .errors import (
    AnonymousNotAllowed,
    AnswerInvalid,
    AnswerRequired,
    CategoryNotOffered,
    DraftPhotoUnavailable,
    LocationRequired,
    OutsideCity,
)
from .photos import (
    delete_drafts,
    draft_as_photo,
    owned_drafts,
    read_uploads,
    store_photos,
    unavailable_drafts,
)
from .smart_intake import plan_intake, record_intake

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


def priority_from_answers(category, answers):
    """The category's default priority, raised by any answer its question says raises it."""
    return higher_priority(
        category.default_priority,
        *(
            question.priority_for(answers.get(question.code))
            for question in category.questions.all()
        ),
    )


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

    if channel in STAFF_CHANNELS:
        require(
            is_reports_staff(actor), gettext("Only staff file reports for callers or for the city.")
        )
    elif reporter is None:
        reporter = submitter

    description = (description or "").strip()
    address = (address or "").strip()
    errors = [
        _too_long("description", description, _setting("REPORTS_MAX_DESCRIPTION", 2000)),
        _too_long("address", address, 255),
        _too_long("client_request_id", client_request_id, 64),
    ]
    drafts, all_found = owned_drafts(submitter, draft_photos)
    if not all_found:
        errors.append(unavailable_drafts())
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
    processed = [draft_as_photo(draft) for draft in drafts]
    processed += read_uploads(photos, already=len(drafts), defer=True)

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
    plan = plan_intake(category, description, lat, lon, placement, place=place)

    def create():
        if delete_drafts(drafts) != len(drafts):
            # Used meanwhile by another submission of the same form.
            raise DraftPhotoUnavailable(field="photos")
        report = Report.objects.create(
            category=plan.category,
            description=description,
            answers=answers,
            lat=lat,
            lon=lon,
            location_source=source,
            address=address,
            area=plan.placement.areas[-1],
            area_path=plan.placement.areas[-1].path,
            department=plan.placement.department,
            reporter=reporter,
            submitted_by=submitter,
            client_request_id=client_request_id,
            channel=channel,
            is_anonymous=is_anonymous,
            show_name=show_name and not is_anonymous,
            contact=contact or {},
            priority=higher_priority(plan.priority, priority_from_answers(plan.category, answers)),
        )
        report.accept_deadline = deadline(report, "accept", report.created_at)
        report.save(update_fields=["accept_deadline"])
        event = _record(
            report,
            EventKind.SUBMITTED,
            actor,
            to_state=State.SUBMITTED,
            channel=channel,
        )
        store_photos(report, processed, kind=PhotoKind.REPORT, event=event, uploaded_by=actor)
        record_intake(report, plan, chosen=category)
        return report

    report, _created = create_or_existing(
        create,
        # The same request arriving twice at once: the other attempt won.
        lambda: _existing_submission(submitter, client_request_id),
    )
    return report
