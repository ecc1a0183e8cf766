"""Demo data for the reports app in 清河市: categories with their questions and routing, response
templates, more demo residents, and about three hundred reports in every state.

Runs after the areas, departments and accounts demos. What exists is left alone: categories and
templates are matched by code and title, residents by email, and reports by their client request
id (``demo-0001`` …), so a second run creates nothing.

Every report is filed and moved through ``reports.services`` by the actor who would do it: the
reporter, the demo staff of its department (the demo's dispatcher, handler and supervisor belong
to every demo department) or the platform itself (``SYSTEM``) for a department without them. The
services stamp everything with the current time; afterwards the timestamps of the rows they made
(reports, timeline events, supports, photos) are moved into the past with plain UPDATEs, so that
the reports spread over the last two months and some of them are overdue; the services' own
sweep then escalates and closes them. Editing timestamps behind the services' back is acceptable
for demo data only.

What there is comes from ``report_catalogue`` (categories, templates) and ``report_stories``
(the plan, from a fixed random seed, so two fresh databases get the same reports).
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from civic.accounts.models import User
from civic.accounts.services import on_signed_up
from civic.areas.models import Area, AreaKind
from civic.core.permissions import SYSTEM
from civic.departments.models import Department, MemberRole, Membership
from reports import services
from reports.models import (
    OPEN_STATES,
    Category,
    CategoryQuestion,
    Comment,
    EventKind,
    Report,
    ReportEvent,
    ReportPhoto,
    ResponseTemplate,
    RoutingRule,
    Support,
)

from .accounts import DEMO_PASSWORD
from .departments import URBAN_MANAGEMENT, district_office_code
from .report_catalogue import (
    CATEGORIES,
    FALLEN_TREE,
    FALLEN_TREE_OFFICE_DISTRICTS,
    GRAFFITI,
    REJECT_TEMPLATE,
    TEMPLATES,
)
from .report_pictures import picture
from .report_stories import (
    CLIENT_PREFIX,
    HOUR,
    MAIN_RESIDENT,
    OTHER_RESIDENTS,
    RANDOM_SEED,
    Plan,
    Planner,
)

_UID = "reports-demo-dating"

# --- Residents ----------------------------------------------------------------------------------

# (display name, home community); resident01@demo.civic …
RESIDENTS = [
    ("陈思雨", "QH-DH-WJ-CH"),
    ("杨建华", "QH-DH-WJ-LX"),
    ("黄丽娟", "QH-DH-HB-QS"),
    ("周海涛", "QH-DH-HB-YH"),
    ("吴雅婷", "QH-DH-SM-JN"),
    ("徐志明", "QH-XL-CF-SL"),
    ("孙晓燕", "QH-XL-CF-ZY"),
    ("马国强", "QH-XL-GT-XH"),
    ("朱文静", "QH-XL-GT-LS"),
    ("胡振宇", "QH-BT-WL-SY"),
    ("郭秀英", "QH-BT-WL-MQ"),
    ("何俊杰", "QH-BT-YC-GY"),
    ("高敏", "QH-BT-YC-JD"),
    ("林志强", "QH-BT-XC-HX"),
    ("罗佳怡", "QH-BT-XC-JY"),
    ("梁晨", "QH-BT-XC-FH"),
    ("宋玉兰", "QH-NP-JX-BS"),
    ("谢伟", "QH-NP-JX-HT"),
    ("韩雪", "QH-NP-NY-DQ"),
    ("唐浩然", "QH-NP-NY-FL"),
]


def resident_email(number):
    return f"resident{number:02d}@demo.civic"


def _seed_residents():
    """The extra demo residents, created as the accounts demo creates its users."""
    emails = [resident_email(n) for n in range(1, len(RESIDENTS) + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [
        (email, spec)
        for email, spec in zip(emails, RESIDENTS, strict=True)
        if email not in existing
    ]
    if not missing:
        return
    password_hash = make_password(DEMO_PASSWORD)  # slow on purpose: once for all
    areas = {a.code: a for a in Area.objects.filter(code__in=[c for _n, c in RESIDENTS])}
    for email, (display_name, community) in missing:
        user = User.objects.create(
            username=email,
            email=email,
            password=password_hash,
            display_name=display_name,
            home_area=areas.get(community),
        )
        on_signed_up(user)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )


# --- Categories, routing and templates ----------------------------------------------------------


def _seed_categories():
    """Create the categories that do not exist yet, with their questions; existing ones are
    left as an administrator may have edited them."""
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Category.objects.values_list("service_code", flat=True))
    for order, spec in enumerate(CATEGORIES, start=1):
        if spec.code in existing:
            continue
        category = Category.objects.create(
            service_code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            description=spec.description,
            description_en=spec.description_en,
            group=spec.group[0],
            group_en=spec.group[1],
            keywords=spec.keywords,
            default_department=departments.get(spec.department),
            accept_sla_hours=spec.sla[0],
            resolve_sla_hours=spec.sla[1],
            allows_anonymous=spec.allows_anonymous,
            sensitive=spec.sensitive,
            sort_order=order * 10,
        )
        for position, question in enumerate(spec.questions, start=1):
            row = CategoryQuestion(
                category=category,
                code=question.code,
                label=question.label,
                label_en=question.label_en,
                datatype=question.datatype,
                required=question.required,
                options=question.options,
                sort_order=position,
            )
            row.full_clean()  # the admin's own checks: list questions have unique options
            row.save()


def _seed_routes():
    categories = {c.service_code: c for c in Category.objects.all()}
    offices = {d.code: d for d in Department.objects.filter(code__endswith="-office")}
    wanted = []
    for district in Area.objects.filter(kind=AreaKind.DISTRICT).order_by("path"):
        office = offices.get(district_office_code(district))
        if office is None:
            continue
        wanted.append((categories.get(GRAFFITI), district, office))
        if district.code in FALLEN_TREE_OFFICE_DISTRICTS:
            wanted.append((categories.get(FALLEN_TREE), district, office))
    for category, area, department in wanted:
        if category is not None:
            RoutingRule.objects.get_or_create(
                category=category, area=area, defaults={"department": department}
            )


def _seed_templates():
    categories = {c.service_code: c for c in Category.objects.all()}
    existing = set(ResponseTemplate.objects.values_list("title", flat=True))
    for spec in TEMPLATES:
        if spec.title in existing:
            continue
        template = ResponseTemplate.objects.create(
            title=spec.title, text=spec.text, text_en=spec.text_en, for_action=spec.for_action
        )
        template.categories.set([categories[c] for c in spec.categories if c in categories])


# --- Running the plan through the services ------------------------------------------------------


REPORT_TIMES = [
    "created_at",
    "updated_at",
    "accept_deadline",
    "accepted_at",
    "resolve_deadline",
    "resolved_at",
    "closed_at",
]


def _write(model, rows, fields):
    """Save ``fields`` of ``rows`` in one statement run for each row. ``bulk_update`` would
    build a CASE over every row, which costs more than all the rest of the dating."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[adapt(getattr(row, name)) for name in fields] + [row.pk] for row in rows]
        )


