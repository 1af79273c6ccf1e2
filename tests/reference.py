"""A plain reference for the check kinds: one case at a time, over lists of dicts, written
from the kinds' docstrings and the data model's documented reading of the data. Slow and
obvious on purpose; tests/test_kinds_reference.py holds the engine to it.

Data reading (checker/dataset.py, checker/coerce.py): a step that is not in the data model,
or a time that cannot be read, is empty; a reference to an employee or deal missing from
its (non-empty) table is empty, so an event of an unknown deal belongs to no case.
Everything is in UTC, as in the rules' own tests."""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from pathlib import Path

import yaml

PASS, VIOLATION, NOT_EVALUABLE = "pass", "violation", "not_evaluable"
UTC = dt.timezone.utc
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    outcome: str
    activated: bool


NOT_EVALUABLE_RESULT = Result(NOT_EVALUABLE, True)   # a record that cannot be judged counts as activated
NOT_ACTIVATED = Result(PASS, False)


# ------------------------------------------------------------------ configuration


@dataclass(frozen=True)
class Calendar:
    weekend: frozenset[int]        # 0 = Monday
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]   # weekend days worked in lieu

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays


def _yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / "rules" / name).read_text(encoding="utf-8"))


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_calendar() -> Calendar:
    raw = _yaml("calendar.yaml")
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return Calendar(frozenset(names.index(d) for d in raw.get("weekend", ["sat", "sun"])),
                    frozenset(_day(d) for d in raw.get("holidays", [])),
                    frozenset(_day(d) for d in raw.get("workdays", [])))


def load_model() -> tuple[set[str], dict[str, int]]:
    """The known steps, and each role's level."""
    raw = _yaml("datamodel.yaml")
    return set(raw["steps"]), {name: int(spec.get("level", 0)) for name, spec in raw["roles"].items()}


def load_params() -> dict:
    return {name: spec["value"] for name, spec in _yaml("params.yaml").items()}


# ------------------------------------------------------------------ reading the data


def read_time(text) -> dt.datetime | None:
    if text is None:
        return None
    for form in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(str(text), form).replace(tzinfo=UTC)
        except ValueError:
            pass
    return None


def read_date(text) -> dt.date | None:
    stamp = read_time(text)
    return stamp.date() if stamp else None


def read_number(value) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


@dataclass
class World:
    deals: dict[str, dict]          # id -> fields (amount, discount_pct, created_at, closed_at, stage)
    events: list[dict]              # case, step, actor, at
    roster: dict[str, dict]         # id -> role, valid_from, valid_to
    approvals: list[dict]           # case, type, approver, decision, at
    as_of: dt.datetime              # the last instant of the as-of day
    params: dict
    calendar: Calendar
    levels: dict[str, int]


def read_world(data: dict, as_of_day: str, params: dict, calendar: Calendar, steps: set[str],
               levels: dict[str, int]) -> World:
    deals = {}
    for row in data.get("deals", []):
        deals[row["id"]] = {"stage": row.get("stage"), "amount": read_number(row.get("amount")),
                            "discount_pct": read_number(row.get("discount_pct")),
                            "created_at": read_time(row.get("created_at")), "closed_at": read_time(row.get("closed_at"))}
    roster = {row["id"]: {"role": row.get("role"), "valid_from": read_date(row.get("active_from")),
                          "valid_to": read_date(row.get("active_to"))} for row in data.get("employees", [])}

    def person(value):
        return None if value is None or (roster and value not in roster) else value

    def case_of(value):
        return None if value is None or (deals and value not in deals) else value

    events = []
    for row in data.get("events", []):
        case = case_of(row.get("deal_id"))
        if case is not None:
            step = row.get("step")
            events.append({"case": case, "step": step if step in steps else None,
                           "actor": person(row.get("actor_id")), "at": read_time(row.get("at"))})
    approvals = [{"case": case_of(row.get("deal_id")), "type": row.get("type"), "approver": person(row.get("approver_id")),
                  "decision": row.get("decision"), "at": read_time(row.get("at"))} for row in data.get("approvals", [])]
    as_of = dt.datetime.combine(dt.date.fromisoformat(as_of_day), dt.time.max, tzinfo=UTC)
    return World(deals, events, roster, approvals, as_of, params, calendar, levels)


# ------------------------------------------------------------------ shared pieces


def case_log(world: World, case: str) -> list[dict]:
    return [e for e in world.events if e["case"] == case]


def untrusted(log: list[dict]) -> bool:
    """An event whose step or time could not be read: the case's log cannot be judged."""
    return any(e["step"] is None or e["at"] is None for e in log)


def times_of(log: list[dict], step: str) -> list[dt.datetime]:
    return [e["at"] for e in log if e["step"] == step]


def role_at(world: World, person: str | None, when: dt.datetime) -> str | None:
    """The role held at `when`: from the first moment of valid_from to the last of valid_to."""
    entry = world.roster.get(person) if person is not None else None
    if entry is None:
        return None
    day = when.date()
    if entry["valid_from"] is not None and day < entry["valid_from"]:
        return None
    if entry["valid_to"] is not None and day > entry["valid_to"]:
        return None
    return entry["role"]


def judged(violated: bool) -> Result:
    return Result(VIOLATION if violated else PASS, True)


# ------------------------------------------------------------------ the kinds


