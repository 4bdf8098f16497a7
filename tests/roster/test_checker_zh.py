"""Every finding of the roster checker reads in Chinese under --lang zh (issue 18 item 5): the
messages of asx.roster.checker are phrases of the labels' kind "text", translated in the tables of
`asx roster check` and in the notes of the commands that write a roster (R-ROS-1..10)."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from asx.core.labels import LabelSet
from asx.plugins.core import register_labels
from asx.roster.checker import check
from asx.roster.model import AgentSpec, Cover, Limit, Problem, Request, RuleSet

from .conftest import MONDAY

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")  # an English word left over (shift ids are one letter)
AS_CONFIGURED = re.compile(r"\b(kind|shift):\w+|LEAVE")  # a limit's "what" and the leave mark, as asx.toml spells them


def _labels() -> LabelSet:
    labels = LabelSet()
    register_labels(labels.add)
    return labels


def test_every_kind_of_finding_is_translated():
    rules = RuleSet(coverage={"D": Cover(min=1, target=2), "N": Cover(min=1, max=1)}, min_consecutive_days=2,
                    min_consecutive_off=2, forbidden_successions=(("N", "D"),),
                    limits=(Limit("kind:night", "week", max=2), Limit("days", "horizon", min=12)))
    agents = [AgentSpec(n, history={"nights": k, "weekend_rests": 2 * k}) for k, n in enumerate(["甲", "乙", "丙", "丁"])]
    day = MONDAY + timedelta(days=2)
    p = Problem(start=MONDAY, days=14, agents=agents, rules=rules, holidays={MONDAY + timedelta(days=5)},
                requests=[Request("甲", day, None, False), Request("乙", day, "N", True)],
                pinned={("丙", day): "N"}, leave={"乙": {MONDAY + timedelta(days=9)}})
    labels = _labels()
    seen = set()
    for seed in range(30):
        rng = random.Random(seed)
        from asx.roster.model import Roster

        r = Roster(p.start, p.days, tuple(a.name for a in agents))
        for a in agents:
            for d in p.dates:
                r.cells[(a.name, d)] = rng.choice(["D", "N", None, None, "D", "X" if seed == 0 else "N"])
        r.cells[("甲", MONDAY + timedelta(days=3))] = "LEAVE"
        r.cells[("乙", MONDAY + timedelta(days=9))] = "D"
        for v in check(p, r).violations:
            zh = str(labels.translate(v.message, "zh"))
            seen.add(v.family)
            assert zh != v.message and not LATIN_WORD.search(AS_CONFIGURED.sub("", zh)), (v.family, v.message, zh)
    assert {"coverage_min", "coverage_max", "coverage_target", "rest_days", "max_consecutive", "min_consecutive",
            "min_consecutive_off", "forbidden_succession", "min_rest", "switch_days", "limits", "events",
            "requests", "holiday_rest", "fair_nights", "fair_weekend_rests", "pinned", "leave",
            "shift_allowed"} <= seen, seen


def test_every_rule_family_has_a_chinese_name():
    # the family column of `asx roster check` (label kind roster_family, registered by the roster plugin)
    from asx.plugins.roster import register_labels as roster_labels
    from asx.roster.model import RULE_IDS

    labels = LabelSet()
    roster_labels(labels.add)
    missing = [f for f in RULE_IDS if labels.label("roster_family", f, "zh") == f]
    assert not missing, missing
