"""The reports demo's plan: which reports there are, in what state, and the timeline that
brought each there. Every story is a row of ``STORIES`` (how many, the moves of its timeline,
how it ends); ``Planner`` tells them with places, people and words drawn from one seeded
generator, so that the same database always gets the same plan. ``reports`` runs the plan
through the services."""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from shapely.geometry import Point

from civic.accounts.models import User
from civic.areas.geometry import parse_boundary
from civic.areas.models import Area, AreaKind
from reports.models import Category, Channel, EventKind, QuestionType, RejectReason

from .areas import CITY
from .report_catalogue import TEMPLATES, CategorySpec

RANDOM_SEED = 20260501
REPORT_COUNT = 300
CLIENT_PREFIX = "demo-"
DAYS = 365  # reports were filed over this many days: a year for the operations centre
CST = dt_timezone(timedelta(hours=8))
HOUR = timedelta(hours=1)

# --- Words and people ------------------------------------------------------------------------

# The main demo resident gets one of each of these, so her "my reports" shows every state.
MAIN_RESIDENT_STORIES = [
    "submitted",
    "accepted",
    "in_progress",
    "resolved",
    "resolved",
    "closed_rated",
    "closed_rated",
    "closed_rated",
    "rejected",
    "reopened_open",
]
MAIN_RESIDENT = "resident@demo.civic"
OTHER_RESIDENTS = ["resident2@demo.civic", "resident3@demo.civic"]
HOTLINE_SHARE = 0.07
# (submitted as, really is): the resident picked the wrong category. The answers given for the
# first stay with the report, so the second asks nothing that must be answered.
RECATEGORISED = [
    ("overflowing-bin", "illegal-dumping"),
    ("broken-pavement", "manhole-cover"),
    ("overflowing-bin", "illegal-dumping"),
]
ROADS_NAMES = [
    "春江路",
    "湖滨路",
    "文澜路",
    "运河路",
    "学院路",
    "解放路",
    "新华路",
    "建设路",
    "人民路",
    "环城北路",
    "钱塘路",
    "松林路",
    "古塘路",
    "望江路",
    "和平路",
    "锦绣路",
]
CALLERS = ["王先生", "刘女士", "张阿姨", "陈师傅", "赵先生", "李女士"]
# Answers to number questions: (category, question) → range.
NUMBERS = {
    ("pothole", "depth_cm"): (3, 25),
    ("abandoned-bike", "count"): (2, 20),
    ("manhole-cover", "count"): (1, 3),
}
PLAYGROUND_ANSWERS = [
    "秋千左边的链条断了",
    "滑梯中间一块塑料板裂开",
    "跷跷板的把手松了",
    "健身区漫步机底座螺丝脱落",
]
SPAM = (
    "加微信代办各类证件，价格优惠，当天出证！！！",
    "低息贷款，无抵押秒到账，联系我！",
)
UPDATES = [
    *(t.text for t in TEMPLATES if t.for_action == EventKind.UPDATE),
    "现场已设置警示标志，维修材料正在调配。",
    "施工班组已到场，正在处理。",
    "需要协调相关单位共同处理，请耐心等待。",
]
NOTES = [
    "已电话联系反映人，确认了具体位置。",
    "现场核实属实，已拍照留存。",
    "督办：请在时限内办结，注意回访。",
    "需要物业配合，已发函。",
    "材料明天到货，届时安排施工。",
]
REOPEN_REASONS = [
    "修好没两天又坏了。",
    "只处理了一部分，问题还在。",
    "现场跟处理前一样，没有看到任何变化。",
    "处理结果和反映的问题不符。",
]
RATING_COMMENTS = {
    1: ["处理太慢了，而且问题没解决。", "敷衍了事。"],
    2: ["拖了很久才处理。", "处理得不彻底。"],
    3: ["解决了，但是速度一般。", ""],
    4: ["处理得不错，谢谢。", "比较及时。", ""],
    5: ["非常及时，点赞！", "效率很高，谢谢工作人员！", "问题彻底解决了，感谢！", "", ""],
}
RATING_WEIGHTS = {1: 3, 2: 4, 3: 10, 4: 30, 5: 53}


@dataclass
class Step:
    action: str
    gap: float = 0.0  # hours after the step before (while planning)
    args: dict = field(default_factory=dict)
    at: datetime | None = None


