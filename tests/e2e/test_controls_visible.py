"""Every control on the portal's and the admin's screens can be seen: a button's text stands out
from what is behind it (contrast of at least 3:1), and a text box, list or text area shows its
edge (a border or a background unlike its surroundings). Checked in Chromium on the resident's
inbox (on the page and in the dark header) and on the admin screens we made, in Wagtail's light
and dark themes."""

import pytest
from django.test import Client
from wagtail.users.models import UserProfile

from civic.core.roles import Role
from civic.notifications import services as notifications
from civic.notifications.models import Kind
from forums import services as forums
from rewards import services as rewards
from rewards.models import RewardItem
from tests.e2e.conftest import DESKTOP, PHONE
from tests.forums.conftest import spaces  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# For each visible control: what it is, its text colour and border against the colour behind
# it (the first opaque background of it or an ancestor, blended over white).
CONTROLS = """() => {
    const parse = (c) => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const [r, g, b, a] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r, g, b, a: a === undefined ? 1 : a};
    };
    const over = (top, bottom) => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a),
        a: 1,
    });
    const behind = (el) => {
        const layers = [];
        for (let node = el; node; node = node.parentElement) {
            const c = parse(getComputedStyle(node).backgroundColor);
            if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
        }
        return layers.reduceRight((acc, c) => over(c, acc), {r: 255, g: 255, b: 255, a: 1});
    };
    const luminance = ({r, g, b}) => {
        const f = (v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (a, b) => {
        const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    const shown = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
            && !el.closest('[hidden], .visually-hidden, .w-sr-only, template');
    };
    const out = [];
    const selector = 'main button, main select, main textarea, main a.button, .site-header button,'
        + ' main input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
    for (const el of document.querySelectorAll(selector)) {
        if (!shown(el)) continue;
        const s = getComputedStyle(el);
        const own = parse(s.backgroundColor);
        const under = behind(el.parentElement || el);
        const fill = own && own.a > 0 ? over(own, under) : under;
        const border = parse(s.borderTopColor);
        const hasBorder = parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none'
            && border && border.a > 0;
        out.push({
            what: [
                el.tagName.toLowerCase(),
                el.id ? `#${el.id}` : '',
                el.name ? `[name=${el.name}]` : '',
                ` “${(el.innerText || el.value || '').trim().slice(0, 30)}”`,
            ].join(''),
            field: !['BUTTON', 'A'].includes(el.tagName) && !['submit', 'button'].includes(el.type),
            text: contrast(parse(s.color), fill),
            edge: Math.max(
                hasBorder ? contrast(over(border, under), under) : 1,
                contrast(fill, under),
            ),
        });
    }
    return out;
}"""


def check_controls(page, expected):
    controls = page.evaluate(CONTROLS)
    found = " ".join(control["what"] for control in controls)
    for name in expected:
        assert name in found, f"{name} is not on {page.url}: {found}"
    for control in controls:
        where = f"{control['what']} on {page.url}"
        if control["field"]:
            assert control["edge"] >= 1.1, f"{where} has no visible border or background"
        else:
            assert control["text"] >= 3, f"{where}: text contrast {control['text']:.2f}"
    return controls


@pytest.fixture
def signed_in(browser, live_server):
    contexts = []

    def open_as(user, path, *, viewport=DESKTOP):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        context.add_cookies(
            [
                {"name": name, "value": morsel.value, "url": live_server.url}
                for name, morsel in client.cookies.items()
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + path, wait_until="networkidle")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_inbox_mark_read_buttons_can_be_seen_on_a_phone(signed_in, portal, make_user):
    resident = make_user(Role.RESIDENT)
    for n in range(2):
        notifications.notify(
            resident,
            Kind.REPORT_ACCEPTED,
            key=f"accepted:{n}",
            message=lambda n=n: (f"诉求 #{n} 已受理", "我们会尽快处理。"),
        )
    page = signed_in(resident, "/notifications/", viewport=PHONE)
    page.click("#site-menu summary")  # on a phone, signing out is in the folded menu
    controls = check_controls(page, ["“标为已读", "“全部标为已读", "“退出登录"])
    assert len([c for c in controls if "“标为已读" in c["what"]]) == 2


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_admin_screens_fields_and_buttons_can_be_seen(
    signed_in,
    portal,
    make_user,
    spaces,  # noqa: F811
    theme,
):
    editor = make_user(Role.EDITOR)
    admin = make_user(Role.ADMIN, superuser=True)
    UserProfile.objects.update_or_create(user=admin, defaults={"theme": theme})
    author, resident = make_user(), make_user()
    thread = forums.create_thread(
        author, space=spaces.public, title="路灯坏了", body="<p>小区东门的路灯坏了一周</p>"
    )
    forums.nominate(editor, thread, reason="很多居民关心")
    forums.flag(resident, thread, reason="spam")
    rewards.adjust(admin, resident, 50, "测试")
    item = RewardItem.objects.create(kind="souvenir", name="帆布袋", name_en="Tote bag", cost=10)
    rewards.redeem(resident, item, "req-1")

    screens = {
        "/admin/forums/review/": [
            "input#reason-",
            "input#nominate-thread",
            "[name=decision] “推荐",
        ],
        "/admin/forums/moderation/": ["input#reason-thread-", "input#days-thread-"],
        "/admin/rewards/queue/": ["input[name=reason]", "“发放"],
        "/admin/rewards/ledger/": ["input[name=q]"],
        "/admin/rewards/ledger/adjust/": ["“记录调整"],
    }
    for path, expected in screens.items():
        page = signed_in(admin, path)
        assert page.locator(f"html.w-theme-{theme}").count() == 1
        check_controls(page, expected)
