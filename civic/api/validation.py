"""Limits on what a document may ask, run *with* graphql-core's standard rules, never instead.

graphql-core's ``validate`` runs only the rules it is given, so the view passes
``specified_rules`` plus these.
"""

from django.conf import settings
from graphene.validation import depth_limit_validator
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule

from civic.errors import register_code

TOO_MANY_ALIASES = register_code("too_many_aliases", "The document uses too many aliases.")
QUERY_TOO_COSTLY = register_code("query_too_costly", "The document asks for too much at once.")


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


class CostLimitRule(ValidationRule):
    """Refuse operations whose estimated cost is above ``GRAPHQL_MAX_COST``.

    Each field costs 1, and what is selected inside a list is counted once per item the list
    may hold: ``first`` for fields that take it (a literal; a variable counts as its default or,
    failing that, the largest page, since its value is not known here), the default page size
    when ``first`` is left out, and ``GRAPHQL_COST_LIST_SIZE`` for short lists without ``first``
    (a report's photos, a category's questions). A connection's ``edges`` are its page, counted
    once. Introspection is bounded by the schema and switched off by its own setting.
    """

    def enter_operation_definition(self, node, *_args):
        root = self.context.schema.get_root_type(node.operation)
        if root is None:
            return self.SKIP
        defaults = {
            definition.variable.name.value: definition.default_value
            for definition in node.variable_definitions
        }
        cost = self._selection_cost(root, node.selection_set, defaults, frozenset())
        limit = settings.GRAPHQL_MAX_COST
        if cost > limit:
            self.report_error(
                GraphQLError(
                    f"The operation costs {cost}, more than the limit of {limit}: ask for "
                    "smaller pages or fewer fields.",
                    node,
                    extensions={"code": QUERY_TOO_COSTLY, "cost": cost, "maxCost": limit},
                )
            )
        return self.SKIP

    def _selection_cost(self, parent_type, selection_set, defaults, spread):
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(parent_type, selection, defaults, spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = (
                    self.context.schema.get_type(condition.name.value) if condition else parent_type
                )
                if inner is not None:
                    total += self._selection_cost(inner, selection.selection_set, defaults, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                # Unknown and cyclic fragments are the standard rules' to report.
                if fragment is not None and name not in spread:
                    inner = self.context.schema.get_type(fragment.type_condition.name.value)
                    if inner is not None:
                        total += self._selection_cost(
                            inner, fragment.selection_set, defaults, spread | {name}
                        )
        return total

    def _field_cost(self, parent_type, node, defaults, spread):
        name = node.name.value
        if name.startswith("__"):
            return 0 if name == "__typename" else 1
        field = getattr(parent_type, "fields", {}).get(name)
        if field is None:
            return 1  # the standard rules report the unknown field
        inner = 0
        if node.selection_set is not None:
            inner = self._selection_cost(
                get_named_type(field.type), node.selection_set, defaults, spread
            )
        return 1 + self._items(parent_type, name, field, node, defaults) * inner

    @staticmethod
    def _items(parent_type, name, field, node, defaults):
        if "first" in field.args:
            argument = next((a for a in node.arguments if a.name.value == "first"), None)
            value = argument.value if argument is not None else None
            if isinstance(value, VariableNode):
                value = defaults.get(value.name.value)
                if value is None:
                    return settings.GRAPHQL_MAX_PAGE_SIZE
            if isinstance(value, IntValueNode):
                return max(int(value.value), 1)
            return settings.GRAPHQL_DEFAULT_PAGE_SIZE
        if not is_list_type(get_nullable_type(field.type)):
            return 1
        if name == "edges" and "pageInfo" in parent_type.fields:
            return 1
        return settings.GRAPHQL_COST_LIST_SIZE


def validation_rules():
    """The standard rules, then our limits; without introspection where it is switched off."""
    rules = [
        *specified_rules,
        depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
        AliasLimitRule,
        CostLimitRule,
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
