"""Moving the public answers' cache on (``civic.core.public_cache``) when what they show changes:
each app's events, any save or delete of the models they are read from (``APP_NAMESPACES``),
and Wagtail's publishing."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from wagtail.signals import page_published, page_unpublished, post_page_move

from civic.areas import events as area_events
from civic.core import public_cache
from civic.portal import events as portal_events
from forums import events as forum_events
from reports import events as report_events
from rewards import events as reward_events

from .public_reads import APP_NAMESPACES


def _forgetting(*namespaces):
    def forget(sender, **kwargs):
        public_cache.forget(*namespaces)

    return forget


def _model_changed(sender, **kwargs):
    namespaces = APP_NAMESPACES.get(sender._meta.app_label)
    if namespaces:
        public_cache.forget(*namespaces)


_EVENTS = {
    report_events: ("reports",),
    forum_events: ("forums",),
    reward_events: ("rewards",),
    portal_events: ("portal",),
    area_events: public_cache.NAMESPACES,
}


def connect():
    for module, namespaces in _EVENTS.items():
        receiver = _forgetting(*namespaces)
        for name, signal in vars(module).items():
            if isinstance(signal, Signal):
                uid = f"api.public.{module.__name__}.{name}"
                signal.connect(receiver, weak=False, dispatch_uid=uid)
    forget_portal = _forgetting("portal")
    for n, signal in enumerate((page_published, page_unpublished, post_page_move)):
        signal.connect(forget_portal, weak=False, dispatch_uid=f"api.public.page.{n}")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid="api.public.models")
