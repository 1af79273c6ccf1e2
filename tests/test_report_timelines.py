"""The time lines a report carries: every case its findings name, at any size, in compact columns
that read back to the results' own events."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from checker.report.catalogue import LABELS
from checker.report.detail import page_timelines
from checker.report.evidence import Words

VOCABULARY = {"steps": {"contract_signed": {"zh": "合同签订", "en": "contract signed"}}}


def read_back(page: dict[str, Any]) -> dict[str, list[list[str]]]:
    """The events of each case as the page's script shows them (report.js caseEvents)."""
    out, start = {}, 0
    for case, count in zip(page["cases"], page["counts"]):
        clock, events = None, []
        for j in range(start, start + int(count)):
            at = page["at"][j]
            if isinstance(at, str) or at is None:
                shown = at or ""
            else:
                clock = page["base"] + int(at) if clock is None else clock + int(at)
                shown = (datetime(1970, 1, 1) + timedelta(minutes=clock)).strftime("%Y-%m-%d %H:%M")
            words, step = page["steps"][page["seq"][j]]
            events.append([words, step, shown, page["actors"][page["who"][j]]])
        out[case] = events
        start += int(count)
    return out


def timelines(cases: list[list[tuple]]) -> dict[str, list]:
    """Results' time line columns of cases given as lists of (step, time, actor id, actor name)."""
    starts = [0]
    for events in cases:
        starts.append(starts[-1] + len(events))
    events = [e for c in cases for e in c]
    return {"cases": [f"D{i}" for i in range(len(cases))], "starts": starts,
            "steps": [e[0] for e in events], "times": [e[1] for e in events],
            "actors": [e[2] for e in events], "actor_names": [e[3] for e in events]}


def test_the_time_lines_read_back_to_the_events_of_the_cases_named() -> None:
    results = {"timelines": timelines([
        [("contract_signed", "2025-03-06T09:04:00+08:00", "E001", "王芳"),
         ("contract_reviewed", "2025-03-05T23:59:00+08:00", None, "李强"),     # earlier: a step back
         ("contract_reviewed", None, "E002", None), ("x", "2025-02-30T10:00:00+08:00", "", ""),
         (None, "not a time", "E003", "赵磊"), ("x", "2025-03-08T00:00:00-05:00", "E001", "王芳")],
        [("contract_signed", "1969-12-31T23:59:00+00:00", "E004", "")],
        [("x", "2025-01-01T00:00:00+08:00", "E001", "王芳")]])}
    page = page_timelines(results, ["D1", "D0", "", "D0", "D9"], Words(VOCABULARY, "zh", LABELS["zh"]))
    assert page["cases"] == ["D0", "D1"] and list(page["counts"]) == [6, 1]
    assert read_back(page) == {
        "D0": [["合同签订", "contract_signed", "2025-03-06 09:04", "王芳 E001"],
               ["contract_reviewed", "contract_reviewed", "2025-03-05 23:59", "李强"],
               ["contract_reviewed", "contract_reviewed", "", "E002"],
               ["x", "x", "2025-02-30 10:00", "（未指定）"],
               ["", "", "not a time", "赵磊 E003"],
               ["x", "x", "2025-03-08 00:00", "王芳 E001"]],
        "D1": [["合同签订", "contract_signed", "1969-12-31 23:59", "E004"]]}


def test_a_report_of_many_cases_keeps_every_time_line() -> None:
    n = 20_000
    results = {"timelines": timelines([[("contract_signed", f"2025-03-{1 + i % 28:02d}T09:{i % 60:02d}:00+08:00",
                                         f"E{i % 7:03d}", "")] * 2 for i in range(n)])}
    page = page_timelines(results, [f"D{i}" for i in range(n)], Words({}, "en", LABELS["en"]))
    assert len(page["cases"]) == n and list(page["seq"]) == [0] * 2 * n and len(page["actors"]) == 7
    shown = read_back(page)
    assert shown["D12345"] == [["contract_signed", "contract_signed", "2025-03-26 09:45", "E004"]] * 2


def test_time_lines_that_do_not_fit_together_are_left_out() -> None:
    words = Words({}, "en", LABELS["en"])
    broken = timelines([[("x", "2025-01-01T00:00:00+08:00", "E1", "")]])
    assert page_timelines({"timelines": {**broken, "starts": [0, 2]}}, ["D0"], words) == {}
    assert page_timelines({"timelines": {**broken, "times": []}}, ["D0"], words) == {}
    assert page_timelines({"timelines": {"cases": ["D0"]}}, ["D0"], words) == {}
    assert page_timelines({}, ["D0"], words) == {}
