"""`checker mapping init`: the mapping it proposes for the shipped sample's CSV files validates
and gives the shipped mapping's results; English headers, value samples and the command's
mistakes."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.load.dataset import load_dataset, load_mapping
from checker.load.mapping import mapping_file_problems
from checker.mapping_init import load_words, propose
from checker.model import load_datamodel

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
MODEL = load_datamodel(ROOT / "rules" / "datamodel.yaml")
WORDS = load_words(ROOT / "rules")
SCHEMA = "# yaml-language-server: $schema=mapping.schema.json"
P2P = ROOT / "tests" / "packs" / "p2p"
EXPORTS = sorted(p for p in SAMPLE.glob("*.csv") if p.name != "expected_violations.csv")


def _results(data: Path, out: Path) -> dict:
    assert main(["check", "--data", str(data), "--out", str(out), "--as-of", "2025-12-31", "--lang", "en"]) == 0
    results = json.loads((out / "results.json").read_text("utf-8"))
    for varies in ("inputs", "generated_from"):   # the mapping file itself, and the export's name
        results["run"].pop(varies, None)
    return results


def test_the_proposal_for_the_sample_validates_and_gives_the_shipped_mappings_results(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "mapping.yaml").unlink()
    assert main(["mapping", "init", *map(str, sorted(data.glob("*.csv"))), "--timezone", "Asia/Shanghai",
                 "--out", str(data / "mapping.yaml")]) == 0
    assert "proposed a mapping for 10 files" in capsys.readouterr().out
    assert mapping_file_problems(data / "mapping.yaml", MODEL, "mapping.yaml") == []
    proposed = (data / "mapping.yaml").read_text("utf-8")
    assert "# expected_violations.csv: no table of the data model fits it" in proposed
    assert "# step: no value of the data model found for 合同审合, 需求分折" in proposed
    assert _results(data, tmp_path / "proposed") == _results(SAMPLE, tmp_path / "shipped")


def _csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_english_headers_are_matched_and_matching_values_need_no_map(tmp_path):
    path = _csv(tmp_path, "opportunities.csv", "Opportunity ID,Account ID,Sales Agent,Deal Stage,Close Value,"
                                               "Engage Date,Close Date,Notes\nO1,A1,Ann,Won,100,2017-01-02,2017-02-03,x\n"
                                               "O2,A2,Bob,Lost,,2017-01-05,,y\n")
    [proposal] = propose([path], tmp_path, MODEL, WORDS)
    assert (proposal.table, proposal.encoding) == ("deals", "utf-8")
    assert proposal.columns == {"Opportunity ID": "id", "Account ID": "customer_id", "Sales Agent": "owner_id",
                                "Deal Stage": "stage", "Close Value": "amount", "Engage Date": "created_at",
                                "Close Date": "closed_at"}
    assert proposal.unmatched == ["Notes"]
    assert proposal.values == {} and proposal.unknown_values == {}


def test_value_samples_keep_a_header_from_a_field_of_another_type(tmp_path):
    path = _csv(tmp_path, "审批.csv", "审批编号,商机编号,审批时间,审批结果\nP1,D1,上午,同意\nP2,D2,下午,不同意\n")
    [proposal] = propose([path], tmp_path, MODEL, WORDS)
    assert proposal.columns == {"审批编号": "id", "商机编号": "deal_id", "审批结果": "decision"}
    assert proposal.unmatched == ["审批时间"]
    assert proposal.values == {"decision": {"同意": "approved", "不同意": "rejected"}}


def test_a_gb18030_export_is_recognised(tmp_path):
    path = tmp_path / "客户.csv"
    path.write_bytes("客户编号,客户名称\nC1,北京某某公司\n".encode("gb18030"))
    [proposal] = propose([path], tmp_path, MODEL, WORDS)
    assert (proposal.table, proposal.encoding, proposal.columns) == ("customers", "gb18030", {"客户编号": "id", "客户名称": "name"})


@pytest.mark.parametrize(("extra", "message"), [
    (["--timezone", "Asia/Shangai"], "--timezone: unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?)"),
    (["--out", "{taken}"], "exists; give a new file name, so no mapping is overwritten"),
])
def test_mistakes_in_the_command_are_exit_2(extra, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    taken = _csv(tmp_path, "taken.yaml", "x")
    args = ["mapping", "init", str(SAMPLE / "商机.csv"), *[a.format(taken=taken) for a in extra]]
    assert main(args) == 2
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------- a bounded sample, time zones and date formats

from checker.mapping_render import render  # noqa: E402
from checker.mapping_sample import SAMPLE_ROWS  # noqa: E402


def test_only_the_first_rows_are_read_so_what_follows_them_does_not_matter(tmp_path):
    # Past the rows read (and past the first megabyte, which tells the encoding) the file breaks
    # off mid-quote and stops being text: a whole read would fail.
    rows = "".join(f"D{i},C{i % 7},{i * 10}\n" for i in range(100_000))
    path = tmp_path / "商机.csv"
    path.write_bytes(f"商机编号,客户编号,金额(元)\n{rows}".encode() + b'D9,"\xff\xfe\x00broken')
    [proposal] = propose([path], tmp_path, MODEL, WORDS)
    assert (proposal.table, proposal.columns, proposal.sampled) == \
        ("deals", {"商机编号": "id", "客户编号": "customer_id", "金额(元)": "amount"}, True)
    assert f"    # read from its first {SAMPLE_ROWS:,} rows: a value seen only later" in render([proposal], "x", "UTC", SCHEMA)


def test_the_as_of_day_is_proposed_as_a_comment_to_fill_in(tmp_path):
    [proposal] = propose([_csv(tmp_path, "客户.csv", "客户编号,客户名称\nC1,甲\n")], tmp_path, MODEL, WORDS)
    assert '# as_of: "YYYY-MM-DD"   # the day the export was taken; without it the check judges at the latest date ' \
        'it holds' in render([proposal], "x", "UTC", SCHEMA).splitlines()


def test_a_file_within_the_sample_is_read_whole_and_says_nothing_of_rows(tmp_path):
    [proposal] = propose([_csv(tmp_path, "客户.csv", "客户编号,客户名称\nC1,甲\n")], tmp_path, MODEL, WORDS)
    assert not proposal.sampled and "read from its first" not in render([proposal], "x", "UTC", SCHEMA)


def test_dates_written_day_first_are_given_their_format_and_read_with_it(tmp_path):
    path = _csv(tmp_path, "商机.csv", "商机编号,创建时间,关闭时间\nD1,27/01/2025 13:06,03/02/2025\nD2,28/01/2025 09:30,\n")
    [proposal] = propose([path], tmp_path, MODEL, WORDS)
    text = render([proposal], "x", "Asia/Shanghai", SCHEMA)
    assert '    formats: {created_at: "%d/%m/%Y %H:%M", closed_at: "%d/%m/%Y"}' in text
    # 03/02/2025 reads either way round; 27/01 and 28/01 settle the other column.
    assert "    # closed_at: the values seen fit %m/%d/%Y as well: check day and month" in text
    assert "created_at: the values seen fit" not in text
    (tmp_path / "mapping.yaml").write_text(text, "utf-8")
    frame = load_dataset(tmp_path, load_mapping(tmp_path / "mapping.yaml", MODEL), MODEL).tables["deals"]
    assert [t.isoformat() for t in frame["created_at"]] == ["2025-01-27T13:06:00+08:00", "2025-01-28T09:30:00+08:00"]


def test_dates_in_no_known_format_are_pointed_out(tmp_path):
    path = _csv(tmp_path, "商机.csv", "商机编号,创建时间\nD1,Jan 27 2025\n")
    text = render(propose([path], tmp_path, MODEL, WORDS), "x", "UTC", SCHEMA)
    assert "    # created_at: no date format found for values such as Jan 27 2025; give one under formats:" in text


@pytest.mark.parametrize(("times", "timezone", "line"), [
    (["2025-01-27T13:06:00+08:00", "2025-01-28T09:00:00+08:00"], "UTC",
     "timezone: Etc/GMT-8   # the times seen carry the UTC offsets +08:00, which is this fixed zone; name the "
     "export's own zone (e.g. Asia/Shanghai) if its clock changes for summer time"),
    (["2025-03-28T09:00:00+01:00", "2025-03-31T10:00:00+02:00"], "UTC",
     "timezone: UTC   # the times seen carry the UTC offsets +01:00, +02:00; a time written without one is read in this zone"),
    (["2025-03-28T09:00:00+01:00"], "Europe/Amsterdam",
     "timezone: Europe/Amsterdam   # the times seen carry the UTC offsets +01:00; a time written without one is read in this zone"),
    (["2025-01-27 13:06"], "UTC", "timezone: UTC   # the zone the export writes its times in: set it, e.g. Asia/Shanghai"),
    (["2025-01-27 13:06"], "Asia/Shanghai", "timezone: Asia/Shanghai"),
])
def test_the_time_zone_line_says_what_the_times_carry(times, timezone, line, tmp_path):
    path = _csv(tmp_path, "商机.csv", "商机编号,创建时间\n" + "".join(f"D{i},{t}\n" for i, t in enumerate(times)))
    assert line in render(propose([path], tmp_path, MODEL, WORDS), "x", timezone, SCHEMA).splitlines()


def test_values_are_matched_by_their_labels_in_the_packs_languages(tmp_path, monkeypatch, capsys):
    # A Dutch pack: its steps are named in Dutch (one only in English, read in Dutch as
    # English), and its export writes them so.
    rules = tmp_path / "rules"
    shutil.copytree(P2P / "rules", rules)
    (rules / "pack.yaml").write_text("languages: [nl, en]\n", "utf-8")
    model = rules / "datamodel.yaml"
    model.write_text(model.read_text("utf-8").replace("po_created:       {}", "po_created:       {nl: order aangemaakt}")
                     .replace("po_approved:      {}", "po_approved:      {en: order approved}"), "utf-8")
    export = tmp_path / "export"
    export.mkdir()
    _csv(export, "events.csv", "id,po_id,step,at\nE1,O1,order aangemaakt,2025-03-01 10:00\nE2,O1,order approved,"
                               "2025-03-02 10:00\nE3,O1,goods_received,2025-03-03 10:00\n")
    monkeypatch.chdir(tmp_path)
    assert main(["mapping", "init", "export/events.csv", "--rules", "rules", "--out", "export/mapping.yaml"]) == 0
    proposed = (export / "mapping.yaml").read_text("utf-8").splitlines()
    # No schemas beside the pack: the installed checker's own, from the mapping's folder.
    installed = (Path(__import__("checker").__file__).parent / "schemas" / "mapping.schema.json").resolve()
    assert proposed[0] == f"# yaml-language-server: $schema={Path(os.path.relpath(installed, export)).as_posix()}"
    assert "      step: {order aangemaakt: po_created, order approved: po_approved}" in proposed


def test_the_schema_line_points_at_the_schemas_beside_the_pack(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "pack"]) == 0
    monkeypatch.chdir(tmp_path / "pack")
    assert main(["mapping", "init", *map(str, sorted(Path("export").glob("*.csv"))), "--out", "proposed.yaml"]) == 0
    assert Path("proposed.yaml").read_text("utf-8").splitlines()[0] == \
        "# yaml-language-server: $schema=schemas/mapping.schema.json"
    capsys.readouterr()
    assert main(["mapping", "init", *map(str, sorted(Path("export").glob("*.csv")))]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "# yaml-language-server: $schema=schemas/mapping.schema.json"
