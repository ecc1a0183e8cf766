"""Demo logins, one per role, all with the same published password. Runs after the areas and
departments demos. Existing users are left as they are; only their roles, memberships and grid
cells are made sure of.

The demo's dispatcher, handler and supervisor are members of every demo department (the city's
and each district's office), so that one login can take any demo category's report, wherever it
was filed, from the queue to resolved."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from civic.accounts.models import User
from civic.accounts.services import grant_role, on_signed_up
from civic.areas.models import Area, AreaKind
from civic.areas.queries import areas_of_kind
from civic.core.permissions import SYSTEM
from civic.core.roles import Role
from civic.departments.models import Department, MemberRole
from civic.departments.services import add_member
from civic.grid.models import PostRole
from civic.grid.services import assign_post

from .departments import demo_department_codes

DEMO_PASSWORD = "civic-demo-2026"  # public on purpose: seed_demo prints it
# The community whose grid cells the demo grid worker looks after.
GRID_WORKER_COMMUNITY = "QH-DH-WJ-CH"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str = DEMO_PASSWORD


@dataclass(frozen=True)
class _Spec:
    role: str
    email: str
    display_name: str
    groups: tuple = ()
    member_role: str | None = None
    home_area: str | None = None
    grid_cells_of: str | None = None  # a community: its grid cells get this user as worker
    superuser: bool = False


def _specs():
    resident = _("Resident")
    return [
        _Spec(_("Platform admin"), "admin@demo.civic", "陈志远", (Role.ADMIN,), superuser=True),
        _Spec(resident, "resident@demo.civic", "李晓梅", (Role.RESIDENT,), home_area="QH-DH-HB-CY"),
        _Spec(
            resident, "resident2@demo.civic", "王建国", (Role.RESIDENT,), home_area="QH-XL-GT-TY"
        ),
        _Spec(
            resident, "resident3@demo.civic", "张丽华", (Role.RESIDENT,), home_area="QH-NP-QT-HY"
        ),
        _Spec(_("Dispatcher"), "dispatcher@demo.civic", "赵强", member_role=MemberRole.DISPATCHER),
        _Spec(_("Handler"), "handler@demo.civic", "刘洋", member_role=MemberRole.HANDLER),
        _Spec(_("Supervisor"), "supervisor@demo.civic", "孙伟", member_role=MemberRole.SUPERVISOR),
        _Spec(_("Editor"), "editor@demo.civic", "周敏", (Role.EDITOR,)),
        _Spec(_("Editor"), "editor2@demo.civic", "何静", (Role.EDITOR,)),
        _Spec(_("Approver"), "approver@demo.civic", "马骏", (Role.EDITOR,)),
        # Oversees the 东湖 district: its reports, escalations and instructions (督办).
        _Spec(_("Leader"), "leader@demo.civic", "吴海峰", (Role.LEADER,), home_area="QH-DH"),
        _Spec(
            _("Grid worker"),
            "grid@demo.civic",
            "郑卫东",
            (Role.RESIDENT,),
            home_area=GRID_WORKER_COMMUNITY,
            grid_cells_of=GRID_WORKER_COMMUNITY,
        ),
    ]


def _create(spec, password_hash):
    home_area = Area.objects.get(code=spec.home_area) if spec.home_area else None
    user = User.objects.create(
        username=spec.email,
        email=spec.email,
        password=password_hash,
        display_name=spec.display_name,
        home_area=home_area,
        is_superuser=spec.superuser,
        is_staff=spec.superuser,
    )
    if Role.RESIDENT in spec.groups:
        on_signed_up(user)  # as if they had signed up: whatever greets a new resident runs
    return user


def seed(progress=iter):
    """Create the demo users that are missing and return every demo login."""
    specs = _specs()
    existing = {u.email: u for u in User.objects.filter(email__in=[s.email for s in specs])}
    # Hashing is deliberately slow; one hash serves every new demo user.
    password_hash = make_password(DEMO_PASSWORD) if len(existing) < len(specs) else None
    departments = list(Department.objects.filter(code__in=demo_department_codes()))
    logins = []
    for spec in progress(specs):
        user = existing.get(spec.email) or _create(spec, password_hash)
        # Verified, so the login works where email verification is mandatory.
        EmailAddress.objects.get_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
        for role in spec.groups:
            grant_role(user, role)
        if spec.member_role:
            # The membership puts the user in the staff group (departments' receivers).
            for department in departments:
                add_member(SYSTEM, department, user, spec.member_role)
        if spec.grid_cells_of:
            community = Area.objects.get(code=spec.grid_cells_of)
            for cell in areas_of_kind(AreaKind.GRID, within=community):
                assign_post(SYSTEM, cell, user, role=PostRole.WORKER)
        logins.append(DemoLogin(spec.role, spec.email))
    return logins
