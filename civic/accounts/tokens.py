"""The app's session token (allauth headless), for our own endpoints."""

from allauth.headless import app_settings as headless_settings
from django.contrib.auth import get_user
from django.http import HttpRequest


def session_token(request) -> str | None:
    """The token the request carries (``X-Session-Token``), as allauth's strategy reads it."""
    return headless_settings.TOKEN_STRATEGY.get_session_token(request)


def user_for_session_token(token):
    """The signed-in user of a session token, else ``None``.

    The session comes from allauth's token strategy; the user from Django's own ``get_user``,
    which also refuses a session whose password hash no longer matches (a changed password or
    a deleted account) and an inactive user.
    """
    session = headless_settings.TOKEN_STRATEGY.lookup_session(token)
    if session is None:
        return None
    probe = HttpRequest()
    probe.session = session
    user = get_user(probe)
    return user if user.is_authenticated else None