# --- The moves a timeline is made of ------------------------------------------------------------


class _Timeline:
    """The steps of one report as its story's moves add them. ``triage`` is who accepts,
    assigns or rejects: the supervisor now and then, else the dispatcher."""

    def __init__(self, rng, spec, category, staffed):
        self.rng, self.spec, self.staffed = rng, spec, staffed
        self.accept_hours = category.accept_sla_hours
        self.resolve_hours = category.resolve_sla_hours
        self.steps = [Step("submit")]
        self.triage = {"by": "supervisor"} if rng.random() < 0.2 else {}

    def add(self, action, gap=0.0, args=None):
        self.steps.append(Step(action, gap, {} if args is None else args))


def _accept(t):
    t.add("accept", t.accept_hours * t.rng.uniform(0.1, 0.7), t.triage)


def _work(t):
    """Assigned to the demo handler (where there is one), maybe an update, then resolved:
    mostly in time, now and then late."""
    rng, hours = t.rng, t.resolve_hours
    if t.staffed:
        t.add("assign", hours * rng.uniform(0.02, 0.1), t.triage)
        t.add("start", hours * rng.uniform(0.02, 0.15))
    if rng.random() < 0.3:
        message = rng.choice(UPDATES)
        t.add("update", hours * rng.uniform(0.05, 0.2), {"message": message})
    late = rng.random() < 0.1
    gap = hours * (rng.uniform(0.9, 1.4) if late else rng.uniform(0.1, 0.5))
    t.add("resolve", gap, {"message": rng.choice(t.spec.fixes)})


def _rate(t):
    rng = t.rng
    rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
    comment = rng.choice(RATING_COMMENTS[rating])
    t.add("rate", rng.uniform(2, 72), {"rating": rating, "comment": comment})


def _reopen(t):
    reason = t.rng.choice(REOPEN_REASONS)
    t.add("reopen", t.rng.uniform(4, 72), {"reason": reason})


def _resolve_again(t):
    t.add("resolve", t.resolve_hours * t.rng.uniform(0.1, 0.4), {"message": t.spec.fixes[0]})


def _reject(t):
    reasons = [RejectReason.NOT_OURS, RejectReason.INSUFFICIENT, RejectReason.NOT_A_PROBLEM]
    reason = t.rng.choice(reasons)
    t.add("reject", t.accept_hours * t.rng.uniform(0.1, 0.8), {**t.triage, "reason": reason})


def _reject_abusive(t):
    t.add("reject", t.accept_hours * t.rng.uniform(0.05, 0.3), {"reason": RejectReason.ABUSIVE})


def _recategorise(t):
    """Moved to the right category (``Planner`` names it in the step)."""
    t.add("recategorise", t.accept_hours * t.rng.uniform(0.1, 0.5))


# Moves of a report still open: their gaps are drawn when the timeline is dated.
def _assign(t):
    t.add("assign", 0, t.triage)


def _start(t):
    t.add("start", 0)


def _update(t):
    t.add("update", 0, {"message": t.rng.choice(UPDATES)})


def _note(t):
    t.add("note", 0, {"message": t.rng.choice(NOTES)})


@dataclass(frozen=True)
class Maybe:
    """A move made with this chance."""

    chance: float
    move: Callable


# --- The stories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnDeadline:
    """Waiting for staff, on the deadline that started at its last ``since`` step (the time
    to "accept" or to "resolve"): in time, or past it if ``overdue``."""

    since: str
    deadline: str
    overdue: bool = False


@dataclass(frozen=True)
class DaysAgo:
    """Nothing due from staff: its last step so many days ago, a range drawn from
    ``days(auto_close_days)``."""

    days: Callable


@dataclass(frozen=True)
class Story:
    name: str
    count: int  # how many reports tell it
    moves: tuple  # after "submit", in order
    ends: OnDeadline | DaysAgo
    # The chance its category is one with demo staff (1: always, without a draw).
    staffed: float = 0
    unstaffed: str | None = None  # the story told instead where no category has demo staff
    reporter_acts: bool = False  # rates or reopens: never a hotline caller without an account
    rejected: bool = False  # no photo, nobody supports it
    duplicated: bool = True  # others report the same thing later, merged into it
    says: tuple = ()  # what the reporter writes, if not one of the category's samples

    @property
    def recategorised(self):
        return _recategorise in self.moves


