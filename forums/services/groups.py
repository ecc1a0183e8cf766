"""Community groups: creating and editing them, joining, leaving, and their members' roles."""

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, NotFound
from civic.core.permissions import SYSTEM, person, require, require_signed_in

from .. import events
from ..models import Group, GroupMembership, MemberRole, MemberStatus, SpaceKind, Thread, Visibility
from ..permissions import (
    can_moderate_group,
    can_see_group,
    forget_memberships,
    is_banned,
    is_forum_moderator,
)
from ._common import space_of_kind


class SlugTaken(DomainError):
    code = "slug_taken"
    default_message = _("This short name is already used by another group.")


class NameRequired(DomainError):
    code = "name_required"
    default_message = _("Give the group a name.")


class OwnerCannotLeave(DomainError):
    code = "owner_cannot_leave"
    default_message = _("Hand the group to another owner before leaving it.")


class JoinByInvitation(DomainError):
    code = "join_by_invitation"
    default_message = _("This group's moderators add its members.")


class NotPending(DomainError):
    code = "not_pending"
    default_message = _("This request to join is no longer waiting.")


class RoleInvalid(DomainError):
    code = "role_invalid"
    default_message = _("Choose owner, moderator or member.")


def _unique_slug(name):
    base = slugify(name, allow_unicode=True)[:50] or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_group(actor, *, name, description="", visibility=Visibility.OPEN, area=None, slug=None):
    """A community group in the public space, with ``actor`` as its owner."""
    require_signed_in(actor)
    space = space_of_kind(SpaceKind.PUBLIC)
    require(not is_banned(actor, space=space))
    name = " ".join((name or "").split())
    if not name:
        raise NameRequired(field="name")
    if visibility not in Visibility.values:
        raise DomainError(code="invalid_choice", field="visibility")
    if slug and Group.objects.filter(slug=slug).exists():
        raise SlugTaken(field="slug")
    group = Group.objects.create(
        space=space,
        slug=slug or _unique_slug(name),
        name=name[:100],
        description=(description or "").strip(),
        visibility=visibility,
        area=area,
        owner=person(actor),
        member_count=0 if actor is SYSTEM else 1,
    )
    if actor is not SYSTEM:
        GroupMembership.objects.create(
            group=group, user=actor, role=MemberRole.OWNER, status=MemberStatus.ACTIVE
        )
        forget_memberships(actor)
    return group


def _locked_group(group):
    return Group.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def edit_group(actor, group, *, name=None, description=None, visibility=None, area=None):
    """The owner or a forum moderator changes what is given. Making a group private (or no
    longer private) moves its threads out of (or into) everyone's sight with it."""
    group = _locked_group(group)
    owner = group.owner_id is not None and group.owner_id == getattr(actor, "pk", None)
    require(owner or is_forum_moderator(actor))
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise NameRequired(field="name")
        group.name = name[:100]
    if description is not None:
        group.description = description.strip()
    if area is not None:
        group.area = area
    if visibility is not None:
        if visibility not in Visibility.values:
            raise DomainError(code="invalid_choice", field="visibility")
        if (visibility == Visibility.PRIVATE) != group.is_private:
            Thread.objects.filter(group=group).update(is_private=visibility == Visibility.PRIVATE)
        group.visibility = visibility
    group.save()
    return group


def _add_active(group, user, *, role=MemberRole.MEMBER, approved_by=None):
    membership, created = GroupMembership.objects.get_or_create(
        group=group,
        user=user,
        defaults={"role": role, "status": MemberStatus.ACTIVE, "approved_by": approved_by},
    )
    if created:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    forget_memberships(user)
    return membership, created


@transaction.atomic
def join_group(actor, group):
    """Open: a member at once. Closed: a request the moderators approve. Private: refused
    (moderators add members). Asking again returns the membership as it is."""
    require_signed_in(actor)
    group = _locked_group(group)
    if not can_see_group(actor, group):
        raise NotFound()
    existing = GroupMembership.objects.filter(group=group, user=actor).first()
    if existing is not None:
        return existing
    require(not is_banned(actor, space=group.space, group=group))
    if group.visibility == Visibility.PRIVATE and not is_forum_moderator(actor):
        raise JoinByInvitation()
    if group.visibility == Visibility.CLOSED and not is_forum_moderator(actor):
        membership = GroupMembership.objects.create(
            group=group, user=actor, status=MemberStatus.PENDING
        )
        forget_memberships(actor)
        return membership
    membership, _created = _add_active(group, actor)
    return membership


@transaction.atomic
def add_member(actor, group, user, *, role=MemberRole.MEMBER):
    """A group's moderators add someone directly (the way into a private group)."""
    group = _locked_group(group)
    require(can_moderate_group(actor, group))
    require(not is_banned(user, group=group))
    membership, created = _add_active(group, user, role=role, approved_by=person(actor))
    if not created and membership.status == MemberStatus.PENDING:
        return approve_member(actor, membership)
    return membership


@transaction.atomic
def leave_group(actor, group):
    require_signed_in(actor)
    group = _locked_group(group)
    membership = GroupMembership.objects.filter(group=group, user=actor).first()
    if membership is None:
        return group
    if membership.role == MemberRole.OWNER:
        raise OwnerCannotLeave()
    if membership.status == MemberStatus.ACTIVE:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
    membership.delete()
    forget_memberships(actor)
    group.refresh_from_db()
    return group


def _locked_membership(membership):
    return (
        GroupMembership.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .get(pk=membership.pk)
    )


@transaction.atomic
def approve_member(actor, membership):
    membership = _locked_membership(membership)
    require(can_moderate_group(actor, membership.group))
    if membership.status == MemberStatus.ACTIVE:
        return membership
    membership.status = MemberStatus.ACTIVE
    membership.approved_by = person(actor)
    membership.save(update_fields=["status", "approved_by"])
    Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") + 1)
    forget_memberships(membership.user)
    events.send_on_commit(
        events.member_approved, group=membership.group, membership=membership, actor=actor
    )
    return membership


@transaction.atomic
def decline_member(actor, membership):
    """Refuse a request to join (the person may ask again)."""
    membership = _locked_membership(membership)
    require(can_moderate_group(actor, membership.group))
    if membership.status != MemberStatus.PENDING:
        raise NotPending()
    membership.delete()
    forget_memberships(membership.user)
    return membership.group


@transaction.atomic
def set_member_role(actor, membership, *, role):
    """The owner (or a forum moderator) makes members moderators and back; making someone the
    owner hands the group over, and the old owner stays on as a moderator."""
    membership = _locked_membership(membership)
    group = membership.group
    owner = GroupMembership.objects.filter(group=group, role=MemberRole.OWNER).first()
    require(
        is_forum_moderator(actor)
        or (owner is not None and actor is not SYSTEM and owner.user_id == actor.pk)
    )
    if role not in MemberRole.values:
        raise RoleInvalid(field="role")
    if membership.status != MemberStatus.ACTIVE:
        raise NotPending(field="membership")
    if role == MemberRole.OWNER and owner is not None and owner.pk != membership.pk:
        GroupMembership.objects.filter(pk=owner.pk).update(role=MemberRole.MODERATOR)
        forget_memberships(owner.user)
    if role == MemberRole.OWNER:
        Group.objects.filter(pk=group.pk).update(owner=membership.user)
    membership.role = role
    membership.save(update_fields=["role"])
    forget_memberships(membership.user)
    return membership
