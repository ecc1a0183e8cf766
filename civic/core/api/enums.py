"""GraphQL enums made from Django model choices, and their values back."""

import graphene

from civic.core.moderation import FlagReason


def choices_enum(name, choices, description):
    """A GraphQL enum whose names are the choices' values upper-cased (``in_progress`` →
    ``IN_PROGRESS``) and whose values are the stored values."""
    return graphene.Enum(
        name, [(value.upper(), value) for value in choices.values], description=description
    )


def enum_value(value):
    """The plain value of a Python or graphene enum member (model choices are enums too), so
    resolvers can return model fields and mutations can pass inputs to services."""
    return getattr(value, "value", value)


# The forums' flags and comments on reports share their reasons (civic.core.moderation).
FlagReasonEnum = choices_enum("FlagReason", FlagReason, "Why content was flagged.")
