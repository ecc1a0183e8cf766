"""Which GraphQL reads are public, and whose changes they show (``civic.core.public_cache``).

A query whose every root field is listed here is answered from the cache for anonymous readers:
these fields show an anonymous reader the same thing whoever asks (public reports, the public
forum, published case studies, the leaderboard). Any other field, a mutation, or a root
fragment makes the operation uncached.
"""

from graphql import FieldNode, OperationType

PUBLIC_FIELDS = {
    "reports": ("reports",),
    "nearbyReports": ("reports",),
    "threads": ("forums",),
    "caseStudies": ("portal",),
    "districts": ("portal",),
    "caseStudyTopics": ("portal",),
    "leaderboard": ("rewards",),
}

# Whose models' saves and deletes move which namespaces on (civic.api.receivers). The areas
# name and place everything; departments are named on reports.
APP_NAMESPACES = {
    "areas": ("reports", "forums", "portal", "rewards"),
    "departments": ("reports",),
    "reports": ("reports",),
    "open311": ("reports",),
    "forums": ("forums",),
    "taggit": ("forums",),
    "portal": ("portal",),
    "wagtailcore": ("portal",),
    "wagtailimages": ("portal",),
    "rewards": ("rewards",),
}


def namespaces(operation):
    """The namespaces an anonymous answer to ``operation`` depends on, or None when it is not
    one to cache."""
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    found = set()
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None
        name = selection.name.value
        if name == "__typename":
            continue
        if name not in PUBLIC_FIELDS:
            return None
        found.update(PUBLIC_FIELDS[name])
    return tuple(sorted(found)) or None
