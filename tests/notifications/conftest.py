"""Notifications tests reuse the reports world, and drive firebase-admin's real messaging code
offline: a Firebase app with a mock credential, and a requests transport adapter mounted on its
messaging service's HTTP session (as firebase-admin's own tests do) that answers as FCM would."""

import io
import json

import firebase_admin
import pytest
from firebase_admin import credentials, messaging
from google.auth import credentials as google_credentials
from requests import adapters, models

from tests.forums.conftest import people, spaces, thread_by  # noqa: F401  (fixtures)
from tests.reports.conftest import submit, world  # noqa: F401  (fixtures)

PROJECT = "civic-test"
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


class _GoogleCredential(google_credentials.Credentials):
    def refresh(self, request):
        self.token = "mock-token"


class MockCredential(credentials.Base):
    def get_credential(self):
        return _GoogleCredential()


def fcm_error(status, code, fcm_code=None, message="error"):
    """An FCM v1 error answer: HTTP status, body with the gRPC status and the FCM error code."""
    error = {"code": status, "status": code, "message": message}
    if fcm_code:
        error["details"] = [{"@type": FCM_ERROR_TYPE, "errorCode": fcm_code}]
    return status, {"error": error}


OK = None  # answer with success
UNREGISTERED = fcm_error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")
SENDER_ID_MISMATCH = fcm_error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH")
INVALID_TOKEN = fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "bad registration token")
INTERNAL = fcm_error(500, "INTERNAL", "INTERNAL")
UNAVAILABLE = fcm_error(503, "UNAVAILABLE", "UNAVAILABLE")


class FCMTransport(adapters.HTTPAdapter):
    """Answers FCM's send endpoint per token: each token's scripted answers in turn (the last
    one repeats), success when nothing is scripted. Records every request it answers."""

    def __init__(self):
        super().__init__()
        self.script = {}
        self.requests = []

    def answer(self, token, *answers):
        self.script[token] = list(answers)

    def send(self, request, **kwargs):
        payload = json.loads(request.body)
        token = payload["message"]["token"]
        self.requests.append(payload)
        answers = self.script.get(token) or [OK]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer is OK:
            status, body = 200, {"name": f"projects/{PROJECT}/messages/{len(self.requests)}"}
        else:
            status, body = answer
        response = models.Response()
        response.url = request.url
        response.status_code = status
        response.headers["Content-Type"] = "application/json"
        response.raw = io.BytesIO(json.dumps(body).encode())
        response.request = request
        return response

    def sent_to(self, token):
        return [p for p in self.requests if p["message"]["token"] == token]


@pytest.fixture
def fcm(settings):
    """Push goes through the Firebase sender to the scripted transport."""
    settings.NOTIFICATIONS_PUSH_SENDER = "firebase"
    app = firebase_admin.initialize_app(MockCredential(), {"projectId": PROJECT})
    transport = FCMTransport()
    messaging._get_messaging_service(app)._client.session.mount(
        "https://fcm.googleapis.com", transport
    )
    yield transport
    firebase_admin.delete_app(app)
