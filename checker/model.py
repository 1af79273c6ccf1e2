"""The data model: which tables and fields rules may use, and which of them form the
event log, the roster and the approvals (read from rules/datamodel.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .expr import Column, FieldError, Fields
from .problems import Problem, UserError, did_you_mean
from .schema_check import load_valid, locate

TEMPORAL = ("date", "datetime")
LABELS = ("enum", "step", "role")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    values: tuple[str, ...] = ()
    references: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str
    columns: dict[str, ColumnSpec]
    dated_by: str | None = None    # the date or time that places a record in the audit period
    creation_time: str | None = None   # when each record came to be: nothing linked to it is earlier


@dataclass(frozen=True)
class EventLog:
    table: str
    case: str
    step: str
    actor: str
    time: str


@dataclass(frozen=True)
class Roster:
    table: str
    role: str
    supervisor: str
    valid_from: str
    valid_to: str


@dataclass(frozen=True)
class ApprovalLog:
    table: str
    case: str
    type: str
    approver: str
    decision: str
    approved_value: str
    time: str


@dataclass(frozen=True)
class DataModel:
    tables: dict[str, TableSpec]
    steps: dict[str, dict]
    roles: dict[str, dict]
    event_log: EventLog | None = None
    roster: Roster | None = None
    approvals: ApprovalLog | None = None
    source: str = "datamodel.yaml"
    labels_zh: dict[str, str] = field(default_factory=dict)

    def role_levels(self) -> dict[str, int]:
        return {name: int(spec.get("level", 0)) for name, spec in self.roles.items()}

    def expr_columns(self, table: str) -> Fields:
        """The columns of a table as the expression language sees them, with the related
        tables' columns reached through its foreign keys (`customer.tier`)."""
        return Fields({c.name: Column(c.name, c.type, c.values) for c in self.tables[table].columns.values()},
                      lambda path: self.related_column(table, path))

    def relations(self, table: str) -> dict[str, ColumnSpec]:
        """The foreign keys of a table by the name an expression follows them with: the
        column's own name, and the name without its `_id` ending (`customer_id` -> `customer`)."""
        named = {}
        for column in self.tables[table].columns.values():
            if column.references:
                named[column.name] = column
                if column.name.endswith("_id") and len(column.name) > 3:
                    named.setdefault(column.name[:-3], column)
        return named

    def relation_path(self, table: str, path: tuple[str, ...]) -> list[ColumnSpec]:
        """The foreign keys a dotted path follows from `table` (all parts but the last)."""
        hops, current = [], table
        for part, name in enumerate(path[:-1]):
            relations = self.relations(current)
            if name not in relations:
                what = f"'{name}' is not a relation of table '{current}'{did_you_mean(name, relations)}"
                raise FieldError(what + (f"; its relations are {', '.join(sorted(relations))}" if relations
                                         else "; it has no foreign keys"), part)
            hops.append(relations[name])
            current = relations[name].references
        return hops

    def related_column(self, table: str, path: tuple[str, ...]) -> Column:
        """The column a dotted path names (`owner.supervisor.region`), named by the path."""
        hops = self.relation_path(table, path)
        target = hops[-1].references if hops else table
        spec = self.tables[target].columns.get(path[-1])
        if spec is None:
            raise FieldError(f"table '{target}' (reached by '{'.'.join(path[:-1])}') has no column "
                             f"'{path[-1]}'{did_you_mean(path[-1], self.tables[target].columns)}", len(path) - 1)
        return Column(".".join(path), spec.type, spec.values)

    def case_table(self) -> str | None:
        """The table whose records the event log's cases are (e.g. deals)."""
        if not self.event_log:
            return None
        return self.tables[self.event_log.table].columns[self.event_log.case].references


def load_datamodel(path: Path, display: str | None = None) -> DataModel:
    shown = display or str(path)
    raw = load_valid(path, shown, "datamodel")
    steps = {str(k): dict(v or {}) for k, v in raw.get("steps", {}).items()}
    roles = {str(k): dict(v or {}) for k, v in raw.get("roles", {}).items()}
    tables = {name: _table(name, spec, steps, roles) for name, spec in raw["tables"].items()}
    model = DataModel(
        tables=tables, steps=steps, roles=roles, source=shown,
        event_log=EventLog(**raw["event_log"]) if "event_log" in raw else None,
        roster=Roster(**raw["roster"]) if "roster" in raw else None,
        approvals=ApprovalLog(**raw["approvals"]) if "approvals" in raw else None,
    )
    problems = _lint(model, raw, shown)
    if problems:
        raise UserError(problems)
    return model


def _table(name: str, spec: dict, steps: dict, roles: dict) -> TableSpec:
    columns = {}
    for col, cspec in spec["columns"].items():
        ctype = cspec["type"]
        values = {"step": tuple(steps), "role": tuple(roles)}.get(ctype, tuple(cspec.get("values", ())))
        columns[col] = ColumnSpec(col, ctype, values, cspec.get("references"))
    return TableSpec(name, spec["key"], columns, spec.get("dated_by"), spec.get("creation_time"))


def _lint(model: DataModel, raw: dict, shown: str) -> list[Problem]:
    problems = []

    def report(path: list, message: str) -> None:
        mark = locate(raw, path)
        problems.append(Problem(shown, mark.line, mark.col, message, "datamodel"))

    for table in model.tables.values():
        if table.key not in table.columns:
            report(["tables", table.name, "key"], f"key '{table.key}' is not a column of {table.name}")
        for setting in ("dated_by", "creation_time"):
            _lint_time_column(table, setting, report)
        for col in table.columns.values():
            if col.references and col.references not in model.tables:
                report(["tables", table.name, "columns", col.name, "references"],
                       f"unknown table '{col.references}'{did_you_mean(col.references, model.tables)}")
    for section in ("event_log", "roster", "approvals"):
        spec = raw.get(section)
        if not spec:
            continue
        if spec["table"] not in model.tables:
            report([section, "table"], f"unknown table '{spec['table']}'{did_you_mean(spec['table'], model.tables)}")
            continue
        columns = model.tables[spec["table"]].columns
        for role_name, col in spec.items():
            if role_name not in ("table", "approved_value") and col not in columns:
                report([section, role_name], f"unknown column '{col}' of {spec['table']}{did_you_mean(col, columns)}")
    return problems


def _lint_time_column(table: TableSpec, setting: str, report) -> None:
    """`dated_by` and `creation_time` name a date or time column of the table."""
    name = getattr(table, setting)
    if name is None:
        return
    column = table.columns.get(name)
    if column is None:
        report(["tables", table.name, setting],
               f"{setting} '{name}' is not a column of {table.name}{did_you_mean(name, table.columns)}")
    elif column.type not in TEMPORAL:
        report(["tables", table.name, setting],
               f"{setting} '{name}' is a {column.type} column; name a date or datetime column of {table.name}")
