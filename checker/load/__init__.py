"""Loading an export: files read with arrow (read.py), columns typed with data-quality
findings (coerce.py, times.py, findings.py), keys found and foreign keys turned into integer
codes (keys.py), all put together through the mapping (dataset.py).

May import: model, problems, schema_check. Knows nothing of rules or evaluation."""
