"""Render a results dict as one self-contained, offline HTML report.

The page must open from a mail attachment or a file share with no network at all,
so styles and the small filter script are inlined and a Content-Security-Policy
forbids every fetch. All data reaches the page through autoescaped markup or
data-* attributes; the script reads nothing but those and a JSON config block.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .catalogue import LANGS
from .view import build_context

__all__ = ["TEMPLATE_DIR", "TEMPLATE_NAME", "environment", "render_html"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "report.html.j2"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the report: autoescaping on everywhere, undefined values are errors."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(results: dict, lang: str = "zh") -> str:
    """Return the complete HTML report for ``results`` in ``lang`` ("zh" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return environment().get_template(TEMPLATE_NAME).render(**build_context(results, lang))
