"""The platform's roles as Django groups, and the model permissions each carries.

Groups are synced after every ``migrate`` (idempotently), so a fresh database and an old one end
up with the same roles. Scoped roles — staff of a department, the worker of a grid cell — are
memberships kept by the app that owns the scope; the group only says what kind of user it is.
"""

from civic.core.roles import ACCESS_ADMIN, Role

_VIEW_CORE = ["areas.view_area", "departments.view_department"]
_MANAGE_CORE = [
    f"{app}.{action}_{model}"
    for app, model in (
        ("areas", "area"),
        ("departments", "department"),
        ("departments", "membership"),
    )
    for action in ("add", "change", "delete", "view")
]
# The reports app's configuration: categories (with their questions), routing, reply templates.
_MANAGE_REPORTS_CONFIG = [
    f"reports.{action}_{model}"
    for model in ("category", "routingrule", "responsetemplate")
    for action in ("add", "change", "delete", "view")
]
# Staff read the categories (SLA hours, questions) and the reply templates they may use.
_VIEW_REPORTS_CONFIG = ["reports.view_category", "reports.view_responsetemplate"]
# Forum moderators (editors) work in the forums' own admin screens, which check the role; this
# lets them edit the thresholds under Settings → Forums.
_MANAGE_FORUMS = ["forums.change_forumsettings", "forums.view_forumsettings"]
# Case-study topics (snippets) are the editors' vocabulary; removing one untags every case
# study, so that stays with platform admins.
_EDIT_TOPICS = [f"portal.{action}_topic" for action in ("add", "change", "view")]
_MANAGE_REWARDS = [
    *[f"rewards.{action}_rewarditem" for action in ("add", "change", "delete", "view")],
    "rewards.view_ledgerentry",
    "rewards.adjust_points",
    "rewards.view_redemption",
    "rewards.fulfil_redemption",
    "rewards.change_rewardsettings",
]

# Permissions each role's group holds. Editors is Wagtail's own group (it also holds Wagtail's
# page permissions); only what is listed here is added to it.
ROLE_PERMISSIONS = {
    Role.RESIDENT: [],
    Role.STAFF: [ACCESS_ADMIN, *_VIEW_CORE, *_VIEW_REPORTS_CONFIG],
    Role.EDITOR: [ACCESS_ADMIN, *_VIEW_CORE, *_MANAGE_FORUMS, *_EDIT_TOPICS],
    # Leaders enter the admin for the operations centre's dashboard of their area.
    Role.LEADER: [ACCESS_ADMIN],
    Role.ADMIN: [
        ACCESS_ADMIN,
        *_MANAGE_CORE,
        *_MANAGE_REPORTS_CONFIG,
        *_MANAGE_REWARDS,
        *_EDIT_TOPICS,
        "portal.delete_topic",
        *_MANAGE_FORUMS,
        "notifications.view_delivery",
        "operations.view_datasetrequest",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "auth.view_group",
        "wagtailcore.view_site",
        "wagtailcore.change_site",
    ],
}


def sync_role_groups(sender=None, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:  # an app not migrated yet; the next post_migrate adds it
                wanted.append(perm)
        group.permissions.add(*wanted)
