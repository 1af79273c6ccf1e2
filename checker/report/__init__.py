"""The report files written next to a run: report.html, results.json, violations.csv, junit.xml,
and with --split-by one report per team and an index page.

This package owns how results are shown, never what they are: ``html`` renders the page from
``view`` (the view model: counts, grouping by supervisor and owner, the first findings of each
rule), ``data`` (every finding as compact columns for the page's script, templates/report.js),
``evidence`` and ``detail`` (a finding in words: its evidence, criteria and time line),
``summaries`` (not-evaluable and data-quality counts), ``charts`` (SVG bar geometry), ``people``
and ``values`` (reading and formatting loosely shaped fields), with every word from
``catalogue`` (labels.yaml, in both languages) and the markup in ``templates/``; ``split``
writes the per-team reports; ``writers`` writes the files atomically. It reads the results
dict only (results.json's contract, checker/schemas/results.schema.json) and may import the
standard library, Jinja2 (with MarkupSafe) and PyYAML; nothing else in the checker.
"""
