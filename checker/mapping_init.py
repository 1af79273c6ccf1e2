"""`checker mapping init FILE...`: a first mapping for a new export, for a person to check.

Each file is matched to the data-model table its name and headers fit best; each header to the
field it names (the field's own name, or a word for it in the pack's mapping-words.yaml;
"<record> ID" headers to the table's key or to the field referring to that record's table);
values of step, role and enum fields to the model's values (their labels in the pack's
languages, or a word for them). Value samples decide between fields: a header whose values are not times is not
given to a time field. Only the first rows of each file are read (mapping_sample.py); the
date formats and UTC offsets of their times are proposed too. What is not matched is
written as a comment, never guessed."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from .init import schema_line
from .languages import DEFAULT_LANGUAGES, declared_languages, in_languages
from .load.coerce import plain_label
from .load.mapping import timezone_problem
from .mapping_render import render
from .mapping_sample import SAMPLE_ROWS, TimeShape, detect_encoding, read_sample, time_shape
from .model import DataModel, TableSpec, load_datamodel
from .problems import UserError, shown_path
from .schema_check import load_valid

_LABELS = ("enum", "step", "role")
_FIT_SAMPLES = 500     # values that decide whether a header's values could be a field's type
# Endings of a header naming a record by its key: 客户编号, Customer ID.
ID_WORDS = ["编号", "编码", "代码", "号", "id", "no", "code", "number"]
WORDS_FILE = "mapping-words.yaml"


@dataclass(frozen=True)
class ExportWords:
    """The words a company's exports use for its data model's tables, fields and enum values
    (the pack's mapping-words.yaml; none when the pack has no such file)."""

    tables: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)


def load_words(rules_dir: Path) -> ExportWords:
    path = rules_dir / WORDS_FILE
    if not path.exists():
        return ExportWords()
    raw = load_valid(path, shown_path(path), "mapping-words", empty={})
    return ExportWords(**{part: {k: list(v) for k, v in raw.get(part, {}).items()} for part in ("tables", "fields", "values")})


@dataclass
class Proposal:
    file: str
    encoding: str
    table: str | None = None
    columns: dict[str, str] = field(default_factory=dict)          # header -> field
    unmatched: list[str] = field(default_factory=list)              # headers given no field
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    unknown_values: dict[str, list[str]] = field(default_factory=dict)
    times: dict[str, TimeShape] = field(default_factory=dict)     # field -> how its times are written
    sampled: bool = False                                           # the file has more rows than were read


def run(args) -> int:
    """`checker mapping init FILE... [--rules DIR] [--timezone TZ] [--out FILE]`."""
    if message := timezone_problem(args.timezone):
        raise UserError(f"--timezone: {message}", exit_code=2)
    model = load_datamodel(args.rules / "datamodel.yaml")
    paths = [Path(p) for p in args.files]
    folder = Path(os.path.commonpath([p.resolve().parent for p in paths]))
    words, languages = load_words(args.rules), declared_languages(args.rules)
    proposals = propose([p.resolve() for p in paths], folder, model, words, languages)
    schema = schema_line("mapping", Path.cwd() if args.out is None else args.out.resolve().parent, args.rules)
    text = render(proposals, folder.name, args.timezone, schema)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    if args.out.exists():
        raise UserError(f"--out '{shown_path(args.out)}' exists; give a new file name, so no mapping is overwritten",
                        exit_code=2)
    args.out.write_text(text, "utf-8")
    print(f"{shown_path(args.out)}: proposed a mapping for {len(paths)} files; check it, then run "
          f"checker validate {shown_path(args.out)}")
    return 0