ACCEPT, RESOLVE = "accept", "resolve"
# Once accepted, now and then a public update and an internal note.
FOLLOW_UP = (Maybe(0.4, _update), Maybe(0.4, _note))

# Duplicates come on top, merged into reports planned before them; "_overdue" stories are past
# their deadline and get escalated.
STORIES = (
    Story("submitted", 24, (), OnDeadline("submit", ACCEPT)),
    Story("submitted_overdue", 6, (), OnDeadline("submit", ACCEPT, overdue=True)),
    Story("accepted", 16, (_accept, *FOLLOW_UP), OnDeadline("accept", RESOLVE)),
    Story(
        "accepted_overdue", 5, (_accept, *FOLLOW_UP), OnDeadline("accept", RESOLVE, overdue=True)
    ),
    Story(
        "assigned",
        14,
        (_accept, _assign, *FOLLOW_UP),
        OnDeadline("accept", RESOLVE),
        staffed=1,
        unstaffed="accepted",
    ),
    Story(
        "assigned_overdue",
        4,
        (_accept, _assign, *FOLLOW_UP),
        OnDeadline("accept", RESOLVE, overdue=True),
        staffed=1,
        unstaffed="accepted_overdue",
    ),
    Story(
        "in_progress",
        14,
        (_accept, _assign, _start, *FOLLOW_UP),
        OnDeadline("accept", RESOLVE),
        staffed=1,
        unstaffed="accepted",
    ),
    Story(
        "in_progress_overdue",
        4,
        (_accept, _assign, _start, *FOLLOW_UP),
        OnDeadline("accept", RESOLVE, overdue=True),
        staffed=1,
        unstaffed="accepted_overdue",
    ),
    Story(
        "reopened_open",
        5,
        (_accept, _work, _reopen, Maybe(0.5, _note)),
        OnDeadline("reopen", RESOLVE),
        staffed=0.6,
        reporter_acts=True,
    ),
    Story("resolved", 28, (_accept, _work), DaysAgo(lambda auto_close: (0.1, 0.8 * auto_close))),
    Story(
        "closed_rated",
        105,
        (_accept, _work, _rate),
        DaysAgo(lambda auto_close: (0.05, DAYS)),
        reporter_acts=True,
    ),
    Story(
        "reopened_closed",
        5,
        (_accept, _work, _reopen, _resolve_again, _rate),
        DaysAgo(lambda auto_close: (0.5, DAYS)),
        reporter_acts=True,
    ),
    Story("closed_auto", 28, (_accept, _work), DaysAgo(lambda auto_close: (auto_close + 0.5, 50))),
    Story(
        "rejected",
        18,
        (Maybe(0.25, _accept), _reject),
        DaysAgo(lambda auto_close: (0.1, DAYS)),
        rejected=True,
        duplicated=False,
    ),
    Story(
        "rejected_abusive",
        1,
        (_reject_abusive,),
        DaysAgo(lambda auto_close: (1, 20)),
        rejected=True,
        duplicated=False,
        says=SPAM,
    ),
    Story(
        "recategorised",
        3,
        (_recategorise, _accept, _work, _rate),
        DaysAgo(lambda auto_close: (1, 40)),
        reporter_acts=True,
        duplicated=False,
    ),
)
STORY = {story.name: story for story in STORIES}
DUPLICATES = REPORT_COUNT - sum(story.count for story in STORIES)


@dataclass
class Plan:
    number: int
    story: Story | None  # None for a duplicate
    category: Category
    spec: CategorySpec
    cell: Area
    lat: float
    lon: float
    reporter: User | None
    steps: list
    channel: str = Channel.APP
    fields: dict = field(default_factory=dict)  # more submit_report arguments
    scene: str | None = None
    original: "Plan | None" = None
    hotline: User | None = None  # the staff member who takes hotline calls

    @property
    def client_request_id(self):
        return f"{CLIENT_PREFIX}{self.number:04d}"

    @property
    def submitted_at(self):
        return self.steps[0].at

    @property
    def submitter(self):
        return self.hotline if self.channel == Channel.HOTLINE else self.reporter


# --- What reporters answer ----------------------------------------------------------------------


