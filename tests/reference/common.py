"""What every kind's reference shares: reading the test pack and the data, the work-day
calendar, outcomes, the case's event log, and the scope (`when`) of a rule.

Data reading (checker/load/): a step that is not in the data model, or a time that cannot be
read, is empty; a reference to an employee or deal missing from its (non-empty) table is
empty, so an event of an unknown deal belongs to no case. Everything is in UTC, as in the
rules' own tests."""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

PASS, VIOLATION, NOT_EVALUABLE = "pass", "violation", "not_evaluable"
UTC = dt.timezone.utc
PACK = Path(__file__).resolve().parents[1] / "pack"


@dataclass(frozen=True)
class Result:
    outcome: str
    activated: bool


NOT_EVALUABLE_RESULT = Result(NOT_EVALUABLE, True)   # a record that cannot be judged counts as activated
NOT_ACTIVATED = Result(PASS, False)


def judged(violated: bool) -> Result:
    return Result(VIOLATION if violated else PASS, True)


# ------------------------------------------------------------------ the test pack


@dataclass(frozen=True)
class Calendar:
    weekend: frozenset[int]        # 0 = Monday
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]   # weekend days worked in lieu
    covers: tuple[dt.date, dt.date]

    def knows(self, day: dt.date) -> bool:
        return self.covers[0] <= day <= self.covers[1]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays


def _yaml(name: str) -> dict:
    return yaml.safe_load((PACK / name).read_text(encoding="utf-8"))


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_calendar() -> Calendar:
    raw = _yaml("calendar.yaml")
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return Calendar(frozenset(names.index(d) for d in raw.get("weekend", ["sat", "sun"])),
                    frozenset(_day(d) for d in raw.get("holidays", [])),
                    frozenset(_day(d) for d in raw.get("workdays", [])),
                    (_day(raw["covers"]["from"]), _day(raw["covers"]["to"])))


def load_model() -> tuple[set[str], dict[str, int]]:
    """The known steps, and each role's level."""
    raw = _yaml("datamodel.yaml")
    return set(raw["steps"]), {name: int(spec.get("level", 0)) for name, spec in raw["roles"].items()}


def load_params() -> dict:
    return {name: spec["value"] for name, spec in _yaml("params.yaml").items()}


def workday_deadline(at: dt.datetime, n: int, calendar: Calendar) -> dt.datetime:
    """The end of the n-th work day after the day of `at` (of that day itself for n = 0)."""
    day, counted = at.date(), 0
    while counted < n:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return dt.datetime.combine(day, dt.time.max, tzinfo=UTC)


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
    deals: dict[str, dict]          # id -> fields (amount, discount_pct, created_at, closed_at, stage, owner_id)
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
        deals[row["id"]] = {"stage": row.get("stage"), "owner_id": row.get("owner_id"),
                            "amount": read_number(row.get("amount")),
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
            events.append({"id": row.get("id"), "case": case, "step": step if step in steps else None,
                           "actor": person(row.get("actor_id")), "at": read_time(row.get("at"))})
    approvals = [{"id": row.get("id"), "case": case_of(row.get("deal_id")), "type": row.get("type"),
                  "approver": person(row.get("approver_id")),
                  "decision": row.get("decision"), "at": read_time(row.get("at"))} for row in data.get("approvals", [])]
    as_of = dt.datetime.combine(dt.date.fromisoformat(as_of_day), dt.time.max, tzinfo=UTC)
    return World(deals, events, roster, approvals, as_of, params, calendar, levels)


# ------------------------------------------------------------------ a case's event log


def case_log(world: World, case: str) -> list[dict]:
    return [e for e in world.events if e["case"] == case]


def untrusted(log: list[dict], *settings: str | list[str] | None) -> bool:
    """Whether what the rule reads of the case's log cannot be judged: an event whose step
    could not be read (it could be any step), or an event of a step the settings name (each
    one step, a list of steps, or None) whose time could not be read."""
    named = {s for setting in settings if setting for s in ([setting] if isinstance(setting, str) else setting)}
    return any(e["step"] is None or (e["at"] is None and e["step"] in named) for e in log)


def times_of(log: list[dict], step: str) -> list[dt.datetime]:
    return [e["at"] for e in log if e["step"] == step]


def any_times(log: list[dict], steps: str | list[str]) -> list[dt.datetime]:
    """The times of the events of a step, or of any step of a set."""
    return [t for step in ([steps] if isinstance(steps, str) else steps) for t in times_of(log, step)]


def readable_times(log: list[dict], step: str) -> list[dt.datetime]:
    """The times of the step's events whose time could be read."""
    return [at for at in times_of(log, step) if at is not None]


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


# ------------------------------------------------------------------ three-valued expressions
# None is unknown, as an empty field makes a comparison in the expression language.


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


# ------------------------------------------------------------------ a rule over every deal

Expression = Callable[[dict, World], "bool | None"]
Evaluator = Callable[[object, str, World], Result]
SCOPES: dict[str, Expression] = {'stage == "won"': lambda r, w: cmp(r["stage"], operator.eq, "won")}


def evaluate(evaluator: Evaluator, spec, when: str | None, world: World) -> dict[str, Result]:
    """Outcome per deal in scope; a deal whose scope cannot be decided is not evaluable."""
    out = {}
    for key, record in world.deals.items():
        if when is not None:
            in_scope = SCOPES[when](record, world)
            if in_scope is None:
                out[key] = NOT_EVALUABLE_RESULT
                continue
            if not in_scope:
                continue
        out[key] = evaluator(spec, key, world)
    return out
