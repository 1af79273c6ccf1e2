"""The export mapping: which file and columns each data-model table comes from, and how its
values are read. Checked for shape (checker/schemas/mapping.schema.json) and for meaning
(tables and fields exist, encodings, time zones, date formats and the as-of day are real,
files stay inside the data folder), every problem at its line and column."""
from __future__ import annotations

import codecs
import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..expr import ExprError
from ..model import DataModel
from ..problems import Problem, UserError, did_you_mean
from ..schema_check import load_valid
from ..yamlsrc import LocDict, load_file
from .derive import compile_derived, compile_filter, derived_cycle

# Spellings offered when an encoding name is not known.
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "big5", "shift_jis", "latin-1", "cp1252")


@dataclass(frozen=True)
class Mapping:
    tables: dict
    timezone: str
    encoding: str
    as_of: str | None
    source: str
    file: str
    database_env: str | None = None

    def source_of(self, table: str, col: str) -> tuple[str, str]:
        """The export file and column a data-model column comes from."""
        if table not in self.tables:
            return table, col
        tmap = self.tables[table]
        return tmap["file"], next((e for e, c in tmap["columns"].items() if c == col), col)


def load_mapping(path: Path, model: DataModel, display: str | None = None) -> Mapping:
    """The mapping at path, or UserError (exit 2) listing every problem in it."""
    shown = display or str(path)
    raw = load_valid(path, shown, "mapping")
    problems = mapping_problems(raw, model, shown)
    if problems:
        raise UserError(problems)
    as_of = raw.get("as_of")
    # A table read by a query is named after it wherever a file name would be shown.
    tables = {name: spec if "file" in spec else {**spec, "file": f"{name} (query)"} for name, spec in raw["tables"].items()}
    return Mapping(tables, raw.get("timezone", "UTC"), raw.get("encoding", "utf-8-sig"),
                   None if as_of is None else str(as_of), raw.get("source", path.parent.name), shown,
                   raw.get("database_env"))



def mapping_problems(raw: LocDict, model: DataModel, shown: str) -> list[Problem]:
    """What is wrong in a schema-valid mapping, beyond its shape."""
    problems = _top_level_problems(raw, shown)
    for table, spec in raw["tables"].items():
        if table not in model.tables:
            mark = raw["tables"].key_mark(table)
            problems.append(Problem(shown, mark.line, mark.col, f"unknown table '{table}' of the data model"
                                    f"{did_you_mean(table, model.tables)}", "unknown-table"))
            continue
        problems += _table_problems(spec, model.tables[table], shown)
        if "query" in spec and "database_env" not in raw:
            problems.append(_at(spec, "query", shown, f"table '{table}' is read by a query, but the mapping names no "
                                "database: add database_env: NAME, the environment variable holding its URL"))
    return problems


def _top_level_problems(raw: LocDict, shown: str) -> list[Problem]:
    checks = (("timezone", timezone_problem), ("encoding", _encoding_problem), ("as_of", _day_problem))
    return [_at(raw, key, shown, message) for key, check in checks
            if key in raw and (message := check(raw[key]))]


def _table_problems(spec: LocDict, table, shown: str) -> list[Problem]:
    problems = []
    if "file" in spec and (message := _file_problem(spec["file"])):
        problems.append(_at(spec, "file", shown, message))
    if "encoding" in spec and (message := _encoding_problem(spec["encoding"])):
        problems.append(_at(spec, "encoding", shown, message))
    for export_col, col in spec["columns"].items():
        if col not in table.columns:
            problems.append(_at(spec["columns"], export_col, shown, f"unknown field '{col}' of {table.name}"
                                f"{did_you_mean(col, table.columns)}", "unknown-field"))
    for section in ("values", "formats", "numbers", "ranges", "defaults", "derived"):
        for col in spec.get(section, {}):
            if col not in table.columns:
                mark = spec[section].key_mark(col)
                problems.append(Problem(shown, mark.line, mark.col, f"unknown field '{col}' of {table.name}"
                                        f"{did_you_mean(col, table.columns)}", "unknown-field"))
    for col, fmt in spec.get("formats", {}).items():
        if message := _format_problem(fmt):
            problems.append(_at(spec["formats"], col, shown, message))
    return problems + _derived_problems(spec, table, shown) + _filter_problems(spec, table, shown)


