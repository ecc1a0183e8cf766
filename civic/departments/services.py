"""Every change to departments and their members goes through here (the admin's forms call
these too), checked against the platform-admin rule; membership changes keep each person's
"Department staff" group in step."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civic.accounts.services import grant_role, revoke_role
from civic.core.errors import DomainError
from civic.core.permissions import can_manage_core, require
from civic.core.roles import Role

from .models import Department, DutyShift, MemberRole, Membership
from .permissions import can_supervise


class DepartmentInvalid(DomainError):
    code = "department_invalid"
    default_message = _("The department is not valid.")


def _check_code(code, department=None):
    clash = Department.objects.filter(code=code)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise DepartmentInvalid(_("This code is already used."), field="code", code="unique")


@transaction.atomic
def create_department(
    actor, *, code, name, name_en="", areas=(), email="", phone="", is_active=True
):
    require(can_manage_core(actor))
    _check_code(code)
    department = Department.objects.create(
        code=code, name=name, name_en=name_en, email=email, phone=phone, is_active=is_active
    )
    department.areas.set(areas)
    return department


@transaction.atomic
def update_department(actor, department, *, code, name, name_en, areas, email, phone, is_active):
    require(can_manage_core(actor))
    _check_code(code, department)
    department.code, department.name, department.name_en = code, name, name_en
    department.email, department.phone, department.is_active = email, phone, is_active
    department.save()
    department.areas.set(areas)
    return department


@transaction.atomic
def delete_department(actor, department):
    require(can_manage_core(actor))
    members = get_user_model().objects.filter(department_memberships__department=department)
    members = list(members.distinct())
    department.delete()
    for user in members:
        sync_staff_role(user)


def _check_role(role):
    if role not in MemberRole.values:
        raise DepartmentInvalid(_("Unknown role."), field="role", code="invalid_choice")


@transaction.atomic
def add_member(actor, department, user, role):
    require(can_manage_core(actor))
    _check_role(role)
    membership, _created = Membership.objects.get_or_create(
        department=department, user=user, role=role
    )
    sync_staff_role(user)
    return membership


@transaction.atomic
def remove_member(actor, department, user, role):
    require(can_manage_core(actor))
    Membership.objects.filter(department=department, user=user, role=role).delete()
    sync_staff_role(user)


@transaction.atomic
def set_members(actor, department, members):
    """Make the department's memberships exactly ``members`` (``(user, role)`` pairs): the
    admin's member rows, where a row may also change hands from one user to another."""
    require(can_manage_core(actor))
    for _user, role in members:
        _check_role(role)
    wanted = {(user.pk, role) for user, role in members}
    held = set(Membership.objects.filter(department=department).values_list("user_id", "role"))
    for user_id, role in held - wanted:
        Membership.objects.filter(department=department, user_id=user_id, role=role).delete()
    Membership.objects.bulk_create(
        Membership(department=department, user_id=user_id, role=role)
        for user_id, role in wanted - held
    )
    changed = {user_id for user_id, _role in held ^ wanted}
    for user in get_user_model().objects.filter(pk__in=changed):
        sync_staff_role(user)


def sync_staff_role(user):
    """A user is in the staff group exactly while they belong to some department."""
    if user.department_memberships.exists():
        grant_role(user, Role.STAFF)
    else:
        revoke_role(user, Role.STAFF)


class DutyShiftInvalid(DomainError):
    code = "duty_shift_invalid"
    default_message = _("The shift is not valid.")


def _check_shift(department, user, starts_at, ends_at):
    if not Membership.objects.filter(department=department, user=user).exists():
        raise DutyShiftInvalid(
            _("Only a member of the department can be on duty for it."), field="user"
        )
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise DutyShiftInvalid(_("A shift ends after it starts."), field="ends_at")


@transaction.atomic
def add_duty_shift(actor, department, *, user, starts_at, ends_at):
    """Put a member on the department's on-duty rota (its supervisors, or platform admins)."""
    require(can_supervise(actor, department))
    _check_shift(department, user, starts_at, ends_at)
    return DutyShift.objects.create(
        department=department, user=user, starts_at=starts_at, ends_at=ends_at
    )


@transaction.atomic
def update_duty_shift(actor, shift, *, user, starts_at, ends_at, department=None):
    """Change a shift; moving it to another department needs the rota of both."""
    department = department or shift.department
    require(can_supervise(actor, shift.department) and can_supervise(actor, department))
    _check_shift(department, user, starts_at, ends_at)
    shift.department, shift.user = department, user
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.save()
    return shift


@transaction.atomic
def delete_duty_shift(actor, shift):
    require(can_supervise(actor, shift.department))
    shift.delete()
