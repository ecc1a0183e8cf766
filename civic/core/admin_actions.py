"""Admin actions declared as data: each names the form that reads what was posted, the service
call it makes and the message that says it was done. The service checks permission and the
rules; the screen only shows what it answers."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from wagtail.admin import messages

from civic.core.errors import AccessError, DomainError


@dataclass(frozen=True)
class AdminAction:
    form_class: type
    run: object  # (user, target, cleaned_data) -> anything, calling the service
    success: str


def perform(request, action, target):
    """Read ``action``'s form from the POST and run it on ``target``; the admin's messages say
    how it went (the form's or the service's refusal, or ``action.success``). A service's
    AccessError is a 403."""
    form = action.form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return
    try:
        action.run(request.user, target, form.cleaned_data)
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, action.success)