# The moment each action marks, which the report's timestamps are counted from.
MARKS = {
    "submit": "accept_base",
    "accept": "accept",
    "resolve": "resolve",
    "reopen": "reopen",
    "rate": "close",
    "reject": "close",
    "merge": "close",
}


@dataclass
class _Run:
    """One plan while it runs: the report so far and the moments it is dated from."""

    plan: Plan
    rng: random.Random  # for the pictures
    accept_hours: float
    report: Report | None = None
    marks: dict = field(default_factory=dict)


class _Runner:
    """Files and moves each planned report through ``reports.services``; what each step
    creates (timeline events, supports, photos) is dated to the step's planned moment."""

    def __init__(self, staff):
        self.staff = staff  # department id → {role: user}
        self.templates = {t.title: t for t in ResponseTemplate.objects.all()}
        self.done = {}  # plan number → report
        self.moment = None  # of the step running
        self.dated = {ReportEvent: [], Support: [], ReportPhoto: []}
        self.reports = []
        self.actions = {
            "submit": self._submit,
            "accept": self._accept,
            "assign": self._assign,
            "start": self._start,
            "update": self._update,
            "note": self._note,
            "resolve": self._resolve,
            "rate": self._rate,
            "reopen": self._reopen,
            "reject": self._reject,
            "support": self._support,
            "recategorise": self._recategorise,
            "merge": self._merge,
        }

    def _created(self, sender, instance, created, **kwargs):
        if created and self.moment is not None:
            instance.created_at = self.moment
            self.dated[sender].append(instance)

    @contextmanager
    def dating(self):
        """Note the rows the services create while the steps run (to date them in bulk)."""
        for model in self.dated:
            post_save.connect(self._created, sender=model, weak=False, dispatch_uid=_UID)
        try:
            yield
        finally:
            for model in self.dated:
                post_save.disconnect(sender=model, dispatch_uid=_UID)

    def flush(self):
        """Write the planned moments (demo data only: behind the services' back)."""
        for model, rows in self.dated.items():
            _write(model, rows, ["created_at"])
            rows.clear()
        _write(Report, self.reports, REPORT_TIMES)
        self.reports.clear()

    # Who acts -------------------------------------------------------------------------------

    def _members(self, report):
        return self.staff.get(report.department_id, {})

    def _triage(self, report, by=None):
        members = self._members(report)
        return (
            members.get(by)
            or members.get(MemberRole.DISPATCHER)
            or members.get(MemberRole.SUPERVISOR)
            or SYSTEM
        )

    def _worker(self, report):
        handler = self._members(report).get(MemberRole.HANDLER)
        if handler is not None and report.handler_id == handler.pk:
            return handler
        return self._triage(report)

    def _noter(self, report):
        members = self._members(report)
        return members.get(MemberRole.SUPERVISOR) or members.get(MemberRole.HANDLER) or SYSTEM

    def _template_text(self, title, fallback):
        template = self.templates.get(title)
        return template.text if template else fallback

    # The steps ------------------------------------------------------------------------------

    def run(self, plan):
        run = _Run(
            plan,
            random.Random(RANDOM_SEED * 1000 + plan.number),
            accept_hours=plan.category.accept_sla_hours,
        )
        for step in plan.steps:
            self.moment = step.at
            run.report = self.actions[step.action](run, step)
            if step.action in MARKS:
                run.marks[MARKS[step.action]] = step.at
        self.moment = None
        self.done[plan.number] = run.report
        self._backdate(plan, run.report, run.marks, run.accept_hours)
        return run.report

    def _submit(self, run, step):
        plan = run.plan
        photos = [picture(plan.scene, run.rng)] if plan.scene else []
        return services.submit_report(
            plan.submitter,
            category=plan.category,
            lat=plan.lat,
            lon=plan.lon,
            photos=photos,
            client_request_id=plan.client_request_id,
            **plan.fields,
        )

    def _accept(self, run, step):
        return services.accept(self._triage(run.report, step.args.get("by")), run.report)

    def _assign(self, run, step):
        report = run.report
        handler = self._members(report)[MemberRole.HANDLER]
        return services.assign(self._triage(report, step.args.get("by")), report, handler=handler)

    def _start(self, run, step):
        return services.start(self._worker(run.report), run.report)

    def _update(self, run, step):
        report = run.report
        return services.post_update(
            self._worker(report), report, message=step.args["message"], public=True
        )

    def _note(self, run, step):
        report = run.report
        return services.post_update(
            self._noter(report), report, message=step.args["message"], public=False
        )

    def _resolve(self, run, step):
        plan = run.plan
        photos = [picture(plan.scene, run.rng, fixed=True)] if step.args.get("after_photo") else []
        return services.resolve(
            self._worker(run.report), run.report, message=step.args["message"], photos=photos
        )

    def _rate(self, run, step):
        args = step.args
        return services.rate(
            run.plan.reporter, run.report, rating=args["rating"], comment=args["comment"]
        )

    def _reopen(self, run, step):
        return services.reopen(run.plan.reporter, run.report, reason=step.args["reason"])

    def _reject(self, run, step):
        reason = step.args["reason"]
        message = self._template_text(REJECT_TEMPLATE[reason], "")
        triage = self._triage(run.report, step.args.get("by"))
        return services.reject(triage, run.report, reason=reason, message=message)

    def _support(self, run, step):
        return services.support(step.args["user"], run.report)

    def _recategorise(self, run, step):
        department = run.report.department_id
        report = services.recategorise(self._triage(run.report), run.report, step.args["to"])
        if report.department_id != department:
            # Another department: its time to accept starts now.
            run.marks["accept_base"] = step.at
            run.accept_hours = step.args["to"].accept_sla_hours
        return report

    def _merge(self, run, step):
        return services.merge(self._triage(run.report), run.report, self._original(run.plan))

    def _original(self, plan):
        number = plan.original.number
        if number not in self.done:
            # Filed by an earlier run of the demo.
            self.done[number] = Report.objects.get(
                submitted_by=plan.original.submitter,
                client_request_id=plan.original.client_request_id,
            )
        return self.done[number]

    def _backdate(self, plan, report, marks, accept_hours):
        """Give the report its planned timestamps, to be written by ``flush``.

        ``report`` is as the last service returned it: read under its lock, then changed."""
        report.created_at = plan.submitted_at
        report.updated_at = plan.steps[-1].at
        if report.accept_deadline:
            report.accept_deadline = marks["accept_base"] + accept_hours * HOUR
        if report.accepted_at:
            report.accepted_at = marks["accept"]
        if report.resolve_deadline:
            since = max(marks[key] for key in ("accept", "reopen") if key in marks)
            report.resolve_deadline = since + report.category.resolve_sla_hours * HOUR
        if report.resolved_at:
            report.resolved_at = marks["resolve"]
        if report.closed_at:
            report.closed_at = marks["close"]
        self.reports.append(report)


