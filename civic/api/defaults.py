"""An argument or input field sent as an explicit ``null`` gets its declared default, as if it
were left out.

GraphQL hands resolvers the null as given; every resolver and service would then have to tell
"null" from "the usual" (``radius: null``, ``public: null``). A client writing null means the
usual, and a null where the code expects a value must not become a server error.
"""

from graphql import Undefined, get_named_type, is_input_object_type


class NullMeansDefaultMiddleware:
    def resolve(self, next_, root, info, **args):
        if args:
            _fill_defaults(info.parent_type.fields[info.field_name].args, args)
        return next_(root, info, **args)


def _fill_defaults(definitions, values):
    """Put each definition's default in place of an explicit null in ``values``, down through
    input objects (and lists of them)."""
    for name, definition in definitions.items():
        key = definition.out_name or name
        if key not in values:
            continue
        value = values[key]
        if value is None:
            if definition.default_value is not Undefined:
                values[key] = definition.default_value
                if type(values) is not dict:  # graphene's input objects are read as attributes too
                    setattr(values, key, definition.default_value)
            continue
        inner = get_named_type(definition.type)
        if is_input_object_type(inner):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    _fill_defaults(inner.fields, item)
