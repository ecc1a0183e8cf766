"""What a query asked for, so list resolvers prefetch exactly that in one query per relation
(and never per row)."""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, value_from_ast_untyped


def _fields(selection_set, fragments):
    """The fields directly in a selection set, looking through fragments."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)


def _selections(info, path):
    nodes = list(info.field_nodes)
    for name in path:
        nodes = [
            field
            for node in nodes
            for field in _fields(node.selection_set, info.fragments)
            if field.name.value == name
        ]
    return nodes


def selected_arguments(info, *path):
    """The arguments of each selection of the field at ``path`` under the current field
    (variables resolved), e.g. ``selected_arguments(info, "posts")``: one dict per alias."""
    return [
        {
            argument.name.value: value_from_ast_untyped(argument.value, info.variable_values)
            for argument in node.arguments
        }
        for node in _selections(info, path)
    ]


def selected_fields(info, *path):
    """Names of the fields selected at ``path`` under the current field, e.g.
    ``selected_fields(info, "edges", "node")`` for a connection's nodes."""
    nodes = _selections(info, path)
    return {
        field.name.value for node in nodes for field in _fields(node.selection_set, info.fragments)
    }
