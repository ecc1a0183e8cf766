"""How the forums hear of higher apps' changes.

A case study recommended to leadership becomes the leadership space's thread about it. The
portal sends ``case_study_recommended`` inside the recommending transaction and this receiver
is not wrapped in ``civic.core.receivers.safely``: a thread that cannot be made undoes the
recommendation (the service makes one thread per case study, however often it is asked).
"""

from django.dispatch import receiver
from django.utils.html import escape

from civic.portal import events as portal_events

from . import services


@receiver(portal_events.case_study_recommended, dispatch_uid="forums.leadership_thread")
def open_leadership_thread(sender, page, actor, recommendation, **kwargs):
    summary = f"<p>{escape(page.summary)}</p>"
    if recommendation.note:
        summary += f"<p>{escape(recommendation.note)}</p>"
    summary += f'<p><a href="{escape(page.full_url or page.url)}">{escape(page.title)}</a></p>'
    services.open_leadership_thread_for_case_study(
        actor, page=page, title=page.title, summary=summary
    )
