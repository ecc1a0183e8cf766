"""Errors raised by services, with stable codes every interface shows as they are.

Two families, because clients treat them differently (DESIGN.md §10):

* ``DomainError`` — the user asked for something the rules refuse (bad input, wrong state).
  GraphQL mutations return these in their payload's ``errors`` list; web forms show them
  beside the field.
* ``AccessError`` — the caller is not signed in, or not allowed. GraphQL returns these as
  top-level errors; web views answer 401/403.

Every concrete error has a ``code``; each code is registered on import so that the API docs
(``frontend_schema/README.md``) can be checked to list them all.
"""

from django.utils.translation import gettext_lazy as _

ERROR_CODES: dict = {}


def register_code(code, message):
    """Record a code that reaches clients without an exception class of its own (a validator's,
    a limit's), so the API docs can be checked to list it."""
    ERROR_CODES.setdefault(code, message)
    return code


class _CodedError(Exception):
    code = ""
    default_message = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code:
            ERROR_CODES.setdefault(cls.code, cls.default_message)

    def __init__(self, message=None, *, field=None, code=None):
        self.message = str(message or self.default_message)
        self.field = field
        if code:
            self.code = code
        super().__init__(self.message)


class DomainError(_CodedError):
    """A refusal the user can fix. ``errors`` may carry several field errors at once."""

    code = "invalid"
    default_message = _("The request is not valid.")

    def __init__(self, message=None, *, field=None, code=None, errors=None):
        super().__init__(message, field=field, code=code)
        self.errors = errors or [FieldError(field, self.code, self.message)]


class FieldError:
    __slots__ = ("code", "field", "message")

    def __init__(self, field, code, message):
        self.field = field
        self.code = code
        self.message = str(message)

    def __repr__(self):
        return f"FieldError({self.field!r}, {self.code!r}, {self.message!r})"


class ValidationFailed(DomainError):
    code = "invalid"
    default_message = _("Some fields are not valid.")

    @classmethod
    def from_django(cls, exc):
        """Turn a django ``ValidationError`` into field errors with stable codes."""
        errors = []
        if hasattr(exc, "error_dict"):
            for field, field_errors in exc.error_dict.items():
                for error in field_errors:
                    errors.append(
                        FieldError(
                            None if field == "__all__" else field,
                            error.code or "invalid",
                            " ".join(error.messages),
                        )
                    )
        else:
            for error in exc.error_list:
                errors.append(FieldError(None, error.code or "invalid", " ".join(error.messages)))
        first = errors[0]
        return cls(first.message, field=first.field, code=first.code, errors=errors)


class NotFound(DomainError):
    code = "not_found"
    default_message = _("Not found.")


class AccessError(_CodedError):
    """Base of the not-signed-in and not-allowed errors; raise a subclass."""


class NotAuthenticated(AccessError):
    code = "unauthenticated"
    default_message = _("You need to sign in to do this.")


class Forbidden(AccessError):
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


# Codes that Django's own validators use and that reach clients through ValidationFailed.
for _code, _message in {
    "required": _("This field is required."),
    "max_length": _("The value is too long."),
    "unique": _("This value is already taken."),
    "invalid_choice": _("This choice is not one of the options."),
}.items():
    register_code(_code, _message)
