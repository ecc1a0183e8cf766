"""Urgency cues: words in a report that signal danger, the priority they call for, and why."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import Priority
from .text import normalise


@dataclass(frozen=True)
class Cue:
    code: str
    priority: str
    reason: str
    pattern: re.Pattern
    # A cue that names who is at risk, not a danger, counts only beside a hazard: "吵得孩子没法学习"
    # (the noise keeps the children from their homework) is no emergency.
    needs_hazard: bool = False

    def found_in(self, text):
        if not self.pattern.search(text):
            return False
        return not self.needs_hazard or bool(HAZARD.search(text))


def _cue(code, priority, reason, *words, needs_hazard=False):
    return Cue(code, priority, reason, re.compile("|".join(words)), needs_hazard)


HAZARD = re.compile(
    "|".join(
        (
            r"危险",
            r"隐患",
            r"差点",
            r"险些",
            r"摔",
            r"跌",
            r"绊",
            r"掉(进|下|入)",
            r"被困",
            r"砸",
            r"划伤",
            r"受伤",
            r"伤到",
            r"淹",
            r"触电",
            r"\bdanger",
            r"\bunsafe\b",
            r"\brisk",
            r"\bnearly\b",
            r"\balmost\b",
            r"\bfell\b",
            r"\bfall",
            r"\btripp?",
            r"\btrapped\b",
            r"\bhurt\b",
            r"\binjur",
            r"\bcut\b",
            r"\bdrown",
        )
    )
)


CUES = (
    _cue(
        "fire",
        Priority.URGENT,
        _("mentions fire or smoke"),
        r"着火",
        r"起火",
        r"失火",
        r"火灾",
        r"冒烟",
        r"烧起来",
        r"明火",
        r"火苗",
        r"\bfire\b",
        r"\bsmoke\b",
        r"\bburning\b",
        r"\bflames?\b",
    ),
    _cue(
        "gas",
        Priority.URGENT,
        _("mentions a gas leak"),
        r"燃气",
        r"煤气",
        r"天然气",
        r"液化气",
        r"漏气",
        r"gas (leak|smell)",
        r"smell(s|ing)? of gas",
    ),
    _cue(
        "electricity",
        Priority.URGENT,
        _("mentions live wires or electricity"),
        r"漏电",
        r"触电",
        r"电线(掉|断|垂|落|裸露)",
        r"高压线",
        r"电线杆倒",
        r"live wires?",
        r"electric shock",
        r"power lines? down",
        r"exposed wires?",
    ),
    _cue(
        "open-manhole",
        Priority.URGENT,
        _("mentions an open manhole"),
        r"井盖(不见|没了|丢|被偷|缺失|掉|翻)",
        r"井口(敞开|没盖|露)",
        r"黑洞",
        r"掉进井",
        r"open manhole",
        r"manhole cover (is )?(missing|gone|stolen)",
        r"missing manhole",
        r"uncovered manhole",
    ),
    _cue(
        "injury",
        Priority.HIGH,
        _("says someone was hurt"),
        r"受伤",
        r"摔伤",
        r"流血",
        r"砸伤",
        r"砸到人",
        r"被砸",
        r"骨折",
        r"送医",
        r"\binjur",
        r"\bhurt\b",
        r"\bbleeding\b",
    ),
    _cue(
        "child",
        Priority.HIGH,
        _("mentions children"),
        r"孩子",
        r"小孩",
        r"儿童",
        r"小朋友",
        r"\bchild",
        r"\bkids?\b",
        r"\bpupils?\b",
        r"\btoddlers?\b",
        needs_hazard=True,
    ),
    _cue(
        "elderly",
        Priority.HIGH,
        _("mentions elderly people"),
        r"老人",
        r"老年人",
        r"老太太",
        r"老大爷",
        r"老奶奶",
        r"老爷爷",
        r"\belderly\b",
        r"\bold (man|woman|people)\b",
        r"\bpensioners?\b",
        needs_hazard=True,
    ),
    _cue(
        "collapse",
        Priority.HIGH,
        _("mentions a collapse"),
        r"塌陷",
        r"坍塌",
        r"倒塌",
        r"塌了",
        r"\bcollaps",
        r"\bsinkhole\b",
    ),
)

ORDER = {Priority.NORMAL: 0, Priority.HIGH: 1, Priority.URGENT: 2}


def urgency_cues(text):
    """The cues found in ``text``, the most urgent first."""
    text = normalise(text)
    found = [cue for cue in CUES if cue.found_in(text)]
    return sorted(found, key=lambda cue: -ORDER[cue.priority])


def priority_for(cues):
    """The priority the cues call for (normal without any)."""
    return cues[0].priority if cues else Priority.NORMAL
