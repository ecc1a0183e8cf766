"""The same Firebase user signing in from two requests at once gets one account, on
PostgreSQL with real concurrent transactions."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from civic.accounts import services
from civic.accounts.models import FirebaseIdentity, User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite serialises writers; the sequential tests cover the same path there.",
    ),
]


def test_two_first_sign_ins_at_once_make_one_account():
    claims = {"uid": "uid-race", "phone_number": "+8613800000077", "exp": time.time() + 60}
    barrier = threading.Barrier(4)

    def sign_in():
        try:
            barrier.wait()
            return services.sign_in_with_firebase(dict(claims)).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sign_in(), range(4)))
    assert len(set(results)) == 1
    assert User.objects.count() == 1
    assert FirebaseIdentity.objects.get().user_id == results[0]
