"""Reactions to the portal's own changes that reach other apps.

* A new district page gets its editors, approvers and workflow at once, however it is made
  (the admin, the demo, an import).
* A case study recommended to leadership becomes the leadership space's thread about it,
  through the forums' service (which makes one per case study, however often it is asked).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.html import escape

from forums import services as forum_services

from . import events, services
from .models import DistrictPage


@receiver(post_save, sender=DistrictPage, dispatch_uid="portal.district_team")
def make_district_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.sync_district_team(instance)


@receiver(events.case_study_recommended, dispatch_uid="portal.leadership_thread")
def open_leadership_thread(sender, page, actor, recommendation, **kwargs):
    summary = f"<p>{escape(page.summary)}</p>"
    if recommendation.note:
        summary += f"<p>{escape(recommendation.note)}</p>"
    summary += f'<p><a href="{escape(page.full_url or page.url)}">{escape(page.title)}</a></p>'
    forum_services.open_leadership_thread_for_case_study(
        actor, page=page, title=page.title, summary=summary
    )