def _derived_problems(spec: LocDict, table, shown: str) -> list[Problem]:
    derived, problems, uses = spec.get("derived", {}), [], {}
    for col, text in derived.items():
        if col not in table.columns:
            continue   # reported with the other unknown fields
        if col in spec["columns"].values():
            problems.append(_at(derived, col, shown, f"field '{col}' is both read from a column and derived; "
                                "remove it from columns or from derived"))
            continue
        compiled = _compiled(lambda: compile_derived(text, table, col, None), derived, col, shown, problems)
        if compiled is not None:
            uses[col] = compiled.columns & set(derived)
    if cycle := derived_cycle(uses):
        problems.append(_at(derived, cycle[0], shown, f"derived fields use each other in a cycle: {' -> '.join(cycle)}; "
                            "compute one of them from the fields read instead"))
    return problems


def _filter_problems(spec: LocDict, table, shown: str) -> list[Problem]:
    problems = []
    if "where" in spec:
        _compiled(lambda: compile_filter(spec["where"], table, None), spec, "where", shown, problems)
    return problems


def _compiled(compile_it, node: LocDict, key: str, shown: str, problems: list[Problem]):
    """The compiled expression at node[key], or None with its problem added at its character."""
    try:
        return compile_it()
    except ExprError as exc:
        line, col = node.value_mark(key).point(exc.offset, node[key])
        problems.append(Problem(shown, line, col, f"bad expression: {exc.message}", "bad-expression"))
        return None


def _at(node: LocDict, key: str, shown: str, message: str, code: str = "invalid-value") -> Problem:
    mark = node.value_mark(key)
    return Problem(shown, mark.line, mark.col, message, code)


def timezone_problem(name: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(name)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return (f"unknown time zone '{name}'{did_you_mean(name, _zone_names())}; "
                "use an IANA name such as Asia/Shanghai or UTC")


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _encoding_problem(name: str) -> str | None:
    try:
        codecs.lookup(name)
        return None
    except LookupError:
        return f"unknown encoding '{name}'{did_you_mean(name, _ENCODINGS)}; use e.g. utf-8, utf-8-sig or gb18030"


def _day_problem(day) -> str | None:
    try:
        dt.date.fromisoformat(str(day))
        return None
    except ValueError:
        return f"as_of '{day}' is not a calendar day; use YYYY-MM-DD"


def _format_problem(fmt: str) -> str | None:
    # strptime checks the directives before it looks at the text, so an empty text tells them apart.
    try:
        dt.datetime.strptime("", fmt)
    except ValueError as exc:
        if "does not match format" not in str(exc):
            return f"date format '{fmt}' cannot be used ({exc}); use strptime directives such as %Y-%m-%d %H:%M"
    return None


def _file_problem(name: str) -> str | None:
    """A file must be named relative to the data folder and stay inside it."""
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.drive or ".." in pure.parts:
            return (f"file '{name}' is outside the data folder; "
                    "name export files relative to the data folder, without '..'")
    return None


def is_mapping_file(path: Path) -> bool:
    """A YAML file whose top-level `tables:` name a `file:` each: what `checker validate` checks
    as a mapping (a data model has tables too, but no files). One that does not load as YAML is
    left to the rule-file checks, which report why."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        raw = load_file(path)
    except UserError:
        return False
    tables = raw.get("tables") if isinstance(raw, dict) else None
    return isinstance(tables, dict) and bool(tables) and \
        all(isinstance(t, dict) and ("file" in t or "query" in t) for t in tables.values())


def mapping_file_problems(path: Path, model: DataModel, shown: str) -> list[Problem]:
    """What `checker validate` reports for a mapping file (nothing when it is valid)."""
    try:
        load_mapping(path, model, shown)
    except UserError as exc:
        return exc.problems or [Problem(shown, 1, 1, str(exc))]
    return []
