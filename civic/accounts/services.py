from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from civic.errors import NotFound, ValidationFailed

from . import events
from .models import User
from .permissions import require_signed_in
from .roles import Role


def on_signed_up(user: User) -> None:
    """Everyone who signs up is a resident."""
    grant_role(user, Role.RESIDENT)
    events.user_signed_up.send(sender=User, user=user)


def grant_role(user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    user.__dict__.pop("_civic_role_names", None)


def revoke_role(user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    user.__dict__.pop("_civic_role_names", None)


# Marks an argument the caller did not send, so that None can mean "clear it".
UNCHANGED = object()


@transaction.atomic
def update_profile(
    user: User,
    *,
    display_name=UNCHANGED,
    phone=UNCHANGED,
    home_area_id=UNCHANGED,
    language=UNCHANGED,
):
    """Change the signed-in user's own profile. Only the fields given are touched."""
    require_signed_in(user)
    from civic.areas.queries import area_by_id

    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in (
            ("display_name", display_name),
            ("phone", phone),
            ("language", language),
        )
        if value is not UNCHANGED
    }
    for name in list(changes):
        if changes[name] is None:
            changes[name] = ""
    if home_area_id is not UNCHANGED:
        area = None if home_area_id is None else area_by_id(home_area_id)
        if home_area_id is not None and area is None:
            raise NotFound(field="homeAreaId")
        changes["home_area"] = area
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changes])
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    user.save(update_fields=list(changes))
    return user
