"""Reactions to the portal's own changes: a new district page gets its editors, approvers and
workflow at once, however it is made (the admin, the demo, an import).

The leadership thread a recommended case study opens is made by ``forums.receivers``.

The home page's cached fragments (``queries.HOME_FRAGMENTS``) are forgotten when what they show
changes: any report's event (a new, moved on, hidden or recategorised report), a page published,
unpublished, moved or deleted, a case study adopted, the areas or categories changed; the hot
threads on the forum's events.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from civic.areas import events as area_events
from civic.core.receivers import safely
from forums import events as forum_events
from reports import events as report_events
from reports.models import Category

from . import events, queries, services
from .models import DistrictPage


@receiver(post_save, sender=DistrictPage, dispatch_uid="portal.district_team")
def make_district_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.sync_district_team(instance)


@safely
def forget_home(**kwargs):
    queries.forget_home("portal_home", "portal_home_reports")


@safely
def forget_hot_threads(**kwargs):
    queries.forget_home("portal_home_hot")


def _on_commit(receiver):
    """For model and Wagtail signals, sent inside the change's transaction: forget once the
    change is committed, so that no request caches the fragment as it was before."""

    def forget(sender, **kwargs):
        transaction.on_commit(lambda: receiver(sender, **kwargs))

    return forget


def _signals(module):
    return [value for value in vars(module).values() if isinstance(value, Signal)]


_forget_home_on_commit = _on_commit(forget_home)
for _n, _signal in enumerate(
    [*_signals(report_events), events.case_study_adopted, area_events.areas_changed]
):
    _signal.connect(forget_home, dispatch_uid=f"portal.home.{_n}")
for _n, _signal in enumerate((page_published, page_unpublished, post_page_move)):
    _signal.connect(_forget_home_on_commit, dispatch_uid=f"portal.home.page.{_n}")
post_delete.connect(_forget_home_on_commit, sender=Page, dispatch_uid="portal.home.page_deleted")
for _signal in (post_save, post_delete):
    _signal.connect(_forget_home_on_commit, sender=Category, dispatch_uid="portal.home.category")
for _n, _signal in enumerate(_signals(forum_events)):
    _signal.connect(forget_hot_threads, dispatch_uid=f"portal.hot.{_n}")
