from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civic.accounts.services import grant_role, revoke_role
from civic.core.errors import DomainError
from civic.core.permissions import can_manage_core, require
from civic.core.roles import Role

from .models import Department, MemberRole, Membership


class DepartmentInvalid(DomainError):
    code = "department_invalid"
    default_message = _("The department is not valid.")


@transaction.atomic
def create_department(actor, *, code, name, name_en="", areas=(), email="", phone=""):
    require(can_manage_core(actor))
    if Department.objects.filter(code=code).exists():
        raise DepartmentInvalid(_("This code is already used."), field="code", code="unique")
    department = Department.objects.create(
        code=code, name=name, name_en=name_en, email=email, phone=phone
    )
    department.areas.set(areas)
    return department


@transaction.atomic
def add_member(actor, department, user, role):
    require(can_manage_core(actor))
    if role not in MemberRole.values:
        raise DepartmentInvalid(_("Unknown role."), field="role", code="invalid_choice")
    membership, _created = Membership.objects.get_or_create(
        department=department, user=user, role=role
    )
    return membership


@transaction.atomic
def remove_member(actor, department, user, role):
    require(can_manage_core(actor))
    Membership.objects.filter(department=department, user=user, role=role).delete()


def sync_staff_role(user):
    """A user is in the staff group exactly while they belong to some department (kept by the
    receivers on every membership change, wherever it is made)."""
    if user.department_memberships.exists():
        grant_role(user, Role.STAFF)
    else:
        revoke_role(user, Role.STAFF)
