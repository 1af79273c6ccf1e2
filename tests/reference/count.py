"""`count`: the number of in-scope employees, overall, per region, or per day of the audit
period (1 January of the as-of year to the as-of day), between the bounds."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from .common import NOT_EVALUABLE_RESULT, Calendar, Result, judged, read_date

EXAMPLES = 150
APPLIES_TO = "employees"
WHEN = st.sampled_from([None, 'role == "sales_supervisor"'])
REGIONS = ["east", "west", "north"]
DAYS = ["2025-01-01", "2025-01-02", "2025-01-05", "2025-01-09", "2025-01-10", "2024-12-31", "2025-02-01"]
SPECS = st.one_of(
    st.fixed_dictionaries({}, optional={"min": st.integers(0, 3), "max": st.integers(0, 3)}),
    st.fixed_dictionaries({"per": st.just("region")},
                          optional={"groups": st.sampled_from([REGIONS, ["south"]]),
                                    "min": st.integers(0, 2), "max": st.integers(0, 2)}),
    st.fixed_dictionaries({"per": st.just("day"), "active": st.just({"from": "active_from", "to": "active_to"})},
                          optional={"min": st.integers(0, 2), "max": st.integers(0, 2)}),
).filter(lambda spec: "min" in spec or "max" in spec)


@st.composite
def DATASETS(draw) -> tuple[dict, str]:
    dirty = draw(st.integers(0, 2)) == 2
    # Empty roles and regions (records that may or may not count) are common in the dirty examples.
    blank = [None] if dirty else []
    employees = [{"id": f"E{i}", "role": draw(st.sampled_from(["sales_supervisor", "sales_rep", *blank])),
                  "region": draw(st.sampled_from([*REGIONS, *blank])),
                  "active_from": draw(st.sampled_from([None, *DAYS])), "active_to": draw(st.sampled_from([None, *DAYS]))}
                 for i in range(draw(st.integers(0, 6)))]
    return {"employees": employees}, draw(st.sampled_from(["2025-01-10", "2025-01-03", "2025-01-31"]))


def judge(spec: dict, when: str | None, data: dict, as_of_day: str, calendar: Calendar) -> dict[str, Result]:
    sure, maybe = [], []
    for person in data["employees"]:
        if when is None or person["role"] == "sales_supervisor":
            sure.append(person)
        elif person["role"] is None:
            maybe.append(person)
    if spec.get("per") == "day":
        counts = _per_day(sure, maybe, dt.date.fromisoformat(as_of_day))
    elif spec.get("per") == "region":
        counts = _per_region(sure, maybe, spec.get("groups", []))
    else:
        counts = {"all": (len(sure), len(sure) + len(maybe))}
    lowest, highest = spec.get("min", 0), spec.get("max", 10 ** 9)
    out = {}
    for key, (low, high) in counts.items():
        if low >= lowest and high <= highest:
            out[key] = judged(False)
        elif high < lowest or low > highest:
            out[key] = judged(True)
        else:
            out[key] = NOT_EVALUABLE_RESULT
    return out


def _per_region(sure: list[dict], maybe: list[dict], groups: list[str]) -> dict[str, tuple[int, int]]:
    keys = {p["region"] for p in sure + maybe if p["region"] is not None} | set(groups)
    nowhere = sum(p["region"] is None for p in sure + maybe)
    return {k: (sum(p["region"] == k for p in sure), sum(p["region"] == k for p in sure + maybe) + nowhere)
            for k in keys}


def _per_day(sure: list[dict], maybe: list[dict], last: dt.date) -> dict[str, tuple[int, int]]:
    def active(person: dict, day: dt.date) -> bool:
        start, end = read_date(person["active_from"]), read_date(person["active_to"])
        return (start is None or start <= day) and (end is None or day <= end)

    days, day = [], dt.date(last.year, 1, 1)
    while day <= last:
        low = sum(active(p, day) for p in sure)
        days.append((day, low, low + sum(active(p, day) for p in maybe)))
        day += dt.timedelta(days=1)
    runs: dict[str, tuple[int, int]] = {}
    start = 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i][1:] != days[start][1:]:
            runs[f"{days[start][0]}..{days[i - 1][0]}"] = days[start][1:]
            start = i
    return runs
