"""Demo rewards: a catalogue and a history of earnings and redemptions for the demo residents.

Runs after the accounts demo (and the reports demo, where there is one). When there are verified
reports, their reporters and supporters are paid by the receivers' own rules and keys
(``receivers.history_payments``, in time order and dated when each was earned), so the report
events delivered when the demo commits pay nothing twice and the history leaves today's daily
cap unused: a new report of a demo resident earns at once. Without reports, the history is made
through the services for made-up report numbers, one a day up to yesterday. Safe to run again:
items are found by name, earnings by their idempotency keys, redemptions by request ID; a
redemption the points do not cover is left out.
"""

from datetime import timedelta
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.utils import timezone

from civic.areas.models import Area
from civic.core.errors import DomainError
from civic.core.permissions import SYSTEM
from reports.models import Report
from rewards import receivers, services
from rewards.models import RedemptionStatus, RewardItem, Rule

CATALOGUE = [
    {
        "kind": "phone_credit",
        "name": "话费充值 10 元",
        "name_en": "Phone credit ¥10",
        "description": "充值到您账户绑定的手机号，工作人员三个工作日内办理。",
        "description_en": "Topped up to your account's phone number within three working days.",
        "cost": 100,
        "per_user_limit": 3,
    },
    {
        "kind": "voucher",
        "name": "社区超市代金券 20 元",
        "name_en": "Community supermarket voucher ¥20",
        "description": "凭券码在清河市社区超市使用，有效期一年。",
        "description_en": "Use the code at Qinghe community supermarkets within a year.",
        "cost": 150,
        "codes": [f"QH-SM-{n:04d}" for n in range(1, 21)],
    },
    {
        "kind": "souvenir",
        "name": "清河市民帆布袋",
        "name_en": "Qinghe tote bag",
        "description": "到街道服务中心领取。",
        "description_en": "Collect it at your street's service centre.",
        "cost": 60,
        "stock": 50,
        "per_user_limit": 1,
    },
    {
        "kind": "donation",
        "name": "捐给社区助老餐",
        "name_en": "Donate to community meals for the elderly",
        "description": "每 50 积分为一位老人提供一顿午餐。",
        "description_en": "Every 50 points buys an elderly neighbour a lunch.",
        "cost": 50,
    },
    {
        "kind": "souvenir",
        "name": "东湖区公园年卡",
        "name_en": "Donghu district park pass",
        "description": "东湖区居民专享。",
        "description_en": "For residents of Donghu district only.",
        "cost": 200,
        "stock": 10,
        "district": "QH-DH",
    },
]

# (email, [(rule, made-up report number)...], [(item name, request id, status)...])
HISTORY = [
    (
        "resident@demo.civic",
        [(Rule.REPORT_ACCEPTED, n) for n in range(1, 21)]
        + [(Rule.REPORT_RESOLVED, n) for n in range(1, 13)]
        + [(Rule.RATING_GIVEN, n) for n in range(1, 9)],
        [
            ("社区超市代金券 20 元", "demo-1", None),
            ("清河市民帆布袋", "demo-2", RedemptionStatus.PENDING),
        ],
    ),
    (
        "resident2@demo.civic",
        [(Rule.REPORT_ACCEPTED, n) for n in range(20, 26)]
        + [(Rule.SUPPORT_ACCEPTED, n) for n in range(1, 5)],
        [("捐给社区助老餐", "demo-1", RedemptionStatus.FULFILLED)],
    ),
    (
        "resident3@demo.civic",
        [(Rule.REPORT_ACCEPTED, 30), (Rule.REPORT_RESOLVED, 30), (Rule.SUPPORT_ACCEPTED, 2)],
        [],
    ),
]


def _amount(settings, rule):
    return {
        Rule.REPORT_ACCEPTED: settings.report_accepted,
        Rule.REPORT_RESOLVED: settings.report_resolved,
        Rule.RATING_GIVEN: settings.rating_given,
        Rule.SUPPORT_ACCEPTED: settings.support_accepted,
    }[rule]


def _catalogue():
    items = {}
    for spec in CATALOGUE:
        spec = dict(spec)
        codes = spec.pop("codes", [])
        district = spec.pop("district", None)
        if district:
            spec["district"] = Area.objects.filter(code=district).first()
        item, _created = RewardItem.objects.get_or_create(name=spec["name"], defaults=spec)
        if codes:
            services.import_codes(SYSTEM, item, "\n".join(codes))
        items[item.name] = item
    return items


def seed(progress=iter):
    items = _catalogue()
    settings = services.rules()
    users = get_user_model().objects.in_bulk(
        [email for email, *_ in HISTORY], field_name="username"
    )
    verified = Report.objects.filter(accepted_at__isnull=False).exclude(
        state__in=receivers.NOT_VERIFIED
    )
    has_reports = verified.exists()
    now = timezone.now()
    payments = [
        payment
        for report in verified.select_related("reporter").order_by("accepted_at", "pk")
        for payment in receivers.history_payments(report)
    ]
    for _when, pay in sorted(payments, key=itemgetter(0)):
        pay()
    for email, earnings, redemptions in progress(HISTORY):
        user = users.get(email)
        if user is None:
            continue
        # One a day up to yesterday, so that today's cap is left for new reports.
        history = [] if has_reports else earnings
        for n, (rule, number) in enumerate(history):
            services.post_entry(
                user,
                _amount(settings, rule),
                kind="earn",
                rule=rule,
                key=f"demo:report:{number}:{rule}:{user.pk}",
                reason=str(rule.label),
                source=f"demo-report:{number}",
                at=now - timedelta(days=len(history) - n),
            )
        for name, request_id, status in redemptions:
            try:
                redemption = services.redeem(user, items[name], request_id)
            except DomainError:
                continue  # the reports did not earn enough for this one
            if status == RedemptionStatus.FULFILLED:
                services.fulfil(SYSTEM, redemption, note="demo")
