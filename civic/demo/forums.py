"""Demo forums: boards in both spaces, community groups of every kind, a few hundred public
threads with replies and likes over the last month, and the two-tier loop at every stage
(nominated, promoted with an official response, a leadership thread shared down).

Runs after the accounts demo (and the reports demo, whose residents join in when they exist).
The bulk of the history is inserted in bulk with its counters and ``hot`` rank computed by the
same rule the services apply (``hot_score``), because a few thousand service calls would make
seed_demo slow; everything that shows the loop goes through the services. Safe to run again:
boards and groups are found by slug, threads by their authors' client request IDs.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civic.areas.models import Area
from civic.core.roles import Role
from forums import services
from forums.models import (
    Board,
    Group,
    GroupMembership,
    Nomination,
    NominationStatus,
    Post,
    Reaction,
    Space,
    SpaceKind,
    TaggedThread,
    Thread,
    Visibility,
)

EDITOR = "editor@demo.civic"
LEADER = "leader@demo.civic"
MAIN_RESIDENT = "resident@demo.civic"
BULK_THREADS = 300
DEMO_PREFIX = "demo-forum-"

BOARDS = {
    SpaceKind.PUBLIC: [
        ("transport", "交通出行", "Transport"),
        ("environment", "环境卫生", "Environment"),
        ("community", "社区生活", "Community life"),
        ("safety", "公共安全", "Public safety"),
    ],
    SpaceKind.LEADERSHIP: [
        ("agenda", "议题研讨", "Agenda"),
        ("budget", "预算与项目", "Budget and projects"),
    ],
}

# (slug, name, visibility, area code or None)
GROUPS = [
    ("qinghe-runners", "清河跑团", Visibility.OPEN, None),
    ("donghu-owners", "东湖小区业主委员会", Visibility.CLOSED, None),
    ("building-wardens", "楼长联络群", Visibility.PRIVATE, None),
    ("heping-neighbours", "和平社区邻里群", Visibility.OPEN, "QH-DH-HB-CY"),
]

# Per board: titles and the sentences replies are made of.
TOPICS = {
    "transport": (
        [
            "{place}公交站台没有遮雨棚",
            "{place}路口红绿灯时间太短",
            "{place}共享单车乱停放",
            "建议{place}增加早高峰班次",
        ],
        [
            "每天早上都要排很久的队。",
            "老人过马路很不方便。",
            "希望尽快解决。",
            "我也遇到过同样的问题。",
        ],
    ),
    "environment": (
        [
            "{place}垃圾分类点气味很大",
            "{place}河道有漂浮物",
            "{place}绿化带被占用",
            "{place}夜间施工噪音扰民",
        ],
        [
            "夏天更严重。",
            "已经向物业反映过。",
            "拍了照片，确实很脏。",
            "支持，希望环卫部门来看看。",
        ],
    ),
    "community": (
        [
            "{place}社区活动室开放时间",
            "{place}老年食堂怎么样",
            "{place}快递柜不够用",
            "{place}周末跳蚤市场",
        ],
        ["周末能开放就好了。", "饭菜味道不错，价格实惠。", "经常放不进去。", "算我一个！"],
    ),
    "safety": (
        [
            "{place}路灯坏了好几天",
            "{place}电动车楼道充电隐患",
            "{place}井盖松动",
            "{place}学校门口车速太快",
        ],
        ["晚上走路很危险。", "已经打过热线了。", "建议加装减速带。", "孩子上学要经过这里。"],
    ),
}
# (group slug, title): a thread in the group by its owner.
GROUP_THREADS = [
    ("qinghe-runners", "周六早上沿河晨跑，欢迎加入"),
    ("building-wardens", "本周消防检查安排（仅楼长）"),
    ("heping-neighbours", "和平社区周末义诊"),
]
PLACES = ["东湖", "西林", "南坪", "和平", "清河", "万家", "春华", "柳溪", "青山", "桥头"]
TAGS = ["建议", "求助", "表扬", "投诉", "夜间", "老人", "儿童"]


def _users():
    User = get_user_model()
    demo = User.objects.filter(email__endswith="@demo.civic")
    residents = list(demo.filter(groups__name=Role.RESIDENT).order_by("email"))
    by_email = {user.email: user for user in demo.filter(email__in=[EDITOR, LEADER])}
    return residents, by_email.get(EDITOR), by_email.get(LEADER)


def _boards():
    found = {}
    for kind, boards in BOARDS.items():
        space = Space.objects.get(kind=kind)
        for order, (slug, name, name_en) in enumerate(boards):
            found[slug], _created = Board.objects.get_or_create(
                space=space,
                slug=slug,
                defaults={"name": name, "name_en": name_en, "sort_order": order},
            )
    return found


def _groups(residents):
    owner, *others = residents
    groups = {}
    for slug, name, visibility, area_code in GROUPS:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            area = Area.objects.filter(code=area_code).first() if area_code else None
            group = services.create_group(
                owner,
                name=name,
                slug=slug,
                visibility=visibility,
                area=area,
                description=f"{name}的交流空间。",
            )
            # The last resident stays out of every group: they ask to join the closed one.
            for member in others[:-1][:6]:
                services.add_member(owner, group, member)
        groups[slug] = group
    # A request waiting for the closed group's moderators.
    requester = residents[-1]
    closed = groups["donghu-owners"]
    if not GroupMembership.objects.filter(group=closed, user=requester).exists():
        services.join_group(requester, closed)
    return groups


def _bulk_threads(public, boards, residents, progress):
    """Threads with replies and likes over the last 30 days, counters and rank consistent with
    what the services would have stored."""
    if Thread.objects.filter(client_request_id__startswith=DEMO_PREFIX).exists():
        return 0
    rng = random.Random(2026)
    now = timezone.now()
    board_slugs = list(TOPICS)
    plans = []
    for n in progress(range(BULK_THREADS)):
        slug = board_slugs[n % len(board_slugs)]
        titles, sentences = TOPICS[slug]
        author = rng.choice(residents)
        created = now - timedelta(minutes=rng.randint(30, 30 * 24 * 60))
        others = [user for user in residents if user.pk != author.pk]
        repliers = [rng.choice(others) for _n in range(rng.choice([0, 1, 2, 3, 5, 8]))]
        likers = rng.sample(others, min(len(others), rng.choice([0, 0, 1, 2, 4, 7])))
        thread = Thread(
            space=public,
            board=boards[slug],
            author=author,
            title=rng.choice(titles).format(place=rng.choice(PLACES)),
            body=f"<p>{rng.choice(sentences)}{rng.choice(sentences)}</p>",
            created_at=created,
            last_activity_at=created,
            reply_count=len(repliers),
            like_count=len(likers),
            participant_count=1 + len({user.pk for user in repliers}),
            engagement=len(likers) + 2 * len(repliers),
            view_count=rng.randint(len(repliers) * 3, 200),
            client_request_id=f"{DEMO_PREFIX}{n}",
        )
        thread.rank()
        plans.append((thread, repliers, likers, sentences))
    Thread.objects.bulk_create([plan[0] for plan in plans], batch_size=500)
    saved = {
        t.client_request_id: t
        for t in Thread.objects.filter(client_request_id__startswith=DEMO_PREFIX)
    }
    posts, reactions, tags = [], [], []
    tag_objects = _tag_objects()
    for thread, repliers, likers, sentences in plans:
        thread = saved[thread.client_request_id]
        for k, user in enumerate(repliers):
            posts.append(
                Post(
                    thread=thread,
                    author=user,
                    body=f"<p>{rng.choice(sentences)}</p>",
                    created_at=thread.created_at + timedelta(minutes=10 * (k + 1)),
                )
            )
        reactions += [Reaction(user=user, thread=thread) for user in likers]
        tags += [
            TaggedThread(content_object=thread, tag=tag)
            for tag in rng.sample(tag_objects, rng.randint(0, 2))
        ]
    Post.objects.bulk_create(posts, batch_size=1000)
    Reaction.objects.bulk_create(reactions, batch_size=1000)
    TaggedThread.objects.bulk_create(tags, batch_size=1000)
    return len(plans)


def _tag_objects():
    from taggit.models import Tag

    return [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]


def _service_thread(author, key, **fields):
    existing = Thread.objects.filter(author=author, client_request_id=key).first()
    return existing or services.create_thread(author, client_request_id=key, **fields)


def _loop(public, leadership, boards, groups, residents, editor, leader):
    """The two-tier loop at every stage, through the services."""
    main = next((u for u in residents if u.email == MAIN_RESIDENT), residents[0])
    others = [user for user in residents if user.pk != main.pk]
    _promotion(public, boards, main, others, editor, leader)
    _shared_down(leadership, boards, editor, leader)
    _flagged(public, boards, residents, others)
    for slug, title in GROUP_THREADS:
        group = groups[slug]
        _service_thread(
            group.owner, f"demo-group-{slug}", space=public, group=group, title=title, body=title
        )


def _promotion(public, boards, main, others, editor, leader):
    """A thread promoted to the leadership space and answered there, and one nominated."""
    promoted = _service_thread(
        main,
        "demo-loop-promoted",
        space=public,
        board=boards["transport"],
        title="东湖路口早高峰严重拥堵，建议调整信号灯",
        body="每天早上七点半到八点半，东湖路口排队超过五百米。",
        tags=["建议", "交通"],
    )
    waiting = _service_thread(
        others[0],
        "demo-loop-nominated",
        space=public,
        board=boards["environment"],
        title="清河沿岸建议增设垃圾桶和照明",
        body="傍晚散步的人很多，但沿河没有垃圾桶，路灯也不够。",
    )
    for thread in (promoted, waiting):
        if not Post.objects.filter(thread=thread).exists():
            for n, user in enumerate(others[1:6]):
                services.reply(user, thread, body=f"同意，{n + 1}号楼的居民也有同感。")
                services.react(user, thread)
    for thread, reason in ((promoted, "拥堵影响全区通勤"), (waiting, "沿河安全问题值得讨论")):
        if not Nomination.objects.filter(thread=thread).exists():
            services.nominate(editor, thread, reason=reason)
    nomination = Nomination.objects.get(thread=promoted)
    if nomination.status == NominationStatus.PENDING:
        services.promote(editor, nomination, reason="涉及交警和城管，提交领导论坛研究")
    upper = Thread.objects.get(origin=promoted)
    if not upper.posts.filter(official_response=True).exists():
        answer = services.reply(
            leader, upper, body="已请交警大队调整东湖路口早高峰信号配时，下周一起试行。"
        )
        services.mark_official_response(leader, answer)


def _shared_down(leadership, boards, editor, leader):
    """A leadership thread shared down to the public, and one kept upstairs."""
    inner = _service_thread(
        leader,
        "demo-loop-shared",
        space=leadership,
        board=boards["budget"],
        title="明年社区微更新项目预算安排",
        body="拟安排专项资金用于十个社区的微更新，请各部门提出意见。",
    )
    if not Thread.objects.filter(shared_from=inner).exists():
        services.share_down(
            leader,
            inner,
            title="明年社区微更新项目征求居民意见",
            body="市里计划明年在十个社区开展微更新，欢迎居民提出建议。",
        )
    _service_thread(
        editor,
        "demo-loop-agenda",
        space=leadership,
        board=boards["agenda"],
        title="本季度居民反映集中的问题汇总",
        body="交通拥堵、垃圾分类和老旧小区加装电梯是三大热点。",
    )


def _flagged(public, boards, residents, others):
    """Something for the moderation queue: an advert three people flagged (hidden until
    reviewed)."""
    advert = _service_thread(
        others[-1],
        "demo-flagged",
        space=public,
        board=boards["community"],
        title="低价出售二手家电，加微信详谈",
        body="全新冰箱洗衣机低价处理。",
    )
    if not advert.flags.exists():
        flaggers = [user for user in residents if user.pk != advert.author_id][:3]
        for user in flaggers:
            services.flag(user, advert, reason="spam")


def seed(progress=iter):
    """Create what is missing of the forums demo; returns the number of threads made in bulk."""
    residents, editor, leader = _users()
    if len(residents) < 3 or editor is None or leader is None:
        return 0
    with transaction.atomic():
        public = Space.objects.get(kind=SpaceKind.PUBLIC)
        leadership = Space.objects.get(kind=SpaceKind.LEADERSHIP)
        boards = _boards()
        groups = _groups(residents)
        made = _bulk_threads(public, boards, residents, progress)
        _loop(public, leadership, boards, groups, residents, editor, leader)
    return made
