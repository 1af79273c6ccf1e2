"""Who is responsible: violations counted per supervisor and, within that, per owner.

A person is known by id when there is one, else by name, else as "none"; that key is
also what the supervisor filter of the page matches on.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .columns import fields
from .values import SEVERITIES, severity

NONE_KEY = "none"


def person_key(pid: str, name: str) -> str:
    if pid:
        return f"id:{pid}"
    return f"name:{name}" if name else NONE_KEY


def person_ref(pid: Any, name: Any) -> str:
    """How the page and its URL name a person: the employee id, else the name, else "none"."""
    return str(pid or "") or str(name or "") or NONE_KEY


def person(v: Mapping[str, Any], role: str) -> tuple[str, str, str]:
    """(filter key, id, name) of the ``role`` ("owner" or "supervisor") of violation ``v``."""
    pid = _text(v.get(f"{role}_id"))
    name = _text(v.get(f"{role}_name"))
    return person_key(pid, name), pid, name


def group_by_supervisor(violations: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Count violations by severity for each supervisor and, within that, each owner.

    Groups with the most serious violations come first so a reader sees the
    teams needing attention at the top.
    """
    groups: dict[str, dict[str, Any]] = {}
    # One pass over the violations counts distinct (people, severity) combinations; a
    # company has a few hundred of those however many violations there are.
    for (sup_id, sup_name, own_id, own_name, sev), n in _tally(violations).items():
        sup_key = person_key(sup_id, sup_name)
        group = groups.setdefault(sup_key, {"key": sup_key, "id": sup_id, "name": sup_name,
                                            "owners": {}, "counter": Counter()})
        own_key = person_key(own_id, own_name)
        owner = group["owners"].setdefault(own_key, {"key": own_key, "id": own_id, "name": own_name,
                                                     "counter": Counter()})
        owner["counter"][severity(sev)] += n
        group["counter"][severity(sev)] += n
    teams = []
    for group in groups.values():
        owners = _ordered([_summed(owner) for owner in group["owners"].values()], total_first=True)
        teams.append(_summed(group, owners=owners))
    return _ordered(teams, total_first=False)


def _tally(violations: Sequence[Mapping[str, Any]]) -> dict[tuple[str, ...], int]:
    """Violations counted by (supervisor id, name, owner id, name, severity), each as text.

    Raw values are counted first and made text once per distinct combination, which
    keeps the pass over all violations cheap. Counter keeps first-seen order, so the
    first name seen for an id is the one shown.
    """
    try:
        raw = Counter(zip(*fields(violations, _PEOPLE_FIELDS).values()))
    except (KeyError, TypeError):  # a field missing, or a list where a name belongs (a hand-edited file)
        raw = Counter(tuple(_text(v.get(name)) for name in _PEOPLE_FIELDS) for v in violations)
    tally: Counter[tuple[str, ...]] = Counter()
    for values, n in raw.items():
        tally[tuple(map(_text, values))] += n
    return tally


_PEOPLE_FIELDS = ("supervisor_id", "supervisor_name", "owner_id", "owner_name", "severity")


def _text(value: Any) -> str:
    return str(value or "")


def _summed(entry: dict[str, Any], **extra: Any) -> dict[str, Any]:
    counter = entry["counter"]
    return {"key": entry["key"], "ref": person_ref(entry["id"], entry["name"]), "id": entry["id"],
            "name": entry["name"], **extra,
            "counts": [counter.get(sev, 0) for sev in SEVERITIES], "total": sum(counter.values())}


def _ordered(entries: list[dict[str, Any]], total_first: bool) -> list[dict[str, Any]]:
    """Most serious first: owners by total then severities, supervisors by severities then total."""
    def weight(entry: dict[str, Any]) -> tuple[Any, ...]:
        by_severity = tuple(-n for n in entry["counts"])
        ranked = (-entry["total"], *by_severity) if total_first else (*by_severity, -entry["total"])
        return ranked, entry["name"], entry["id"]
    return sorted(entries, key=weight)
