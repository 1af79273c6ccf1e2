"""The report files written next to a run: report.html, results.json, violations.csv, junit.xml.

This package owns how results are shown, never what they are: ``html`` renders the page from
``view`` (the view model: counts, grouping by supervisor and owner, the rows shown),
``people`` and ``values`` (reading and formatting loosely shaped fields), with every word
from ``catalogue`` (labels.yaml, in both languages) and the markup in ``templates/``;
``writers`` writes the files atomically. It reads the results dict only (results.json's
contract, checker/schemas/results.schema.json) and may import the standard library, Jinja2
and PyYAML; nothing else in the checker.
"""
