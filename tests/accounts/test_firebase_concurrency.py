"""The same Firebase user signing in from two requests at once gets one account, on
PostgreSQL with real concurrent transactions."""

import time

import pytest
from django.db import connection

from civic.accounts import services
from civic.accounts.models import FirebaseIdentity, User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite serialises writers; the sequential tests cover the same path there.",
    ),
]


def test_two_first_sign_ins_at_once_make_one_account(race):
    claims = {"uid": "uid-race", "phone_number": "+8613800000077", "exp": time.time() + 60}
    results = race([lambda: services.sign_in_with_firebase(dict(claims)).pk] * 4)
    assert len(set(results)) == 1
    assert User.objects.count() == 1
    assert FirebaseIdentity.objects.get().user_id == results[0]