def order(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    then = times_of(log, spec["then"])
    if not then:
        return NOT_ACTIVATED
    first = times_of(log, spec["first"])
    return judged(not first or not min(first) < min(then))


def exists(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    return judged(any(not times_of(log, step) for step in spec["steps"]))


def deadline(at: dt.datetime, within: dict | None, world: World) -> dt.datetime | None:
    if not within:
        return None
    (unit, amount), = within.items()
    n = world.params[amount.removeprefix("params.")] if isinstance(amount, str) else amount
    if unit == "days":
        return at + dt.timedelta(hours=24 * n)
    day, counted = at.date(), 0
    while counted < n:
        day += dt.timedelta(days=1)
        if world.calendar.is_workday(day):
            counted += 1
    return dt.datetime.combine(day, dt.time.max, tzinfo=UTC)


def response(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    triggers = times_of(log, spec["if"])
    if not triggers:
        return NOT_ACTIVATED
    answers = times_of(log, spec["then"])
    for at in triggers:
        later = [a for a in answers if a > at]
        due = deadline(at, spec.get("within"), world)
        if not later:
            if due is None or due < world.as_of:
                return judged(True)
        elif due is not None and min(later) > due:
            return judged(True)
    return judged(False)


def different_actors(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    checked = [e for e in log if e["step"] in (spec["first"], spec["second"])]
    if any(e["actor"] is None for e in checked):
        return NOT_EVALUABLE_RESULT
    first = {e["actor"] for e in checked if e["step"] == spec["first"]}
    second = {e["actor"] for e in checked if e["step"] == spec["second"]}
    if not first or not second:
        return NOT_ACTIVATED
    return judged(bool(first & second))


def performed_by(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    events = [e for e in log if e["step"] == spec["step"]]
    if not events:
        return NOT_ACTIVATED
    if any(e["actor"] is None or e["actor"] not in world.roster for e in events):
        return NOT_EVALUABLE_RESULT
    return judged(any(role_at(world, e["actor"], e["at"]) not in spec["roles"] for e in events))


def required_role(amount: float, tiers: list[dict]) -> str:
    for tier in tiers:
        if "up_to" not in tier or amount <= tier["up_to"]:
            return tier["role"]
    raise AssertionError("the tiers end with a tier without up_to")


def approval(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    before = times_of(log, spec["before"])
    if not before:
        return NOT_ACTIVATED
    amount = world.deals[case]["amount"]
    if amount is None:
        return NOT_EVALUABLE_RESULT
    need = world.levels[required_role(amount, world.params[spec["tiers"].removeprefix("params.")])]
    deadline_ = min(before)
    for a in world.approvals:
        if (a["case"] == case and a["type"] == spec["type"] and a["decision"] == "approved"
                and a["at"] is not None and a["at"] < deadline_):
            role = role_at(world, a["approver"], a["at"])
            if role is not None and world.levels[role] >= need:
                return judged(False)
    return judged(True)


# ------------------------------------------------------------------ expressions (assert, when)
# Three-valued logic: None is unknown.


def k_and(*values):
    return False if any(v is False for v in values) else None if any(v is None for v in values) else True


def k_or(*values):
    return True if any(v is True for v in values) else None if any(v is None for v in values) else False


def k_not(value):
    return None if value is None else not value


def cmp(a, op, b):
    return None if a is None or b is None else op(a, b)


def minus(a, b):
    return None if a is None or b is None else a - b


def coalesce(*values):
    return next((v for v in values if v is not None), None)


DAY = dt.timedelta(days=1)
EXPRESSIONS = {
    "amount >= 1000000 or discount_pct <= 10":
        lambda r, w: k_or(cmp(r["amount"], operator.ge, 1000000), cmp(r["discount_pct"], operator.le, 10)),
    "amount > 0 and discount_pct <= 10":
        lambda r, w: k_and(cmp(r["amount"], operator.gt, 0), cmp(r["discount_pct"], operator.le, 10)),
    "not (amount > 200000)":
        lambda r, w: k_not(cmp(r["amount"], operator.gt, 200000)),
    "coalesce(discount_pct, 0) <= 10":
        lambda r, w: cmp(coalesce(r["discount_pct"], 0), operator.le, 10),
    "discount_pct is null or discount_pct < 5":
        lambda r, w: k_or(r["discount_pct"] is None, cmp(r["discount_pct"], operator.lt, 5)),
    "closed_at - created_at <= days(2)":
        lambda r, w: cmp(minus(r["closed_at"], r["created_at"]), operator.le, 2 * DAY),
    "coalesce(closed_at, as_of) - created_at <= days(14)":
        lambda r, w: cmp(minus(coalesce(r["closed_at"], w.as_of), r["created_at"]), operator.le, 14 * DAY),
    'stage == "won"':
        lambda r, w: cmp(r["stage"], operator.eq, "won"),
}


def assertion(expression: str, case: str, world: World) -> Result:
    holds = EXPRESSIONS[expression](world.deals[case], world)
    return NOT_EVALUABLE_RESULT if holds is None else judged(not holds)


KINDS = {"assert": assertion, "exists": exists, "order": order, "response": response,
         "different_actors": different_actors, "performed_by": performed_by, "approval": approval}


def evaluate(kind: str, spec, when: str | None, world: World) -> dict[str, Result]:
    """Outcome per deal in scope; a deal whose scope cannot be decided is not evaluable."""
    out = {}
    for key, record in world.deals.items():
        if when is not None:
            in_scope = EXPRESSIONS[when](record, world)
            if in_scope is None:
                out[key] = NOT_EVALUABLE_RESULT
                continue
            if not in_scope:
                continue
        out[key] = KINDS[kind](spec, key, world)
    return out
