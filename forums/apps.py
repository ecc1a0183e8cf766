from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from civic.core import moderation

        from . import receivers  # noqa: F401
        from .models import ForumSettings
        from .permissions import is_forum_moderator, may_write_in_public

        # Comments on reports are moderated by the forums' rules (civic.core.moderation).
        moderation.register(
            moderation.Policy(
                may_write=may_write_in_public,
                is_moderator=is_forum_moderator,
                flag_hide_threshold=lambda: ForumSettings.load().flag_hide_threshold,
            )
        )
