"""A phone app speaking to the backend over HTTP only: allauth's headless API for signing in,
/graphql/ with the session token, Firebase ID tokens as the Firebase SDK would hand them."""

import base64
import json
import re
import time

from django.core import mail
from django.test import Client

HEADLESS = "/_allauth/app/v1"
PROJECT = "civic-test"


class Phone:
    def __init__(self, language=None):
        """``language``: the phone's Accept-Language, if it sends one."""
        self.http = Client(headers={"Accept-Language": language} if language else None)
        self.token = None

    def _headers(self):
        return {"X-Session-Token": self.token} if self.token else {}

    def auth(self, method, path, body=None):
        """A headless call; keeps the session token the answer hands over."""
        kwargs = {"headers": self._headers()}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.http, method)(HEADLESS + path, **kwargs)
        payload = response.json()
        token = (payload.get("meta") or {}).get("session_token")
        if token:
            self.token = token
        return response.status_code, payload

    def graphql(self, query, variables=None):
        response = self.http.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers=self._headers(),
        )
        return response.status_code, response.json()


def confirmation_key():
    """The key in the last email's confirmation link."""
    return re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[-1].body).group(1)


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def firebase_token(uid="fb-uid-1", *, aud=PROJECT, expires_in=3600, **claims):
    """An ID token as the Firebase auth emulator issues them: unsigned (alg none)."""
    now = int(time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{aud}",
        "aud": aud,
        "sub": uid,
        "iat": now - 10,
        "auth_time": now - 10,
        "exp": now + expires_in,
        "firebase": {"sign_in_provider": "phone", "identities": {}},
        **claims,
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."
