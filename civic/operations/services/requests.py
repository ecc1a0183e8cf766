"""Requests for datasets the open data page does not offer, and staff's answers."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext

from civic.core.errors import DomainError, FieldError
from civic.core.permissions import person, require, require_signed_in

from ..models import DatasetRequest, RequestState
from ..permissions import can_handle_dataset_requests


def _checked(errors):
    errors = [error for error in errors if error is not None]
    if errors:
        first = errors[0]
        raise DomainError(first.message, field=first.field, code=first.code, errors=errors)


def _text(field, value, limit, *, required=True):
    if required and not value:
        return FieldError(field, "required", gettext("This field is required."))
    if len(value) > limit:
        return FieldError(
            field, "max_length", gettext("At most %(limit)s characters.") % {"limit": limit}
        )
    return None


def request_dataset(actor, *, subject, description, email=""):
    """Ask for a dataset. Anyone may; someone signed out leaves an email for the answer."""
    subject, description = (subject or "").strip(), (description or "").strip()
    email = (email or "").strip()
    signed_in = bool(getattr(actor, "is_authenticated", False))
    errors = [_text("subject", subject, 200), _text("description", description, 2000)]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(FieldError("email", "invalid", gettext("Enter a valid email address.")))
    elif not signed_in:
        errors.append(
            FieldError("email", "required", gettext("Leave an email address for the answer."))
        )
    _checked(errors)
    return DatasetRequest.objects.create(
        subject=subject,
        description=description,
        email=email or (getattr(actor, "email", "") if signed_in else ""),
        requester=person(actor) if signed_in else None,
    )


@transaction.atomic
def answer_dataset_request(actor, request, *, state, response):
    """Staff record where a request stands and what they answered."""
    require_signed_in(actor)
    require(can_handle_dataset_requests(actor))
    response = (response or "").strip()
    if state not in RequestState.values:
        raise DomainError(field="state", code="invalid_choice")
    _checked([_text("response", response, 2000, required=state != RequestState.OPEN)])
    request = DatasetRequest.objects.select_for_update().get(pk=request.pk)
    request.state, request.response = state, response
    request.handled_by = person(actor)
    request.save()
    return request
