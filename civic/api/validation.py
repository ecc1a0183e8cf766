"""Limits on what a document may ask, run *with* graphql-core's standard rules, never instead.

graphql-core's ``validate`` runs only the rules it is given, so the view passes
``specified_rules`` plus these.
"""

from django.conf import settings
from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ObjectFieldNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule

from civic.core.errors import register_code
from civic.core.text import InvalidText, is_invalid_text

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


class DepthLimitRule(ValidationRule):
    """Refuse operations nested deeper than ``GRAPHQL_MAX_DEPTH`` (fields with a selection,
    introspection not counted).

    Written here instead of graphene's ``depth_limit_validator``, which follows every fragment
    spread afresh (exponential time for fragments that spread the next one twice) and fails with
    a server error on an unknown or cyclic fragment: here each fragment is measured once, and
    unknown and cyclic fragments are left to the standard rules to report.
    """

    def enter_operation_definition(self, node, *_args):
        self.fragment_depths = {}
        depth = self._depth(node.selection_set, frozenset())
        limit = settings.GRAPHQL_MAX_DEPTH
        if depth > limit:
            name = node.name.value if node.name else "anonymous"
            self.report_error(
                GraphQLError(f"'{name}' exceeds maximum operation depth of {limit}.", node)
            )
        return self.SKIP

    def _depth(self, selection_set, spread):
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                nested = selection.selection_set is not None
                counted = nested and not selection.name.value.startswith("__")
                depth = 1 + self._depth(selection.selection_set, spread) if counted else 0
            elif isinstance(selection, InlineFragmentNode):
                depth = self._depth(selection.selection_set, spread)
            else:
                depth = self._fragment_depth(selection.name.value, spread)
            deepest = max(deepest, depth)
        return deepest

    def _fragment_depth(self, name, spread):
        fragment = self.context.get_fragment(name)
        if fragment is None or name in spread:
            return 0
        if name not in self.fragment_depths:
            self.fragment_depths[name] = self._depth(fragment.selection_set, spread | {name})
        return self.fragment_depths[name]


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
        # A fragment costs the same wherever it is spread: counted once, however often it is
        # spread (fragments spreading fragments twice over would otherwise take exponential time).
        self.fragment_costs = {}
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
                    total += self._fragment_cost(fragment, defaults, spread | {name})
        return total

    def _fragment_cost(self, fragment, defaults, spread):
        name = fragment.name.value
        if name not in self.fragment_costs:
            inner = self.context.schema.get_type(fragment.type_condition.name.value)
            self.fragment_costs[name] = (
                0
                if inner is None
                else self._selection_cost(inner, fragment.selection_set, defaults, spread)
            )
        return self.fragment_costs[name]

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


class TextLiteralRule(ValidationRule):
    """Refuse string literals with a forbidden character (``\\u0000``), naming the argument
    (``input.title``) as ``invalid_text``. Variables are checked by the view; the lexer already
    refuses lone surrogates in a document."""

    def enter_string_value(self, node, _key, parent, _path, ancestors):
        if not is_invalid_text(node.value):
            return
        names = [
            a.name.value
            for a in (*ancestors, parent)
            if isinstance(a, ArgumentNode | ObjectFieldNode)
        ]
        error = InvalidText(field=".".join(names) or "query")
        self.report_error(
            GraphQLError(error.message, node, extensions={"code": error.code, "field": error.field})
        )


def validation_rules():
    """The standard rules, then our limits; without introspection where it is switched off."""
    rules = [
        *specified_rules,
        DepthLimitRule,
        AliasLimitRule,
        CostLimitRule,
        TextLiteralRule,
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
