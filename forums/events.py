"""What happens in the forums, for other apps to react to (rewards pays, notifications tell).

Every signal is sent once the change is committed, with ``actor`` (the user, or ``SYSTEM``):

* ``thread_created``: ``thread``.
* ``post_created``: ``thread``, ``post`` — tell the thread's followers.
* ``thread_nominated``: ``thread``, ``nomination`` (``actor`` is ``SYSTEM`` when automatic).
* ``thread_promoted``: ``thread`` (the public origin), ``leadership_thread``, ``nomination``.
* ``official_response``: ``thread`` (the public origin), ``post`` (the leader's reply),
  ``leadership_thread`` — tell the public thread's participants and followers.
* ``thread_shared_down``: ``thread`` (the new public copy), ``leadership_thread``.
* ``content_hidden``: ``thread``, ``post`` (None when the thread itself was hidden),
  ``author``, ``reason`` — tell the author.
* ``member_approved``: ``group``, ``membership``.
"""

from django.db import transaction
from django.dispatch import Signal

thread_created = Signal()
post_created = Signal()
thread_nominated = Signal()
thread_promoted = Signal()
official_response = Signal()
thread_shared_down = Signal()
content_hidden = Signal()
member_approved = Signal()


def send_on_commit(signal, **kwargs):
    transaction.on_commit(lambda: signal.send(sender="forums", **kwargs))
