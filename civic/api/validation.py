"""Limits on what a document may ask, run *with* graphql-core's standard rules, never instead.

graphql-core's ``validate`` runs only the rules it is given, so the view passes
``specified_rules`` plus these.
"""

from django.conf import settings
from graphene.validation import depth_limit_validator
from graphql import GraphQLError, specified_rules
from graphql.validation import ValidationRule

from civic.errors import register_code

TOO_MANY_ALIASES = register_code("too_many_aliases", "The document uses too many aliases.")


class AliasLimitRule(ValidationRule):
    """Refuse documents with more aliased fields than ``GRAPHQL_MAX_ALIASES``.

    Aliases let one request repeat an expensive field many times over; a phone app needs few.
    """

    def __init__(self, context):
        super().__init__(context)
        self.count = 0
        self.reported = False

    def enter_field(self, node, *_args):
        if node.alias is None:
            return
        self.count += 1
        limit = settings.GRAPHQL_MAX_ALIASES
        if self.count > limit and not self.reported:
            self.reported = True
            self.report_error(
                GraphQLError(
                    f"The document uses more than {limit} aliases.",
                    node,
                    extensions={"code": TOO_MANY_ALIASES},
                )
            )


def validation_rules():
    return (
        *specified_rules,
        depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
        AliasLimitRule,
    )
