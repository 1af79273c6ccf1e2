"""The results document (results.json's contract, published as schemas/results.schema.json):
outcome frames become per-rule figures, violations with owner, supervisor, message and
evidence, and not-evaluable records with their reasons. Columns are converted whole, only
for the records that are reported (types.py: its shape; values.py: codes and times to
text; messages.py: findings in words and their fingerprints; build.py: the document).

May import: kinds (messages and reasons), model, policy, rules, load.keys, views."""
from .build import build_results, collector_paused, sha256_of

__all__ = ["build_results", "collector_paused", "sha256_of"]
