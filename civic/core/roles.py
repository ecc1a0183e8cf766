"""The platform's roles: the names of the Django groups that say what kind of user one is.

Which model permissions each group holds is ``civic.accounts.roles``; scoped roles (staff of a
department, the worker of a grid cell) are memberships kept by the app owning the scope.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "Residents", _("Residents")
    STAFF = "Department staff", _("Department staff")
    EDITOR = "Editors", _("Editors")
    LEADER = "Leaders", _("Leaders")
    ADMIN = "Platform admins", _("Platform admins")


ACCESS_ADMIN = "wagtailadmin.access_admin"