def _answer_when(rng, question, category, submitted_at):
    """An evening or early morning in the days before it was reported."""
    day = (submitted_at - timedelta(days=rng.randint(1, 3))).astimezone(CST)
    hour = rng.choice([21, 22, 23, 0, 6])
    return day.replace(
        hour=hour, minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0
    ).isoformat()


def _option_keys(question):
    return [key for key, _name, _en in question.option_list]


# An answer for each kind of question, or for a question by its code; (rng, question,
# category, submitted_at) → the answer.
ANSWER_BY_CODE = {
    "pole_number": lambda rng, *_: f"QH-{rng.randint(1000, 9999)}",
    "plate": lambda rng, *_: f"浙A{rng.randint(10000, 99999)}",
}
ANSWER_BY_TYPE = {
    QuestionType.SINGLE: lambda rng, question, *_: rng.choice(_option_keys(question)),
    QuestionType.MULTI: lambda rng, question, *_: rng.sample(
        _option_keys(question), rng.randint(1, min(2, len(_option_keys(question))))
    ),
    QuestionType.NUMBER: lambda rng, question, category, _at: rng.randint(
        *NUMBERS.get((category.service_code, question.code), (1, 10))
    ),
    QuestionType.DATETIME: _answer_when,
    QuestionType.TEXT: lambda rng, *_: rng.choice(PLAYGROUND_ANSWERS),
}


def _answer_anything(rng, *_):
    return f"{rng.randint(1, 99)}"


# --- The planner -----------------------------------------------------------------------------


