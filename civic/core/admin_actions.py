"""Admin screens' actions as a declarative table: each action names its form, who may take it
(a rule from the app's permissions), the states of the object it makes sense in, and the
service it calls. An object's page shows the forms of the actions available to the user; one
view takes a posted form, calls the service, and shows its refusal as messages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from wagtail.admin import messages

from .errors import AccessError, DomainError


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form_class: type
    allowed: Callable  # (user, obj) -> bool, from the app's permissions
    states: tuple  # the object's states in which the action makes sense; empty for any
    run: Callable  # (user, obj, cleaned_data) -> obj, calling the service
    success: str  # the message when it worked, formatted with the object's ``id``
    description: str = ""
    button_class: str = ""

    def is_available(self, user, obj):
        return (not self.states or obj.state in self.states) and self.allowed(user, obj)


class ActionTable:
    """The actions of one kind of object, in the order the page shows them."""

    def __init__(self, *actions):
        self._actions = {action.name: action for action in actions}

    def get(self, name):
        return self._actions.get(name)

    def available(self, user, obj):
        """The actions the user may take on the object now."""
        return [action for action in self._actions.values() if action.is_available(user, obj)]


def take_action(request, action, obj, form):
    """Runs the action a bound form posts: the form's problems, or the service's refusal, come
    back as error messages; else the action's success message. A service's AccessError (the
    screen offered what the rules no longer allow) is a 403."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return
    try:
        action.run(request.user, obj, form.cleaned_data)
    except DomainError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    except AccessError as exc:
        raise PermissionDenied(exc.message) from exc
    else:
        messages.success(request, action.success % {"id": obj.pk})
