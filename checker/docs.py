"""Generates docs/rules.md from the check kinds' own docstrings and examples, so the
reference cannot drift from the code: `python -m checker.docs > docs/rules.md`."""
from __future__ import annotations

import json

from .explain import need_meaning
from .kinds import KIND_MODULES
from .kinds._common import REASONS as SHARED_REASONS

INTRO = """# Rule reference

A rule file holds `rules:`, a list of rules. Each rule has an `id` (`AREA-NNN`), a
bilingual `title`, the policy `clause` it enforces (and, in `clauses`, any further clauses
the same check enforces), a `severity` (info, low, medium, high,
critical), the table it judges (`applies_to`), an optional scope expression (`when`),
exactly one `check`, an optional `owner` column (the employee who must fix a violation),
`remediation`, and `tests` that `checker test` runs. A case's `expect` lists the violating
keys; an item may instead be `{{key, detail, evidence}}` to assert also what broke (the kind's
message code, such as `not_after`) and evidence items (times as `YYYY-MM-DD HH:MM` in UTC, people
by key, `null` for none).

Each record in scope gets one outcome: pass, violation or not evaluable. A record is
*activated* when the rule's trigger occurred for it; records that were never activated
pass, and the per-rule figures show how many were activated.

Where a clause sets a rate rather than a duty for each record, a rule says so with
`tolerance` (a rate from 0 to 1, or `params.NAME`): the rule is met as a whole when its
compliance rate (passed / decided; not-evaluable records are not decided) is at least the
tolerance, compared exactly. A met rule reports no violations: its failing records are
counted as `tolerated`. Below the tolerance, each failing record is a violation as usual.
A rule with no decided record is neither met nor failed. `checker test` cases expect the
violations after the tolerance.

## Expressions

Scope conditions (`when`) and the conditions checks test use a small expression language,
compiled to column operations (never evaluated as Python): comparisons (`== != < <= > >=`,
chains allowed), `and`, `or`, `not`, `x in [..]`, `x not in [..]`, `x is null`,
`x is not null`, arithmetic (`+ - * /`) on numbers, times and durations
(`closed_at - created_at <= days(90)`), `params.NAME`, `as_of` (the end of the as-of day),
and the functions `days(n)`, `hours(n)`, `minutes(n)`, `date("YYYY-MM-DD")`,
`datetime("YYYY-MM-DDTHH:MM")`, `coalesce(a, b, ...)`, `lower(s)`, `upper(s)`, `strip(s)`,
`len(s)`, `abs(n)`, `is_blank(s)`. A comparison with an empty field is unknown: in `when`
the record is not evaluable, in a check's condition likewise. `is null`, `is_blank` and
`coalesce` let a rule decide what an empty field means.

`days(n)` is a length of exactly n times 24 hours, measured by the clock from an instant: it
is not a count of calendar days. A deadline in calendar days (the day of the event not
counted, as 民法典 art. 201 counts them, ending at the end of the last day counted) or in work
days is a kind's `within`, `every` or `due` option; each kind below says how it counts days.

Fields of related tables are read through the data model's foreign keys: a column
`customer_id` that references `customers` opens the relation `customer` (the column's own
name works too), so a rule on deals may say `customer.tier == "key"` or
`owner.region == customer.region`, and relations chain (`owner.supervisor.region`). A key
that is empty or points to no record reads every field behind it as empty.

## Check kinds

Each kind says what data it reads and when a record is not evaluable. Besides a kind's own
reasons, a record is not evaluable for a reason the kinds share:

{shared}
"""


def render() -> str:
    parts = [INTRO.format(shared="\n".join(f"- {text['en']}" for text in SHARED_REASONS.values()))]
    for module in KIND_MODULES:
        doc = (module.__doc__ or "").strip().split("\n\n")
        parts.append(f"### `{module.KIND}`\n")
        for paragraph in doc[1:] or [""]:     # semantics, options, and what partial data does
            parts.append(" ".join(paragraph.split()))
            parts.append("")
        parts.append(f"Finding message: *{doc[0]}*\n")
        parts.append("Reads: " + "; ".join(need_meaning(entry) for entry in module.NEEDS) + ".\n")
        if module.REASONS:
            parts.append("Not evaluable when " + "; or when ".join(t["en"] for t in module.REASONS.values()) + ".\n")
        parts.append("Settings schema:\n\n```json\n" + json.dumps(module.SCHEMA, indent=2) + "\n```\n")
        parts.append("Example (validated and run by the test suite):\n\n```yaml" + module.EXAMPLE.rstrip() + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
