"""Consistency checks for the policy files under policy/.

* every policy/*.yaml file validates against checker/schemas/policy.schema.json;
* clause ids are unique across files and belong to their file's chapter;
* the Chinese text of every ``source: seed`` clause is copied verbatim from the
  policy document in policy/seed/, and every substantive line of that document is
  covered by a seed clause;
* drafted clauses name their thresholds as ``{param}`` placeholders that are listed
  in ``params`` and defined in rules/params.yaml, and contain no numbers of their own.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "policy"
SCHEMA_PATH = ROOT / "checker" / "schemas" / "policy.schema.json"
SEED_PATH = POLICY_DIR / "seed" / "sales-policy.zh.txt"
PARAMS_PATH = ROOT / "rules" / "params.yaml"

POLICY_FILES = sorted(POLICY_DIR.glob("*.yaml"))
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
CLAUSE_REF = re.compile(r"\d+(?:\.\d+)+")  # cross-references such as 2.2.1.4
MIN_SUBSTANTIVE_LEN = 12


def _load_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _schema() -> dict:
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def _seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def _docs() -> dict[str, dict]:
    return {p.name: _load_yaml(p) for p in POLICY_FILES}


def _clauses() -> list[tuple[str, dict]]:
    return [(name, c) for name, doc in _docs().items() for c in doc["clauses"]]


def _clause_id(item):
    return item[1]["id"] if isinstance(item, tuple) else None


def _seed_lines_of_substance() -> list[str]:
    lines = [ln.strip() for ln in _seed_text().splitlines()]
    # The first line is the document title, not policy content.
    body = lines[1:]
    out = []
    for ln in body:
        # A stray character before a chapter heading ("?##一、总则") still makes it a heading.
        if ln.lstrip("?\ufeff").startswith("##"):
            continue
        if len(ln) > MIN_SUBSTANTIVE_LEN:
            out.append(ln)
    return out


def test_policy_files_exist():
    names = [p.name for p in POLICY_FILES]
    assert names, "no policy/*.yaml files found"
    for expected in ("01-general.yaml", "02-organisation.yaml", "03-sales-process.yaml"):
        assert expected in names


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(_schema())


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_policy_file_matches_schema(path: Path):
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(_load_yaml(path)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{path.name}: /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


def test_chapter_ids_unique():
    ids = [doc["chapter"]["id"] for doc in _docs().values()]
    assert len(ids) == len(set(ids)), f"duplicate chapter ids: {ids}"


def test_clause_ids_unique_across_files():
    seen: dict[str, str] = {}
    dups = []
    for name, clause in _clauses():
        cid = clause["id"]
        if cid in seen:
            dups.append(f"{cid} in {seen[cid]} and {name}")
        seen[cid] = name
    assert not dups, "duplicate clause ids: " + "; ".join(dups)


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_ids_belong_to_chapter(path: Path):
    doc = _load_yaml(path)
    chapter = doc["chapter"]["id"]
    clause_ids = [c["id"] for c in doc["clauses"]]
    for cid in clause_ids:
        assert cid.startswith(chapter + "."), f"{path.name}: clause {cid} is outside chapter {chapter}"
    for section in doc["chapter"].get("sections", []):
        sid = section["id"]
        assert sid.startswith(chapter + "."), f"{path.name}: section {sid} is outside chapter {chapter}"
        assert any(cid.startswith(sid + ".") for cid in clause_ids), (
            f"{path.name}: section {sid} has no clauses"
        )
        assert sid not in clause_ids, f"{path.name}: {sid} is both a section and a clause"


@pytest.mark.parametrize(
    "item", [c for c in _clauses() if c[1]["source"] == "seed"], ids=_clause_id
)
def test_seed_clause_text_is_verbatim(item):
    name, clause = item
    zh = clause["text"]["zh"]
    assert zh in _seed_text(), (
        f"{name}: clause {clause['id']}: zh text is not a verbatim extract of {SEED_PATH.name}"
    )


def test_section_titles_come_from_seed():
    seed = _seed_text()
    for name, doc in _docs().items():
        for section in doc["chapter"].get("sections", []):
            assert section["title"]["zh"] in seed, (
                f"{name}: section {section['id']} title {section['title']['zh']!r} is not in the seed"
            )


@pytest.mark.parametrize("line", _seed_lines_of_substance())
def test_seed_line_is_covered(line: str):
    texts = [c["text"]["zh"] for _, c in _clauses() if c["source"] == "seed"]
    assert any(line in t or t in line for t in texts), f"seed line not covered by any clause: {line}"


def test_incomplete_only_on_seed_clauses():
    for name, clause in _clauses():
        if clause.get("incomplete"):
            assert clause["source"] == "seed", f"{name}: drafted clause {clause['id']} marked incomplete"


@pytest.mark.parametrize("item", _clauses(), ids=_clause_id)
def test_params_exist_and_are_used(item):
    name, clause = item
    params_yaml = _load_yaml(PARAMS_PATH)
    listed = clause.get("params", [])
    for p in listed:
        assert p in params_yaml, f"{name}: clause {clause['id']}: param {p} is not defined in rules/params.yaml"
        assert p in clause["text"]["zh"] and p in clause["text"]["en"], (
            f"{name}: clause {clause['id']}: param {p} is listed but not mentioned in the text"
        )


@pytest.mark.parametrize(
    "item", [c for c in _clauses() if c[1]["source"] == "drafted"], ids=_clause_id
)
def test_drafted_placeholders_are_declared(item):
    name, clause = item
    params_yaml = _load_yaml(PARAMS_PATH)
    listed = set(clause.get("params", []))
    for lang in ("zh", "en"):
        for ph in PLACEHOLDER.findall(clause["text"][lang]):
            assert ph in listed, f"{name}: clause {clause['id']} ({lang}): {{{ph}}} not listed in params"
            assert ph in params_yaml, f"{name}: clause {clause['id']} ({lang}): {{{ph}}} not in rules/params.yaml"


@pytest.mark.parametrize(
    "item", [c for c in _clauses() if c[1]["source"] == "drafted"], ids=_clause_id
)
def test_drafted_zh_text_has_no_numbers(item):
    name, clause = item
    known_ids = {c["id"] for _, c in _clauses()}
    zh = clause["text"]["zh"]
    for ref in CLAUSE_REF.findall(zh):
        assert ref in known_ids, f"{name}: clause {clause['id']} refers to unknown clause {ref}"
    stripped = CLAUSE_REF.sub("", zh)
    digits = re.findall(r"\d", stripped)
    assert not digits, (
        f"{name}: clause {clause['id']}: zh text contains a number; put thresholds in rules/params.yaml"
    )


@pytest.mark.parametrize("item", [c for c in _clauses() if c[1]["source"] == "drafted"], ids=_clause_id)
def test_drafted_clause_states_whether_it_is_adopted(item):
    name, clause = item
    assert clause.get("status") in ("drafted", "adopted"), f"{name}: clause {clause['id']} has no status"
    if clause["status"] == "adopted":
        assert clause.get("adopted_by") and clause.get("adopted_on"), f"{name}: {clause['id']} adopted by whom, when?"


@pytest.mark.parametrize("status, extra, error", [
    ("drafted", {}, None),
    ("adopted", {"adopted_by": "总经理", "adopted_on": "2025-06-30"}, None),
    ("adopted", {"adopted_by": "总经理"}, "'adopted_on' is a required property"),
    ("drafted", {"adopted_on": "2025-06-30"}, "should not be valid"),
    ("in force", {}, "'in force' is not one of ['drafted', 'adopted']"),
])
def test_status_schema(status, extra, error):
    clause = {"id": "3.9", "title": {"zh": "甲", "en": "A"}, "text": {"zh": "甲", "en": "A"}, "source": "drafted",
              "automatable": True, "status": status, **extra}
    doc = {"chapter": {"id": "3", "title": {"zh": "甲", "en": "A"}}, "clauses": [clause]}
    messages = [e.message for e in jsonschema.Draft202012Validator(_schema()).iter_errors(doc)]
    assert (messages == []) if error is None else any(error in m for m in messages), messages


def test_a_seed_clause_carries_no_status():
    clause = {"id": "3.9", "title": {"zh": "甲", "en": "A"}, "text": {"zh": "甲", "en": "A"}, "source": "seed",
              "automatable": True, "status": "drafted"}
    doc = {"chapter": {"id": "3", "title": {"zh": "甲", "en": "A"}}, "clauses": [clause]}
    assert list(jsonschema.Draft202012Validator(_schema()).iter_errors(doc))
