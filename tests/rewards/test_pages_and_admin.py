"""The portal's rewards pages and the staff screens in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from rewards import services
from rewards.models import (
    Account,
    LedgerEntry,
    Redemption,
    RedemptionStatus,
    RewardItem,
    VoucherCode,
)

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in(client, world):
    response = client.get("/rewards/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_points_catalogue_and_redeem_once(client, world, give, item):
    give(world.resident, 25)
    reward = item(name="帆布袋", cost=10)
    client.force_login(world.resident)
    page = client.get("/rewards/catalogue/")
    assert page.status_code == 200
    assert "帆布袋" in page.content.decode()
    url = reverse("rewards:redeem", args=[reward.pk])
    assert f'href="{url}"' in page.content.decode()
    # The button asks to confirm first: what it costs and what is left after.
    confirm = client.get(url)
    assert Redemption.objects.count() == 0
    assert (confirm.context["balance"], confirm.context["balance_after"]) == (25, 15)
    assert 'type="submit"' in confirm.content.decode()
    request_id = confirm.context["client_request_id"]
    for _ in range(2):  # a double click
        response = client.post(url, {"client_request_id": str(request_id)})
        assert response.status_code == 302
    assert Redemption.objects.count() == 1
    assert Account.objects.get(user=world.resident).balance == 15
    mine = client.get("/rewards/").content.decode()
    assert "帆布袋" in mine
    assert 'data-testid="balance">15<' in mine


def test_redeem_refusal_is_shown(client, world, item):
    reward = item(cost=10)
    client.force_login(world.resident)
    response = client.post(
        reverse("rewards:redeem", args=[reward.pk]), {"client_request_id": "x"}, follow=True
    )
    assert Redemption.objects.count() == 0
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [str(services.InsufficientPoints.default_message)]


def test_leaderboard_page(client, world, give):
    world.resident.home_area = world.areas["DW-G1"]
    world.resident.display_name = "榜首"
    world.resident.save()
    give(world.resident, 12)
    response = client.get("/rewards/leaderboard/?district=DW&period=week")
    assert response.status_code == 200
    assert "榜**" in response.content.decode()
    assert "榜首" not in response.content.decode()


def test_fulfilment_queue_fulfil_and_cancel(client, world, give, item):
    give(world.resident, 20)
    first = services.redeem(world.resident, item(cost=10), "a")
    second = services.redeem(world.resident, item(cost=10), "b")
    client.force_login(world.resident)
    assert client.get(reverse("rewards_admin:queue")).status_code in (302, 403)
    client.force_login(world.admin)
    page = client.get(reverse("rewards_admin:queue"))
    assert page.status_code == 200
    client.post(reverse("rewards_admin:fulfil", args=[first.pk]))
    client.post(reverse("rewards_admin:cancel", args=[second.pk]), {"reason": "缺货"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RedemptionStatus.FULFILLED
    assert second.status == RedemptionStatus.CANCELLED
    assert Account.objects.get(user=world.resident).balance == 10
    assert ModelLogEntry.objects.filter(action="rewards.cancel").count() == 1


def test_ledger_is_read_only_with_an_adjustment_form(client, world, give):
    give(world.resident, 5)
    client.force_login(world.admin)
    assert client.get(reverse("rewards_admin:ledger")).status_code == 200
    response = client.post(
        reverse("rewards_admin:adjust"),
        {"email": world.resident.email, "amount": "-2", "reason": "重复发放"},
    )
    assert response.status_code == 302
    assert Account.objects.get(user=world.resident).balance == 3
    entry = LedgerEntry.objects.get(kind="adjust")
    assert entry.created_by == world.admin
    # Too much is refused beside the form, and changes nothing.
    response = client.post(
        reverse("rewards_admin:adjust"),
        {"email": world.resident.email, "amount": "-20", "reason": "x"},
    )
    assert response.status_code == 200
    assert Account.objects.get(user=world.resident).balance == 3


def test_voucher_import_from_textarea_and_csv(client, world, item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reward = item(kind="voucher")
    client.force_login(world.admin)
    url = reverse("rewards_admin:import_codes", args=[reward.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"codes": "A1\nA2"})
    csv = SimpleUploadedFile("codes.csv", b"code,value\nB1,10\nA1,10\n", "text/csv")
    client.post(url, {"codes": "", "file": csv})
    assert sorted(VoucherCode.objects.values_list("code", flat=True)) == ["A1", "A2", "B1"]


def test_catalogue_viewset(client, world, item):
    item(name="话费十元")
    voucher = item(name="超市券", kind="voucher")
    client.force_login(world.admin)
    response = client.get(reverse("reward_item_admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "话费十元" in html
    assert reverse("rewards_admin:import_codes", args=[voucher.pk]) in html
    assert client.get(reverse("reward_item_admin:add")).status_code == 200
    response = client.post(
        reverse("reward_item_admin:add"),
        {
            "kind": "souvenir",
            "name": "雨伞",
            "name_en": "Umbrella",
            "cost": "40",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert RewardItem.objects.filter(name="雨伞", stock=None, is_active=False).exists()


def test_earning_rules_are_settings_in_the_admin(client, world):
    from rewards.models import RewardSettings

    client.force_login(world.admin)
    url = client.get(reverse("wagtailsettings:edit", args=["rewards", "rewardsettings"]))[
        "Location"
    ]
    assert client.get(url).status_code == 200
    fields = {
        "report_accepted": 12,
        "report_resolved": 5,
        "rating_given": 1,
        "support_accepted": 2,
        "thread_promoted": 30,
        "daily_report_cap": 100,
        "level_thresholds": "0,100,50",
    }
    response = client.post(url, fields)
    assert response.status_code == 200  # refused: thresholds must increase
    assert RewardSettings.load().report_accepted == 10
    response = client.post(url, {**fields, "level_thresholds": "0,100,300"})
    assert response.status_code == 302
    settings = RewardSettings.load()
    assert settings.report_accepted == 12
    assert settings.thresholds() == [0, 100, 300]


# --- The catalogue admin saves through the services ----------------------------------------------


def umbrella(**changes):
    fields = {"kind": "souvenir", "name": "雨伞", "name_en": "Umbrella", "cost": "40"}
    return {**fields, "sort_order": "0", **changes}


def test_the_catalogue_follows_the_services_rule(client, world, item):
    from django.contrib.auth.models import Permission

    reward = item()
    refused = (302, reverse("wagtailadmin_home"))  # how the admin answers PermissionDenied
    client.force_login(world.handler)
    response = client.post(reverse("reward_item_admin:add"), umbrella())
    assert (response.status_code, response.url) == refused

    world.handler.user_permissions.add(Permission.objects.get(codename="change_rewarditem"))
    client.force_login(world.handler)
    response = client.post(reverse("reward_item_admin:add"), umbrella())
    assert response.status_code == 302
    edit = reverse("reward_item_admin:edit", args=[reward.pk])
    assert client.post(edit, umbrella(name="帆布袋", cost="15")).status_code == 302
    assert RewardItem.objects.filter(name="雨伞").exists()
    assert RewardItem.objects.get(pk=reward.pk).cost == 15


def test_the_catalogue_services_refuse_what_the_admin_let_through(client, world, item, monkeypatch):
    from wagtail.permissions import policy_registry

    # Wagtail's policy out of step with the services' rule: only the services can refuse.
    monkeypatch.setattr(policy_registry.get_by_type(RewardItem), "may_change", lambda user: True)
    reward = item()
    refused = (302, reverse("wagtailadmin_home"))
    client.force_login(world.handler)
    for url, data in [
        (reverse("reward_item_admin:add"), umbrella()),
        (reverse("reward_item_admin:edit", args=[reward.pk]), umbrella(name="改名")),
        (reverse("reward_item_admin:delete", args=[reward.pk]), {}),
    ]:
        response = client.post(url, data)
        assert (response.status_code, response.url) == refused
    assert list(RewardItem.objects.values_list("name", flat=True)) == ["帆布袋"]
