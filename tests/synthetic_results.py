"""A large results dict in the shape of tests/fixtures/results_small.json, for scale tests.

The people and rules are few and repeat, as in a real company: about 25 people (5
supervisors, 20 owners) and 13 rules, with violations spread over them deterministically.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_small.json"
SEVERITIES = ("critical", "high", "medium", "low", "info")
SUPERVISORS = [(f"E{i:03d}", name) for i, name in enumerate(("李强", "陈静", "赵磊", "孙丽", "周杰"), start=1)]
OWNERS = [(f"E{i:03d}", f"员工{i:02d}") for i in range(10, 30)]
RULE_COUNT = 13


def _rules(template: dict[str, Any], n_violations: int) -> list[dict[str, Any]]:
    rules = []
    for i in range(RULE_COUNT):
        rule = copy.deepcopy(template)
        rule.update(id=f"PROC-{i + 1:03d}", severity=SEVERITIES[i % len(SEVERITIES)],
                    title={"zh": f"规则 {i + 1}", "en": f"Rule {i + 1}"},
                    in_scope=n_violations, activated=n_violations, passed=0,
                    violations=len(range(i, n_violations, RULE_COUNT)), not_evaluable=0, compliance_rate=0.0)
        rules.append(rule)
    return rules


def _violation(i: int, rule: dict[str, Any]) -> dict[str, Any]:
    owner_id, owner_name = OWNERS[i % len(OWNERS)]
    supervisor_id, supervisor_name = SUPERVISORS[(i % len(OWNERS)) // 4]
    return {
        "fingerprint": f"{i:016x}", "rule_id": rule["id"], "table": "deals", "key": f"D2025-{i:06d}",
        "severity": rule["severity"], "clause": rule["clause"], "status": "open",
        "owner_id": owner_id, "owner_name": owner_name,
        "supervisor_id": supervisor_id, "supervisor_name": supervisor_name,
        "message": {"zh": f"合同签订前未完成审核（{i}）", "en": f"contract signed before it was reviewed ({i})"},
        "evidence": {"contract_reviewed.first_at": None, "contract_signed.first_at": "2025-03-02T15:30:00+08:00",
                     "amount": 1000 + i},
    }


def synthetic_results(n_violations: int) -> dict[str, Any]:
    """A results dict with ``n_violations`` violations, valid against the results schema."""
    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    rules = _rules(base["rules"][0], n_violations)
    violations = [_violation(i, rules[i % RULE_COUNT]) for i in range(n_violations)]
    by_severity = dict.fromkeys(SEVERITIES, 0)
    for v in violations:
        by_severity[v["severity"]] += 1
    base["summary"].update(rules=RULE_COUNT, violations=n_violations, by_severity=by_severity)
    base.update(rules=rules, violations=violations)
    return base
