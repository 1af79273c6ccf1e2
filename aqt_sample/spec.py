"""The export layout and the policy limits, read from the same YAML files the checker reads.

Reading them at run time keeps the sample in step with the mapping and the parameters: rename a
header or move a threshold and the next sample follows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


from checker.problems import UserError, shown_path
from checker.rules import rule_files
from checker.yamlsrc import load_file
from checker.workdays import Calendar, load_calendar

MAPPING_PATH = Path(__file__).resolve().parent / "mapping.yaml"
PACK_FILES = ("datamodel.yaml", "params.yaml", "calendar.yaml")


@dataclass(frozen=True)
class Layout:
    """One export file: its name, export header per data-model column, export text per coded value."""
    file: str
    headers: dict[str, str]
    values: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Tier:
    up_to: float | None
    role: str


@dataclass(frozen=True)
class Spec:
    layouts: dict[str, Layout]
    as_of: date
    encoding: str
    steps: tuple[str, ...]
    role_levels: dict[str, int]
    tiers: tuple[Tier, ...]
    discount_from: float
    discount_tiers: tuple[Tier, ...]
    seal_role: str
    standard_terms: tuple[str, ...]
    followup_days: int
    escalation_workdays: int
    manager_days: int           # an overdue instalment unpaid this many calendar days goes to the manager
    report_due_days: int
    supervisor_count: int       # the supervisor posts of the establishment
    id_columns: dict[str, tuple[str, ...]]   # per table: its key and the columns naming other records
    rule_ids: frozenset[str]    # the pack's rules: the answer key lists violations of these only
    review_workdays: int
    archive_days: int
    response_hours: int
    resolution_days: int
    calendar: Calendar

    def text(self, table: str, column: str, value: str) -> str:
        """The export's wording of a coded value."""
        return self.layouts[table].values[column][value]

    def required_role(self, amount: float) -> str:
        return next(t.role for t in self.tiers if t.up_to is None or amount <= t.up_to)

    def discount_role(self, discount: float) -> str:
        return next(t.role for t in self.discount_tiers if t.up_to is None or discount <= t.up_to)


def load_spec(rules_dir: Path, mapping_path: Path = MAPPING_PATH) -> Spec:
    """The export layout from `mapping_path` and the limits and calendar of the pack in `rules_dir`."""
    _require_pack(rules_dir)
    try:
        return _spec(_read(mapping_path), rules_dir)
    except KeyError as exc:  # a pack of another shape: say what the sample needs, not where it tripped
        raise UserError(f"{shown_path(rules_dir)} lacks {exc}, which aqt's sample needs; "
                        "pass aqt's rules folder with --rules DIR") from None


def _spec(mapping: dict, rules_dir: Path) -> Spec:
    model = _read(rules_dir / "datamodel.yaml")
    params = {name: entry["value"] for name, entry in _read(rules_dir / "params.yaml").items()}
    return Spec(
        layouts={name: _layout(table) for name, table in mapping["tables"].items()},
        as_of=date.fromisoformat(str(mapping["as_of"])),
        encoding=mapping.get("encoding", "utf-8"),
        steps=tuple(model["steps"]),
        role_levels={role: entry["level"] for role, entry in model["roles"].items()},
        tiers=_tiers(params["contract_approval_tiers"]),
        discount_from=float(params["discount_approval_from"]),
        discount_tiers=_tiers(params["discount_approval_tiers"]),
        seal_role=params["seal_approval_tiers"][-1]["role"],
        standard_terms=tuple(params["standard_payment_terms"]),
        followup_days=int(params["payment_followup_days"]),
        escalation_workdays=int(params["overdue_escalation_workdays"]),
        manager_days=int(params["overdue_manager_days"]),
        report_due_days=int(params["report_due_days"]),
        supervisor_count=int(params["supervisor_count"]),
        id_columns={name: (table["key"], *(column for column, entry in table["columns"].items()
                                           if isinstance(entry, dict) and entry.get("references")))
                    for name, table in model["tables"].items()},
        rule_ids=_rule_ids(rules_dir),
        review_workdays=int(params["review_within_workdays"]),
        archive_days=int(params["archive_within_days"]),
        response_hours=int(params["complaint_response_hours"]),
        resolution_days=int(params["complaint_resolution_days"]),
        calendar=load_calendar(rules_dir / "calendar.yaml", shown_path(rules_dir / "calendar.yaml")),
    )


def _rule_ids(rules_dir: Path) -> frozenset[str]:
    documents = [load_file(path) for path in rule_files([rules_dir])]
    return frozenset(rule["id"] for doc in documents if isinstance(doc, dict) for rule in doc.get("rules") or [])


def _tiers(entries: list[dict]) -> tuple[Tier, ...]:
    return tuple(Tier(t.get("up_to"), t["role"]) for t in entries)


def _require_pack(rules_dir: Path) -> None:
    missing = [name for name in PACK_FILES if not (rules_dir / name).is_file()]
    if missing:
        raise UserError(f"{shown_path(rules_dir)} is not aqt's rule pack: {', '.join(missing)} missing; "
                        "pass the pack's rules folder with --rules DIR")


def _read(path: Path) -> dict:
    # The pack given with --rules is the user's: read with the checker's own guards (aliases, depth, tags).
    return load_file(path, shown_path(path))


def _layout(table: dict) -> Layout:
    values = {column: {code: text for text, code in pairs.items()} for column, pairs in table.get("values", {}).items()}
    return Layout(table["file"], {column: header for header, column in table["columns"].items()}, values)

