"""Who may see and move which report. Every interface (GraphQL, portal, admin, Open311) asks
here, so the rules hold the same everywhere.

* Staff of the report's department see its staff details (internal notes, the reporter unless
  anonymous, contact details). Dispatchers and supervisors move any of its reports and may
  send one to any other department (dispatch); a handler moves the reports assigned to them.
  Platform admins may do everything, everywhere.
* The grid worker a report was sent to for verification on site (its ``verifier``) checks in,
  confirms it, resolves it on the spot or marks it invalid while it is still submitted.
* Leaders (the leader role with a home area: a district's, a street's) read every report in
  their area with its staff details and timeline, issue instructions on them (批示 / 督办)
  and set their priority; so may a department's supervisors on its reports. The department's
  staff acknowledge and answer instructions; its supervisors record follow-up calls (回访).
* The reporter may reopen and rate their own report. Anyone signed in may support one.
* Everyone else sees public reports only, and only their public parts.
"""

from civic.core import moderation
from civic.core.permissions import is_leader, is_platform_admin
from civic.departments.models import MemberRole
from civic.departments.permissions import can_supervise, department_roles, is_member

_TRIAGE_ROLES = (MemberRole.DISPATCHER, MemberRole.SUPERVISOR)


def staff_department_ids(user):
    """The departments whose reports the user works on (None: all, for platform admins)."""
    if is_platform_admin(user):
        return None
    return set(department_roles(user))


def leader_area_path(user):
    """The tree path of the area a leader oversees (their home area), or None."""
    if not getattr(user, "is_authenticated", False) or not is_leader(user):
        return None
    area = user.home_area
    return area.path if area is not None else None


def is_area_leader(user, report) -> bool:
    path = leader_area_path(user)
    return path is not None and report.area_path.startswith(path)


def is_reports_staff(user):
    return is_platform_admin(user) or bool(department_roles(user))


def can_open_queue(user):
    """Staff, and leaders over an area: the staff queue (a leader's holds their area)."""
    return is_reports_staff(user) or leader_area_path(user) is not None


def can_see_staff_details(user, report) -> bool:
    if is_platform_admin(user) or is_area_leader(user, report):
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


def can_moderate_comment(user, comment) -> bool:
    """Hide and restore a comment: the forums' moderators, and the report's department staff."""
    return moderation.is_moderator(user) or can_see_staff_details(user, comment.report)


def is_own(user, report) -> bool:
    return (
        report.reporter_id is not None
        and getattr(user, "is_authenticated", False)
        and report.reporter_id == user.pk
    )


def can_instruct(user, report) -> bool:
    """Issue an instruction (批示 / 督办): the area's leaders, the department's supervisors."""
    if is_area_leader(user, report):
        return True
    return report.department is not None and can_supervise(user, report.department)


def can_set_priority(user, report) -> bool:
    return can_triage(user, report) or is_area_leader(user, report)


def can_answer_instruction(user, instruction) -> bool:
    """Acknowledge and answer: the instructed department's dispatchers and supervisors, or the
    handler the report is assigned to."""
    if is_platform_admin(user) or is_member(user, instruction.department, _TRIAGE_ROLES):
        return True
    report = instruction.report
    return (
        report.handler_id is not None
        and report.handler_id == getattr(user, "pk", None)
        and is_member(user, instruction.department)
    )


def can_call_back(user, follow_up) -> bool:
    """Record a follow-up call: the department's supervisors."""
    return can_supervise(user, follow_up.department)


def can_open_follow_ups(user) -> bool:
    """The list of follow-up calls owed: a department's supervisors and platform admins."""
    return is_platform_admin(user) or any(
        MemberRole.SUPERVISOR in roles for roles in department_roles(user).values()
    )
