"""Who may see and move which report. Every interface (GraphQL, portal, admin, Open311) asks
here, so the rules hold the same everywhere.

* Staff of the report's department see its staff details (internal notes, the reporter unless
  anonymous, contact details). Dispatchers and supervisors move any of its reports and may
  send one to any other department (dispatch); a handler moves the reports assigned to them.
  Platform admins may do everything, everywhere.
* The grid worker a report was sent to for verification on site (its ``verifier``) checks in,
  confirms it, resolves it on the spot or marks it invalid while it is still submitted.
* The reporter may reopen and rate their own report. Anyone signed in may support one.
* Everyone else sees public reports only, and only their public parts.
"""

from civic.core.permissions import is_platform_admin
from civic.departments.models import MemberRole
from civic.departments.permissions import department_roles, is_member

_TRIAGE_ROLES = (MemberRole.DISPATCHER, MemberRole.SUPERVISOR)


def staff_department_ids(user):
    """The departments whose reports the user works on (None: all, for platform admins)."""
    if is_platform_admin(user):
        return None
    return set(department_roles(user))


def is_reports_staff(user):
    return is_platform_admin(user) or bool(department_roles(user))


def can_see_staff_details(user, report) -> bool:
    if is_platform_admin(user):
        return True
    return report.department_id is not None and report.department_id in department_roles(user)


def can_triage(user, report) -> bool:
    """Accept, reject, assign, merge, recategorise, post updates."""
    if is_platform_admin(user):
        return True
    return report.department is not None and is_member(user, report.department, _TRIAGE_ROLES)


def can_work_on(user, report) -> bool:
    """Start, resolve, post updates and notes: triage staff, or the assigned handler."""
    if can_triage(user, report):
        return True
    return (
        report.handler_id is not None
        and report.handler_id == getattr(user, "pk", None)
        and can_see_staff_details(user, report)
    )


def can_verify(user, report) -> bool:
    """Check in on site, confirm, resolve on the spot or mark invalid (while the report is
    submitted: the services check the state): the report's verifier."""
    return report.verifier_id is not None and report.verifier_id == getattr(user, "pk", None)


def can_note(user, report) -> bool:
    """Internal notes: any staff of the department."""
    return can_see_staff_details(user, report)


def can_see(user, report) -> bool:
    if report.is_public:
        return True
    return is_own(user, report) or can_see_staff_details(user, report) or can_verify(user, report)


def is_own(user, report) -> bool:
    return (
        report.reporter_id is not None
        and getattr(user, "is_authenticated", False)
        and report.reporter_id == user.pk
    )
