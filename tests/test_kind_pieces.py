"""What every check kind must have, and that nothing outside a kind's own pieces names it.

A kind is one module in checker/kinds/ plus its test pieces, found by name: its cases
(tests/kinds/<kind>.yaml), its reference (tests/reference/<module>.py), its section in the
generated docs/rules.md and its fragment in the generated checker/schemas/rules.schema.json.
A kind that lacks a piece fails here with the list of what is missing, so a misnamed or
forgotten file cannot be skipped silently."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import yaml

import reference
from checker.explain import OPTION, need_meaning
from checker.kinds import KINDS
from checker.kinds._common import REASONS as SHARED_REASONS
from checker.rules import rule_schema
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "kinds"
RULES_MD = ROOT / "docs" / "rules.md"
RULES_SCHEMA = ROOT / "checker" / "schemas" / "rules.schema.json"
REGENERATE = ('python -c "import json; from checker.rules import rule_schema; '
              'print(json.dumps(rule_schema(), indent=2, ensure_ascii=False))" > checker/schemas/rules.schema.json')
MIN_CASES = 5
ATTRIBUTES = ("KIND", "SCHEMA", "MESSAGES", "REASONS", "NEEDS", "EXAMPLE", "validate", "evaluate")
LANGUAGES = ("zh", "en")


# ---------------------------------------------------------------- every piece, by name


def _missing_attributes(module: ModuleType) -> list[str]:
    return [f"module attribute {name}" for name in ATTRIBUTES if not hasattr(module, name)]


def _bilingual_problems(texts: object, what: str) -> list[str]:
    if not isinstance(texts, dict):
        return [f"{what} as a dict {{code: {{zh, en}}}}"]
    return [f"{what} '{code}' in {lang}" for code, text in texts.items() for lang in LANGUAGES
            if not (isinstance(text, dict) and isinstance(text.get(lang), str) and text[lang].strip())]


def _needs_problems(module: ModuleType) -> list[str]:
    needs = getattr(module, "NEEDS", ())
    if not needs:
        return ["NEEDS naming at least one thing the kind reads"]
    options = set(getattr(module, "SCHEMA", {}).get("properties", {}))
    return [f"a known NEEDS entry instead of '{entry}'" for entry in needs
            if need_meaning(entry) is None or (entry.startswith(OPTION) and entry.removeprefix(OPTION) not in options)]


def _example_problems(kind: str, module: ModuleType) -> list[str]:
    try:
        rule = yaml.safe_load(getattr(module, "EXAMPLE", "") or "")
    except yaml.YAMLError as exc:
        return [f"an EXAMPLE that is YAML ({exc})"]
    if not (isinstance(rule, dict) and set(rule.get("check", {})) == {kind} and rule.get("tests")):
        return [f"an EXAMPLE that is one rule with a '{kind}' check and tests"]
    return []


def _docstring_problems(module: ModuleType) -> list[str]:
    first = (module.__doc__ or "").strip().splitlines()[:1]
    return [] if first and first[0].strip() else ["a docstring whose first line is the finding message"]


def _file_problems(kind: str, module: ModuleType) -> list[str]:
    problems = []
    cases = CASES_DIR / f"{kind}.yaml"
    count = len(load_file(cases) or []) if cases.exists() else 0
    if count < MIN_CASES:
        problems.append(f"{cases.relative_to(ROOT)} with at least {MIN_CASES} cases (has {count})")
    if reference.reference_of(module) is None:
        problems.append(f"its reference {reference.file_of(module).relative_to(ROOT)}")
    if f"### `{kind}`\n" not in RULES_MD.read_text("utf-8"):
        problems.append(f"its section in {RULES_MD.relative_to(ROOT)} (python -m checker.docs > docs/rules.md)")
    fragments = json.loads(RULES_SCHEMA.read_text("utf-8"))["properties"]["rules"]["items"]["properties"]["check"]
    if fragments["properties"].get(kind) != getattr(module, "SCHEMA", None):
        problems.append(f"its current fragment in {RULES_SCHEMA.relative_to(ROOT)} ({REGENERATE})")
    return problems


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_every_piece(kind):
    module = KINDS[kind]
    missing = (_missing_attributes(module) + _bilingual_problems(getattr(module, "MESSAGES", None), "message")
               + _bilingual_problems(getattr(module, "REASONS", None), "not-evaluable reason")
               + _needs_problems(module) + _example_problems(kind, module) + _docstring_problems(module)
               + _file_problems(kind, module))
    if getattr(module, "KIND", kind) != kind:
        missing.append(f"KIND equal to its registered name '{kind}'")
    if not getattr(module, "MESSAGES", None):
        missing.append("at least one message")
    assert not missing, f"check kind '{kind}' ({module.__name__}) lacks:\n  " + "\n  ".join(missing)


def test_shared_reasons_are_bilingual():
    assert not _bilingual_problems(SHARED_REASONS, "shared not-evaluable reason")


def test_kind_reasons_do_not_hide_shared_ones():
    clashes = {kind: sorted(set(m.REASONS) & set(SHARED_REASONS)) for kind, m in KINDS.items()}
    assert not any(clashes.values()), f"kinds reuse shared reason codes with their own texts: {clashes}"


# ---------------------------------------------------------------- the pieces in detail


def _objects(schema: object, path: str = "SCHEMA"):
    """Every sub-schema that describes an object, with where it sits."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield path, schema
        for key, value in schema.items():
            yield from _objects(value, f"{path}.{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _objects(value, f"{path}[{i}]")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_forbids_unknown_keys(kind):
    schema = KINDS[kind].SCHEMA
    for path, sub in _objects(schema):
        assert sub.get("additionalProperties") is False, f"{kind}: {path} must set additionalProperties: false"
    spec = yaml.safe_load(KINDS[kind].EXAMPLE)["check"][kind]
    jsonschema.validate(spec, schema)
    if isinstance(spec, dict):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**spec, "unknown_option": 1}, schema)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_docstring_opens_with_a_sentence(kind):
    doc = KINDS[kind].__doc__ or ""
    lines = doc.splitlines()
    assert lines and lines[0].strip(), f"{kind}: the docstring must open with the finding message"
    first = lines[0].strip()
    assert first.endswith("."), f"{kind}: docstring first line must be a sentence ending in '.': {first!r}"
    # A message may open with a quoted step placeholder: '{then}' happened ...
    assert first[0].isupper() or first[0] in "'\"{", f"{kind}: docstring first line must start a sentence: {first!r}"
    assert re.search(r"[a-z]{2,} [a-z]{2,}", first), f"{kind}: docstring first line has no words: {first!r}"
    assert len(lines) > 2 and not lines[1].strip() and lines[2].strip(), \
        f"{kind}: the finding message must be followed by a blank line and the exact semantics"