def propose(paths: list[Path], folder: Path, model: DataModel, words: ExportWords = ExportWords(),
            languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> list[Proposal]:
    """One proposal per file, each table given to at most one file (the best fitting); the
    model's labels in `languages` (the pack's) name its values."""
    read = []
    for path in paths:
        encoding = detect_encoding(path)
        read.append((path, encoding, read_sample(path, encoding, SAMPLE_ROWS + 1)))
    fits = sorted(((_table_fit(path, table.column_names, model.tables[name], words), i, name)
                   for i, (path, _, table) in enumerate(read) for name in model.tables), reverse=True)
    chosen: dict[int, str] = {}
    for score, i, name in fits:
        if score > 0 and i not in chosen and name not in chosen.values():
            chosen[i] = name
    proposals = []
    for i, (path, encoding, table) in enumerate(read):
        proposal = Proposal(path.relative_to(folder).as_posix(), encoding, chosen.get(i), sampled=table.num_rows > SAMPLE_ROWS)
        table = table.slice(0, SAMPLE_ROWS)
        if proposal.table is not None:
            _match_columns(proposal, table, model.tables[proposal.table], model, words)
            _match_values(proposal, table, model, words, languages)
            _match_times(proposal, table, model.tables[proposal.table])
        else:
            proposal.unmatched = list(table.column_names)
        proposals.append(proposal)
    order = list(model.tables)
    return sorted(proposals, key=lambda p: (order.index(p.table) if p.table else len(order), p.file))


def _normal(text: str) -> str:
    """A header or word compared without case, units in brackets or separators: 金额(元) -> 金额."""
    text = re.sub(r"[(（][^)）]*[)）]", "", text).strip().lower()
    return re.sub(r"[\s_\-]+", " ", text)


def _words(column: str, words: ExportWords) -> list[str]:
    return [_normal(w) for w in [column, column.replace("_", " "), *words.fields.get(column, [])]]


def _header_score(header: str, column: str, spec: TableSpec, model: DataModel, words: ExportWords) -> float:
    """How well a header names a field: 3 and more for its own name or an exact word, 2 and
    more for a word it contains (longer words count more), 0 for none."""
    name = _normal(header)
    id_score = _id_score(name, column, spec, model, words)
    named = _words(column, words)
    if name in named:
        return max(3 + len(name) / 100, id_score)
    contained = [w for w in named if len(w) >= 2 and w in name]
    return max(2 + max(map(len, contained)) / 100 if contained else 0, id_score)


def _id_score(name: str, column: str, spec: TableSpec, model: DataModel, words: ExportWords) -> float:
    """Headers naming a record's ID (客户编号, Account ID): the table's own records' ID is its
    key; another table's is the field that refers to that table (the one named after it first)."""
    suffix = next((w for w in ID_WORDS if name.endswith(w)), None)
    if suffix is None:
        return 0
    entity = name[: -len(suffix)].strip()
    table = next((t for t in model.tables if entity in [_normal(w) for w in _table_words(t, words)]), None)
    if table in (None, spec.name):
        return (3.5 if table == spec.name else 2.2) if column == spec.key else 0
    refers = spec.columns[column].references == table
    named = column.removesuffix("_id") in _table_words(table, words)
    return (3.5 if named else 2.5) if refers else 0


def _table_words(table: str, words: ExportWords) -> list[str]:
    return [*words.tables.get(table, []), table, table.removesuffix("s")]


def _samples(table, header: str) -> list[str]:
    values = table.column(header).to_pylist()
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _values_fit(samples: list[str], kind: str) -> bool:
    """Whether a header's values could be the field's type (an empty column could be anything)."""
    if not samples or kind not in ("date", "datetime", "number", "integer"):
        return True
    samples = samples[:_FIT_SAMPLES]
    if kind in ("number", "integer"):
        parsed = pd.to_numeric(pd.Series([re.sub(r"[,¥%元\s]", "", s) for s in samples]), errors="coerce")
    else:
        # utc: an export's times may carry different offsets (summer time), which pandas otherwise refuses.
        parsed = pd.to_datetime(pd.Series(samples), errors="coerce", format="mixed", utc=True)
    return parsed.notna().mean() >= 0.5


def _table_fit(path: Path, headers: list[str], spec: TableSpec, words: ExportWords) -> float:
    """A file's fit to a table: its name, and how many of its headers name one of the table's fields."""
    stem = _normal(path.stem)
    named = any(_normal(w) in stem for w in _table_words(spec.name, words))
    return (3 if named else 0) + sum(max((_plain_header_score(h, c, words) for c in spec.columns), default=0)
                                     for h in headers)


def _plain_header_score(header: str, column: str, words: ExportWords) -> float:
    name = _normal(header)
    named = _words(column, words)
    return 1.0 if name in named or any(len(w) >= 2 and w in name for w in named) else 0.0


def _match_columns(proposal: Proposal, table, spec: TableSpec, model: DataModel, words: ExportWords) -> None:
    scored = []
    for header in table.column_names:
        samples = _samples(table, header)
        for column, cspec in spec.columns.items():
            score = _header_score(header, column, spec, model, words)
            if score >= 2 and _values_fit(samples, cspec.type):
                scored.append((score, header, column))
    for score, header, column in sorted(scored, reverse=True):
        if header not in proposal.columns and column not in proposal.columns.values():
            proposal.columns[header] = column
    proposal.unmatched = [h for h in table.column_names if h not in proposal.columns]
    # The file's order, so the mapping reads as the export does.
    proposal.columns = {h: proposal.columns[h] for h in table.column_names if h in proposal.columns}


def _match_values(proposal: Proposal, table, model: DataModel, words: ExportWords,
                  languages: tuple[str, ...]) -> None:
    spec = model.tables[proposal.table]
    for header, column in proposal.columns.items():
        cspec = spec.columns[column]
        if cspec.type not in _LABELS:
            continue
        names = _value_names(cspec, model, words, languages)
        found, unknown = {}, []
        for value in sorted(v for v in pc.unique(table.column(header)).to_pylist() if v is not None and str(v).strip()):
            value = str(value).strip()
            if value in cspec.values or plain_label(value) in cspec.values:
                continue
            label = _label_for(value, names)
            if label:
                found[value] = label
            else:
                unknown.append(value)
        if found:
            proposal.values[column] = found
        if unknown:
            proposal.unknown_values[column] = unknown


def _match_times(proposal: Proposal, table, spec: TableSpec) -> None:
    for header, column in proposal.columns.items():
        if spec.columns[column].type in ("date", "datetime"):
            proposal.times[column] = time_shape(_samples(table, header))


def _value_names(cspec, model: DataModel, words: ExportWords, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """The words export values may use for each of a label field's values: its labels in the
    pack's languages (where one lacks a language, read as languages.in_languages does), then
    the pack's words for it."""
    named = model.steps if cspec.type == "step" else model.roles if cspec.type == "role" else {}
    return {v: list(dict.fromkeys(w for w in [*_labels(named.get(v), languages), *words.values.get(v, [])] if w))
            for v in cspec.values}


def _labels(label: dict | None, languages: tuple[str, ...]) -> list[str]:
    texts = {k: v for k, v in (label or {}).items() if isinstance(v, str)}
    return [in_languages(texts, languages)[lang] for lang in languages] if texts else []


def _label_for(value: str, names: dict[str, list[str]]) -> str | None:
    """The model value a value names exactly, else the one whose longest word it contains."""
    exact = [v for v, words in names.items() if value in words]
    if exact:
        return exact[0]
    contained = sorted(((len(w), v) for v, words in names.items() for w in words if w in value), reverse=True)
    return contained[0][1] if contained else None
