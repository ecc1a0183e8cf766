from graphene import relay
from graphql_relay import from_global_id

from civic.core.errors import NotFound


def pk_from_global_id(global_id, type_name, *, field):
    """The primary key inside a Relay global ID of ``type_name``; NotFound for anything else."""
    try:
        found_type, pk = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeError):
        raise NotFound(field=field) from None
    if found_type != type_name or not pk:
        raise NotFound(field=field)
    return pk


def node_by_global_id(info, global_id):
    """What ``node(id:)`` answers: the object, or None when there is none the viewer may see.

    Every node type's key is a number; an ID that does not hold a node type's name and a number
    the database can hold is NotFound here, instead of graphene's bare exception or a lookup the
    database refuses."""
    try:
        type_name, pk = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeError):
        raise NotFound(field="id") from None
    found = info.schema.get_type(type_name)
    graphene_type = getattr(found, "graphene_type", None)
    interfaces = getattr(getattr(graphene_type, "_meta", None), "interfaces", ())
    if relay.Node not in interfaces or not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
        raise NotFound(field="id")
    return graphene_type.get_node(info, pk)