def _after_sweep(started):
    """Date what the sweep just did to when it would have happened had it been running all
    along: an escalation when its level fell due, an automatic close when the reporter's time
    to rate ran out (demo data only)."""
    auto_close = timedelta(days=getattr(settings, "REPORTS_AUTO_CLOSE_DAYS", 7))
    events = list(
        ReportEvent.objects.filter(
            created_at__gte=started, kind__in=[EventKind.ESCALATED, EventKind.CLOSED]
        ).select_related("report__category")
    )
    reports = []
    for event in events:
        report = event.report
        if event.kind == EventKind.CLOSED:
            event.created_at = report.closed_at = report.resolved_at + auto_close
            reports.append(report)
            continue
        if event.data.get("phase") == "accept":
            deadline, sla = report.accept_deadline, report.category.accept_sla_hours
        else:
            deadline, sla = report.resolve_deadline, report.category.resolve_sla_hours
        share = {1: 0, 2: 0.5}.get(event.data.get("level"), 1)
        event.created_at = min(deadline + share * sla * HOUR, started)
    ReportEvent.objects.bulk_update(events, ["created_at"])
    Report.objects.bulk_update(reports, ["closed_at"])


def _staff():
    """The demo staff by department and role (the first member of each role)."""
    staff = {}
    for membership in Membership.objects.select_related("user").order_by("user__email"):
        staff.setdefault(membership.department_id, {}).setdefault(membership.role, membership.user)
    return staff


