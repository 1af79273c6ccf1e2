"""Numbers written the way an export writes them, as the mapping declares per column:

    numbers:
      amount: {thousands: ",", decimal: ".", currency: ["¥", "元"], scale: {万: 10000}, negative: parentheses}

reads `¥1,234.50` as 1234.5, `3.5万` as 35000 and `(1,000)` as -1000. All of it is arrow
compute over the whole column; a cell that still is not a number afterwards becomes null."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc


def _shape(thousands: str, decimal: str) -> str:
    fraction = f"({re.escape(decimal)}\\d+)?"
    whole = f"(\\d{{1,3}}({re.escape(thousands)}\\d{{3}})+|\\d+)" if thousands else r"\d+"
    return f"^[+-]?{whole}{fraction}$"


def parse_numbers(text: pa.ChunkedArray, fmt: dict) -> pa.ChunkedArray:
    """text (trimmed, empty cells null) as float64 through the declared format."""
    for symbol in fmt.get("currency", []):
        text = pc.replace_substring(text, symbol, "")
    text = pc.utf8_trim_whitespace(text)
    negative = pc.fill_null(pc.match_substring_regex(text, r"^\(.*\)$"), False) \
        if fmt.get("negative") == "parentheses" else None
    if negative is not None:
        text = pc.replace_substring_regex(text, r"^\((.*)\)$", r"\1")
    factor = pa.chunked_array([pa.array([1.0] * len(text))]) if len(text) else pa.chunked_array([], pa.float64())
    for suffix, times in sorted(fmt.get("scale", {}).items(), key=lambda s: -len(s[0])):
        ends = pc.fill_null(pc.ends_with(text, suffix), False)
        factor = pc.if_else(ends, pc.multiply(factor, float(times)), factor)
        text = pc.replace_substring_regex(text, re.escape(suffix) + "$", "")
    text = pc.utf8_trim_whitespace(text)
    # Separators must group by three, so a number in another convention (1,234.50 read with
    # "." for thousands) is unreadable rather than misread as 1.2345.
    readable = pc.fill_null(pc.match_substring_regex(text, _shape(fmt.get("thousands", ""), fmt.get("decimal", "."))),
                            False)
    if fmt.get("thousands"):
        text = pc.replace_substring(text, fmt["thousands"], "")
    if fmt.get("decimal", ".") != ".":
        text = pc.replace_substring(text, fmt["decimal"], ".")
    numbers = pc.multiply(pc.cast(pc.if_else(readable, text, pa.scalar(None, text.type)), pa.float64()), factor)
    return pc.if_else(negative, pc.negate(numbers), numbers) if negative is not None else numbers
