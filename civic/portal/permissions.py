"""Who may do what with case studies. Page rights are Wagtail's own (group page permissions on
each district's subtree, kept by ``services.sync_district_team``); these ask Wagtail."""

from civic.core.permissions import SYSTEM, is_editor, is_platform_admin


def can_add_under(user, page) -> bool:
    """May create pages (case studies, adopted copies, news) under ``page``."""
    if user is SYSTEM:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return page.permissions_for_user(user).can_add_subpage()


def can_adopt_into(user, district_page) -> bool:
    return can_add_under(user, district_page)


def can_recommend(user, page) -> bool:
    """Editors who may edit the case study (its district's editors, platform admins)."""
    if user is SYSTEM:
        return True
    if not is_editor(user):
        return False
    return page.permissions_for_user(user).can_edit()


def can_manage_teams(user) -> bool:
    return user is SYSTEM or is_platform_admin(user)
