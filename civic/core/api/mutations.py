"""The base of every mutation: a Relay input, a payload with ``errors``.

``errors`` holds what the user can fix (a ``DomainError``: ``{field, code, message}``), and
the mutation's own fields are null then. Not signed in or not allowed are not user errors:
they propagate as top-level errors (``civic.api.errors``).

Services name fields in snake_case (``home_area_id``); the API names them as the client sent
them (``homeAreaId``). ``client_field_name`` is the one place that maps one to the other.
"""

import graphene
from django.core.exceptions import ValidationError
from graphene import relay
from graphene.utils.str_converters import to_camel_case

from civic.core.errors import DomainError, ValidationFailed


class MutationError(graphene.ObjectType):
    field = graphene.String(description="The input field at fault, if one is.")
    code = graphene.String(required=True, description="Stable; see frontend_schema/README.md.")
    message = graphene.String(required=True, description="For people, in their language.")


class BaseMutation(relay.ClientIDMutation):
    errors = graphene.List(graphene.NonNull(MutationError), required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, root, info, **data):
        """Do the work by calling a service; return the payload (without errors)."""
        raise NotImplementedError

    @classmethod
    def mutate_and_get_payload(cls, root, info, **data):
        try:
            payload = cls.perform(root, info, **data)
        except ValidationError as exc:
            return cls(errors=_for_client(ValidationFailed.from_django(exc).errors))
        except DomainError as exc:
            return cls(errors=_for_client(exc.errors))
        payload.errors = []
        return payload


def client_field_name(field):
    """A service's field name as the API names it: ``home_area_id`` → ``homeAreaId``; None
    stays None."""
    return to_camel_case(field) if field else field


def _for_client(errors):
    for error in errors:
        error.field = client_field_name(error.field)
    return errors
