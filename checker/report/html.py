"""Render a results dict as one self-contained, offline HTML report.

The page must open from a mail attachment or a file share with no network at all,
so styles, the script and the findings are inlined and a Content-Security-Policy
forbids every fetch and runs only the script whose hash it names. Data reaches the page
through autoescaped markup or JSON blocks the script reads and places as text.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .catalogue import LABELS
from .values import SEVERITIES
from .view import build_context, report_title

__all__ = ["TEMPLATE_DIR", "TEMPLATE_NAME", "environment", "html_pieces", "render_html"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "report.html.j2"
SCRIPT_NAME = "report.js"
INDEX_TEMPLATE = "index.html.j2"


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


@lru_cache(maxsize=1)
def page_script() -> tuple[Markup, str]:
    """The page's script and its CSP source: the browser runs it only while its sha256 matches."""
    text = (TEMPLATE_DIR / SCRIPT_NAME).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def render_html(results: dict, lang: str = "zh") -> str:
    """Return the complete HTML report for ``results`` in ``lang`` (a language the catalogue
    lacks reads its English labels, and the pack's texts in that language)."""
    return b"".join(html_pieces(results, lang)).decode("utf-8")


def html_pieces(results: dict, lang: str = "zh") -> list[bytes]:
    """render_html's page as UTF-8 pieces: the findings' JSON block (most of a large page) goes
    from its encoder to the file as it is, never decoded and encoded again."""
    context = build_context(results, lang)
    script, script_hash = page_script()
    findings = context["findings"]
    # The JSON blocks are escaped for a <script> element by embedded_json, not as markup; the
    # findings are put in the place the template leaves for them, marked by a text made for
    # this page (no text of the results can be it).
    place = f"\x00findings-{secrets.token_hex(16)}\x00"
    context.update(config=Markup(context["config"]), findings=Markup(place), script=script, script_hash=script_hash)
    head, _, tail = environment().get_template(TEMPLATE_NAME).render(**context).partition(place)
    return [head.encode("utf-8"), findings, tail.encode("utf-8")]


def render_index(results: dict, by: str, rows: list[dict], lang: str = "zh") -> str:
    """The index page of a split report: one row per team file, with its open violations by severity."""
    L = LABELS[lang]
    run = build_context({"run": results.get("run", {})}, lang)["run"]
    return environment().get_template(INDEX_TEMPLATE).render(
        L=L, html_lang=L["html_lang"], run=run, by_label=L[f"split_{by}"], rows=rows,
        severity_labels={sev: L[f"sev_{sev}"] for sev in SEVERITIES}, title=report_title(results, lang))
