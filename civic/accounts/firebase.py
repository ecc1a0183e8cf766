"""Checking Firebase ID tokens (phone sign-in in the app) with firebase-admin.

firebase-admin and Google's auth libraries are imported on the first check, not with the
module: they take some 35 MB, in every web worker, for a request few workers ever serve.
"""

import time

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError

APP_NAME = "civic-accounts"


class FirebaseTokenInvalid(DomainError):
    code = "firebase_token_invalid"
    default_message = _("The Firebase ID token is not valid. Sign in with Firebase again.")


class FirebaseTokenExpired(DomainError):
    code = "firebase_token_expired"
    default_message = _("The Firebase ID token has expired. Get a fresh one and try again.")


class FirebaseWrongProject(DomainError):
    code = "firebase_wrong_project"
    default_message = _("The Firebase ID token was issued for another project.")


class FirebaseUnavailable(DomainError):
    code = "firebase_unavailable"
    default_message = _("Firebase sign-in is not available right now. Please try again later.")


def _no_credential():
    """Checking an ID token needs Google's public keys only, no service account: this app
    never makes an authenticated call, so it needs no secret to be deployed."""
    from firebase_admin import credentials
    from google.auth.credentials import AnonymousCredentials

    class NoCredential(credentials.Base):
        def get_credential(self):
            return AnonymousCredentials()

    return NoCredential()


def _app():
    """Our own named firebase-admin app, so that the project it checks audiences against is
    the one in settings, whatever other apps initialise."""
    import firebase_admin

    try:
        app = firebase_admin.get_app(APP_NAME)
    except ValueError:
        app = None
    project_id = settings.FIREBASE_PROJECT_ID
    if not project_id:
        raise FirebaseUnavailable()
    if app is not None and app.project_id != project_id:
        firebase_admin.delete_app(app)
        app = None
    if app is None:
        try:
            app = firebase_admin.initialize_app(
                _no_credential(), options={"projectId": project_id}, name=APP_NAME
            )
        except ValueError:  # another thread initialised it first
            app = firebase_admin.get_app(APP_NAME)
    return app


def verify_id_token(id_token) -> dict:
    """The token's verified claims, or a ``DomainError`` saying why it is refused."""
    if not isinstance(id_token, str) or not id_token.strip():
        raise FirebaseTokenInvalid(field="id_token")
    from firebase_admin import auth

    app = _app()
    try:
        claims = auth.verify_id_token(id_token, app=app)
    except auth.ExpiredIdTokenError as exc:
        raise FirebaseTokenExpired(field="id_token") from exc
    except auth.InvalidIdTokenError as exc:
        if _audience(id_token) not in (None, app.project_id):
            raise FirebaseWrongProject(field="id_token") from exc
        raise FirebaseTokenInvalid(field="id_token") from exc
    except auth.CertificateFetchError as exc:
        raise FirebaseUnavailable() from exc
    except ValueError as exc:
        raise FirebaseTokenInvalid(field="id_token") from exc
    # firebase-admin skips the expiry check with the auth emulator; a token past its time is
    # refused the same way everywhere.
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= time.time():
        raise FirebaseTokenExpired(field="id_token")
    return claims


def _audience(id_token):
    """The audience a refused token names, to tell "another project" from "broken"; read
    without verification, only to choose the error."""
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return claims.get("aud")
