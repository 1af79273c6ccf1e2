"""The report's label catalogue: complete in both languages, and in step with the template and code."""
from __future__ import annotations

import ast
import fnmatch
import re
import string
import tomllib
from pathlib import Path

import pytest
from jinja2 import nodes

from checker.report.catalogue import CATALOGUE, LABELS, LANGS, load_labels
from checker.report.html import INDEX_TEMPLATE, SCRIPT_NAME, TEMPLATE_NAME, environment
from checker.report.data import STATUSES
from checker.report.evidence import KIND_EVIDENCE, STEP_SUFFIXES
from checker.report.split import SPLITS
from checker.report.summaries import DATA_QUALITY_KINDS
from checker.report.values import SEVERITIES

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "checker" / "report"
TEMPLATES = (TEMPLATE_NAME, INDEX_TEMPLATE)


def template_labels() -> set[str]:
    """Every L.<key> and L["<key>"] the templates read."""
    used: set[str] = set()
    for name in TEMPLATES:
        source = environment().loader.get_source(environment(), name)[0]
        tree = environment().parse(source)
        used |= {n.attr for n in tree.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "L"}
        used |= {n.arg.value for n in tree.find_all(nodes.Getitem)
                 if isinstance(n.node, nodes.Name) and n.node.name == "L" and isinstance(n.arg, nodes.Const)}
    return used


def code_labels() -> tuple[set[str], set[str]]:
    """Keys the report code reads as L["key"] or LABELS[lang]["key"], and prefixes it reads as L[f"prefix{...}"]."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in REPORT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Subscript) and _is_label_table(node.value)):
                continue
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                keys.add(node.slice.value)
            elif isinstance(node.slice, ast.JoinedStr) and isinstance(node.slice.values[0], ast.Constant):
                prefixes.add(node.slice.values[0].value)
    return keys, prefixes


def _is_label_table(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "L") or (
        isinstance(node, ast.Attribute) and node.attr == "L") or (
        isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "LABELS")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_catalogue_has_exactly_the_report_languages() -> None:
    import yaml
    assert set(yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))) == set(LANGS)
    assert load_labels() == LABELS


@pytest.mark.parametrize("lang,other", [("zh", "en"), ("en", "zh")])
def test_every_label_exists_in_the_other_language(lang: str, other: str) -> None:
    assert sorted(set(LABELS[lang]) - set(LABELS[other])) == []


def test_no_label_is_empty() -> None:
    assert [(lang, key) for lang in LANGS for key, text in LABELS[lang].items() if not text.strip()] == []


def test_both_languages_fill_in_the_same_placeholders() -> None:
    differ = [key for key in LABELS["en"] if placeholders(LABELS["en"][key]) != placeholders(LABELS["zh"][key])]
    assert differ == []


def test_the_template_uses_only_catalogue_labels() -> None:
    used = template_labels()
    assert used, "the label references of the template were not found"
    assert sorted(used - set(LABELS["en"])) == []


def test_the_report_code_uses_only_catalogue_labels() -> None:
    keys, prefixes = code_labels()
    assert keys and prefixes == {"sev_", "status_", "dq_", "split_", "ev_"}
    assert sorted(keys - set(LABELS["en"])) == []
    assert sorted({f"sev_{sev}" for sev in SEVERITIES} - set(LABELS["en"])) == []
    assert sorted({f"status_{status}" for status in STATUSES} - set(LABELS["en"])) == []
    assert sorted({f"dq_{kind}" for kind in DATA_QUALITY_KINDS} - set(LABELS["en"])) == []
    assert sorted({f"split_{by}" for by in SPLITS} - set(LABELS["en"])) == []
    assert sorted({f"ev_{name}" for name in (*KIND_EVIDENCE, *STEP_SUFFIXES)} - set(LABELS["en"])) == []


def test_every_catalogue_label_is_used() -> None:
    keys, prefixes = code_labels()
    used = template_labels() | keys
    unused = [key for key in LABELS["en"] if key not in used and not key.startswith(tuple(prefixes))]
    assert unused == []


def test_the_catalogue_and_template_ship_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["checker"]
    for path in (CATALOGUE, *(REPORT / "templates" / name for name in (*TEMPLATES, SCRIPT_NAME, "report.css"))):
        relative = path.relative_to(ROOT / "checker").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_template_has_no_text_of_its_own() -> None:
    """Words a reader sees come from the catalogue; the markup carries none in either language."""
    for name in TEMPLATES:
        source = (REPORT / "templates" / name).read_text(encoding="utf-8")
        body = source[source.index("<body>"):source.find("<script") if "<script" in source else None]
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>", " ", body, flags=re.S)
        assert re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", text) == [], name
