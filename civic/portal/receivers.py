"""Reactions to the portal's own changes: a new district page gets its editors, approvers and
workflow at once, however it is made (the admin, the demo, an import).

The leadership thread a recommended case study opens is made by ``forums.receivers``.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .models import DistrictPage


@receiver(post_save, sender=DistrictPage, dispatch_uid="portal.district_team")
def make_district_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.sync_district_team(instance)
