"""`checker mapping init`'s proposal written as mapping YAML, with comments saying what a
person should check: headers given no field, values given no model value, the rows read,
the time zone and date formats the times suggest."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .mapping_sample import SAMPLE_ROWS, offset_zone

if TYPE_CHECKING:
    from .mapping_init import Proposal


def render(proposals: list[Proposal], source: str, timezone: str, schema: str) -> str:
    """The proposal as mapping YAML, with comments saying what to check, under its `schema`
    line (the editor's `$schema` comment)."""
    encodings = [p.encoding for p in proposals if p.table]
    encoding = max(set(encodings), key=encodings.count) if encodings else "utf-8"
    lines = [schema, "# A first mapping proposed by `checker mapping init` from the export's headers and values.",
             "# Check every line (the comments say what was not matched), then: checker validate mapping.yaml",
             f"source: {_scalar(source)}",
             '# as_of: "YYYY-MM-DD"   # the day the export was taken; without it the check judges at the latest date it holds',
             *_timezone_lines(proposals, timezone), f"encoding: {encoding}", "tables:"]
    for proposal in proposals:
        if proposal.table is None:
            lines.append(f"  # {proposal.file}: no table of the data model fits it; map it by hand or leave it out")
            continue
        lines += _table_lines(proposal, encoding)
    return "\n".join(lines) + "\n"


def _timezone_lines(proposals: list[Proposal], timezone: str) -> list[str]:
    """The zone, and what the times seen say about it: the offsets they carry, and for one
    whole-hour offset with no zone given, that offset's fixed zone."""
    offsets = sorted({o for p in proposals for shape in p.times.values() for o in shape.offsets})
    seen = f"   # the times seen carry the UTC offsets {', '.join(offsets)}" if offsets else ""
    if timezone == "UTC" and (fixed := offset_zone(set(offsets))) not in (None, "UTC"):
        return [f"timezone: {fixed}{seen}, which is this fixed zone; name the export's own zone "
                "(e.g. Asia/Shanghai) if its clock changes for summer time"]
    if timezone == "UTC" and not offsets:
        return ["timezone: UTC   # the zone the export writes its times in: set it, e.g. Asia/Shanghai"]
    return [f"timezone: {_scalar(timezone)}{seen}{'; a time written without one is read in this zone' if seen else ''}"]


def _format_lines(proposal: Proposal) -> list[str]:
    lines, formats = [], {c: t.format for c, t in proposal.times.items() if t.format}
    if formats:
        lines.append(f"    formats: {_flow(formats)}")
    for column, shape in proposal.times.items():
        if shape.also:
            lines.append(f"    # {column}: the values seen fit {', '.join(shape.also)} as well: check day and month")
        if shape.unknown is not None:
            lines.append(f"    # {column}: no date format found for values such as {_scalar(shape.unknown)}; "
                         "give one under formats: (strptime directives)")
    return lines


def _table_lines(proposal: Proposal, encoding: str) -> list[str]:
    lines = [f"  {proposal.table}:", f"    file: {_scalar(proposal.file)}"]
    if proposal.encoding != encoding:
        lines.append(f"    encoding: {proposal.encoding}")
    lines.append(f"    columns: {_flow(proposal.columns)}")
    if proposal.unmatched:
        lines.append(f"    # not matched to a field: {', '.join(proposal.unmatched)}")
    if proposal.sampled:
        lines.append(f"    # read from its first {SAMPLE_ROWS:,} rows: a value seen only later is not in the maps "
                     "below (the check reports it as an unknown value)")
    lines += _format_lines(proposal)
    if proposal.values or proposal.unknown_values:
        lines.append("    values:")
    for column, found in proposal.values.items():
        lines.append(f"      {column}: {_flow(found)}")
    for column, unknown in proposal.unknown_values.items():
        lines.append(f"      # {column}: no value of the data model found for {', '.join(unknown[:20])}"
                     f"{' …' if len(unknown) > 20 else ''}")
    return lines


# A plain scalar may not start with an indicator such as % (a date format is quoted).
_PLAIN = re.compile(r"[\w\u3400-\u9fff（）()./][\w\u3400-\u9fff（）()% ./-]*")


def _scalar(text: str) -> str:
    """text as a YAML scalar: plain when it cannot be read as anything else, else double-quoted."""
    reserved = text.lower() in ("true", "false", "yes", "no", "on", "off", "null", "~") or re.fullmatch(r"[-+]?[\d.]+(?:[eE][-+]?\d+)?", text)
    if _PLAIN.fullmatch(text) and not reserved and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(pairs: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in pairs.items()) + "}"
