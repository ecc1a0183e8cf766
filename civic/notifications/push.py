"""Push messages go through our own small interface, so that the outbox does not depend on a
provider and tests can drive the real provider code offline.

``FirebaseSender`` sends through firebase-admin's ``messaging.send_each`` (FCM HTTP v1), at most
500 messages per call, and says for each message whether it was sent, whether the token is no
longer any good (the device is then deactivated), or whether to try again later.
``LogSender``, the embedded default, sends nothing: it logs each message and keeps the last ones
in ``LogSender.sent``.

``NOTIFICATIONS_PUSH_SENDER`` chooses: ``log`` (default) or ``firebase``. The Firebase app is the
default one that firebase-admin finds initialised, or one initialised here with Google's
application default credentials (``GOOGLE_APPLICATION_CREDENTIALS``) and ``FIREBASE_PROJECT_ID``.
"""

import enum
import logging
import uuid
from collections import deque
from dataclasses import dataclass, field

from django.conf import settings

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # the most messages FCM's send_each accepts in one call


@dataclass(frozen=True)
class PushMessage:
    token: str
    title: str
    body: str
    link: str = ""
    data: dict = field(default_factory=dict)


class Outcome(enum.Enum):
    SENT = "sent"
    INVALID_TOKEN = "invalid_token"  # never send to this token again
    RETRY = "retry"  # the provider could not take it now


@dataclass(frozen=True)
class PushResult:
    outcome: Outcome
    message_id: str = ""
    error: str = ""
    retry_after: float | None = None  # seconds the provider asked us to wait, if it did


class LogSender:
    """Sends nothing: logs each message and remembers the last thousand."""

    sent = deque(maxlen=1000)

    def send(self, messages):
        results = []
        for message in messages:
            logger.info("push to %s…: %s", message.token[:12], message.title)
            self.sent.append(message)
            results.append(PushResult(Outcome.SENT, message_id=f"log:{uuid.uuid4()}"))
        return results


class FirebaseSender:
    def __init__(self, app=None):
        self.app = app or _default_app()

    def send(self, messages):
        results = []
        for start in range(0, len(messages), BATCH_SIZE):
            results += self._send_batch(messages[start : start + BATCH_SIZE])
        return results

    def _send_batch(self, batch):
        from firebase_admin import exceptions, messaging

        try:
            response = messaging.send_each([_fcm_message(m) for m in batch], app=self.app)
        except exceptions.FirebaseError as exc:
            # The whole call failed (credentials, network): every message waits for a retry.
            return [_result_for_error(exc)] * len(batch)
        return [
            PushResult(Outcome.SENT, message_id=answer.message_id)
            if answer.success
            else _result_for_error(answer.exception)
            for answer in response.responses
        ]


def _fcm_message(message):
    from firebase_admin import messaging

    data = {key: str(value) for key, value in message.data.items()}
    if message.link:
        data["link"] = message.link
    return messaging.Message(
        token=message.token,
        notification=messaging.Notification(title=message.title, body=message.body),
        data=data,
    )


def _result_for_error(error):
    from firebase_admin import exceptions, messaging

    text = f"{type(error).__name__}: {error}"[:500]
    # UNREGISTERED: the app was uninstalled or the token expired; SENDER_ID_MISMATCH: the token
    # belongs to another Firebase project; INVALID_ARGUMENT: FCM's answer to a malformed token.
    if isinstance(
        error,
        messaging.UnregisteredError
        | messaging.SenderIdMismatchError
        | exceptions.InvalidArgumentError,
    ):
        return PushResult(Outcome.INVALID_TOKEN, error=text)
    return PushResult(Outcome.RETRY, error=text, retry_after=_retry_after(error))


def _retry_after(error):
    response = getattr(error, "http_response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: our own backoff is close enough


def _default_app():
    import firebase_admin

    try:
        return firebase_admin.get_app()
    except ValueError:
        pass
    project = settings.FIREBASE_PROJECT_ID
    try:
        return firebase_admin.initialize_app(options={"projectId": project} if project else {})
    except ValueError:  # another thread initialised it first
        return firebase_admin.get_app()


SENDERS = {"log": LogSender, "firebase": FirebaseSender}


def get_sender():
    return SENDERS[settings.NOTIFICATIONS_PUSH_SENDER]()
