"""When the daily cap holds back report points the resident is told why: each ledger entry
says what was held back (a 0-point entry when nothing was left), in GraphQL and on the portal's
"My points" page in the reader's language, and the inbox says it once that day."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civic.notifications.models import Kind, Notification
from reports import services as reports
from rewards import services
from rewards.models import Account, LedgerEntry, RewardSettings, Rule

pytestmark = pytest.mark.django_db

LEDGER = """{ myLedger(first: 10) { edges { node { amount withheld withheldReason rule } } } }"""
INBOX = "{ notifications(first: 10) { edges { node { kind title body link } } } }"
HELD_EN = "points held back: the daily limit on points from reports was already reached that day."
HELD_ZH = "积分未发放：当天通过反映问题获得的积分已达到每日上限。"


@pytest.fixture
def capped_reports(world, submit, django_capture_on_commit_callbacks):
    """Three reports accepted the same day under a cap of 25: 10, 10, then 5 of 10, then 0."""
    settings = RewardSettings.load()
    settings.daily_report_cap = 25
    settings.save()
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            report = submit()
        with django_capture_on_commit_callbacks(execute=True):
            reports.accept(world.dispatcher, report)
    return world.resident


def test_the_ledger_says_what_the_cap_held_back(capped_reports, client, gql):
    client.force_login(capped_reports)
    assert Account.objects.get(user=capped_reports).balance == 25
    nodes = [
        e["node"]
        for e in gql(LEDGER, headers={"Accept-Language": "en"})["data"]["myLedger"]["edges"]
    ]
    assert [(n["amount"], n["withheld"]) for n in nodes] == [(0, 10), (5, 5), (10, 0), (10, 0)]
    assert nodes[0]["withheldReason"] == f"10 {HELD_EN}"
    assert nodes[1]["withheldReason"] == f"5 {HELD_EN}"
    assert nodes[2]["withheldReason"] is None
    assert {n["rule"] for n in nodes} == {"REPORT_ACCEPTED"}
    zh = gql(LEDGER, headers={"Accept-Language": "zh-hans"})["data"]["myLedger"]["edges"]
    assert zh[0]["node"]["withheldReason"] == f"有 10 {HELD_ZH}"
    # The balance is still the sum of the entries.
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 25


def test_the_inbox_says_it_once_that_day(capped_reports, client, gql):
    client.force_login(capped_reports)
    notices = Notification.objects.filter(user=capped_reports, kind=Kind.POINTS_WITHHELD)
    assert notices.count() == 1
    nodes = [e["node"] for e in gql(INBOX)["data"]["notifications"]["edges"]]
    [notice] = [n for n in nodes if n["kind"] == "POINTS_WITHHELD"]
    # Written in the resident's language (the platform's: Chinese).
    assert notice["title"] == "反映问题所得积分已达每日上限"
    assert notice["body"] == f"有 5 {HELD_ZH}"
    assert notice["link"] == "civic://rewards"


@pytest.mark.parametrize(("language", "text"), [("en", f"10 {HELD_EN}"), ("zh-hans", HELD_ZH)])
def test_my_points_page_explains_it(capped_reports, client, language, text):
    client.force_login(capped_reports)
    page = client.get(reverse("rewards:my_points"), headers={"Accept-Language": language})
    assert page.status_code == 200
    assert text in page.content.decode()


def test_history_loaded_for_past_days_leaves_today_s_cap(world):
    """The demo's way of loading history: dated when it was earned, it uses those days' caps."""
    yesterday = timezone.now() - timedelta(days=1)
    for n in range(12):
        services.earn(world.resident, 10, rule=Rule.REPORT_ACCEPTED, key=f"old:{n}", at=yesterday)
    entry = services.earn(world.resident, 10, rule=Rule.REPORT_ACCEPTED, key="today", capped=True)
    assert (entry.amount, entry.withheld) == (10, 0)
    late = services.earn(
        world.resident, 10, rule=Rule.REPORT_ACCEPTED, key="old:late", capped=True, at=yesterday
    )
    assert (late.amount, late.withheld) == (0, 10)
