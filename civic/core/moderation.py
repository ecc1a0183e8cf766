"""Moderating residents' writing across apps: one set of rules, the forums'.

The forums own moderation (flags and their reasons, the threshold at which flags hide an item,
who moderates, bans). Apps below them with residents' writing of their own (comments on
reports) ask here, and the forums answer: they register their policy when they load
(``forums.apps``). Without one registered (an app tested alone), nobody is barred, nobody but
platform admins moderates and flags never hide anything.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .permissions import is_platform_admin


class FlagReasonInvalid(DomainError):
    code = "flag_reason_invalid"
    default_message = _("Choose one of the reasons.")


class OwnContent(DomainError):
    code = "own_content"
    default_message = _("You cannot do this to what you wrote yourself.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Give a reason.")


def required_reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field=field)
    return reason[:500]


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or harassing")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Reveals personal information")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Something else")


@dataclass(frozen=True)
class Policy:
    may_write: Callable  # (user) -> bool: not barred from writing in public
    is_moderator: Callable  # (user) -> bool: hides and restores anyone's writing
    flag_hide_threshold: Callable  # () -> int: this many flags hide an item (0: never)


_DEFAULT = Policy(
    may_write=lambda user: True,
    is_moderator=is_platform_admin,
    flag_hide_threshold=lambda: 0,
)
_policy = [_DEFAULT]


def register(policy: Policy):
    _policy[0] = policy


def may_write(user) -> bool:
    return _policy[0].may_write(user)


def is_moderator(user) -> bool:
    return _policy[0].is_moderator(user)


def flag_hide_threshold() -> int:
    return _policy[0].flag_hide_threshold()