def _seed_reports(progress):
    started = timezone.now()
    # Every planned moment lies before any row this run writes, so "created since we started"
    # tells what the sweep does from the demo's own back-dated rows.
    now = started - timedelta(minutes=1)
    by_code = {
        c.service_code: c
        for c in Category.objects.filter(is_active=True).prefetch_related("questions")
    }
    categories = [(spec, by_code[spec.code]) for spec in CATEGORIES if spec.code in by_code]
    if not categories:
        return 0
    staff = _staff()
    # Categories whose every department (the default one and those of its routing rules) has
    # a demo handler.
    staffed = {
        category.service_code
        for _spec, category in categories
        if all(
            MemberRole.HANDLER in staff.get(department_id, {})
            for department_id in {
                category.default_department_id,
                *category.routes.values_list("department_id", flat=True),
            }
        )
    }
    emails = [MAIN_RESIDENT, *OTHER_RESIDENTS] + [
        resident_email(n) for n in range(1, len(RESIDENTS) + 1)
    ]
    residents = {
        u.email: u for u in User.objects.filter(email__in=emails).select_related("home_area")
    }
    residents = {email: residents[email] for email in emails if email in residents}
    if len(residents) < 4:
        return 0
    urban = Department.objects.filter(code=URBAN_MANAGEMENT).first()
    hotline = staff.get(urban.pk, {}).get(MemberRole.DISPATCHER) if urban else None
    plans = Planner(now, categories, residents, staffed, hotline).plan()

    # Filed by an earlier run: the same submitter with the same client request id.
    done = set(
        Report.objects.filter(client_request_id__startswith=CLIENT_PREFIX).values_list(
            "submitted_by_id", "client_request_id"
        )
    )
    todo = sorted(
        (plan for plan in plans if (plan.submitter.pk, plan.client_request_id) not in done),
        key=lambda plan: (plan.submitted_at, plan.number),
    )
    runner = _Runner(staff)
    with runner.dating():
        for plan in progress(todo):
            runner.run(plan)
    runner.flush()
    if todo:
        services.sweep()
        _after_sweep(started)
    return len(todo)