def test_rules_schema_file_is_current():
    on_disk = json.loads(RULES_SCHEMA.read_text(encoding="utf-8"))
    assert on_disk == rule_schema(), \
        f"{RULES_SCHEMA.relative_to(ROOT)} is stale; regenerate it from the repository root with:\n{REGENERATE}"


# ---------------------------------------------------------------- nothing else names a kind

# The engine outside checker/kinds/, and the shared test machinery of the kinds: adding a
# kind must not need an edit in any of them. Generated files are left out (they list every kind),
# and so is the skeleton of `checker init`, a pack like rules/ whose example rule uses a kind.
GENERIC = [*(p for p in (ROOT / "checker").rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".html", ".js")
             and not {"kinds", "skeleton"} & set(p.relative_to(ROOT / "checker").parts)),
           *(ROOT / "tests" / name for name in ("test_kinds.py", "test_kinds_reference.py", "test_kind_pieces.py",
                                                "test_explain.py")),
           *(Path(reference.__file__).parent / f"{name}.py" for name in sorted(reference.SHARED)),
           *(ROOT / "tests" / "pack").rglob("*.yaml")]


def _naming(kind: str, python: bool) -> re.Pattern:
    """A kind named in code or data: as a quoted string, a YAML key, or (for a name with an
    underscore, which is no English word) anywhere as a word. In Python, a quoted word used as
    a key of a mapping ({"count": 0}, row["count"]) is that word, not the kind."""
    name = re.escape(kind)
    quoted = rf"""(?<!\[)(["'`]){name}\1(?!\s*:)|KINDS\[(["']){name}\2\]""" if python \
        else rf"""(["'`]){name}\1|^\s*{name}\s*:"""
    return re.compile(quoted + (rf"|\b{name}\b" if "_" in kind else ""), re.MULTILINE)


def test_no_generic_file_names_a_kind():
    found = [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: '{kind}'"
             for path in GENERIC for text in [path.read_text("utf-8", errors="replace")]
             for kind in KINDS for match in _naming(kind, path.suffix == ".py").finditer(text)]
    assert not found, "a kind is named outside its own pieces (read it from checker.kinds.KINDS instead):\n  " \
                      + "\n  ".join(found)
