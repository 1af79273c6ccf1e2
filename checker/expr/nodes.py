"""A checked subexpression (its type, place in the text and the closure computing it), shared by
the checker of the tree (check.py) and of its function calls (calls.py)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .runtime import Run

NOTHING = object()  # marks "no value known at compile time"


@dataclass
class Node:
    """A checked subexpression: its type, where it is in the text, and how to compute it."""

    type: str                      # boolean, number, string, datetime, duration, null, list
    run: Run
    start: int
    end: int
    label: str = ""                # declared column type, shown in messages
    kind: str = ""                 # enum/step/role of a column reference
    name: str = ""
    allowed: tuple[str, ...] = ()
    const: object = NOTHING        # value known at compile time
    items: list[Node] = field(default_factory=list)


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
