from graphql_relay import from_global_id

from civic.errors import NotFound


def pk_from_global_id(global_id, type_name, *, field):
    """The primary key inside a Relay global ID of ``type_name``; NotFound for anything else."""
    try:
        found_type, pk = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeError):
        raise NotFound(field=field) from None
    if found_type != type_name or not pk:
        raise NotFound(field=field)
    return pk