class Planner:
    """Decides every report's place, people, words and timeline, from the seeded generator
    only, so that the same database always gets the same plan."""

    def __init__(self, now, categories, residents, staffed, hotline):
        self.rng = random.Random(RANDOM_SEED)
        self.now = now
        self.categories = categories  # [(spec, category)] in spec order
        self.residents = residents  # email → user
        self.staffed = staffed  # service codes whose department has a demo handler
        self.hotline = hotline
        city = Area.objects.get(code=CITY[0])
        areas = list(Area.objects.filter(path__startswith=city.path).order_by("path"))
        self.by_path = {a.path: a for a in areas}
        self.cells = [a for a in areas if a.kind == AreaKind.GRID]
        self.shapes = {}
        self.auto_close_days = getattr(settings, "REPORTS_AUTO_CLOSE_DAYS", 7)

    # Places ---------------------------------------------------------------------------------

    def _shape(self, cell):
        if cell.pk not in self.shapes:
            self.shapes[cell.pk] = parse_boundary(cell.boundary)
        return self.shapes[cell.pk]

    def _point_in(self, cell):
        """A random point inside the cell: drawn in its bounding box until one falls in it."""
        shape = self._shape(cell)
        for _attempt in range(100):
            lon = round(self.rng.uniform(cell.min_lon, cell.max_lon), 6)
            lat = round(self.rng.uniform(cell.min_lat, cell.max_lat), 6)
            if shape.contains(Point(lon, lat)):
                return lat, lon
        point = shape.representative_point()
        return round(point.y, 6), round(point.x, 6)

    def _near(self, plan):
        """A point a few tens of metres from ``plan``'s, in the same grid cell."""
        shape = self._shape(plan.cell)
        for _attempt in range(20):
            metres, angle = self.rng.uniform(5, 40), self.rng.uniform(0, 2 * math.pi)
            lat = round(plan.lat + metres * math.sin(angle) / 111_320, 6)
            lon = plan.lon + metres * math.cos(angle) / (111_320 * math.cos(math.radians(lat)))
            lon = round(lon, 6)
            if shape.contains(Point(lon, lat)):
                return lat, lon
        return plan.lat, plan.lon

    def _cell_for(self, reporter):
        home = getattr(reporter, "home_area", None)
        if home is not None and self.rng.random() < 0.5:
            mine = [c for c in self.cells if c.path.startswith(home.path)]
            if mine:
                return self.rng.choice(mine)
        return self.rng.choice(self.cells)

    def _address(self, cell):
        street = next(
            (
                self.by_path[cell.path[:end]]
                for end in range(len(cell.path), 0, -Area.steplen)
                if self.by_path[cell.path[:end]].kind == AreaKind.STREET
            ),
            None,
        )
        road = self.rng.choice(ROADS_NAMES)
        number = self.rng.randint(1, 399)
        return f"{street.name if street else ''}{road}{number}号附近"

    # What the reporter says -----------------------------------------------------------------

    def _answers(self, category, submitted_at):
        rng, answers = self.rng, {}
        for question in category.questions.all():
            if not question.required and rng.random() < 0.35:
                continue
            answer = ANSWER_BY_CODE.get(question.code) or ANSWER_BY_TYPE.get(
                question.datatype, _answer_anything
            )
            answers[question.code] = answer(rng, question, category, submitted_at)
        return answers

    # Timelines ------------------------------------------------------------------------------

    def _steps(self, story, spec, category, staffed, reporter):
        """The steps with their gaps in hours, and the hours between the last step and now."""
        rng = self.rng
        timeline = _Timeline(rng, spec, category, staffed)
        for move in story.moves:
            if isinstance(move, Maybe):
                if rng.random() >= move.chance:
                    continue
                move = move.move
            move(timeline)
        steps, ends = timeline.steps, story.ends
        if isinstance(ends, DaysAgo):
            anchor = 24 * rng.uniform(*ends.days(self.auto_close_days))
            steps[1:1] = self._supports(reporter, story)  # soon after it was filed, while open
            return steps, anchor
        # On a deadline: whatever followed the start of the current deadline came soon after it; the
        # report is on time, or as late as the story says.
        start = max(n for n, step in enumerate(steps) if step.action == ends.since)
        sla = timeline.accept_hours if ends.deadline == ACCEPT else timeline.resolve_hours
        steps += self._supports(reporter, story)
        for step in steps[start + 1 :]:
            step.gap = sla * rng.uniform(0.03, 0.1)
        later = sum(step.gap for step in steps[start + 1 :])
        if ends.overdue:
            return steps, sla * rng.uniform(1.05, 2.4) - later
        return steps, sla * rng.uniform(0.02, 0.45)

    def _supports(self, reporter, story):
        """A few neighbours say "me too" (never the reporter)."""
        if story.rejected or self.rng.random() >= 0.2:
            return []
        others = [u for u in self.residents.values() if u != reporter]
        users = self.rng.sample(others, min(len(others), self.rng.randint(1, 3)))
        return [Step("support", self.rng.uniform(0.2, 6), {"user": user}) for user in users]

    def _time(self, steps, anchor):
        span = sum(step.gap for step in steps)
        total = min(span + anchor, DAYS * 24 - 1)
        at = self.now - timedelta(hours=total)
        for step in steps:
            at += timedelta(hours=step.gap)
            step.at = at

    # The whole plan -------------------------------------------------------------------------

    def plan(self):
        rng = self.rng
        stories = [story for story in STORIES for _i in range(story.count)]
        for name in MAIN_RESIDENT_STORIES:
            stories.remove(STORY[name])
        rng.shuffle(stories)
        main = self.residents.get(MAIN_RESIDENT)
        mains = [STORY[name] for name in MAIN_RESIDENT_STORIES]
        stories = [(story, main) for story in mains if main] + [(story, None) for story in stories]
        if not main:
            stories += [(story, None) for story in mains]
        everyone = list(self.residents.values())
        others = [u for u in everyone if u != main]
        plans = []
        for number, (story, reporter) in enumerate(stories, start=1):
            if story.unstaffed and not self.staffed:
                story = STORY[story.unstaffed]
            channel = Channel.APP if rng.random() < 0.75 else Channel.WEB
            if reporter is None:
                hotline = (
                    self.hotline is not None
                    and not story.reporter_acts
                    and rng.random() < HOTLINE_SHARE
                )
                # Not the main resident: her own list shows each state once.
                reporter = None if hotline else rng.choice(others)
                channel = Channel.HOTLINE if hotline else channel
            plans.append(self._plan(number, story, reporter, channel))
        duplicated = [plan for plan in plans if plan.story.duplicated]
        for number in range(len(plans) + 1, len(plans) + 1 + DUPLICATES):
            original = rng.choice(duplicated)
            candidates = [u for u in everyone if u != original.reporter]
            # The main resident's own duplicate: she becomes a supporter of the original.
            first = number == len(stories) + 1 and main is not None and main in candidates
            reporter = main if first else rng.choice([u for u in candidates if u != main])
            plans.append(self._duplicate(number, original, reporter))
        return plans

    def _choose_category(self, staffed=0):
        """A category, by how often each is reported; one with demo staff with the chance
        ``staffed`` (1: always, without a draw)."""
        choices = self.categories
        if staffed == 1 or (staffed and self.rng.random() < staffed):
            choices = [(s, c) for s, c in choices if c.service_code in self.staffed]
        weights = [spec.weight for spec, _c in choices]
        return self.rng.choices(choices, weights=weights)[0]

    def _categories(self, number, story):
        """The (spec, category) the reporter picks, and the one the report really is."""
        if not story.recategorised:
            chosen = self._choose_category(story.staffed)
            return chosen, chosen
        wrong, right = RECATEGORISED[number % len(RECATEGORISED)]
        by_code = {c.service_code: (s, c) for s, c in self.categories}
        chosen = by_code.get(wrong) or self._choose_category()
        return chosen, by_code.get(right) or chosen

    def _plan(self, number, story, reporter, channel):
        rng = self.rng
        (spec, category), (true_spec, true_category) = self._categories(number, story)
        staffed = true_category.service_code in self.staffed
        steps, anchor = self._steps(story, true_spec, true_category, staffed, reporter)
        if story.recategorised:
            next(s for s in steps if s.action == "recategorise").args["to"] = true_category
        self._time(steps, anchor)
        cell = self._cell_for(reporter)
        lat, lon = self._point_in(cell)
        # Only where both the chosen and the true category allow it: staff keep the anonymity
        # when they move the report to the right one.
        anonymous = (
            category.allows_anonymous
            and true_category.allows_anonymous
            and reporter is not None
            and rng.random() < 0.1
        )
        description = rng.choice(story.says or true_spec.samples)
        fields = {
            "description": description,
            "address": self._address(cell) if rng.random() < 0.7 else "",
            "answers": {} if story.recategorised else self._answers(category, steps[0].at),
            "is_anonymous": anonymous,
            "show_name": not anonymous and reporter is not None and rng.random() < 0.3,
            "channel": channel,
        }
        if channel == Channel.HOTLINE:
            fields["contact"] = {
                "name": rng.choice(CALLERS),
                "phone": f"1380013{rng.randint(0, 9999):04d}",
            }
        plan = Plan(
            number,
            story,
            category,
            spec,
            cell,
            lat,
            lon,
            reporter,
            steps,
            channel,
            fields,
            hotline=self.hotline if channel == Channel.HOTLINE else None,
        )
        self._photograph(plan)
        return plan

    def _photograph(self, plan):
        """Pictures: on half the main resident's reports, on a quarter of the last three days'
        (the first a visitor sees) and on a few older ones; after the work on some of those."""
        rng = self.rng
        if plan.reporter is not None and plan.reporter.email == MAIN_RESIDENT:
            likely = 0.5
        else:
            likely = 0.25 if self.now - plan.submitted_at < timedelta(days=3) else 0.03
        if not plan.story.rejected and rng.random() < likely:
            plan.scene = plan.spec.scene
            for step in plan.steps:
                if step.action == "resolve" and rng.random() < 0.6:
                    step.args["after_photo"] = True

    def _duplicate(self, number, original, reporter):
        """Another resident reports the same thing a little later; staff merge it."""
        rng = self.rng
        lat, lon = self._near(original)
        # Within two days of the original, while people still walk past the problem.
        hours_left = (self.now - original.submitted_at) / HOUR
        after = min(hours_left * rng.uniform(0.05, 0.5), rng.uniform(0.5, 48))
        submitted = original.submitted_at + after * HOUR
        hours_left = (self.now - submitted) / HOUR
        merged = (
            submitted
            + min(
                original.category.accept_sla_hours * rng.uniform(0.1, 0.6),
                hours_left * rng.uniform(0.2, 0.8),
            )
            * HOUR
        )
        steps = [Step("submit", at=submitted), Step("merge", at=merged)]
        fields = {
            "description": rng.choice(original.spec.samples),
            "address": original.fields["address"],
            "answers": self._answers(original.category, submitted),
            "is_anonymous": False,
            "show_name": False,
            "channel": Channel.APP,
        }
        return Plan(
            number,
            None,
            original.category,
            original.spec,
            original.cell,
            lat,
            lon,
            reporter,
            steps,
            Channel.APP,
            fields,
            original=original,
        )