# What neighbours write under a public report: the most supported open ones get a few each.
COMMENTS = [
    "我每天送孩子上学都经过这里，确实很危险，希望尽快处理。",
    "昨晚又看到了，情况比照片里还严重一些。",
    "同一个位置去年也报过一次，修好没多久又坏了，建议彻底解决。",
    "谢谢反映！我也遇到过，已点“我也遇到”。",
    "下雨天更明显，老人走路要特别小心。",
    "今天早上看到有工作人员来看过了，期待后续。",
    "旁边小区的路口也有类似问题，能不能一起看看？",
    "支持！这个问题影响了整条街的居民。",
]
COMMENTED_REPORTS = 8


def _seed_comments():
    """A few neighbours' comments under the most supported open public reports, written
    through the comments service and dated after the report was filed."""
    if Comment.objects.filter(report__client_request_id__startswith=CLIENT_PREFIX).exists():
        return 0
    residents = list(
        User.objects.filter(email__in=[MAIN_RESIDENT, *OTHER_RESIDENTS]).order_by("email")
    )
    reports = list(
        Report.objects.filter(
            client_request_id__startswith=CLIENT_PREFIX, is_public=True, state__in=OPEN_STATES
        )
        .order_by("-support_count", "pk")
        .only("pk", "created_at", "reporter_id")[:COMMENTED_REPORTS]
    )
    now = timezone.now()
    written = 0
    for number, report in enumerate(reports):
        writers = [user for user in residents if user.pk != report.reporter_id]
        for turn in range(1 + number % 3):
            writer = writers[(number + turn) % len(writers)]
            made = services.comment(
                writer,
                report,
                body=COMMENTS[(number * 3 + turn) % len(COMMENTS)],
                client_request_id=f"{CLIENT_PREFIX}comment-{report.pk}-{turn}",
            )
            # Spread over the time since the report came in, in the order they were written.
            made.created_at = report.created_at + (now - report.created_at) * (turn + 1) / 4
            made.save(update_fields=["created_at"])
            written += 1
    return written


def seed(progress=iter):
    """Create what is missing of the reports demo; returns the number of reports created."""
    with transaction.atomic():
        _seed_residents()
        _seed_categories()
        _seed_routes()
        _seed_templates()
        created = _seed_reports(progress)
        _seed_comments()
        # Smart intake learns from the history just told, as the nightly training would.
        services.train_classifier(SYSTEM)
        return created
